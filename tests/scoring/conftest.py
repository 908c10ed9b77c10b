from __future__ import annotations

import pytest

GROUPBY = (
    "Faster groupby in tidyframe 2.0. We rewrote groupby around a hash table instead of "
    "sort-merge. On our 1 GB benchmark it is 3.2x faster, but memory grows with the number of "
    "distinct keys, so for very high-cardinality keys we fall back to sort-merge. The threshold "
    "is a heuristic: we switch when the estimated key count passes 10 million."
)


@pytest.fixture
def works() -> list[str]:
    return [GROUPBY]
