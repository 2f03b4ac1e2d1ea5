"""One unit's job: what it needs (:class:`UnitJob`) and its run, atomic (:func:`run_unit`).

:func:`run_unit` is the same on every backend (in-process, a process pool, or a Dask
distributed cluster): it executes the notebook on this thread's warm kernel
(:mod:`pmqa_analysis.run.kernels`) into ``units/.<slug>.tmp-<pid>/``, moves the tables the
notebook staged there (``UnitJob.staging``), lets ``UnitJob.export`` write the unit's files,
writes ``status.json`` last and renames the folder to ``units/<slug>/``.  A failure (a cell
error, a timeout, a dead kernel, an export error) is recorded, never raised: the executed
notebook is kept as ``report.failed.ipynb`` and the other units go on.

The report's content is the caller's: the job carries what to export and what to draw
ahead as module-level functions (a job pickles to a worker process by reference; the
batch passes those of :mod:`pmqa_analysis.run.report_hooks`).  ``UnitJob.pre_render`` runs
right after the kernel is started or reset, so a new kernel boots on one core while the
unit's charts are drawn on the other; the folder it returns is removed once the unit has run.

Examples
--------
>>> UnitJob(unit_code="U01", slug="U01", run_dir="/r", notebook="/n.ipynb").formats
('html', 'xlsx')
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmqa_analysis.core.files import pid_alive
from pmqa_analysis.run.kernels import (
    DEFAULT_KERNEL_REUSE,
    execute_notebook,
    prime_kernel,
    release_kernel,
    warm_kernel,
)
from pmqa_analysis.run.manifest import STATUS_FILE, read_status, write_json_atomic

__all__ = [
    "Export",
    "PreRender",
    "UnitJob",
    "clean_stale",
    "failed_record",
    "previous_record",
    "run_unit",
]

#: ``pre_render(run_dir, unit_code, language) -> folder``: drawn in the worker for its
#: kernel; the runner removes the folder once the unit has run (an error: nothing drawn)
PreRender = Callable[[str, str, str], "str | os.PathLike[str] | None"]
#: ``export(job, folder, notes)``: the unit's files from ``folder/report.ipynb`` into
#: ``folder``; ``notes`` takes what the unit's record should say (a missing browser)
Export = Callable[["UnitJob", Path, list[str]], None]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TMP = re.compile(r"^\.(?P<slug>.+)\.(?:tmp|old|sections)-(?P<pid>\d+)$")
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class UnitJob:
    """Everything one unit's run needs (picklable, absolute paths only)."""

    unit_code: str
    slug: str
    run_dir: str
    notebook: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    fingerprint: str = ""
    formats: tuple[str, ...] = ("html", "xlsx")
    timeout_per_cell: float = 600.0
    kernel_reuse: int = DEFAULT_KERNEL_REUSE
    title: str = ""
    #: writes the unit's files from the executed notebook (a module-level function);
    #: None keeps only ``report.ipynb`` (and the staged tables)
    export: Export | None = None
    #: draws the unit's report sections in this process while the kernel starts (a
    #: module-level function; ``execute_units`` sets it for the default notebook on a
    #: process pool or in-process, one unit per process at a time)
    pre_render: PreRender | None = None
    #: the folder where the notebook stages its tables (cleared before the run, moved into
    #: the unit folder as ``tables/`` after it); "" for none
    staging: str = ""

    @property
    def render_ahead(self) -> bool:
        """Whether the worker draws the unit's sections ahead (``pre_render`` is set)."""
        return self.pre_render is not None


def _error_summary(exc: BaseException) -> tuple[str, str]:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        message = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
        lines = "\n".join(_ANSI.sub("", str(t)) for t in exc.traceback)
    else:
        message = f"{type(exc).__name__}: {exc}"
        lines = "".join(traceback.format_exception(exc))
    tail = "\n".join(lines.strip().splitlines()[-25:])
    return message[:2000], tail


def failed_record(job: UnitJob, exc: BaseException) -> dict[str, Any]:
    """The record of a unit whose worker failed (a process died, a job did not unpickle)."""
    error, trace = _error_summary(exc)
    return {
        "unit_code": job.unit_code, "slug": job.slug, "status": "failed",
        "fingerprint": job.fingerprint, "outputs": [], "error": f"worker failed: {error}",
        "traceback": trace, "notes": [], "duration_s": 0.0,
    }  # fmt: skip


def clean_stale(units_dir: str | Path) -> list[str]:
    """Remove temporary unit folders left by killed runs (their process is gone).

    Returns the names removed.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / ".U01.tmp-999999999").mkdir()
    >>> clean_stale(d)
    ['.U01.tmp-999999999']
    """
    root = Path(units_dir)
    removed: list[str] = []
    if not root.is_dir():
        return removed
    live_slugs: set[str] = set()
    for path in sorted(root.iterdir()):
        match = _TMP.match(path.name)
        if match is None:
            continue
        if pid_alive(int(match["pid"])):
            live_slugs.add(match["slug"])
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for path in sorted(root.glob(".*.tables")):
        if path.name[1 : -len(".tables")] not in live_slugs:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def previous_record(units_dir: Path, job: UnitJob) -> dict[str, Any] | None:
    """The completed record of a unit when it can be skipped (ok and same fingerprint)."""
    status = read_status(units_dir / job.slug)
    if status and status.get("status") == "ok" and status.get("fingerprint") == job.fingerprint:
        return status
    return None


def _render_ahead(job: UnitJob) -> Path | None:
    """The unit's sections rendered in this process for its kernel, or None (it draws)."""
    if job.pre_render is None:
        return None
    try:
        with _RENDER_LOCK:  # matplotlib is not thread-safe: one drawing per process at a time
            folder = job.pre_render(
                job.run_dir, job.unit_code, str(job.parameters.get("language", "th"))
            )
    except Exception:  # the kernel draws every section and reports any error in its cell
        return None
    return None if folder is None else Path(folder)


def _swap_into_place(tmp: Path, final: Path) -> None:
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def run_unit(job: UnitJob) -> dict[str, Any]:
    """Execute and export one unit; never raises for a unit's own failure.

    Parameters
    ----------
    job : UnitJob
        The unit, its parameters and options.

    Returns
    -------
    dict
        The unit's record: unit_code, slug, status ("ok" or "failed"), fingerprint,
        duration_s, outputs (file names in the unit folder), error, traceback, notes,
        kernel (the kernel's pid and how many units it had run with this one), phases_s
        (seconds: draw, the sections drawn ahead; kernel, its start or reset and prime;
        execute, the notebook; export, the unit's files).
    """
    started = time.perf_counter()
    units = Path(job.run_dir) / "units"
    units.mkdir(parents=True, exist_ok=True)
    tmp = units / f".{job.slug}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    staged = Path(job.staging) if job.staging else None
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)
    error, trace = "", ""
    notes: list[str] = []
    clock = time.perf_counter
    phases = dict.fromkeys(("draw", "kernel", "execute", "export"), 0.0)  # 0: not reached
    mark = clock()
    kernel = warm_kernel(job.run_dir, job.kernel_reuse)  # a reused kernel's reset: waited for
    phases["kernel"], mark = clock() - mark, clock()
    rendered = _render_ahead(job)  # while a new kernel boots, on another core
    phases["draw"], mark = clock() - mark, clock()
    ok = False
    #: which kernel ran the unit, and its how-manieth unit (1: a fresh kernel)
    ran_on = {"pid": kernel.pid, "unit": kernel.used + 1}
    try:
        prime_kernel(kernel, job.kernel_reuse)  # a new kernel's boot: waited for here
        phases["kernel"] += clock() - mark
        mark = clock()
        execute_notebook(
            kernel, job.notebook, tmp / "report.ipynb", dict(job.parameters),
            timeout_per_cell=job.timeout_per_cell,
        )  # fmt: skip
        ok = True
    except Exception as exc:
        error, trace = _error_summary(exc)
    finally:
        release_kernel(kernel, job.kernel_reuse, ok)
        if rendered is not None:
            shutil.rmtree(rendered, ignore_errors=True)
    phases["execute"], mark = clock() - mark, clock()
    if staged is not None and staged.is_dir():
        os.replace(staged, tmp / "tables")
    if ok and job.export is not None:
        try:
            job.export(job, tmp, notes)
        except Exception as exc:
            ok = False
            error, trace = _error_summary(exc)
            error = f"export failed: {error}"
    phases["export"] = clock() - mark
    if not ok and (tmp / "report.ipynb").exists():
        os.replace(tmp / "report.ipynb", tmp / "report.failed.ipynb")
    record: dict[str, Any] = {
        "unit_code": job.unit_code,
        "slug": job.slug,
        "status": "ok" if ok else "failed",
        "fingerprint": job.fingerprint,
        "outputs": sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()),
        "error": error,
        "traceback": trace,
        "notes": notes,
        "kernel": {**ran_on, "pid": ran_on["pid"] or kernel.pid},
        "phases_s": {k: round(v, 3) for k, v in phases.items()},
    }
    record["duration_s"] = round(time.perf_counter() - started, 3)
    write_json_atomic(tmp / STATUS_FILE, record)
    _swap_into_place(tmp, units / job.slug)
    return record
