"""Every case of docs/design/threats.md (1-29, and every numbered case listed there) has
tests named after it."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def test_threat_index_every_case_has_a_named_test() -> None:
    names = re.findall(r"def (test_(?:threat_|case)(\d\d)_\w+)",
                       "\n".join(p.read_text() for p in TESTS.rglob("test_*.py")))
    covered = {int(number) for _, number in names}
    assert covered >= set(range(1, 30)), sorted(set(range(1, 30)) - covered)


def test_threat_index_every_listed_case_has_a_named_test() -> None:
    doc = (TESTS.parent / "docs" / "design" / "threats.md").read_text("utf-8")
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", doc, re.MULTILINE)}
    names = re.findall(r"def test_(?:threat_|case)(\d\d)_\w+",
                       "\n".join(p.read_text() for p in TESTS.rglob("test_*.py")))
    assert {50, 56} <= listed, "the stored-data cases (issue 16)"
    assert listed <= {int(n) for n in names}, sorted(listed - {int(n) for n in names})
