"""CLI start-up: ``drafter --help`` and ``drafter score`` vs ``python -c pass`` (figure 1),
and how soon ``drafter draft`` prints its first progress line (figure 1c, issue 17).

Runs the commands interleaved (so load hits all alike), reports median wall and CPU time, and
the ratio to the bare interpreter. Figure 1c is the wall time from starting
``drafter draft --example`` to its first line on stderr; the process is stopped there (it
would go on to load the model). Also lists the slowest imports of ``score``.

Run: python benchmarks/bench_cli.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import header, median, row

MESSAGE = ("Hi Dana, I read your post on the tidyframe 2.0 groupby. We run it on 2 TB of skewed "
           "shipment logs a day; I can share how the spill-to-disk path behaves on spinning "
           "disks. How do you notice a slowdown when nobody files an issue?\n")


def _run(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _first_line(cmd: list[str]) -> tuple[float, str]:
    """Wall time from start to the first stderr line, and that line; the process is killed."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    wall = time.perf_counter() - t0
    proc.kill()
    proc.wait()
    proc.stderr.close()
    return wall, line.strip()


def _slowest_imports(cmd: list[str], n: int = 6) -> list[str]:
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")  # noqa: TID251 - a child's env
    err = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [p.strip() for p in line.split(":", 1)[1].split("|")]
            if parts[1].isdigit():
                rows.append((int(parts[1]), parts[2]))
    # top-level packages only (cumulative), biggest first
    tops = sorted(((us, name) for us, name in rows if not name.startswith(" ")), reverse=True)
    return [f"{name.strip()} {us / 1000:.0f} ms" for us, name in tops[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = Path(sys.executable)
    drafter = str(exe.parent / "drafter")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(MESSAGE)
        msg = f.name
    cmds = {
        "python -c pass": [str(exe), "-c", "pass"],
        "drafter --help": [drafter, "--help"],
        "drafter score MSG": [drafter, "score", msg],
    }
    header("figure 1: CLI start-up")
    for cmd in cmds.values():  # warm the page cache and .pyc files
        _run(cmd)
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    cpus: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(args.runs):
        for name, cmd in cmds.items():
            w, c = _run(cmd)
            walls[name].append(w)
            cpus[name].append(c)
    base = median(walls["python -c pass"])
    base_cpu = median(cpus["python -c pass"])
    for name in cmds:
        w, c = median(walls[name]), median(cpus[name])
        print(f"{name:<20} median wall {w * 1000:7.1f} ms  (min {min(walls[name]) * 1000:6.1f})"
              f"  CPU {c * 1000:6.1f} ms  ratio {w / base:5.1f}x")
    print("slowest imports of `drafter score` (cumulative):",
          "; ".join(_slowest_imports(cmds["drafter score MSG"])))
    first_cmd = [drafter, "draft", "--example", "--no-history"]
    firsts: list[float] = []
    line = ""
    for _ in range(args.runs):
        wall, line = _first_line(first_cmd)
        firsts.append(wall)
    first = median(firsts)
    print(f"{'drafter draft: 1st line':<20} median wall {first * 1000:7.1f} ms  (min "
          f"{min(firsts) * 1000:6.1f})  ratio {first / base:5.1f}x  line: {line!r}")
    for name, target in (("drafter --help", 0.3), ("drafter score MSG", 0.5)):
        w = median(walls[name])
        row(f"`{name}` wall (median of {args.runs})", f"{w:.3f} s (CPU {median(cpus[name]):.3f}"
            " s)", f"`python -c pass` {base:.3f} s (CPU {base_cpu:.3f} s)",
            f"{w / base:.1f}x", f"< {target} s", w < target)
    row(f"`drafter draft --example`: first progress line on stderr (median of {args.runs})",
        f"{first:.3f} s", f"`python -c pass` {base:.3f} s", f"{first / base:.1f}x", "< 0.5 s",
        first < 0.5 and line.startswith("drafter:"))
    Path(msg).unlink()


if __name__ == "__main__":
    main()
