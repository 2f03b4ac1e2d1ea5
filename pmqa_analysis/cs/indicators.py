"""Every catalogue metric for every unit, in one tidy table (the scorecard's numbers).

:func:`unit_metrics` turns a loaded :class:`~pmqa_analysis.workspace.loader.Survey` into one row
per unit × metric of :data:`pmqa_analysis.workspace.criteria.KNOWN_METRICS`: ``unit_code``,
``metric``, ``value``, ``n`` (the base the value rests on) and ``source`` (the data it
comes from).  The statistics are those of the statistics modules, computed once for all
units (grouped, never a loop over units); this module only picks and reshapes them.

A value is NaN when the data to compute it is missing (no complaint log → every
complaint metric NaN; fewer respondents than ``min_cell`` → the satisfaction figures
NaN).  The assessment treats NaN as "no data", never as "target not met".

Definitions (the ones not documented in the statistics modules)
---------------------------------------------------------------
* Registered groups of a unit: rows of the groups table whose ``unit_code`` is blank
  (every unit) or the unit's own.
* ``missions_mapped_pct``: the groups table is the mission → group table; a mission is
  known only through the group rows that name it, so the check that can fail is whether
  each registered group names the mission it serves.  Value = 100 × (registered groups
  naming a mission) ÷ (registered groups); ``n`` = registered groups.  NaN when the unit
  has no registered group or no row of the groups table names any mission (the column
  is not in use).
* ``groups_with_responses_pct``: 100 × (registered groups with ≥ 1 response in the
  year) ÷ (registered groups); NaN for a unit without responses in the year.
* ``channel_input_used``: 1 when at least one comment of the year matches a theme of the
  lexicon (:func:`pmqa_analysis.cs.comments.theme_counts`), 0 when there are comments but none
  matches, NaN without comments; ``n`` = comments.
* ``complaints_analysed``: 1 when at least 90 % of the year's complaints carry a
  category, else 0; NaN without complaints.  ``complaints_logged`` is 0 (not NaN) for a
  unit without complaints when a complaint log was supplied.
* ``sample_reached``: 1/0 from :func:`pmqa_analysis.stats.sampling.sample_adequacy`.
* ``top2_pct``, ``mean_pct``, ``bottom2_pct``: the ``OVERALL`` row of
  :func:`pmqa_analysis.stats.dimensions.dimension_summary` (first scale of the questionnaire).
* ``improved_items_pct``: 100 × (items whose mean rose from the previous fiscal year to
  this one) ÷ (items with answers in both years), from :func:`pmqa_analysis.stats.trend.trend`;
  NaN without answers in the previous year.
* ``plan_items_done_pct``: from last year's plan for this fiscal year (``previous_plan``,
  as read by :func:`pmqa_analysis.workspace.plan_file.read_plan`): 100 × (items with status
  ``done``) ÷ (items ``approved`` or ``done``); drafts and cancelled items are left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.cs.activities import activity_indicators
from pmqa_analysis.cs.channels import channel_indicators
from pmqa_analysis.cs.comments import COMMENT_COLUMNS, theme_counts
from pmqa_analysis.cs.complaints import complaint_indicators
from pmqa_analysis.cs.service import service_summary
from pmqa_analysis.stats.dimensions import dimension_summary
from pmqa_analysis.stats.sampling import sample_adequacy
from pmqa_analysis.stats.trend import trend
from pmqa_analysis.workspace.criteria import KNOWN_METRICS
from pmqa_analysis.workspace.loader import Survey
from pmqa_analysis.workspace.traffy import NO_CATEGORY

__all__ = ["METRIC_COLUMNS", "METRIC_SOURCES", "registered_groups", "unit_metrics"]

METRIC_COLUMNS = ["unit_code", "metric", "value", "n", "source"]

#: The data each metric is computed from.
METRIC_SOURCES: dict[str, str] = {
    "missions_mapped_pct": "groups",
    "groups_with_responses_pct": "responses, groups",
    "channels_per_group_min": "responses, complaints, groups, channels",
    "channel_input_used": "responses (comments)",
    "complaints_logged": "complaints",
    "complaints_within_standard_pct": "complaints",
    "complaints_analysed": "complaints",
    "service_within_standard_pct": "service_log, service_standards",
    "services_published_pct": "service_standards",
    "activities_count": "activities",
    "activity_groups_covered_pct": "activities, groups",
    "top2_pct": "responses",
    "mean_pct": "responses",
    "bottom2_pct": "responses",
    "sample_reached": "responses, units",
    "improved_items_pct": "responses (previous and current fiscal year)",
    "plan_items_done_pct": "previous improvement plan",
}

_Block = dict[str, tuple[pd.Series, pd.Series]]


def _blank(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.isna() | (text == "")


def registered_groups(groups: pd.DataFrame, unit_codes: list[str]) -> pd.DataFrame:
    """Registered groups per unit: rows whose ``unit_code`` is blank or the unit's.

    Parameters
    ----------
    groups : pandas.DataFrame
        ``Survey.groups`` (``group_code``; optional ``unit_code`` and ``mission``).
    unit_codes : list of str
        The units.

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``group_code``, ``mission`` ("" when blank), one row per pair.

    Examples
    --------
    >>> g = pd.DataFrame({"group_code": ["G1", "G2"], "unit_code": ["", "U2"],
    ...                   "mission": ["m1", ""]})
    >>> registered_groups(g, ["U1", "U2"])
      unit_code group_code mission
    0        U1         G1      m1
    1        U2         G1      m1
    2        U2         G2
    """
    g = pd.DataFrame({"group_code": groups["group_code"].astype("string").str.strip()})
    unit = groups["unit_code"] if "unit_code" in groups.columns else pd.Series("", groups.index)
    mission = groups["mission"] if "mission" in groups.columns else pd.Series("", groups.index)
    g["_unit"] = unit.astype("string").str.strip().fillna("")
    g["mission"] = mission.astype("string").str.strip().fillna("")
    g = g[g["group_code"].notna() & (g["group_code"] != "")]
    units = pd.DataFrame({"unit_code": pd.Series(unit_codes, dtype="string")})
    common = units.merge(g[g["_unit"] == ""], how="cross")
    own = units.merge(g[g["_unit"] != ""], left_on="unit_code", right_on="_unit")
    out = pd.concat([common, own], ignore_index=True)
    out["_pos"] = out["unit_code"].map({u: i for i, u in enumerate(unit_codes)})
    out = out.sort_values(["_pos", "group_code"], kind="stable")
    out = out.drop_duplicates(["unit_code", "group_code"], ignore_index=True)
    return out[["unit_code", "group_code", "mission"]].astype(str)


def _present(survey: Survey, name: str) -> bool:
    """True when the template was supplied (a file, or rows in the frame)."""
    return name in survey.files or len(getattr(survey, name)) > 0


def _groups_block(survey: Survey, resp: pd.DataFrame, units: list[str]) -> _Block:
    reg = registered_groups(survey.groups, units)
    out: _Block = {}
    if len(reg):
        g = reg.groupby("unit_code", sort=False)
        n = g.size()
        if (reg["mission"] != "").any():
            named = (reg["mission"] != "").groupby(reg["unit_code"], sort=False).mean()
            out["missions_mapped_pct"] = (100.0 * named, n)
        if len(resp):
            seen = resp.groupby(["unit_code", "group_code"], sort=False).size()
            keys = pd.MultiIndex.from_frame(reg[["unit_code", "group_code"]])
            heard = pd.Series(seen.reindex(keys).fillna(0).to_numpy() > 0, index=reg.index)
            pct = 100.0 * heard.groupby(reg["unit_code"], sort=False).mean()
            has_resp = pct.index.isin(resp["unit_code"].unique())
            out["groups_with_responses_pct"] = (pct.where(has_resp), n.where(has_resp))
    return out


def _survey_block(
    survey: Survey,
    resp: pd.DataFrame,
    fy: int,
    themes: pd.DataFrame | None = None,
    adequacy: pd.DataFrame | None = None,
) -> _Block:
    s = survey.settings
    if not len(resp) or not len(survey.questionnaire):
        return {}
    scale = survey.scales[str(survey.questionnaire["scale"].iloc[0])]
    dims = dimension_summary(
        resp, survey.questionnaire, by="unit_code", scale=scale, min_cell=s.min_cell
    )
    overall = dims[dims["dimension_code"] == "OVERALL"].set_index("unit_code")
    keep = ~overall["suppressed"].astype(bool)
    n = overall["n"]
    out: _Block = {m: (overall[m].where(keep), n) for m in ("top2_pct", "mean_pct", "bottom2_pct")}
    if adequacy is None:
        adequacy = sample_adequacy(
            resp, survey.units, fiscal_year=fy, method=s.sample_size_method,  # type: ignore[arg-type]
            e=s.margin_of_error,
        )  # fmt: skip
    ad = adequacy.set_index("unit_code")
    out["sample_reached"] = (ad["reached"].astype("float64"), ad["n"])
    comments = [c for c in COMMENT_COLUMNS if c in resp.columns]
    if comments:
        tc = themes
        if tc is None:
            tc = theme_counts(resp[["unit_code", *comments]], columns=comments)
        hits = tc.groupby("unit_code", sort=False)["n_comments"].sum()
        per_col = tc.drop_duplicates(["unit_code", "column"])
        total = per_col.groupby("unit_code", sort=False)["n_total_comments"].sum()
        used = (hits.reindex(total.index) > 0).astype("float64").where(total > 0)
        out["channel_input_used"] = (used, total)
    prev = survey.responses[survey.responses["fiscal_year"] == fy - 1]
    if len(prev):
        both = pd.concat([prev, resp], ignore_index=True)
        tr = trend(both, survey.items, by="unit_code", scale=scale)
        tr = tr[(tr["year_prev"] == fy - 1) & (tr["year_curr"] == fy)]
        g = (tr["mean_change"] > 0).groupby(tr["unit_code"], sort=False)
        out["improved_items_pct"] = (100.0 * g.mean(), g.size())
    return out


def _channels_block(survey: Survey, resp: pd.DataFrame, comp: pd.DataFrame | None) -> _Block:
    if not len(resp):
        return {}
    ci = channel_indicators(
        resp, comp, groups=survey.groups if len(survey.groups) else None,
        channels=survey.channels if len(survey.channels) else None,
    ).set_index("unit_code")  # fmt: skip
    return {"channels_per_group_min": (ci["channels_per_group_min"].astype("float64"),
                                       ci["n_groups"])}  # fmt: skip


def _complaints_block(survey: Survey, comp: pd.DataFrame, units: list[str]) -> _Block:
    idx = pd.Index(units, name="unit_code")
    zero = pd.Series(0.0, index=idx)
    if not len(comp):
        return {"complaints_logged": (zero, zero.astype("int64"))}
    ci = complaint_indicators(comp, standard_days=survey.settings.complaint_standard_days)
    ci = ci.set_index("unit_code")
    logged = ci["n"].reindex(idx).fillna(0).astype("float64")
    # a Traffy complaint without a type is converted with the NO_CATEGORY label: not analysed
    category = comp["category"].astype("string").str.strip()
    analysed_rows = ~_blank(comp["category"]) & (category != NO_CATEGORY).fillna(False)
    categorised = analysed_rows.groupby(comp["unit_code"], sort=False)
    analysed = (100.0 * categorised.mean() >= 90.0).astype("float64")
    return {
        "complaints_logged": (logged, logged.astype("int64")),
        "complaints_within_standard_pct": (ci["closed_within_standard_pct"], ci["n_closed"]),
        "complaints_analysed": (analysed, categorised.size()),
    }


def _service_block(survey: Survey, log: pd.DataFrame) -> _Block:
    std = survey.service_standards
    if not len(std):
        return {}
    ss = service_summary(log, std).set_index("unit_code")
    within = ss["within_standard_pct"].where(ss["n_matched"] > 0)
    return {
        "service_within_standard_pct": (within, ss["n_matched"]),
        "services_published_pct": (ss["services_published_pct"].where(ss["n_services"] > 0),
                                   ss["n_services"]),
    }  # fmt: skip


def _activities_block(survey: Survey, acts: pd.DataFrame, units: list[str]) -> _Block:
    idx = pd.Index(units, name="unit_code")
    reg = registered_groups(survey.groups, units).groupby("unit_code").size()
    n_reg = reg.reindex(idx).fillna(0).astype("int64")
    count = pd.Series(0.0, index=idx)
    covered = pd.Series(0.0, index=idx).where(n_reg > 0)
    if len(acts):
        ai = activity_indicators(acts, survey.groups).set_index("unit_code")
        count = ai["activities_count"].reindex(idx).fillna(0).astype("float64")
        pct = ai["activity_groups_covered_pct"].reindex(idx)
        covered = pct.where(pct.notna(), covered)
    return {
        "activities_count": (count, count.astype("int64")),
        "activity_groups_covered_pct": (covered, n_reg),
    }


def _plan_block(plan: pd.DataFrame, fy: int) -> _Block:
    need = [c for c in ("unit_code", "status") if c not in plan.columns]
    if need:
        raise InputError(
            f"previous_plan has no column {', '.join(need)}; found {', '.join(plan.columns)}: "
            "read the plan with pmqa_analysis.workspace.plan_file.read_plan"
        )
    rows = plan
    if "fiscal_year" in plan.columns:
        rows = plan[pd.to_numeric(plan["fiscal_year"], errors="coerce") == fy]
    rows = rows[rows["status"].isin(["approved", "done"])]
    g = (rows["status"] == "done").groupby(rows["unit_code"].astype(str), sort=False)
    return {"plan_items_done_pct": (100.0 * g.mean(), g.size())}


def unit_metrics(
    survey: Survey,
    fiscal_year: int | None = None,
    *,
    previous_plan: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    adequacy: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every metric of :data:`~pmqa_analysis.workspace.criteria.KNOWN_METRICS` for every unit.

    Parameters
    ----------
    survey : Survey
        A loaded workspace (not modified).
    fiscal_year : int, optional
        BE year assessed; default ``survey.fiscal_year``.
    previous_plan : pandas.DataFrame, optional
        Last year's improvement plan (``unit_code``, ``fiscal_year``, ``status``), as
        read by :func:`pmqa_analysis.workspace.plan_file.read_plan`; gives
        ``plan_items_done_pct``.
    themes : pandas.DataFrame, optional
        :func:`pmqa_analysis.cs.comments.theme_counts` of the assessed year's responses by
        ``unit_code`` (every comment column), when the caller already has it (the report
        run's prepare step does); computed otherwise.
    adequacy : pandas.DataFrame, optional
        :func:`pmqa_analysis.stats.sampling.sample_adequacy` for the assessed year with the
        workspace's settings, likewise.

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``metric``, ``value`` (float, NaN = no data), ``n`` (Int64, the
        base), ``source``: one row per unit of ``survey.units`` (in its order) × metric
        (in ``KNOWN_METRICS`` order).  The module docstring defines each metric.

    Examples
    --------
    >>> from pmqa_analysis.workspace.sample import make_sample_workspace
    >>> from pmqa_analysis.workspace.loader import load_workspace
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ws = make_sample_workspace(d, n_units=2, reach_sample_size=False)
    ...     m = unit_metrics(load_workspace(ws))
    >>> m.shape, list(m.columns)
    ((34, 5), ['unit_code', 'metric', 'value', 'n', 'source'])
    >>> m.loc[m.metric == "complaints_logged", "source"].iloc[0]
    'complaints'
    """
    fy = int(fiscal_year or survey.fiscal_year)
    units = [str(u) for u in survey.units["unit_code"]]
    resp = survey.responses[survey.responses["fiscal_year"] == fy]
    blocks: _Block = {}
    blocks.update(_groups_block(survey, resp, units))
    blocks.update(_survey_block(survey, resp, fy, themes, adequacy))
    comp = None
    if _present(survey, "complaints"):
        comp = survey.complaints[survey.complaints["fiscal_year"] == fy]
        blocks.update(_complaints_block(survey, comp, units))
    blocks.update(_channels_block(survey, resp, comp))
    if _present(survey, "service_standards"):
        log = survey.service_log
        blocks.update(_service_block(survey, log[log["fiscal_year"] == fy]))
    if _present(survey, "activities"):
        acts = survey.activities
        blocks.update(_activities_block(survey, acts[acts["fiscal_year"] == fy], units))
    if previous_plan is not None:
        blocks.update(_plan_block(previous_plan, fy))

    idx = pd.Index(units, name="unit_code")
    metrics = list(KNOWN_METRICS)
    values = np.full((len(units), len(metrics)), np.nan)
    bases = np.full((len(units), len(metrics)), np.nan)
    for j, metric in enumerate(metrics):
        if metric in blocks:
            value, n = blocks[metric]
            values[:, j] = pd.to_numeric(value, errors="coerce").reindex(idx).to_numpy(float)
            bases[:, j] = pd.to_numeric(n, errors="coerce").reindex(idx).to_numpy(float)
    out = pd.DataFrame(
        {
            "unit_code": np.repeat(np.asarray(units, dtype=object), len(metrics)),
            "metric": np.tile(np.asarray(metrics, dtype=object), len(units)),
            "value": values.ravel(),
            "n": pd.array(np.where(np.isnan(bases), 0, bases).ravel(), dtype="Int64"),
        }
    )
    out.loc[np.isnan(bases.ravel()), "n"] = pd.NA
    out["source"] = out["metric"].map(METRIC_SOURCES)
    return out[METRIC_COLUMNS]
