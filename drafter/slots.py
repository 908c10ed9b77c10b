"""A cap on how many things of one kind run at once: model calls, page fetches.

A counter rather than an ``asyncio.Semaphore``: it binds to no event loop (an app may be
driven by several, as the tests do), and the wait for a free slot is a short bounded poll, so
a saturated service answers 503 quickly instead of queueing without limit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from drafter.errors import Busy

__all__ = ["Slots"]


@dataclass
class Slots:
    """At most ``limit`` holders at once; a newcomer waits up to ``wait_s``, then gets Busy."""

    limit: int
    wait_s: float
    what: str  # "messages being written", "pages being fetched": for the error's detail
    in_use: int = 0

    async def acquire(self) -> None:
        give_up = time.monotonic() + self.wait_s
        while self.in_use >= self.limit:
            if time.monotonic() >= give_up:
                raise Busy(f"drafter has {self.limit} {self.what} already; retry in a few "
                           "seconds", retry_after=max(1.0, self.wait_s * 4))
            await asyncio.sleep(0.02)
        self.in_use += 1

    def release(self) -> None:
        self.in_use -= 1

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()
