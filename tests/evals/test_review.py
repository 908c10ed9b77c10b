"""Blind review: grades count only for the exact text they judged; false passes are named."""

from __future__ import annotations

import json
from pathlib import Path

from drafter.evals.evaluators import Subject, ask_to_recipient, no_invented_offer
from drafter.evals.results import CaseResult, CriterionResult, RepeatResult
from drafter.evals.review import Grade, body_sha, packets, review_summary


def _case(cid: str, body: str, passed: bool, split: str = "dev") -> CaseResult:
    rep = RepeatResult(repeat=0, status="pass", subject="Hi", body=body, criteria=[
        CriterionResult(name="service_passed", passed=passed, reason="")])
    return CaseResult(id=cid, persona="p", channel="email", tags=["real"], split=split,  # type: ignore[arg-type]
                      status="pass", repeats=[rep], criteria={})


def _grade(cid: str, who: str, verdict: str, body: str) -> Grade:
    return Grade(case=cid, reviewer=who, verdict=verdict, body_sha=body_sha("Hi", body),
                 why="" if verdict == "pass" else "invented a fact")


def test_false_passes_and_agreement_are_counted_per_split() -> None:
    cases = [_case("a", "good", True), _case("b", "bad", True), _case("c", "meh", False, "test")]
    grades = [_grade("a", "r1", "pass", "good"), _grade("a", "r2", "pass", "good"),
              _grade("b", "r1", "fail", "bad"), _grade("b", "r2", "pass", "bad"),
              _grade("c", "r1", "fail", "meh"), _grade("c", "r2", "fail", "meh")]
    s = review_summary(cases, grades)
    assert s is not None and s.graded_cases == 3 and s.reviewers_per_case == 2
    assert s.by_split["all"].false_passes == ["b"]
    assert s.by_split["dev"].both_passed == 1 and s.by_split["test"].cases == 1
    assert s.inter_reviewer_agreement == round(2 / 3, 3)
    assert s.failures["b"] == ["r1: invented a fact"]


def test_a_grade_of_another_text_is_stale_and_never_counted() -> None:
    cases = [_case("a", "the new draft", True)]
    s = review_summary(cases, [_grade("a", "r1", "fail", "the old draft")])
    assert s is None  # nothing matches the current text


def test_packets_carry_inputs_and_message_only(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"cases": [{"id": "real-tech-tidwall-neco-bug", "repeats": [
        {"subject": "A bug", "body": "Hi Josh, ...", "criteria": [], "assessment": "x"}]}]}))
    rows = packets(report, Path(__file__).resolve().parents[2] / "evals" / "datasets")
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {"case", "body_sha", "inputs", "message"}
    assert "checks" not in json.dumps(row) and "assessment" not in json.dumps(row)
    assert row["body_sha"] == body_sha("A bug", "Hi Josh, ...")


def _subject(offer: str | None, ask: str | None, allowed: str) -> Subject:
    from drafter.types import Draft

    draft = Draft.model_construct(subject="s", body="b", references=[], offer=offer, ask=ask,
                                  checks=[], passed=True, attempts=1)
    return Subject(case_goal="any", must_reference=True, must_offer=False, forbidden=(),
                   max_chars=2000, works=("Their work.",), allowed_text=allowed,
                   result=None, draft=draft, recipient_name="Dana Li",  # type: ignore[arg-type]
                   sender_name="Sam Ortiz")


def test_an_offer_saying_what_the_sender_never_supplied_is_invented() -> None:
    v = no_invented_offer(_subject("I'd be glad to send you a thank-you gift and my contacts.",
                                   None, "data engineer; learn how she tests"))
    assert v.passed is False and "gift" in v.reason
    ok = no_invented_offer(_subject("I'd be glad to send you my benchmark.", None,
                                    "my benchmark; learn how she tests"))
    assert ok.passed is True


def test_a_third_person_ask_fails_the_criterion() -> None:
    v = ask_to_recipient(_subject(None, "How does Dana handle regressions?", "x"))
    assert v.passed is False and "Dana" in v.reason


def test_agreement_spans_rounds_of_reviewers_pair_by_pair() -> None:
    cases = [_case(c, c, True) for c in "abcd"]
    # Round 1 (r1, r2) agree on all four; round 2 (r3, r4) disagree on one.
    grades = [_grade(c, r, "pass" if c != "d" else "fail", c) for c in "abcd" for r in ("r1", "r2")]
    grades += [_grade(c, "r3", "pass" if c != "d" else "fail", c) for c in "abcd"]
    grades += [_grade(c, "r4", "pass", c) for c in "abcd"]
    s = review_summary(cases, grades)
    assert s is not None and s.reviewers_per_case == 4
    # Six pairs share four texts each; r4 disagrees with r1, r2 and r3 on "d".
    assert s.inter_reviewer_agreement == round((3 * 4 + 3 * 3) / 24, 3)
    assert s.by_split["all"].reviewers_passed == 3  # "d" fails: every reviewer must pass


def test_cases_written_after_the_rules_form_their_own_split() -> None:
    import yaml

    from drafter.evals.dataset import EvalCase

    base = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "real-tech.yaml"
    raw = yaml.safe_load(base.read_text(encoding="utf-8"))["cases"][0]
    assert EvalCase.model_validate(raw).split in {"dev", "test"}
    fresh = EvalCase.model_validate({**raw, "tags": [*raw["tags"], "fresh"]})
    assert fresh.split == "fresh"
    s = review_summary([_case("f", "new", True, "fresh")], [_grade("f", "r1", "fail", "new")])
    assert s is not None and s.by_split["fresh"].false_passes == ["f"]


def test_an_offer_said_in_prose_from_typed_shorthand_is_not_invented() -> None:
    ok = no_invented_offer(_subject("I'll send you the finished handout, it's any use.", None,
                                    "ill send her the finished handout if its any use"))
    assert ok.passed is True


def test_a_question_about_the_senders_own_notes_fails_the_criterion() -> None:
    s = _subject(None, "How did you feel when you started selling celebration cakes from your "
                 "kitchen?", "x")
    s = Subject(**{**s.__dict__, "sender_about": "physio, started selling celebration cakes "
                   "from my kitchen 6 months ago"})
    v = ask_to_recipient(s)
    assert v.passed is False and "your own facts" in v.reason
