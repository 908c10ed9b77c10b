"""Throughput of the scorer (rules + learned verdict): prints messages/second.

Two sets: the hand-written labelled set (with the recipients' works, as drafts are scored) and
the independent corpus (text only, as people paste a message into ``drafter score``).

Run: python benchmarks/bench_scorer.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from drafter.scoring import rule_card, score_message

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import header, row

LABELLED = Path(__file__).resolve().parent.parent / "evals" / "labelled" / "messages.jsonl"
CORPUS = LABELLED.parent / "corpus" / "messages.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):  # one core, as the target says
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows = [json.loads(x) for x in LABELLED.read_text(encoding="utf-8").splitlines() if x.strip()]
    t0 = time.perf_counter()
    score_message(rows[0]["body"], works=rows[0]["works"])  # first call loads phrases
    warm = time.perf_counter() - t0
    start, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for r in rows:
            score_message(r["body"], subject=r["subject"], works=r["works"],
                          channel=r["channel"], sender_name=r["sender_name"],
                          recipient_name=r["recipient_name"])
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu0  # what the core gave us: robust to a busy machine
    n = args.repeat * len(rows)
    header("figure 4: deterministic scorer")
    print(f"first call (loads phrases, pyphen): {warm * 1000:.1f} ms")
    print(f"{n} messages in {seconds:.2f} s wall, {cpu:.2f} s CPU: {n / seconds:,.0f} "
          f"messages/second of wall time, {n / cpu:,.0f} per CPU-second (one core)")
    row("deterministic scorer, labelled messages (pinned to one core)",
        f"{n / cpu:,.0f} messages per CPU-second ({n / seconds:,.0f}/s wall)", "none", "-",
        "> 1,000 messages/s", n / cpu > 1000)
    corpus = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines() if x]
    reps = max(1, args.repeat // 10)
    rates = {}
    for name, fn in (("rules alone", rule_card), ("rules + learned reader", score_message)):
        cpu0 = time.process_time()
        for _ in range(reps):
            for r in corpus:
                fn(r["text"], subject=r["subject"])
        rates[name] = reps * len(corpus) / (time.process_time() - cpu0)
        print(f"corpus as pasted, {name}: {rates[name]:,.0f} messages per CPU-second")
    full, rules = rates["rules + learned reader"], rates["rules alone"]
    # The baseline, measured in this run: the rules without the learned reader.
    row("scorer, independent corpus as pasted (pinned to one core)",
        f"{full:,.0f} messages per CPU-second", f"rules alone {rules:,.0f}/s",
        f"{full / rules:.2f}x", "> 1,000 messages/s", full > 1000)


if __name__ == "__main__":
    main()
