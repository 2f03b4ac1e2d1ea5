"""The batch's execute step: one notebook run per planned unit, unchanged ones skipped.

:func:`execute_units` turns a prepared :class:`~pmqa_analysis.run.plan.RunPlan` into
:class:`~pmqa_analysis.run.unit_job.UnitJob` records (the report's export and drawing hooks
from :mod:`pmqa_analysis.run.report_hooks`), skips the units whose last complete run has the
same fingerprint, and hands the others to :func:`pmqa_analysis.run.runner.execute_jobs`.

Examples
--------
>>> from pmqa_analysis.run.plan import RunPlan
>>> plan = RunPlan(Path("/ws"), Path("/run"), "FY-x", Path("/n.ipynb"), (), {}, {}, (), (),
...                {}, {}, "")
>>> execute_units(plan)
Traceback (most recent call last):
...
pmqa_analysis.core.errors.InputError: the plan has no fingerprints: ...
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.report.export import find_chromium, staging_dir
from pmqa_analysis.run.plan import DEFAULT_NOTEBOOK, RunPlan

if TYPE_CHECKING:
    from pmqa_analysis.run.workers import Workers

__all__ = ["execute_units"]


def execute_units(
    plan: RunPlan,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    quiet: bool = False,
    timeout_per_cell: float = 600,
    kernel_reuse: int | None = None,
    pool: str = "process",
    started: Workers | None = None,
) -> list[dict[str, Any]]:
    """Run the notebook for every planned unit (skipping unchanged complete ones).

    Parameters
    ----------
    plan : RunPlan
        A plan returned by ``prepare`` (with fingerprints).
    workers : int, optional
        Worker processes (default ``os.cpu_count()``).
    scheduler : str, optional
        A Dask scheduler address; the same per-unit jobs then run on that cluster.
    progress, quiet : bool
        Progress bar on stderr unless quiet.
    timeout_per_cell : float
        Seconds a cell may run before the unit fails.
    kernel_reuse : int, optional
        Units per warm kernel (default :data:`kernels.DEFAULT_KERNEL_REUSE`; 1 = fresh).
    pool : {"process", "thread"}
        Local workers as processes or as threads (each drives its own kernel process).
    started : workers.Workers, optional
        Worker processes started ahead (while the prepare step ran), used if the batch
        runs as many; see :func:`pmqa_analysis.run.batch.run_report`.

    Returns
    -------
    list of dict
        One record per unit in plan order, status "ok", "failed" or "skipped".
    """
    if not plan.fingerprints:
        raise InputError("the plan has no fingerprints: call prepare(plan) before execute_units")
    from pmqa_analysis.run import runner
    from pmqa_analysis.run.kernels import DEFAULT_KERNEL_REUSE
    from pmqa_analysis.run.report_hooks import export_unit, pre_render_sections
    from pmqa_analysis.run.unit_job import UnitJob, clean_stale, previous_record

    units_dir = plan.run_dir / "units"
    units_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(units_dir)
    if "pdf" in plan.formats and find_chromium() is None and not quiet:
        print(
            "pdf: no Chromium found (chromium, chromium-browser, google-chrome); "
            "writing HTML only. Install chromium for PDF",
            file=sys.stderr,
        )
    language = str(plan.settings.get("language", "th"))
    values = {"run_dir": str(plan.run_dir), "language": language}
    # the package's own notebook: each worker process draws its unit's sections while the
    # kernel starts; not where several units share a process (threads, a Dask worker's
    # threads), whose drawing would take turns there instead of running in their kernels
    render_ahead = (
        Path(plan.notebook).resolve() == DEFAULT_NOTEBOOK.resolve()
        and not scheduler
        and pool != "thread"
    )
    jobs: list[UnitJob] = []
    skipped: dict[str, dict[str, Any]] = {}
    for code in plan.units:
        params = {"unit_code": code, **{p: values[p] for p in plan.parameters if p in values}}
        job = UnitJob(
            unit_code=code, slug=plan.slugs[code], run_dir=str(plan.run_dir),
            notebook=str(plan.notebook), parameters=params, fingerprint=plan.fingerprints[code],
            formats=plan.formats, timeout_per_cell=timeout_per_cell,
            kernel_reuse=kernel_reuse or DEFAULT_KERNEL_REUSE, title=plan.titles[code],
            export=export_unit, pre_render=pre_render_sections if render_ahead else None,
            staging=str(staging_dir(plan.run_dir, code)),
        )  # fmt: skip
        previous = None if plan.force else previous_record(units_dir, job)
        if previous is None:
            jobs.append(job)
        else:
            skipped[code] = {**previous, "status": "skipped", "duration_s": 0.0}
    done = runner.execute_jobs(
        jobs, workers=workers, scheduler=scheduler, progress=progress, quiet=quiet,
        done=len(skipped), pool=pool, started=started,
    )  # fmt: skip
    by_code = {r["unit_code"]: r for r in done} | skipped
    return [by_code[c] for c in plan.units]
