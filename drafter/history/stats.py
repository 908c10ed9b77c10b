"""Reply rates from the outcomes the user marked, with Wilson 95% intervals.

A message counts once its fate is known: ``replied`` or ``no-reply``. ``sent`` is still
waiting and ``bounced`` never reached anyone, so neither is in a rate (both are counted).
Rates are grouped by the rubric's overall verdict and by each dimension's verdict of the
draft that was sent (``mark --variant``, default the first). With few messages an interval
spans most of [0, 1]; a group under ``MIN_N`` is said to be too small rather than ranked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from drafter.basemodels import Frozen
from drafter.history.store import Entry

__all__ = ["MIN_N", "Rate", "Stats", "compute_stats", "wilson"]

Z95 = 1.959963984540054
# Below this many decided messages a rate's interval is wider than +-0.3: not a finding.
MIN_N = 10


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval: unlike p +- z*se it stays in [0, 1] and is sane at 0 or n."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


class Rate(Frozen):
    group: str
    replied: int
    decided: int  # replied + no-reply
    rate: float | None
    low: float
    high: float
    too_small: bool


class Stats(Frozen):
    drafts: int
    marked: int
    awaiting: int  # marked sent, no reply or no-reply yet
    bounced: int
    overall: Rate
    by_verdict: list[Rate]
    by_dimension: dict[str, list[Rate]]
    note: str | None


def _rate(group: str, replied: int, decided: int) -> Rate:
    low, high = wilson(replied, decided)
    return Rate(group=group, replied=replied, decided=decided,
                rate=replied / decided if decided else None, low=low, high=high,
                too_small=decided < MIN_N)


def compute_stats(entries: Iterable[Entry]) -> Stats:
    entries = list(entries)
    counts = {"sent": 0, "replied": 0, "no-reply": 0, "bounced": 0}
    verdict: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    dims: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for e in entries:
        if e.outcome is None:
            continue
        counts[e.outcome] += 1
        if e.outcome not in ("replied", "no-reply"):
            continue
        hit = int(e.outcome == "replied")
        index = (e.outcome_variant or 1) - 1
        draft = e.result.drafts[index] if index < len(e.result.drafts) else None
        card_verdict = draft.score.overall if draft else e.verdict
        verdict[card_verdict][0] += hit
        verdict[card_verdict][1] += 1
        for dim in draft.score.dimensions if draft else []:
            dims[dim.dimension][dim.verdict][0] += hit
            dims[dim.dimension][dim.verdict][1] += 1
    decided = counts["replied"] + counts["no-reply"]
    overall = _rate("all", counts["replied"], decided)
    note = None
    if decided < MIN_N:
        note = (f"only {decided} message(s) with a known outcome (replied or no-reply): too "
                f"few for any rate to mean anything; mark at least {MIN_N} per group")
    elif any(r.too_small for r in (_rate(k, *v) for k, v in verdict.items())):
        note = (f"groups with fewer than {MIN_N} decided messages are too small to compare; "
                "overlapping intervals mean no difference was shown")
    return Stats(
        drafts=len(entries), marked=sum(counts.values()), awaiting=counts["sent"],
        bounced=counts["bounced"], overall=overall,
        by_verdict=[_rate(k, *v) for k, v in sorted(verdict.items())],
        by_dimension={d: [_rate(k, *v) for k, v in sorted(per.items())]
                      for d, per in dims.items()},
        note=note)
