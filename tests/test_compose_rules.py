"""Composition rules found by blind review (drafter.compose): who writes, the order of what
they say, and pronouns that point at nobody."""

from __future__ import annotations

from drafter.compose import _closing, _unintroduced, introduction
from drafter.config import Settings
from drafter.scoring.goal import assess_goal


def test_a_role_and_a_name_read_as_a_role_in_it() -> None:
    assert introduction("Dmitri Volkov", "cofounder, LabLedger (lab inventory)") == (
        "I'm Dmitri, a cofounder of LabLedger (lab inventory).")
    assert introduction("Sam Ortiz", "data engineer at a freight company") == (
        "I'm Sam, a data engineer at a freight company.")


def test_a_promise_about_the_reply_goes_after_the_question() -> None:
    pieces = {"why": "I read your post. I'll reply either way, even if it's a no.",
              "offer": "I can offer numbers upfront.", "ask": "Would you be open to it?"}
    assert _closing(pieces) == ["I'll reply either way, even if it's a no."]
    assert pieces["why"] == "I read your post."
    no_question = {"why": "I'll reply either way.", "offer": "", "ask": ""}
    assert _closing(no_question) == [] and no_question["why"] == "I'll reply either way."


def test_her_for_someone_the_message_never_names_is_caught() -> None:
    assert _unintroduced("I'm Alyssa. I'd be glad to send you her bio.", [], "he") == "her"
    assert _unintroduced("Our CEO leads it. I'd be glad to send you her bio.", [], "he") is None
    # Their own words may say anything: the quote is not the sender's line.
    quote = "She said it best."
    assert _unintroduced(f'You wrote: "{quote}" I\'m Al.', [quote], "he") is None


def test_an_introduction_goal_is_coached_to_advice_on_a_first_step() -> None:
    a = assess_goal("ask him to intro us to 2-3 investors in his network",
                    recipient_name="Marcio Saito")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.ask == "What would you suggest someone in my position do first?"


async def test_a_quote_cut_by_a_short_notes_limit_is_reported_not_counted(
        settings: Settings) -> None:
    import json
    from pathlib import Path

    from drafter.pipeline import draft
    from drafter.types import DraftRequest
    from tests.fakes import ScriptedModel, reply_json

    data = json.loads((Path(__file__).parent.parent / "drafter" / "examples" / "dana-li.json")
                      .read_text())
    data["channel"] = "linkedin_note"
    data["sender"]["offer"] = ("the results of running the new groupby on 2 TB of our shipment "
                               "logs, where keys are very skewed, including the spill-to-disk "
                               "path on spinning disks, plus our notes on memory use per key")
    model = ScriptedModel([reply_json(quote=4)])
    d = (await draft(DraftRequest.model_validate(data), client=model,
                     settings=settings)).drafts[0]
    fits = next(c for c in d.checks if c.name == "quote_fits")
    assert not fits.passed and "limit" in fits.detail and not d.passed
    assert d.references == [] and "wrote" not in d.body
    assert len(model.requests) == 1, "the model cannot mend the sender's length: no repair"
