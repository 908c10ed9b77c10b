"""The FastAPI app factory. Settings and (in tests) the model client are passed in."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from drafter import __version__
from drafter.api import page
from drafter.api.problems import install_handlers
from drafter.api.routes import router
from drafter.api.security import Guard
from drafter.config import Settings
from drafter.logs import request_meter
from drafter.model import Completion, CompletionRequest, ModelClient

__all__ = ["MAX_BODY_BYTES", "MeteredClient", "create_app"]

MAX_BODY_BYTES = Settings.model_fields["max_body_bytes"].default


class MeteredClient:
    """Adds each call's model and tokens to the current request's log line."""

    def __init__(self, inner: ModelClient) -> None:
        self.inner = inner

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    async def complete(self, request: CompletionRequest) -> Completion:
        completion = await self.inner.complete(request)
        meter = request_meter.get()
        if meter is not None:
            meter.models.append(completion.model)
            meter.prompt_tokens += completion.prompt_tokens
            meter.completion_tokens += completion.completion_tokens
            meter.model_calls += 1
        return completion


class ClientHolder:
    """Creates the model client on first use: /healthz never imports litellm or loads weights."""

    def __init__(self, settings: Settings, client: ModelClient | None) -> None:
        self.settings = settings
        self._client: ModelClient | None = MeteredClient(client) if client else None
        self._lock = asyncio.Lock()

    async def get(self) -> ModelClient:
        if self._client is not None:  # no lock on the hot path: the lock binds to one loop
            return self._client
        async with self._lock:
            if self._client is None:
                from drafter.llm import LiteLLMClient

                self._client = MeteredClient(LiteLLMClient(self.settings))
            return self._client


def create_app(settings: Settings, *, client: ModelClient | None = None) -> FastAPI:
    app = FastAPI(
        title="drafter",
        version=__version__,
        description="Draft one grounded, give-first outreach message to one person. Errors "
        "are RFC 9457 problem documents (application/problem+json). When the service has "
        "API keys, send one in the X-API-Key header.",
    )
    app.state.settings = settings
    app.state.clients = ClientHolder(settings, client)
    install_handlers(app)
    app.include_router(router)
    app.include_router(page.router)  # the page at / uses only the public API
    app.add_middleware(Guard, settings=settings)
    if settings.cors_origins:  # off by default: browsers on other origins get no access
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After"])
    return app
