"""A seeded, realistic sample workspace: the public entry points.

:func:`make_sample_workspace` writes one province's filled-in templates and its
``settings.toml``, following ``docs/data_model.md``: units, groups, channels, a 20-item
questionnaire, three fiscal years of Google-Forms-like responses, complaints (CS3), service
standards and log (CS4), activities (CS5) and the monitoring checklist.  The same seed gives
byte-identical files.  The data carry a known structure, seed-independent, that the reports
should find (unit codes for the default 12 units):

- weaker units U04 (staff), U08 (process) and U11 (information/channels), one weak dimension
  each, with slower complaint handling, more service-time overruns and more ``not_done``
  checklist items;
- units U02, U06 and U09 improving year on year;
- group G2 (entrepreneurs) less satisfied than the others; facilities the lowest dimension;
- U05 and U12 below their Yamane sample size in the current fiscal year (every other unit
  reaches it, so ``respondents_per_unit_year`` applies to earlier years and to those two);
- no activities for U08 and U12; no checklist rows for activity CS5 in U11;
- a few comments carrying FAKE personal data (valid-checksum national IDs, mobile numbers,
  e-mails, "นายสมชาย ใจดี") for the masking step to remove.

The tables are drawn by :mod:`~pmqa_analysis.workspace.sample_survey` (questionnaire and
responses) and :mod:`~pmqa_analysis.workspace.sample_records` (the office's other files),
from the roles and shared draws of :mod:`~pmqa_analysis.workspace.sample_province`.
:func:`~pmqa_analysis.workspace.sample_broken.make_broken_workspace` copies a workspace
and seeds known problems into it, returning the problems table that validation is
expected to report.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     ws = make_sample_workspace(d, n_units=4, reach_sample_size=False)
...     sorted(p.name for p in ws.iterdir())[:4]
['activities.csv', 'assignments.csv', 'channels.csv', 'checklist.csv']
"""

from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.workspace.config import Settings, settings_toml
from pmqa_analysis.workspace.sample_province import WEAK, write_csv
from pmqa_analysis.workspace.sample_records import (
    activities_table,
    approved_plan_table,
    assignments_table,
    channels_table,
    checklist_table,
    complaints_table,
    groups_table,
    service_log_table,
    services_table,
    units_table,
)
from pmqa_analysis.workspace.sample_survey import questionnaire_table, responses_table

__all__ = [
    "cache_dir",
    "make_sample_workspace",
    "sample_workspace",
]


def make_sample_workspace(
    out_dir: str | Path,
    *,
    seed: int = 2567,
    n_units: int = 12,
    respondents_per_unit_year: tuple[int, int] = (60, 140),
    fiscal_years: tuple[int, ...] = (2565, 2566, 2567),
    responses_format: str = "csv",
    reach_sample_size: bool = True,
) -> Path:
    """Write a realistic, seeded sample workspace (all templates + ``settings.toml``).

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if missing; files of the same name are replaced).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives byte-identical files.
    n_units : int
        Number of units (at least 2; the structure described in the module docstring needs
        12).
    respondents_per_unit_year : (int, int)
        Inclusive range of respondents per unit and fiscal year.  In the current (latest)
        fiscal year every unit except U05 and U12 is raised to its Yamane sample size.
    fiscal_years : tuple of int
        Fiscal years (BE) of the responses, complaints, service log and activities; the
        latest is the year assessed (``settings.toml``) and the checklist's year.
    responses_format : {"csv", "xlsx", "parquet"}
        File format of ``responses``; every other template is CSV (UTF-8 with BOM).
    reach_sample_size : bool
        True (default): in the current fiscal year every unit except U05 and U12 gets at
        least its Yamane sample size.  False: every unit-year draws from
        ``respondents_per_unit_year`` (tiny workspaces for fast tests).

    Returns
    -------
    Path
        The workspace folder.

    Raises
    ------
    InputError
        On an unknown format, fewer than 2 units, a bad range or no fiscal year.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ws = make_sample_workspace(d, seed=1, n_units=3, reach_sample_size=False)
    ...     units = pd.read_csv(ws / "units.csv", encoding="utf-8-sig")
    >>> list(units["unit_code"])
    ['U01', 'U02', 'U03']
    """
    if responses_format not in ("csv", "xlsx", "parquet"):
        raise InputError(
            f"responses_format {responses_format!r} not supported; expected csv, xlsx or parquet"
        )
    lo, hi = (int(x) for x in respondents_per_unit_year)
    if n_units < 2 or not 1 <= lo <= hi:
        raise InputError(
            f"n_units={n_units}, respondents_per_unit_year={respondents_per_unit_year!r}: expected "
            "n_units >= 2 and a range (low, high) with 1 <= low <= high"
        )
    years = tuple(sorted({int(y) for y in fiscal_years}))
    if not years or not all(2400 < y < 2700 for y in years):
        raise InputError(f"fiscal_years={fiscal_years!r}: expected BE years such as (2566, 2567)")
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    units = units_table(rng, n_units)
    weak = {units["unit_code"].iloc[u] for u in WEAK if u < n_units}
    services = services_table(rng, units)
    responses = responses_table(rng, units, services, years, (lo, hi), reach_sample_size)
    tables = {
        "units": units,
        "groups": groups_table(units),
        "channels": channels_table(),
        "questionnaire": questionnaire_table(),
        "complaints": complaints_table(rng, units, weak, years),
        "service_standards": services,
        "service_log": service_log_table(rng, services, weak, years),
        "activities": activities_table(rng, units, years),
        "checklist": checklist_table(rng, units, years[-1]),
        "assignments": assignments_table(units),
        "improvement_plan": approved_plan_table(units, years[-1]),
    }
    for name, frame in sorted(tables.items()):
        write_csv(frame, out / f"{name}.csv")
    for ext in ("csv", "xlsx", "parquet"):  # never leave two responses files
        (out / f"responses.{ext}").unlink(missing_ok=True)
    target = out / f"responses.{responses_format}"
    if responses_format == "csv":
        write_csv(responses, target)
    elif responses_format == "parquet":
        responses.to_parquet(target, index=False)
    else:
        with pd.ExcelWriter(target, engine="xlsxwriter") as writer:
            writer.book.set_properties({"created": _dt.datetime(2024, 1, 1)})
            responses.to_excel(writer, sheet_name="Form Responses 1", index=False)
    settings = Settings(province="จังหวัดตัวอย่าง", fiscal_year=years[-1], round="12m", language="th")
    (out / "settings.toml").write_bytes(settings_toml(settings).encode("utf-8"))
    return out


def cache_dir() -> Path:
    """Where the kit keeps generated sample data (``$PMQA_CACHE`` or ``~/.cache/pmqa-analysis``)."""
    import os

    from pmqa_analysis import __version__

    base = os.environ.get("PMQA_CACHE") or str(Path.home() / ".cache" / "pmqa-analysis")
    return Path(base) / __version__


def sample_workspace(seed: int = 2567) -> Path:
    """The bundled sample workspace, generated once into :func:`cache_dir` and reused.

    Notebooks use it as their default input, so they run with no set-up.  The
    folder is written to a temporary name and renamed, so a half-written
    sample is never reused.
    """
    import os
    import tempfile

    target = cache_dir() / f"sample-{seed}"
    if (target / "settings.toml").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sample-", dir=target.parent))
    make_sample_workspace(tmp / "ws", seed=seed)
    try:
        os.replace(tmp / "ws", target)
    except OSError:  # another process won the race: use its copy
        pass
    shutil.rmtree(tmp, ignore_errors=True)
    return target
