"""Every numbered case of docs/design/threats.md has tests named after it."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
THREATS = TESTS.parent / "docs" / "design" / "threats.md"


def _cases() -> set[int]:
    """The case numbers the threat list declares ("30. A fetched page's ...")."""
    return {int(n) for n in re.findall(r"^(\d+)\. ", THREATS.read_text(), re.MULTILINE)}


def test_threat_index_every_case_has_a_named_test() -> None:
    names = re.findall(r"def (test_(?:threat_|case)(\d\d)_\w+)",
                       "\n".join(p.read_text() for p in TESTS.rglob("test_*.py")))
    covered = {int(number) for _, number in names}
    cases = _cases()
    assert cases >= set(range(1, 32)), sorted(set(range(1, 32)) - cases)
    assert {50, 56} <= cases, "the stored-data cases (issue 16)"
    assert covered >= cases, sorted(cases - covered)
