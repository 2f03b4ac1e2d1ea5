"""Reading dates as Thai offices write them: BE and CE years, Thai months and digits.

:func:`parse_dates` is vectorised over the *unique* values of a column, so a column of a
million survey timestamps costs the parsing of its distinct values only.

Conventions (see ``DOMAIN.md``):

* Thai digits ``๐``-``๙`` are read as ``0``-``9``.
* พ.ศ. (Buddhist Era) = CE + 543. A four-digit year above 2400 is BE, otherwise CE; a
  two-digit year is a BE year of the 2500s (``67`` → 2567 → 2024).
* Timestamps with a time zone are converted to Asia/Bangkok (UTC+7, no daylight saving)
  and then made naive; naive values are taken as Bangkok local time.
* Excel serial numbers count days in Excel's 1900 date system.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pmqa_analysis.core.thai import BANGKOK, THAI_DIGITS, THAI_MONTHS, THAI_MONTHS_ABBR

__all__ = [
    "EXCEL_SERIAL_RANGE",
    "excel_serial_to_datetime",
    "parse_dates",
]

_EN_MONTHS = (
    "january february march april may june july august september october november december"
).split()

EXCEL_SERIAL_RANGE: tuple[float, float] = (10_000.0, 110_000.0)
"""Serial numbers accepted as Excel dates by :func:`parse_dates` (1927-05-18 to 2201-02-27).

Numbers outside this range (a year such as 2567, a score) are reported as unreadable
rather than silently turned into a date of the 1900s.
"""


def _month_lookup() -> dict[str, int]:
    table: dict[str, int] = {}
    for i, (full, abbr) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_ABBR, strict=True), start=1):
        table[full] = i
        table[abbr.replace(".", "")] = i
    for i, name in enumerate(_EN_MONTHS, start=1):
        table[name] = i
        table[name[:3]] = i
    table["sept"] = 9
    return table


_MONTHS = _month_lookup()


_TIME = (
    r"(?:,?\s*(?:T|เวลา)?\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})"
    r"(?:[:.](?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?:น\.?)?)?"
)
_TZ = r"\s*(?P<tz>[Zz]|(?:UTC|GMT)?[+-]\d{2}(?::?\d{2})?)?"
_YEAR_PREFIX = r"(?:(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|BE|CE|AD)\s*)?"
_PATTERNS = {
    "iso": (
        r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
        r"(?:[T ]\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
        + _TZ
        + "$"
    ),
    "dmy": (
        r"^(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*"
        + _YEAR_PREFIX
        + r"(?P<y>\d{4}|\d{2})"
        + _TIME
        + _TZ
        + "$"
    ),
    "named": (
        r"^(?P<d>\d{1,2})\s*[\-/]?\s*(?P<mon>[A-Za-z\x{0E01}-\x{0E4E}][A-Za-z\x{0E01}-\x{0E4E}.\s]*?)"
        r"\s*[\-/,]?\s*" + _YEAR_PREFIX + r"(?P<y>\d{4}|\d{2})" + _TIME + _TZ + "$"
    ),
}
_SERIAL_RE = r"^\d{1,6}(?:\.\d+)?$"
_FIELDS = ("y", "m", "d", "H", "M", "S", "f")


def excel_serial_to_datetime(serial: Any) -> pd.Series:
    """Convert Excel (1900 date system) serial numbers to datetimes, as Excel shows them.

    Parameters
    ----------
    serial : array-like of float
        Serial day numbers; the fraction is the time of day (rounded to the second).

    Returns
    -------
    pandas.Series
        ``datetime64[ns]``; NaT for serial 60, below 1 or missing.

    Notes
    -----
    Excel counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, treats 1900 as a leap
    year: serial 60 is the non-existent 29 February 1900 (NaT here) and every serial from
    61 on is one day ahead of a plain count, so ``date = 1899-12-30 + serial`` for serials
    above 60 and ``1899-12-31 + serial`` below.

    Examples
    --------
    >>> excel_serial_to_datetime([45292, 45292.5, 59, 60, 61]).tolist()
    [Timestamp('2024-01-01 00:00:00'), Timestamp('2024-01-01 12:00:00'),
     Timestamp('1900-02-28 00:00:00'), NaT, Timestamp('1900-03-01 00:00:00')]
    """
    x = np.asarray(serial, dtype="float64")
    seconds = np.round(x * 86_400.0)
    base = np.where(x >= 61, np.datetime64("1899-12-30"), np.datetime64("1899-12-31"))
    bad = ~np.isfinite(x) | (x < 1) | ((x >= 60) & (x < 61)) | (x >= 2_958_466)
    safe = np.where(bad, 0.0, seconds).astype("int64")
    out = base.astype("datetime64[ns]") + safe.astype("timedelta64[s]")
    out = np.where(bad, np.datetime64("NaT"), out).astype("datetime64[ns]")
    return pd.Series(out)


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return bool(value is pd.NA)


def _to_local_naive(ts: pd.Timestamp) -> pd.Timestamp:
    if ts.tzinfo is not None:
        ts = ts.tz_convert(BANGKOK).tz_localize(None)
    return ts


def _parse_object(value: Any) -> pd.Timestamp | None:
    """One non-string unique value (datetime, date, number) → Timestamp or None."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, pd.Timestamp | _dt.datetime | np.datetime64):
        try:
            ts = pd.Timestamp(value)
        except (ValueError, OverflowError):
            return None
        return None if ts is pd.NaT else _to_local_naive(ts)
    if isinstance(value, _dt.date):
        return pd.Timestamp(value.year, value.month, value.day)
    if isinstance(value, int | float | np.integer | np.floating):
        lo, hi = EXCEL_SERIAL_RANGE
        if np.isfinite(value) and lo <= float(value) < hi:
            ts = excel_serial_to_datetime([float(value)]).iloc[0]
            return None if ts is pd.NaT else ts
    return None


def _int_field(parts: pa.StructArray, name: str, default: int = 0) -> np.ndarray:
    """An extracted digit group as int64 (empty group → ``default``)."""
    col = parts.field(name)
    col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
    nums = pc.fill_null(pc.cast(col, pa.int64()), default)
    return np.asarray(nums.to_numpy(zero_copy_only=False), dtype="int64")


def _lookup(col: pa.Array, func: Any, dtype: str = "int64") -> np.ndarray:
    """Apply ``func`` to the distinct values of a text column only (dictionary encoding)."""
    enc = pc.dictionary_encode(col)
    mapped = np.array([func(v) for v in enc.dictionary.to_pylist()], dtype=dtype)
    return mapped[np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype="int64")]


def _month_number(text: str) -> int:
    return _MONTHS.get(re.sub(r"[.\s]", "", text.lower()), 0)


def _parse_strings(arr: pa.Array, dayfirst: bool) -> np.ndarray:
    """Vectorised parse of distinct, non-blank strings → datetime64[ns] array."""
    if pc.any(pc.match_substring_regex(arr, "[\u0e50-\u0e59\u00a0]")).as_py():
        for i, digit in enumerate(THAI_DIGITS):
            arr = pc.replace_substring(arr, digit, str(i))
        arr = pc.utf8_trim_whitespace(pc.replace_substring(arr, "\u00a0", " "))
    n = len(arr)
    result = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    todo = np.ones(n, dtype=bool)

    # Excel serial numbers written as text.
    is_serial = pc.fill_null(pc.match_substring_regex(arr, _SERIAL_RE), False)
    serial_mask = np.asarray(is_serial.to_numpy(zero_copy_only=False), dtype=bool)
    if serial_mask.any():
        vals = pc.cast(arr.filter(is_serial), pa.float64()).to_numpy(zero_copy_only=False)
        lo, hi = EXCEL_SERIAL_RANGE
        vals = np.where((vals >= lo) & (vals < hi), vals, np.nan)
        result[serial_mask] = excel_serial_to_datetime(vals).to_numpy()
        todo &= ~serial_mask

    for kind, pattern in _PATTERNS.items():
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        sub = arr.take(pa.array(idx)) if len(idx) < n else arr
        parts = pc.extract_regex(sub, pattern)
        matched = np.asarray(parts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        if not matched.any():
            continue
        parts = parts.filter(pa.array(matched))
        rows = idx[matched]
        result[rows] = _assemble(parts, kind, dayfirst)
        todo[rows] = False
    return result


def _assemble(parts: pa.StructArray, kind: str, dayfirst: bool) -> np.ndarray:
    """Numbers extracted by the regex → datetime64[ns] (NaT for impossible dates)."""
    names = set(parts.type.names)  # type: ignore[attr-defined]
    year = _int_field(parts, "y")
    two_digit = np.asarray(
        pc.equal(pc.utf8_length(parts.field("y")), 2).to_numpy(zero_copy_only=False), dtype=bool
    )
    year = np.where(two_digit, year + 2500, year)
    year = np.where(year > 2400, year - 543, year)
    day = _int_field(parts, "d")
    if kind == "named":
        month = _lookup(parts.field("mon"), _month_number)
    else:
        month = _int_field(parts, "m")
        if kind == "dmy" and not dayfirst:
            month, day = day, month
    hour = _int_field(parts, "H")
    minute = _int_field(parts, "M")
    second = _int_field(parts, "S")
    bad = np.zeros(len(year), dtype=bool)
    if "ampm" in names:
        ampm = _lookup(parts.field("ampm"), lambda t: t[:1].lower(), dtype="<U1")
        is_pm, is_am = ampm == "p", ampm == "a"
        bad |= (is_pm | is_am) & ((hour < 1) | (hour > 12))
        hour = np.where(is_pm, hour % 12 + 12, np.where(is_am, hour % 12, hour))
    bad |= (month < 1) | (month > 12) | (day < 1) | (year < 1678) | (year > 2261)
    bad |= (hour > 23) | (minute > 59) | (second > 59)
    safe_month = np.clip(month, 1, 12)
    safe_year = np.clip(year, 1678, 2261)
    first = ((safe_year - 1970) * 12 + safe_month - 1).astype("datetime64[M]")
    next_first = first + np.timedelta64(1, "M")
    days_in_month = (next_first.astype("datetime64[D]") - first.astype("datetime64[D]")).astype(
        "int64"
    )
    bad |= day > days_in_month  # 31/2 is unreadable, never shifted into March
    nanos = (
        (np.clip(day, 1, 31) - 1) * 86_400 + hour * 3_600 + minute * 60 + second
    ) * 1_000_000_000
    frac = parts.field("f")
    if pc.any(pc.not_equal(frac, "")).as_py():
        padded = pc.utf8_rpad(frac, 9, "0")
        nanos = nanos + _int_field(pa.StructArray.from_arrays([padded], ["f"]), "f")
    if "tz" in names:
        offsets = _lookup(parts.field("tz"), _offset_minutes)
        nanos = nanos + (420 - offsets) * 60 * 1_000_000_000
    out = first.astype("datetime64[D]").astype("datetime64[ns]") + nanos.astype("timedelta64[ns]")
    out[bad] = np.datetime64("NaT")
    return out


def _offset_minutes(tz: str) -> int:
    """``Z``, ``+07:00``, ``-0500``, ``+07`` → minutes east of UTC; blank = Bangkok (420)."""
    tz = re.sub(r"^(UTC|GMT)", "", tz)
    if tz == "":
        return 420
    if tz in ("Z", "z"):
        return 0
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    return sign * (hours * 60 + minutes)


def parse_dates(values: pd.Series, *, dayfirst: bool = True) -> tuple[pd.Series, pd.Series]:
    """Read dates written in every way Thai offices write them.

    Accepted: ISO dates and datetimes with or without a time zone; ``d/m/yyyy`` with an
    optional time (``15/3/2567, 10:22:01``, the Google Forms Thai export); Thai month names
    and abbreviations (``2 ต.ค. 2566``, ``2 ตุลาคม พ.ศ. 2566``, ``15 ม.ค. 67``) and English
    ones; two-digit BE years; Thai digits anywhere; Excel serial numbers (as numbers or
    text, within :data:`EXCEL_SERIAL_RANGE`); ``datetime``/``date``/``Timestamp`` objects.

    Parameters
    ----------
    values : pandas.Series
        The raw column.
    dayfirst : bool, default True
        Read ``a/b/yyyy`` as day/month (Thai usage); False reads month/day.

    Returns
    -------
    dates : pandas.Series
        ``datetime64[ns]``, tz-naive Asia/Bangkok local time; NaT when blank or unreadable.
    unreadable : pandas.Series of bool
        True where the value was not blank but could not be read (impossible dates such
        as 31/2/2567 included: they are never shifted to another day).

    Notes
    -----
    Only the distinct values are parsed (``pandas.factorize``), through vectorised regular
    expressions (Arrow's RE2); the result is then taken back to every row. A four-digit
    year above 2400 is BE (``- 543``); a two-digit year is BE ``25yy``. Values with a time
    zone are converted to Asia/Bangkok and made naive; naive values are local time.

    Examples
    --------
    >>> s = pd.Series(["15/3/2567, 10:22:01", "2 ต.ค. 2566", "2023-05-01T03:00:00Z",
    ...                45292, "๑๕ ม.ค. ๖๗", "31/2/2567", "", None])
    >>> dates, bad = parse_dates(s)
    >>> dates.dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2024-03-15 10:22', '2023-10-02 00:00', '2023-05-01 10:00', '2024-01-01 00:00',
     '2024-01-15 00:00', nan, nan, nan]
    >>> bad.tolist()
    [False, False, False, False, False, True, False, False]
    """
    index, name = values.index, values.name
    if len(values) == 0:
        return (
            pd.Series([], index=index, name=name, dtype="datetime64[ns]"),
            pd.Series([], index=index, name=name, dtype=bool),
        )
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        out = values.dt.tz_convert(BANGKOK).dt.tz_localize(None).astype("datetime64[ns]")
        return out.rename(name), pd.Series(False, index=index, name=name)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.astype("datetime64[ns]"), pd.Series(False, index=index, name=name)

    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        x = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
        lo, hi = EXCEL_SERIAL_RANGE
        dates = excel_serial_to_datetime(np.where((x >= lo) & (x < hi), x, np.nan)).to_numpy()
        unreadable = np.isnat(dates) & ~np.isnan(x)
        return pd.Series(dates, index=index, name=name), pd.Series(
            unreadable, index=index, name=name
        )

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniq = np.asarray(uniques, dtype=object)
    parsed = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[ns]")
    blank = np.zeros(len(uniq), dtype=bool)
    try:  # fast path: every distinct value is a string
        strings = pc.utf8_trim_whitespace(pa.array(uniq, type=pa.string()))
        str_idx = np.arange(len(uniq))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        is_str = np.fromiter((isinstance(u, str) for u in uniq), dtype=bool, count=len(uniq))
        str_idx = np.flatnonzero(is_str)
        for i in np.flatnonzero(~is_str):
            if _is_blank(uniq[i]):
                blank[i] = True
            else:
                ts = _parse_object(uniq[i])
                if ts is not None:
                    parsed[i] = ts.to_datetime64()
        strings = pc.utf8_trim_whitespace(pa.array(uniq[str_idx], type=pa.string()))
    if len(str_idx):
        empty = np.asarray(pc.equal(strings, "").to_numpy(zero_copy_only=False), dtype=bool)
        blank[str_idx[empty]] = True
        keep = np.flatnonzero(~empty)
        if len(keep):
            parsed[str_idx[keep]] = _parse_strings(strings.take(pa.array(keep)), dayfirst)
    ok = codes >= 0
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[ok] = parsed[codes[ok]]
    bad = np.zeros(len(values), dtype=bool)
    bad[ok] = np.isnat(parsed)[codes[ok]] & ~blank[codes[ok]]
    return (
        pd.Series(out, index=index, name=name),
        pd.Series(bad, index=index, name=name),
    )
