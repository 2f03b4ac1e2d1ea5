"""CS5 network and relationship activities: how many, how many people, which groups.

Examples
--------
>>> a = pd.DataFrame({"activity_id": ["A1", "A2"], "unit_code": ["U1", "U1"],
...                   "group_code": ["G1", "G1"], "participants": [40, 25]})
>>> g = pd.DataFrame({"group_code": ["G1", "G2"], "unit_code": ["", ""]})
>>> activity_indicators(a, g)[["unit_code", "activities_count", "activity_groups_covered_pct"]]
  unit_code  activities_count  activity_groups_covered_pct
0        U1                 2                         50.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pmqa_analysis.core.frames import by_columns, require_columns
from pmqa_analysis.cs.channels import clean_codes, registered_groups

__all__ = ["activities_by_group", "activity_indicators"]


def _prepared(activities: pd.DataFrame, by_cols: list[str]) -> pd.DataFrame:
    require_columns(activities, [*by_cols, "group_code", "participants"], "activities")
    df = activities[by_cols].copy()
    df["group_code"] = clean_codes(activities["group_code"])
    if "activity_id" in activities.columns:
        df["activity_id"] = activities["activity_id"].astype("string")
    else:
        df["activity_id"] = pd.Series(range(len(activities)), index=activities.index).astype(
            "string"
        )
    df["participants"] = pd.to_numeric(activities["participants"], errors="coerce").fillna(0)
    return df


def activities_by_group(
    activities: pd.DataFrame,
    groups: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] = "unit_code",
) -> pd.DataFrame:
    """Activities and participants per group × target group.

    Parameters
    ----------
    activities : pandas.DataFrame
        ``Survey.activities`` (``by`` columns, ``activity_id``, ``group_code``,
        ``participants``).
    groups : pandas.DataFrame, optional
        ``Survey.groups``; registered groups (``unit_code`` blank or equal to the unit)
        reached by no activity get a row with zeros.
    by : str or list of str, default "unit_code"
        Grouping column(s).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``group_code``, ``count`` (distinct activities), ``participants``
        (sum), ``registered`` (bool: the group is in the register for that unit; True for
        every row when no groups table is given), sorted. Groups seen in the activities
        but not registered are kept with ``registered = False``.

    Examples
    --------
    >>> a = pd.DataFrame({"activity_id": ["A1"], "unit_code": ["U1"],
    ...                   "group_code": ["G1"], "participants": [40]})
    >>> g = pd.DataFrame({"group_code": ["G1", "G2"], "unit_code": ["", "U1"]})
    >>> activities_by_group(a, g)
      unit_code group_code  count  participants  registered
    0        U1         G1      1            40        True
    1        U1         G2      0             0        True
    """
    by_cols = by_columns(by)
    df = _prepared(activities, by_cols)
    keys = [*by_cols, "group_code"]
    g = df.groupby(keys, sort=True, dropna=False)
    out = pd.DataFrame(
        {"count": g["activity_id"].nunique(), "participants": g["participants"].sum()}
    ).reset_index()
    if groups is not None:
        reg = registered_groups(df[by_cols], groups, by_cols)
        reg["registered"] = True
        out = reg.merge(out, on=keys, how="outer")
        out["registered"] = out["registered"].astype("boolean").fillna(False).astype(bool)
    else:
        out["registered"] = True
    out["count"] = out["count"].fillna(0).astype("int64")
    out["participants"] = out["participants"].fillna(0).astype("int64")
    out = out.sort_values(keys, kind="stable", ignore_index=True)
    return out[[*keys, "count", "participants", "registered"]]


def activity_indicators(
    activities: pd.DataFrame,
    groups: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] = "unit_code",
) -> pd.DataFrame:
    """CS5 indicators per group of ``by``.

    Parameters
    ----------
    activities : pandas.DataFrame
        ``Survey.activities``.
    groups : pandas.DataFrame, optional
        ``Survey.groups`` (needed for the coverage percentage).
    by : str or list of str, default "unit_code"
        Grouping column(s).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``activities_count`` (distinct activity ids),
        ``participants_total``, ``groups_covered`` (distinct target groups),
        ``n_registered_groups`` and ``activity_groups_covered_pct``.

    Notes
    -----
    ``activity_groups_covered_pct = 100 × (registered groups reached by ≥ 1 activity) ÷
    (registered groups)``, where the registered groups of a unit are the rows of the
    groups table whose ``unit_code`` is blank or the unit's. Without a groups table
    ``n_registered_groups`` is 0 and the percentage NaN.

    Examples
    --------
    >>> a = pd.DataFrame({"activity_id": ["A1", "A2", "A3"], "unit_code": ["U1", "U1", "U2"],
    ...                   "group_code": ["G1", "G2", "G1"], "participants": [10, 5, 7]})
    >>> activity_indicators(a)[["unit_code", "activities_count", "participants_total",
    ...                         "groups_covered"]]
      unit_code  activities_count  participants_total  groups_covered
    0        U1                 2                  15               2
    1        U2                 1                   7               1
    """
    by_cols = by_columns(by)
    df = _prepared(activities, by_cols)
    g = df.groupby(by_cols, sort=True, dropna=False)
    recorded = df["group_code"].where(df["group_code"] != "")
    out = pd.DataFrame(
        {
            "activities_count": g["activity_id"].nunique(),
            "participants_total": g["participants"].sum(),
            "groups_covered": recorded.groupby([df[c] for c in by_cols], dropna=False).nunique(),
        }
    )
    if groups is not None:
        per = activities_by_group(activities, groups, by=by_cols)
        reg = per[per["registered"]]
        rg = reg.groupby(by_cols, sort=True, dropna=False)
        n_reg = rg.size()
        reached = (reg["count"] > 0).groupby([reg[c] for c in by_cols], dropna=False).sum()
        out["n_registered_groups"] = n_reg.reindex(out.index).fillna(0)
        covered = reached.reindex(out.index).fillna(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["activity_groups_covered_pct"] = 100.0 * covered / out["n_registered_groups"]
        out["activity_groups_covered_pct"] = out["activity_groups_covered_pct"].where(
            out["n_registered_groups"] > 0
        )
    else:
        out["n_registered_groups"] = 0
        out["activity_groups_covered_pct"] = np.nan
    for col in ("activities_count", "participants_total", "groups_covered", "n_registered_groups"):
        out[col] = out[col].astype("int64")
    out["activity_groups_covered_pct"] = out["activity_groups_covered_pct"].astype("float64")
    return out.reset_index()
