"""Writing eval files safely when several processes share a directory.

Two eval runs can share a model-call cache (``--cache-dir``) or a fixtures directory, and a run
can be killed at any moment. A fixed temporary name (``key.tmp``) lets two writers truncate
each other's file and rename it away under the other's feet, so every write here goes to a
temporary file with a unique name in the target's directory (``os.replace`` is atomic only
within one file system) and is renamed over the target once complete: a reader sees the old
file or the new one, never a half-written one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]

_MODE = 0o644  # mkstemp creates 0600; reports and fixtures are read like any written file


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (creating its directory) so that no reader sees it half done."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())  # the data is on disk before the name points at it
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path
