"""One real end-to-end draft on SmolLM2-135M through litellm and llama.cpp (no network).

Opt-in locally (DRAFTER_REALMODEL_TESTS=1, which scripts/test and CI set): it needs the
compiled runtime and the SmolLM2 weights package. The model is weak; the assertions are the
pipeline's guarantees, which must hold whatever the model writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.config import Settings, env_flag
from drafter.embedded import unavailable_reason
from drafter.errors import InvalidModelOutput
from drafter.pipeline import draft
from drafter.types import DraftRequest

pytestmark = pytest.mark.realmodel

MODEL = "embedded/smollm2-135m"


@pytest.fixture
def real_settings(tmp_path: Path) -> Settings:
    if not env_flag("DRAFTER_REALMODEL_TESTS"):
        pytest.skip("set DRAFTER_REALMODEL_TESTS=1 to run the real-model test")
    reason = unavailable_reason(MODEL, model_path=None)
    if reason:
        pytest.fail(f"DRAFTER_REALMODEL_TESTS=1 but {reason}")
    # Generous deadline: CI machines may be busy; a timeout would hide what the test checks.
    return Settings(model=MODEL, cache_dir=tmp_path, max_repairs=1, timeout_s=600)


async def test_smollm2_drafts_through_litellm_and_llama_cpp(
        real_settings: Settings, example_request: DraftRequest) -> None:
    from drafter.llm import LiteLLMClient

    client = LiteLLMClient(real_settings)
    try:
        result = await draft(example_request, client=client, settings=real_settings)
    except InvalidModelOutput as exc:  # a typed error is an allowed outcome, never a crash
        assert exc.attempts == real_settings.max_repairs + 1
        return
    work = example_request.recipient.works[0].text or ""
    d = result.drafts[0]
    assert result.model == MODEL and result.usage.completion_tokens > 0
    assert d.body.startswith("Hi Dana,") and d.body.rstrip().endswith("Sam Ortiz")
    assert all(work[r.start:r.end] == r.quote for r in d.references)
    assert "[" not in d.body and "{{" not in d.body
    assert {c.name for c in d.checks} >= {"grounded_quote", "single_ask", "within_limit"}
