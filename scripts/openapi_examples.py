"""Write the OpenAPI contract's examples, drafter/api/examples.json, from drafter's own output.

    .venv/bin/python scripts/openapi_examples.py

The request examples are the bundled example (and an entitled goal); the result examples are
what drafter returns for them through the one fake model (drafter.model.testing), with the
model's name and usage set to what the embedded model reports, so the examples are real
outputs, not hand-written ones. tests/contract checks each against its model; after changing
them, refresh the schema snapshot (tests/contract/README.md).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drafter.about import service_info  # noqa: E402
from drafter.config import Settings  # noqa: E402
from drafter.history.store import Entry, dumps_entry_summary  # noqa: E402
from drafter.judge import combine, judge_message  # noqa: E402
from drafter.model.registry import DEFAULT_MODEL  # noqa: E402
from drafter.model.testing import ScriptedModel, reply_json  # noqa: E402
from drafter.pipeline import draft  # noqa: E402
from drafter.scoring import score_request  # noqa: E402
from drafter.types import DraftRequest, ScoreRequest  # noqa: E402

OUT = ROOT / "drafter" / "api" / "examples.json"
EXAMPLE = ROOT / "drafter" / "examples" / "dana-li.json"
REQUEST_ID = "3f2b9c0e6a7d4e1f8b5c2a9d0e7f6a1b"

_PROBLEMS: dict[int, tuple[str, str, str, list[dict[str, str]]]] = {
    401: ("unauthorized", "A valid API key is required",
          "this service needs an API key: send it in the X-API-Key header", []),
    404: ("not-found", "Not found",
          "no draft #12 is kept for this API key; GET /v1/drafts lists yours",
          [{"field": "id", "message": "no such draft"}]),
    408: ("request-timeout", "The request body did not arrive in time",
          "the request body did not arrive within 10 s: send it in one go, or raise "
          "DRAFTER_BODY_TIMEOUT_S", []),
    413: ("payload-too-large", "The request is too large",
          "the request body is 400213 bytes; the limit is 262144: send shorter works (at "
          "most 20,000 characters each)", []),
    415: ("unsupported-media-type", "The body must be JSON",
          "the body was sent as application/x-www-form-urlencoded; send JSON with "
          "Content-Type: application/json", []),
    422: ("invalid-request", "The request is invalid",
          "goal: give what you hope for from this person (1-500 characters)",
          [{"field": "goal", "message": "give what you hope for from this person "
            "(1-500 characters)"}]),
    429: ("rate-limited", "Too many requests",
          "too many requests: at most 60 a minute; retry after 2 s", []),
    501: ("history-off", "This server keeps no drafts",
          "this server keeps no drafts: its operator can turn that on with "
          "DRAFTER_API_HISTORY_URL (a database URL) and DRAFTER_API_KEYS", []),
    502: ("invalid-model-output", "The model's reply could not be used",
          "the model's reply could not be used after 2 attempts; try again, or use a "
          "stronger model", []),
    503: ("busy", "drafter is busy",
          "drafter is writing 4 messages already; retry in a few seconds", []),
    504: ("model-timeout", "The model did not answer in time",
          "the request took longer than 300 s; try again, ask for fewer variants, or raise "
          "DRAFTER_REQUEST_TIMEOUT_S", []),
}


# The history routes' own 422 and 503 (drafter.api.contract._HISTORY_ERRORS).
_HISTORY_PROBLEMS: dict[int, tuple[str, str, str, list[dict[str, str]]]] = {
    422: ("invalid-request", "The request is invalid",
          "limit: Input should be less than or equal to 100",
          [{"field": "limit", "message": "Input should be less than or equal to 100"}]),
    503: ("configuration-error", "drafter is not configured correctly",
          "cannot open the history at postgresql+psycopg://drafter:***@db/drafter "
          "(OperationalError); check DRAFTER_API_HISTORY_URL, or unset it to keep nothing",
          []),
}


def _problem(status: int, table: dict[int, tuple[str, str, str, list[dict[str, str]]]]
             = _PROBLEMS) -> dict[str, Any]:
    code, title, detail, errors = table[status]
    return {"type": f"urn:drafter:problem:{code}", "title": title, "status": status,
            "detail": detail, "request_id": REQUEST_ID, "errors": errors}


# The judge's replies, one per dimension in rubric order (drafter.scorecard.DIMENSIONS).
_JUDGE_REASONS = [
    "Quotes a sentence of her post and connects it to the sender's own logs.",
    "Offers benchmark results she can use without replying.",
    "One small question about her own practice.",
    "Says who he is and why he writes to her.",
    "Short and easy to decline.",
    "Written to her alone; no template markers.",
]


def _verdicts() -> list[str]:
    return [json.dumps({"evidence": ["Performance regressions are the bugs I fear most"],
                        "reason": reason, "verdict": "pass"}) for reason in _JUDGE_REASONS]


async def build() -> dict[str, Any]:
    settings = Settings(model="fake/scripted", cache_dir=Path("/nonexistent"))
    request_data = json.loads(EXAMPLE.read_text("utf-8"))
    entitled = {**request_data, "goal": "get her to introduce me to her investors"}
    stages: list[dict[str, str]] = []  # what POST /v1/drafts/stream sends before the result

    def progress(line: str) -> None:
        stages.append({"stage": str(getattr(line, "stage", "")), "message": str(line)})

    result = await draft(DraftRequest.model_validate(request_data),
                         client=ScriptedModel([reply_json()], model_id=DEFAULT_MODEL),
                         settings=settings, progress=progress)
    body = result.drafts[0].body
    work = request_data["recipient"]["works"][0]["text"]
    score_req = {"message": body, "subject": result.drafts[0].subject,
                 "works": [work], "channel": "email", "sender_name": "Sam Ortiz",
                 "recipient_name": "Dana Li"}
    req = ScoreRequest.model_validate(score_req)
    card = score_request(req)
    judge = ScriptedModel(list(_verdicts()))
    judged = combine(card, await judge_message(req, client=judge), judge_model=DEFAULT_MODEL)
    draft_result = result.model_dump(mode="json")
    draft_result["model"] = DEFAULT_MODEL
    draft_result["usage"] = {"prompt_tokens": 519, "completion_tokens": 67, "model_calls": 1,
                             "model_seconds": 8.4}
    stored = {"id": 12, "created_at": "2026-12-02T09:14:03Z", "recipient": "Dana Li",
              "channel": request_data["channel"], "model": DEFAULT_MODEL,
              "prompt_version": result.prompt_version, "verdict": result.drafts[0].score.overall,
              "outcome": None, "outcome_variant": None, "outcome_at": None,
              "request": request_data, "result": draft_result}
    answered = {**stored, "outcome": "replied", "outcome_variant": 1,
                "outcome_at": "2026-12-05T16:40:00Z"}
    line = {**dumps_entry_summary(Entry.model_validate(answered)),
            "created_at": stored["created_at"]}  # as the API's JSON writes it
    page = {"drafts": [line], "limit": 20, "offset": 0, "next_offset": None}
    info = service_info(model=DEFAULT_MODEL, fallback_model=None, fetches_urls=True,
                        api_keys_required=False)
    return {
        "draft_request": request_data,
        "entitled_request": entitled,
        "draft_result": draft_result,
        "draft_stream_stages": stages,
        "score_request": score_req,
        "score_card": card.model_dump(mode="json"),
        "judged_score": judged.model_dump(mode="json"),
        "info": info.model_dump(mode="json"),
        "stored_draft": stored,
        "stored_draft_outcome": answered,
        "outcome_request": {"outcome": "replied", "variant": 1},
        "draft_page": page,
        "problems": {str(status): _problem(status) for status in sorted(_PROBLEMS)},
        "history_problems": {str(status): _problem(status, _HISTORY_PROBLEMS)
                             for status in sorted(_HISTORY_PROBLEMS)},
    }


def main() -> int:
    OUT.write_text(json.dumps(asyncio.run(build()), indent=1, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
