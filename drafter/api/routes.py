"""HTTP routes. Each is a few lines: validate (FastAPI + pydantic), call the pipeline, return."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from drafter.api.deps import AppSettings, Client, FetchSlots, Holder
from drafter.api.problems import Problem
from drafter.judge import JudgedScore, combine, judge_message
from drafter.model.weights import unavailable_reason
from drafter.pipeline import draft
from drafter.scorecard import ScoreCard
from drafter.scoring import score_request
from drafter.types import DraftRequest, DraftResult, ScoreRequest

__all__ = ["router"]

router = APIRouter()

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": desc,
           "content": {"application/problem+json": {}}}
    for code, desc in {
        401: "A valid X-API-Key header is required (when the service has keys)",
        413: "Request body too large",
        422: "Invalid request: the fields at fault are listed in `errors`",
        429: "Too many requests from this client, or the model provider is rate limiting "
             "(see Retry-After)",
        502: "The model failed or its reply was unusable after repairs",
        503: "drafter or its model is not available",
        504: "The model did not answer in time",
    }.items()
}


# /v1/score never calls a model: only the request's own errors and the service's limits.
_NO_MODEL_ERRORS: dict[int | str, dict[str, Any]] = {code: spec for code, spec in _ERRORS.items()
                    if code in (401, 413, 422, 429)}


@router.post("/v1/drafts", response_model=DraftResult, responses=_ERRORS,
             summary="Draft a message to one person")
async def create_drafts(body: DraftRequest, client: Client, config: AppSettings,
                        fetches: FetchSlots) -> DraftResult:
    """Write 1-3 drafts grounded in the recipient's work. Each draft carries its references
    (verbatim quotes with offsets into the work), its offer, its one ask and its checks."""
    return await draft(body, client=client, settings=config, fetch_slots=fetches)


@router.post("/v1/score", response_model=ScoreCard, responses=_NO_MODEL_ERRORS,
             summary="Score a message against the rubric (no model)")
async def score(body: ScoreRequest) -> ScoreCard:
    """Each rubric dimension's verdict, the character spans of the words that caused it and a
    one-line fix; an overall verdict (acceptable / entitled / needs_work); plain metrics and
    the channel's hard limit."""
    return score_request(body)


@router.post("/v1/score/judged", response_model=JudgedScore, responses=_ERRORS,
             summary="Score a message, with the model-graded judge's second opinion")
async def score_judged(body: ScoreRequest, client: Client) -> JudgedScore:
    """The deterministic score card plus one judge verdict per dimension (reason and quoted
    evidence), combined by the documented rule: the stricter verdict wins. A judge reply that
    cannot be parsed is a 502 `judge-error`, never a pass."""
    card = await score(body)
    verdicts = await judge_message(body, client=client)
    return combine(card, verdicts, judge_model=client.model_id)


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: can the configured model be used?")
async def readyz(holder: Holder) -> JSONResponse:
    settings = holder.settings
    reason = unavailable_reason(settings.model, model_path=settings.model_path)
    if holder.load_error is not None:
        reason = holder.load_error.detail
    if reason:
        return JSONResponse({"status": "unavailable", "model": settings.model,
                             "detail": reason}, status_code=503)
    if holder.loading:  # drafter serve verifies and loads the embedded model at startup
        return JSONResponse({"status": "loading", "model": settings.model},
                            status_code=503, headers={"Retry-After": "2"})
    return JSONResponse({"status": "ready", "model": settings.model})
