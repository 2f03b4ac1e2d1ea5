"""The prepare step of a report run: every unit's results in one vectorised pass.

:func:`prepare_results` takes a loaded :class:`~pmqa_analysis.workspace.loader.Survey`
and writes the run folder's ``data/`` (normalised inputs as Parquet, filterable
by unit) and ``results/`` (tidy result tables as Parquet, one file per table,
each with a ``unit_code`` column, plus ``meta.json``).  The per-unit notebooks
then only read their slice (``pd.read_parquet(..., filters=[("unit_code", "==",
code)])``) and draw: no statistics, no SciPy, no validation in the kernels.

Every table is computed for all units at once (grouped by ``unit_code``);
figures based on fewer than ``min_cell`` respondents are suppressed here, so
nothing downstream can show them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from pmqa_analysis import __version__
from pmqa_analysis.cs.activities import activities_by_group, activity_indicators
from pmqa_analysis.cs.channels import channel_indicators, group_channel_matrix
from pmqa_analysis.cs.comments import example_comments, theme_counts
from pmqa_analysis.cs.complaints import complaint_counts, complaint_indicators, complaint_states
from pmqa_analysis.cs.service import service_indicators, service_summary
from pmqa_analysis.stats.bands import describe_band_preset
from pmqa_analysis.stats.dimensions import dimension_summary
from pmqa_analysis.stats.item_summary import item_summary
from pmqa_analysis.stats.items import prepare_items
from pmqa_analysis.stats.reliability import cronbach_alpha, item_analysis
from pmqa_analysis.stats.sampling import sample_adequacy
from pmqa_analysis.stats.trend import trend
from pmqa_analysis.workspace.loader import Survey, load_workspace

__all__ = [
    "PROFILE_COLUMNS",
    "PROVINCE",
    "prepare",
    "prepare_results",
    "read_meta",
    "sample_run_dir",
    "write_data",
]

#: unit_code used for province-wide rows
PROVINCE = "__province__"
#: respondent profile variables counted for "who answered" (CS1/CS2)
PROFILE_COLUMNS = ("group_code", "channel_code", "sex", "age_band", "education", "occupation")


def _write(frame: pd.DataFrame, path: Path) -> None:
    """Parquet with a stable row order and no index (same inputs → same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.reset_index(drop=True)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype("string")
    out.to_parquet(path, index=False)


def write_data(survey: Survey, data_dir: Path) -> None:
    """The normalised inputs as Parquet; responses sorted by unit (one row group per ~64k
    rows) so that a notebook reads only its slice with ``filters=[("unit_code", "==", c)]``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    responses = survey.responses
    # a stable sort by unit code, through integer codes (4x faster than sorting strings
    # at 1M rows) and skipped when the rows already come unit by unit in code order
    codes, uniques = pd.factorize(responses["unit_code"], sort=True)
    codes = np.where(codes < 0, len(uniques), codes)  # missing codes last, as sort_values
    if len(codes) and (np.diff(codes) < 0).any():
        responses = responses.take(np.argsort(codes, kind="stable"))
    tmp = data_dir / ".responses.parquet.tmp"
    responses.to_parquet(tmp, index=False, row_group_size=65536)
    tmp.replace(data_dir / "responses.parquet")
    for name in (
        "units", "groups", "channels", "questionnaire", "complaints", "service_standards",
        "service_log", "activities", "checklist", "assignments", "improvement_plan", "warnings",
    ):  # fmt: skip
        _write(getattr(survey, name), data_dir / f"{name}.parquet")


def _current(frame: pd.DataFrame, fy: int, col: str = "fiscal_year") -> pd.DataFrame:
    if not len(frame) or col not in frame:
        return frame
    return frame[frame[col] == fy]


def _profile(resp: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Counts of respondents per unit × profile variable × value (current year)."""
    parts = []
    for var in PROFILE_COLUMNS:
        if var not in resp or resp[var].isna().all():
            continue
        counts = (
            resp.groupby(["unit_code", var], observed=True, dropna=False)
            .size()
            .rename("n")
            .reset_index()
            .rename(columns={var: "value"})
        )
        counts["value"] = counts["value"].astype("string").fillna("(ไม่ระบุ)")
        counts.insert(1, "variable", var)
        parts.append(counts)
    if not parts:
        return pd.DataFrame(columns=["unit_code", "variable", "value", "n", "pct", "suppressed"])
    out = pd.concat(parts, ignore_index=True)
    totals = out.groupby(["unit_code", "variable"])["n"].transform("sum")
    out["pct"] = 100.0 * out["n"] / totals
    out["suppressed"] = out["n"] < min_cell
    out.loc[out["suppressed"], ["n", "pct"]] = np.nan
    return out.sort_values(["unit_code", "variable", "value"], kind="stable")


def _examples(resp: pd.DataFrame, themes: pd.DataFrame, k: int = 2) -> pd.DataFrame:
    """A few masked example comments for each unit's most frequent themes."""
    if not len(themes):
        return pd.DataFrame(columns=["unit_code", "theme_code", "column", "text"])
    top = (
        themes.sort_values(["unit_code", "n_comments", "theme_code"], ascending=[True, False, True])
        .groupby("unit_code")
        .head(6)
    )
    codes = sorted(str(c) for c in top["theme_code"].unique())
    ex = example_comments(resp, codes, by="unit_code", k=k)
    keep = ex.merge(top[["unit_code", "theme_code"]].drop_duplicates(), how="inner")
    return keep.sort_values(list(keep.columns[:3]), kind="stable")


def prepare_results(survey: Survey, run_dir: str | Path) -> list[str]:
    """Compute every unit's results at once and write ``data/`` and ``results/``.

    Parameters
    ----------
    survey : Survey
        A validated workspace.
    run_dir : str or Path
        The run folder (created if needed).

    Returns
    -------
    list of str
        The unit codes, in the order of the units file.
    """
    run = Path(run_dir)
    data, res = run / "data", run / "results"
    s = survey.settings
    fy = survey.fiscal_year
    prev = fy - 1
    q = survey.questionnaire
    items = survey.items
    scale = survey.scales[str(q["scale"].iloc[0])]
    resp_all = survey.responses
    resp = _current(resp_all, fy)
    opts: dict[str, Any] = {
        "scale": scale,
        "band_preset": s.band_preset,
        "language": s.language,
        "min_cell": s.min_cell,
    }

    write_data(survey, data)

    # CS6 satisfaction: items and dimensions per unit × year, and the province
    two_years = resp_all[resp_all["fiscal_year"].isin([prev, fy])]
    by_uy = ["unit_code", "fiscal_year"]
    # one conversion of the answers, shared by the summaries (see items.prepare_items)
    prep_uy = prepare_items(two_years, items=items, by=by_uy, scale=scale, questionnaire=q)
    it = item_summary(prep_uy, questionnaire=q, **opts)
    _write(it, res / "items.parquet")
    dims = dimension_summary(prep_uy, q, **opts)
    _write(dims, res / "dimensions.parquet")
    it_p = item_summary(two_years, items=items, by="fiscal_year", questionnaire=q, **opts)
    _write(it_p.assign(unit_code=PROVINCE), res / "items_province.parquet")
    dims_p = dimension_summary(two_years, q, by="fiscal_year", **opts)
    _write(dims_p.assign(unit_code=PROVINCE), res / "dimensions_province.parquet")
    dims_g = dimension_summary(resp, q, by=["unit_code", "group_code"], **opts)
    _write(dims_g, res / "dimensions_by_group.parquet")
    years = dimension_summary(resp_all, q, by=by_uy, **opts)
    _write(years[years["dimension_code"] == "OVERALL"], res / "overall_by_year.parquet")
    prep_u = prepare_items(resp, items=items, by="unit_code", scale=scale, questionnaire=q)
    alpha = cast(pd.DataFrame, cronbach_alpha(prep_u))
    _write(alpha, res / "alpha.parquet")
    _write(item_analysis(prep_u), res / "item_analysis.parquet")
    tr = trend(two_years, items, by="unit_code", scale=scale)
    _write(tr, res / "trend_items.parquet")
    adequacy = sample_adequacy(
        resp_all,
        survey.units,
        fiscal_year=fy,
        method=cast(Any, s.sample_size_method),
        e=s.margin_of_error,
    )
    _write(adequacy, res / "adequacy.parquet")

    # CS1/CS2 who answered and through which channel
    _write(_profile(resp, s.min_cell), res / "profile.parquet")
    comp = _current(survey.complaints, fy)
    gcm = group_channel_matrix(
        resp, comp if len(comp) else None, groups=survey.groups, channels=survey.channels
    )
    _write(gcm, res / "channel_matrix.parquet")
    ci = channel_indicators(
        resp, comp if len(comp) else None, groups=survey.groups, channels=survey.channels
    )
    _write(ci, res / "channel_indicators.parquet")

    # CS3 complaints, CS4 service standards, CS5 activities
    if len(comp):
        _write(
            complaint_indicators(comp, standard_days=s.complaint_standard_days),
            res / "complaints.parquet",
        )
        for dim in ("category", "channel_code", "month"):
            counts = complaint_counts(comp, dimension=cast(Any, dim))
            _write(counts, res / f"complaint_counts_{dim}.parquet")
        _write(complaint_states(comp), res / "complaint_states.parquet")
    log = _current(survey.service_log, fy)
    if len(log):
        _write(service_indicators(log, survey.service_standards), res / "service.parquet")
        _write(service_summary(log, survey.service_standards), res / "service_summary.parquet")
    acts = _current(survey.activities, fy)
    if len(acts):
        _write(activity_indicators(acts, survey.groups), res / "activities.parquet")
        _write(activities_by_group(acts, survey.groups), res / "activities_by_group.parquet")

    # open comments (already masked at load; masked again by the text module)
    themes = theme_counts(resp)
    _write(themes, res / "themes.parquet")
    _write(_examples(resp, themes), res / "comment_examples.parquet")

    # CS scorecard, self-assessment and improvement plan (assessment module)
    from pmqa_analysis.assessment.committee import write_assessment_outputs

    plan = survey.improvement_plan
    previous = None
    if len(plan):
        keep = plan["status"].isin(["approved", "done"]) & (plan["fiscal_year"] == fy)
        previous = plan[keep] if keep.any() else None
    write_assessment_outputs(
        survey,
        run / "assessment",
        item_summary=it[it["fiscal_year"] == fy].drop(columns="fiscal_year"),
        previous_plan=previous,
        assignments=survey.assignments if len(survey.assignments) else None,
        themes=themes,
        adequacy=adequacy,
    )

    meta = _meta(survey, fy, scale)
    (res / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True, default=str),
        encoding="utf-8",
    )
    return [str(u) for u in survey.units["unit_code"]]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(
        list[dict[str, Any]],
        json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso")),
    )


def _meta(survey: Survey, fy: int, scale: Any) -> dict[str, Any]:
    s = survey.settings
    cat = survey.catalogue
    dates = survey.responses.loc[survey.responses["fiscal_year"] == fy, "response_date"]
    return {
        "package_version": __version__,
        "province": s.province,
        "fiscal_year": fy,
        "previous_year": fy - 1,
        "round": s.round,
        "settings": s.as_dict(),
        "catalogue": {"name": cat.name, "version": cat.version, "source": cat.source},
        "scale": {
            "name": scale.name,
            "scores": list(scale.scores),
            "labels_th": list(scale.labels_th),
            "labels_en": list(scale.labels_en),
        },
        "bands": {
            "th": describe_band_preset(s.band_preset, "th", scale),
            "en": describe_band_preset(s.band_preset, "en", scale),
        },
        "data_period": [
            None if dates.empty else str(dates.min().date()),
            None if dates.empty else str(dates.max().date()),
        ],
        "questionnaire": _records(survey.questionnaire),
        "units": _records(survey.units),
        "groups": _records(survey.groups),
        "channels": _records(survey.channels),
        "warnings": _records(survey.warnings),
        "files": {k: Path(v).name for k, v in survey.files.items()},
    }


def read_meta(run_dir: str | Path) -> dict[str, Any]:
    """The ``results/meta.json`` of a prepared run."""
    path = Path(run_dir) / "results" / "meta.json"
    return cast(dict[str, Any], json.loads(path.read_text(encoding="utf-8")))


def prepare(workspace_dir: str | Path, run_dir: str | Path) -> list[str]:
    """Load (validate) a workspace and prepare a run folder; the report runner's hook."""
    return prepare_results(load_workspace(workspace_dir), run_dir)


def sample_run_dir(seed: int = 2567) -> Path:
    """A prepared run folder for the bundled sample (made once, cached).

    The default of the notebooks' ``run_dir`` parameter, so that a notebook
    opened in JupyterLab runs as it is.
    """
    import os
    import shutil
    import tempfile

    from pmqa_analysis.workspace.sample import cache_dir, sample_workspace

    target = cache_dir() / f"sample-run-{seed}"
    if (target / "results" / "meta.json").exists():
        return target
    tmp = Path(tempfile.mkdtemp(prefix=".run-", dir=cache_dir()))
    prepare(sample_workspace(seed), tmp)
    try:
        os.replace(tmp, target)
    except OSError:  # another process prepared it first
        shutil.rmtree(tmp, ignore_errors=True)
    return target
