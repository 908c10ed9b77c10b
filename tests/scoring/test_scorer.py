from __future__ import annotations

import re

import pytest

from drafter.scorecard import DIMENSIONS, ScoreCard
from drafter.scoring import score_message

GOOD = """Hi Dana,

I'm Sam, a data engineer at a freight company. Your post says "memory grows with the number of \
distinct keys", so I ran tidyframe 2.0 on our skewed logs and put the timings in a gist: \
https://gist.github.com/sortiz/7f3a.

One question: would a sample-based key count estimate be welcome as a PR?

Best,
Sam"""


def dim(card: ScoreCard, name: str):  # type: ignore[no-untyped-def]
    return next(d for d in card.dimensions if d.dimension == name)


def codes(card: ScoreCard, name: str) -> set[str]:
    return {f.code for f in dim(card, name).findings}


def test_refer_me_is_entitled_with_exact_span() -> None:
    body = "Hi! Can you please refer me?"
    card = score_message(body)
    assert card.overall == "entitled"
    ask = dim(card, "proportionate_ask")
    assert ask.verdict == "fail"
    finding = next(f for f in ask.findings if f.code == "ask.referral")
    assert [s.text for s in finding.spans] == ["refer me"]
    s = finding.spans[0]
    assert body[s.start:s.end] == "refer me"
    assert finding.fix and ask.fix == finding.fix


def test_grounded_give_first_message_is_acceptable(works: list[str]) -> None:
    card = score_message(GOOD, works=works, sender_name="Sam Ortiz", recipient_name="Dana Li",
                         subject="Skewed groupby timings")
    assert card.overall == "acceptable", card.summary
    assert [d.dimension for d in card.dimensions] == list(DIMENSIONS)
    assert all(d.verdict == "pass" for d in card.dimensions)
    assert "personalization.quote_found" in codes(card, "personalization")
    assert len(card.asks) == 1 and card.asks[0].size == "small"
    assert len(card.offers) == 1 and not card.offers[0].conditional


def test_every_span_indexes_the_body(works: list[str]) -> None:
    body = ("Dear Sir/Madam, I hope this email finds you well. Love your work! As we discussed, "
            "please introduce me to your investors ASAP. [FIRST NAME]")
    card = score_message(body, works=works)
    spans = [s for d in card.dimensions for f in d.findings for s in f.spans]
    spans += [a.span for a in card.asks]
    assert spans
    for s in spans:
        assert body[s.start:s.end] == s.text


def test_curly_quotes_keep_offsets(works: list[str]) -> None:
    body = "I’m Sam. Your post says “memory grows with the number of distinct keys”. Thanks!"
    card = score_message(body, works=works)
    found = next(f for f in dim(card, "personalization").findings
                 if f.code == "personalization.quote_found")
    assert found.spans[0].text == "memory grows with the number of distinct keys"


def test_metrics_and_channel_limit() -> None:
    body = "Hi Ana, I'm Li, a payments engineer. " * 10
    card = score_message(body, channel="linkedin_note", linkedin_free_account=True)
    assert card.limits.max_characters == 200
    assert not card.limits.within_limit
    assert "respect.channel_limit" in codes(card, "respect")
    assert card.metrics.words == 70
    assert card.metrics.characters == len(body)


def test_overall_needs_work_on_a_fail_without_large_ask(works: list[str]) -> None:
    body = ("Hi Dana, as promised, I'm following up: your groupby rewrite around a hash table "
            "with the sort-merge fallback is neat. Why 10 million keys?\n\nSam")
    card = score_message(body, works=works, sender_name="Sam")
    assert dim(card, "credibility").verdict == "fail"
    assert card.overall == "needs_work"


@pytest.mark.parametrize("body", [
    "Hi! Can you please refer me?",
    "Would you be so kind as to introduce me to your investors?",
])
def test_summary_is_one_line(body: str) -> None:
    card = score_message(body)
    assert "\n" not in card.summary
    assert re.match(r"^entitled: large ask \(\w+: \"[^\"]+\"\)$", card.summary)
