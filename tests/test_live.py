"""One draft through a real provider: the integrator's first smoke test.

Opt-in (it costs money and needs the internet): set DRAFTER_LIVE_TESTS=1, DRAFTER_MODEL to a
provider model (e.g. gpt-4o-mini, anthropic/claude-3-5-haiku-latest, ollama/llama3.1) and,
where the provider needs one, DRAFTER_API_KEY (DRAFTER_API_BASE for Ollama or a proxy).
"""

from __future__ import annotations

import pytest

from drafter.config import Settings, env_flag, load_settings
from drafter.model.registry import is_embedded
from drafter.pipeline import draft
from drafter.types import DraftRequest

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]


@pytest.fixture
def live_settings() -> Settings:
    if not env_flag("DRAFTER_LIVE_TESTS"):
        pytest.skip("set DRAFTER_LIVE_TESTS=1 (and DRAFTER_MODEL, DRAFTER_API_KEY) to run")
    settings = load_settings()
    if is_embedded(settings.model):
        pytest.fail("DRAFTER_LIVE_TESTS=1 needs DRAFTER_MODEL set to a provider's model")
    return settings


async def test_a_provider_model_drafts_the_example(live_settings: Settings,
                                                   example_request: DraftRequest) -> None:
    from drafter.model.litellm_client import LiteLLMClient

    result = await draft(example_request, client=LiteLLMClient(live_settings),
                         settings=live_settings)
    d = result.drafts[0]
    work = example_request.recipient.works[0].text or ""
    assert result.model == live_settings.model and result.usage.model_calls >= 1
    assert d.body.startswith("Hi Dana,") and "Sam" in d.body[-40:]
    assert all(work[r.start:r.end] == r.quote for r in d.references)
