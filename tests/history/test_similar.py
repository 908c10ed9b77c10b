"""A new draft nearly the same as one written for someone else is found and named."""

from __future__ import annotations

from datetime import UTC, datetime

from drafter.history.similar import near_copies, normalise
from drafter.history.store import Entry
from tests.history.helpers import example

TEMPLATE = ("Hi {name},\n\nI read your post on groupby and loved it. I'd be glad to send you "
            "my benchmark on skewed logs. How do you catch performance regressions?\n\nBest,\n"
            "Sam Ortiz")


def stored(entry_id: int, recipient: str, body: str) -> Entry:
    request, result = example()
    drafts = [result.drafts[0].model_copy(update={"body": body})]
    return Entry(id=entry_id, created_at=datetime.now(UTC), recipient=recipient,
                 channel="email", model="m", prompt_version="p", verdict="acceptable",
                 outcome=None, outcome_variant=None, outcome_at=None, request=request,
                 result=result.model_copy(update={"drafts": drafts}))


def test_names_do_not_make_two_copies_different() -> None:
    assert normalise(TEMPLATE.format(name="Dana"), ["Dana Li"]) == \
        normalise(TEMPLATE.format(name="Lee"), ["Lee Chan"])


def test_the_closest_earlier_draft_to_someone_else_is_named() -> None:
    history = [stored(1, "Ana Ruiz", "Hi Ana, completely different words about a talk."),
               stored(2, "Lee Chan", TEMPLATE.format(name="Lee")),
               stored(3, "Dana Li", TEMPLATE.format(name="Dana"))]
    found = near_copies([TEMPLATE.format(name="Dana") + " Thanks!"], "Dana Li", history)
    assert [(c.variant, c.entry_id, c.recipient) for c in found] == [(1, 2, "Lee Chan")]
    assert found[0].similarity >= 0.9


def test_a_draft_about_this_person_is_not_a_copy() -> None:
    history = [stored(2, "Lee Chan", TEMPLATE.format(name="Lee"))]
    own = ("Hi Dana,\n\nYour note that regressions are the bugs you fear most matched our "
           "week lost to a slow release. I can send my skewed-key timings. Do you gate "
           "releases on a benchmark?\n\nBest,\nSam Ortiz")
    assert near_copies([own], "Dana Li", history) == []
