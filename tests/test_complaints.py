"""Tests for pmqa_analysis.cs.complaints (CS3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.cs.complaints import (
    complaint_counts,
    complaint_indicators,
    complaint_states,
    days_to_close,
    split_categories,
)


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


def _labelled(n: int = 300, seed: int = 3) -> pd.DataFrame:
    """A log with several labels per complaint, workflow states and reopen counts."""
    c = _log(n, seed)
    rng = np.random.default_rng(seed)
    pool = ["ถนน", "ทางเท้า", "ไฟฟ้า", "น้ำท่วม"]
    picks = [list(rng.choice(pool, size=rng.integers(1, 4), replace=False)) for _ in range(n)]
    c["categories"] = [", ".join(p) for p in picks]
    c["category"] = [p[0] for p in picks]
    c.loc[c.index % 7 == 0, "categories"] = None  # only ``category`` for some
    states = np.array(["รอรับเรื่อง", "กำลังดำเนินการ", "ส่งต่อ(ใหม่)", "ของบประมาณ"])
    c["state"] = np.where(c["status"] == "closed", "เสร็จสิ้น", states[rng.integers(0, 4, n)])
    c.loc[c.index % 11 == 0, "state"] = None
    c["reopen_count"] = pd.array(rng.choice([0, 0, 0, 1, 3], n), dtype="Int64")
    c["reopened"] = c["reopen_count"].gt(0).astype(bool)
    return c


def test_counts_every_label() -> None:
    c = _labelled()
    got = complaint_counts(c, dimension="category")
    labels = split_categories(c)
    for unit, part in got.groupby("unit_code"):
        sel = labels[c["unit_code"] == unit]
        expected = sel.explode().value_counts()
        assert part.set_index("category")["n"].to_dict() == expected.to_dict()
        n = int((c["unit_code"] == unit).sum())
        assert set(part["n_complaints"]) == {n} and part["multi_label"].all()
        assert part["pct"].to_numpy() == pytest.approx(100 * part["n"].to_numpy() / n)
        assert part["n"].sum() == sel.map(len).sum() > n
    first = complaint_counts(c, dimension="category", labels="first")
    assert first["n"].sum() == len(c) and not first["multi_label"].any()
    assert first.groupby("unit_code")["pct"].sum().round(9).eq(100).all()
    with pytest.raises(InputError, match="labels 'some' is not known"):
        complaint_counts(c, dimension="category", labels="some")  # type: ignore[arg-type]


def test_states_and_reopenings() -> None:
    c = _labelled()
    st = complaint_states(c)
    for unit, part in st.groupby("unit_code"):
        sel = c[c["unit_code"] == unit]
        shown = sel["state"].fillna(sel["status"])
        assert part.set_index("state")["n"].to_dict() == shown.value_counts().to_dict()
        assert part["pct"].sum() == pytest.approx(100)
        assert list(part["status"]) == sorted(part["status"], key=lambda s: s == "closed")
    ind = complaint_indicators(c).set_index("unit_code")
    for unit, sel in c.groupby("unit_code"):
        row = ind.loc[str(unit)]
        assert row["n_reopened"] == int((sel["reopen_count"] > 0).sum())
        assert row["n_reopenings"] == int(sel["reopen_count"].sum())
        assert row["reopen_rate_pct"] == pytest.approx(100 * (sel["reopen_count"] > 0).mean())
    # a complaint marked reopened without a count counts as one reopening
    plain = c.drop(columns="reopen_count")
    ind2 = complaint_indicators(plain).set_index("unit_code")
    assert (ind2["n_reopenings"] == ind2["n_reopened"]).all()
    # all units at once = one unit at a time
    whole = complaint_states(c)
    parts = pd.concat(
        [complaint_states(c[c.unit_code == u]) for u in ["U1", "U2", "U3"]], ignore_index=True
    )
    pd.testing.assert_frame_equal(whole, parts)
    whole = complaint_counts(c, dimension="category")
    parts = pd.concat(
        [complaint_counts(c[c.unit_code == u], dimension="category") for u in ["U1", "U2", "U3"]],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(whole, parts)
