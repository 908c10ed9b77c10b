"""The registry of embedded models is the one place their names, pins and packages are written:
settings, the weights code and the install files agree with it; weights off their pin are
refused."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from drafter.config import Settings
from drafter.errors import ConfigError, ModelIntegrityError
from drafter.model.registry import (
    DEFAULT_MODEL,
    EMBEDDED_MODELS,
    OWN_GGUF,
    QWEN,
    SMOLLM2,
    embedded_model,
    is_embedded,
)
from drafter.model.weights import check_sha256, resolve_weights, unavailable_reason

ROOT = Path(__file__).resolve().parents[1]


def test_the_default_model_is_a_registered_embedded_model_and_the_settings_default() -> None:
    assert QWEN.id == DEFAULT_MODEL and is_embedded(DEFAULT_MODEL)
    assert Settings.model_fields["model"].default == DEFAULT_MODEL
    assert not is_embedded("gpt-4o-mini") and not is_embedded("openai/embedded")


def test_a_model_is_found_by_its_name_or_its_id() -> None:
    assert embedded_model(SMOLLM2.name) is embedded_model(SMOLLM2.id) is SMOLLM2


def test_an_unknown_embedded_model_names_every_known_one() -> None:
    with pytest.raises(ConfigError) as info:
        embedded_model("embedded/nope")
    assert str(info.value) == (f"unknown embedded model 'embedded/nope': use {QWEN.id}, "
                               f"{SMOLLM2.id} or {OWN_GGUF.id}")


def test_every_packaged_model_is_pinned_and_its_packages_are_in_a_requirements_file() -> None:
    pinned = {m.group(1) for f in (ROOT / "requirements").glob("*.txt")
              for m in re.finditer(r"^([\w.-]+)==\S+ --hash=sha256:", f.read_text(), re.M)}
    for model in EMBEDDED_MODELS.values():
        if model.own_file:
            assert model.sha256 is None and not model.dists
            continue
        assert model.sha256 is not None and re.fullmatch(r"[0-9a-f]{64}", model.sha256)
        assert set(model.dists) <= pinned, model.name
        # Several parts are assembled into the cache under a name that carries the pin.
        assert (len(model.parts) > 1) == (model.assembled_name is not None)
    assert QWEN.assembled_name is not None and QWEN.sha256 is not None
    assert QWEN.sha256[:12] in QWEN.assembled_name


def test_the_own_gguf_needs_a_file_and_an_unknown_model_is_never_ready(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DRAFTER_MODEL_PATH"):
        resolve_weights(OWN_GGUF.name, cache_dir=tmp_path, model_path=tmp_path / "no.gguf")
    with pytest.raises(ConfigError, match="unknown embedded model"):
        resolve_weights("nope", cache_dir=tmp_path, model_path=None)
    assert unavailable_reason("gpt-4o-mini", model_path=None) is None
    assert unavailable_reason("embedded/nope", model_path=None) is not None


def test_weights_that_differ_from_their_pin_are_refused(tmp_path: Path) -> None:
    weights = tmp_path / "m.gguf"
    weights.write_bytes(b"not really a model")
    check_sha256(weights, hashlib.sha256(b"not really a model").hexdigest())
    with pytest.raises(ModelIntegrityError, match="refusing to load it"):
        check_sha256(weights, "0" * 64)


def test_a_verified_file_is_not_hashed_again_until_it_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from drafter.model import weights as w

    monkeypatch.setattr(w, "_VERIFIED", {})  # a new process: nothing verified in memory
    hashed: list[Path] = []
    real = w.sha256_file
    monkeypatch.setattr(w, "sha256_file", lambda p: hashed.append(p) or real(p))
    model, stamps = tmp_path / "m.gguf", tmp_path / "verified"
    model.write_bytes(b"pinned bytes")
    pin = hashlib.sha256(b"pinned bytes").hexdigest()

    check_sha256(model, pin, stamps=stamps)
    assert len(hashed) == 1 and len(list(stamps.iterdir())) == 1
    monkeypatch.setattr(w, "_VERIFIED", {})  # the next start: the stamp alone vouches
    check_sha256(model, pin, stamps=stamps)
    assert len(hashed) == 1
    check_sha256(model, pin, stamps=stamps, full=True)  # verify-model hashes regardless
    assert len(hashed) == 2

    # Same size, new bytes: the mtime moves, so the stamp no longer vouches and the hash
    # refuses the file.
    model.write_bytes(b"pinned bytez")
    st = model.stat()
    os.utime(model, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    monkeypatch.setattr(w, "_VERIFIED", {})
    with pytest.raises(ModelIntegrityError, match="refusing to load it"):
        check_sha256(model, pin, stamps=stamps)
    assert len(hashed) == 3


def test_a_stamp_for_another_pin_or_unreadable_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.model import weights as w

    monkeypatch.setattr(w, "_VERIFIED", {})
    model, stamps = tmp_path / "m.gguf", tmp_path / "verified"
    model.write_bytes(b"other bytes")
    check_sha256(model, hashlib.sha256(b"other bytes").hexdigest(), stamps=stamps)
    monkeypatch.setattr(w, "_VERIFIED", {})
    # The stamp vouches for its own digest only: a different pin hashes again and refuses.
    with pytest.raises(ModelIntegrityError):
        check_sha256(model, "0" * 64, stamps=stamps)
    stamp = next(stamps.iterdir())
    stamp.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(w, "_VERIFIED", {})
    hashed: list[Path] = []
    real = w.sha256_file
    monkeypatch.setattr(w, "sha256_file", lambda p: hashed.append(p) or real(p))
    check_sha256(model, hashlib.sha256(b"other bytes").hexdigest(), stamps=stamps)
    assert hashed == [model]


def test_verify_model_refuses_a_provider_model(capsys: pytest.CaptureFixture[str]) -> None:
    from drafter.cli import main

    assert main(["verify-model", "--model", "openai/gpt-4o-mini"]) != 0
    assert "not an embedded model" in capsys.readouterr().err
