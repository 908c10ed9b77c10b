"""One real draft (scripted model, real pipeline), made once and reused by the history tests."""

from __future__ import annotations

import asyncio
import json
from functools import cache

from drafter.config import Settings
from drafter.model.testing import ScriptedModel, reply_json
from drafter.pipeline import draft
from drafter.types import DraftRequest, DraftResult
from tests.conftest import EXAMPLE


@cache
def example() -> tuple[DraftRequest, DraftResult]:
    request = DraftRequest.model_validate(json.loads(EXAMPLE.read_text()))
    settings = Settings(model="fake/scripted", max_repairs=1)
    result = asyncio.run(draft(request, client=ScriptedModel([reply_json()]),
                               settings=settings))
    return request, result


def for_recipient(name: str) -> tuple[DraftRequest, DraftResult]:
    """The example addressed to someone else (same drafts: a near-copy by construction)."""
    request, result = example()
    recipient = request.recipient.model_copy(update={"name": name})
    return request.model_copy(update={"recipient": recipient}), result
