"""The hash locks (requirements/*.lock) agree with pyproject.toml's pins: an install from them
(scripts/setup.sh, the Dockerfile) is the tested set of packages, every one checked by hash."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQ = ROOT / "requirements"


def _pins(specs: list[str]) -> dict[str, str]:
    out = {}
    for spec in specs:
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;,]+)", spec)
        assert m, f"every dependency is pinned exactly: {spec!r}"
        out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def _lock(name: str) -> dict[str, str]:
    text = (REQ / name).read_text(encoding="utf-8")
    hashes = r"((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)"
    entries = re.findall(r"^([a-z0-9_.-]+)==(\S+) \\\n" + hashes, text, re.MULTILINE)
    names = re.findall(r"^([a-z0-9_.-]+)==", text, re.MULTILINE)
    assert len(entries) == len(names), "every locked package carries its hashes"
    return {n: v for n, v, _ in entries}


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize(("lock", "extras"), [("runtime.lock", ["local"]),
                                              ("test.lock", ["local", "test"])])
def test_threat_44_each_lock_holds_every_pin_of_pyproject_at_its_version(lock: str,
                                                               extras: list[str]) -> None:
    project = _project()
    optional = project["optional-dependencies"]
    assert isinstance(optional, dict)
    wanted = _pins([*project["dependencies"], *(d for e in extras for d in optional[e])])  # type: ignore[misc]
    wanted.pop("llama-cpp-python")  # built from its hashed source (requirements/llama.txt)
    locked = _lock(lock)
    assert {n: locked.get(n) for n in wanted} == wanted
    build = (REQ / "build.in").read_text(encoding="utf-8")
    assert _pins([ln for ln in build.splitlines() if ln and not ln.startswith("#")]).items() \
        <= locked.items(), "the build backend is locked too (--no-build-isolation)"


def test_threat_44_the_llama_source_is_pinned_by_hash_at_the_version_setup_builds() -> None:
    text = (REQ / "llama.txt").read_text(encoding="utf-8")
    m = re.search(r"^llama-cpp-python==(\S+) \\\n    --hash=sha256:[0-9a-f]{64}$", text,
                  re.MULTILINE)
    assert m
    local = _project()["optional-dependencies"]
    assert isinstance(local, dict)
    assert f"llama-cpp-python=={m.group(1)}" in local["local"]
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert f"LLAMA_VERSION={m.group(1)}\n" in setup
    assert re.search(r"--require-hashes[^\n]*\\\n\s*-r requirements/llama\.txt", setup)
