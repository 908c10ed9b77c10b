"""What the routes depend on, as typed FastAPI dependencies (as in the FastAPI template).

The app factory keeps one ``ClientHolder`` on ``app.state``; routes never read ``app.state``
themselves but take ``Client``, ``Holder`` or ``AppSettings`` parameters, so a test can swap
any of them with ``app.dependency_overrides[model_client] = ...``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, cast

from fastapi import Depends, Request

from drafter.config import Settings
from drafter.errors import DrafterError, ModelError
from drafter.logs import request_meter
from drafter.model.protocol import Closes, Completion, CompletionRequest, ModelClient, WarmsUp
from drafter.slots import Slots

# The key under which the guard leaves, in the request's state, the function that arms the
# request deadline: ``arm(grace=0.0) -> float`` moves the guard's deadline to ``grace``
# seconds after the request's and returns the request's (event-loop time).
DEADLINE = "arm_model_deadline"

__all__ = ["DEADLINE", "AppSettings", "Client", "ClientHolder", "FetchSlots", "Holder",
           "MeteredClient", "SlottedClient", "client_holder", "fetch_slots", "model_client",
           "settings"]


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


class SlottedClient:
    """One request's model client: it takes one of the app's model slots at its first call,
    not when the request starts, so what comes before (fetching a page, reading the work)
    holds none; the slot is given back when the request ends (``model_client``).

    Being the only way a route gets a model, it is also how a route is marked as one that
    calls a model: ``model_client`` arms the request deadline too."""

    def __init__(self, inner: ModelClient, slots: Slots, deadline: float | None = None) -> None:
        self.inner = inner
        self._slots = slots
        self._held = False
        # When the request must be answered (event-loop time), None without the guard.
        self.deadline = deadline

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    async def complete(self, request: CompletionRequest) -> Completion:
        if not self._held:
            await self._slots.acquire()
            self._held = True
        return await self.inner.complete(request)

    def release(self) -> None:
        if self._held:
            self._held = False
            self._slots.release()


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
        self.model_slots = Slots(settings.max_concurrent_model_calls, settings.queue_wait_s,
                                 "messages being written")
        self.fetch_slots = Slots(settings.max_concurrent_fetches, settings.queue_wait_s,
                                 "pages being fetched")

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

    async def close(self) -> None:
        """Close the client's connections, if it holds any (when the app stops)."""
        if self._client is not None and isinstance(self._client.inner, Closes):
            await self._client.inner.aclose()

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


async def client_holder(request: Request) -> ClientHolder:
    """The app's one holder of the model client (set by ``create_app``). This and the other
    dependencies that only read the app's state are ``async``: FastAPI runs a plain ``def``
    dependency in its thread pool, a thread hop per dependency per request (issue 17)."""
    return cast(ClientHolder, request.app.state.clients)


Holder = Annotated[ClientHolder, Depends(client_holder)]


async def model_client(holder: Holder, request: Request) -> AsyncIterator[SlottedClient]:
    """The model client (created or loaded on first use), under the app's cap on concurrent
    model work and the request deadline: taking it is what marks a route as one that calls a
    model, so no route can call one uncapped or without a deadline."""
    arm = request.scope.get("state", {}).get(DEADLINE)
    # set by the service's guard (drafter.api.security)
    deadline = float(arm()) if arm is not None else None
    client = SlottedClient(await holder.get(), holder.model_slots, deadline)
    try:
        yield client
    finally:
        client.release()


Client = Annotated[SlottedClient, Depends(model_client)]


async def fetch_slots(holder: Holder) -> Slots:
    return holder.fetch_slots


FetchSlots = Annotated[Slots, Depends(fetch_slots)]


async def settings(holder: Holder) -> Settings:
    return holder.settings


AppSettings = Annotated[Settings, Depends(settings)]
