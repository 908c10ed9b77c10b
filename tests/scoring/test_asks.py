from __future__ import annotations

import pytest

from drafter.scorecard import ScoreCard
from drafter.scoring import rule_card, score_message


def ask_dim(card: ScoreCard):  # type: ignore[no-untyped-def]
    return next(d for d in card.dimensions if d.dimension == "proportionate_ask")


def test_polite_but_entitled_is_caught() -> None:
    card = score_message("Would you be so kind as to introduce me to your investors?")
    assert card.overall == "entitled"
    assert [a.kind for a in card.asks] == ["investors"]
    assert card.asks[0].text == "your investors"


def test_blunt_but_proportionate_passes() -> None:
    card = score_message("Quick question: why did you pick a hash table over sort-merge?")
    assert ask_dim(card).verdict == "pass"
    assert card.overall != "entitled"
    assert [(a.size, a.kind) for a in card.asks] == [("small", "question")]


@pytest.mark.parametrize(("body", "kind"), [
    ("Could you share your contacts at Stripe?", "contacts"),
    # The people they serve, as a list to hand over.
    ("Could you send me your client list?", "contacts"),
    ("Would you share the emails of your subscribers with us?", "contacts"),
    ("Could you forward me your customers' emails?", "contacts"),
    ("Can you build a Python binding for us for free?", "free_work"),
    ("Would you put in a good word with the hiring manager?", "referral"),
    ("Could you read my 80-page thesis and send comments?", "document_review"),
    ("Could you review my thesis draft by Friday?", "urgent_review"),
    ("Would you be my mentor?", "mentorship"),
])
def test_large_asks(body: str, kind: str) -> None:
    card = score_message(body)
    assert kind in {a.kind for a in card.asks if a.size == "large"}
    assert card.overall == "entitled"


@pytest.mark.parametrize(("body", "kind"), [
    ("Would you be open to a 15-minute call next week?", "short_call"),
    ("Would a quick call work sometime?", "short_call"),
    ("Could you take a look at my PR #418?", "pr_review"),
    ("Any thoughts on whether this benchmark setup is fair?", "feedback"),
])
def test_small_asks(body: str, kind: str) -> None:
    card = score_message(body)
    assert [(a.size, a.kind) for a in card.asks] == [("small", kind)]
    assert ask_dim(card).verdict == "pass"


@pytest.mark.parametrize(("body", "kind"), [
    ("I'd love to pick your brain about my startup.", "pick_brain"),
    ("Would you be free for coffee next week?", "meeting"),
    ("Could we set up a 60-minute call to go through it?", "meeting"),
    ("Would love to chat sometime.", "vague"),
    ("Are you hiring? I'd be a great fit for your team.", "job"),
    ("I am looking at the possibility of obtaining a position for a summer internship.", "job"),
])
def test_open_ended_asks_are_weak_not_entitled(body: str, kind: str) -> None:
    # GUIDE.md: "pick your brain" and a call of unclear length are vague asks (weak), which a
    # stranger can decline; they are not treated as owed. Nor is asking for a job: readers
    # take it as fair to someone who hires.
    card = rule_card(body)
    assert kind in {a.kind for a in card.asks}
    assert all(a.size == "small" for a in card.asks)
    assert ask_dim(card).verdict == "weak"
    assert f"ask.{kind}" in {f.code for f in ask_dim(card).findings}
    assert card.overall != "entitled"


@pytest.mark.parametrize("body", [
    "Would you share our guide with your readers on your resources page?",
    "If you decide to write a little something about us for your blog, let us know!",
    "We're requesting a featured front cover story about our client for June.",
    "plz can you provide me the full exact code so it compiles",
    "Would you consider translating a 225-word document to evaluate your skills?",
])
def test_promotion_free_work_and_job_asks_are_entitled(body: str) -> None:
    card = score_message(body)
    assert any(a.size == "large" for a in card.asks), card.asks
    assert card.overall == "entitled"


def test_asking_for_their_own_contact_details_is_not_their_network() -> None:
    card = score_message("I cannot find your contact information; could you leave me a message?")
    assert "contacts" not in {a.kind for a in card.asks}


def test_several_asks_are_weak_a_questionnaire_fails() -> None:
    two = score_message("How did you pick the cap? And did it hurt expansion revenue?")
    assert len(two.asks) == 2
    assert ask_dim(two).verdict == "weak"
    three = score_message("What should our free tier be? How did you set the cap? "
                          "Did annual plans help?")
    assert ask_dim(three).verdict == "weak"  # GUIDE.md: several asks at once
    assert "ask.stacked" in {f.code for f in ask_dim(three).findings}
    six = score_message(" ".join(f"Question {i}: what about part {i}?" for i in range(6)))
    assert ask_dim(six).verdict == "fail"
    assert six.overall == "entitled"


def test_one_clause_is_one_ask_but_or_separates() -> None:
    one = score_message("Could you introduce me to your investors?")
    assert len(one.asks) == 1
    two = score_message("Could you refer me, or introduce me to the hiring manager?")
    assert [a.kind for a in two.asks] == ["referral", "intro"]


def test_negated_ask_is_not_an_ask() -> None:
    card = score_message("I'm not asking for a job or a referral. I wrote up the settings.")
    assert card.asks == []


def test_offer_question_is_not_an_ask() -> None:
    card = score_message("Would you like me to send the notebook?")
    assert card.asks == []


def test_function_call_is_not_a_meeting() -> None:
    card = score_message("Would you accept a PR that removes a function call in the hot loop?")
    assert all(a.kind != "meeting" for a in card.asks)
