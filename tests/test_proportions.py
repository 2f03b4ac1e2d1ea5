"""Tests of pmqa_analysis.stats.proportions, pinned to contingencytables (Fagerland et al.)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file
from scipy import stats

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.proportions import proportion_ci, two_proportion_test

# refdata method name -> ours
METHODS = {
    "Wilson_score": "wilson",
    "Wilson_score_CC": "wilson_cc",
    "ClopperPearson_exact": "clopper_pearson",
    "Jeffreys": "jeffreys",
    "AgrestiCoull": "plus_four",  # the R package adds 2 and 2 whatever alpha
    "Wald": "wald",
    "Wald_CC": "wald_cc",
}


@pytest.fixture(scope="module")
def expected(refdata):
    return pd.read_csv(refdata_file(refdata, "proportion_ci/expected_1x2_CIs.csv"))


@pytest.mark.parametrize("published", sorted(METHODS))
def test_pinned_to_contingencytables(expected, published):
    row = expected.loc[expected["method"] == published].iloc[0]
    lo, hi = proportion_ci(
        int(row["X"]), int(row["n"]), METHODS[published], ci=1 - float(row["alpha"])
    )
    assert round(lo, 4) == pytest.approx(row["expected_lower"], abs=1e-9)
    assert round(hi, 4) == pytest.approx(row["expected_upper"], abs=1e-9)


def test_published_headline_values():
    assert tuple(round(v, 4) for v in proportion_ci(13, 16, "wilson")) == (0.5699, 0.9341)
    assert tuple(round(v, 4) for v in proportion_ci(13, 16, "clopper_pearson")) == (
        0.5435,
        0.9595,
    )
    assert tuple(round(v, 4) for v in proportion_ci(13, 16, "jeffreys")) == (0.5792, 0.9442)


def test_agresti_coull_adds_z_squared():
    z = stats.norm.ppf(0.975)
    nt = 16 + z**2
    pt = (13 + z**2 / 2) / nt
    half = z * np.sqrt(pt * (1 - pt) / nt)
    assert proportion_ci(13, 16, "agresti_coull") == pytest.approx((pt - half, pt + half))


def test_clopper_pearson_matches_scipy_binomtest():
    for k, n in [(0, 7), (3, 7), (7, 7), (40, 123)]:
        ref = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
        assert proportion_ci(k, n, "clopper_pearson") == pytest.approx(
            (ref.low, ref.high), abs=1e-12
        )


def test_wilson_matches_scipy_binomtest():
    for k, n in [(0, 7), (3, 7), (7, 7), (40, 123)]:
        ref = stats.binomtest(k, n).proportion_ci(0.9, method="wilson")
        assert proportion_ci(k, n, "wilson", ci=0.9) == pytest.approx(
            (ref.low, ref.high), abs=1e-12
        )


def test_vectorised_series_and_zero_n():
    k = pd.Series([13, 0, 5])
    n = pd.Series([16, 0, 5])
    lo, hi = proportion_ci(k, n)
    assert isinstance(lo, np.ndarray) and lo.shape == (3,)
    assert np.isnan(lo[1]) and np.isnan(hi[1])
    assert lo[0] == pytest.approx(proportion_ci(13, 16)[0])
    assert hi[2] == pytest.approx(1.0)
    k = np.arange(1, 10)
    for method in ["wilson", "clopper_pearson", "jeffreys", "wald", "wilson_cc", "plus_four"]:
        lo, hi = proportion_ci(k, 10, method)
        assert np.all(lo < k / 10) and np.all(hi > k / 10)
        assert np.all((lo >= 0) & (hi <= 1))


def test_bad_input_messages():
    with pytest.raises(InputError, match="unknown confidence-interval method 'exact'"):
        proportion_ci(1, 2, "exact")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="0 <= k <= n; found k=5, n=3"):
        proportion_ci(5, 3)
    with pytest.raises(InputError, match="ci must be between 0 and 1"):
        proportion_ci(1, 2, ci=95)


def test_two_proportion_z_equals_chi_square():
    res = two_proportion_test([56, 10], [70, 40], [48, 25], [80, 50])
    for i, (k1, n1, k2, n2) in enumerate([(56, 70, 48, 80), (10, 40, 25, 50)]):
        table = np.array([[k1, n1 - k1], [k2, n2 - k2]])
        chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
        assert res["z"].iloc[i] ** 2 == pytest.approx(chi2)
        assert res["p"].iloc[i] == pytest.approx(p)
        assert res["diff"].iloc[i] == pytest.approx(k2 / n2 - k1 / n1)


def test_newcombe_published_example():
    # Newcombe (1998), Table II example (a): 56/70 vs 48/80 -> difference 0.2,
    # method 10 interval 0.0524 to 0.3339 (we report p2 - p1, so the signs flip).
    res = two_proportion_test(48, 80, 56, 70)
    assert round(res["ci_lo"].iloc[0], 4) == 0.0524
    assert round(res["ci_hi"].iloc[0], 4) == 0.3339


def test_two_proportion_degenerate():
    res = two_proportion_test([5, 0], [5, 0], [7, 2], [7, 4])
    assert np.isnan(res["p"]).all()
    assert np.isnan(res["diff"].iloc[1])
