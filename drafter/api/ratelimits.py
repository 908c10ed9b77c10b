"""Rate limits that hold across workers and replicas, through the ``limits`` library.

One setting, ``DRAFTER_STATE_URL``, names where the counters live: ``memory://`` (the default:
this process only, right for one worker) or ``redis://`` / ``rediss://`` / ``redis+unix://``
(every worker and replica that names the same Redis shares one budget per client). The
counting itself is the library's moving window (exact: at most N hits in any window); nothing
here speaks Redis or keeps a bucket of its own.

A limit is ``burst`` requests in any window of ``burst × 60 / per_minute`` seconds: the same
average rate as ``per_minute`` with at most ``burst`` at once (60 a minute with a burst of 10
is 10 in any 10 s). A store that cannot be reached is a ``StateUnavailable`` (503 with
Retry-After), never a traceback; the URL, which may carry a password, is never put in a
message: only its scheme, host and port are.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool

from drafter.config import Settings
from drafter.errors import ConfigError, StateUnavailable

__all__ = ["Limit", "SharedLimits", "describe_state_url"]

_REDIS_SCHEMES = frozenset({"redis", "rediss", "redis+unix"})
# Seconds: a Redis that does not answer must not hold a request (or the start-up) for long.
_REDIS_TIMEOUT_S = 2.0
_RETRY_WHEN_DOWN_S = 5.0


def describe_state_url(url: str) -> str:
    """The URL as it may be shown: scheme, host and port; never a user name or password."""
    parts = urlsplit(url)
    if parts.scheme == "memory":
        return "memory://"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}"


def _storage(url: str) -> tuple[Storage, ConnectionPool | None]:
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryStorage(wrap_exceptions=True), None
    if scheme in _REDIS_SCHEMES:
        # redis-py's asyncio client (the package litellm's Router uses too); the library's
        # own scripts do the counting atomically on the server. The pool is ours, so the app
        # closes its connections when it stops.
        try:
            pool = ConnectionPool.from_url(url, socket_timeout=_REDIS_TIMEOUT_S,
                                           socket_connect_timeout=_REDIS_TIMEOUT_S)
        except ValueError:  # its message may quote the URL
            raise ConfigError("DRAFTER_STATE_URL is not a valid Redis URL: write it as "
                              "redis://[:password@]host[:port][/db]") from None
        # connection_pool is passed on to redis-py's client (limits' bridge takes it out of
        # the options), though its signature types options as scalars.
        storage = RedisStorage(f"async+{url}", implementation="redispy", wrap_exceptions=True,
                               connection_pool=pool)  # type: ignore[arg-type]
        return storage, pool
    raise ConfigError(f"DRAFTER_STATE_URL must start with memory:// or redis:// (also rediss://, "
                      f"redis+unix://); it starts with {scheme or 'no scheme'}://")


@dataclass(frozen=True)
class Limit:
    """One kind of limit (``name`` keeps kinds apart in the shared store)."""

    name: str
    per_minute: int  # 0 = no limit
    burst: int

    @property
    def item(self) -> RateLimitItem:
        window = max(1, math.ceil(self.burst * 60 / self.per_minute))
        return RateLimitItemPerSecond(self.burst, window, namespace="drafter")


class SharedLimits:
    """The app's limits over one store (per app: tests and apps never share counters unless
    they name the same Redis)."""

    def __init__(self, settings: Settings) -> None:
        url = settings.state_url.get_secret_value()
        self.where = describe_state_url(url)
        self.shared = urlsplit(url).scheme in _REDIS_SCHEMES
        storage, self._pool = _storage(url)
        self._limiter = MovingWindowRateLimiter(storage)
        self._storage_check = storage.check

    async def close(self) -> None:
        """Close the connections to Redis (when the app stops)."""
        if self._pool is not None:
            await self._pool.disconnect()

    async def take(self, limit: Limit, who: str) -> float | None:
        """Count one request of ``who``: None if allowed, else the seconds to wait."""
        return await self._ask(limit, who, count=True)

    async def waiting(self, limit: Limit, who: str) -> float | None:
        """Like ``take`` without counting: None if a request of ``who`` would be allowed."""
        return await self._ask(limit, who, count=False)

    async def _ask(self, limit: Limit, who: str, *, count: bool) -> float | None:
        if limit.per_minute <= 0:
            return None
        item = limit.item
        allowed = self._limiter.hit if count else self._limiter.test
        try:
            if await allowed(item, limit.name, who):
                return None
            return await self._wait(item, limit, who)
        except StorageError as exc:
            raise self._down(exc) from None

    async def check(self) -> None:
        """Raise ConfigError, naming the setting, if the store cannot be reached now."""
        try:
            ok = await self._storage_check()
        except Exception:  # the client's own errors: the store is not there
            ok = False
        if not ok:
            raise ConfigError(f"the shared state at {self.where} (DRAFTER_STATE_URL) cannot "
                              "be reached: start Redis or correct the URL (its host, port and "
                              "password), or unset DRAFTER_STATE_URL for one process")

    async def _wait(self, item: RateLimitItem, limit: Limit, who: str) -> float:
        stats = await self._limiter.get_window_stats(item, limit.name, who)
        return max(1.0, stats.reset_time - time.time())

    def _down(self, exc: StorageError) -> StateUnavailable:
        # The store's own message may name the URL; only the kind of failure is kept.
        return StateUnavailable(
            f"the shared rate-limit state ({self.where}) cannot be reached "
            f"({type(exc.storage_error).__name__}); retry shortly", retry_after=_RETRY_WHEN_DOWN_S)
