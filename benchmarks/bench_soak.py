"""Memory over a soak of the API on the instant fake provider (figure 7).

Sends ``--requests`` ``POST /v1/drafts`` of the bundled example to drafter's app in-process
(httpx's ASGI transport: the whole app, middleware and pipeline, without sockets) and prints
the RSS every 1,000 requests. Baseline: the RSS after a 200-request warm-up.

Run: python benchmarks/bench_soak.py [--requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    example_json,
    fake_settings,
    header,
    register_fake_provider,
    row,
    rss_mb,
)


async def _soak(n: int, concurrency: int) -> None:
    import httpx

    from drafter.api.app import create_app

    register_fake_provider()
    app = create_app(fake_settings(max_concurrent_model_calls=256, queue_wait_s=5))
    body = example_json().encode()
    headers = {"content-type": "application/json"}
    errors = 0
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://soak") as client:
        async def batch(count: int) -> None:
            nonlocal errors
            it = iter(range(count))

            async def worker() -> None:
                nonlocal errors
                for _ in it:
                    r = await client.post("/v1/drafts", content=body, headers=headers)
                    errors += r.status_code != 200
            await asyncio.gather(*(worker() for _ in range(concurrency)))

        await batch(200)
        gc.collect()
        start = rss_mb()
        header(f"figure 7: memory over a {n:,}-request soak (fake provider)")
        print(f"RSS after warm-up: {start:.1f} MB")
        t0 = time.perf_counter()
        samples = []
        for done in range(1000, n + 1, 1000):
            await batch(1000)
            samples.append(rss_mb())
            print(f"{done:>6} requests  RSS {samples[-1]:7.1f} MB  ({samples[-1] - start:+.1f})  "
                  f"{done / (time.perf_counter() - t0):.0f} req/s", flush=True)
    # Growth: the second half's mean over the first half's (warm-up noise excluded).
    half = len(samples) // 2
    drift = sum(samples[half:]) / (len(samples) - half) - sum(samples[:half]) / max(half, 1)
    end = samples[-1]
    row(f"RSS over a {n:,}-request soak", f"{end:.1f} MB at the end (non-200: {errors}); "
        f"2nd half vs 1st half {drift:+.1f} MB", f"{start:.1f} MB after warm-up",
        f"{end / start:.3f}x", "no growth beyond noise (< 2% and no trend)",
        end / start < 1.02 and drift < 0.01 * start and errors == 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(_soak(args.requests, args.concurrency))


if __name__ == "__main__":
    main()
