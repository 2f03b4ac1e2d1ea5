"""Tests for pmqa_analysis.cs.service (CS4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.cs.service import service_indicators, service_summary

STANDARDS = pd.DataFrame(
    {
        "unit_code": ["U1", "U1", "U2", "U2", "U3"],
        "service_code": ["S1", "S2", "S1", "S3", "S1"],
        "service_name_th": ["ขอข้อมูล", "รับเรื่อง", "ขอข้อมูล", "ออกหนังสือ", "ขอข้อมูล"],
        "standard_minutes": [30.0, 10.0, 20.0, 60.0, 15.0],
        "published": [True, False, True, True, False],
    }
)


def _log(n: int = 500, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "transaction_id": [f"T{i}" for i in range(n)],
            "unit_code": rng.choice(["U1", "U2"], n),
            "service_code": rng.choice(["S1", "S2", "S3", "S9"], n),
            "actual_minutes": rng.gamma(2.0, 12.0, n).round(1),
            "fiscal_year": rng.choice([2566, 2567], n),
        }
    )


def test_indicators_against_direct_computation() -> None:
    log = _log()
    out = service_indicators(log, STANDARDS).set_index(["unit_code", "service_code"])
    for (unit, svc), row in out.iterrows():
        sel = log[(log.unit_code == unit) & (log.service_code == svc)]
        std = STANDARDS[(STANDARDS.unit_code == unit) & (STANDARDS.service_code == svc)]
        assert row["n"] == len(sel)
        if std.empty:
            assert row["n_unmatched"] == len(sel) and np.isnan(row["within_standard_pct"])
            continue
        limit = std["standard_minutes"].iloc[0]
        assert row["n_unmatched"] == 0 and row["standard_minutes"] == limit
        if len(sel):
            assert row["within_standard_pct"] == pytest.approx(
                100 * (sel.actual_minutes <= limit).mean()
            )
            assert row["median_actual"] == pytest.approx(sel.actual_minutes.median())
            assert row["mean_ratio"] == pytest.approx((sel.actual_minutes / limit).mean())
    # a published standard that nobody used still shows (U3 has no transactions)
    assert out.loc[("U3", "S1"), "n"] == 0
    assert out["n"].sum() == len(log)


def test_unmatched_never_dropped() -> None:
    log = _log()
    summ = service_summary(log, STANDARDS).set_index("unit_code")
    known = set(map(tuple, STANDARDS[["unit_code", "service_code"]].values))
    unmatched = ~pd.Series(list(zip(log.unit_code, log.service_code, strict=True))).isin(known)
    expected = unmatched.groupby(log.unit_code.values).sum()
    assert summ["n_unmatched"].drop("U3").to_dict() == expected.to_dict()
    assert summ["n"].sum() == len(log)
    assert summ.loc["U1", "n_services"] == 2 and summ.loc["U1", "services_published_pct"] == 50
    assert summ.loc["U3", "n"] == 0 and summ.loc["U3", "services_published_pct"] == 0


def test_all_units_equal_one_at_a_time() -> None:
    log = _log()
    before = log.copy()
    by = ["unit_code", "fiscal_year"]
    for func in (service_indicators, service_summary):
        whole = func(log, STANDARDS, by=by)
        parts = pd.concat(
            [func(log[log.unit_code == u], STANDARDS, by=by) for u in ["U1", "U2"]],
            ignore_index=True,
        )
        pd.testing.assert_frame_equal(whole, parts)
    pd.testing.assert_frame_equal(log, before)


def test_errors() -> None:
    dup = pd.concat([STANDARDS, STANDARDS.iloc[:1]])
    with pytest.raises(InputError, match=r"\('U1', 'S1'\).*more than once"):
        service_indicators(_log(), dup)
    with pytest.raises(InputError, match=r"\['actual_minutes'\] not found"):
        service_summary(_log().drop(columns="actual_minutes"), STANDARDS)
