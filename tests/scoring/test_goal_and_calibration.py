from __future__ import annotations

from pathlib import Path

import pytest

from drafter.evals.calibration import calibrate_scorer, cohen_kappa
from drafter.scoring.goal import assess_goal
from drafter.scoring.text import readability

LABELLED = Path(__file__).resolve().parents[2] / "evals" / "labelled" / "messages.jsonl"


def test_entitled_goal(works: list[str]) -> None:
    goal = "get her to introduce me to her investors by Friday"
    a = assess_goal(goal, recipient_name="Dana Li", works=works,
                    sender_about="founder of a logistics analytics startup",
                    sender_offer="my benchmark of groupby on 2 TB of skewed logs")
    assert a.classification == "entitled"
    assert {s.text for s in a.entitled_phrases} >= {"her investors", "by Friday"}
    for s in a.entitled_phrases:
        assert goal[s.start:s.end] == s.text
    assert any("earned, not transferable" in r for r in a.reasons)
    assert any("Offer before asking" in r for r in a.reasons)
    assert a.proposed_first_step is not None
    # The step keeps the intent (funding), and the sender's offer is kept in the plan.
    assert a.first_steps[0].toward == "funding"
    assert a.proposed_first_step.rstrip(".").lower() == a.first_steps[0].step.lower()
    assert a.plan is not None and a.plan.give == "my benchmark of groupby on 2 TB of skewed logs"
    assert a.rewritten_goal == a.proposed_first_step
    assert a.overlap is True and a.overlap_note is None


def test_a_match_that_holds_an_earlier_one_from_a_verb_before_it_names_the_ask() -> None:
    # "his mailing list" alone is a contacts ask; "share it with his mailing list" is one to
    # promote the sender's work, and the step is chosen from it.
    a = assess_goal("would he share it with his mailing list when its out",
                    recipient_name="Sam")
    assert [s.text for s in a.entitled_phrases] == ["share it with his mailing list"]
    assert a.first_steps[0].toward == "their audience hearing about your work"
    # Two matches that start together stay as found first ("co-author my article").
    b = assess_goal("ask her to co-author my article for a heritage journal",
                    recipient_name="Sam")
    assert b.first_steps[0].toward == "working together on research"


@pytest.mark.parametrize("goal", [
    "a referral for the senior engineer role", "get a job on her team",
    "access to her network", "have her review my codebase for free",
])
def test_more_entitled_goals(goal: str, works: list[str]) -> None:
    assert assess_goal(goal, recipient_name="Dana", works=works).classification == "entitled"


def test_proportionate_goal_is_kept(works: list[str]) -> None:
    goal = "learn how she picked the 10 million key threshold"
    a = assess_goal(goal, recipient_name="Dana Li", works=works, sender_about="data engineer")
    assert a.classification == "proportionate"
    assert a.rewritten_goal == goal
    assert a.proposed_first_step is None


def test_unclear_goal_gets_a_step(works: list[str]) -> None:
    a = assess_goal("connect", recipient_name="Dana Li", works=works,
                    sender_about="groupby performance engineer")
    assert a.classification == "unclear"
    assert a.proposed_first_step and a.rewritten_goal == a.proposed_first_step


def test_no_overlap_is_reported(works: list[str]) -> None:
    a = assess_goal("get a referral", recipient_name="Dana Li", works=works,
                    sender_about="wedding photographer in Lisbon")
    assert a.overlap is False
    assert a.overlap_note and "not send" in a.overlap_note


def test_cohen_kappa_known_values() -> None:
    # Classic 2x2 example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa = 0.4
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["a", "b"], ["a", "b"]) == pytest.approx(1.0)
    assert cohen_kappa(["a", "b"], ["b", "a"]) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        cohen_kappa(["a"], [])


def test_calibration_report_on_labelled_set() -> None:
    report = calibrate_scorer(LABELLED)
    assert report.n >= 60
    assert report.dimensions[0].name == "personalization"
    assert sum(sum(row.values()) for row in report.verdict.confusion.values()) == report.n
    disagreements = (len(report.verdict.false_positives) + len(report.verdict.false_negatives)
                     + len(report.verdict.other_disagreements))
    assert disagreements == round(report.n * (1 - report.verdict.percent_agreement / 100))


def test_flesch_formula_known_value() -> None:
    # "The cat sat on the mat." 6 words, 6 syllables, 1 sentence: 206.835-6.09-84.6 = 116.145
    ease, grade = readability("The cat sat on the mat.", 1)
    assert ease == pytest.approx(116.145, abs=0.01)
    assert grade == pytest.approx(-1.45, abs=0.01)
