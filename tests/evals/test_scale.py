"""Evals at scale, on the replay tier and the committed fixtures (no model): a killed run
resumed from its journal, shards merged back into the whole, and ``--shard`` usage errors.

Reports are compared whole, except ``usage.wall_seconds`` (the clock of each process: a
resumed or sharded run takes a different time by nature) and ``merged_from`` (where a merged
report came from). Every other field, model seconds included, comes from the cases (replayed
from fixtures) or from counters kept per case, so it must be identical.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from drafter.cli import main
from tests.evals.helpers import DATASETS, ROOT, RUBRIC

FIXTURES = ROOT / "evals" / "fixtures"
BASELINE = ROOT / "evals" / "baseline" / "report.json"
# 18 cases; the corpus and calibration sections are switched off (missing files): not what
# is under test, and they are most of a replay run's time.
COMMON = ["eval", "--tier", "replay", "--dataset", str(DATASETS), "--rubric", str(RUBRIC),
          "--fixtures", str(FIXTURES), "--review-grades", str(ROOT / "evals/review/grades"),
          "--corpus", "/nonexistent/corpus.jsonl", "--labelled", "/nonexistent/labelled.jsonl",
          "--baseline", str(BASELINE), "--case", "oss-*", "--case", "fnd-*"]
KILL_AFTER = 5

# The CLI with a test hook (not a production flag): the process SIGKILLs itself right after
# the KILL_AFTER-th case is journalled, as an OOM killer or a cancelled CI job would.
_KILLED = f"""
import os, signal, sys
from drafter.evals import journal
_append = journal.Journal.append
_n = [0]
def append(self, case, stats):
    _append(self, case, stats)
    _n[0] += 1
    if _n[0] == {KILL_AFTER}:
        os.kill(os.getpid(), signal.SIGKILL)
journal.Journal.append = append
from drafter.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _report(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    doc["usage"].pop("wall_seconds")
    doc.pop("merged_from", None)
    return doc


def _run(out: Path, *extra: str) -> int:
    return main([*COMMON, "--out", str(out), *extra])


def test_a_killed_run_resumed_ends_with_the_report_of_an_uninterrupted_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    killed = tmp_path / "killed"
    # With -c, the working directory comes first on sys.path: this checkout's drafter runs.
    proc = subprocess.run([sys.executable, "-c", _KILLED, *COMMON, "--out", str(killed)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    journal = killed / "journal.jsonl"
    assert len(journal.read_text().splitlines()) == 1 + KILL_AFTER  # header + finished cases
    assert not (killed / "report.json").exists()
    with journal.open("a") as fh:  # and a write the kill cut short
        fh.write('{"case": {"id": "oss-')

    assert _run(killed, "--resume") == 0
    said = capsys.readouterr().err
    assert f"resuming: {KILL_AFTER} of 18 case(s) done" in said
    assert "dropped the unfinished last line" in said
    ran = [line for line in said.splitlines() if line.startswith("[")]
    assert len(ran) == 18 - KILL_AFTER  # only the other cases ran ...
    assert ran[0].startswith(f"[  {KILL_AFTER + 1}/18]")  # ... numbered after the done ones

    assert _run(tmp_path / "whole") == 0
    resumed, whole = _report(killed), _report(tmp_path / "whole")
    assert [c["id"] for c in resumed["cases"]] == [c["id"] for c in whole["cases"]]
    assert resumed == whole
    # The journal now holds every case once; resuming a finished run runs nothing.
    assert len(journal.read_text().splitlines()) == 1 + 18
    capsys.readouterr()
    assert _run(killed, "--resume") == 0
    assert not [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("[")]
    assert _report(killed) == whole


def test_a_journal_of_another_configuration_is_never_mixed_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _run(out) == 0
    before = (out / "report.json").read_text()
    capsys.readouterr()
    assert _run(out, "--resume", "--repeat", "2") == 2
    err = capsys.readouterr().err
    assert "different run configuration (repeat: journal 1, now 2)" in err
    assert "give another --out, or run without --resume" in err
    assert _run(out, "--resume", "--shard", "1/2") == 2
    err = capsys.readouterr().err
    assert "selected cases (--case, --dataset or --shard)" in err and "shard: journal None" in err
    assert (out / "report.json").read_text() == before  # nothing was run or written
    # Without --resume a run starts over and says it replaced the old journal.
    assert _run(out) == 0
    assert "starting over: replacing the journal" in capsys.readouterr().err


def test_two_shards_merged_equal_the_whole_run(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    gate = ["--fail-on-regression"]
    assert _run(tmp_path / "whole", *gate) == 0
    # A shard of nine cases may fall under a dataset-wide threshold that the whole run meets
    # (one failing case of nine is 89% < 90%): that is its honest verdict, not an error.
    assert _run(tmp_path / "s2", "--shard", "2/2") in (0, 100)
    assert _run(tmp_path / "s1", "--shard", "1/2") in (0, 100)
    s1, s2 = _report(tmp_path / "s1"), _report(tmp_path / "s2")
    assert (s1["shard"]["index"], s1["shard"]["count"]) == (1, 2)
    assert s1["summary"]["cases"] + s2["summary"]["cases"] == 18
    assert not {c["id"] for c in s1["cases"]} & {c["id"] for c in s2["cases"]}
    assert "shard 1/2" in (tmp_path / "s1" / "report.md").read_text()

    merged = tmp_path / "merged"
    assert main([*COMMON[:-4], "--out", str(merged), "--merge", str(tmp_path / "s2"),
                 str(tmp_path / "s1"), *gate]) == 0
    whole, got = _report(tmp_path / "whole"), _report(merged)
    assert got.pop("shard") is None and whole.pop("shard") is None
    assert got == whole
    raw = json.loads((merged / "report.json").read_text())
    assert raw["merged_from"] == [str(tmp_path / "s1" / "report.json"),
                                  str(tmp_path / "s2" / "report.json")]

    capsys.readouterr()
    assert main([*COMMON[:-4], "--out", str(merged), "--merge", str(tmp_path / "s1")]) == 2
    assert "shard(s) 2/2 missing" in capsys.readouterr().err
    assert main([*COMMON[:-4], "--out", str(merged), "--merge", str(tmp_path / "s1"),
                 str(tmp_path / "s1")]) == 2
    assert "shard 1/2 given twice" in capsys.readouterr().err
    assert main([*COMMON[:-4], "--out", str(merged), "--merge",
                 str(tmp_path / "whole")]) == 2
    assert "not a shard report" in capsys.readouterr().err


@pytest.mark.parametrize(("value", "says"), [
    ("3/2", "K must be from 1 to 2"), ("0/2", "K must be from 1 to 2"), ("x", "is not K/N"),
    ("1/0", "N must be at least 1"), ("", "is not K/N")])
def test_bad_shard_values_are_usage_errors_naming_the_flag(
        value: str, says: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["eval", "--shard", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --shard" in err and says in err


def test_shards_cover_every_case_once_in_equal_parts() -> None:
    from drafter.evals.shard import Shard, shard_cases

    ids = [f"case-{i:02d}" for i in range(91)][::-1]  # file order is not sorted order
    parts = [shard_cases(ids, ids, Shard(k, 4)) for k in range(1, 5)]
    assert sorted(i for p in parts for i in p) == sorted(ids)
    assert sorted(len(p) for p in parts) == [22, 23, 23, 23]
    assert all(p == [i for i in ids if i in p] for p in parts)  # each keeps the file order
