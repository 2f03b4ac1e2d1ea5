"""Benchmark of the report batch with the package's real unit notebook; a table and PASS/FAIL.

Usage::

    .venv/bin/python benchmarks/bench_reports.py [--repeat N]

Data: ``make_sample_workspace(n_units=24)`` (seed 2567): 24 units, 12,126 responses × 20
items over FY2565–2567 (7,296 in FY2567, 228–614 per unit over the three years), 488
complaints, 6,364 service-log rows, 169 activities, 813 checklist rows.  It is validated and
prepared once (``plan_run`` + ``prepare``, the same step as ``pmqa report``; its time is shown
for information, its target is in ``bench_prepare.py``).

What one unit report is here: the batch (``run.batch.execute_units``, what ``pmqa report``
runs after the prepare step) executing ``pmqa_analysis/notebooks/unit_assessment.ipynb`` (the
default notebook: 8 sections, 7 charts, 9-10 tables) with papermill (its sections drawn by the
worker process while the kernel starts or resets, see ``pmqa_analysis.run.runner``), then exporting
``report.html`` (no code, Sarabun embedded) and ``report.xlsx``, copying the unit's
scorecard, self-assessment and improvement plan, writing ``status.json`` and renaming the
folder into place.  The province overview (run once per batch) is not included.

Rows and targets (issue 4):

(a) floor: ``papermill.execute_notebook`` of an empty one-cell notebook (a ``parameters`` cell,
    one parameter passed), in-process API, fresh kernel, median of 3;
(b) one unit report on a fresh kernel (a batch of U01 with ``kernel_reuse=1``), median of 3;
    the benchmark process, the worker here, has run it once before (its imports and
    nbconvert's templates loaded, as papermill's are for the floor); that first run is
    shown too.  The worker draws the sections while the new kernel boots (two cores);
(c) one unit report in the 24-unit batch, 1 worker: the batch's time / 24, kernels warm as
    the batch runs them (one kernel per worker for up to 20 units, then a fresh one);
    (b) and (c) must cost at most 1.5 × floor + 1 s;
(d) the 24-unit batch with 2 workers must be at least 1.7 × faster than with 1;
(e) pooled warm kernels (issue 20): the 24-unit batch on 2 workers, per unit (batch / 24),
    each worker keeping its kernel across units and resetting it between them (the default),
    against the same batch with a fresh kernel per unit (``kernel_reuse=1``, what papermill
    and its peers pay); the pooled figure must be at most 0.6 s a unit.

Each 24-unit batch runs in a fresh Python process that does what ``pmqa report WS --workers
N`` does (``report.run_report``): it has imported the package and papermill, plans the run,
starts the N worker processes (``runner.Workers``, when N > 1), runs the prepare step while
they start and warm up on the other core, then runs the batch; only ``execute_units`` is
timed (the prepare step is the same for both).  ``--repeat N`` runs each batch N times and
reports medians (timings on a shared machine are noisy; the load average is printed).  For
information, the last row is this machine's own ceiling for (d): two copies of a pure-Python
loop run at once against one alone, measured between the batches (on a quiet 2-core machine
2.0; on a shared VM often 1.7–1.9).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import nbformat.v4 as v4

from pmqa_analysis.run.batch import execute_units, plan_run, prepare
from pmqa_analysis.workspace.sample import make_sample_workspace

N_UNITS = 24
TARGET_SPEEDUP = 1.7
TARGET_POOLED = 0.6


def _empty_notebook(path: Path) -> Path:
    cell = v4.new_code_cell("unit_code = ''")
    cell.metadata["tags"] = ["parameters"]
    nb = v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, path)
    return path


def _floor(tmp: Path, repeat: int = 3) -> float:
    import papermill

    nb = _empty_notebook(tmp / "empty.ipynb")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        papermill.execute_notebook(
            str(nb), str(tmp / "empty.out.ipynb"), parameters={"unit_code": "U01"},
            kernel_name="python3", progress_bar=False, request_save_on_cell_execute=False,
            shutdown_kernel="immediate",
        )  # fmt: skip
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _batch(
    plan: Any, workers: int, reuse: int | None = None, started: Any = None
) -> tuple[float, list[float]]:
    """Seconds for the batch, and each unit's own duration (its record)."""
    start = time.perf_counter()
    records = execute_units(plan, workers=workers, quiet=True, kernel_reuse=reuse, started=started)
    elapsed = time.perf_counter() - start
    bad = [f"{r['unit_code']}: {r.get('error')}" for r in records if r["status"] != "ok"]
    if bad:
        raise SystemExit(f"benchmark units failed: {bad}")
    return elapsed, [float(r["duration_s"]) for r in records]


def _batch_in_fresh_process(
    ws: Path, run: Path, workers: int, reuse: int | None = None
) -> tuple[float, list[float]]:
    """:func:`_batch` in a new interpreter (``--batch``), so no run is warmed by another."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--batch", str(ws), "--run", str(run),
         "--workers", str(workers), *(["--reuse", str(reuse)] if reuse else [])],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"batch with {workers} worker(s) failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), [float(d) for d in result["durations"]]


def _child(ws: Path, run: Path, workers: int, reuse: int | None = None) -> None:
    """What ``pmqa report WS --workers N`` does, with its execute step timed."""
    import papermill  # noqa: F401  (imported by plan_run in a `pmqa report` process)

    from pmqa_analysis.run.report_hooks import ReportWorkers as Workers

    plan = plan_run(ws, run, force=True)
    # as run_report: the worker processes start and warm up while the prepare step runs
    with Workers(workers, plan.run_dir) if workers > 1 else contextlib.nullcontext() as started:
        plan = prepare(plan)
        seconds, durations = _batch(plan, workers, reuse=reuse, started=started)
    print(json.dumps({"seconds": seconds, "durations": durations}))


_SPIN = "x = 0\nfor i in range(25_000_000):\n    x += i * i\n"


def _machine_scaling() -> float:
    """Two copies of a pure-Python loop at once against one alone: this machine's ceiling."""
    cmd = [sys.executable, "-c", _SPIN]
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd) for _ in range(2)]
    for proc in procs:
        proc.wait()
    both = time.perf_counter() - start
    return 2 * alone / both


def _medians(runs: list[tuple[float, list[float]]]) -> tuple[float, float]:
    """Median batch time and median unit duration over runs."""
    return (statistics.median(t for t, _ in runs),
            statistics.median(d for _, ds in runs for d in ds))  # fmt: skip


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each batch (median)")
    parser.add_argument("--batch", type=Path, help=argparse.SUPPRESS)  # child: a workspace
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--reuse", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch is not None:
        _child(args.batch, args.run, args.workers, args.reuse)
        return
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="pmqa-bench-"))
    try:
        _run(tmp, args.repeat, load_before)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(tmp: Path, repeat: int, load_before: float) -> None:
    ws = make_sample_workspace(tmp / "ws", n_units=N_UNITS)
    t0 = time.perf_counter()
    plan = prepare(plan_run(ws, tmp / "run", force=True))
    prepare_s = time.perf_counter() - t0
    if len(plan.units) != N_UNITS:
        raise SystemExit(f"expected {N_UNITS} units, the sample has {len(plan.units)}")
    one = dataclasses.replace(plan, units=(plan.units[0],))

    floor = _floor(tmp)
    first_fresh, _ = _batch(one, 1, reuse=1)
    fresh = statistics.median(_batch(one, 1, reuse=1)[0] for _ in range(3))
    serial_runs, parallel_runs, fresh_runs, scaling = [], [], [], []
    for _ in range(repeat):  # interleaved, so a busy spell on the machine hits all
        serial_runs.append(_batch_in_fresh_process(ws, tmp / "batch", 1))
        parallel_runs.append(_batch_in_fresh_process(ws, tmp / "batch", 2))
        fresh_runs.append(_batch_in_fresh_process(ws, tmp / "batch", 2, reuse=1))
        scaling.append(_machine_scaling())
    serial, serial_unit = _medians(serial_runs)
    parallel, parallel_unit = _medians(parallel_runs)
    fresh2, _ = _medians(fresh_runs)
    pooled_unit, fresh_unit = parallel / N_UNITS, fresh2 / N_UNITS
    warm = serial / N_UNITS
    target = 1.5 * floor + 1.0
    speedup = serial / parallel
    load_after = os.getloadavg()[0]

    rows = [
        ("prepare step, 24 units (information; bench_prepare.py)", f"{prepare_s:.2f} s", ""),
        ("(a) floor: empty 1-cell notebook, papermill API, fresh kernel", f"{floor:.2f} s", ""),
        ("    target per unit report: 1.5 x floor + 1 s", f"{target:.2f} s", ""),
        ("(b) unit report, fresh kernel (execute + export)", f"{fresh:.2f} s",
         _verdict(fresh <= target)),
        ("    ratio to floor", f"{fresh / floor:.2f} x", ""),
        ("    first run in this process (one-off set-up included)", f"{first_fresh:.2f} s", ""),
        ("(c) unit report in the 24-unit batch, 1 worker (batch / 24)", f"{warm:.2f} s",
         _verdict(warm <= target)),
        ("    ratio to floor", f"{warm / floor:.2f} x", ""),
        ("    median unit's own duration, 1 worker", f"{serial_unit:.2f} s", ""),
        ("(d) 24-unit batch, 1 worker", f"{serial:.2f} s", ""),
        ("    24-unit batch, 2 workers (processes)", f"{parallel:.2f} s", ""),
        ("    median unit's own duration, 2 workers", f"{parallel_unit:.2f} s", ""),
        (f"    speed-up 2 vs 1 worker (target >= {TARGET_SPEEDUP:g})", f"{speedup:.2f} x",
         _verdict(speedup >= TARGET_SPEEDUP)),
        ("(e) per unit, 24-unit batch on 2 workers, pooled warm kernels", f"{pooled_unit:.2f} s",
         _verdict(pooled_unit <= TARGET_POOLED)),
        ("    per unit, 24-unit batch on 2 workers, fresh kernel per unit", f"{fresh_unit:.2f} s",
         ""),
        ("    pooled / fresh", f"{pooled_unit / fresh_unit:.2f} x", ""),
        ("    this machine: 2 pure-Python loops at once vs 1 (information)",
         f"{statistics.median(scaling):.2f} x", ""),
    ]  # fmt: skip
    print(f"cores: {os.cpu_count()}; load average (1 min) before {load_before:.2f}, "
          f"after {load_after:.2f}; batches run {repeat}x (median)")  # fmt: skip
    print(f"notebook: {plan.notebook}; {N_UNITS} units")
    width = max(len(r[0]) for r in rows)
    for name, value, verdict in rows:
        print(f"{name:<{width}}  {value:>9}  {verdict}")


if __name__ == "__main__":
    main()
