"""The API's history: each API key's own drafts, kept only when the server is told where.

A server with ``DRAFTER_API_HISTORY_URL`` and API keys keeps every draft ``POST /v1/drafts``
returns, under an owner derived from the caller's key (an HMAC-SHA256 digest: the key itself is
never stored), and serves them back to that key alone: ``GET /v1/drafts``, ``GET`` and
``DELETE /v1/drafts/{id}``, ``POST /v1/drafts/{id}/outcome``. Another key's draft is 404,
exactly like one that does not exist, so ids reveal nothing. Without a database, or without
keys (nothing to tell callers apart), nothing is stored and these routes answer 501
``history-off`` saying which setting is missing.

The store is ``drafter.history`` (SQLAlchemy, migrated when first opened); its calls are
blocking, so the routes here are plain functions FastAPI runs in its thread pool.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response, Security
from pydantic import Field
from sqlalchemy.exc import SQLAlchemyError

from drafter.api.contract import api_key, errors, example, open_or_keyed
from drafter.api.security import KeyCheck
from drafter.basemodels import Frozen, Wire
from drafter.config import Settings
from drafter.errors import ConfigError, FieldProblem, HistoryOff, InputError, NotFound
from drafter.history.store import (
    Entry,
    History,
    Outcome,
    dumps_entry_summary,
    open_api_history,
)

__all__ = ["DraftPage", "DraftSummary", "HistoryHolder", "OutcomeRequest", "StoredDraft",
           "caller_history", "owner_of", "router"]

log = logging.getLogger("drafter.api")
router = APIRouter(prefix="/v1", dependencies=[Security(api_key)])

# Domain separation: the owner is not the digest the rate limiter uses for the same key.
_OWNER_LABEL = b"drafter:history-owner:v1"
MAX_PAGE = 100


def owner_of(key: str) -> str:
    """The stored owner of a key's drafts: 64 hex characters, from which the key cannot be
    recovered (keys are long random strings, so no dictionary reaches them either)."""
    return hmac.new(_OWNER_LABEL, key.encode("utf-8", "surrogatepass"),
                    hashlib.sha256).hexdigest()


class HistoryHolder:
    """The app's one history database, opened (and migrated) on first use, not at startup: a
    database that is down must not stop the server from drafting. A failed open is tried
    again by the next request."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Whether the server has API keys: read once, not by hashing every key per request.
        self.keyed = KeyCheck(settings).enabled
        self._history: History | None = None
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return self.settings.api_history_url is not None

    def get(self) -> History | None:
        if not self.configured:
            return None
        with self._lock:
            if self._history is None:
                self._history = open_api_history(self.settings)
            return self._history

    def close(self) -> None:
        with self._lock:
            if self._history is not None:
                self._history.close()
                self._history = None


def history_holder(request: Request) -> HistoryHolder:
    return cast(HistoryHolder, request.app.state.history)


def _owned(holder: HistoryHolder, key: str | None) -> History | None:
    if not (holder.configured and holder.keyed and key):
        return None
    history = holder.get()
    # The guard has already refused a wrong key: this one is one of the server's.
    return history.for_owner(owner_of(key)) if history is not None else None


async def kept_history(request: Request,
                       key: Annotated[str | None, Security(api_key)]) -> History | None:
    """Where ``POST /v1/drafts`` keeps the draft for its caller; None = keep nothing. A
    database that cannot be opened does not stop drafting: the draft is returned unkept (no
    ``Location``), and the next request tries to open it again. ``async``, so a server that
    keeps nothing answers without a thread hop; opening the database is done in a thread."""
    holder = history_holder(request)
    if not (holder.configured and holder.keyed and key):
        return None
    try:
        return await asyncio.to_thread(_owned, holder, key)
    except ConfigError as exc:
        log.error("history not opened", extra={"error_type": exc.code})
        return None


def caller_history(request: Request,
                   key: Annotated[str | None, Security(api_key)]) -> History:
    """The caller's own drafts, or 501 ``history-off`` naming what the server lacks."""
    holder = history_holder(request)
    if not holder.configured:
        raise HistoryOff("this server keeps no drafts: its operator can turn that on with "
                         "DRAFTER_API_HISTORY_URL (a database URL) and DRAFTER_API_KEYS")
    if not holder.keyed:
        raise HistoryOff("this server has a history database but no API keys, so its "
                         "drafts could belong to no one: its operator must set "
                         "DRAFTER_API_KEYS")
    history = _owned(holder, key)
    assert history is not None  # configured, keyed, and the guard let the key through
    return history


Caller = Annotated[History, Depends(caller_history)]
Kept = Annotated[History | None, Depends(kept_history)]


class DraftSummary(Frozen):
    """One stored draft in a list: enough to choose one, without its text."""

    id: int
    created_at: datetime = Field(description="When it was drafted (UTC).")
    recipient: str
    channel: str
    goal: str
    variants: int = Field(description="How many drafts were written.")
    verdict: str = Field(description="The first draft's overall rubric verdict.")
    passed: bool = Field(description="Whether the first draft passed its checks.")
    outcome: Outcome | None
    outcome_variant: int | None
    model: str
    prompt_version: str


class DraftPage(Frozen):
    """The caller's drafts, newest first."""

    drafts: list[DraftSummary]
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the "
                                    "last page.")


class StoredDraft(Entry):
    """One stored draft in full: the request as sent and the result as returned."""


class OutcomeRequest(Wire):
    outcome: Outcome = Field(description="What happened to the message.")
    variant: Annotated[int, Field(ge=1, le=3)] = Field(
        default=1, description="Which draft (1-based) was sent; its scores are the ones "
        "reply rates count.")


def _summary(entry: Entry) -> DraftSummary:
    # The same shape as a line of `drafter history --json`: one summary, whoever asks.
    return DraftSummary.model_validate(dumps_entry_summary(entry))


def _stored(entry: Entry) -> StoredDraft:
    return StoredDraft.model_validate(entry.model_dump())


def _not_found(draft_id: int) -> NotFound:
    # The same words whether the id is another key's or no one's: ids reveal nothing.
    return NotFound(f"no draft #{draft_id} is kept for this API key; GET /v1/drafts lists "
                    "yours", [FieldProblem("id", "no such draft")])


@contextmanager
def _database() -> Iterator[None]:
    """A database that fails after it was opened (gone, locked, a table dropped) is the
    documented 503, not a 500; only the error's type is said (its text can quote values)."""
    try:
        yield
    except SQLAlchemyError as exc:
        cause = type(getattr(exc, "orig", None) or exc).__name__
        raise ConfigError(f"the server's history database failed ({cause}); retry later, "
                          "or tell the server's operator (DRAFTER_API_HISTORY_URL)") from None


def _ok(name: str, summary: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"examples": {name: example(name, summary)}}}}}


DraftId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The draft's id.")]
_READ = (401, 404, 422, 429, 501, 503)
_WRITE = (401, 404, 408, 413, 415, 422, 429, 501, 503)
_ERR = {"history": True}


@router.get("/drafts", response_model=DraftPage, operation_id="listDrafts",
            summary="The drafts kept for your API key, newest first",
            openapi_extra=open_or_keyed,
            responses={**_ok("draft_page", "One page of the caller's drafts"),
                       **errors(401, 422, 429, 501, 503, **_ERR)})
def list_drafts(history: Caller,
                limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> DraftPage:
    """Only the drafts made with the same API key, whatever other keys drafted. Page on
    with `offset=next_offset` until it is null."""
    with _database():
        entries = history.entries(limit=limit + 1, offset=offset)
    more = len(entries) > limit
    return DraftPage(drafts=[_summary(e) for e in entries[:limit]], limit=limit,
                     offset=offset, next_offset=offset + limit if more else None)


@router.get("/drafts/{draft_id}", response_model=StoredDraft, operation_id="getDraft",
            summary="One of your kept drafts in full", openapi_extra=open_or_keyed,
            responses={**_ok("stored_draft", "A kept draft: its request and result"),
                       **errors(*_READ, **_ERR)})
def get_draft(draft_id: DraftId, history: Caller) -> StoredDraft:
    """Another key's draft is 404, exactly like an id that was never used."""
    try:
        with _database():
            return _stored(history.get(draft_id))
    except NotFound:
        raise _not_found(draft_id) from None


@router.delete("/drafts/{draft_id}", status_code=204, operation_id="deleteDraft",
               summary="Delete one of your kept drafts, for real", openapi_extra=open_or_keyed,
               responses={204: {"description": "Deleted: no copy of its text is kept."},
                          **errors(*_READ, **_ERR)})
def delete_draft(draft_id: DraftId, history: Caller) -> Response:
    """The row is deleted (on SQLite the file is vacuumed, so no freed page keeps its text).
    Another key's draft is 404 and stays."""
    try:
        with _database():
            history.forget(draft_id)
    except NotFound:
        raise _not_found(draft_id) from None
    return Response(status_code=204)


_OUTCOME_BODY = Body(openapi_examples={
    "replied": example("outcome_request", "The first draft was sent and answered")})


@router.post("/drafts/{draft_id}/outcome", response_model=StoredDraft,
             operation_id="recordDraftOutcome",
             summary="Record what happened to one of your kept drafts",
             openapi_extra=open_or_keyed,
             responses={**_ok("stored_draft_outcome", "The draft with its outcome"),
                        **errors(*_WRITE, **_ERR)})
def record_outcome(draft_id: DraftId, body: Annotated[OutcomeRequest, _OUTCOME_BODY],
                   history: Caller) -> StoredDraft:
    """`sent`, `replied`, `no-reply` or `bounced`, and which draft was sent. Marking again
    replaces the outcome."""
    try:
        with _database():
            entry = history.get(draft_id)
    except NotFound:
        raise _not_found(draft_id) from None
    if body.variant > len(entry.result.drafts):
        raise InputError(f"draft #{draft_id} has {len(entry.result.drafts)} variant(s): "
                         f"variant must be 1-{len(entry.result.drafts)}",
                         [FieldProblem("variant", "no such variant")])
    with _database():
        return _stored(history.mark(draft_id, body.outcome, variant=body.variant))
