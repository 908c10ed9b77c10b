"""What the routes depend on, as typed FastAPI dependencies (as in the FastAPI template).

The app factory keeps one ``ClientHolder`` on ``app.state``; routes never read ``app.state``
themselves but take ``Client``, ``Holder`` or ``AppSettings`` parameters, so a test can swap
any of them with ``app.dependency_overrides[model_client] = ...``.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, cast

from fastapi import Depends, Request

from drafter.config import Settings
from drafter.errors import DrafterError, ModelError
from drafter.logs import request_meter
from drafter.model.protocol import Completion, CompletionRequest, ModelClient, WarmsUp

__all__ = ["AppSettings", "Client", "ClientHolder", "Holder", "MeteredClient", "client_holder",
           "model_client", "settings"]


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


def client_holder(request: Request) -> ClientHolder:
    """The app's one holder of the model client (set by ``create_app``)."""
    return cast(ClientHolder, request.app.state.clients)


Holder = Annotated[ClientHolder, Depends(client_holder)]


async def model_client(holder: Holder) -> MeteredClient:
    """The model client, created (or loaded) on first use."""
    return await holder.get()


Client = Annotated[MeteredClient, Depends(model_client)]


def settings(holder: Holder) -> Settings:
    return holder.settings


AppSettings = Annotated[Settings, Depends(settings)]
