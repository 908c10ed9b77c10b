"""A real Redis for the shared-limits tests: Debian's ``redis-server``, started by the tests on
a free port in a temporary directory (no persistence, a password so the tests can check it
never leaks), once per session, and shut down after. scripts/test installs the package when
it is missing; where it cannot, these tests skip and say why. Redis is never mocked."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class RedisServer:
    port: int
    password: str

    def url(self, db: int = 0) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{db}"


def _wait_until_up(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 30  # a readiness wait, not an assertion on time
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"redis-server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(64):  # +PONG, or -NOAUTH: either way it is serving
                    return
        except OSError:
            time.sleep(0.05)
    pytest.fail("redis-server did not start within 30 s")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed: scripts/test installs Debian's "
                    "redis-server package; the shared-limits tests against Redis did not run")
    try:
        import redis  # noqa: F401
    except ImportError:
        pytest.skip("the redis client is not installed (drafter brings it)")
    root = Path(tempfile.mkdtemp(prefix="drafter-redis-"))
    server = RedisServer(free_port(), "pw-" + secrets.token_hex(8))
    log = root / "redis.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "--port", str(server.port), "--bind", "127.0.0.1", "--dir", str(root),
             "--save", "", "--appendonly", "no", "--requirepass", server.password,
             "--daemonize", "no"],
            stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, server.port, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """A database of the session's server, emptied before the test."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=redis_server.port,
                         password=redis_server.password)
    client.flushall()
    client.close()
    yield redis_server.url()




# --- `drafter serve --workers N` as a real process group (its environment: the test's) -------

def serve_workers(port: int, log: Path, workers: int = 2) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "drafter", "serve", "--port", str(port),
             "--workers", str(workers)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def until_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 90  # a readiness wait (two workers import drafter)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = log.read_text(errors="replace")
            pytest.fail(f"drafter serve exited {process.returncode}: {out[-3000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    pytest.fail("drafter serve did not answer /healthz")


def stop_serving(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# Apps a test builds on httpx's ASGI transport, which runs no lifespan: closed after the test
# as the lifespan closes them (the limits' Redis and the model clients' connections).
_OPENED: list[Any] = []


def opened(app: Any) -> Any:
    """``app``, to be closed after the test."""
    _OPENED.append(app)
    return app


@pytest.fixture(autouse=True)
async def _apps_closed() -> AsyncIterator[None]:
    yield
    while _OPENED:
        app = _OPENED.pop()
        await app.state.limits.close()
        await app.state.clients.close()
