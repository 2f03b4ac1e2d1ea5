"""Tests for pmqa_analysis.cs.activities (CS5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.cs.activities import activities_by_group, activity_indicators

GROUPS = pd.DataFrame({"group_code": ["G1", "G2", "G3", "G4"], "unit_code": ["", "", "U2", "U9"]})


def _activities(n: int = 60, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "activity_id": [f"A{i}" for i in range(n)],
            "unit_code": rng.choice(["U1", "U2", "U3"], n),
            "group_code": rng.choice(["G1", "G3", "GX"], n, p=[0.6, 0.3, 0.1]),
            "participants": rng.integers(5, 80, n),
            "fiscal_year": rng.choice([2566, 2567], n),
        }
    )


def test_indicators_against_direct_computation() -> None:
    a = _activities()
    out = activity_indicators(a, GROUPS).set_index("unit_code")
    for unit, row in out.iterrows():
        sel = a[a.unit_code == unit]
        registered = {"G1", "G2"} | ({"G3"} if unit == "U2" else set())
        reached = registered & set(sel.group_code)
        assert row["activities_count"] == len(sel)
        assert row["participants_total"] == sel.participants.sum()
        assert row["groups_covered"] == sel.group_code.nunique()
        assert row["n_registered_groups"] == len(registered)
        assert row["activity_groups_covered_pct"] == pytest.approx(
            100 * len(reached) / len(registered)
        )
    no_register = activity_indicators(a)
    assert no_register["activity_groups_covered_pct"].isna().all()


def test_by_group_zero_rows() -> None:
    a = _activities()
    per = activities_by_group(a, GROUPS)
    u1 = per[per.unit_code == "U1"].set_index("group_code")
    assert u1.loc["G2", "count"] == 0 and u1.loc["G2", "participants"] == 0
    assert bool(u1.loc["G2", "registered"]) and not bool(u1.loc["GX", "registered"])
    assert "G4" not in set(per.group_code)  # registered for another unit only
    assert per["participants"].sum() == a["participants"].sum()
    assert per["count"].sum() == len(a)


def test_all_units_equal_one_at_a_time() -> None:
    a = _activities()
    before = a.copy()
    by = ["unit_code", "fiscal_year"]
    for func in (activity_indicators, activities_by_group):
        whole = func(a, GROUPS, by=by)
        parts = pd.concat(
            [func(a[a.unit_code == u], GROUPS, by=by) for u in ["U1", "U2", "U3"]],
            ignore_index=True,
        )
        pd.testing.assert_frame_equal(whole, parts)
    pd.testing.assert_frame_equal(a, before)


def test_missing_column() -> None:
    with pytest.raises(InputError, match=r"\['participants'\] not found"):
        activity_indicators(_activities().drop(columns="participants"))
