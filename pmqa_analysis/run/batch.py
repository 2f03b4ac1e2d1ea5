"""The report batch: lock → no-op check → plan → prepare → execute → index + manifest.

``run_report(workspace)`` is what ``pmqa report`` runs; each step is a module of this room:

- :mod:`~pmqa_analysis.run.lock`: one run at a time on a run folder (a second one stops at
  once, naming the holder; a killed run's lock is taken over);
- :mod:`~pmqa_analysis.run.noop`: nothing changed since the last complete run (inputs,
  settings, code, notebook, options): it stops there, before any heavy import;
- :mod:`~pmqa_analysis.run.plan`: ``--out`` checked, the workspace validated (a
  :class:`~pmqa_analysis.core.errors.ValidationError` propagates and nothing is written),
  units, folder names and notebook decided;
- :mod:`~pmqa_analysis.run.prepare_step`: the run folder's prepared data, written once, and
  each unit's fingerprint;
- :mod:`~pmqa_analysis.run.execute`: the parameterized unit notebook for every changed unit
  (in parallel, on pooled warm kernels; see :mod:`pmqa_analysis.run.runner`), beside the
  province overview (:mod:`~pmqa_analysis.run.province`);
- :mod:`~pmqa_analysis.run.finish`: ``index.html`` and ``manifest.json``.

Notebook authors use :func:`save_table` (a table for the unit's Excel workbook),
:func:`safe_html` and :func:`html_table` (free text always escaped).  A notebook's
``parameters`` cell must declare ``unit_code`` and ``run_dir`` (``language`` is passed when
declared); it reads its slice with
``pd.read_parquet(f"{run_dir}/data/responses.parquet", filters=[("unit_code", "==", unit_code)])``.

Examples
--------
>>> r = RunResult(Path("/run"), "FY2567-x", Path("/run/index.html"), Path("/run/m.json"),
...               ({"unit_code": "U01", "slug": "U01", "status": "skipped"},), 0, noop=True)
>>> r.summary()["units"][0]["path"], r.summary()["noop"]
('/run/units/U01', True)
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmqa_analysis.report.export import html_table, safe_html, save_table
from pmqa_analysis.run.execute import execute_units
from pmqa_analysis.run.finish import MANIFEST, other_units, write_index, write_manifest
from pmqa_analysis.run.kernels import remove_stale_kernel_dirs
from pmqa_analysis.run.lock import RunLock
from pmqa_analysis.run.manifest import unit_slug, write_json_atomic
from pmqa_analysis.run.noop import check_noop, find_noop, noop_key
from pmqa_analysis.run.plan import (
    DEFAULT_NOTEBOOK,
    FORMATS,
    NOTEBOOKS_DIR,
    RunPlan,
    check_formats,
    check_out_dir,
    plan_run,
)
from pmqa_analysis.run.prepare_step import PrepareFn, default_prepare, prepare
from pmqa_analysis.run.province import PROVINCE_KEY, run_province

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_NOTEBOOK",
    "FORMATS",
    "NOTEBOOKS_DIR",
    "PrepareFn",
    "RunPlan",
    "RunResult",
    "default_prepare",
    "execute_units",
    "html_table",
    "plan_run",
    "prepare",
    "run_report",
    "safe_html",
    "save_table",
    "unit_slug",
    "write_index",
    "write_manifest",
]

_COLUMNS = ("unit_code", "slug", "status", "duration_s", "error")


@dataclass(frozen=True)
class RunResult:
    """The outcome of :func:`run_report`.

    ``records`` are the units' status records in plan order; ``units`` is the same as a
    table (unit_code, slug, status, duration_s, error); ``noop`` is True when nothing had
    changed and nothing ran; :meth:`summary` is the machine-readable summary
    (``pmqa report --json``).
    """

    run_dir: Path
    run_id: str
    index_path: Path
    manifest_path: Path
    records: tuple[Mapping[str, Any], ...]
    exit_code: int
    province: Mapping[str, Any] = field(default_factory=dict)
    noop: bool = False
    started: str = ""
    finished: str = ""
    duration_s: float = 0.0

    @functools.cached_property
    def units(self) -> pd.DataFrame:
        """One row per unit: unit_code, slug, status, duration_s, error."""
        import pandas as pd

        return pd.DataFrame([{k: r.get(k) for k in _COLUMNS} for r in self.records],
                            columns=list(_COLUMNS))  # fmt: skip

    @property
    def failed(self) -> list[str]:
        """Codes of the units that failed."""
        return [str(r["unit_code"]) for r in self.records if r.get("status") == "failed"]

    def summary(self) -> dict[str, Any]:
        """The run for a scheduler: exit code, counts, per-unit status, timings and paths."""

        def entry(r: Mapping[str, Any], path: Path) -> dict[str, Any]:
            return {"unit_code": str(r.get("unit_code")), "slug": r.get("slug"),
                    "status": r.get("status"), "duration_s": r.get("duration_s", 0.0),
                    "error": r.get("error") or "", "path": str(path),
                    "outputs": list(r.get("outputs") or []),
                    **({"phases_s": r["phases_s"]} if r.get("phases_s") else {})}  # fmt: skip

        counts = {s: sum(r.get("status") == s for r in self.records)
                  for s in ("ok", "failed", "skipped")}  # fmt: skip
        province = None
        if self.province:
            province = entry(self.province, self.run_dir / "province")
        return {
            "exit_code": self.exit_code, "noop": self.noop, "run_id": self.run_id,
            "run_dir": str(self.run_dir), "index": str(self.index_path),
            "manifest": str(self.manifest_path), "started": self.started,
            "finished": self.finished, "duration_s": self.duration_s, "summary": counts,
            "units": [entry(r, self.run_dir / "units" / str(r.get("slug"))) for r in self.records],
            "province": province,
        }  # fmt: skip


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def run_report(
    workspace_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    units: Iterable[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    formats: Sequence[str] = ("html", "xlsx"),
    notebook: str | Path | None = None,
    force: bool = False,
    quiet: bool = False,
    prepare_fn: PrepareFn | None = None,
    timeout_per_cell: float = 600,
    kernel_reuse: int | None = None,
) -> RunResult:
    """Plan, prepare, execute and index a whole batch of unit reports.

    Returns a :class:`RunResult` whose ``exit_code`` is 0 when every unit is ok (or
    skipped) and 1 when some failed (the others are still produced).  With nothing changed
    since the run folder's last complete run (and no ``prepare_fn``, no ``force``) nothing
    runs: the result has ``noop`` True and every unit "skipped".

    Raises
    ------
    ValidationError
        Invalid workspace: nothing is written.
    InputError
        Unknown units or formats, an unusable notebook, ``out_dir`` a file or under one.
    RunLocked
        Another run holds the run folder (an InputError: exit code 2).
    """
    t0 = time.perf_counter()
    started = _now()
    check_formats(formats)
    out = check_out_dir(out_dir) if out_dir is not None else None
    remove_stale_kernel_dirs()  # the socket folders of kernels a killed run left behind
    unit_list = None if units is None else [str(u) for u in units]
    key = "" if prepare_fn is not None else noop_key(
        workspace_dir, units=unit_list, formats=formats, notebook=notebook
    )  # fmt: skip
    with contextlib.ExitStack() as stack:
        locked: Path | None = None
        if out is not None and out.is_dir():  # a re-run: locked before anything is read
            stack.enter_context(RunLock(out))
            locked = out
        if key and not force:
            found = find_noop(out, key)
            if found is not None and locked is None:  # the default folder, found by its key
                stack.enter_context(RunLock(found[0]))
                locked = found[0]
                manifest = check_noop(found[0], key)  # as it is now that it is ours
                found = None if manifest is None else (found[0], manifest)
            if found is not None:
                return _noop_result(found[0], found[1], started, t0, quiet=quiet)
        plan = plan_run(
            workspace_dir, out, units=unit_list, formats=formats, notebook=notebook, force=force
        )
        plan = dataclasses.replace(plan, noop_key=key)
        if locked != plan.run_dir:
            stack.enter_context(RunLock(plan.run_dir))
        return _run(plan, started, t0, workers=workers, scheduler=scheduler, quiet=quiet,
                    prepare_fn=prepare_fn, timeout_per_cell=timeout_per_cell,
                    kernel_reuse=kernel_reuse)  # fmt: skip
    raise AssertionError("unreachable")  # pragma: no cover - the block returns


def _run(
    plan: RunPlan, started: str, t0: float, *, workers: int | None, scheduler: str | None,
    quiet: bool, prepare_fn: PrepareFn | None, timeout_per_cell: float,
    kernel_reuse: int | None,
) -> RunResult:  # fmt: skip
    """The full run, the run folder locked: prepare, units beside the overview, index."""
    from concurrent.futures import ThreadPoolExecutor

    from pmqa_analysis.run.report_hooks import ReportWorkers

    n = min(workers or os.cpu_count() or 1, len(plan.units))
    # the prepare step runs on one core: the worker processes start and warm up meanwhile
    # (and start their kernels, whose logs go to the run folder)
    ahead = (
        ReportWorkers(n, plan.run_dir) if scheduler is None and n > 1 else contextlib.nullcontext()
    )
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmqa-province")
    with ahead as warm, side:
        plan.run_dir.mkdir(parents=True, exist_ok=True)
        plan = prepare(plan, prepare_fn)
        # the kit's own results exist: add the province overview. It reads only results/
        # and assessment/, so it runs beside the units (its kernel fills the cores a
        # batch leaves idle at its end) instead of after them
        overview = side.submit(run_province, plan, quiet=quiet) if prepare_fn is None else None
        records = execute_units(
            plan, workers=workers, scheduler=scheduler, quiet=quiet,
            timeout_per_cell=timeout_per_cell, kernel_reuse=kernel_reuse, started=warm,
        )  # fmt: skip
        province: dict[str, Any] = overview.result() if overview is not None else {}
    # the province overview's record too: the index says when the overview failed
    listed = [*records, *other_units(plan, records), *([province] if province else [])]
    index = write_index(plan, listed)
    from pmqa_analysis.report.export import find_chromium

    if "pdf" in plan.formats and find_chromium() is not None:  # the committee's printed booklet
        from pmqa_analysis.report.booklet import write_booklet

        write_booklet(plan.run_dir, run_id=plan.run_id, titles=plan.titles, records=listed,
                      province=str(plan.settings.get("province", "")))  # fmt: skip
    finished = _now()
    manifest = write_manifest(
        plan, [*records, province] if province else records, started=started, finished=finished
    )
    failed = any(r["status"] == "failed" for r in records) or province.get("status") == "failed"
    if not quiet:
        print(f"index: {index}", file=sys.stderr)
    return RunResult(
        plan.run_dir, plan.run_id, index, manifest, tuple(records), 1 if failed else 0,
        province, started=started, finished=finished,
        duration_s=round(time.perf_counter() - t0, 3),
    )  # fmt: skip


def _noop_result(
    run_dir: Path, manifest: Mapping[str, Any], started: str, t0: float, *, quiet: bool
) -> RunResult:
    """Nothing changed: the last run's records, every one skipped.

    No report is written; a killed run's temporary folders are removed, and the manifest
    records this run (times, every unit skipped), keeping what the next no-op checks.
    """
    from pmqa_analysis.run.unit_job import clean_stale

    clean_stale(run_dir)  # a killed run's .province.tmp-<pid>
    clean_stale(run_dir / "units")
    skipped = [{**r, "status": "skipped", "duration_s": 0.0} for r in manifest["units"]]
    units = [r for r in skipped if r.get("unit_code") != PROVINCE_KEY]
    province = next((r for r in skipped if r.get("unit_code") == PROVINCE_KEY), {})
    if not quiet:
        what = f"{len(units)} unit report(s)" + (" and the province overview" if province else "")
        print(
            f"ไม่มีอะไรเปลี่ยนตั้งแต่รอบ {manifest.get('finished', '?')}: ข้ามรายงาน {len(units)} "
            f"หน่วยงาน{'และภาพรวมจังหวัด' if province else ''} / nothing changed since the run "
            f"finished {manifest.get('finished', '?')}: skipped {what} ({run_dir})",
            file=sys.stderr,
        )
    finished = _now()
    counts = {"ok": 0, "failed": 0, "skipped": len(skipped)}
    write_json_atomic(run_dir / MANIFEST, {
        **manifest, "started": started, "finished": finished, "units": skipped,
        "summary": counts, "exit_code": 0, "noop": True,
    })  # fmt: skip
    return RunResult(
        run_dir, str(manifest.get("run_id", "")), run_dir / "index.html", run_dir / MANIFEST,
        tuple(units), 0, province, noop=True, started=started, finished=finished,
        duration_s=round(time.perf_counter() - t0, 3),
    )  # fmt: skip
