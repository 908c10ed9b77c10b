"""Fixtures for the hardening tests: a fake provider on 127.0.0.1, litellm forced onto httpx
(so respx can see it), and a JSON log capture through the production formatter."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from drafter.logs import JsonFormatter
from tests.hardening.provider import FakeProvider


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with FakeProvider() as p:
        yield p


@pytest.fixture
def litellm_on_httpx() -> Iterator[Any]:
    """litellm's default aiohttp transport bypasses respx, and its cached clients outlive
    tests: use httpx and start from an empty client cache, then restore both."""
    import drafter.llm  # noqa: F401 - prepares the environment before litellm is imported
    import litellm

    before = litellm.disable_aiohttp_transport
    litellm.disable_aiohttp_transport = True
    litellm.in_memory_llm_clients_cache.flush_cache()
    yield litellm
    litellm.in_memory_llm_clients_cache.flush_cache()
    litellm.disable_aiohttp_transport = before


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """Everything logged at any level, formatted exactly as `drafter serve` writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
