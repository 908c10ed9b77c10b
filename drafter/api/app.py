"""The FastAPI app factory. Settings and (in tests) the model client are passed in."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from drafter import __version__
from drafter.api.problems import install_handlers, problem_response
from drafter.api.routes import router
from drafter.config import Settings
from drafter.errors import PayloadTooLarge
from drafter.model import ModelClient

__all__ = ["MAX_BODY_BYTES", "create_app"]

log = logging.getLogger("drafter.api")
MAX_BODY_BYTES = 256 * 1024  # a request holds at most 5 works of 20,000 characters


class ClientHolder:
    """Creates the model client on first use: /healthz never imports litellm or loads weights."""

    def __init__(self, settings: Settings, client: ModelClient | None) -> None:
        self.settings = settings
        self._client = client
        self._lock = asyncio.Lock()

    async def get(self) -> ModelClient:
        async with self._lock:
            if self._client is None:
                from drafter.llm import LiteLLMClient

                self._client = LiteLLMClient(self.settings)
            return self._client


async def _request_context(request: Request,
                           call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    request.state.request_id = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
    started = time.perf_counter()
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
        response: Response = problem_response(request, PayloadTooLarge(
            f"the request body is {int(length)} bytes; the limit is {MAX_BODY_BYTES}: send "
            "shorter works (at most 20,000 characters each)"))
    else:
        response = await call_next(request)
    response.headers["X-Request-ID"] = request.state.request_id
    # Never log bodies: goals, works and drafts are the user's private text.
    log.info("request", extra={
        "request_id": request.state.request_id, "method": request.method,
        "path": request.url.path, "status": response.status_code,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        "error_type": getattr(request.state, "error_type", None)})
    return response


def create_app(settings: Settings, *, client: ModelClient | None = None) -> FastAPI:
    app = FastAPI(
        title="drafter",
        version=__version__,
        description="Draft one grounded, give-first outreach message to one person. Errors "
        "are RFC 9457 problem documents (application/problem+json).",
    )
    app.state.settings = settings
    app.state.clients = ClientHolder(settings, client)
    app.middleware("http")(_request_context)
    install_handlers(app)
    app.include_router(router)
    return app



