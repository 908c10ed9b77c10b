"""API throughput on an instant fake provider vs a bare FastAPI endpoint (figure 3).

Starts uvicorn on 127.0.0.1 (a free port) in a child process, once with drafter's app
(``POST /v1/drafts`` of the bundled example) and once with a bare FastAPI app whose one
endpoint reads the same JSON body and makes the same ``litellm.acompletion`` call. A bounded
load (httpx, async, fixed concurrency and request count) measures requests per second; the
servers alternate for ``--rounds`` rounds. Loopback only; every child is stopped.

Every request is a different one (the sender's "about" and the work carry the request's
number), as real traffic is: a cache keyed on the request's text must not flatter drafter by
seeing the same request 600 times. ``--before DIR`` also serves drafter from another checkout
(e.g. ``git worktree add /tmp/before HEAD~3``) in the same rounds, so a change's before and
after ratios come from one run.

Run: python benchmarks/bench_api.py [--requests N] [--concurrency C] [--rounds R] [--before DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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


def _bodies(n: int) -> list[bytes]:
    """``n`` different requests: the example, numbered in the sender's about and the work."""
    out = []
    for i in range(n):
        data = json.loads(example_json())
        data["sender"]["about"] += f" (team {i})"
        work = data["recipient"]["works"][0]
        work["text"] += f"\n\nNotes, part {i}."
        out.append(json.dumps(data).encode())
    return out


async def _load(port: int, n: int, concurrency: int, bodies: list[bytes]) -> tuple[float, int]:
    import httpx

    url = f"http://127.0.0.1:{port}/v1/drafts"
    errors = 0
    queue = iter(range(n))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            for i in queue:
                r = await client.post(url, content=bodies[i % len(bodies)],
                                      headers={"content-type": "application/json"})
                errors += r.status_code != 200
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return n / (time.perf_counter() - t0), errors


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used: a server's CPU per request is what
    bounds its throughput on a loaded machine, and it varies far less than requests/s."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start(kind: str, tree: str | None = None) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = None
    if tree is not None:  # drafter imported from that checkout
        env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve()))  # noqa: TID251
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port)],
                            env=env)
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
    parser.add_argument("--before", metavar="DIR",
                        help="also serve drafter from this checkout, in the same rounds")
    parser.add_argument("--serve", choices=["drafter", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    # A different request every time, across rounds and servers too.
    bodies = iter(_bodies((args.requests * args.rounds + 100) * (3 if args.before else 2)))

    def take(n: int) -> list[bytes]:
        return [next(bodies) for _ in range(n)]

    servers = {kind: _start(kind) for kind in ("bare", "drafter")}
    if args.before:
        servers["before"] = _start("drafter", args.before)
    rps: dict[str, list[float]] = {k: [] for k in servers}
    cpu_ms: dict[str, list[float]] = {k: [] for k in servers}
    errors = dict.fromkeys(servers, 0)
    try:
        for _, port in servers.values():  # warm-up
            asyncio.run(_load(port, 100, args.concurrency, take(100)))
        for _ in range(args.rounds):
            for kind, (proc, port) in servers.items():
                used = _cpu_s(proc.pid)
                r, e = asyncio.run(_load(port, args.requests, args.concurrency,
                                         take(args.requests)))
                cpu_ms[kind].append((_cpu_s(proc.pid) - used) * 1000 / args.requests)
                rps[kind].append(r)
                errors[kind] += e
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(10)
    header("figure 3: API throughput (instant fake provider)")
    for kind in servers:
        print(f"{kind:<8} {median(rps[kind]):7.1f} req/s (rounds: "
              f"{', '.join(f'{x:.0f}' for x in rps[kind])}; non-200: {errors[kind]}); "
              f"server CPU {median(cpu_ms[kind]):.2f} ms/request")
    d, b = median(rps["drafter"]), median(rps["bare"])
    cd, cb = median(cpu_ms["drafter"]), median(cpu_ms["bare"])
    print(f"server CPU per request, bare / drafter: {cb / cd:.2f}x")
    if args.before:
        before = median(rps["before"])
        print(f"ratio to bare: before {before / b:.2f}x ({args.before}), after {d / b:.2f}x; "
              f"by server CPU per request: before {cb / median(cpu_ms['before']):.2f}x, "
              f"after {cb / cd:.2f}x")
    row(f"API throughput, POST /v1/drafts ({args.concurrency} concurrent)",
        f"{d:.0f} req/s ({errors['drafter']} non-200)", f"bare FastAPI + litellm {b:.0f} req/s",
        f"{d / b:.2f}x", ">= 0.8x", d / b >= 0.8 and errors["drafter"] == 0)
    row("API server CPU per request, POST /v1/drafts", f"{cd:.2f} ms",
        f"bare FastAPI + litellm {cb:.2f} ms", f"{cb / cd:.2f}x (bare/drafter)", ">= 0.8x",
        cb / cd >= 0.8)


if __name__ == "__main__":
    main()
