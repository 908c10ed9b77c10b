"""The eval suite's replay tier over the whole dataset (figure 8): wall time of one run.

Run: python benchmarks/bench_eval.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import header, row


def main() -> None:
    drafter = str(Path(sys.executable).parent / "drafter")
    header("figure 8: eval replay tier over the whole dataset")
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        proc = subprocess.run([drafter, "eval", "--tier", "replay", "--out", out],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
    print("\n".join(tail))
    print(f"exit code {proc.returncode}; wall {wall:.1f} s")
    row("`drafter eval --tier replay` (whole dataset)", f"{wall:.1f} s (exit {proc.returncode})",
        "none", "-", "< 60 s", wall < 60)


if __name__ == "__main__":
    main()
