"""Tests for pmqa_analysis.cs.complaints (CS3)."""

from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.cs.complaints import (
    TRAFFY_STATES,
    complaint_counts,
    complaint_indicators,
    days_to_close,
    from_traffy,
)


@pytest.fixture
def fake_mask(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Install a recording stand-in for pmqa_analysis.workspace.privacy.mask_pii."""
    calls: list[int] = []

    def mask_pii(texts: pd.Series) -> pd.Series:
        calls.append(len(texts))
        return texts.str.replace(r"\d{9,10}", "[PHONE]", regex=True)

    module = types.ModuleType("pmqa_analysis.workspace.privacy")
    module.mask_pii = mask_pii  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pmqa_analysis.workspace.privacy", module)
    return calls


def _log(n: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    received = pd.Timestamp("2023-10-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    closed = rng.random(n) < 0.8
    took = pd.to_timedelta(rng.integers(0, 40, n), unit="D")
    return pd.DataFrame(
        {
            "complaint_id": [f"C{i}" for i in range(n)],
            "unit_code": rng.choice(["U1", "U2", "U3"], n),
            "received_date": received,
            "channel_code": rng.choice(["HOTLINE", "WEB", "LINE"], n),
            "category": rng.choice(["service", "staff", "road"], n),
            "status": np.where(closed, "closed", "open"),
            "closed_date": (received + took).where(closed),
            "forwarded": rng.random(n) < 0.2,
            "reopened": rng.random(n) < 0.1,
            "rating": np.where(rng.random(n) < 0.5, rng.integers(1, 6, n), np.nan),
            "fiscal_year": np.where(received.month >= 10, received.year + 544, received.year + 543),
        }
    )


def test_indicators_hand_computed() -> None:
    c = pd.DataFrame(
        {
            "unit_code": ["U1"] * 5,
            "received_date": pd.to_datetime(["2023-10-01"] * 4 + ["2023-10-25"]),
            "category": ["a", "a", "b", "a", "a"],
            "status": ["closed", "closed", "closed", "open", "open"],
            "closed_date": pd.to_datetime(["2023-10-11", "2023-10-21", "2023-10-31", None, None]),
            "forwarded": [True, False, False, False, False],
            "reopened": [False, True, False, False, False],
            "rating": [4.0, 2.0, np.nan, np.nan, np.nan],
        }
    )
    r = complaint_indicators(c, as_of="2023-10-31").iloc[0]
    assert (r["n"], r["n_closed"], r["n_open"]) == (5, 3, 2)
    # days: 10, 20, 30 -> 1 of 3 within 15
    assert r["closed_within_standard_pct"] == pytest.approx(100 / 3)
    # the open one from 1 Oct is 30 days old (late); the one from 25 Oct is not yet judged
    assert r["n_open_overdue"] == 1
    assert r["within_standard_pct_all"] == pytest.approx(25.0)
    assert r["median_days_to_close"] == 20.0
    assert r["p90_days_to_close"] == pytest.approx(np.percentile([10, 20, 30], 90))
    assert (r["backlog_median_age_days"], r["backlog_max_age_days"]) == (18.0, 30.0)
    assert r["reopen_rate_pct"] == 20.0 and r["forwarded_pct"] == 20.0
    assert (r["mean_rating"], r["n_rated"]) == (3.0, 2)
    tiered = complaint_indicators(c, as_of="2023-10-31", standard_by_category={"b": 30})
    assert tiered.loc[0, "closed_within_standard_pct"] == pytest.approx(200 / 3)


def test_as_of_defaults_to_data_not_clock() -> None:
    c = _log()
    a = complaint_indicators(c)
    b = complaint_indicators(c, as_of=max(c["received_date"].max(), c["closed_date"].max()))
    pd.testing.assert_frame_equal(a, b)


def test_all_units_equal_one_at_a_time() -> None:
    c = _log()
    before = c.copy()
    by = ["unit_code", "fiscal_year"]
    stamp = "2024-09-30"
    whole = complaint_indicators(c, by=by, as_of=stamp)
    parts = pd.concat(
        [complaint_indicators(c[c.unit_code == u], by=by, as_of=stamp) for u in ["U1", "U2", "U3"]],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(whole, parts)
    for dim in ("channel_code", "category", "month"):
        whole = complaint_counts(c, dimension=dim)
        parts = pd.concat(
            [complaint_counts(c[c.unit_code == u], dimension=dim) for u in ["U1", "U2", "U3"]],
            ignore_index=True,
        )
        pd.testing.assert_frame_equal(whole, parts)
    pd.testing.assert_frame_equal(c, before)


def test_p90_matches_numpy_linear() -> None:
    c = _log()
    got = complaint_indicators(c).set_index("unit_code")["p90_days_to_close"]
    d = days_to_close(c)
    for unit, value in got.items():
        sel = d[(c.unit_code == unit) & (c.status == "closed")]
        assert value == pytest.approx(np.percentile(sel, 90, method="linear"))


def test_counts_month_labels() -> None:
    c = _log()
    m = complaint_counts(c, dimension="month")
    assert m["n"].sum() == len(c)
    oct23 = m[m["month"] == "2566-10"]
    assert set(oct23["month_th"]) == {"ตุลาคม"} and set(oct23["fiscal_year"]) == {2567}
    expected = (c["received_date"].dt.to_period("M") == "2023-10").groupby(c["unit_code"]).sum()
    assert oct23.set_index("unit_code")["n"].to_dict() == expected.to_dict()
    assert m.groupby("unit_code")["pct"].sum().round(9).eq(100).all()


def test_bad_input_messages() -> None:
    c = _log().drop(columns="status")
    with pytest.raises(InputError, match=r"\['status'\] not found"):
        complaint_indicators(c)
    c = _log()
    c.loc[0, "status"] = "เสร็จสิ้น"
    with pytest.raises(InputError, match=r"status values .*เสร็จสิ้น.* expected 'open'"):
        complaint_indicators(c)
    with pytest.raises(InputError, match="dimension 'week' is not known"):
        complaint_counts(_log(), dimension="week")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="by= is empty"):
        complaint_counts(_log(), by=[])


def _traffy_row(**kw: str) -> dict[str, str]:
    row = {
        "ticket_id": "2023-X",
        "type": "{ถนน,ทางเท้า}",
        "description": "โทร 0812345678",
        "address": "1 ซอย เฉลิมเขตร์ 1 แขวงวัดเทพศิรินทร์ เขตป้อมปราบศัตรูพ่าย กรุงเทพมหานคร",
        "timestamp": "2023-09-30 18:00:00.5+00",
        "star": "4",
        "count_reopen": "1",
        "note": "เขตบางกะปิ ส่งต่อไปยัง สำนักการโยธา กทม.",
        "state": "เสร็จสิ้น",
        "last_activity": "2023-10-02 06:00:00.5+00",
    }
    row.update(kw)
    return row


def test_from_traffy_mapping(fake_mask: list[int]) -> None:
    raw = pd.DataFrame(
        [
            _traffy_row(),
            _traffy_row(
                ticket_id="",
                type="",
                address="",
                star="",
                count_reopen="0",
                note="",
                state="รอรับเรื่อง",
            ),
        ]
    )
    before = raw.copy()
    out = from_traffy(raw)
    first = out.iloc[0]
    # 18:00 UTC on 30 Sep is 01:00 on 1 Oct in Bangkok: the next fiscal year
    assert first["received_date"] == pd.Timestamp("2023-10-01 01:00:00.5")
    assert first["fiscal_year"] == 2567
    assert first["unit_code"] == "ป้อมปราบศัตรูพ่าย"
    assert (first["category"], first["categories"]) == ("ถนน", ("ถนน", "ทางเท้า"))
    assert (first["status"], first["forwarded"], first["reopened"]) == ("closed", True, True)
    assert first["days_to_close"] == pytest.approx(1 + 12 / 24)
    assert first["description"] == "โทร [PHONE]"
    second = out.iloc[1]
    assert (second["complaint_id"], second["unit_code"], second["category"]) == (
        "TRAFFY-ROW1",
        "ไม่ระบุเขต",
        "",
    )
    assert second["status"] == "open" and pd.isna(second["closed_date"])
    assert np.isnan(second["rating"]) and not second["forwarded"]
    assert fake_mask == [2]
    pd.testing.assert_frame_equal(raw, before)
    with pytest.raises(InputError, match=r"state.*'ปิดงาน'.*TRAFFY_STATES"):
        from_traffy(pd.DataFrame([_traffy_row(state="ปิดงาน")]))


def test_from_traffy_real_export(refdata, fake_mask: list[int]) -> None:  # type: ignore[no-untyped-def]
    path = refdata_file(refdata, "complaints_traffy/fondue.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = from_traffy(raw)
    assert len(out) == 1000
    # independent recount with plain pandas
    first_label = raw["type"].str.split(",").str[0].str.strip()
    by_cat = complaint_counts(out, dimension="category").groupby("category")["n"].sum()
    assert by_cat[by_cat > 0].to_dict() == first_label.value_counts().to_dict()
    assert out["state"].value_counts().to_dict() == raw["state"].value_counts().to_dict()
    n_done = int((raw["state"] == "เสร็จสิ้น").sum())
    assert (out["status"] == "closed").sum() == n_done
    assert set(raw["state"]) <= set(TRAFFY_STATES)
    utc = pd.to_datetime(raw["timestamp"], utc=True, format="mixed")
    shift = out["received_date"] - utc.dt.tz_localize(None)
    assert (shift == pd.Timedelta(hours=7)).all()
    assert out["complaint_id"].is_unique
    assert out["days_to_close"].notna().sum() == n_done
    ind = complaint_indicators(out, by="channel_code")
    assert ind.loc[0, "n"] == 1000 and ind.loc[0, "n_closed"] == n_done
