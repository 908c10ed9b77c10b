"""Reply rates with Wilson intervals, and plain words when the numbers are too few."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from drafter.history.stats import MIN_N, compute_stats, wilson
from drafter.history.store import Entry
from tests.history.helpers import example


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (5, 10, 0.2366, 0.7634), (0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0),
    (1, 1, 0.2065, 1.0), (0, 0, 0.0, 1.0)])
def test_wilson_matches_the_published_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson(k, n)
    assert got == pytest.approx((low, high), abs=5e-4)


def entries(*outcomes: str | None) -> list[Entry]:
    request, result = example()
    return [Entry(id=i, created_at=datetime.now(UTC), recipient=f"R{i}", channel="email",
                  model=result.model, prompt_version=result.prompt_version,
                  verdict=result.drafts[0].score.overall,
                  outcome=o, outcome_variant=1 if o else None,  # type: ignore[arg-type]
                  outcome_at=None, request=request, result=result)
            for i, o in enumerate(outcomes, 1)]


def test_rates_count_only_decided_messages_by_verdict_and_dimension() -> None:
    stats = compute_stats(entries(*["replied"] * 8, *["no-reply"] * 4, "sent", "sent",
                                  "bounced", None))
    assert (stats.drafts, stats.marked, stats.awaiting, stats.bounced) == (16, 15, 2, 1)
    assert (stats.overall.replied, stats.overall.decided) == (8, 12)
    assert stats.overall.rate == pytest.approx(8 / 12)
    assert (stats.overall.low, stats.overall.high) == pytest.approx(wilson(8, 12))
    verdict = example()[1].drafts[0].score.overall
    assert [r.group for r in stats.by_verdict] == [verdict]
    assert not stats.by_verdict[0].too_small and stats.note is None
    assert set(stats.by_dimension) == {d.dimension for d in example()[1].drafts[0].score.dimensions}
    for rates in stats.by_dimension.values():
        assert sum(r.decided for r in rates) == 12


def test_few_outcomes_are_said_to_mean_nothing() -> None:
    stats = compute_stats(entries("replied", "no-reply", "sent"))
    assert stats.overall.too_small and stats.overall.decided == 2 < MIN_N
    assert stats.note is not None and "too few" in stats.note


def test_no_outcomes_at_all() -> None:
    stats = compute_stats(entries(None, None))
    assert stats.overall.rate is None and stats.by_verdict == [] and stats.by_dimension == {}
    assert stats.note is not None
