"""Thai data conventions: digits, encodings, Buddhist Era dates and the fiscal calendar.

Everything here is vectorised over the *unique* values of a column, so a column of a
million survey timestamps costs the parsing of its distinct values only.

Conventions (see ``DOMAIN.md``):

* Thai digits ``๐``-``๙`` (U+0E50-U+0E59) are read as ``0``-``9`` everywhere.
* พ.ศ. (Buddhist Era) = CE + 543. A four-digit year above 2400 is BE, otherwise CE; a
  two-digit year is a BE year of the 2500s (``67`` → 2567 → 2024).
* The fiscal year (ปีงบประมาณ) runs 1 October - 30 September and is named by the BE year
  it ends in: ``fy = (ce_year + 1 if month >= 10 else ce_year) + 543``.
* Timestamps with a time zone are converted to Asia/Bangkok (UTC+7, no daylight saving)
  and then made naive; naive values are taken as Bangkok local time.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "EXCEL_SERIAL_RANGE",
    "THAI_DIGITS",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "excel_serial_to_datetime",
    "fiscal_half",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_range",
    "format_thai_date",
    "normalize_digits",
    "normalize_encoding_name",
    "parse_dates",
    "to_arabic_digits",
]

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
"""The Thai digits ๐-๙ in order (U+0E50-U+0E59)."""

_DIGIT_TABLE = str.maketrans(THAI_DIGITS, "0123456789")

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
"""Full Thai month names, January first."""

THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
"""Standard Thai month abbreviations, January first."""

_EN_MONTHS = (
    "january february march april may june july august september october november december"
).split()

EXCEL_SERIAL_RANGE: tuple[float, float] = (10_000.0, 110_000.0)
"""Serial numbers accepted as Excel dates by :func:`parse_dates` (1927-05-18 to 2201-02-27).

Numbers outside this range (a year such as 2567, a score) are reported as unreadable
rather than silently turned into a date of the 1900s.
"""

_ENCODING_ALIASES = {
    "windows874": "cp874",
    "xwindows874": "cp874",
    "ms874": "cp874",
    "cp874": "cp874",
    "tis620": "cp874",
    "tis6200": "cp874",
    "iso885911": "cp874",
    "thai": "cp874",
}

_BANGKOK = "Asia/Bangkok"


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


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits ``๐``-``๙`` with ``0``-``9``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The same text with Arabic digits.

    Examples
    --------
    >>> to_arabic_digits("๑๕/๓/๒๕๖๗")
    '15/3/2567'
    """
    return text.translate(_DIGIT_TABLE)


def normalize_digits(s: pd.Series) -> pd.Series:
    """Vectorised :func:`to_arabic_digits`: strings are converted, other values pass through.

    Parameters
    ----------
    s : pandas.Series
        Any series; only its string values change.

    Returns
    -------
    pandas.Series
        A new series (the input is not modified), same index and name.

    Examples
    --------
    >>> normalize_digits(pd.Series(["๔", "5", None, 3])).tolist()
    ['4', '5', None, 3]
    """
    if len(s) == 0 or not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
        return s.copy()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    conv = np.array(
        [to_arabic_digits(u) if isinstance(u, str) else u for u in uniques], dtype=object
    )
    out = np.empty(len(s), dtype=object)
    ok = codes >= 0
    out[ok] = conv[codes[ok]]
    out[~ok] = s.to_numpy(dtype=object)[~ok]
    return pd.Series(out, index=s.index, name=s.name, dtype=s.dtype)


def normalize_encoding_name(name: str) -> str:
    """Map an encoding name to one Python knows, Thai legacy names to ``cp874``.

    Python does not know ``windows-874`` or ``ms874``; TIS-620 is a subset of cp874, so
    cp874 reads both. Other names are returned lower-cased and otherwise unchanged.

    Parameters
    ----------
    name : str
        An encoding name as written by a user or a tool.

    Returns
    -------
    str
        The normalised name.

    Examples
    --------
    >>> normalize_encoding_name("Windows-874"), normalize_encoding_name("TIS-620")
    ('cp874', 'cp874')
    >>> normalize_encoding_name("UTF-8-SIG")
    'utf-8-sig'
    """
    cleaned = name.strip().lower()
    key = re.sub(r"[-_\s]", "", cleaned)
    return _ENCODING_ALIASES.get(key, cleaned)


# --------------------------------------------------------------------------- dates

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
        ts = ts.tz_convert(_BANGKOK).tz_localize(None)
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
        out = values.dt.tz_convert(_BANGKOK).dt.tz_localize(None).astype("datetime64[ns]")
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


# --------------------------------------------------------------------------- fiscal calendar


def _local(dates: pd.Series) -> pd.Series:
    s = pd.Series(dates)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert(_BANGKOK).dt.tz_localize(None)
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
