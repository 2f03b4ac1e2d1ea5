"""The end of a run: ``manifest.json`` (what ran, on what, with what result) and ``index.html``.

:func:`write_manifest` records the inputs' hashes, the library versions, the settings and
every unit's status and timings, atomically (deterministic except timestamps and timings),
with the run's no-op key (:mod:`pmqa_analysis.run.noop`) that lets an unchanged re-run stop
at once.  :func:`write_index` hands the records to
:func:`pmqa_analysis.report.index_page.write_index_page`.

Examples
--------
>>> sorted(versions())[:3]
['nbconvert', 'pandas', 'papermill']
"""

from __future__ import annotations

import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pmqa_analysis import __version__
from pmqa_analysis.report.export import find_chromium
from pmqa_analysis.run.manifest import read_status, sha256_file, unit_slug, write_json_atomic
from pmqa_analysis.run.noop import prepared_stamp
from pmqa_analysis.run.plan import RunPlan, load_survey

__all__ = ["MANIFEST", "other_units", "versions", "write_index", "write_manifest"]

MANIFEST = "manifest.json"


def versions() -> dict[str, str]:
    """The versions of Python and the libraries that make a report (for the manifest)."""
    import nbconvert
    import pandas as pd
    import papermill

    return {
        "pmqa_analysis": __version__, "python": platform.python_version(),
        "papermill": papermill.__version__, "nbconvert": nbconvert.__version__,
        "pandas": pd.__version__,
    }  # fmt: skip


def write_manifest(
    plan: RunPlan, records: Sequence[Mapping[str, Any]], *, started: str, finished: str
) -> Path:
    """Write ``manifest.json`` atomically (deterministic except timestamps and timings).

    Written last (after ``index.html``): it records the sizes and times of the prepared
    data and the index, which a no-op re-run requires unchanged.
    """
    chromium = find_chromium() is not None
    notes = [] if "pdf" not in plan.formats or chromium else ["pdf not written: no Chromium"]
    counts = {s: sum(r["status"] == s for r in records) for s in ("ok", "failed", "skipped")}
    manifest = {
        "run_id": plan.run_id, "started": started, "finished": finished,
        "package_version": __version__, "versions": versions(),
        "workspace": str(plan.workspace_dir), "run_dir": str(plan.run_dir),
        "notebook": {"path": str(plan.notebook), "sha256": sha256_file(plan.notebook)},
        "formats": list(plan.formats), "settings": dict(plan.settings),
        "inputs": [{"file": k, "sha256": v} for k, v in plan.inputs.items()],
        "units": [dict(r) for r in records], "summary": counts,
        "exit_code": 1 if counts["failed"] else 0, "notes": notes,
        "noop_key": plan.noop_key, "prepared": prepared_stamp(plan.run_dir), "noop": False,
    }  # fmt: skip
    return write_json_atomic(plan.run_dir / MANIFEST, manifest)


def write_index(plan: RunPlan, records: Sequence[Mapping[str, Any]]) -> Path:
    """Write ``index.html`` (:func:`pmqa_analysis.report.index_page.write_index_page`)."""
    from pmqa_analysis.report.index_page import write_index_page

    return write_index_page(
        plan.run_dir, run_id=plan.run_id, province=str(plan.settings.get("province", "")),
        titles=plan.titles, records=records,
    )  # fmt: skip


def other_units(plan: RunPlan, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Completed reports of units left out of this run (``--units``), for the index."""
    done = {str(r["unit_code"]) for r in records}
    out = []
    for code in load_survey(plan.workspace_dir).unit_codes():
        if str(code) in done:
            continue
        status = read_status(plan.run_dir / "units" / unit_slug(code))
        if status is not None:
            out.append({**status, "unit_code": str(code), "slug": unit_slug(code)})
    return out
