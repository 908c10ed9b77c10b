"""The final verdict: rules for entitled, the learned reader for acceptable vs needs_work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.scoring import next_step, rule_card, score_message
from drafter.scoring.learned import features, model

ROOT = Path(__file__).resolve().parents[2]
GOOD = ("Hi Dana,\n\nI'm Sam, a data engineer at a freight company. Your post on the tidyframe "
        "2.0 groupby says the 10 million key threshold may be wrong for skewed data, so I ran "
        "it on our logs and put the timings in a gist: https://gist.github.com/s/1.\n\n"
        "Would a sample-based estimate be welcome as a PR?\n\nSam")
BAD = "Hello, I admire your work. Would love to connect and chat sometime."


def test_entitled_is_decided_by_the_rules_and_names_the_change() -> None:
    card = score_message("Can you refer me to your hiring manager?")
    assert card.overall == "entitled"
    assert card.reading is None  # the learned part is not asked
    assert card.next_step is not None and "referral" in card.next_step.lower()


def test_the_learned_reader_separates_a_good_message_from_a_generic_one() -> None:
    good, bad = score_message(GOOD), score_message(BAD)
    assert good.overall == "acceptable"
    assert bad.overall == "needs_work"
    assert good.reading is not None and bad.reading is not None
    assert good.reading.p_acceptable > bad.reading.p_acceptable
    assert bad.next_step  # needs_work always names the one change
    # Reasons are feature names the model actually weighs.
    weights = model().weights
    assert all(name in weights for name in good.reading.toward + bad.reading.against)


def test_reading_is_the_model_over_the_rule_card() -> None:
    card = rule_card(GOOD)
    f = features(card, GOOD, None)
    assert min(f.values()) >= 0.0 and max(f.values()) <= 1.0
    final = score_message(GOOD)
    assert final.reading is not None
    assert final.reading.p_acceptable == pytest.approx(model().probability(f), abs=1e-3)
    assert final.reading.rules == card.overall
    assert [d.verdict for d in final.dimensions] == [d.verdict for d in card.dimensions]


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

    committed = json.loads((ROOT / "drafter/data/learned/acceptable.json").read_text())
    dev = [m for m in load_corpus(ROOT / "evals/labelled/corpus/messages.jsonl")
           if m.split == "dev"]
    data, _ = train(dev)
    assert data["trained_on"] == committed["trained_on"]
    assert set(data["weights"]) == set(committed["weights"])
    worst = max(abs(data["weights"][k] - committed["weights"][k]) for k in data["weights"])
    assert worst < 1e-2, "stale weights: run python -m drafter.evals.learn"
    assert data["intercept"] == pytest.approx(committed["intercept"], abs=1e-2)
