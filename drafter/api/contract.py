"""The OpenAPI contract's shared parts: the errors each route documents, the API-key scheme,
the examples, and the one fix FastAPI's generator needs.

Integrators generate clients from ``/openapi.json``, so it must say what the service really
sends: a problem document as ``application/problem+json`` (never ``application/json``), only
the statuses a route can return, ``Retry-After`` where it is sent, and the key header. The
committed snapshot (``tests/contract/openapi.snapshot.json``) makes any change to it visible.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.models import Example
from fastapi.security import APIKeyHeader

__all__ = ["EVENT_STREAM", "PROBLEM_MEDIA_TYPE", "ContractAPI", "api_key", "errors", "example",
           "examples", "open_or_keyed"]

PROBLEM_MEDIA_TYPE = "application/problem+json"
EVENT_STREAM = "text/event-stream"

# Documents the header only: drafter.api.security enforces it (before the body is read), so
# auto_error stays off and the dependency never refuses anything itself.
api_key = APIKeyHeader(
    name="X-API-Key", scheme_name="ApiKey", auto_error=False,
    description="Required on `/v1/*` when the server has API keys (`DRAFTER_API_KEYS`); a "
    "server without keys accepts requests without it. `GET /v1/info` says which applies.")
# Keys are optional configuration: each /v1 operation takes the key, or nothing (the empty
# requirement), so a client generated from the contract works against either server.
open_or_keyed: dict[str, Any] = {"security": [{}]}

_RETRY_AFTER = {"description": "Seconds to wait before retrying.",
                "schema": {"type": "integer", "minimum": 1}}

# Every status a /v1 route can return with a problem document, and why.
_ERRORS: dict[int, tuple[str, bool]] = {  # status: (description, always sends Retry-After)
    401: ("The server has API keys and X-API-Key is missing or wrong (`unauthorized`)", False),
    404: ("No draft with this id is kept for this API key (`not-found`): another key's draft "
          "is answered exactly like an id that was never used", False),
    408: ("The body did not arrive within the server's body deadline, 10 s by default "
          "(`request-timeout`)", False),
    413: ("The body is over the server's limit, 256 kB by default (`payload-too-large`)",
          False),
    415: ("The body was sent with a Content-Type other than JSON (`unsupported-media-type`)",
          False),
    422: ("The request is invalid: `errors` names each field at fault (`invalid-request`); "
          "or a work's URL is blocked or unreadable (`url-blocked`, `fetch-failed`), URL "
          "fetching is off (`not-supported`), or the goal is refused (`goal-refused`). No "
          "model call was made", False),
    429: ("Too many requests from this client (`rate-limited`), or the model provider is "
          "rate limiting (`model-rate-limited`)", True),
    501: ("This server keeps no drafts (`history-off`): it has no history database "
          "(`DRAFTER_API_HISTORY_URL`) or no API keys (`DRAFTER_API_KEYS`) to tell its "
          "callers' drafts apart; `detail` says which", False),
    502: ("The model failed: its reply was unusable after repairs (`invalid-model-output`, "
          "`judge-error`), it refused (`refused-by-provider`), or the provider answered with "
          "an error (`provider-error`, `model-error`)", False),
    503: ("drafter is writing as many messages as it may (`busy`, with Retry-After), the "
          "model is not set up (`configuration-error`, `model-integrity`), the provider "
          "cannot be reached (`model-unavailable`), or the store of shared rate limits "
          "cannot be reached (`state-unavailable`, with Retry-After)", False),
    504: ("No answer within the deadline (`model-timeout`)", False),
}


# The history routes (drafter.api.history) call no model and fetch nothing: their 422 and 503
# have other causes than the drafting routes', so they are described (and exemplified) apart.
_HISTORY_ERRORS: dict[int, str] = {
    422: "The request is invalid: `errors` names each field at fault (`invalid-request`): an "
         "id that is not a positive integer, a `limit` or `offset` out of range, an unknown "
         "outcome or a variant the draft does not have",
    503: "The server's history database cannot be opened or reached "
         "(`configuration-error`), or the store of shared rate limits cannot be reached "
         "(`state-unavailable`); retry later, or tell the server's operator",
}


@cache
def examples() -> dict[str, Any]:
    """The contract's examples (``examples.json``): real outputs of drafter on the bundled
    example, checked against their models by tests/contract."""
    text = resources.files("drafter.api").joinpath("examples.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def example(name: str, summary: str) -> Example:
    """One named OpenAPI example object."""
    return Example(summary=summary, value=examples()[name])


def errors(*statuses: int, history: bool = False) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries for these error statuses, each a problem document; with
    ``history``, as the history routes return them."""
    from drafter.api.problems import Problem

    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description, retry = _ERRORS[status]
        problem = examples()["problems"][str(status)]
        if history and status in _HISTORY_ERRORS:
            description = _HISTORY_ERRORS[status]
            problem = examples()["history_problems"][str(status)]
        spec: dict[str, Any] = {
            "model": Problem, "description": description,
            "content": {PROBLEM_MEDIA_TYPE: {"example": problem}}}
        if retry:
            spec["headers"] = {"Retry-After": {**_RETRY_AFTER, "required": True}}
        elif status == 503:
            spec["headers"] = {"Retry-After": {
                **_RETRY_AFTER, "description": "Sent with `busy`: seconds to wait."}}
        out[status] = spec
    return out


class ContractAPI(FastAPI):
    """FastAPI, with its schema finished once: a response documented as a problem document
    carries its schema under ``application/problem+json`` only (FastAPI puts a response's
    ``model`` under the route's own media type, ``application/json``, which errors never
    use), and an event stream is described in OpenAPI 3.1's terms."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            schema = super().openapi()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    for response in operation.get("responses", {}).values():
                        _problem_only(response)
            _event_streams(schema)
        return self.openapi_schema or {}


def _problem_only(response: dict[str, Any]) -> None:
    content: dict[str, Any] = response.get("content", {})
    if PROBLEM_MEDIA_TYPE not in content:
        return
    # The route's own media type (application/json, or text/event-stream for a stream) got
    # the problem's schema: it moves to the problem's media type, the only one sent.
    for media in [m for m in content if m != PROBLEM_MEDIA_TYPE]:
        plain = content.pop(media)
        if "schema" in plain and "schema" not in content[PROBLEM_MEDIA_TYPE]:
            content[PROBLEM_MEDIA_TYPE] = {"schema": plain["schema"],
                                           **content[PROBLEM_MEDIA_TYPE]}


def _event_streams(schema: dict[str, Any]) -> None:
    """OpenAPI 3.1 has no ``itemSchema`` (FastAPI writes 3.2's for an event stream): the
    schema is one event's, and the schema of each event's data goes in ``x-events`` (the
    route gives it in its ``openapi_extra``; FastAPI can only put it on the operation)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                stream = response.get("content", {}).get(EVENT_STREAM)
                if stream is None:
                    continue
                stream.pop("itemSchema", None)
                events = operation.pop("x-events", None)  # set by the route's openapi_extra
                # One event, as OpenAPI 3.2 and tools that read streams (schemathesis) take
                # a stream's schema: its fields, the data a JSON document.
                stream["schema"] = {
                    "type": "object", "required": ["event", "data"],
                    "properties": {
                        "event": {"type": "string", **({"enum": list(events)} if events else {})},
                        "data": {"type": "string", "contentMediaType": "application/json"},
                        "id": {"type": "string"}, "retry": {"type": "integer", "minimum": 0}}}
                if events:
                    stream["x-events"] = events
