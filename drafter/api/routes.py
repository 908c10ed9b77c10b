"""HTTP routes. Each is a few lines: validate (FastAPI + pydantic), call the pipeline, return.

Each route declares what the contract promises (drafter.api.contract): a stable
``operation_id`` (generated clients name their functions after it), the error statuses it can
really return, the API key on ``/v1`` and an example of every body.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Response, Security
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy.exc import SQLAlchemyError

from drafter.about import ServiceInfo, service_info
from drafter.api.contract import api_key, errors, example, open_or_keyed
from drafter.api.deps import AppSettings, Client, FetchSlots, Holder
from drafter.api.history import Kept
from drafter.api.security import KeyCheck
from drafter.basemodels import Wire
from drafter.history.store import History
from drafter.judge import JudgedScore, combine, judge_message
from drafter.model.weights import unavailable_reason
from drafter.pipeline import draft
from drafter.scorecard import ScoreCard
from drafter.scoring import score_request
from drafter.types import DraftRequest, DraftResult, ScoreRequest

__all__ = ["DRAFT_BODY", "Readiness", "keep", "router"]

log = logging.getLogger("drafter.api")
router = APIRouter()
# The /v1 routes: they take the API key (documented here, enforced by the Guard).
v1 = APIRouter(prefix="/v1", dependencies=[Security(api_key)])


class Readiness(Wire):
    status: Literal["ready", "loading", "unavailable"]
    model: str = Field(description="The configured model.")
    detail: str | None = Field(default=None, description="Why it is unavailable, and the fix.")


def _ok(name: str, summary: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"examples": {name: example(name, summary)}}}}}


_KEPT_AT = {"Location": {
    "description": "Sent when the server keeps drafts (`DRAFTER_API_HISTORY_URL`, with API "
    "keys): where this one is kept for your key, e.g. `/v1/drafts/12`.",
    "schema": {"type": "string"}}}


DRAFT_BODY = Body(openapi_examples={
    "draft": example("draft_request", "Draft an email to Dana Li"),
    "entitled": example("entitled_request", "A goal that asks too much: coached to a first step"),
})
_SCORE_BODY = Body(openapi_examples={
    "score": example("score_request", "Score a message against the recipient's work")})


@v1.post("/drafts", response_model=DraftResult, operation_id="createDraft",
         summary="Draft a message to one person", openapi_extra=open_or_keyed,
         responses={200: {**_ok("draft_result", "One draft, its checks and score card")[200],
                          "headers": _KEPT_AT},
                    **errors(401, 408, 413, 415, 422, 429, 502, 503, 504)})
async def create_drafts(body: Annotated[DraftRequest, DRAFT_BODY], client: Client,
                        config: AppSettings, fetches: FetchSlots, *, kept: Kept,
                        response: Response) -> DraftResult:
    """Write 1-3 drafts grounded in the recipient's work. Each draft carries its references
    (verbatim quotes with offsets into the work), its offer, its one ask, its checks and the
    rubric's score card. The model is the server's: a request cannot choose it. A server that
    keeps drafts keeps this one for your API key and says where in `Location`."""
    result = await draft(body, client=client, settings=config, fetch_slots=fetches)
    draft_id = await keep(kept, body, result)
    if draft_id is not None:
        response.headers["Location"] = f"/v1/drafts/{draft_id}"
    return result


async def keep(kept: History | None, body: DraftRequest, result: DraftResult) -> int | None:
    """Keep the drafts for the caller (when the server keeps drafts): their id, or None."""
    if kept is None:
        return None
    try:
        return await asyncio.to_thread(kept.add, body, result)
    except SQLAlchemyError as exc:
        # The drafts were paid for with model time: returned even if they cannot be kept
        # (no Location says so). Only the error's type is logged, never its text, which can
        # quote the row's values.
        log.error("draft not kept", extra={"error_type": type(exc).__name__})
        return None


@v1.post("/score", response_model=ScoreCard, operation_id="scoreMessage",
         summary="Score a message against the rubric (no model)", openapi_extra=open_or_keyed,
         responses={**_ok("score_card", "The score card of a message"),
                    **errors(401, 408, 413, 415, 422, 429)})
async def score(body: Annotated[ScoreRequest, _SCORE_BODY]) -> ScoreCard:
    """Each rubric dimension's verdict, the character spans of the words that caused it and a
    one-line fix; an overall verdict (acceptable / entitled / needs_work); plain metrics and
    the channel's hard limit. No model is called, so none of the model's errors apply."""
    return score_request(body)


@v1.post("/score/judged", response_model=JudgedScore, operation_id="scoreMessageJudged",
         summary="Score a message, with the model-graded judge's second opinion",
         openapi_extra=open_or_keyed,
         responses={**_ok("judged_score", "The score card and the judge's verdicts"),
                    **errors(401, 408, 413, 415, 422, 429, 502, 503, 504)})
async def score_judged(body: Annotated[ScoreRequest, _SCORE_BODY],
                       client: Client) -> JudgedScore:
    """The deterministic score card plus one judge verdict per dimension (reason and quoted
    evidence), combined by the documented rule: the stricter verdict wins. A judge reply that
    cannot be parsed is a 502 `judge-error`, never a pass."""
    card = score_request(body)
    verdicts = await judge_message(body, client=client)
    return combine(card, verdicts, judge_model=client.model_id)


@v1.get("/info", response_model=ServiceInfo, operation_id="getInfo",
        summary="What this server runs: versions, model, channels and their limits",
        openapi_extra=open_or_keyed,
        responses={**_ok("info", "A server on the embedded model"), **errors(401, 429)})
async def info(config: AppSettings) -> ServiceInfo:
    """The drafter, prompt and rubric versions, the model, whether URLs are fetched and keys
    required, and each channel with its hard character limit. Loads no model."""
    return service_info(model=config.model, fallback_model=config.fallback_model,
                        fetches_urls=config.fetch_urls,
                        api_keys_required=KeyCheck(config).enabled)


router.include_router(v1)


@router.get("/healthz", operation_id="getHealth", summary="Liveness",
            responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}})
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


_READY = {"status": "ready", "model": "embedded/qwen2.5-1.5b", "detail": None}
_LOADING = {"status": "loading", "model": "embedded/qwen2.5-1.5b", "detail": None}


@router.get("/readyz", operation_id="getReadiness",
            summary="Readiness: can the configured model be used?", response_model=Readiness,
            responses={
                200: {"content": {"application/json": {"example": _READY}}},
                503: {"model": Readiness,
                      "description": "Loading the model (with Retry-After), or unavailable "
                      "(with the reason)",
                      "headers": {"Retry-After": {
                          "description": "Sent while loading: seconds to wait.",
                          "schema": {"type": "integer", "minimum": 1}}},
                      "content": {"application/json": {"example": _LOADING}}}})
async def readyz(holder: Holder) -> JSONResponse:
    settings = holder.settings
    reason = unavailable_reason(settings.model, model_path=settings.model_path)
    if holder.load_error is not None:
        reason = holder.load_error.detail
    if reason:
        return _readiness("unavailable", settings.model, 503, detail=reason)
    if holder.loading:  # drafter serve verifies and loads the embedded model at startup
        return _readiness("loading", settings.model, 503, headers={"Retry-After": "2"})
    return _readiness("ready", settings.model, 200)


def _readiness(status: Literal["ready", "loading", "unavailable"], model: str, code: int, *,
               detail: str | None = None,
               headers: dict[str, str] | None = None) -> JSONResponse:
    body = Readiness(status=status, model=model, detail=detail)
    return JSONResponse(body.model_dump(), status_code=code, headers=headers)
