"""Settings: the only module that reads the environment.

Settings are read once by a surface (CLI, API app factory, eval runner) and passed in; nothing
imports a settings singleton.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from drafter.model.registry import DEFAULT_MODEL, OWN_GGUF

__all__ = [
    "Decoding",
    "Settings",
    "env_flag",
    "load_settings",
    "pass_to_workers",
    "prepare_litellm_env",
    "provider_key",
]

# What DRAFTER_MODEL reads when DRAFTER_ROUTER_CONFIG names a pool (drafter.model.router_config).
ROUTER_MODEL = "router/pool"


# How the embedded model is held to a reply's JSON schema (see the setting below); declared
# here, where the runtime (which needs numpy) reads it too.
Decoding = Literal["guided", "grammar", "free"]


def _xdg_dir(variable: str, fallback: str) -> Path:
    # An empty or relative value is ignored, as the XDG base directory specification says.
    xdg = os.environ.get(variable)
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / fallback
    return base / "drafter"


def _default_cache_dir() -> Path:
    return _xdg_dir("XDG_CACHE_HOME", ".cache")


def _default_config_dir() -> Path:
    return _xdg_dir("XDG_CONFIG_HOME", ".config")


def _default_data_dir() -> Path:
    return _xdg_dir("XDG_DATA_HOME", ".local/share")


class Settings(BaseSettings):
    """Every knob, from ``DRAFTER_*`` environment variables (no ``.env`` file is read)."""

    model_config = SettingsConfigDict(env_prefix="DRAFTER_", extra="ignore", frozen=True)

    model: str = Field(
        default=DEFAULT_MODEL,
        description="Any litellm model string (gpt-4o-mini, anthropic/..., ollama/...) or "
        "one of the embedded models.",
    )
    model_path: Path | None = Field(
        default=None, description=f"Your own GGUF file, used with model={OWN_GGUF.id}."
    )
    api_key: SecretStr | None = Field(default=None, description="The provider's API key.")
    api_base: str | None = Field(default=None, description="The provider's base URL.")
    fallback_model: str | None = None
    # A pool of deployments of the model, with fallbacks, retries and cooldowns: a YAML file
    # (drafter.model.router_config) turned into a litellm Router. When set, the model is the
    # pool's (DRAFTER_MODEL reads router/pool).
    router_config: Path | None = Field(
        default=None, description="A YAML file listing deployments of the model (a litellm "
        "Router: fallbacks, retries on retryable errors, cooldowns); see docs/deploy.md.")
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    timeout_s: Annotated[float, Field(gt=0, le=600)] = 120.0
    max_repairs: Annotated[int, Field(ge=0, le=3)] = 1
    retry_backoff_s: Annotated[float, Field(ge=0, le=30)] = 0.5  # doubles per retry
    temperature: Annotated[float, Field(ge=0, le=2)] = 0.4
    seed: int = 7
    max_tokens: Annotated[int, Field(ge=64, le=2048)] = 200
    n_threads: Annotated[int, Field(ge=0, le=64)] = 0  # 0 = all cores
    n_ctx: Annotated[int, Field(ge=512, le=32768)] = 2048
    # How the embedded model is held to the reply's JSON schema: "guided" writes the structure
    # itself and lets the model decode only the values (drafter.model.guided; fastest), "grammar"
    # uses llama.cpp's grammar sampler (checks all 151k tokens per step: several times slower
    # on two cores), "free" lets the model write everything (validated and repaired after).
    embedded_decoding: Decoding = "guided"
    # ~90 prompt tokens/s on 2 cores: every 400 characters of evidence costs about a second.
    evidence_budget_chars: Annotated[int, Field(ge=200, le=8000)] = 700
    goal_reader: bool = Field(default=True, description="Ask the model, in one short call "
                              "before drafting, whether the goal asks a stranger for too much "
                              "(drafter.reading); false leaves it to the phrase rules.")
    bio_writer: bool = Field(default=True, description="Ask the model, in one short call "
                             "before drafting, to write the sender's introduction from their "
                             "notes (drafter.bio; validated, else the rules write it); false "
                             "leaves it to the rules.")
    fetch_urls: bool = Field(default=True, description="Fetch works given by URL (SSRF-safe).")
    fetch_max_bytes: Annotated[int, Field(ge=10_000, le=20_000_000)] = 2_000_000
    fetch_timeout_s: Annotated[float, Field(gt=0, le=60)] = 10.0
    fetch_allowed_ports: list[Annotated[int, Field(ge=1, le=65535)]] = Field(
        default_factory=lambda: [80, 443], description="Ports a work's URL may use (JSON list).")
    # HTTP service limits (drafter serve); see drafter.api.security.
    api_keys: SecretStr | None = Field(
        default=None, description="Comma-separated keys clients must send in X-API-Key; "
        "unset = no keys (the API is open).")
    # drafter serve refuses to listen beyond loopback with no API keys (an open API that
    # fetches URLs and spends model time for anyone who can reach it) unless this is set.
    allow_open_network: bool = Field(
        default=False, description="Let `drafter serve` listen on a non-loopback address "
        "without API keys.")
    request_timeout_s: Annotated[float, Field(gt=0, le=3600)] = 300.0
    rate_limit_per_minute: Annotated[int, Field(ge=0, le=100_000)] = 60  # 0 = no limit
    rate_limit_burst: Annotated[int, Field(ge=1, le=10_000)] = 10
    # Where the rate limits' counters live (drafter.api.ratelimits): memory:// is this process
    # only; redis://[:password@]host:port/db is shared by every worker and replica naming it.
    # SecretStr: the URL may carry Redis's password, and settings are sometimes printed.
    state_url: SecretStr = Field(
        default=SecretStr("memory://"), description="memory:// (one process) or redis://... "
        "(rate limits shared by every worker and replica using the same Redis).")
    # Requests with a wrong or missing API key, per client address (0 = no limit): beyond it,
    # 429 whatever key is sent, so keys cannot be guessed at speed.
    auth_failures_per_minute: Annotated[int, Field(ge=0, le=100_000)] = 10
    max_concurrent_model_calls: Annotated[int, Field(ge=1, le=256)] = 4
    # Fetching a page holds no model slot (a slow URL would starve the model): it has its own.
    max_concurrent_fetches: Annotated[int, Field(ge=1, le=256)] = 8
    queue_wait_s: Annotated[float, Field(ge=0, le=60)] = 0.5
    max_body_bytes: Annotated[int, Field(ge=1024, le=16 << 20)] = 256 * 1024
    # A client that sends its body a byte at a time (slowloris) holds a connection: the whole
    # body must arrive within this, else 408.
    body_timeout_s: Annotated[float, Field(gt=0, le=600)] = 10.0
    # drafter serve: open connections at once (uvicorn answers 503 beyond), and how long an idle
    # keep-alive connection is held.
    max_connections: Annotated[int, Field(ge=1, le=100_000)] = 100
    keep_alive_s: Annotated[int, Field(ge=1, le=300)] = 5
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list); empty = "
        "CORS off.")
    shutdown_grace_s: Annotated[float, Field(ge=0, le=600)] = 30.0
    # drafter serve: worker processes (uvicorn forks them; each builds its own app from these
    # settings, read again in the worker by drafter.api.app.serve_app).
    workers: Annotated[int, Field(ge=1, le=64)] = Field(
        default=1, description="`drafter serve`: worker processes. With the embedded model, "
        "more than one is refused unless allow_embedded_workers is set.")
    # Each worker would load its own copy of the embedded model's weights (~1.1 GB for the
    # default) and its llama.cpp would use every core: W workers cost W copies and fight over
    # the cores. Refused unless this says it was measured and fits.
    allow_embedded_workers: bool = Field(
        default=False, description="Let `drafter serve --workers N` (N > 1) run with the "
        "embedded model: N copies of its weights in memory, N llama.cpps sharing the cores.")
    trusted_proxies: list[str] = Field(
        default_factory=list, description="Addresses or networks (JSON list, e.g. "
        '["10.0.0.5", "10.1.0.0/16"]) of reverse proxies whose X-Forwarded-For names the '
        "client; empty = the connecting address is the client, whoever it is.")
    # Local records the CLI keeps for the user (drafter.profile, drafter.history).
    config_dir: Path = Field(default_factory=_default_config_dir, description="Where sender "
                             "profiles live (profiles.toml).")
    data_dir: Path = Field(default_factory=_default_data_dir, description="Where the history "
                           "database lives by default (history.sqlite3).")
    history: bool = Field(default=True, description="Keep a history of the drafts made "
                          "through the CLI; false = nothing is stored.")
    # SecretStr: a PostgreSQL URL may carry a password, and settings are sometimes printed.
    history_url: SecretStr | None = Field(
        default=None, description="Any SQLAlchemy URL for the history (e.g. "
        "postgresql+psycopg://user@host/db); unset = SQLite in data_dir.")
    # The HTTP API's own store (drafter.api.history): off unless set, because a server that
    # kept every caller's drafts by default would hold text its users never asked it to keep.
    api_history_url: SecretStr | None = Field(
        default=None, description="A SQLAlchemy URL where `drafter serve` keeps each API "
        "key's drafts (GET /v1/drafts); unset = the API stores nothing. Needs API keys.")
    history_retention_days: Annotated[int, Field(ge=0, le=36_500)] = Field(
        default=0, description="Drafts older than this many days are deleted whenever the "
        "history is opened; 0 = keep until forgotten.")


    @model_validator(mode="before")
    @classmethod
    def _pool_is_the_model(cls, data: object) -> object:
        # With a pool, the model is the pool. A DRAFTER_MODEL or fallback set beside it is
        # refused by the client (drafter.model.litellm_client), with the fix: not here, where a
        # validation error would print every setting's raw value, keys included.
        if isinstance(data, dict) and data.get("router_config") and not data.get("model"):
            return {**data, "model": ROUTER_MODEL}
        return data


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; explicit overrides win (CLI flags)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]


@contextmanager
def pass_to_workers(**overrides: object) -> Iterator[None]:
    """While the block runs, the CLI's overrides (``drafter serve --model ...``) are what every
    worker process reads; afterwards the environment is as it was.

    uvicorn starts each worker in a fresh interpreter that builds its app from ``load_settings``
    (drafter.api.app.serve_app), so an override must reach it the way every setting does: as
    its ``DRAFTER_*`` variable, which the workers inherit. Unset overrides change nothing.
    """
    saved: dict[str, str | None] = {}
    for name, value in overrides.items():
        if value is None:
            continue
        if name not in Settings.model_fields:
            raise ValueError(f"{name} is not a setting")
        variable = f"DRAFTER_{name.upper()}"
        saved[variable] = os.environ.get(variable)
        os.environ[variable] = str(value).lower() if isinstance(value, bool) else str(value)
    try:
        yield
    finally:
        for variable, before in saved.items():
            if before is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = before


def provider_key(name: str) -> SecretStr | None:
    """A provider's key from the environment variable a router file names (``api_key_env``):
    the file holds the variable's name, never the key."""
    value = os.environ.get(name)
    return SecretStr(value) if value else None


def env_flag(name: str) -> bool:
    """Read an opt-in boolean flag: DRAFTER_REALMODEL_TESTS, DRAFTER_LIVE_TESTS (tests),
    DRAFTER_UPDATE_SCREENSHOTS (the page's screenshots) and DRAFTER_UPDATE_OPENAPI_SNAPSHOT
    (the API contract's snapshot); none of them is a setting."""
    value = os.environ.get(name, "")
    return value.lower() in {"1", "true", "yes"}


def prepare_litellm_env() -> None:
    """Environment litellm reads at import: no network price fetch, no telemetry."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_TELEMETRY", "False")
