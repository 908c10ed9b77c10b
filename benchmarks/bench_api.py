"""API throughput on an instant fake provider vs a bare FastAPI endpoint (figure 3).

Starts uvicorn on 127.0.0.1 (a free port) in a child process, once with drafter's app
(``POST /v1/drafts`` of the bundled example) and once with a bare FastAPI app whose one
endpoint reads the same JSON body and makes the same ``litellm.acompletion`` call. A bounded
load (httpx, async, fixed concurrency and request count) measures requests per second; the
two servers alternate for ``--rounds`` rounds. Loopback only; every child is stopped.

Run: python benchmarks/bench_api.py [--requests N] [--concurrency C] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    FAKE_MODEL,
    example_json,
    example_messages,
    fake_settings,
    header,
    median,
    register_fake_provider,
    row,
)


def _bare_app() -> Any:
    import litellm  # noqa: TID251 - the baseline is a bare litellm call
    from fastapi import Body, FastAPI

    messages, schema = example_messages()
    settings = fake_settings()
    app = FastAPI()

    @app.post("/v1/drafts")
    async def drafts(body: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
        response = await asyncio.wait_for(litellm.acompletion(
            model=FAKE_MODEL, messages=messages, max_tokens=settings.max_tokens,
            temperature=settings.temperature, seed=settings.seed, timeout=120, num_retries=0,
            response_format={"type": "json_schema",
                             "json_schema": {"name": "reply", "schema": schema}}), 120)
        return {"text": response.choices[0].message.content}

    return app


def serve(kind: str, port: int) -> None:
    import uvicorn

    register_fake_provider()
    if kind == "drafter":
        from drafter.api.app import create_app

        app = create_app(fake_settings(max_concurrent_model_calls=256, queue_wait_s=5))
    else:
        app = _bare_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _load(port: int, n: int, concurrency: int, body: bytes) -> tuple[float, int]:
    import httpx

    url = f"http://127.0.0.1:{port}/v1/drafts"
    errors = 0
    queue = iter(range(n))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            for _ in queue:
                r = await client.post(url, content=body,
                                      headers={"content-type": "application/json"})
                errors += r.status_code != 200
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return n / (time.perf_counter() - t0), errors


def _start(kind: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"the {kind} server exited") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"the {kind} server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", choices=["drafter", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    body = json.dumps(json.loads(example_json())).encode()
    servers = {kind: _start(kind) for kind in ("bare", "drafter")}
    rps: dict[str, list[float]] = {k: [] for k in servers}
    errors = dict.fromkeys(servers, 0)
    try:
        for _, port in servers.values():  # warm-up
            asyncio.run(_load(port, 100, args.concurrency, body))
        for _ in range(args.rounds):
            for kind, (_, port) in servers.items():
                r, e = asyncio.run(_load(port, args.requests, args.concurrency, body))
                rps[kind].append(r)
                errors[kind] += e
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(10)
    header("figure 3: API throughput (instant fake provider)")
    for kind in servers:
        print(f"{kind:<8} {median(rps[kind]):7.1f} req/s (rounds: "
              f"{', '.join(f'{x:.0f}' for x in rps[kind])}; non-200: {errors[kind]})")
    d, b = median(rps["drafter"]), median(rps["bare"])
    row(f"API throughput, POST /v1/drafts ({args.concurrency} concurrent)",
        f"{d:.0f} req/s ({errors['drafter']} non-200)", f"bare FastAPI + litellm {b:.0f} req/s",
        f"{d / b:.2f}x", ">= 0.8x", d / b >= 0.8 and errors["drafter"] == 0)


if __name__ == "__main__":
    main()
