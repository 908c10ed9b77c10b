"""The model interface every stage and surface depends on; implementations live elsewhere.

``drafter.model.litellm_client`` implements it with litellm (the only litellm importer);
tests and the eval replay tier pass scripted or recorded implementations. Keeping the
protocol apart means code that only scores messages never imports litellm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from drafter.types import Message

__all__ = ["Closes", "Completion", "CompletionRequest", "ModelClient", "WarmsUp"]


@dataclass(frozen=True)
class CompletionRequest:
    messages: tuple[Message, ...]
    max_tokens: int = 320
    temperature: float = 0.4
    seed: int | None = None
    # A JSON schema the reply must follow; backends that can enforce it (llama.cpp grammars,
    # OpenAI structured outputs) do, the rest get it as a hint and the parser checks.
    json_schema: dict[str, Any] | None = None
    # Distinguishes repeats of the same prompt (eval --repeat) in caches.
    repeat_index: int = 0


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    finish_reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class ModelClient(Protocol):
    """One chat completion at a time; raises ``drafter.errors.ModelError`` subclasses."""

    @property
    def model_id(self) -> str: ...

    async def complete(self, request: CompletionRequest) -> Completion: ...


@runtime_checkable
class WarmsUp(Protocol):
    """A client with something to load before its first call (the embedded model): blocking,
    to be called from a worker thread like every llama.cpp call."""

    def warm_up(self) -> None: ...


@runtime_checkable
class Closes(Protocol):
    """A client that holds connections open (a Router's to Redis): closed when the app stops."""

    async def aclose(self) -> None: ...
