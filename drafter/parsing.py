"""Parsing stage: the model's reply -> validated ``DraftFields``, or the problems to repair.

The model's output is untrusted. It is parsed as JSON (tolerating code fences and prose
around the object), validated with pydantic, and checked against the quote candidates the
model was offered. Nothing the model writes is used as structure without this validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from drafter.grounding import locate_quote
from drafter.types import ContextBundle, DraftFields

__all__ = ["ParseOutcome", "draft_schema", "parse_reply"]

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class ParseOutcome:
    fields: DraftFields | None
    problems: tuple[str, ...]


def draft_schema(ctx: ContextBundle, *, model_question: bool) -> dict[str, Any]:
    """JSON schema of the reply. The quote is a line number: a backend that enforces the
    schema can only pick a real line, and picking costs one token instead of twenty. Every
    key costs decode time on a small CPU model, so the model writes only what needs it."""
    def text(max_length: int) -> dict[str, Any]:
        # maxLength: guided decoding ends a value at the last sentence end that fits.
        return {"type": "string", "maxLength": max_length}

    props: dict[str, Any] = {}
    if ctx.request.channel == "email":
        props["subject"] = text(60)
    props["quote"] = {"type": "integer", "enum": list(range(1, len(ctx.evidence) + 1))}
    if model_question:  # the sender's own question, or none, otherwise (drafter.plan)
        props["my_question"] = text(140)
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def _extract_object(text: str) -> str | None:
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    start = text.find("{")
    if start < 0:
        return None
    depth, in_str, escape = 0, False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_str:
            escape = ch == "\\" and not escape
            if ch == '"' and not escape:
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return None


def _validation_problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "reply"
        problems.append(f'"{loc}": {err["msg"]}')
    return problems


def _coerce_quote(data: dict[str, Any], lines: Sequence[str]) -> None:
    """Without a grammar a model may write "[3]", "3" or the line itself instead of 3."""
    value = data.get("quote")
    if not isinstance(value, str):
        return
    digits = re.fullmatch(r"\s*\[?\s*(\d{1,2})\s*\]?\s*", value)
    if digits:
        data["quote"] = int(digits.group(1))
        return
    for number, line in enumerate(lines, 1):
        if locate_quote(value, line) or locate_quote(line, value):
            data["quote"] = number
            return


def parse_reply(text: str, lines: Sequence[str] = ()) -> ParseOutcome:
    """Parse and validate one reply; problems are phrased for the repair prompt.

    ``lines`` are the numbered evidence lines the model was shown, to map a quoted line back
    to its number.
    """
    raw = _extract_object(text)
    if raw is None:
        return ParseOutcome(None, ("the reply was not a JSON object; reply with JSON only",))
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return ParseOutcome(None, (f"the reply was not valid JSON ({exc.msg}); reply with "
                                   "valid JSON only",))
    if not isinstance(data, dict):
        return ParseOutcome(None, ("the reply must be a JSON object with the keys asked for",))
    _coerce_quote(data, lines)
    try:
        return ParseOutcome(DraftFields.model_validate(data), ())
    except ValidationError as exc:
        return ParseOutcome(None, tuple(_validation_problems(exc)))
