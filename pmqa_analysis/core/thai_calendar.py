"""The Thai calendar: Buddhist Era years, the fiscal year and its parts, Thai dates.

* พ.ศ. (Buddhist Era) = CE + 543.
* The fiscal year (ปีงบประมาณ) runs 1 October - 30 September and is named by the BE year
  it ends in: ``fy = (ce_year + 1 if month >= 10 else ce_year) + 543``.
* Naive timestamps are Bangkok local time; tz-aware ones are converted to it first.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

import numpy as np
import pandas as pd

from pmqa_analysis.core.thai import BANGKOK, THAI_DIGITS, THAI_MONTHS, THAI_MONTHS_ABBR

__all__ = [
    "fiscal_half",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_range",
    "format_thai_date",
]


def _local(dates: pd.Series) -> pd.Series:
    s = pd.Series(dates)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert(BANGKOK).dt.tz_localize(None)
    if not pd.api.types.is_datetime64_dtype(s.dtype):
        s = pd.to_datetime(s, errors="coerce")
    return s


def _year_month(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Calendar year and month (1-12) of each local date, ``Int64``; <NA> for NaT.

    Computed on the ``datetime64[M]`` integers (one pass, no per-field accessor).
    """
    s = _local(dates)
    values = s.to_numpy(dtype="datetime64[ns]")
    nat = np.isnat(values)
    months = values.astype("datetime64[M]").astype("int64")
    year = pd.arrays.IntegerArray(months // 12 + 1970, nat.copy())
    month = pd.arrays.IntegerArray(months % 12 + 1, nat)
    return pd.Series(year, index=s.index), pd.Series(month, index=s.index)


def fiscal_year(dates: pd.Series) -> pd.Series:
    """Thai fiscal year (BE) of each date: 1 October starts the next year.

    Parameters
    ----------
    dates : pandas.Series
        ``datetime64`` (naive = Bangkok local time; tz-aware values are converted).

    Returns
    -------
    pandas.Series
        ``Int64``; <NA> for NaT.

    Notes
    -----
    ``fy = (ce_year + 1 if month >= 10 else ce_year) + 543`` (สำนักงบประมาณ).

    Examples
    --------
    >>> fiscal_year(pd.Series(pd.to_datetime(["2023-09-30", "2023-10-01", None]))).tolist()
    [2566, 2567, <NA>]
    """
    year, month = _year_month(dates)
    return year + (month >= 10).astype("Int64") + 543


def fiscal_half(dates: pd.Series) -> pd.Series:
    """Fiscal half-year: 1 = October-March, 2 = April-September (``Int64``).

    Examples
    --------
    >>> fiscal_half(pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01", None]))).tolist()
    [1, 2, <NA>]
    """
    month = _year_month(dates)[1]
    return ((month >= 4) & (month <= 9)).astype("Int64") + 1


def fiscal_quarter(dates: pd.Series) -> pd.Series:
    """Fiscal quarter: 1 = Oct-Dec, 2 = Jan-Mar, 3 = Apr-Jun, 4 = Jul-Sep (``Int64``).

    Examples
    --------
    >>> fiscal_quarter(pd.Series(pd.to_datetime(["2023-10-01", "2024-01-01",
    ...                                          "2024-06-30", "2024-09-30"]))).tolist()
    [1, 2, 3, 4]
    """
    month = _year_month(dates)[1]
    return ((month - 10) % 12) // 3 + 1


def fiscal_year_range(fy_be: int) -> tuple[_dt.date, _dt.date]:
    """First and last day of a fiscal year given in BE.

    Examples
    --------
    >>> fiscal_year_range(2553)
    (datetime.date(2009, 10, 1), datetime.date(2010, 9, 30))
    """
    if isinstance(fy_be, bool) or not isinstance(fy_be, int | np.integer):
        raise TypeError(f"fiscal year must be an integer BE year such as 2567, got {fy_be!r}")
    ce_end = int(fy_be) - 543
    return _dt.date(ce_end - 1, 10, 1), _dt.date(ce_end, 9, 30)


def format_thai_date(
    d: Any,
    style: Literal["short", "long"] = "short",
    digits: Literal["arabic", "thai"] = "arabic",
) -> str:
    """Format a date the Thai way for reports: day, Thai month, BE year.

    Parameters
    ----------
    d : date, datetime, Timestamp or str
        The date; missing values give an empty string.
    style : {"short", "long"}
        ``15 มี.ค. 2567`` or ``15 มีนาคม 2567``.
    digits : {"arabic", "thai"}
        Digits to write with.

    Returns
    -------
    str

    Examples
    --------
    >>> import datetime
    >>> format_thai_date(datetime.date(2024, 3, 15))
    '15 มี.ค. 2567'
    >>> format_thai_date(datetime.date(2024, 3, 15), style="long", digits="thai")
    '๑๕ มีนาคม ๒๕๖๗'
    """
    if style not in ("short", "long"):
        raise ValueError(f"style must be 'short' or 'long', got {style!r}")
    if digits not in ("arabic", "thai"):
        raise ValueError(f"digits must be 'arabic' or 'thai', got {digits!r}")
    if d is None or (not isinstance(d, str | _dt.date) and pd.isna(d)):
        return ""
    ts = pd.Timestamp(d)
    if ts is pd.NaT:
        return ""
    names = THAI_MONTHS if style == "long" else THAI_MONTHS_ABBR
    text = f"{ts.day} {names[ts.month - 1]} {ts.year + 543}"
    if digits == "thai":
        text = text.translate(str.maketrans("0123456789", THAI_DIGITS))
    return text
