"""Request validation errors phrased for people: the field, what is wrong, how to fix it.

Shared by the CLI (``--request FILE``) and the API's validation handler so both name fields
the same way (``recipient.works[0].text``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from drafter.errors import FieldProblem, InputError
from drafter.types import DraftRequest

__all__ = ["field_path", "parse_request", "problems_from_errors", "to_input_error"]


def field_path(loc: Sequence[int | str]) -> str:
    """('recipient', 'works', 0, 'text') -> 'recipient.works[0].text'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in {"body"} or out:
            out += f".{part}" if out else str(part)
    return out or "request"


def _fix(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field: remove it (see the schema at /docs)"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty or only white space"
    if kind in {"too_short", "too_long"}:
        return str(err.get("msg", "wrong number of items"))
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    return str(err.get("msg", "invalid value")).removeprefix("Value error, ")


def problems_from_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldProblem]:
    return [FieldProblem(field_path(e.get("loc", ())), _fix(e)) for e in errors]


def to_input_error(problems: list[FieldProblem]) -> InputError:
    first = problems[0] if problems else FieldProblem("request", "invalid")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return InputError(f"{first.field}: {first.message}{more}", problems)


def parse_request(raw: str | bytes | Mapping[str, Any]) -> DraftRequest:
    """Parse a request document; any problem becomes an ``InputError`` naming the field."""
    try:
        data = json.loads(raw) if isinstance(raw, str | bytes) else dict(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"the request is not valid JSON (line {exc.lineno}, column "
                         f"{exc.colno}: {exc.msg}); fix the JSON",
                         [FieldProblem("request", "not valid JSON")]) from None
    if not isinstance(data, dict):
        raise InputError("the request must be a JSON object; see the example in README.md",
                         [FieldProblem("request", "not a JSON object")])
    try:
        return DraftRequest.model_validate(data)
    except ValidationError as exc:
        raise to_input_error(problems_from_errors(exc.errors())) from None
