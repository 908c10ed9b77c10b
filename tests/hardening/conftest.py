"""Fixtures for the hardening tests: a fake provider on 127.0.0.1 and a JSON log capture
through the production formatter (litellm forced onto httpx, so respx can see it, is
tests/conftest.py's ``litellm_on_httpx``)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

from tests.hardening.provider import FakeProvider


@pytest.fixture(scope="session", autouse=True)
def _litellm_warmed_up() -> None:
    """litellm lazily imports modules on its first OpenAI-path call, and pydantic warns there
    about TypedDicts with ReadOnly items; under warnings-as-errors that warning would become
    the "provider error" of whichever test calls first. Make one quiet call up front."""
    import asyncio

    from pydantic import SecretStr

    from drafter.config import Settings
    from drafter.model.litellm_client import LiteLLMClient
    from drafter.model.protocol import CompletionRequest
    from drafter.types import Message

    with FakeProvider() as p, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = LiteLLMClient(Settings(model="openai/ok", api_base=p.url, timeout_s=10,
                                        api_key=SecretStr("sk-warm-up")))
        asyncio.run(client.complete(CompletionRequest(
            messages=(Message(role="user", content="warm up"),), json_schema={})))


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with FakeProvider() as p:
        yield p


