"""The FastAPI app factory. Settings and (in tests) the model client are passed in.

``serve_app`` is what ``drafter serve`` hands uvicorn (``drafter.api.app:serve_app`` with
``factory=True``): each worker process calls it and builds its own app from the settings it
reads itself, so nothing is shared between workers through module globals.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from drafter import __version__
from drafter.api import docs, page
from drafter.api.contract import ContractAPI
from drafter.api.deps import ClientHolder
from drafter.api.history import HistoryHolder
from drafter.api.history import router as history_router
from drafter.api.problems import install_handlers
from drafter.api.ratelimits import SharedLimits
from drafter.api.routes import router
from drafter.api.security import Guard
from drafter.api.stream import router as stream_router
from drafter.config import Settings, load_settings
from drafter.model.protocol import ModelClient
from drafter.model.registry import is_embedded

__all__ = ["SERVE_APP", "create_app", "serve_app"]

# The import string uvicorn's workers build the app from (with factory=True).
SERVE_APP = "drafter.api.app:serve_app"


def create_app(settings: Settings, *, client: ModelClient | None = None,
               preload: bool = False) -> FastAPI:
    holder = ClientHolder(settings, client)
    kept = HistoryHolder(settings)
    limits = SharedLimits(settings)  # the rate limits' store (DRAFTER_STATE_URL)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(holder.preload()) if preload else None
        yield
        if task is not None and not task.done():
            task.cancel()  # the load itself runs to its end in its thread
        kept.close()
        await limits.close()
        await holder.close()

    app = ContractAPI(
        lifespan=lifespan,
        docs_url=None,  # FastAPI's pages load from a CDN; drafter.api.docs serves them
        redoc_url=None,
        title="drafter",
        version=__version__,
        description="Draft one grounded, give-first outreach message to one person, and score "
        "any message against the rubric.\n\n"
        "**Errors** are RFC 9457 problem documents (`application/problem+json`) with a stable "
        "`type` (`urn:drafter:problem:<code>`), a `detail` that says how to fix it, the "
        "`request_id` and, for invalid input, `errors` naming each field.\n\n"
        "**API keys** are optional server configuration: when the server has them, every "
        "`/v1` call needs the `X-API-Key` header (use *Authorize* here). `GET /v1/info` says "
        "whether this server does, and what it runs.\n\n"
        "**Versioning:** `/v1` changes only by additions; a breaking change gets a new prefix "
        "(see the README's *Versioning* section).",
    )
    app.state.clients = holder
    app.state.history = kept
    app.state.limits = limits
    install_handlers(app)
    app.include_router(router)
    app.include_router(stream_router)  # POST /v1/drafts/stream: the same, as server-sent events
    app.include_router(history_router)  # GET/DELETE /v1/drafts...: each key's own drafts
    app.include_router(page.router)  # the page at / uses only the public API
    app.include_router(docs.router)  # /docs and /redoc, offline
    app.add_middleware(Guard, settings=settings, limits=limits)
    if settings.trusted_proxies:
        # Outermost, so the guard's per-address limits see the client the proxy names:
        # behind a proxy on another host, every anonymous client would otherwise share the
        # proxy's one bucket. Only the listed proxies are believed (a client cannot name
        # itself someone else by sending the header directly).
        app.add_middleware(ProxyHeadersMiddleware,
                           trusted_hosts=list(settings.trusted_proxies))
    if settings.cors_origins:  # off by default: browsers on other origins get no access
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After"])
    return app


def serve_app() -> FastAPI:
    """The app of one ``drafter serve`` worker, from the settings this process reads (the CLI's
    overrides reach it as DRAFTER_* variables: drafter.config.pass_to_workers). An embedded
    model is loaded as the worker starts, so the first draft does not pay for it."""
    settings = load_settings()
    return create_app(settings, preload=is_embedded(settings.model))
