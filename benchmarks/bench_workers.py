"""API throughput of `drafter serve --workers 1` vs `--workers 2` on the instant fake model
(issue 15).

Starts `drafter serve` twice on 127.0.0.1 (free ports), once with one worker and once with
two, each through drafter's own CLI (its settings checks, its uvicorn call with the app
factory and the worker count). The only difference from a production start is the factory
each worker imports: this module's ``serve_app``, which registers the instant fake provider
(benchmarks/_common.py: the one fake model behind litellm, no network) in the worker and then
builds drafter's app exactly as ``drafter.api.app.serve_app`` does. The same bounded load as
figure 3 (httpx, async, fixed concurrency and request count, ``POST /v1/drafts`` of the
bundled example) alternates between the two servers for ``--rounds`` rounds; the ratio is
taken within the run. The load generator runs on the same cores as the workers, which caps
what a second worker can add on a small machine: the CPU line printed beside the figure says
how many there are. Rate limits are off (as in figure 3); nothing is shared through Redis.

Run: python benchmarks/bench_workers.py [--requests N] [--concurrency C] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import FAKE_MODEL, ROOT, example_json, header, median, register_fake_provider, row
from bench_api import _free_port, _load

# The CPU flags that decide how fast Python and llama.cpp run here, printed when present.
_FLAGS = ("sse4_2", "avx", "avx2", "bmi2", "f16c", "fma", "avx512f", "avx512bw", "avx512_vnni",
          "avx_vnni", "amx_tile")


def serve_app() -> Any:
    """The factory each `drafter serve` worker imports here (see the module's doc)."""
    register_fake_provider()
    from drafter.api.app import serve_app as drafter_serve_app

    return drafter_serve_app()


def _serve(workers: int, port: int) -> None:
    """In the child: `drafter serve --workers N`, its workers building their apps above."""
    import drafter.api.app
    from drafter.cli import main

    drafter.api.app.SERVE_APP = "bench_workers:serve_app"
    raise SystemExit(main(["serve", "--host", "127.0.0.1", "--port", str(port),
                           "--workers", str(workers)]))


def cpu_line() -> str:
    info = Path("/proc/cpuinfo").read_text(errors="replace")
    model, flags = "unknown CPU", set[str]()
    for line in info.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and model == "unknown CPU":
            model = value.strip()
        if key.strip() == "flags" and not flags:
            flags = set(value.split())
    shown = " ".join(f for f in _FLAGS if f in flags) or "none of interest"
    no512 = "" if "avx512f" in flags else "; no AVX-512"
    return f"cpu: {model}, {os.cpu_count()} cores, flags: {shown}{no512}"


def _start(workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    import httpx

    port = _free_port()
    # The child's environment: this one (PATH, the virtualenv) with the settings of the run.
    env = {**os.environ, "DRAFTER_MODEL": FAKE_MODEL,  # noqa: TID251
           "DRAFTER_FETCH_URLS": "false",
           "DRAFTER_RATE_LIMIT_PER_MINUTE": "0", "DRAFTER_MAX_CONCURRENT_MODEL_CALLS": "256",
           "DRAFTER_QUEUE_WAIT_S": "5", "DRAFTER_STATE_URL": "memory://",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).resolve().parent)])}
    for name in ("DRAFTER_ROUTER_CONFIG", "DRAFTER_WORKERS", "DRAFTER_API_KEYS"):
        env.pop(name, None)
    # Its JSON logs (a line per request, as in production) go to a file, not the terminal.
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, __file__, "--serve", str(workers), "--port",
                                 str(port)], env=env, start_new_session=True, stdout=out,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90  # a readiness wait: each worker imports drafter
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"drafter serve --workers {workers} exited {proc.returncode}: "
                               + log.read_text(errors="replace")[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc, port
        except httpx.HTTPError:
            time.sleep(0.2)
    _stop(proc)
    raise RuntimeError(f"drafter serve --workers {workers} did not start")


def _cpu_seconds(group: int) -> float:
    """CPU time (user + system) so far of every live process in a process group: the server
    and its workers."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime are fields 14 and 15
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _round(proc: subprocess.Popen[bytes], port: int, n: int, concurrency: int,
           body: bytes) -> tuple[float, int, float, float]:
    """One round: requests/s, non-200s, and the CPU ms per request of the server's processes
    and of this load generator."""
    server0, client0 = _cpu_seconds(proc.pid), time.process_time()
    rate, errors = asyncio.run(_load(port, n, concurrency, body))
    server = (_cpu_seconds(proc.pid) - server0) * 1000 / n
    client = (time.process_time() - client0) * 1000 / n
    return rate, errors, server, client


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.port)
        return
    body = json.dumps(json.loads(example_json())).encode()
    servers: dict[int, tuple[subprocess.Popen[bytes], int]] = {}
    rps: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    errors = dict.fromkeys(rps, 0)
    logs = Path(tempfile.mkdtemp(prefix="drafter-bench-workers-"))
    try:
        for workers in rps:
            servers[workers] = _start(workers, logs / f"serve-{workers}.log")
        for _, port in servers.values():  # warm-up: every worker's first drafts
            asyncio.run(_load(port, 100, args.concurrency, body))
        for _ in range(args.rounds):
            for workers, (proc, port) in servers.items():
                r, e, server, client = _round(proc, port, args.requests, args.concurrency,
                                              body)
                rps[workers].append(r)
                cpu[workers].append((server, client))
                errors[workers] += e
    finally:
        for proc, _ in servers.values():
            _stop(proc)
        shutil.rmtree(logs, ignore_errors=True)
    header("API throughput, drafter serve --workers 1 vs 2 (instant fake model)")
    print(cpu_line())
    for workers, rates in rps.items():
        server = median([c[0] for c in cpu[workers]])
        client = median([c[1] for c in cpu[workers]])
        print(f"--workers {workers} {median(rates):7.1f} req/s (rounds: "
              f"{', '.join(f'{x:.0f}' for x in rates)}; non-200: {errors[workers]}); CPU per "
              f"request: server {server:.1f} ms, load generator {client:.1f} ms; the server "
              f"used {server * median(rates) / 1000:.2f} cores")
    one, two = median(rps[1]), median(rps[2])
    row(f"API throughput, `serve --workers 2`, POST /v1/drafts ({args.concurrency} concurrent,"
        f" {os.cpu_count()} cores)", f"{two:.0f} req/s ({errors[2]} non-200)",
        f"`--workers 1` {one:.0f} req/s ({errors[1]} non-200)", f"{two / one:.2f}x", "> 1x",
        two > one and errors[1] == errors[2] == 0)


if __name__ == "__main__":
    main()
