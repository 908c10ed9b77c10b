"""Throughput of the deterministic scorer over the labelled set: prints messages/second.

Run: python benchmarks/bench_scorer.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from drafter.scoring import score_message

LABELLED = Path(__file__).resolve().parent.parent / "evals" / "labelled" / "messages.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rows = [json.loads(x) for x in LABELLED.read_text(encoding="utf-8").splitlines() if x.strip()]
    t0 = time.perf_counter()
    score_message(rows[0]["body"], works=rows[0]["works"])  # first call loads phrases
    warm = time.perf_counter() - t0
    start = time.perf_counter()
    for _ in range(args.repeat):
        for r in rows:
            score_message(r["body"], subject=r["subject"], works=r["works"],
                          channel=r["channel"], sender_name=r["sender_name"],
                          recipient_name=r["recipient_name"])
    seconds = time.perf_counter() - start
    n = args.repeat * len(rows)
    print(f"first call (loads phrases, pyphen): {warm * 1000:.1f} ms")
    print(f"{n} messages in {seconds:.2f} s: {n / seconds:,.0f} messages/second (one core)")


if __name__ == "__main__":
    main()
