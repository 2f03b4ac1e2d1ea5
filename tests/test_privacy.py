"""Tests of pmqa_analysis.workspace.privacy: PII masking and small-cell suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.workspace.privacy import (
    MASKS,
    SUPPRESSED_LABEL,
    find_pii,
    is_valid_thai_id,
    mask_pii,
    mask_text,
    suppress_small,
    suppressed_label,
)

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def make_id(first12: str) -> str:
    """A valid national ID: the checksum digit computed independently of the module."""
    weights = range(13, 1, -1)
    total = sum(int(d) * w for d, w in zip(first12, weights, strict=True))
    return first12 + str((11 - total % 11) % 10)


def dashed(id13: str) -> str:
    return f"{id13[0]}-{id13[1:5]}-{id13[5:10]}-{id13[10:12]}-{id13[12]}"


def test_valid_and_invalid_ids() -> None:
    good = make_id("110170023070")
    assert good == "1101700230708"
    assert is_valid_thai_id(good)
    assert is_valid_thai_id(dashed(good))
    assert is_valid_thai_id(" ".join([good[0], good[1:5], good[5:10], good[10:12], good[12]]))
    assert is_valid_thai_id(good.translate(THAI))
    wrong = good[:12] + str((int(good[12]) + 1) % 10)
    assert not is_valid_thai_id(wrong)
    assert not is_valid_thai_id(good[:12])
    assert not is_valid_thai_id("abcdefghijklm")
    assert not is_valid_thai_id(1101700230708)  # type: ignore[arg-type]


def test_ids_masked() -> None:
    good = make_id("310100012345")
    wrong = good[:12] + str((int(good[12]) + 1) % 10)
    assert mask_text(f"บัตร {good} ค่ะ") == f"บัตร {MASKS['national_id']} ค่ะ"
    assert mask_text(f"บัตร {dashed(good)}") == f"บัตร {MASKS['national_id']}"
    assert mask_text(f"บัตร {dashed(good).translate(THAI)}") == f"บัตร {MASKS['national_id']}"
    assert mask_text(f"เลข {wrong}") == f"เลข {MASKS['digits13']}"


@pytest.mark.parametrize(
    "phone",
    [
        "0812345678",
        "081-234-5678",
        "081 234 5678",
        "06-1234-5678",
        "+66812345678",
        "+66 81 234 5678",
        "66812345678",
        "02-123-4567",
        "021234567",
        "053-123456",
        "+66 2 123 4567",
        "๐๘๑-๒๓๔-๕๖๗๘",
    ],
)
def test_phones(phone: str) -> None:
    assert mask_text(f"โทร {phone} ด่วน") == "โทร [เบอร์โทรศัพท์] ด่วน"


@pytest.mark.parametrize("email", ["somchai@example.com", "a.b+x@mail.go.th", "X_Y@gmail.co.th"])
def test_emails(email: str) -> None:
    assert mask_text(f"ส่งมาที่ {email} ครับ") == "ส่งมาที่ [อีเมล] ครับ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("นายสมชาย ใจดี บริการดี", "นาย[ชื่อ] บริการดี"),
        ("นางสาวสมหญิง รักดี", "นางสาว[ชื่อ]"),
        ("นางมาลี", "นาง[ชื่อ]"),
        ("ขอบคุณ น.ส.มาลี ศรีสุข มาก", "ขอบคุณ น.ส.[ชื่อ] มาก"),
        ("คุณสมศรี ช่วยเหลือดี", "คุณ[ชื่อ]"),
        ("ด.ช.ต้น, ด.ญ.แตง.", "ด.ช.[ชื่อ], ด.ญ.[ชื่อ]."),
        ("Mr. John Smith helped", "Mr. [ชื่อ] helped"),
        ("Mrs Jane, Ms Ann, Miss Lee", "Mrs [ชื่อ], Ms [ชื่อ], Miss [ชื่อ]"),
        ("ขอบคุณคุณสมชายมาก", "ขอบคุณคุณ[ชื่อ]"),
    ],
)
def test_names(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "คุณภาพการให้บริการดีมาก",
        "นายอำเภอมาเยี่ยม นายกเทศมนตรีด้วย",
        "มาเมื่อ 15/3/2567 จ่ายค่าธรรมเนียม 1,500 บาท รอ 20 นาที",
        "ปีงบประมาณ 2567 ไตรมาส 2 ได้คะแนน 4.51",
        "Summary: good service, room 1203.",
        "",
    ],
)
def test_no_pii_unchanged(text: str) -> None:
    assert mask_text(text) == text


def test_series_masking_and_passthrough() -> None:
    s = pd.Series(["โทร 0812345678", np.nan, None, 5, "โทร 0812345678", "ดี"], index=list("abcdef"))
    original = s.copy()
    out = mask_pii(s)
    assert out.iloc[0] == out.iloc[4] == "โทร [เบอร์โทรศัพท์]"
    assert np.isnan(out.iloc[1]) and out.iloc[2] is None and out.iloc[3] == 5
    assert out.iloc[5] == "ดี"
    assert out.index.tolist() == list("abcdef")
    pd.testing.assert_series_equal(s, original)
    assert mask_text(None) is None  # type: ignore[arg-type]


def test_find_pii_audit() -> None:
    good = make_id("123456789012")
    s = pd.Series([f"{good} x@y.org", "ไม่มี", None], index=[7, 8, 9])
    found = find_pii(s)
    assert found.columns.tolist() == ["index", "kind", "start", "end"]
    assert found[["index", "kind", "start", "end"]].values.tolist() == [
        [7, "national_id", 0, 13],
        [7, "email", 14, 21],
    ]


@settings(max_examples=150, deadline=None)
@given(
    first12=st.text(alphabet="0123456789", min_size=12, max_size=12),
    layout=st.sampled_from(["plain", "dashed", "spaced", "thai"]),
    before=st.text(alphabet=st.sampled_from(list("กขค abc.,:")), max_size=15),
    after=st.text(alphabet=st.sampled_from(list("กขค abc.,:")), max_size=15),
)
def test_generated_id_never_survives(first12: str, layout: str, before: str, after: str) -> None:
    id13 = make_id(first12)
    written = {
        "plain": id13,
        "dashed": dashed(id13),
        "spaced": dashed(id13).replace("-", " "),
        "thai": id13.translate(THAI),
    }[layout]
    masked = mask_text(f"{before} {written} {after}")
    digits_left = "".join(
        ch for ch in masked.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")) if ch.isdigit()
    )
    assert id13 not in digits_left
    assert MASKS["national_id"] in masked


def test_suppress_small() -> None:
    table = pd.DataFrame(
        {
            "unit_code": ["U1", "U2", "U3", "U4"],
            "fiscal_year": [2567, 2567, 2567, 2567],
            "n": [4, 5, 0, np.nan],
            "mean": [4.2, 3.9, np.nan, 4.0],
            "count_5": [2, 3, 0, 1],
            "label": ["a", "b", "c", "d"],
        }
    )
    original = table.copy()
    out = suppress_small(table)
    pd.testing.assert_frame_equal(table, original)  # not mutated
    assert out["suppressed"].tolist() == [True, False, True, True]
    assert out["mean"].isna().tolist() == [True, False, True, True]
    assert out["count_5"].tolist()[1] == 3 and out["count_5"].isna().tolist()[0]
    assert out["n"].tolist()[:3] == [4, 5, 0]
    assert out["fiscal_year"].tolist() == [2567] * 4
    assert out["label"].tolist() == ["a", "b", "c", "d"]
    only = suppress_small(table, columns=["mean"], min_cell=1)
    assert only["suppressed"].tolist() == [False, False, True, True]
    assert only["count_5"].tolist() == [2, 3, 0, 1]


def test_suppress_errors_and_label() -> None:
    table = pd.DataFrame({"n": [1], "x": [1.0]})
    with pytest.raises(InputError, match=r"no count column 'count'.*columns found: n, x"):
        suppress_small(table, n_col="count")
    with pytest.raises(InputError, match="columns not in the table: y"):
        suppress_small(table, columns=["y"])
    with pytest.raises(InputError, match="min_cell"):
        suppress_small(table, min_cell=0)
    assert SUPPRESSED_LABEL == "n < 5" and suppressed_label(3) == "n < 3"
