"""Bounded load test: the real API (uvicorn on 127.0.0.1, random port) over a fake
OpenAI-compatible provider that injects faults into 20% of calls and otherwise serves the one
fake model's replies (``drafter.model.testing``; the provider is tests/hardening/provider.py).

    .venv/bin/python scripts/loadtest.py [--requests 2000] [--concurrency 16]

Loopback only; stops by itself. Reports hangs, 5xx other than the mapped 502/503/504,
malformed bodies, secrets seen in responses or logs (all must be 0; exit 1 otherwise) and the
server process's RSS before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psutil  # noqa: E402
import uvicorn  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from drafter.api.app import create_app  # noqa: E402
from drafter.config import Settings  # noqa: E402
from drafter.logs import JsonFormatter  # noqa: E402
from tests.hardening.provider import FakeProvider  # noqa: E402

KEY = "sk-loadtest-SECRET-5d1f0c9e"
CLIENT_KEY = "client-loadtest-SECRET-77"
MAPPED = {502, 503, 504}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_api(provider: FakeProvider, port: int) -> uvicorn.Server:
    settings = Settings(model="openai/chaos", api_base=provider.url, api_key=SecretStr(KEY),
                        api_keys=SecretStr(CLIENT_KEY), timeout_s=5, retry_backoff_s=0.05,
                        rate_limit_per_minute=0, max_concurrent_model_calls=16,
                        queue_wait_s=2, request_timeout_s=20)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def check(r: httpx.Response, tally: Counter[str]) -> None:
    tally[str(r.status_code)] += 1
    if r.status_code >= 500 and r.status_code not in MAPPED:
        tally["bad_5xx"] += 1
    if KEY in r.text or KEY in str(r.headers) or CLIENT_KEY in r.text:
        tally["secrets_in_responses"] += 1
    try:
        body = r.json()
        ok = "drafts" in body if r.status_code == 200 else (
            r.headers["content-type"].startswith("application/problem+json")
            and body["status"] == r.status_code and body["type"].startswith("urn:drafter:"))
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        tally["malformed_bodies"] += 1


async def hammer(url: str, data: dict[str, Any], n: int, concurrency: int,
                 tally: Counter[str]) -> None:
    queue = iter(range(n))
    headers = {"X-API-Key": CLIENT_KEY}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:

        async def worker() -> None:
            for _ in queue:
                try:
                    r = await client.post("/v1/drafts", json=data, headers=headers)
                except httpx.TimeoutException:
                    tally["hangs"] += 1
                    continue
                check(r, tally)

        await asyncio.gather(*(worker() for _ in range(concurrency)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    logs = io.StringIO()
    handler = logging.StreamHandler(logs)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    data = json.loads((ROOT / "drafter" / "examples" / "dana-li.json").read_text())
    process = psutil.Process()
    tally: Counter[str] = Counter()
    with FakeProvider() as provider:
        port = free_port()
        server = start_api(provider, port)
        url = f"http://127.0.0.1:{port}"
        asyncio.run(hammer(url, data, 50, 8, Counter()))  # warm-up: imports, caches
        rss_before = process.memory_info().rss
        started = time.monotonic()
        asyncio.run(hammer(url, data, args.requests, args.concurrency, tally))
        seconds = time.monotonic() - started
        rss_after = process.memory_info().rss
        server.should_exit = True
        time.sleep(0.5)
        provider_calls = len(provider.seen)
    text = logs.getvalue()
    tally["secrets_in_logs"] = sum(text.count(s) for s in (KEY, CLIENT_KEY, data["goal"]))
    return report(args.requests, seconds, tally, provider_calls, before=rss_before,
                  after=rss_after)


def report(n: int, seconds: float, tally: Counter[str], calls: int, *, before: int,
           after: int) -> int:
    must_be_zero = ("hangs", "bad_5xx", "malformed_bodies", "secrets_in_responses",
                    "secrets_in_logs")
    statuses = {k: v for k, v in sorted(tally.items()) if k.isdigit()}
    print(f"requests: {n} in {seconds:.1f} s ({n / seconds:.0f}/s); provider calls: {calls}")
    print(f"statuses: {statuses}")
    for name in must_be_zero:
        print(f"{name}: {tally[name]}")
    print(f"rss: {before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB after "
          f"({(after - before) / 2**20:+.1f} MiB)")
    return 1 if any(tally[name] for name in must_be_zero) else 0


if __name__ == "__main__":
    sys.exit(main())
