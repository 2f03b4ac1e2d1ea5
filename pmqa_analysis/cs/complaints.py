"""CS3 complaint indicators: volume, timeliness, backlog, reopen and forwarding rates.

Input is the ``complaints`` frame of the :class:`Survey` bundle (see
``docs/data_model.md``); every function works on all units at once through
``groupby`` and takes ``by`` (a column name or a list of them).
:func:`from_traffy` turns a Traffy Fondue export into that frame.

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

import re
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.frames import by_columns, require_columns
from pmqa_analysis.core.thai import THAI_MONTHS

__all__ = [
    "TRAFFY_STATES",
    "complaint_counts",
    "complaint_indicators",
    "days_to_close",
    "from_traffy",
]

#: Traffy Fondue workflow states -> the kit's ``status``. Only "finished" closes a
#: ticket; every intermediate state (waiting, in progress, forwarded, budget request,
#: procurement, legal process, studying the problem) is still open for the complainant.
TRAFFY_STATES: dict[str, str] = {
    "รอรับเรื่อง": "open",  # waiting to be accepted
    "กำลังดำเนินการ": "open",  # in progress
    "ส่งต่อ(ใหม่)": "open",  # forwarded to another agency (new)
    "ส่งต่อ": "open",  # forwarded
    "ของบประมาณ": "open",  # requesting budget
    "จัดซื้อจัดจ้าง": "open",  # procurement
    "ขั้นตอนทางกฎหมาย": "open",  # legal procedure
    "ศึกษาปัญหา": "open",  # studying the problem
    "เสร็จสิ้น": "closed",  # finished
}

_REQUIRED = ("unit_code", "received_date", "status")


_HINT = (
    "Load the complaint log with pmqa_analysis.workspace.loader (or from_traffy) so that "
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
        ``forwarded_pct`` (base: all complaints), ``mean_rating``, ``n_rated``.

    Notes
    -----
    Days to close as in :func:`days_to_close` (the ``days_to_close`` column is used when
    present). A closed complaint is within standard when ``days_to_close <= standard``.
    The 90th percentile uses linear interpolation between order statistics (numpy
    ``percentile(..., method="linear")``, Hyndman & Fan type 7, R's default):
    ``x[k] + (x[k+1] - x[k]) * f`` with ``h = 0.9 (n - 1)``, ``k = floor(h)``, ``f = h - k``.
    Backlog age = ``as_of - received_date`` in days.

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
            "'open' or 'closed'. Map the log's states first (see TRAFFY_STATES / templates)."
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

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, the dimension column (``month`` for months), ``n`` and ``pct``
        (share of the group's complaints), sorted by group then dimension. A missing
        channel or category is counted under ``""`` rather than dropped.

    Examples
    --------
    >>> c = pd.DataFrame({"unit_code": ["U1", "U1", "U1"],
    ...                   "received_date": pd.to_datetime(["2023-09-30", "2023-10-02",
    ...                                                    "2023-10-20"])})
    >>> complaint_counts(c, dimension="month")
      unit_code    month month_th month_en  fiscal_year  n        pct
    0        U1  2566-09  กันยายน  September         2566  1  33.333333
    1        U1  2566-10   ตุลาคม    October         2567  2  66.666667
    """
    by_cols = by_columns(by)
    if dimension not in ("channel_code", "category", "month"):
        raise InputError(
            f"complaint_counts: dimension {dimension!r} is not known; expected "
            "'channel_code', 'category' or 'month'."
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
    else:
        work[dimension] = complaints[dimension].astype("string").fillna("")
        keys = [*by_cols, dimension]
    counts = work.groupby(keys, sort=True, dropna=False).size().rename("n").reset_index()
    total = counts.groupby(by_cols, dropna=False)["n"].transform("sum")
    counts["pct"] = 100.0 * counts["n"] / total
    counts["n"] = counts["n"].astype("int64")
    return counts


_DISTRICT = re.compile(r"(?:^|\s)เขต\s*([\u0e01-\u0e4e]+)")


def from_traffy(
    frame: pd.DataFrame,
    *,
    unit_col: str | None = "district",
    channel_code: str = "TRAFFY",
    timezone: str = "Asia/Bangkok",
) -> pd.DataFrame:
    """Convert a Traffy Fondue complaint export into the kit's complaints frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The export as read from CSV (all columns as text): ``ticket_id``, ``type``,
        ``description``, ``address``, ``timestamp``, ``star``, ``count_reopen``, ``note``,
        ``state``, ``last_activity``.
    unit_col : str or None, default "district"
        Column holding the unit. When it is not in ``frame`` (the public export has no
        such column) the unit is the Bangkok district (เขต) parsed from ``address``;
        tickets without one get ``"ไม่ระบุเขต"`` (district not stated).
    channel_code : str, default "TRAFFY"
        Channel recorded for every ticket.
    timezone : str, default "Asia/Bangkok"
        UTC timestamps are converted to this zone before anything else, then made
        tz-naive local times (the kit's convention).

    Returns
    -------
    pandas.DataFrame
        Columns of ``Survey.complaints`` (docs/data_model.md) plus ``categories`` (all
        labels, a tuple) and ``state`` (the original Traffy state). The description is
        passed through :func:`pmqa_analysis.workspace.privacy.mask_pii`.

    Notes
    -----
    * ``category``: first label of ``type`` (``"ถนน,ทางเท้า"`` or ``"{ถนน,ทางเท้า}"`` ->
      ``"ถนน"``); ``""`` when the ticket has none.
    * ``status`` from :data:`TRAFFY_STATES` (only ``เสร็จสิ้น`` is closed); an unknown
      state raises :class:`~pmqa_analysis.core.errors.InputError`.
    * ``closed_date`` = ``last_activity`` of closed tickets.
    * ``forwarded``: the state is ``ส่งต่อ…`` or the note says ``ส่งต่อ`` (forwarded to)
      / ``เชิญร่วม`` (another agency invited to handle it).
    * ``reopened``: ``count_reopen > 0``; ``rating``: ``star`` (1-5, NaN if blank).
    * ``complaint_id``: ``ticket_id``, or ``"TRAFFY-ROW<n>"`` (n = row position) when
      the export left it blank.

    Examples
    --------
    >>> raw = pd.DataFrame({"ticket_id": ["2023-AB"], "type": ["ถนน,ทางเท้า"],
    ...     "description": ["ถนนพัง"], "address": ["แขวงตลาดพลู เขตธนบุรี กรุงเทพมหานคร"],
    ...     "timestamp": ["2023-05-15 20:00:00+00"], "star": [""], "count_reopen": ["0"],
    ...     "note": [""], "state": ["เสร็จสิ้น"], "last_activity": ["2023-05-16 08:00:00+00"]})
    >>> out = from_traffy(raw)  # doctest: +SKIP
    >>> out.loc[0, ["unit_code", "category", "status", "days_to_close"]].tolist()  # doctest: +SKIP
    ['ธนบุรี', 'ถนน', 'closed', 0.5]
    """
    needed = ["type", "timestamp", "state", "last_activity"]
    _require(frame, needed, "from_traffy")
    text = frame.astype("string").fillna("")

    def local(col: str) -> pd.Series:
        stamp = pd.to_datetime(text[col].str.strip().replace("", None), utc=True, format="mixed")
        return stamp.dt.tz_convert(timezone).dt.tz_localize(None)

    received = local("timestamp")
    last = local("last_activity")
    state = text["state"].str.strip()
    unknown = sorted(set(state) - set(TRAFFY_STATES))
    if unknown:
        raise InputError(
            f"from_traffy: Traffy state(s) {unknown} are not in the state table; expected one "
            f"of {list(TRAFFY_STATES)}. Add them to pmqa_analysis.cs.complaints.TRAFFY_STATES."
        )
    status = state.map(TRAFFY_STATES).astype(str)
    labels = text["type"].str.strip().str.strip("{}").str.split(",")
    categories = labels.map(lambda xs: tuple(x.strip() for x in xs if x.strip()))
    category = categories.map(lambda xs: xs[0] if xs else "")

    if unit_col is not None and unit_col in frame.columns:
        unit = text[unit_col].str.strip()
    else:
        address = text["address"] if "address" in text.columns else pd.Series("", index=text.index)
        unit = address.str.extract(_DISTRICT, expand=False)
    unit = unit.fillna("").replace("", "ไม่ระบุเขต")

    ids = text["ticket_id"].str.strip() if "ticket_id" in text.columns else None
    fallback = pd.Series([f"TRAFFY-ROW{i}" for i in range(len(text))], index=text.index)
    complaint_id = fallback if ids is None else ids.where(ids != "", fallback)

    note = text["note"] if "note" in text.columns else pd.Series("", index=text.index)
    forwarded = state.str.startswith("ส่งต่อ") | note.str.contains("ส่งต่อ|เชิญร่วม", regex=True)
    reopen = text["count_reopen"] if "count_reopen" in text.columns else None
    reopened = (
        pd.Series(False, index=text.index)
        if reopen is None
        else pd.to_numeric(reopen.str.strip(), errors="coerce").fillna(0).gt(0)
    )
    star = text["star"] if "star" in text.columns else pd.Series("", index=text.index)
    rating = pd.to_numeric(star.str.strip(), errors="coerce").astype("float64")

    closed = status.eq("closed")
    closed_date = last.where(closed)
    description = text["description"] if "description" in text.columns else None
    if description is None:
        masked = pd.Series("", index=text.index, dtype="string")
    else:
        from pmqa_analysis.workspace.privacy import mask_pii

        masked = mask_pii(description)

    out = pd.DataFrame(
        {
            "complaint_id": complaint_id.astype(str),
            "unit_code": unit.astype(str),
            "received_date": received,
            "channel_code": channel_code,
            "category": category.astype(str),
            "group_code": "",
            "status": status,
            "closed_date": closed_date,
            "forwarded": forwarded.astype(bool),
            "reopened": reopened.astype(bool),
            "rating": rating,
            "description": masked,
        },
        index=frame.index,
    )
    fy_year = received.dt.year + (received.dt.month >= 10).astype("int64")
    out["fiscal_year"] = (fy_year + 543).astype("int64")
    out["days_to_close"] = days_to_close(out)
    out["categories"] = categories
    out["state"] = state.astype(str)
    return out.reset_index(drop=True)
