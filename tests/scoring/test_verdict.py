"""The final verdict: rules for entitled, the learned reader for acceptable vs needs_work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.scoring import next_step, rule_card, score_message
from drafter.scoring.learned import features, reader

ROOT = Path(__file__).resolve().parents[2]
GOOD = ("Hi Dana,\n\nI'm Sam, a data engineer at a freight company. Your post on the tidyframe "
        "2.0 groupby says the 10 million key threshold may be wrong for skewed data, so I ran "
        "it on our logs and put the timings in a gist: https://gist.github.com/s/1.\n\n"
        "Would a sample-based estimate be welcome as a PR?\n\nSam")
BAD = "Hello, I admire your work. Would love to connect and chat sometime."


def test_entitled_is_decided_by_the_rules_and_names_the_change() -> None:
    card = score_message("Can you refer me to your hiring manager?")
    assert card.overall == "entitled"
    assert card.reading is not None and card.reading.p_acceptable is None  # not asked
    assert card.next_step is not None and "referral" in card.next_step.lower()
    ask = next(d for d in card.dimensions if d.dimension == "proportionate_ask")
    assert ask.verdict == "fail"  # a floor: the reader cannot clear what the rules are sure of


def test_the_learned_reader_separates_a_good_message_from_a_generic_one() -> None:
    good, bad = score_message(GOOD), score_message(BAD)
    assert good.overall == "acceptable"
    assert bad.overall == "needs_work"
    assert good.reading is not None and bad.reading is not None
    assert good.reading.p_acceptable > bad.reading.p_acceptable
    assert bad.next_step  # needs_work always names the one change
    # Reasons are feature names the model actually weighs.
    index = reader().index
    assert good.reading.toward and bad.reading.against
    assert all(name in index for name in good.reading.toward + bad.reading.against)
    # Function words explain nothing to a person; they are weighed, not given as reasons.
    from drafter.scoring.phrases import phrases

    stop = phrases().stopwords
    for card in (good, bad):
        assert card.reading is not None
        for name in card.reading.toward + card.reading.against:
            kind, _, text = name.partition(":")
            assert not (kind in ("word", "pair") and all(w in stop for w in text.split()))


def test_pasted_messages_are_graded_by_the_reader_and_drafts_by_the_rules() -> None:
    pasted = score_message(GOOD)
    with_work = score_message(GOOD, works=["Faster groupby in tidyframe 2.0. The threshold "
                                           "is 10 million keys; skewed data may differ."])
    assert pasted.reading is not None and pasted.reading.dimensions_by == "reader"
    assert with_work.reading is not None and with_work.reading.dimensions_by == "rules"
    rules = rule_card(GOOD, works=["Faster groupby in tidyframe 2.0. The threshold is 10 "
                                   "million keys; skewed data may differ."])
    assert [d.verdict for d in with_work.dimensions] == [d.verdict for d in rules.dimensions]
    for d in pasted.dimensions:  # a non-passing dimension always says how to fix it
        assert (d.fix is None) == (d.verdict == "pass")


def test_reading_is_the_model_over_the_rule_card() -> None:
    card = rule_card(GOOD)
    f = features(card, GOOD, None)
    assert min(f.values()) >= 0.0 and max(f.values()) <= 1.0
    assert "word:gist" in f and "pair:a gist" in f
    final = score_message(GOOD)
    assert final.reading is not None
    z = reader().logits(f)
    p = reader().p_acceptable(z)
    assert final.reading.p_acceptable == pytest.approx(p, abs=1e-3)
    assert final.reading.rules == card.overall
    dims = {name: reader().dimension(name, z) for name in reader().dimensions}
    assert {d.dimension: d.verdict for d in final.dimensions} == dims


def test_a_failure_the_rules_are_sure_of_keeps_a_message_from_acceptable() -> None:
    body = GOOD.replace("Hi Dana,", "Hi Dana, as we discussed,")
    card = score_message(body)
    cred = next(d for d in card.dimensions if d.dimension == "credibility")
    assert cred.verdict == "fail"
    assert card.overall == "needs_work"


def test_next_step_follows_the_fix_order() -> None:
    card = rule_card("Hi there, I'm Jo. Would love to connect and chat sometime.")
    step = next_step("needs_work", card.dimensions)
    ask = next(d for d in card.dimensions if d.dimension == "proportionate_ask")
    personal = next(d for d in card.dimensions if d.dimension == "personalization")
    # A failing dimension comes before a weak one; among equals the ask comes first.
    expected = personal.fix if personal.verdict == "fail" else ask.fix
    assert step == expected


def test_the_weights_file_is_what_training_on_dev_gives() -> None:
    # Rules changed without retraining would leave the model reading features it was not
    # trained on: retrain with `python -m drafter.evals.learn`.
    pytest.importorskip("sklearn")
    from drafter.evals.corpus import load_corpus
    from drafter.evals.learn import train

    committed = json.loads((ROOT / "drafter/data/learned/reader.json").read_text())
    dev = [m for m in load_corpus(ROOT / "evals/labelled/corpus/messages.jsonl")
           if m.split == "dev"]
    data = train(dev)
    stale = "stale weights: run python -m drafter.evals.learn"
    assert data["trained_on"] == committed["trained_on"]
    assert data["features"] == committed["features"], stale
    for name in ("acceptable", *committed["dimensions"]):
        new = data["acceptable"] if name == "acceptable" else data["dimensions"][name]
        old = (committed["acceptable"] if name == "acceptable"
               else committed["dimensions"][name])
        assert new["classes"] == old["classes"]
        worst = max(abs(a - b) for r1, r2 in zip(new["rows"], old["rows"], strict=True)
                    for a, b in zip(r1, r2, strict=True))
        assert worst < 2e-2, stale
        assert new["intercept"] == pytest.approx(old["intercept"], abs=2e-2)
