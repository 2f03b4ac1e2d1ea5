"""Benchmark of the report batch (papermill) on this machine; prints a table and PASS/FAIL.

Targets (issue 4):
- floor = papermill executing an empty one-cell notebook (in-process API, fresh kernel);
- one unit report (execute + export) of a light notebook (parquet slice, one matplotlib
  chart, one table) costs at most 1.5 x floor + 1 s;
- a 24-unit batch is at least 1.7 x faster with 2 workers than with 1.

Run: ``.venv/bin/python benchmarks/bench_reports.py``
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import nbformat.v4 as v4

from pmqa_analysis.report import execute_units, plan_run, prepare
from pmqa_analysis.sample import make_sample_workspace

LIGHT_CELLS = [
    'unit_code = "U01"  # unit code\nrun_dir = ""  # run folder\nlanguage = "th"',
    """from pathlib import Path
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from pmqa_analysis.report import html_table, safe_html, save_table
df = pd.read_parquet(Path(run_dir) / "data" / "responses.parquet",
                     filters=[("unit_code", "==", unit_code)])""",
    """counts = df.groupby("group_code").size().rename("n").reset_index()
fig, ax = plt.subplots(figsize=(5, 3))
ax.bar(counts["group_code"], counts["n"])
ax.set_title(f"respondents by group, {unit_code}")
ax.set_xlabel("group"); ax.set_ylabel("n")
plt.show()""",
    """save_table(run_dir, unit_code, "groups", counts)
display(HTML(f"<h2>{safe_html(unit_code)}</h2>" + html_table(counts)))""",
]


def _notebook(path: Path, sources: list[str]) -> Path:
    cells = [v4.new_code_cell(s) for s in sources]
    cells[0].metadata["tags"] = ["parameters"]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def _floor(tmp: Path, repeat: int = 3) -> float:
    import papermill

    nb = _notebook(tmp / "empty.ipynb", ["unit_code = ''"])
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


def _batch(plan, workers: int, reuse: int | None = None, pool: str = "process") -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    records = execute_units(plan, workers=workers, quiet=True, kernel_reuse=reuse, pool=pool)
    elapsed = time.perf_counter() - start
    bad = [r["unit_code"] for r in records if r["status"] != "ok"]
    if bad:
        raise SystemExit(f"benchmark units failed: {bad}")
    return elapsed


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="pmqa-bench-"))
    ws = make_sample_workspace(tmp / "ws", n_units=24, reach_sample_size=False)
    light = _notebook(tmp / "light.ipynb", LIGHT_CELLS)
    plan = prepare(plan_run(ws, tmp / "run", notebook=light, force=True))
    one = prepare(plan_run(ws, tmp / "one", notebook=light, units=["U01"], force=True))

    floor = _floor(tmp)
    cold_unit = statistics.median(_batch(one, 1, reuse=1) for _ in range(3))
    serial = _batch(plan, 1)
    parallel = _batch(plan, 2)
    threads = _batch(plan, 2, pool="thread")
    warm_unit = serial / len(plan.units)
    target_unit = 1.5 * floor + 1.0
    speedup = serial / parallel

    rows = [
        ("floor: empty 1-cell notebook (papermill API)", f"{floor:.2f} s", ""),
        ("unit report, fresh kernel (execute + export)", f"{cold_unit:.2f} s",
         "PASS" if cold_unit <= target_unit else "FAIL"),
        ("unit report, warm kernel (24-unit batch / 24)", f"{warm_unit:.2f} s",
         "PASS" if warm_unit <= target_unit else "FAIL"),
        ("  target <= 1.5 x floor + 1 s", f"{target_unit:.2f} s", ""),
        ("24-unit batch, 1 worker", f"{serial:.2f} s", ""),
        ("24-unit batch, 2 workers (processes)", f"{parallel:.2f} s", ""),
        ("24-unit batch, 2 workers (threads)", f"{threads:.2f} s", ""),
        ("speed-up 2 vs 1 worker, processes (target >= 1.7)", f"{speedup:.2f} x",
         "PASS" if speedup >= 1.7 else "FAIL"),
        ("speed-up 2 vs 1 worker, threads (target >= 1.7)", f"{serial / threads:.2f} x",
         "PASS" if serial / threads >= 1.7 else "FAIL"),
    ]  # fmt: skip
    print(f"cores: {os.cpu_count()}")
    width = max(len(r[0]) for r in rows)
    for name, value, verdict in rows:
        print(f"{name:<{width}}  {value:>9}  {verdict}")


if __name__ == "__main__":
    main()
