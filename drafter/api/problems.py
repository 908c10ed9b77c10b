"""The one place errors become HTTP responses: RFC 9457 ``application/problem+json``.

Every error body has a stable ``type`` (``urn:drafter:problem:<code>``), a ``title``, the
``status``, a ``detail`` that says how to fix it, the ``request_id``, and for invalid input the
``errors`` list naming each field. No traceback or provider message ever reaches a client.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from drafter.errors import DrafterError, InputError, ModelRateLimited
from drafter.validation import problems_from_errors, to_input_error

__all__ = ["Problem", "install_handlers", "problem_response"]

log = logging.getLogger("drafter.api")
PROBLEM_TYPE = "urn:drafter:problem:"


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=["urn:drafter:problem:invalid-request"])
    title: str
    status: int
    detail: str
    request_id: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def problem_response(request: Request, exc: DrafterError) -> JSONResponse:
    body = Problem(type=PROBLEM_TYPE + exc.code, title=exc.title, status=exc.http_status,
                   detail=exc.detail, request_id=_request_id(request))
    if isinstance(exc, InputError):
        body.errors = [FieldError(field=p.field, message=p.message) for p in exc.problems]
    headers: dict[str, str] = {}
    if isinstance(exc, ModelRateLimited) or exc.retry_after is not None:
        # Whole seconds, rounded up: a client that waits this long is not refused again.
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after or 30)))
    if exc.http_status == 401:
        headers["WWW-Authenticate"] = 'ApiKey header="X-API-Key"'
    request.state.error_type = exc.code
    return JSONResponse(body.model_dump(), status_code=exc.http_status, headers=headers,
                        media_type="application/problem+json")


async def _drafter_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DrafterError)
    return problem_response(request, exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors: list[Any] = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        err = InputError("the request body is not valid JSON; send a JSON document "
                         "(Content-Type: application/json)")
        return problem_response(request, err)
    return problem_response(request, to_input_error(problems_from_errors(errors)))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # FastAPI's "error parsing the body" (undecodable bytes)
        return problem_response(request, InputError(
            "the request body could not be read as JSON; send UTF-8 JSON with "
            "Content-Type: application/json"))
    err = DrafterError(str(exc.detail))
    err.http_status = exc.status_code
    err.code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    err.title = str(exc.detail)
    response = problem_response(request, err)
    response.headers.update(exc.headers or {})  # e.g. Allow on 405 (RFC 9110)
    allowed = _allowed(request) if exc.status_code == 405 else None
    if allowed:
        # Starlette names the methods of the first route on the path only; a path served by
        # several routes (GET and POST /v1/drafts) must list them all (RFC 9110). They are
        # read from the contract, FastAPI's own route tree being private.
        response.headers["Allow"] = allowed
    return response


def _allowed(request: Request) -> str | None:
    path = request.scope.get("path", "")
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    for template, operations in paths.items():
        if compile_path(template)[0].match(path):
            return ", ".join(sorted(m.upper() for m in operations))
    return None


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error", extra={"error_type": type(exc).__name__})
    return problem_response(request, DrafterError(
        "drafter failed unexpectedly; the error was logged with this request id"))


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DrafterError, _drafter_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
