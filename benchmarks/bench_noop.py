"""Benchmark of the no-op re-run: ``pmqa report`` with nothing changed vs ``import pandas``.

Usage::

    .venv/bin/python benchmarks/bench_noop.py [--units 24] [--repeat 5]

Data: ``make_sample_workspace(n_units=N)`` (seed 2567; default 24 units, 12,126 responses),
reported once in full (``pmqa report WS --out RUN --quiet``, the package's notebook, the
province overview), untimed.  Then each command runs ``--repeat`` times in a new process
(median wall time; the commands are interleaved so that a busy spell on a shared machine
hits them alike):

- ``python -c pass``: the interpreter's own start (information);
- ``python -c "import pandas"``: the reference;
- ``pmqa report WS --out RUN --quiet``: the no-op re-run (inputs, settings, code and
  notebook fingerprinted, the run folder checked, nothing written);
- the same with ``--json`` (the scheduler's summary on stdout).

Targets (issue 20): the no-op re-run at most 3 x ``import pandas``; aim at 1 s or less.
The modules the no-op imported are checked too: none of SciPy, PyThaiNLP, matplotlib,
nbformat, papermill, nbconvert (nor pandas, for information).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pmqa_analysis.workspace.sample import make_sample_workspace

HEAVY = ("scipy", "pythainlp", "matplotlib", "nbformat", "papermill", "nbconvert")
_PROBE = """
import os, sys
from pmqa_analysis.cli import main
code = main(sys.argv[1:])
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
sys.exit(code)
"""


def _seconds(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=24, help="units in the sample workspace")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (median)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pmqa-bench-noop-"))
    try:
        _run(tmp, args.units, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(tmp: Path, n_units: int, repeat: int) -> None:
    ws = make_sample_workspace(tmp / "ws", n_units=n_units)
    run = tmp / "run"
    pmqa = [sys.executable, "-m", "pmqa_analysis.cli"]
    report = [*pmqa, "report", str(ws), "--out", str(run), "--quiet"]
    t0 = time.perf_counter()
    _seconds(report)  # the full run, once
    full = time.perf_counter() - t0
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
        "pmqa report (no-op)": report,
        "pmqa report --json (no-op)": [*report, "--json"],
    }
    load_before = os.getloadavg()[0]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            times[name].append(_seconds(cmd))
    load_after = os.getloadavg()[0]
    probe = subprocess.run([sys.executable, "-c", _PROBE, *report[3:]], capture_output=True,
                           text=True, check=True)  # fmt: skip
    imported = set(probe.stderr.split())
    heavy = sorted(m for m in HEAVY if m in imported)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    pandas_s = med["python -c 'import pandas'"]
    print(f"cores: {os.cpu_count()}; load average (1 min) before {load_before:.2f}, after "
          f"{load_after:.2f}; {n_units} units; each command {repeat}x (median)")  # fmt: skip
    print(f"full run once (untimed in the table): {full:.1f} s")
    rows = []
    for name, seconds in med.items():
        rows.append((name, f"{seconds:.3f} s", f"{seconds / pandas_s:.2f} x", ""))
    noop = med["pmqa report (no-op)"]
    rows.append(("no-op <= 3 x import pandas", f"{noop:.3f} s", f"{noop / pandas_s:.2f} x",
                 "PASS" if noop <= 3 * pandas_s else "FAIL"))  # fmt: skip
    rows.append(("no-op <= 1 s (aim)", f"{noop:.3f} s", "", "PASS" if noop <= 1 else "MISS"))
    rows.append(("heavy modules imported by the no-op", ", ".join(heavy) or "none", "",
                 "PASS" if not heavy else "FAIL"))  # fmt: skip
    rows.append(("pandas imported by the no-op (information)",
                 "yes" if "pandas" in imported else "no", "", ""))  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  {'seconds':>9}  {'/ pandas':>9}")
    for name, value, ratio, verdict in rows:
        print(f"{name:<{width}}  {value:>9}  {ratio:>9}  {verdict}")


if __name__ == "__main__":
    main()
