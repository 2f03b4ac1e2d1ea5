"""The batch's prepare step: the run folder's data once, then a fingerprint per unit.

:func:`prepare` runs a prepare function (the kit's :func:`default_prepare`, or the caller's
``prepare_fn(workspace_dir, run_dir) -> unit codes``) into the run folder and fingerprints
each unit: the plan's base fingerprint (inputs, settings, code, notebook) with the prepared
data that unit can read (:func:`~pmqa_analysis.run.manifest.slice_hashes`), which decides
whether a re-run can skip it.

Examples
--------
>>> default_prepare.__name__
'default_prepare'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.run.manifest import combine_hashes, slice_hashes
from pmqa_analysis.run.plan import RunPlan, load_survey

__all__ = ["PrepareFn", "default_prepare", "prepare"]

#: ``prepare_fn(workspace_dir, run_dir) -> unit codes``; writes ``run_dir/data`` and ``results``.
PrepareFn = Callable[[Path, Path], list[str]]


def default_prepare(workspace_dir: Path, run_dir: Path) -> list[str]:
    """The kit's prepare step: every unit's statistics at once (:mod:`pmqa_analysis.run.prepare`).

    Writes ``run_dir/data`` (normalised inputs, responses sorted by unit) and
    ``run_dir/results`` (tidy Parquet tables + ``meta.json``) and ``run_dir/assessment``
    (scorecards, plans, committee workbook), reusing the workspace already validated by
    :func:`~pmqa_analysis.run.plan.plan_run`.

    Returns
    -------
    list of str
        Every unit code, in the units file's order.
    """
    from pmqa_analysis.run.prepare import prepare_results

    return prepare_results(load_survey(Path(workspace_dir)), run_dir)


def prepare(plan: RunPlan, prepare_fn: PrepareFn | None = None) -> RunPlan:
    """Run the prepare step into the run folder; returns the plan with unit fingerprints.

    A unit's fingerprint hashes the plan's base fingerprint (inputs' bytes, settings,
    package version, notebook bytes) with the prepared data that unit can read.

    Raises
    ------
    InputError
        The prepare step produced no data for a planned unit.
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
