"""The run's journal: every finished case appended to ``OUT/journal.jsonl`` as it finishes.

A long run (the local tier is ~15-30 s a case) that dies keeps every case it finished: each
line is written, flushed and fsynced before the next case is counted, so a kill at any moment
loses at most the cases in flight (and leaves at most one torn last line, which a resume drops).

The first line names the run's configuration (:func:`journal_config`): everything that changes
a case's result (tier, model, prompt template hash, dataset and rubric hashes, repeats, the
``DRAFTER_*`` settings, the drafter package's own files, the shard and the selected cases).
``--resume`` reuses the journal only when that configuration is identical, and otherwise stops
with the differences named: cases from another configuration are never mixed into a report.
Resuming is explicit, not automatic, because a finished journal would otherwise answer every
later run with the same --out from old results.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from drafter.basemodels import Record
from drafter.config import Settings
from drafter.errors import FieldProblem, InputError
from drafter.evals.clients import CallStats
from drafter.evals.files import write_atomic
from drafter.evals.results import CaseResult
from drafter.progress import Progress

__all__ = ["JOURNAL_NAME", "Journal", "JournalEntry", "code_fingerprint", "journal_config",
           "open_journal"]

JOURNAL_NAME = "journal.jsonl"
JOURNAL_FORMAT = 1
# What a difference in each configuration key means, for the mismatch message.
_LABELS = {"settings": "settings (DRAFTER_* variables)",
           "code": "code (the drafter package's files changed)",
           "cases": "selected cases (--case, --dataset or --shard)"}
_SECRETS_AND_PLACES = {"api_key", "api_keys", "cache_dir"}  # never hashed / no effect on drafts


class CaseStats(Record):
    """One case's share of the run's call counters (so a resumed run's usage adds up)."""

    cache_hits: int = 0
    cache_misses: int = 0
    replayed: int = 0
    recorded: int = 0


class JournalEntry(Record):
    case: CaseResult
    stats: CaseStats


def _sha(data: object) -> str:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def code_fingerprint() -> str:
    """A hash of the drafter package's files: a resumed run must run the same code."""
    import drafter

    root = Path(drafter.__file__).resolve().parent
    h = hashlib.sha256()
    # Bytecode and hidden files (editor swap files) are not code that ran differently.
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not any(
            part == "__pycache__" or part.startswith(".") for part in p.relative_to(root).parts)):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def journal_config(*, tier: str, model: str, template_hash: str, dataset_sha256: str,
                   rubric_sha256: str, repeat: int, record: bool, fixtures: Path | None,
                   settings: Settings, shard: str | None, case_ids: list[str],
                   drafter_version: str) -> dict[str, str | int | bool | None]:
    """The configuration a journal is valid for (concurrency is left out: it never changes a
    case's result, so a run may resume with another --concurrency)."""
    return {
        "tier": tier, "model": model, "template_hash": template_hash,
        "dataset_sha256": dataset_sha256, "rubric_sha256": rubric_sha256, "repeat": repeat,
        "record": record, "fixtures": str(fixtures.resolve()) if fixtures else None,
        "settings": _sha(settings.model_dump(mode="json", exclude=_SECRETS_AND_PLACES)),
        "code": code_fingerprint(), "drafter_version": drafter_version, "shard": shard,
        "cases": f"{len(case_ids)} case(s) {_sha(case_ids)}",
    }


@dataclass
class Journal:
    """The open journal: the cases already done, and where the next finished case goes."""

    path: Path
    done: dict[str, JournalEntry] = field(default_factory=dict)
    _fh: TextIO | None = None

    def append(self, case: CaseResult, stats: CallStats) -> None:
        """Write one finished case durably (flushed and fsynced) before the run goes on."""
        if self._fh is None:
            self._fh = self.path.open("a", encoding="utf-8")
        entry = JournalEntry(case=case, stats=CaseStats(
            cache_hits=stats.cache_hits, cache_misses=stats.cache_misses,
            replayed=stats.replayed, recorded=stats.recorded))
        self._fh.write(entry.model_dump_json() + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _header(config: dict[str, Any]) -> str:
    return json.dumps({"journal": JOURNAL_FORMAT, "fingerprint": _sha(config),
                       "config": config}, sort_keys=True) + "\n"


def _mismatch(path: Path, old: dict[str, Any], new: dict[str, Any]) -> InputError:
    diffs = [f"{_LABELS.get(k, k)}: journal {old.get(k)!r}, now {new.get(k)!r}"
             for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
    return InputError(
        f"--resume: {path} was written by a different run configuration ({'; '.join(diffs)}); "
        "its cases are not mixed into this run: give another --out, or run without --resume "
        "to start over", [FieldProblem("--resume", "journal from another configuration")])


def _read(path: Path, config: dict[str, Any], say: Progress) -> tuple[dict[str, JournalEntry],
                                                                      bool]:
    """The entries of a matching journal, and whether a torn last line was dropped."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    try:
        head = json.loads(lines[0]) if lines else None
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("journal") != JOURNAL_FORMAT:
        raise InputError(f"--resume: {path} is not a drafter eval journal (format "
                         f"{JOURNAL_FORMAT}): give another --out, or run without --resume",
                         [FieldProblem("--resume", "not a journal")])
    if head.get("config") != config:
        raise _mismatch(path, dict(head.get("config") or {}), config)
    done: dict[str, JournalEntry] = {}
    torn = False
    for n, line in enumerate(lines[1:], start=2):
        try:
            if not line.endswith("\n"):
                raise ValueError("no end of line")
            entry = JournalEntry.model_validate_json(line)
        except (ValueError, ValidationError):
            if n == len(lines):  # the write a kill interrupted: that case runs again
                say(f"resuming: dropped the unfinished last line of {path}")
                torn = True
                continue
            raise InputError(f"--resume: line {n} of {path} is unreadable: give another "
                             "--out, or run without --resume to start over",
                             [FieldProblem("--resume", "corrupt journal")]) from None
        done[entry.case.id] = entry
    return done, torn


def open_journal(out: Path, config: dict[str, Any], *, resume: bool,
                 say: Progress) -> Journal:
    """The journal in ``out``: continued when ``resume`` (and it matches), else started anew."""
    path = out / JOURNAL_NAME
    if resume and path.is_file():
        done, torn = _read(path, config, say)
        if torn:  # rewrite without the torn line, so the next append starts a fresh line
            write_atomic(path, _header(config) + "".join(
                e.model_dump_json() + "\n" for e in done.values()))
        return Journal(path, done)
    if resume:
        say(f"resuming: no journal in {out}; starting from the first case")
    elif path.is_file():
        say(f"starting over: replacing the journal of an earlier run in {out} (add --resume "
            "to continue it instead)")
    write_atomic(path, _header(config))
    return Journal(path)
