"""Execute the unit notebook once per unit with papermill, in parallel, atomically.

:func:`execute_jobs` runs every :class:`~pmqa_analysis.run.unit_job.UnitJob` on a backend
and shows the progress bar; the jobs are the same on each:

- :mod:`pmqa_analysis.run.unit_job`: one unit's job and its atomic run (``run_unit``);
- :mod:`pmqa_analysis.run.kernels`: the warm kernels a unit runs on and papermill's engine;
- :mod:`pmqa_analysis.run.workers`: in this process, or on worker processes or threads
  (also started ahead, ``Workers``);
- :mod:`pmqa_analysis.run.dask_backend`: on a Dask distributed cluster.

None of these knows what a report holds: a job carries what to export and what to draw
ahead (the batch passes :mod:`pmqa_analysis.run.report_hooks`).

Examples
--------
>>> execute_jobs([], progress=False)
[]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from pmqa_analysis.run.dask_backend import run_dask
from pmqa_analysis.run.unit_job import UnitJob
from pmqa_analysis.run.workers import Workers, run_local

__all__ = ["execute_jobs"]


def _progress(total: int, disable: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, disable=disable, file=sys.stderr, unit="unit", desc="reports")


def execute_jobs(
    jobs: Sequence[UnitJob],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    quiet: bool = False,
    done: int = 0,
    pool: str = "process",
    started: Workers | None = None,
) -> list[dict[str, Any]]:
    """Run :func:`~pmqa_analysis.run.unit_job.run_unit` for every job, in the jobs' order.

    Parameters
    ----------
    jobs : sequence of UnitJob
        The units to run.
    workers : int, optional
        Worker processes (default ``os.cpu_count()``); 1 runs in this process.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:8786``); the jobs then run on that cluster.
    progress, quiet : bool
        A tqdm bar on stderr unless ``quiet`` or not ``progress``.
    done : int
        Units already complete (skipped), shown as the bar's starting point.
    pool : {"process", "thread"}
        Local workers as processes (default) or threads of this process (each worker
        thread drives its own kernel process).
    started : Workers, optional
        Worker processes started ahead (:class:`~pmqa_analysis.run.workers.Workers`), used
        if there are as many as this batch runs; the batch then stops them.
    """
    bar = _progress(len(jobs) + done, disable=quiet or not progress)
    bar.update(done)
    try:
        if not jobs:
            return []
        if scheduler:
            records = run_dask(jobs, scheduler, bar)
        else:
            records = run_local(jobs, workers or os.cpu_count() or 1, bar, pool, started)
    finally:
        bar.close()
    order = {job.slug: i for i, job in enumerate(jobs)}
    return sorted(records, key=lambda r: order[r["slug"]])
