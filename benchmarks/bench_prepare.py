"""Prepare-step benchmark: every unit's results for a large workspace, in one pass.

Usage::

    .venv/bin/python benchmarks/bench_prepare.py [--rows 1000000]

Generates (seeded) a workspace of 100 units, ``--rows`` respondents × 20 items,
~30 % of them with a comment, then times in one process:

* ``load_workspace``: read, validate and type every input (issue 2's step);
* ``prepare_results``: item and dimension summaries per unit and year and for the
  province, alpha and item analysis per unit, trends, sample adequacy, profiles,
  group × channel, comment themes, scorecards, plans and the committee workbook,
  written as Parquet/JSON/XLSX into a run folder.

Target (issue 4): the prepare step for 1,000,000 responses × 100 units under 30 s.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import N_ITEMS, N_UNITS, make_workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--target", type=float, default=30.0)
    args = parser.parse_args()
    from pmqa_analysis.run.prepare import prepare_results
    from pmqa_analysis.workspace.loader import load_workspace

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ws = make_workspace(Path(tmp), args.rows, "csv", comments=True)
        print(f"generated {args.rows:,} responses × {N_ITEMS} items × {N_UNITS} units "
              f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
        t0 = time.perf_counter()
        survey = load_workspace(ws)
        t1 = time.perf_counter()
        prepare_results(survey, Path(tmp) / "run")
        t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    total = t2 - t0
    print(f"{'step':40s} {'seconds':>8s}")
    print(f"{'load_workspace (validate, type)':40s} {t1 - t0:8.2f}")
    print(f"{'prepare_results (all statistics, write)':40s} {t2 - t1:8.2f}")
    print(f"{'total prepare step':40s} {total:8.2f}")
    print(f"peak memory: {peak:.2f} GiB")
    verdict = "PASS" if total <= args.target else "FAIL"
    print(f"{verdict}  prepare step {total:.1f} s (target <= {args.target:g} s)")


if __name__ == "__main__":
    main()
