"""What this drafter is: its versions, its model, its channels and their limits.

One source for ``GET /v1/info`` and ``drafter --version``, so an integrator can ask a server
what it runs without drafting. Cheap: no model is created or loaded, nothing is imported from
FastAPI or litellm.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field

from drafter import __version__
from drafter.basemodels import Wire
from drafter.channels import CHANNEL_LIMITS, CHANNEL_NAMES, CHANNELS, Channel

__all__ = ["API_VERSION", "ChannelInfo", "ServiceInfo", "channel_infos", "prompt_version",
           "rubric_version", "service_info", "version_lines"]

API_VERSION: Literal["v1"] = "v1"
# What decides a score card: the scorer's code, its phrase lists and the learned reader's
# weights. A change to any of them may score the same message differently.
_RUBRIC_SOURCES = (("scoring", "*.py"), ("data/phrases", "*.yaml"), ("data/learned", "*.json"))


class ChannelInfo(Wire):
    name: Channel = Field(description="The value of `channel` in a request.")
    label: str = Field(description="What the channel is called in messages to people.")
    limit: int = Field(description="Hard limit of a message body, in characters.")
    limit_free_account: int | None = Field(
        description="The limit with `linkedin_free_account: true` (LinkedIn notes only).")


class ServiceInfo(Wire):
    """What a drafter server runs (``GET /v1/info``)."""

    api_version: Literal["v1"] = Field(description="The API's major version (the path prefix).")
    drafter_version: str = Field(description="The drafter release.")
    prompt_version: str = Field(description="Hash of the draft prompt templates; the same "
                                "value as `prompt_version` in every draft result.")
    judge_prompt_version: str = Field(description="Hash of the judge's prompt templates "
                                      "(`POST /v1/score/judged`).")
    rubric_version: str = Field(description="Hash of what decides a score card (the scorer's "
                                "code, phrase lists and learned weights): the same message "
                                "scores the same while it is unchanged.")
    model: str = Field(description="The model this server drafts with (`DRAFTER_MODEL`).")
    fallback_model: str | None = Field(description="Tried when the model is unavailable.")
    fetches_urls: bool = Field(description="Whether works given by `url` are fetched; when "
                               "false, a work given by URL is refused (422 `not-supported`).")
    api_keys_required: bool = Field(description="Whether `/v1/*` needs the `X-API-Key` "
                                    "header on this server.")
    channels: list[ChannelInfo]


@cache
def prompt_version(group: str = "draft") -> str:
    from drafter.prompts import template_hash  # renders jinja2: only when asked

    return template_hash(group)


@cache
def rubric_version() -> str:
    """sha256 over the scorer's sources, data and weights, in path order (12 hex chars)."""
    root = resources.files("drafter")
    h = hashlib.sha256()
    for folder, pattern in _RUBRIC_SOURCES:
        directory = root.joinpath(folder)
        names = sorted(p.name for p in directory.iterdir()
                       if p.is_file() and _matches(p.name, pattern))
        for name in names:
            h.update(f"{folder}/{name}".encode())
            h.update(directory.joinpath(name).read_bytes())
    return h.hexdigest()[:12]


def _matches(name: str, pattern: str) -> bool:
    return name.endswith(pattern.removeprefix("*"))


def channel_infos() -> list[ChannelInfo]:
    return [ChannelInfo(name=c, label=CHANNEL_NAMES[c], limit=CHANNEL_LIMITS[c],
                        limit_free_account=CHANNEL_LIMITS["linkedin_note_free"]
                        if c == "linkedin_note" else None) for c in CHANNELS]


def service_info(*, model: str, fallback_model: str | None, fetches_urls: bool,
                 api_keys_required: bool) -> ServiceInfo:
    return ServiceInfo(api_version=API_VERSION, drafter_version=__version__,
                       prompt_version=prompt_version(),
                       judge_prompt_version=prompt_version("judge"),
                       rubric_version=rubric_version(), model=model,
                       fallback_model=fallback_model, fetches_urls=fetches_urls,
                       api_keys_required=api_keys_required, channels=channel_infos())


def version_lines(model: str) -> list[str]:
    """What ``drafter --version`` prints: ``model`` is the configured one."""
    from drafter.model.registry import DEFAULT_MODEL

    which = ("the default" if model == DEFAULT_MODEL else
             f"from DRAFTER_MODEL; the default is {DEFAULT_MODEL}")
    return [f"drafter {__version__}", f"prompt version {prompt_version()}",
            f"rubric version {rubric_version()}", f"model {model} ({which})"]
