"""Tests of core.thai, thai_dates and thai_calendar: digits, encodings, dates, fiscal year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.thai import (
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    normalize_digits,
    normalize_encoding_name,
    to_arabic_digits,
)
from pmqa_analysis.core.thai_calendar import (
    fiscal_half,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_range,
    format_thai_date,
)
from pmqa_analysis.core.thai_dates import excel_serial_to_datetime, parse_dates


def one(value: object, **kw: bool) -> pd.Timestamp:
    dates, bad = parse_dates(pd.Series([value], dtype=object), **kw)
    assert not bad.iloc[0], f"{value!r} flagged unreadable"
    return dates.iloc[0]


def test_digits() -> None:
    assert to_arabic_digits("๐๑๒๓๔๕๖๗๘๙ บาท") == "0123456789 บาท"
    s = pd.Series(["๑๒", None, 7, "x๙"], index=[5, 6, 7, 8], name="q")
    out = normalize_digits(s)
    assert out.tolist() == ["12", None, 7, "x9"]
    assert out.index.tolist() == [5, 6, 7, 8] and out.name == "q"
    assert s.iloc[0] == "๑๒"  # input untouched


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("windows-874", "cp874"),
        ("ms874", "cp874"),
        ("TIS-620", "cp874"),
        ("tis620", "cp874"),
        ("x-windows-874", "cp874"),
        ("utf-8-sig", "utf-8-sig"),
        ("UTF-8", "utf-8"),
    ],
)
def test_normalize_encoding_name(name: str, expected: str) -> None:
    assert normalize_encoding_name(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-15", "2024-03-15 00:00:00"),
        ("2024-03-15T10:22:01", "2024-03-15 10:22:01"),
        ("2024-03-15 10:22:01.250", "2024-03-15 10:22:01.250000"),
        ("2023-05-01T03:00:00Z", "2023-05-01 10:00:00"),
        ("2023-05-01T03:00:00+00:00", "2023-05-01 10:00:00"),
        ("2023-05-01T10:00:00+07:00", "2023-05-01 10:00:00"),
        ("2023-05-01T10:00:00-0500", "2023-05-01 22:00:00"),
        ("2567-03-15", "2024-03-15 00:00:00"),
        ("15/3/2567, 10:22:01", "2024-03-15 10:22:01"),
        ("15/3/2567 10:22", "2024-03-15 10:22:00"),
        ("15/03/2024", "2024-03-15 00:00:00"),
        ("15-3-67", "2024-03-15 00:00:00"),
        ("2 ต.ค. 2566", "2023-10-02 00:00:00"),
        ("2 ตุลาคม 2566", "2023-10-02 00:00:00"),
        ("2 ตุลาคม พ.ศ. 2566", "2023-10-02 00:00:00"),
        ("15 ม.ค. 67", "2024-01-15 00:00:00"),
        ("15 มกราคม 67 เวลา 08:30 น.", "2024-01-15 08:30:00"),
        ("๑๕ มี.ค. ๒๕๖๗", "2024-03-15 00:00:00"),
        ("๑๕/๓/๒๕๖๗", "2024-03-15 00:00:00"),
        ("29 ก.พ. 2567", "2024-02-29 00:00:00"),
        ("15 Mar 2024", "2024-03-15 00:00:00"),
        ("45292", "2024-01-01 00:00:00"),
        ("  45292.5 ", "2024-01-01 12:00:00"),
    ],
)
def test_parse_date_strings(text: str, expected: str) -> None:
    assert one(text) == pd.Timestamp(expected)


def test_month_tables_all_parse() -> None:
    full = [f"1 {m} 2567" for m in THAI_MONTHS]
    abbr = [f"1 {m} 2567" for m in THAI_MONTHS_ABBR]
    for texts in (full, abbr):
        dates, bad = parse_dates(pd.Series(texts))
        assert not bad.any()
        assert dates.dt.month.tolist() == list(range(1, 13))
        assert set(dates.dt.year) == {2024}


def test_month_first() -> None:
    dates, bad = parse_dates(
        pd.Series(["3/15/2024 10:22:01 PM", "12/1/2024 12:05 AM"]), dayfirst=False
    )
    assert not bad.any()
    assert dates.tolist() == [
        pd.Timestamp("2024-03-15 22:22:01"),
        pd.Timestamp("2024-12-01 00:05:00"),
    ]


def test_objects_pass_through() -> None:
    values = pd.Series(
        [
            dt.datetime(2024, 3, 15, 10, 22),
            dt.date(2024, 1, 2),
            pd.Timestamp("2023-09-30T20:00:00Z"),
            45292,
            45292.75,
            np.nan,
        ],
        dtype=object,
    )
    dates, bad = parse_dates(values)
    assert dates.tolist()[:5] == [
        pd.Timestamp("2024-03-15 10:22"),
        pd.Timestamp("2024-01-02"),
        pd.Timestamp("2023-10-01 03:00"),
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-01-01 18:00"),
    ]
    assert pd.isna(dates.iloc[5])
    assert not bad.any()


def test_datetime_dtypes() -> None:
    aware = pd.Series(pd.to_datetime(["2023-09-30T20:00:00Z", None], utc=True))
    dates, bad = parse_dates(aware)
    assert dates.iloc[0] == pd.Timestamp("2023-10-01 03:00") and pd.isna(dates.iloc[1])
    assert dates.dtype == "datetime64[ns]" and not bad.any()
    numeric = pd.Series([45292.0, np.nan, 3.0])
    dates, bad = parse_dates(numeric)
    assert dates.iloc[0] == pd.Timestamp("2024-01-01")
    assert bad.tolist() == [False, False, True]


def test_unreadable_flagged_blank_not() -> None:
    values = pd.Series(
        [
            "31/2/2567",
            "29/2/2566",
            "31 เม.ย. 2567",
            "abc",
            "2567",
            "13/13/2567",
            "15/3/2567 25:00",
            "",
            "   ",
            None,
            np.nan,
            2567,
            True,
        ],
        dtype=object,
    )
    dates, bad = parse_dates(values)
    assert dates.isna().all()  # never shifted into another day
    assert bad.tolist() == [True] * 7 + [False] * 4 + [True, True]


def test_index_and_repeats_kept() -> None:
    values = pd.Series(["1/10/2566", "x", "1/10/2566"], index=["a", "b", "c"], name="d")
    dates, bad = parse_dates(values)
    assert dates.index.tolist() == ["a", "b", "c"] and dates.name == "d"
    assert dates["a"] == dates["c"] == pd.Timestamp("2023-10-01")
    assert bad.tolist() == [False, True, False]
    assert values.tolist() == ["1/10/2566", "x", "1/10/2566"]


def test_excel_serials_and_leap_bug() -> None:
    out = excel_serial_to_datetime([1, 59, 60, 61, 45292, 45292.25]).tolist()
    assert out[0] == pd.Timestamp("1900-01-01")
    assert out[1] == pd.Timestamp("1900-02-28")
    assert pd.isna(out[2])  # Excel's fictitious 29 Feb 1900
    assert out[3] == pd.Timestamp("1900-03-01")
    assert out[4] == pd.Timestamp("2024-01-01")
    assert out[5] == pd.Timestamp("2024-01-01 06:00")


def test_fiscal_boundaries() -> None:
    d = pd.Series(
        pd.to_datetime(
            [
                "2023-09-30 23:59",
                "2023-10-01 00:00",
                "2024-03-31",
                "2024-04-01",
                "2024-06-30",
                "2024-07-01",
                None,
            ],
            format="ISO8601",
        )
    )
    assert fiscal_year(d).tolist() == [2566, 2567, 2567, 2567, 2567, 2567, pd.NA]
    assert fiscal_half(d).tolist() == [2, 1, 1, 2, 2, 2, pd.NA]
    assert fiscal_quarter(d).tolist() == [4, 1, 2, 3, 3, 4, pd.NA]
    assert str(fiscal_year(d).dtype) == "Int64"


def test_utc_crossing_midnight_changes_fiscal_year() -> None:
    dates, _ = parse_dates(pd.Series(["2023-09-30T20:00:00Z"]))
    assert fiscal_year(dates).tolist() == [2567]
    aware = pd.Series(pd.to_datetime(["2023-09-30T20:00:00Z"], utc=True))
    assert fiscal_year(aware).tolist() == [2567]


def test_fiscal_year_range() -> None:
    assert fiscal_year_range(2553) == (dt.date(2009, 10, 1), dt.date(2010, 9, 30))
    start, end = fiscal_year_range(2567)
    assert fiscal_year(pd.Series(pd.to_datetime([start, end]))).tolist() == [2567, 2567]
    with pytest.raises(TypeError, match="BE year"):
        fiscal_year_range("2567")  # type: ignore[arg-type]


def test_format_thai_date() -> None:
    d = dt.date(2024, 3, 15)
    assert format_thai_date(d) == "15 มี.ค. 2567"
    assert format_thai_date(pd.Timestamp(d), style="long") == "15 มีนาคม 2567"
    assert format_thai_date(d, digits="thai") == "๑๕ มี.ค. ๒๕๖๗"
    assert format_thai_date(None) == "" and format_thai_date(pd.NaT) == ""
    with pytest.raises(ValueError, match="style"):
        format_thai_date(d, style="medium")  # type: ignore[arg-type]


def test_round_trip_format_parse() -> None:
    days = pd.date_range("2023-10-01", "2024-09-30", freq="7D")
    for style in ("short", "long"):
        texts = pd.Series([format_thai_date(x, style=style, digits="thai") for x in days])
        parsed, bad = parse_dates(texts)
        assert not bad.any()
        assert (parsed.to_numpy() == days.to_numpy()).all()
