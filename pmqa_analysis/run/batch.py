"""The report batch: plan → prepare → execute one notebook per unit → index + manifest.

``run_report(workspace)`` validates the workspace (a
:class:`~pmqa_analysis.core.errors.ValidationError` propagates and nothing is written), writes the
run folder's prepared data once, runs the parameterized unit notebook for every unit with
papermill (in parallel; see :mod:`pmqa_analysis.run.runner`; the report's own export and
drawing are handed to it from :mod:`pmqa_analysis.run.report_hooks`), and writes ``index.html`` and
``manifest.json``.  Re-running with the same inputs reuses the same run folder and skips the
units whose fingerprint is unchanged.

Notebook authors use :func:`save_table` (a table for the unit's Excel workbook),
:func:`safe_html` and :func:`html_table` (free text always escaped).  A notebook's
``parameters`` cell must declare ``unit_code`` and ``run_dir`` (``language`` is passed when
declared); it reads its slice with
``pd.read_parquet(f"{run_dir}/data/responses.parquet", filters=[("unit_code", "==", unit_code)])``.

Examples
--------
>>> import tempfile
>>> from pmqa_analysis.workspace.sample import make_sample_workspace
>>> ws = make_sample_workspace(Path(tempfile.mkdtemp()) / "ws", n_units=3)
>>> plan = plan_run(ws, Path(tempfile.mkdtemp()) / "run", notebook=_demo_notebook())
>>> plan.units, plan.slugs["U01"]
(('U01', 'U02', 'U03'), 'U01')
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import os
import platform
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmqa_analysis import __version__
from pmqa_analysis.core.errors import InputError
from pmqa_analysis.report.export import (
    find_chromium,
    html_table,
    safe_html,
    save_table,
    staging_dir,
)
from pmqa_analysis.report.index_page import write_index_page
from pmqa_analysis.run.manifest import (
    code_fingerprint,
    combine_hashes,
    hash_files,
    sha256_file,
    slice_hashes,
    unit_slug,
    write_json_atomic,
)

if TYPE_CHECKING:
    from pmqa_analysis.run.workers import Workers

__all__ = [
    "DEFAULT_NOTEBOOK",
    "FORMATS",
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

#: The package's unit notebook (written with the statistics; ``--notebook`` overrides it).
#: the notebooks ship inside the package (package data), so a non-editable install has them
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
DEFAULT_NOTEBOOK = NOTEBOOKS_DIR / "unit_assessment.ipynb"
FORMATS = ("html", "xlsx", "pdf")
REQUIRED_PARAMETERS = ("unit_code", "run_dir")
OPTIONAL_PARAMETERS = ("language",)
#: ``prepare_fn(workspace_dir, run_dir) -> unit codes``; writes ``run_dir/data`` and ``results``.
PrepareFn = Callable[[Path, Path], list[str]]
_CACHE: dict[str, Any] = {}
KERNEL = "python3"


@dataclass(frozen=True)
class RunPlan:
    """What a run will do; built by :func:`plan_run`, fingerprinted by :func:`prepare`."""

    workspace_dir: Path
    run_dir: Path
    run_id: str
    notebook: Path
    units: tuple[str, ...]
    slugs: Mapping[str, str]
    titles: Mapping[str, str]
    formats: tuple[str, ...]
    parameters: tuple[str, ...]
    settings: Mapping[str, Any]
    inputs: Mapping[str, str]
    base_fingerprint: str
    force: bool = False
    fingerprints: Mapping[str, str] = field(default_factory=dict)

    def unit_dir(self, code: str) -> Path:
        """The unit's final folder (inside ``run_dir/units``)."""
        return self.run_dir / "units" / self.slugs[code]


@dataclass(frozen=True)
class RunResult:
    """The outcome of :func:`run_report`."""

    run_dir: Path
    run_id: str
    index_path: Path
    manifest_path: Path
    units: pd.DataFrame
    exit_code: int
    province: Mapping[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        """Codes of the units that failed."""
        return list(self.units.loc[self.units["status"] == "failed", "unit_code"])


def _load(workspace_dir: Path) -> Any:
    """``load_workspace`` with a one-entry cache (plan and prepare load the same inputs)."""
    from pmqa_analysis.workspace.loader import load_workspace

    key = combine_hashes(str(workspace_dir), hash_files(workspace_dir))
    if _CACHE.get("key") != key:
        _CACHE.clear()
        _CACHE["survey"] = load_workspace(workspace_dir)
        _CACHE["key"] = key
    return _CACHE["survey"]


def _check_notebook(notebook: Path) -> tuple[str, ...]:
    import nbformat
    import papermill

    if not notebook.is_file():
        raise InputError(
            f"notebook not found: {notebook}; expected a parameterized .ipynb file. "
            "Pass --notebook PATH / ไม่พบไฟล์ notebook"
        )
    try:
        nb = nbformat.read(notebook, as_version=4)
        # the batch always runs the "python3" kernel
        nb.metadata["kernelspec"] = {"name": KERNEL, "language": "python", "display_name": ""}
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / notebook.name
            nbformat.write(nb, copy)
            declared = papermill.inspect_notebook(str(copy))
    except Exception as exc:
        raise InputError(f"cannot read notebook {notebook}: {exc}") from exc
    missing = [p for p in REQUIRED_PARAMETERS if p not in declared]
    if missing:
        found = ", ".join(declared) or "no parameters cell"
        raise InputError(
            f"notebook {notebook.name} does not declare {', '.join(missing)} in its "
            f"parameters cell (found: {found}); expected a cell tagged 'parameters' defining "
            "unit_code = '' and run_dir = ''. Add them and tag the cell 'parameters'"
        )
    return tuple(p for p in (*REQUIRED_PARAMETERS, *OPTIONAL_PARAMETERS) if p in declared)


def plan_run(
    workspace_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    units: Iterable[str] | None = None,
    formats: Sequence[str] = ("html", "xlsx"),
    notebook: str | Path | None = None,
    force: bool = False,
) -> RunPlan:
    """Validate the inputs and decide the run folder, units, folder names and notebook.

    Writes nothing.

    Parameters
    ----------
    workspace_dir : path
        The workspace folder (validated with ``load_workspace``).
    out_dir : path, optional
        The run folder; default ``reports/<run-id>`` under the current directory, the run id
        being derived from the inputs, settings, package version and notebook.
    units : iterable of str, optional
        Unit codes to report on (default all, in the units file's order).
    formats : sequence of str
        Among "html", "xlsx", "pdf" (the executed ``report.ipynb`` is always kept).
    notebook : path, optional
        A parameterized notebook declaring ``unit_code`` and ``run_dir``.
    force : bool
        Redo units even when their fingerprint is unchanged.

    Raises
    ------
    ValidationError
        When the workspace has errors.
    InputError
        Unknown unit codes or formats, a notebook without the required parameters.
    """
    ws = Path(workspace_dir)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(
            f"unknown report format(s) {', '.join(map(str, bad))}; expected some of "
            f"{', '.join(FORMATS)}, e.g. --formats html,xlsx"
        )
    nb = Path(notebook).resolve() if notebook is not None else DEFAULT_NOTEBOOK
    declared = _check_notebook(nb)
    survey = _load(ws.resolve() if ws.is_dir() else ws)
    known = [str(c) for c in survey.unit_codes()]
    chosen = known if units is None else [str(u) for u in units]
    unknown = [u for u in chosen if u not in known]
    if unknown or not chosen:
        raise InputError(
            f"unknown unit code(s): {', '.join(map(repr, unknown)) or 'none given'}; "
            f"known codes: {', '.join(known)}. Use codes from units.csv "
            "/ ไม่พบรหัสหน่วยงาน ใช้รหัสจาก units.csv"
        )
    chosen = list(dict.fromkeys(chosen))
    slugs = {c: unit_slug(c) for c in chosen}
    if len(set(slugs.values())) != len(slugs):
        raise InputError(f"two unit codes give the same folder name: {slugs}; rename one")
    names = dict(
        zip(survey.units["unit_code"].astype(str), survey.units["unit_name_th"], strict=True)
    )
    settings = {**survey.settings.as_dict(), "formats": list(formats)}
    inputs = hash_files(survey.path)
    base = combine_hashes(inputs, settings, code_fingerprint(), sha256_file(nb), declared)
    run_id = f"FY{survey.fiscal_year}-{base[:10]}"
    run_dir = Path(out_dir) if out_dir is not None else Path.cwd() / "reports" / run_id
    return RunPlan(
        workspace_dir=survey.path, run_dir=run_dir.resolve(), run_id=run_id, notebook=nb,
        units=tuple(chosen), slugs=slugs,
        titles={c: f"{c} {names.get(c, '')}".strip() for c in chosen},
        formats=tuple(formats), parameters=declared, settings=settings, inputs=inputs,
        base_fingerprint=base, force=force,
    )  # fmt: skip


def _write_parquet_atomic(frame: pd.DataFrame, path: Path, **kwargs: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False, **kwargs)
    tmp.replace(path)


def default_prepare(workspace_dir: Path, run_dir: Path) -> list[str]:
    """The kit's prepare step: every unit's statistics at once (:mod:`pmqa_analysis.run.prepare`).

    Writes ``run_dir/data`` (normalised inputs, responses sorted by unit) and
    ``run_dir/results`` (tidy Parquet tables + ``meta.json``) and ``run_dir/assessment``
    (scorecards, plans, committee workbook), reusing the workspace already validated by
    :func:`plan_run`.

    Returns
    -------
    list of str
        Every unit code, in the units file's order.
    """
    from pmqa_analysis.run.prepare import prepare_results

    return prepare_results(_load(Path(workspace_dir)), run_dir)


def prepare(plan: RunPlan, prepare_fn: PrepareFn | None = None) -> RunPlan:
    """Run the prepare step into the run folder; returns the plan with unit fingerprints.

    A unit's fingerprint hashes the plan's base fingerprint (inputs' bytes, settings,
    package version, notebook bytes) with the prepared data that unit can read.
    """
    fn = prepare_fn or default_prepare
    for sub in ("data", "results"):
        (plan.run_dir / sub).mkdir(parents=True, exist_ok=True)
    codes = [str(c) for c in fn(plan.workspace_dir, plan.run_dir)]
    missing = [c for c in plan.units if c not in codes]
    if missing:
        raise InputError(
            f"the prepare step produced no data for unit(s) {', '.join(missing)} "
            f"(it returned {', '.join(codes) or 'nothing'}); expected every planned unit"
        )
    slices = slice_hashes([plan.run_dir / "data", plan.run_dir / "results"], plan.units)
    fps = {c: combine_hashes(plan.base_fingerprint, slices[c]) for c in plan.units}
    return dataclasses.replace(plan, fingerprints=fps)


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
        A plan returned by :func:`prepare` (with fingerprints).
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
        runs as many; see :func:`run_report`.

    Returns
    -------
    list of dict
        One record per unit in plan order, status "ok", "failed" or "skipped".
    """
    from pmqa_analysis.run import runner
    from pmqa_analysis.run.kernels import DEFAULT_KERNEL_REUSE
    from pmqa_analysis.run.report_hooks import export_unit, pre_render_sections
    from pmqa_analysis.run.unit_job import UnitJob, clean_stale, previous_record

    if not plan.fingerprints:
        raise InputError("the plan has no fingerprints: call prepare(plan) before execute_units")
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


def _versions() -> dict[str, str]:
    import nbconvert
    import papermill

    return {
        "pmqa_analysis": __version__, "python": platform.python_version(),
        "papermill": papermill.__version__, "nbconvert": nbconvert.__version__,
        "pandas": pd.__version__,
    }  # fmt: skip


def write_manifest(
    plan: RunPlan, records: Sequence[Mapping[str, Any]], *, started: str, finished: str
) -> Path:
    """Write ``manifest.json`` atomically (deterministic except timestamps and timings)."""
    chromium = find_chromium() is not None
    notes = [] if "pdf" not in plan.formats or chromium else ["pdf not written: no Chromium"]
    counts = {s: sum(r["status"] == s for r in records) for s in ("ok", "failed", "skipped")}
    manifest = {
        "run_id": plan.run_id, "started": started, "finished": finished,
        "package_version": __version__, "versions": _versions(),
        "workspace": str(plan.workspace_dir), "run_dir": str(plan.run_dir),
        "notebook": {"path": str(plan.notebook), "sha256": sha256_file(plan.notebook)},
        "formats": list(plan.formats), "settings": dict(plan.settings),
        "inputs": [{"file": k, "sha256": v} for k, v in plan.inputs.items()],
        "units": [dict(r) for r in records], "summary": counts,
        "exit_code": 1 if counts["failed"] else 0, "notes": notes,
    }  # fmt: skip
    return write_json_atomic(plan.run_dir / "manifest.json", manifest)


def write_index(plan: RunPlan, records: Sequence[Mapping[str, Any]]) -> Path:
    """Write ``index.html`` (:func:`pmqa_analysis.report.index_page.write_index_page`)."""
    return write_index_page(
        plan.run_dir, run_id=plan.run_id, province=str(plan.settings.get("province", "")),
        titles=plan.titles, records=records,
    )  # fmt: skip


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
    skipped) and 1 when some failed (the others are still produced).

    Raises
    ------
    ValidationError
        Invalid workspace: nothing is written.
    InputError
        Unknown units or formats, an unusable notebook.
    """
    started = _now()
    plan = plan_run(
        workspace_dir, out_dir, units=units, formats=formats, notebook=notebook, force=force
    )
    from pmqa_analysis.run.report_hooks import ReportWorkers

    n = min(workers or os.cpu_count() or 1, len(plan.units))
    # the prepare step runs on one core: the worker processes start and warm up meanwhile
    ahead = ReportWorkers(n) if scheduler is None and n > 1 else contextlib.nullcontext()
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmqa-province")
    with ahead as warm, side:
        plan.run_dir.mkdir(parents=True, exist_ok=True)
        plan = prepare(plan, prepare_fn)
        # the kit's own results exist: add the province overview. It reads only results/
        # and assessment/, so it runs beside the units (its kernel fills the cores a
        # batch leaves idle at its end) instead of after them
        overview = side.submit(_province, plan, quiet=quiet) if prepare_fn is None else None
        records = execute_units(
            plan, workers=workers, scheduler=scheduler, quiet=quiet,
            timeout_per_cell=timeout_per_cell, kernel_reuse=kernel_reuse, started=warm,
        )  # fmt: skip
        province: dict[str, Any] = overview.result() if overview is not None else {}
    manifest = write_manifest(
        plan, [*records, province] if province else records, started=started, finished=_now()
    )
    index = write_index(plan, [*records, *_other_units(plan, records)])
    table = pd.DataFrame(
        [{k: r.get(k) for k in ("unit_code", "slug", "status", "duration_s", "error")}
         for r in records]
    )  # fmt: skip
    failed = (table["status"] == "failed").any() or province.get("status") == "failed"
    exit_code = 1 if failed else 0
    if not quiet:
        print(f"index: {index}", file=sys.stderr)
    return RunResult(plan.run_dir, plan.run_id, index, manifest, table, exit_code, province)


def _other_units(plan: RunPlan, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Completed reports of units left out of this run (``--units``), for the index."""
    from pmqa_analysis.run.manifest import read_status

    done = {str(r["unit_code"]) for r in records}
    out = []
    for code in _load(plan.workspace_dir).unit_codes():
        if str(code) in done:
            continue
        status = read_status(plan.run_dir / "units" / unit_slug(code))
        if status is not None:
            out.append({**status, "unit_code": str(code), "slug": unit_slug(code)})
    return out


#: manifest key of the province overview record
PROVINCE_KEY = "__province__"
PROVINCE_NOTEBOOK = NOTEBOOKS_DIR / "province_overview.ipynb"
PROVINCE_FILES = ("committee.xlsx", "improvement_plan.xlsx", "plan_progress.csv", "scores.csv")


def _province(plan: RunPlan, *, quiet: bool = False) -> dict[str, Any]:
    """Execute the province overview and gather the committee files into ``province/``.

    Written to a temporary folder and renamed into place; a failure is recorded (exit
    code 1) and never stops the unit reports.
    """
    import shutil
    import time

    import nbformat

    from pmqa_analysis.report.export import notebook_to_html
    from pmqa_analysis.run.kernels import execute_once
    from pmqa_analysis.run.unit_job import clean_stale

    t0 = time.perf_counter()
    final = plan.run_dir / "province"
    clean_stale(plan.run_dir)  # a killed run's .province.tmp-<pid> (and .assessment.tmp-)
    fingerprint = combine_hashes(plan.base_fingerprint, hash_files(plan.run_dir / "results"),
                                 hash_files(plan.run_dir / "assessment"))  # fmt: skip
    stamp = final / ".fingerprint"
    if not plan.force and stamp.is_file() and stamp.read_text() == fingerprint:
        outputs = sorted(p.name for p in final.iterdir() if p.name != ".fingerprint")
        return {"unit_code": PROVINCE_KEY, "slug": "province", "status": "skipped",
                "fingerprint": fingerprint, "duration_s": 0.0, "outputs": outputs}  # fmt: skip
    tmp = plan.run_dir / f".province.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    record: dict[str, Any] = {"unit_code": PROVINCE_KEY, "slug": "province"}
    try:
        execute_once(
            PROVINCE_NOTEBOOK, tmp / "overview.ipynb",
            {"run_dir": str(plan.run_dir), "language": str(plan.settings.get("language", "th"))},
            plan.run_dir / "logs" / "kernel-province.log",
        )  # fmt: skip
        executed = nbformat.read(tmp / "overview.ipynb", as_version=4)
        title = f"ภาพรวมจังหวัด {plan.settings.get('province', '')}".strip()
        lang = str(plan.settings.get("language", "th"))
        page = notebook_to_html(executed, title=title, lang=lang)
        (tmp / "overview.html").write_text(page, "utf-8")
        for name in PROVINCE_FILES:
            src = plan.run_dir / "assessment" / name
            if src.exists():
                shutil.copy2(src, tmp / name)
        (tmp / ".fingerprint").write_text(fingerprint)
        old = plan.run_dir / ".province.old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        outputs = sorted(p.name for p in final.iterdir() if p.name != ".fingerprint")
        record.update(status="ok", fingerprint=fingerprint, outputs=outputs)
    except Exception as exc:  # one failure never stops the rest: recorded in the manifest
        record.update(status="failed", error=f"{type(exc).__name__}: {exc}"[:500])
        if not quiet:
            print(f"province overview failed: {record['error']}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    record["duration_s"] = round(time.perf_counter() - t0, 3)
    return record


def _demo_notebook() -> Path:
    """A minimal parameterized notebook (for the examples)."""
    import nbformat.v4 as v4

    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell("unit_code = ''\nrun_dir = ''", metadata={"tags": ["parameters"]}),
            v4.new_code_cell("print(unit_code)"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path = Path(tempfile.mkdtemp()) / "demo.ipynb"
    import nbformat

    nbformat.write(nb, path)
    return path
