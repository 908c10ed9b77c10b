"""The model pool file (``DRAFTER_ROUTER_CONFIG``): several deployments of the model drafter
drafts with, read and validated here; ``drafter.model.litellm_client`` turns it into a litellm
Router (this module imports no litellm).

::

    deployments:            # one pool: requests are spread over them; a failing one cools down
      - model: hosted_vllm/Qwen/Qwen2.5-7B-Instruct
        api_base: http://10.0.0.21:8000/v1
      - model: hosted_vllm/Qwen/Qwen2.5-7B-Instruct
        api_base: http://10.0.0.22:8000/v1
    fallbacks:              # in order, when the whole pool cannot answer (never after a 4xx)
      - model: openai/gpt-4o-mini
        api_key_env: OPENAI_API_KEY
    retries: 2              # only on timeouts, 429, 5xx and connection errors
    cooldown_s: 60
    allowed_fails: 1

The file is the server operator's; a request still names no model and no address. Keys are
never written in it: ``api_key_env`` names the environment variable that holds one (a
deployment with an ``api_base`` and no ``api_key_env`` is sent a placeholder key, as servers of
one's own, llama.cpp's, vLLM or Ollama, need none).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from drafter.errors import ConfigError
from drafter.model.registry import is_embedded

__all__ = ["POOL", "Deployment", "RouterConfig", "load_router_config"]

# The model groups' names, which drafter's settings, results and messages show (the pool's is
# what DRAFTER_MODEL reads with a router file: drafter.config.ROUTER_MODEL).
POOL = "router/pool"
_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"


class Deployment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model: Annotated[str, Field(min_length=1, max_length=200)]
    api_base: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)] | None = None
    api_key_env: Annotated[str, Field(pattern=_ENV_NAME)] | None = None
    # How the Router spreads requests over the pool: in proportion to rpm or weight.
    rpm: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    weight: Annotated[int, Field(ge=1, le=1000)] | None = None

    @field_validator("model")
    @classmethod
    def _not_embedded(cls, value: str) -> str:
        if is_embedded(value):
            raise ValueError("an embedded model runs inside one drafter process and cannot be "
                             "a deployment of a pool: serve the GGUF with llama.cpp's server "
                             "or Ollama and list that (openai/... or ollama/... with api_base)")
        return value


class RouterConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    deployments: Annotated[list[Deployment], Field(min_length=1, max_length=64)]
    fallbacks: Annotated[list[Deployment], Field(max_length=8)] = []
    retries: Annotated[int, Field(ge=0, le=5)] = 2
    cooldown_s: Annotated[float, Field(gt=0, le=3600)] = 60.0
    allowed_fails: Annotated[int, Field(ge=0, le=1000)] = 1

    def groups(self) -> list[tuple[str, list[Deployment]]]:
        """The model groups, in the order they are tried: the pool, then each fallback."""
        return [(POOL, list(self.deployments)),
                *((f"router/fallback-{i}", [d]) for i, d in enumerate(self.fallbacks, 1))]


def load_router_config(path: Path) -> RouterConfig:
    """Read and validate the file; every problem is a ConfigError naming the file and field."""
    where = f"DRAFTER_ROUTER_CONFIG {path}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where} cannot be read ({exc.strerror}); check the path") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where} is not valid YAML{line}; fix the file") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping with a 'deployments' list (see "
                          "docs/deploy.md)")
    try:
        return RouterConfig.model_validate(raw)
    except ValidationError as exc:
        # The field and what is wrong with it; never the value (it may be a URL with a token).
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)[:5])
        raise ConfigError(f"{where} is invalid: {problems}") from None
