"""Service limits as one ASGI middleware: request id, API keys (with a limit on failed
attempts), rate limit, media type, body cap and deadline, request deadline for routes that call
a model, last-resort error handling, the headers every API response carries and the request log
line. (The cap on concurrent model calls is taken by the model client itself, at its first
call: drafter.api.deps.)

It runs inside CORS (so preflights need no key) and outside FastAPI's routing, so everything
it rejects is rejected before the body is parsed or a model is called. Limits read from
``Settings``; the rate limits' counters live in ``DRAFTER_STATE_URL``'s store
(drafter.api.ratelimits): in memory, each app (and each test) has its own; in Redis, every
worker and replica naming it shares them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from drafter.api.deps import DEADLINE
from drafter.api.problems import problem_response
from drafter.api.ratelimits import Limit, SharedLimits
from drafter.config import Settings
from drafter.errors import (
    BodyTimeout,
    ClientRateLimited,
    DrafterError,
    ModelTimeout,
    PayloadTooLarge,
    StateUnavailable,
    Unauthorized,
    UnsupportedMediaType,
)
from drafter.logs import RequestMeter, request_meter

__all__ = ["Guard", "KeyCheck"]

log = logging.getLogger("drafter.api")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Every /v1 response: drafts and score cards are the user's private text, so no cache (a
# browser's, a proxy's) may keep them, and no browser may sniff a JSON body into a page.
_API_HEADERS = ((b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"))


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


class KeyCheck:
    """Configured API keys, compared in constant time (digests of equal length, no early exit
    across keys, so timing reveals neither a key's prefix nor which key matched)."""

    def __init__(self, settings: Settings) -> None:
        raw = settings.api_keys.get_secret_value() if settings.api_keys else ""
        self._digests = [_digest(k.strip()) for k in raw.split(",") if k.strip()]

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def identity(self, presented: str | None) -> str | None:
        """A non-secret id for a valid key (for rate limiting), or None if it is not valid."""
        if presented is None:
            return None
        given = _digest(presented)
        ok = False
        for d in self._digests:
            ok |= hmac.compare_digest(given, d)
        return "key:" + given.hex()[:16] if ok else None


class _Refused(Exception):
    """Internal: a request rejected before it reaches the app."""

    def __init__(self, error: DrafterError) -> None:
        super().__init__(error.code)
        self.error = error


@dataclass
class _Exchange:
    """One request in flight: its scope and whether a response has started."""

    scope: Scope
    send: Send
    status: int = 0

    async def send_tracked(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
        await self.send(message)

    async def problem(self, receive: Receive, error: DrafterError) -> None:
        response = problem_response(Request(self.scope), error)
        await response(self.scope, receive, self.send_tracked)


class Guard:
    """The ASGI middleware; see the module docstring for what it enforces, in order."""

    def __init__(self, app: ASGIApp, settings: Settings, limits: SharedLimits) -> None:
        self.app = app
        self.settings = settings
        self.keys = KeyCheck(settings)
        # Counted in DRAFTER_STATE_URL's store: with Redis, one budget across every worker
        # and replica.
        self.limits = limits
        self.requests = Limit("requests", settings.rate_limit_per_minute,
                              settings.rate_limit_burst)
        # Wrong keys, per client address: guessing keys is slowed to a trickle.
        self.failures = Limit("auth-failures", settings.auth_failures_per_minute,
                              settings.auth_failures_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        meter = RequestMeter(request_id)
        token = request_meter.set(meter)
        ex = _Exchange(scope, _with_headers(send, request_id,
                                            api=str(scope["path"]).startswith("/v1/")))
        started = time.perf_counter()
        try:
            await self._handle(ex, receive)
        finally:
            self._log(ex, meter, started)
            request_meter.reset(token)

    async def _handle(self, ex: _Exchange, receive: Receive) -> None:
        try:
            await self._admit(ex.scope)
            _check_media_type(ex.scope)
            receive = await self._read_body(ex.scope, receive)
            # The deadline is armed by the route, not chosen here by its path: every route
            # that calls a model depends on drafter.api.deps.model_client, which arms it.
            loop = asyncio.get_running_loop()
            async with asyncio.timeout(None) as deadline:
                at = loop.time() + self.settings.request_timeout_s

                def arm(grace: float = 0.0) -> float:
                    # Returns the deadline (loop time). A streaming route keeps the deadline
                    # itself, to end its stream with a problem event, and leaves this one as
                    # a backstop ``grace`` seconds later.
                    deadline.reschedule(at + grace)
                    return at

                ex.scope["state"][DEADLINE] = arm
                await self.app(ex.scope, receive, ex.send_tracked)
        except _Refused as refused:
            await ex.problem(receive, refused.error)
        except StateUnavailable as down:  # the shared store (Redis) is down: 503, no traceback
            log.warning("shared state unavailable", extra={"error_type": down.code})
            await ex.problem(receive, down)
        except TimeoutError:
            if not ex.status:
                await ex.problem(receive, ModelTimeout(
                    f"the request took longer than {self.settings.request_timeout_s:.0f} s; "
                    "try again, ask for fewer variants, or raise DRAFTER_REQUEST_TIMEOUT_S"))
        except Exception as exc:  # last resort: a problem document, never a traceback
            log.error("unexpected error", extra={"error_type": type(exc).__name__})
            if not ex.status:
                await ex.problem(receive, DrafterError(
                    "drafter failed unexpectedly; the error was logged with this request id"))

    async def _admit(self, scope: Scope) -> None:
        path: str = scope["path"]
        if not path.startswith("/v1/"):
            return  # health, docs, the page and static files stay open
        who = await self._who(scope)
        wait = await self.limits.take(self.requests, who)
        if wait is not None:
            raise _Refused(ClientRateLimited(
                f"too many requests: at most {self.settings.rate_limit_per_minute} a minute; "
                f"retry after {math.ceil(wait)} s", retry_after=wait))

    async def _who(self, scope: Scope) -> str:
        headers = dict(scope.get("headers") or [])
        if self.keys.enabled:
            client = scope.get("client")
            address = client[0] if client else "unknown"
            # Checked before the key, so that a right guess is not told apart while blocked.
            wait = await self.limits.waiting(self.failures, "ip:" + address)
            if wait is not None:
                raise _Refused(ClientRateLimited(
                    f"too many wrong API keys from this address; retry after "
                    f"{math.ceil(wait)} s", retry_after=wait))
            raw = headers.get(b"x-api-key")
            who = self.keys.identity(raw.decode("latin-1") if raw is not None else None)
            if who is None:
                await self.limits.take(self.failures, "ip:" + address)
                raise _Refused(Unauthorized(
                    "send a valid API key in the X-API-Key header" if raw is not None else
                    "this service needs an API key: send it in the X-API-Key header"))
            return who
        client = scope.get("client")
        return "ip:" + (client[0] if client else "unknown")

    async def _read_body(self, scope: Scope, receive: Receive) -> Receive:
        """Read the whole body within the cap (chunked bodies included), then replay it."""
        if scope["method"] not in _BODY_METHODS:
            return receive
        cap = self.settings.max_body_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > cap:
            raise _Refused(_too_large(int(declared), cap))
        chunks: list[bytes] = []
        size = 0
        # One deadline for the whole body: per-read timeouts never fire on a client that
        # sends a byte a second.
        give_up = asyncio.get_running_loop().time() + self.settings.body_timeout_s
        while True:
            try:
                async with asyncio.timeout_at(give_up):
                    message = await receive()
            except TimeoutError:
                raise _Refused(BodyTimeout(
                    f"the request body did not arrive within {self.settings.body_timeout_s:g} "
                    "s; send it in one go")) from None
            if message["type"] == "http.disconnect":
                return _replay([message], receive)
            size += len(message.get("body", b""))
            if size > cap:  # stop reading: memory stays bounded whatever the client sends
                raise _Refused(_too_large(size, cap, at_least=True))
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        return _replay([body], receive)

    def _log(self, ex: _Exchange, meter: RequestMeter, started: float) -> None:
        state: dict[str, Any] = ex.scope.get("state") or {}
        # Never bodies: goals, works and drafts are the user's private text.
        log.info("request", extra={
            "request_id": meter.request_id, "method": ex.scope["method"],
            "path": ex.scope["path"], "status": ex.status,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            "error_type": state.get("error_type"),
            "model": ",".join(dict.fromkeys(meter.models)) or None,
            "prompt_tokens": meter.prompt_tokens if meter.model_calls else None,
            "completion_tokens": meter.completion_tokens if meter.model_calls else None,
            "model_calls": meter.model_calls or None})


def _check_media_type(scope: Scope) -> None:
    """A /v1 body must be JSON. Without a Content-Type it is read as JSON (as FastAPI does);
    any other type (a form, text/plain: what curl -d sends) is refused with the fix, instead
    of a validation error that names no field."""
    if scope["method"] not in _BODY_METHODS or not str(scope["path"]).startswith("/v1/"):
        return
    raw = dict(scope.get("headers") or []).get(b"content-type")
    if raw is None:
        return
    media = raw.decode("latin-1").split(";", 1)[0].strip().lower()
    if media == "application/json" or (media.startswith("application/")
                                       and media.endswith("+json")):
        return
    raise _Refused(UnsupportedMediaType(
        f"the body was sent as {media or 'an empty Content-Type'}; send JSON with "
        "Content-Type: application/json"))


def _too_large(size: int, cap: int, *, at_least: bool = False) -> PayloadTooLarge:
    amount = f"more than {cap}" if at_least else str(size)
    return PayloadTooLarge(f"the request body is {amount} bytes; the limit is {cap}: send "
                           "shorter works (at most 20,000 characters each)")


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


def _with_headers(send: Send, request_id: str, *, api: bool) -> Send:
    """Every response gets its request id; /v1 responses also get ``_API_HEADERS``."""
    ours = [(b"x-request-id", request_id.encode()), *(_API_HEADERS if api else ())]
    names = {k for k, _ in ours}

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
            headers.extend(ours)
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
