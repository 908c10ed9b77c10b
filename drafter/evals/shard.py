"""``--shard K/N``: split one eval run across N machines, each running a stable part.

A case's shard is fixed by its position among the run's case ids sorted by name (after any
``--case`` filter): ids 1, N+1, 2N+1, ... go to shard 1, and so on. Sorted ids give shards of
equal size (a hash of the id would not, on 91 cases) and every machine computes the same split
from the same dataset and flags, whatever order the files list the cases in. ``drafter eval
--merge`` puts the shard reports back together (``drafter.evals.merge``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Shard", "parse_shard", "shard_cases"]

_FORM = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # K, from 1
    count: int  # N

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"2/4"`` -> Shard(2, 4); anything else is a ValueError saying what is allowed."""
    m = _FORM.match(text)
    if m is None:
        raise ValueError(f"{text!r} is not K/N: give the shard and the shard count, e.g. 2/4")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1:
        raise ValueError(f"{text!r}: the shard count N must be at least 1")
    if not 1 <= k <= n:
        raise ValueError(f"{text!r}: the shard K must be from 1 to {n} (shards count from 1)")
    return Shard(k, n)


T = TypeVar("T")


def shard_cases(ids: list[str], items: list[T], shard: Shard) -> list[T]:
    """The items (one per id, same order) whose id falls in ``shard``; order is kept."""
    rank = {case_id: i for i, case_id in enumerate(sorted(ids))}
    return [item for case_id, item in zip(ids, items, strict=True)
            if rank[case_id] % shard.count == shard.index - 1]
