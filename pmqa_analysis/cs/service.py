"""CS4 service standards: share of transactions done within the published time.

The service log is matched to the unit's published standards on
``(unit_code, service_code)``; log rows without a standard are counted as
``n_unmatched``, never silently dropped.

Examples
--------
>>> std = pd.DataFrame({"unit_code": ["U1"], "service_code": ["S1"],
...                     "standard_minutes": [30.0], "published": [True]})
>>> log = pd.DataFrame({"unit_code": ["U1"] * 3, "service_code": ["S1", "S1", "S9"],
...                     "actual_minutes": [20.0, 40.0, 5.0]})
>>> service_summary(log, std)[["unit_code", "n", "n_unmatched", "within_standard_pct"]]
  unit_code  n  n_unmatched  within_standard_pct
0        U1  3            1                 50.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.frames import by_columns, require_columns

__all__ = ["service_indicators", "service_summary"]

_LOG = ("unit_code", "service_code", "actual_minutes")
_STD = ("unit_code", "service_code", "standard_minutes")


def _matched(service_log: pd.DataFrame, service_standards: pd.DataFrame) -> pd.DataFrame:
    """The log with ``standard_minutes`` (NaN = no standard) and ``_within`` (1/0/NaN)."""
    require_columns(service_log, _LOG, "service_log")
    require_columns(service_standards, _STD, "service_standards")
    std = service_standards[list(_STD)]
    dup = std.duplicated(["unit_code", "service_code"], keep=False)
    if dup.any():
        pairs = sorted(set(map(tuple, std.loc[dup, ["unit_code", "service_code"]].values)))
        raise InputError(
            f"service_standards: (unit_code, service_code) {pairs[:5]} appear more than once; "
            "expected one standard per unit and service. Keep one row per service."
        )
    log = service_log.drop(columns=["standard_minutes"], errors="ignore")
    df = log.merge(std, on=["unit_code", "service_code"], how="left", validate="many_to_one")
    actual = pd.to_numeric(df["actual_minutes"], errors="coerce").astype("float64")
    standard = df["standard_minutes"].astype("float64")
    within = (actual <= standard).astype("float64").where(standard.notna() & actual.notna())
    df["actual_minutes"] = actual
    df["standard_minutes"] = standard
    df["_within"] = within
    df["_ratio"] = actual / standard
    df["_matched"] = standard.notna().astype("int64")
    return df


def service_indicators(
    service_log: pd.DataFrame,
    service_standards: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_code",
) -> pd.DataFrame:
    """CS4 indicators per group × service.

    Parameters
    ----------
    service_log : pandas.DataFrame
        ``Survey.service_log`` (``unit_code``, ``service_code``, ``actual_minutes``, ...).
    service_standards : pandas.DataFrame
        ``Survey.service_standards`` (one row per unit and service).
    by : str or list of str, default "unit_code"
        Grouping column(s) of the log, e.g. ``["unit_code", "fiscal_year"]``.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``service_code``, ``n`` (transactions), ``n_unmatched``
        (transactions whose unit has no standard for the service), ``within_standard_pct``
        (base: matched transactions), ``mean_actual``, ``median_actual``,
        ``standard_minutes``, ``mean_ratio`` (mean of actual ÷ standard). When ``by`` is
        ``unit_code`` alone, services with a standard but no transaction get a row with
        ``n = 0``.

    Notes
    -----
    A transaction is within standard when ``actual_minutes <= standard_minutes``.
    ``standard_minutes`` is the mean over the group's matched transactions, which is the
    published standard itself whenever ``by`` includes ``unit_code``.

    Examples
    --------
    >>> std = pd.DataFrame({"unit_code": ["U1", "U1"], "service_code": ["S1", "S2"],
    ...                     "standard_minutes": [30.0, 10.0]})
    >>> log = pd.DataFrame({"unit_code": ["U1"] * 2, "service_code": ["S1", "S1"],
    ...                     "actual_minutes": [15.0, 45.0]})
    >>> service_indicators(log, std)[["unit_code", "service_code", "n",
    ...                               "within_standard_pct", "mean_ratio"]]
      unit_code service_code  n  within_standard_pct  mean_ratio
    0        U1           S1  2                 50.0         1.0
    1        U1           S2  0                  NaN         NaN
    """
    by_cols = by_columns(by)
    require_columns(service_log, by_cols, "service_log")
    df = _matched(service_log, service_standards)
    keys = [*by_cols, "service_code"]
    keys = list(dict.fromkeys(keys))
    g = df.groupby(keys, sort=True, dropna=False)
    out = pd.DataFrame(
        {
            "n": g.size(),
            "n_unmatched": g["_matched"].size() - g["_matched"].sum(),
            "within_standard_pct": 100.0 * g["_within"].mean(),
            "mean_actual": g["actual_minutes"].mean(),
            "median_actual": g["actual_minutes"].median(),
            "standard_minutes": g["standard_minutes"].mean(),
            "mean_ratio": g["_ratio"].mean(),
        }
    ).reset_index()
    if by_cols == ["unit_code"]:
        idle = service_standards[["unit_code", "service_code"]].merge(
            out[["unit_code", "service_code"]], how="left", indicator=True
        )
        idle = idle[idle["_merge"] == "left_only"].drop(columns="_merge")
        if len(idle):
            idle = idle.merge(service_standards[list(_STD)], on=["unit_code", "service_code"])
            idle["n"] = 0
            idle["n_unmatched"] = 0
            out = pd.concat([out, idle], ignore_index=True)
            out = out.sort_values(keys, kind="stable", ignore_index=True)
    out["n"] = out["n"].astype("int64")
    out["n_unmatched"] = out["n_unmatched"].astype("int64")
    floats = ["within_standard_pct", "mean_actual", "median_actual", "standard_minutes"]
    out[[*floats, "mean_ratio"]] = out[[*floats, "mean_ratio"]].astype("float64")
    return out


def service_summary(
    service_log: pd.DataFrame,
    service_standards: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_code",
) -> pd.DataFrame:
    """CS4 indicators per group over all services.

    Parameters
    ----------
    service_log, service_standards : pandas.DataFrame
        As in :func:`service_indicators`.
    by : str or list of str, default "unit_code"
        Grouping column(s) of the log.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``n``, ``n_matched``, ``n_unmatched``, ``within_standard_pct``
        (over all matched transactions), ``n_services`` (services with a standard) and
        ``services_published_pct`` (share of them marked ``published``; a missing
        ``published`` column counts as not published). The standards side is per unit
        when ``by`` includes ``unit_code``, else over the whole table. When ``by`` is
        ``unit_code`` alone, units with standards but no transaction get a row.

    Examples
    --------
    >>> std = pd.DataFrame({"unit_code": ["U1", "U1", "U2"], "service_code": ["S1", "S2", "S1"],
    ...                     "standard_minutes": [30.0, 10.0, 30.0],
    ...                     "published": [True, False, True]})
    >>> log = pd.DataFrame({"unit_code": ["U1"], "service_code": ["S1"],
    ...                     "actual_minutes": [15.0]})
    >>> service_summary(log, std)[["unit_code", "n", "n_services", "services_published_pct"]]
      unit_code  n  n_services  services_published_pct
    0        U1  1           2                    50.0
    1        U2  0           1                   100.0
    """
    by_cols = by_columns(by)
    require_columns(service_log, by_cols, "service_log")
    df = _matched(service_log, service_standards)
    g = df.groupby(by_cols, sort=True, dropna=False)
    out = pd.DataFrame(
        {
            "n": g.size(),
            "n_matched": g["_matched"].sum(),
            "within_standard_pct": 100.0 * g["_within"].mean(),
        }
    ).reset_index()
    out["n_unmatched"] = out["n"] - out["n_matched"]
    std = service_standards[["unit_code", "service_code"]].copy()
    published = (
        service_standards["published"]
        if "published" in service_standards.columns
        else pd.Series(False, index=service_standards.index)
    )
    std["_published"] = published.fillna(False).astype(bool).astype("float64")
    if "unit_code" in by_cols:
        sg = std.groupby("unit_code", sort=True)
        side = pd.DataFrame(
            {"n_services": sg.size(), "services_published_pct": 100.0 * sg["_published"].mean()}
        ).reset_index()
        if by_cols == ["unit_code"]:
            out = out.merge(side, on="unit_code", how="outer")
        else:
            out = out.merge(side, on="unit_code", how="left")
    else:
        out["n_services"] = len(std)
        out["services_published_pct"] = 100.0 * std["_published"].mean() if len(std) else np.nan
    for col in ("n", "n_matched", "n_unmatched", "n_services"):
        out[col] = out[col].fillna(0).astype("int64")
    out["within_standard_pct"] = out["within_standard_pct"].astype("float64")
    out["services_published_pct"] = out["services_published_pct"].astype("float64")
    out = out.sort_values(by_cols, kind="stable", ignore_index=True)
    cols = [*by_cols, "n", "n_matched", "n_unmatched", "within_standard_pct", "n_services"]
    return out[[*cols, "services_published_pct"]]
