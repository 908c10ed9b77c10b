"""Real databases for the history's tests: a SQLite file, and a throwaway PostgreSQL cluster.

The cluster is made by the tests themselves (initdb + pg_ctl in a temporary directory, on a
free port, as ``nobody`` when the tests run as root, since postgres refuses root) once per
session, and stopped after. scripts/test installs Debian's ``postgresql`` package when it is
missing; where it cannot, the PostgreSQL tests skip and say why. No database is mocked.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from drafter.config import Settings

BACKENDS = ["sqlite", "postgresql"]


def _pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Cluster:
    def __init__(self, bindir: Path, root: Path, port: int, as_user: list[str]) -> None:
        self.bindir, self.root, self.port, self.as_user = bindir, root, port, as_user

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, str(self.bindir / tool), *args],
                              capture_output=True, text=True, timeout=120, check=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl): scripts/test installs "
                    "Debian's postgresql package; the PostgreSQL history tests did not run")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (drafter[test] brings it): the PostgreSQL "
                    "history tests did not run")
    root = Path(tempfile.mkdtemp(prefix="drafter-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres will not run as root
        runuser = shutil.which("runuser")
        if runuser is None:
            shutil.rmtree(root)
            pytest.skip("running as root without runuser: cannot start PostgreSQL as nobody")
        as_user = [runuser, "-u", "nobody", "--"]
        os.chmod(root, 0o755)  # nobody must reach its own directory inside
        shutil.chown(root, "nobody")
    cluster = Cluster(bindir, root, _free_port(), as_user)
    made = cluster.run("initdb", "-D", str(root / "data"), "-U", "postgres", "--auth=trust",
                       "-E", "UTF8", "--no-sync")
    if made.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"initdb failed: {made.stderr[-2000:]}")
    options = (f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c full_page_writes=off")
    started = cluster.run("pg_ctl", "-D", str(root / "data"), "-o", options, "-l",
                          str(root / "log"), "-w", "-t", "60", "start")
    if started.returncode != 0:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"pg_ctl start failed: {started.stderr[-1000:]} {log[-2000:]}")
    try:
        yield cluster
    finally:
        cluster.run("pg_ctl", "-D", str(root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(postgres: Cluster) -> str:
    """A fresh, empty database on the session's cluster."""
    from sqlalchemy import create_engine, text

    name = "t_" + secrets.token_hex(6)
    engine = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return postgres.url(name)


@pytest.fixture(params=BACKENDS)
def history_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings whose history is a real SQLite file, or a real PostgreSQL database."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return Settings(model="fake/scripted", cache_dir=tmp_path / "cache",
                    data_dir=tmp_path / "data", config_dir=tmp_path / "config",
                    history_url=SecretStr(url) if url else None)
