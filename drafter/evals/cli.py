"""``drafter eval``: the argument parser (argparse only at import) and the command.

Exit codes: 0 every gate passed; 2 a case errored (a model error, a missing replay fixture,
an evaluator error; with ``--baseline``, only an error the baseline did not have) or the
dataset/rubric is invalid; 100 a gating criterion or the case pass
rate is below its threshold; 101 ``--fail-on-regression`` and a case or criterion got worse than
``--baseline``; 3 configuration errors (e.g. the local tier with a provider model).

At scale: every finished case is journalled in ``OUT/journal.jsonl`` and ``--resume`` continues
a killed run (``drafter.evals.journal``); ``--shard K/N`` runs one part of the cases
(``drafter.evals.shard``) and ``--merge`` puts the shards' reports together
(``drafter.evals.merge``).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from drafter.evals.config import DEFAULT_CONCURRENCY, TIERS, EvalConfig

__all__ = ["add_eval_parser", "cmd_eval"]

_D = EvalConfig()  # the defaults, declared once

_SCALE = ("long runs: each finished case is appended to OUT/journal.jsonl (flushed and fsynced) "
          "as it finishes; after a kill, run the same command with --resume to skip the "
          "journalled cases and get the same report. Resuming is never automatic (a finished "
          "journal would answer later runs with old results), and a journal from another "
          "configuration (tier, model, template, dataset, rubric, repeats, settings, code, "
          "shard, cases) is refused with the differences named. Several machines: run "
          "--shard 1/N ... N/N each with its own --out, then drafter eval --merge OUT1 ... OUTN "
          "--out DIR [--baseline ... --fail-on-regression] for the whole run's report and gate.")
_EXITS = ("exit codes: 0 pass; 2 errors (a case errored, e.g. a missing replay fixture, unless "
           "it errored the same way in --baseline; or invalid input); 100 below a rubric "
           "threshold; 101 regression vs --baseline with --fail-on-regression; 3 configuration "
           "error. See evals/README.md.")


def add_eval_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``eval`` subcommand to ``drafter``'s subparsers."""
    from drafter.model.registry import DEFAULT_MODEL  # a table of constants: cheap

    e: argparse.ArgumentParser = sub.add_parser(
        "eval", help="run the eval suite (replay, local or live tier)",
        description=textwrap.fill(
            "Run every eval case through the pipeline and judge the drafts with the rubric's "
            "criteria. Writes report.json, report.md and junit.xml to --out.", 78),
        # Two paragraphs (argparse would run them together): wrapped here, printed as is.
        epilog="\n\n".join(textwrap.fill(p, 78) for p in (_SCALE, _EXITS)),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("--tier", choices=TIERS, default=_D.tier,
                   help="replay: recorded outputs, no model (default); local: an embedded "
                   "model; live: any litellm model with a key")
    e.add_argument("--model", help=f"model id (default DRAFTER_MODEL or {DEFAULT_MODEL}); "
                   "in replay, whose recorded fixtures to use")
    e.add_argument("--out", type=Path, default=_D.out, help="report directory")
    e.add_argument("--dataset", type=Path, default=_D.dataset)
    e.add_argument("--rubric", type=Path, default=_D.rubric)
    e.add_argument("--fixtures", type=Path, default=_D.fixtures)
    e.add_argument("--labelled", type=Path, default=_D.labelled,
                   help="labelled messages for the calibration section")
    e.add_argument("--corpus", type=Path, default=_D.corpus,
                   help="the independently labelled corpus: the scorer's kappa per split")
    e.add_argument("--goals", type=Path, default=_D.goals,
                   help="independently labelled goals: entitled flagged and unclear per split")
    e.add_argument("--review-grades", type=Path, default=_D.review_grades,
                   help="blind reviewers' grades (JSONL) for the review section")
    e.add_argument("--record", action="store_true",
                   help="record replay fixtures from this (local or live) run")
    e.add_argument("--fill", action="store_true",
                   help="with --record: keep each case's recorded calls and call the model only "
                   "for calls its fixture lacks (a new call, or a prompt that changed)")
    e.add_argument("--repeat", type=int, default=_D.repeat, help="run each case N times (mean, "
                   "stderr, pass-all-N); each repeat has its own seed")
    e.add_argument("--concurrency", type=int, help="cases at once (default: " + ", ".join(
        f"{tier} {n}" for tier, n in DEFAULT_CONCURRENCY.items()) + ")")
    e.add_argument("--case", dest="only", action="append", default=[],
                   help="run only this case id (glob with *; repeatable)")
    e.add_argument("--cache-dir", type=Path, help="model-call cache (default OUT/cache)")
    e.add_argument("--no-cache", action="store_true", help="do not cache model calls")
    e.add_argument("--baseline", type=Path, help="a previous report.json to compare with")
    e.add_argument("--fail-on-regression", action="store_true",
                   help="exit 101 when anything got worse than --baseline")
    e.add_argument("--resume", action="store_true",
                   help="continue the run journalled in --out (OUT/journal.jsonl): finished "
                   "cases are not run again; refused if the journal is from another "
                   "configuration. Without it, a new run replaces the journal")
    e.add_argument("--shard", type=_shard, metavar="K/N",
                   help="run only shard K of N (cases split by their sorted ids; K from 1); "
                   "the report says which shard")
    e.add_argument("--merge", nargs="+", type=Path, metavar="DIR",
                   help="do not run: merge the shard reports in these --out directories "
                   "(every shard of one run) into one report in --out, judged as a whole with "
                   "--rubric, --baseline, --fail-on-regression and --review-grades")
    e.add_argument("--price-in", type=float, help="USD per 1M prompt tokens (cost summary)")
    e.add_argument("--price-out", type=float, help="USD per 1M completion tokens")
    return e


def _shard(text: str) -> object:
    """argparse names the flag: ``argument --shard: '3/2': the shard K must be ...``."""
    from drafter.evals.shard import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def cmd_eval(args: argparse.Namespace) -> int:
    import asyncio

    from drafter.errors import FieldProblem, InputError
    from drafter.evals.reports import write_reports
    from drafter.evals.suite import run_suite

    cfg = EvalConfig(tier=args.tier, model=args.model, out=args.out, dataset=args.dataset,
                     rubric=args.rubric, fixtures=args.fixtures, labelled=args.labelled,
                     corpus=args.corpus, goals=args.goals,
                     cache_dir=args.cache_dir, use_cache=not args.no_cache, record=args.record,
                     fill=args.fill, repeat=args.repeat, concurrency=args.concurrency,
                     only=args.only,
                     baseline=args.baseline, fail_on_regression=args.fail_on_regression,
                     price_in=args.price_in, price_out=args.price_out,
                     review_grades=args.review_grades, shard=args.shard,
                     resume=args.resume)
    if args.fill and not args.record:
        raise InputError("--fill adds to recorded fixtures: pass --record too",
                         [FieldProblem("--fill", "only with --record")])
    if args.merge:
        from drafter.evals.merge import merge_reports

        clash = [f for f, on in (("--shard", args.shard), ("--resume", args.resume),
                                 ("--record", args.record), ("--case", args.only)) if on]
        if clash:
            raise InputError(f"--merge combines finished shard reports: drop {', '.join(clash)}",
                             [FieldProblem(f, "not with --merge") for f in clash])
        report = merge_reports(args.merge, cfg)
        _err(f"drafter eval: merged {len(args.merge)} shard report(s), {report.summary.cases} "
             "case(s)")
    else:
        report = asyncio.run(run_suite(cfg, say=_err))
    paths = write_reports(report, cfg.out)
    s = report.summary
    _err(f"drafter eval: {s.status} (exit {s.exit_code}): {s.passed} passed, {s.failed} "
         f"failed, {s.errors} errors of {s.cases}; reports in {paths['markdown'].parent}")
    for reason in s.reasons:
        _err(f"  - {reason}")
    return s.exit_code
