"""CS3 complaint indicators: volume, timeliness, backlog, reopen and forwarding rates.

Input is the ``complaints`` frame of the :class:`Survey` bundle (see
``docs/data_model.md``); every function works on all units at once through
``groupby`` and takes ``by`` (a column name or a list of them).
A Traffy Fondue export becomes that frame on load, or through
:func:`pmqa_analysis.workspace.traffy.from_traffy`.

Examples
--------
>>> c = pd.DataFrame({
...     "complaint_id": ["C1", "C2", "C3"], "unit_code": ["U1", "U1", "U2"],
...     "received_date": pd.to_datetime(["2023-10-02", "2023-10-05", "2023-10-03"]),
...     "channel_code": ["HOTLINE", "WEB", "WEB"], "category": ["service"] * 3,
...     "status": ["closed", "open", "closed"],
...     "closed_date": pd.to_datetime(["2023-10-10", None, "2023-10-30"]),
... })
>>> complaint_indicators(c)[["unit_code", "n", "n_closed", "closed_within_standard_pct"]]
  unit_code  n  n_closed  closed_within_standard_pct
0        U1  2         1                       100.0
1        U2  1         1                         0.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.frames import by_columns, require_columns
from pmqa_analysis.core.thai import THAI_MONTHS

__all__ = [
    "complaint_counts",
    "complaint_indicators",
    "complaint_states",
    "days_to_close",
    "split_categories",
]

_REQUIRED = ("unit_code", "received_date", "status")


_HINT = (
    "Load the complaint log with pmqa_analysis.workspace.loader (or "
    "pmqa_analysis.workspace.traffy.from_traffy) so that "
    "it has the columns of docs/data_model.md, or pass by= with existing columns."
)


def _require(frame: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    require_columns(frame, needed, what, _HINT)


def days_to_close(complaints: pd.DataFrame) -> pd.Series:
    """Elapsed days from receipt to closure (fractional; NaN while open).

    Parameters
    ----------
    complaints : pandas.DataFrame
        With ``received_date`` and ``closed_date`` (datetime64).

    Returns
    -------
    pandas.Series
        float64, aligned with ``complaints``: ``(closed_date - received_date)`` in days;
        NaN where ``closed_date`` is missing.

    Notes
    -----
    Elapsed time, not calendar days: a complaint received 2 Oct 09:00 and closed
    3 Oct 15:00 took 1.25 days. With dates only (no time) this is the plain day count.

    Examples
    --------
    >>> c = pd.DataFrame({
    ...     "received_date": pd.to_datetime(["2023-10-02 09:00", "2023-10-02 00:00"]),
    ...     "closed_date": pd.to_datetime(["2023-10-03 15:00", None])})
    >>> days_to_close(c).tolist()
    [1.25, nan]
    """
    _require(complaints, ["received_date", "closed_date"], "days_to_close")
    received = pd.to_datetime(complaints["received_date"])
    closed = pd.to_datetime(complaints["closed_date"])
    delta = (closed - received).dt.total_seconds() / 86400.0
    return delta.astype("float64").rename("days_to_close")


def complaint_indicators(
    complaints: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_code",
    standard_days: float = 15,
    standard_by_category: Mapping[str, float] | None = None,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """CS3 indicators, one row per group.

    Parameters
    ----------
    complaints : pandas.DataFrame
        The complaint log (``Survey.complaints``).
    by : str or list of str, default "unit_code"
        Grouping column(s), e.g. ``["unit_code", "fiscal_year"]``.
    standard_days : float, default 15
        Days allowed to tell the complainant the outcome.
    standard_by_category : mapping, optional
        Category -> standard days for units with tiers; other categories use
        ``standard_days``.
    as_of : date, optional
        The date backlog ages are measured at. Defaults to the latest received or
        closed date in ``complaints`` (never the wall clock, so results are reproducible).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, then ``n``, ``n_closed``, ``n_open``, ``closed_within_standard_pct``
        (base: closed complaints), ``within_standard_pct_all`` (base: closed complaints plus
        open ones already older than the standard, which count as late), ``n_open_overdue``,
        ``median_days_to_close``, ``p90_days_to_close``, ``open_backlog`` (open complaints),
        ``backlog_median_age_days``, ``backlog_max_age_days``, ``reopen_rate_pct``,
        ``n_reopened`` (complaints reopened at least once), ``n_reopenings`` (times reopened,
        in all), ``forwarded_pct`` (base: all complaints), ``mean_rating``, ``n_rated``.

    Notes
    -----
    Days to close as in :func:`days_to_close` (the ``days_to_close`` column is used when
    present). A closed complaint is within standard when ``days_to_close <= standard``.
    The 90th percentile uses linear interpolation between order statistics (numpy
    ``percentile(..., method="linear")``, Hyndman & Fan type 7, R's default):
    ``x[k] + (x[k+1] - x[k]) * f`` with ``h = 0.9 (n - 1)``, ``k = floor(h)``, ``f = h - k``.
    Backlog age = ``as_of - received_date`` in days.
    Reopenings are summed from ``reopen_count`` (Traffy's ``count_reopen``); a complaint
    marked ``reopened`` without a count counts as one reopening, so ``n_reopenings`` is
    never below ``n_reopened``. ``reopen_rate_pct`` = ``100 * n_reopened / n``.

    Examples
    --------
    >>> c = pd.DataFrame({
    ...     "unit_code": ["U1"] * 4,
    ...     "received_date": pd.to_datetime(["2023-10-01", "2023-10-01", "2023-10-01",
    ...                                      "2023-10-20"]),
    ...     "category": ["a"] * 4, "status": ["closed", "closed", "open", "open"],
    ...     "closed_date": pd.to_datetime(["2023-10-05", "2023-10-21", None, None]),
    ...     "forwarded": [False, True, False, False], "reopened": [False] * 4,
    ...     "rating": [5.0, None, None, None]})
    >>> r = complaint_indicators(c, as_of="2023-10-31")
    >>> r[["closed_within_standard_pct", "within_standard_pct_all", "n_open_overdue"]]
       closed_within_standard_pct  within_standard_pct_all  n_open_overdue
    0                        50.0                33.333333               1
    >>> r[["median_days_to_close", "p90_days_to_close", "backlog_max_age_days"]]
       median_days_to_close  p90_days_to_close  backlog_max_age_days
    0                  12.0               18.4                  30.0
    """
    by_cols = by_columns(by)
    _require(complaints, [*by_cols, *_REQUIRED], "complaint_indicators")
    df = complaints.copy()
    df["received_date"] = pd.to_datetime(df["received_date"])
    if "closed_date" not in df.columns:
        df["closed_date"] = pd.NaT
    df["closed_date"] = pd.to_datetime(df["closed_date"])
    bad = sorted(set(df["status"].dropna().astype(str)) - {"open", "closed"})
    if bad or df["status"].isna().any():
        raise InputError(
            f"complaint_indicators: status values {bad or ['<missing>']} found; expected "
            "'open' or 'closed'. Map the log's states first (the status column of the "
            "complaints template, or pmqa_analysis.workspace.traffy.TRAFFY_STATES)."
        )
    if "days_to_close" in df.columns:
        d2c = pd.to_numeric(df["days_to_close"], errors="coerce").astype("float64")
    else:
        d2c = days_to_close(df)
    closed = df["status"].eq("closed")
    d2c = d2c.where(closed)
    if as_of is None:
        stamp = pd.concat([df["received_date"], df["closed_date"]]).max()
    else:
        stamp = pd.Timestamp(as_of)
    age = (stamp - df["received_date"]).dt.total_seconds() / 86400.0
    std = pd.Series(float(standard_days), index=df.index)
    if standard_by_category:
        if "category" not in df.columns:
            raise InputError(
                "complaint_indicators: standard_by_category was given but the complaints "
                "have no 'category' column; add it or drop standard_by_category."
            )
        tier = df["category"].map(dict(standard_by_category)).astype("float64")
        std = tier.fillna(float(standard_days))
    open_ = ~closed
    work = df[by_cols].copy()
    work["_closed"] = closed.astype("int64")
    work["_open"] = open_.astype("int64")
    work["_in_std"] = (closed & (d2c <= std)).astype("int64")
    work["_overdue"] = (open_ & (age > std)).astype("int64")
    work["_d2c"] = d2c
    work["_age"] = age.where(open_)
    for col in ("forwarded", "reopened"):
        flag = df[col] if col in df.columns else pd.Series(False, index=df.index)
        work["_" + col] = flag.fillna(False).astype(bool).astype("int64")
    count = df["reopen_count"] if "reopen_count" in df.columns else pd.Series(dtype="float64")
    count = pd.to_numeric(count, errors="coerce").reindex(df.index).astype("float64")
    reopened = work["_reopened"].astype(bool) | count.gt(0)
    work["_reopened"] = reopened.astype("int64")
    times = np.maximum(count.fillna(0.0).to_numpy(), reopened.to_numpy(dtype="float64"))
    work["_reopenings"] = times.astype("int64")
    rating = df["rating"] if "rating" in df.columns else pd.Series(np.nan, index=df.index)
    work["_rating"] = pd.to_numeric(rating, errors="coerce").astype("float64")

    g = work.groupby(by_cols, sort=True, dropna=False)
    out = pd.DataFrame(
        {
            "n": g.size(),
            "n_closed": g["_closed"].sum(),
            "n_open": g["_open"].sum(),
        }
    )
    in_std = g["_in_std"].sum()
    overdue = g["_overdue"].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["closed_within_standard_pct"] = 100.0 * in_std / out["n_closed"].replace(0, np.nan)
        judged = (out["n_closed"] + overdue).replace(0, np.nan)
        out["within_standard_pct_all"] = 100.0 * in_std / judged
    out["n_open_overdue"] = overdue
    out["median_days_to_close"] = g["_d2c"].median()
    out["p90_days_to_close"] = g["_d2c"].quantile(0.9, interpolation="linear")
    out["open_backlog"] = out["n_open"]
    out["backlog_median_age_days"] = g["_age"].median()
    out["backlog_max_age_days"] = g["_age"].max()
    out["reopen_rate_pct"] = 100.0 * g["_reopened"].sum() / out["n"]
    out["n_reopened"] = g["_reopened"].sum().astype("int64")
    out["n_reopenings"] = g["_reopenings"].sum().astype("int64")
    out["forwarded_pct"] = 100.0 * g["_forwarded"].sum() / out["n"]
    out["mean_rating"] = g["_rating"].mean()
    out["n_rated"] = g["_rating"].count()
    float_cols = [c for c in out.columns if c.endswith(("_pct", "_days", "_to_close"))]
    out[float_cols] = out[float_cols].astype("float64")
    out["mean_rating"] = out["mean_rating"].astype("float64")
    return out.reset_index()


def complaint_counts(
    complaints: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_code",
    dimension: Literal["channel_code", "category", "month"] = "channel_code",
    labels: Literal["all", "first"] = "all",
) -> pd.DataFrame:
    """Complaint counts per group and channel, category or month.

    Parameters
    ----------
    complaints : pandas.DataFrame
        The complaint log.
    by : str or list of str, default "unit_code"
        Grouping column(s).
    dimension : {"channel_code", "category", "month"}
        What to count by. ``"month"`` uses the month received, labelled by Buddhist-era
        year and month (``"2566-10"`` = October 2023), with ``month_th`` (Thai month
        name), ``month_en`` and the ``fiscal_year`` (BE) the month belongs to.
    labels : {"all", "first"}, default "all"
        For ``dimension="category"``: ``"all"`` counts a complaint under each of its
        labels (the ``categories`` column, see :func:`split_categories`); ``"first"``
        under ``category`` only.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, the dimension column (``month`` for months), ``n`` and ``pct``
        (share of the group's complaints), sorted by group then dimension. A missing
        channel or category is counted under ``""`` rather than dropped. By category
        also ``n_complaints`` (the group's complaints: the base of ``pct``) and
        ``multi_label`` (True when a complaint of the group has several labels: then the
        ``n`` add up to more than ``n_complaints`` and the ``pct`` to more than 100).

    Notes
    -----
    With several labels per complaint ``pct`` stays "% of complaints with this label";
    a Pareto chart drawn from ``n`` shows the cumulative share of *label mentions*
    (``n.sum()`` of them), not of complaints.

    Examples
    --------
    >>> c = pd.DataFrame({"unit_code": ["U1", "U1", "U1"],
    ...                   "received_date": pd.to_datetime(["2023-09-30", "2023-10-02",
    ...                                                    "2023-10-20"])})
    >>> complaint_counts(c, dimension="month")
      unit_code    month month_th month_en  fiscal_year  n        pct
    0        U1  2566-09  กันยายน  September         2566  1  33.333333
    1        U1  2566-10   ตุลาคม    October         2567  2  66.666667
    >>> t = pd.DataFrame({"unit_code": ["U1", "U1"], "category": ["ถนน", "ไฟฟ้า"],
    ...                   "categories": ["ถนน, ทางเท้า", ""]})
    >>> complaint_counts(t, dimension="category")
      unit_code category  n   pct  n_complaints  multi_label
    0        U1      ถนน  1  50.0             2         True
    1        U1  ทางเท้า  1  50.0             2         True
    2        U1    ไฟฟ้า  1  50.0             2         True
    """
    by_cols = by_columns(by)
    if dimension not in ("channel_code", "category", "month"):
        raise InputError(
            f"complaint_counts: dimension {dimension!r} is not known; expected "
            "'channel_code', 'category' or 'month'."
        )
    if labels not in ("all", "first"):
        raise InputError(
            f"complaint_counts: labels {labels!r} is not known; expected 'all' or 'first'."
        )
    source = "received_date" if dimension == "month" else dimension
    _require(complaints, [*by_cols, source], "complaint_counts")
    work = complaints[by_cols].copy()
    if dimension == "month":
        received = pd.to_datetime(complaints["received_date"])
        year, month = received.dt.year, received.dt.month
        work["month"] = (
            (year + 543).astype("Int64").astype(str)
            + "-"
            + month.map("{:02d}".format, na_action="ignore").astype(str)
        )
        work["month_th"] = month.map(lambda m: THAI_MONTHS[int(m) - 1], na_action="ignore")
        work["month_en"] = received.dt.month_name()
        work["fiscal_year"] = (year + (month >= 10).astype("Int64") + 543).astype("Int64")
        keys = [*by_cols, "month", "month_th", "month_en", "fiscal_year"]
        keys = list(dict.fromkeys(keys))
    elif dimension == "category":
        return _category_counts(complaints, by_cols, multi=labels == "all")
    else:
        work[dimension] = complaints[dimension].astype("string").fillna("")
        keys = [*by_cols, dimension]
    counts = work.groupby(keys, sort=True, dropna=False).size().rename("n").reset_index()
    total = counts.groupby(by_cols, dropna=False)["n"].transform("sum")
    counts["pct"] = 100.0 * counts["n"] / total
    counts["n"] = counts["n"].astype("int64")
    return counts


def complaint_states(
    complaints: pd.DataFrame, *, by: str | Sequence[str] = "unit_code"
) -> pd.DataFrame:
    """Complaints per workflow state (waiting, in progress, forwarded, ..., finished).

    Parameters
    ----------
    complaints : pandas.DataFrame
        The complaint log, with ``status`` and, when the source records one, ``state``
        (e.g. Traffy Fondue's ``รอรับเรื่อง``, ``ส่งต่อ(ใหม่)``, ``ของบประมาณ``).
    by : str or list of str, default "unit_code"
        Grouping column(s).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``state`` (the recorded state; the ``status`` where none is
        recorded), ``status`` ("open"/"closed"), ``n`` and ``pct`` (share of the group's
        complaints: the ``pct`` of a group add up to 100). Sorted by group, then open
        states before closed ones, Traffy states in workflow order
        (:data:`~pmqa_analysis.workspace.traffy.TRAFFY_STATES`), others by name.

    Examples
    --------
    >>> c = pd.DataFrame({"unit_code": ["U1"] * 4,
    ...                   "status": ["open", "open", "closed", "open"],
    ...                   "state": ["ส่งต่อ(ใหม่)", "รอรับเรื่อง", "เสร็จสิ้น", None]})
    >>> complaint_states(c)
      unit_code         state status  n   pct
    0        U1   รอรับเรื่อง   open  1  25.0
    1        U1  ส่งต่อ(ใหม่)   open  1  25.0
    2        U1          open   open  1  25.0
    3        U1     เสร็จสิ้น closed  1  25.0
    """
    from pmqa_analysis.workspace.traffy import TRAFFY_STATES  # only the order of the states

    by_cols = by_columns(by)
    _require(complaints, [*by_cols, "status"], "complaint_states")
    status = complaints["status"].astype("string").fillna("")
    if "state" in complaints.columns:
        state = complaints["state"].astype("string").str.strip().fillna("")
    else:
        state = pd.Series("", index=complaints.index, dtype="string")
    work = complaints[by_cols].copy()
    work["state"] = state.where(state != "", status)
    work["status"] = status
    keys = [*by_cols, "state", "status"]
    counts = work.groupby(keys, sort=True, dropna=False).size().rename("n").reset_index()
    total = counts.groupby(by_cols, dropna=False)["n"].transform("sum")
    counts["n"] = counts["n"].astype("int64")
    counts["pct"] = 100.0 * counts["n"] / total
    order = {name: i for i, name in enumerate(TRAFFY_STATES)}
    rank = counts["state"].map(lambda x: order.get(str(x), len(order)))
    closed = counts["status"].eq("closed").astype("int64")
    sort = counts.assign(_closed=closed, _rank=rank)
    sort = sort.sort_values([*by_cols, "_closed", "_rank", "state"], kind="stable")
    return sort.drop(columns=["_closed", "_rank"]).reset_index(drop=True)


def split_categories(complaints: pd.DataFrame) -> pd.Series:
    """Each complaint's category labels, a tuple per row.

    The labels of ``categories`` (split on commas, stripped, repeats dropped) where it is
    filled, else ``(category,)``; ``("",)`` for a complaint with neither, so every
    complaint has at least one label.

    Examples
    --------
    >>> c = pd.DataFrame({"category": ["ถนน", "ไฟฟ้า", None],
    ...                   "categories": ["ถนน, ทางเท้า,ถนน", None, ""]})
    >>> split_categories(c).tolist()
    [('ถนน', 'ทางเท้า'), ('ไฟฟ้า',), ('',)]
    """
    first = complaints["category"].astype("string").fillna("").str.strip()
    if "categories" in complaints.columns:
        many = complaints["categories"].astype("string").fillna("")
    else:
        many = pd.Series("", index=complaints.index, dtype="string")
    codes, uniques = pd.factorize(many + "\x1f" + first)
    table = np.empty(len(uniques), dtype=object)
    for i, key in enumerate(uniques):
        joined, single = str(key).split("\x1f", 1)
        found = tuple(dict.fromkeys(x.strip() for x in joined.split(",") if x.strip()))
        table[i] = found or (single,)
    return pd.Series(table[codes], index=complaints.index, dtype=object, name="categories")


def _category_counts(complaints: pd.DataFrame, by_cols: list[str], *, multi: bool) -> pd.DataFrame:
    """``complaint_counts(..., dimension="category")``: a complaint under each label."""
    _require(complaints, [*by_cols, "category"], "complaint_counts")
    work = complaints[by_cols].reset_index(drop=True)
    if multi:
        lists = split_categories(complaints).reset_index(drop=True)
    else:
        first = complaints["category"].astype("string").fillna("").reset_index(drop=True)
        lists = first.map(lambda x: (str(x),))
    sizes = lists.map(len).to_numpy(dtype="int64")
    exploded = work.take(np.repeat(np.arange(len(work)), sizes)).reset_index(drop=True)
    exploded["category"] = pd.Series(
        [x for xs in lists for x in xs], index=exploded.index, dtype="string"
    )
    keys = [*by_cols, "category"]
    counts = exploded.groupby(keys, sort=True, dropna=False).size().rename("n").reset_index()
    groups = work.assign(_multi=sizes > 1).groupby(by_cols, sort=True, dropna=False)
    totals = pd.DataFrame({"n_complaints": groups.size(), "multi_label": groups["_multi"].any()})
    counts = counts.merge(totals.reset_index(), on=by_cols, how="left")
    counts["n"] = counts["n"].astype("int64")
    counts["n_complaints"] = counts["n_complaints"].astype("int64")
    counts["multi_label"] = counts["multi_label"].astype(bool)
    counts.insert(len(keys) + 1, "pct", 100.0 * counts["n"] / counts["n_complaints"])
    return counts
