"""Tests of pmqa_analysis.stats.trend: every cell equals SciPy's Welch test and a 2x2 chi-square."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.trend import trend


def _survey(seed=0, n=600):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "unit_code": rng.choice(["U01", "U02", "U03"], n),
            "fiscal_year": rng.choice([2565, 2566, 2567], n),
            "Q01": rng.integers(1, 6, n).astype(float),
            "Q02": rng.integers(1, 6, n).astype(float),
        }
    )
    df.loc[rng.random(n) < 0.1, "Q02"] = np.nan
    # U03 has no answers in 2566: its pairs are 2565 -> 2567
    return df.loc[~((df["unit_code"] == "U03") & (df["fiscal_year"] == 2566))]


class _Scale:
    max = 5


def test_every_cell_equals_scipy():
    df = _survey()
    out = trend(df, ["Q01", "Q02"], by="unit_code", scale=_Scale())
    assert len(out) == 2 * (2 + 2 + 1)
    for row in out.itertuples(index=False):
        sel = df["unit_code"] == row.unit_code
        a = df.loc[sel & (df["fiscal_year"] == row.year_prev), row.item].dropna()
        b = df.loc[sel & (df["fiscal_year"] == row.year_curr), row.item].dropna()
        ref = stats.ttest_ind(b, a, equal_var=False)
        assert row.t == pytest.approx(ref.statistic, rel=1e-8)
        assert row.p_mean == pytest.approx(ref.pvalue, rel=1e-8)
        assert row.df == pytest.approx(ref.df, rel=1e-8)
        assert (row.n_prev, row.n_curr) == (len(a), len(b))
        assert row.mean_change == pytest.approx(b.mean() - a.mean())
        ka, kb = int((a >= 4).sum()), int((b >= 4).sum())
        assert row.top2_change == pytest.approx(100 * (kb / len(b) - ka / len(a)))
        chi2 = stats.chi2_contingency([[ka, len(a) - ka], [kb, len(b) - kb]], correction=False)
        assert row.p_top2 == pytest.approx(chi2.pvalue, rel=1e-8)
    u3 = out[out["unit_code"] == "U03"]
    assert u3[["year_prev", "year_curr"]].drop_duplicates().values.tolist() == [[2565, 2567]]


def test_direction_and_order():
    df = pd.DataFrame(
        {
            "fiscal_year": [2566] * 30 + [2567] * 30,
            "up": [2.0, 3.0] * 15 + [4.0, 5.0] * 15,
            "down": [5.0, 4.0] * 15 + [1.0, 2.0] * 15,
            "flat": [3.0, 4.0] * 15 + [4.0, 3.0] * 15,
        }
    )
    out = trend(df, ["up", "down", "flat"], scale=5)
    assert out["item"].tolist() == ["up", "down", "flat"]
    assert out["direction"].tolist() == ["up", "down", "no significant change"]
    assert out["top2_prev"].tolist() == [0.0, 100.0, 50.0]


def test_top3_and_per_item_scale():
    df = pd.DataFrame({"fiscal_year": [1, 1, 2, 2], "a": [1.0, 3, 2, 4], "b": [1.0, 2, 3, 4]})
    out = trend(df, ["a", "b"], year="fiscal_year", scale={"a": 4, "b": 5}, top=3)
    assert "top3_change" in out.columns
    assert out["top3_prev"].tolist() == [50.0, 0.0]  # a: >= 2; b: >= 3
    assert out["direction"].tolist() == ["no significant change"] * 2


def test_not_tested_when_too_few_answers_and_no_scale():
    df = pd.DataFrame({"fiscal_year": [2566, 2567, 2567], "Q01": [3.0, 4.0, 5.0]})
    out = trend(df, "Q01")
    assert out["direction"].iloc[0] == "not tested"
    assert np.isnan(out["top2_prev"].iloc[0])


def test_dimension_level_frame_and_no_mutation():
    df = pd.DataFrame(
        {"fiscal_year": [2566] * 3 + [2567] * 3, "PROCESS": [3.5, 4.25, 4.0, 4.5, 4.75, 5.0]}
    )
    before = df.copy()
    out = trend(df, "PROCESS", scale=5)
    assert out["top2_curr"].iloc[0] == 100.0
    pd.testing.assert_frame_equal(df, before)


def test_errors():
    df = pd.DataFrame({"fiscal_year": [2566], "Q01": ["มาก"]})
    with pytest.raises(InputError, match="'Q02' not found in data"):
        trend(df, "Q02")
    with pytest.raises(InputError, match=r"'Q01'.*not numeric"):
        trend(df, "Q01")
    with pytest.raises(InputError, match="scale must be a Scale"):
        trend(df.assign(Q01=1.0), "Q01", scale="th5")


def test_large_input_is_fast():
    import time

    rng = np.random.default_rng(1)
    n = 200_000
    df = pd.DataFrame(
        {
            "unit_code": rng.integers(0, 100, n),
            "fiscal_year": rng.integers(2563, 2568, n),
            **{f"Q{i:02d}": rng.integers(1, 6, n).astype(float) for i in range(20)},
        }
    )
    t0 = time.perf_counter()
    out = trend(df, [f"Q{i:02d}" for i in range(20)], by="unit_code", scale=5)
    elapsed = time.perf_counter() - t0
    assert len(out) == 100 * 20 * 4
    assert elapsed < 5.0
