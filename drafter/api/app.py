"""The FastAPI app factory. Settings and (in tests) the model client are passed in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from drafter import __version__
from drafter.api import page
from drafter.api.problems import install_handlers
from drafter.api.routes import router
from drafter.api.security import Guard
from drafter.config import Settings
from drafter.errors import DrafterError, ModelError
from drafter.logs import request_meter
from drafter.model.protocol import Completion, CompletionRequest, ModelClient, WarmsUp

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
    """Creates the model client on first use: /healthz never imports litellm or loads weights.

    With ``preload`` (``drafter serve`` on an embedded model), the model is verified and
    loaded at startup instead of inside the first request; /readyz says "loading" until then.
    """

    def __init__(self, settings: Settings, client: ModelClient | None) -> None:
        self.settings = settings
        self._client: MeteredClient | None = MeteredClient(client) if client else None
        self._lock = asyncio.Lock()
        self.loading = False
        self.load_error: DrafterError | None = None

    async def get(self) -> MeteredClient:
        if self._client is not None:  # no lock on the hot path: the lock binds to one loop
            return self._client
        async with self._lock:
            if self._client is None:
                # In a worker thread: importing litellm takes seconds, and the event loop
                # keeps answering (/healthz, /readyz "loading") meanwhile.
                self._client = MeteredClient(await asyncio.to_thread(self._new_client))
            return self._client

    def _new_client(self) -> ModelClient:
        from drafter.model.litellm_client import LiteLLMClient

        return LiteLLMClient(self.settings)

    async def preload(self) -> None:
        self.loading = True
        try:
            inner = (await self.get()).inner
            if isinstance(inner, WarmsUp):  # scripted clients have nothing to load
                await asyncio.to_thread(inner.warm_up)
        except DrafterError as exc:  # reported by /readyz; drafts then fail with the same error
            self.load_error = exc
        except Exception as exc:  # e.g. llama.cpp cannot read the file: never "ready"
            self.load_error = ModelError(
                f"the model could not be loaded ({type(exc).__name__}); check DRAFTER_MODEL "
                "and DRAFTER_MODEL_PATH, or delete the cached model to re-assemble it")
        finally:
            self.loading = False


def create_app(settings: Settings, *, client: ModelClient | None = None,
               preload: bool = False) -> FastAPI:
    holder = ClientHolder(settings, client)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(holder.preload()) if preload else None
        yield
        if task is not None and not task.done():
            task.cancel()  # the load itself runs to its end in its thread

    app = FastAPI(
        lifespan=lifespan,
        title="drafter",
        version=__version__,
        description="Draft one grounded, give-first outreach message to one person. Errors "
        "are RFC 9457 problem documents (application/problem+json). When the service has "
        "API keys, send one in the X-API-Key header.",
    )
    app.state.settings = settings
    app.state.clients = holder
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
