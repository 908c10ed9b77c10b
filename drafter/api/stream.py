"""``POST /v1/drafts/stream``: ``POST /v1/drafts`` as server-sent events (issue 17).

A draft takes seconds to tens of seconds of model time; this route says what it is doing
meanwhile. The request, the limits, the API key, the cap on concurrent model calls and the
deadline are those of ``POST /v1/drafts`` (the same guard, the same ``Client`` dependency).
The stream is, in order:

* ``event: stage`` for each stage as it starts: ``{"stage": "context", "message": "..."}``
  (the stages are ``drafter.progress.STAGES``);
* ``event: kept`` when the server keeps drafts: ``{"id": 12, "location": "/v1/drafts/12"}``
  (what ``POST /v1/drafts`` says in ``Location``, which a stream cannot send in a header);
* then exactly one last event: ``event: result`` whose data is the same JSON as the body of
  ``POST /v1/drafts``, or ``event: problem`` whose data is the same problem document that
  route would have answered with (its ``status`` is the HTTP status it would have had).

What is refused before any work starts (key, rate, body, an invalid request, a goal refused by
screening) is answered as by ``POST /v1/drafts``, with its HTTP status and no stream. A client
that goes away ends the work: the draft is cancelled and its model slot given back.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Security
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from drafter.api.contract import api_key, errors, examples, open_or_keyed
from drafter.api.deps import DEADLINE, AppSettings, Client, FetchSlots
from drafter.api.history import Kept
from drafter.api.problems import problem_response
from drafter.api.routes import DRAFT_BODY, keep
from drafter.basemodels import Wire
from drafter.errors import DrafterError, ModelTimeout
from drafter.pipeline import draft
from drafter.progress import STAGES
from drafter.screening import screen_goal
from drafter.types import DraftRequest

__all__ = ["KeptEvent", "StageEvent", "router", "stream_example"]

log = logging.getLogger("drafter.api")
router = APIRouter(prefix="/v1", dependencies=[Security(api_key)])

# The guard's own deadline stays as a backstop this long after the stream's, which ends the
# stream with a problem event first.
_BACKSTOP_S = 5.0


class StageEvent(Wire):
    """The data of an ``event: stage``."""

    stage: str = Field(description="The stage that starts: " + ", ".join(STAGES) + ".")
    message: str = Field(description="What drafter is doing, for a person to read.")


class KeptEvent(Wire):
    """The data of an ``event: kept``: where the drafts are kept for the caller's key."""

    id: int
    location: str


async def screened(body: Annotated[DraftRequest, DRAFT_BODY]) -> DraftRequest:
    """The request, with its goal screened before the stream starts: a refused goal is an
    ordinary 422 (``goal-refused``), as from ``POST /v1/drafts``. The pipeline screens it
    again; it is a few regular expressions."""
    screen_goal(body)
    return body


def stream_example() -> str:
    """The stream of the bundled example as it goes over the wire (real stage lines and the
    real result, from drafter/api/examples.json)."""
    shown = examples()
    events = [("stage", json.dumps(e, separators=(",", ":")))
              for e in shown["draft_stream_stages"]]
    events.append(("result", json.dumps(shown["draft_result"], separators=(",", ":"))))
    return "".join(f"event: {name}\ndata: {data}\n\n" for name, data in events)


_STREAM_DOC = (
    "Server-sent events, in order: `stage` events (`StageEvent`: `stage` is one of "
    + ", ".join(f"`{s}`" for s in STAGES) + "), then `kept` (`KeptEvent`, only when the "
    "server keeps drafts), then one last event: `result` (the same JSON as the body of "
    "`POST /v1/drafts`, a `DraftResult`) or `problem` (the problem document `POST /v1/drafts` "
    "would have answered, as `Problem`; its `status` is that answer's HTTP status). Comment "
    "lines (`: ping`) keep an idle connection open every 15 s.")


def _responses() -> dict[int | str, dict[str, Any]]:
    return {200: {"description": _STREAM_DOC,
                  "content": {"text/event-stream": {"example": stream_example()}}},
            **errors(401, 408, 413, 415, 422, 429)}


@router.api_route("/drafts/stream", methods=["GET", "PUT", "PATCH", "DELETE"],
                  include_in_schema=False)
async def _other_methods() -> None:
    """405 (with ``Allow: POST``) rather than ``GET /v1/drafts/{draft_id}`` answering for a
    draft with the id "stream": this router is included before the history's."""
    raise StarletteHTTPException(405, "Method Not Allowed")


def _event_data() -> dict[str, Any]:
    """Each event's data, as a schema (``x-events`` of the stream, drafter.api.contract)."""
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    return {"stage": StageEvent.model_json_schema(), "kept": KeptEvent.model_json_schema(),
            "result": ref("DraftResult"), "problem": ref("Problem")}


@router.post("/drafts/stream", response_class=EventSourceResponse,
             operation_id="createDraftStream",
             summary="Draft a message, streaming its progress as server-sent events",
             openapi_extra={**open_or_keyed, "x-events": _event_data()},
             responses=_responses())
async def create_draft_stream(body: Annotated[DraftRequest, Depends(screened)],
                              client: Client, config: AppSettings, *, fetches: FetchSlots,
                              kept: Kept, request: Request) -> AsyncIterator[ServerSentEvent]:
    """What `POST /v1/drafts` does, with each stage sent as it starts and the result (or the
    error) as the last event, so a page or a client can show progress during the seconds of
    model time. Limits, API key, deadline and the cap on concurrent model calls are those of
    `POST /v1/drafts`; errors found before the stream starts keep their HTTP status."""
    events: asyncio.Queue[ServerSentEvent | None] = asyncio.Queue()

    def progress(line: str) -> None:
        stage = str(getattr(line, "stage", "context"))
        events.put_nowait(ServerSentEvent(event="stage",
                                          data=StageEvent(stage=stage, message=str(line))))

    def problem(exc: DrafterError) -> ServerSentEvent:
        # The very body POST /v1/drafts would have sent (request id included); the route's
        # log line records its error type as that route's does.
        return ServerSentEvent(event="problem",
                               raw_data=bytes(problem_response(request, exc).body).decode())

    async def work() -> None:
        try:
            result = await draft(body, client=client, settings=config, progress=progress,
                                 fetch_slots=fetches)
            draft_id = await keep(kept, body, result)
            if draft_id is not None:
                events.put_nowait(ServerSentEvent(event="kept", data=KeptEvent(
                    id=draft_id, location=f"/v1/drafts/{draft_id}")))
            events.put_nowait(ServerSentEvent(event="result", data=result))
        except DrafterError as exc:
            events.put_nowait(problem(exc))
        except Exception as exc:  # as the guard does: a problem document, never a traceback
            log.error("unexpected error", extra={"error_type": type(exc).__name__})
            events.put_nowait(problem(DrafterError(
                "drafter failed unexpectedly; the error was logged with this request id")))
        finally:
            events.put_nowait(None)

    if client.deadline is not None:  # this stream ends itself at the deadline, with a problem
        request.scope["state"][DEADLINE](_BACKSTOP_S)
    task = asyncio.create_task(work())
    try:
        while True:
            try:
                # Not around the yield: a timeout must interrupt our wait, not the sending.
                async with asyncio.timeout_at(client.deadline):
                    event = await events.get()
            except TimeoutError:
                task.cancel()
                yield problem(ModelTimeout(
                    f"the request took longer than {config.request_timeout_s:.0f} s; try "
                    "again, ask for fewer variants, or raise DRAFTER_REQUEST_TIMEOUT_S"))
                return
            if event is None:
                return
            yield event
    finally:
        # Finished, timed out, or the client went away (the stream is cancelled): the draft
        # is cancelled and its model slot given back now. Nothing is awaited here: a
        # cancelled stream would be cancelled again at any await. (A model call already
        # running in a worker thread, llama.cpp's, finishes there unseen.)
        task.cancel()
        client.release()
