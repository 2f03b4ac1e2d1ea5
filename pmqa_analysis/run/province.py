"""The province overview of a run: one notebook beside the units, gathered into ``province/``.

:func:`run_province` executes ``province_overview.ipynb`` on a one-off kernel, exports it to
``overview.html`` and copies the committee files (``committee.xlsx``, the improvement plan,
the plan's progress) into ``province/``, atomically; it is skipped when the results and
assessment it reads are unchanged.  A failure is recorded (exit code 1), never raised: the
unit reports go on.

Examples
--------
>>> PROVINCE_KEY, PROVINCE_NOTEBOOK.name
('__province__', 'province_overview.ipynb')
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import Any

from pmqa_analysis.run.manifest import combine_hashes, hash_files
from pmqa_analysis.run.plan import NOTEBOOKS_DIR, RunPlan

__all__ = ["PROVINCE_FILES", "PROVINCE_KEY", "PROVINCE_NOTEBOOK", "run_province"]

#: manifest key of the province overview record
PROVINCE_KEY = "__province__"
PROVINCE_NOTEBOOK = NOTEBOOKS_DIR / "province_overview.ipynb"
PROVINCE_FILES = ("committee.xlsx", "improvement_plan.xlsx", "plan_progress.csv", "scores.csv")
#: the fingerprint of the province folder's inputs, written last into it
STAMP = ".fingerprint"


def run_province(plan: RunPlan, *, quiet: bool = False) -> dict[str, Any]:
    """Execute the province overview and gather the committee files into ``province/``.

    Written to a temporary folder and renamed into place; a failure is recorded (exit
    code 1) and never stops the unit reports.

    Returns
    -------
    dict
        The overview's record: status ("ok", "skipped" or "failed"), fingerprint,
        duration_s, outputs, error.
    """
    import nbformat

    from pmqa_analysis.report.export import notebook_to_html
    from pmqa_analysis.run.kernels import execute_once
    from pmqa_analysis.run.unit_job import clean_stale

    t0 = time.perf_counter()
    final = plan.run_dir / "province"
    clean_stale(plan.run_dir)  # a killed run's .province.tmp-<pid> (and .assessment.tmp-)
    fingerprint = combine_hashes(plan.base_fingerprint, hash_files(plan.run_dir / "results"),
                                 hash_files(plan.run_dir / "assessment"))  # fmt: skip
    stamp = final / STAMP
    if not plan.force and stamp.is_file() and stamp.read_text() == fingerprint:
        outputs = sorted(p.name for p in final.iterdir() if p.name != STAMP)
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
        (tmp / STAMP).write_text(fingerprint)
        old = plan.run_dir / ".province.old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        outputs = sorted(p.name for p in final.iterdir() if p.name != STAMP)
        record.update(status="ok", fingerprint=fingerprint, outputs=outputs)
    except Exception as exc:  # one failure never stops the rest: recorded in the manifest
        record.update(status="failed", error=f"{type(exc).__name__}: {exc}"[:500])
        if not quiet:
            print(f"province overview failed: {record['error']}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    record["duration_s"] = round(time.perf_counter() - t0, 3)
    return record
