"""Tests of pmqa_analysis.stats.compare: pinned to pingouin/JASP, cross-checked with SciPy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file
from scipy import stats

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.compare import POSTHOC_COLUMNS, TEST_COLUMNS, compare_groups, holm

pg = pytest.importorskip("pingouin")


@pytest.fixture(scope="module")
def pain(refdata):
    return pd.read_csv(refdata_file(refdata, "pingouin/anova.csv"))


@pytest.fixture(scope="module")
def pain_result(pain):
    return compare_groups(pain, "Pain threshold", "Hair color")


def _test(res, name):
    return res.tests.set_index("test").loc[name]


def test_one_way_anova_pinned(pain_result):
    row = _test(pain_result, "anova")
    assert round(row["statistic"], 6) == 6.791407
    assert round(row["p"], 6) == 0.004114
    assert round(row["effect_size"], 6) == 0.575962
    assert (row["df1"], row["df2"], row["n"], row["n_groups"]) == (3, 15, 19, 4)


def test_welch_anova_pinned(pain_result):
    row = _test(pain_result, "welch_anova")
    assert round(row["statistic"], 6) == 5.890115
    assert round(row["df2"], 6) == 8.329841
    assert round(row["p"], 6) == 0.018813


def test_kruskal_wallis_pinned(pain_result):
    row = _test(pain_result, "kruskal_wallis")
    assert round(row["statistic"], 5) == 10.58863
    assert round(row["p"], 6) == 0.014172
    assert row["effect_size"] == pytest.approx(row["statistic"] / (19 - 1))


def test_tukey_hsd_pinned_to_jasp(pain_result):
    gh = pain_result.posthoc[pain_result.posthoc["test"] == "games_howell"]
    # pairs of the sorted hair colours: DB-DBr, DB-LB, DB-LBr, DBr-LB, DBr-LBr, LB-LBr
    assert gh[["group_a", "group_b"]].iloc[0].tolist() == ["Dark Blond", "Dark Brunette"]
    assert gh[["group_a", "group_b"]].iloc[5].tolist() == ["Light Blond", "Light Brunette"]
    assert gh["p_tukey"].round(4).tolist() == [0.0741, 0.4356, 0.4147, 0.0037, 0.7893, 0.0366]


def test_games_howell_matches_pingouin(pain, pain_result):
    ref = pg.pairwise_gameshowell(data=pain, dv="Pain threshold", between="Hair color")
    gh = pain_result.posthoc[pain_result.posthoc["test"] == "games_howell"]
    assert gh["group_a"].tolist() == ref["A"].tolist()
    assert gh["statistic"].to_numpy() == pytest.approx(ref["T"].to_numpy(), rel=1e-8)
    assert gh["p"].to_numpy() == pytest.approx(ref["pval"].to_numpy(), rel=1e-8)
    assert gh["effect_size"].to_numpy() == pytest.approx(ref["hedges"].to_numpy(), rel=1e-8)
    assert (gh["p_adj"] == gh["p"]).all()


def _random_groups(seed, k, sizes=None, discrete=True):
    rng = np.random.default_rng(seed)
    sizes = sizes or rng.integers(8, 40, size=k)
    rows = []
    for g, n in enumerate(sizes):
        x = rng.integers(1, 6, size=n) if discrete else rng.normal(3 + 0.3 * g, 1 + g / 3, n)
        rows.append(pd.DataFrame({"grp": f"G{g}", "y": x.astype(float)}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_groups_match_scipy_and_pingouin(seed):
    df = _random_groups(seed, 2)
    a = df.loc[df["grp"] == "G0", "y"].to_numpy()
    b = df.loc[df["grp"] == "G1", "y"].to_numpy()
    res = compare_groups(df, "y", "grp")
    welch = _test(res, "welch_t")
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert welch["statistic"] == pytest.approx(ref.statistic, rel=1e-8)
    assert welch["p"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert welch["df1"] == pytest.approx(ref.df, rel=1e-8)
    g = pg.compute_effsize(a, b, paired=False, eftype="hedges")
    assert welch["effect_size"] == pytest.approx(g, rel=1e-8)
    mwu = _test(res, "mann_whitney_u")
    ref_u = stats.mannwhitneyu(a, b, method="asymptotic")
    assert mwu["statistic"] == pytest.approx(ref_u.statistic, rel=1e-8)
    assert mwu["p"] == pytest.approx(ref_u.pvalue, rel=1e-8)
    # sign: positive when G0 (group_a) tends to be larger
    greater = np.mean(a[:, None] > b[None, :]) - np.mean(a[:, None] < b[None, :])
    assert mwu["effect_size"] == pytest.approx(greater, rel=1e-8)
    assert mwu["effect_size"] == pytest.approx(1 - 2 * (a.size * b.size - ref_u.statistic)
                                               / (a.size * b.size), rel=1e-8)  # fmt: skip


def test_rank_biserial_sign_is_stated():
    df = pd.DataFrame({"g": ["hi"] * 5 + ["lo"] * 5, "y": [5, 5, 4, 5, 4, 1, 2, 1, 2, 3.0]})
    res = compare_groups(df, "y", "g")
    assert _test(res, "mann_whitney_u")["effect_size"] == 1.0
    assert _test(res, "welch_t")["effect_size"] > 0


@pytest.mark.parametrize("seed", [4, 5])
def test_many_groups_match_scipy_and_pingouin(seed):
    df = _random_groups(seed, 4, discrete=seed == 4)
    samples = [df.loc[df["grp"] == g, "y"].to_numpy() for g in sorted(df["grp"].unique())]
    res = compare_groups(df, "y", "grp")
    f = stats.f_oneway(*samples)
    assert _test(res, "anova")["statistic"] == pytest.approx(f.statistic, rel=1e-8)
    assert _test(res, "anova")["p"] == pytest.approx(f.pvalue, rel=1e-8)
    kw = stats.kruskal(*samples)
    assert _test(res, "kruskal_wallis")["statistic"] == pytest.approx(kw.statistic, rel=1e-8)
    assert _test(res, "kruskal_wallis")["p"] == pytest.approx(kw.pvalue, rel=1e-8)
    w = pg.welch_anova(data=df, dv="y", between="grp")
    assert _test(res, "welch_anova")["statistic"] == pytest.approx(w["F"].iloc[0], rel=1e-8)
    assert _test(res, "welch_anova")["df2"] == pytest.approx(w["ddof2"].iloc[0], rel=1e-8)
    assert _test(res, "welch_anova")["p"] == pytest.approx(w["p_unc"].iloc[0], rel=1e-8)
    gh = pg.pairwise_gameshowell(data=df, dv="y", between="grp")
    mine = res.posthoc[res.posthoc["test"] == "games_howell"]
    assert mine["p"].to_numpy() == pytest.approx(gh["pval"].to_numpy(), rel=1e-8)
    tk = stats.tukey_hsd(*samples).pvalue
    assert mine["p_tukey"].to_numpy() == pytest.approx(tk[np.triu_indices(4, 1)], rel=1e-8)


def test_dunn_with_two_groups_equals_kruskal_wallis():
    df = _random_groups(7, 2)
    res = compare_groups(df, "y", "grp")
    dunn = res.posthoc[res.posthoc["test"] == "dunn"].iloc[0]
    samples = [df.loc[df["grp"] == g, "y"] for g in ("G0", "G1")]
    kw = stats.kruskal(*samples)
    assert dunn["statistic"] ** 2 == pytest.approx(kw.statistic, rel=1e-8)
    assert dunn["p"] == pytest.approx(kw.pvalue, rel=1e-8)


def test_dunn_holm_adjustment(pain_result):
    dunn = pain_result.posthoc[pain_result.posthoc["test"] == "dunn"]
    assert dunn["p_adj"].to_numpy() == pytest.approx(holm(dunn["p"].to_numpy()))
    # Dunn's z for Dark Brunette vs Light Blond by hand: rank sums 23 and 76 of 5 each,
    # tie-corrected variance n(n+1)/12 - sum(t^3 - t)/(12(n-1)), one tie (41 twice)
    var = 19 * 20 / 12 - 6 / (12 * 18)
    z = (23 / 5 - 76 / 5) / np.sqrt(var * (1 / 5 + 1 / 5))
    row = dunn[(dunn["group_a"] == "Dark Brunette") & (dunn["group_b"] == "Light Blond")]
    assert row["statistic"].iloc[0] == pytest.approx(z, rel=1e-10)


def test_holm_against_hand_computation():
    p = np.array([0.01, 0.02, 0.03, 0.04, 0.005])
    # sorted 0.005, 0.01, 0.02, 0.03, 0.04 -> x5, x4, x3, x2, x1 with monotonicity
    assert holm(p).tolist() == pytest.approx([0.04, 0.06, 0.06, 0.06, 0.025])
    assert np.isnan(holm([np.nan])).all()


def test_small_groups_dropped_with_note_and_missing_rows():
    df = pd.DataFrame({"g": ["a", "a", "b", "b", "b", "c", None], "y": [1, 2, 3, 4, np.nan, 5, 1]})
    res = compare_groups(df, "y", "g", method="nonparametric")
    assert res.groups["group"].tolist() == ["a", "b"]
    assert any("group 'c' was dropped: it has 1 value(s)" in n for n in res.notes)
    assert any("2 row(s) with a missing" in n for n in res.notes)
    assert res.tests["test"].tolist() == ["mann_whitney_u"]
    assert list(res.tests.columns) == TEST_COLUMNS
    assert list(res.posthoc.columns) == POSTHOC_COLUMNS


def test_categorical_order_is_respected():
    df = pd.DataFrame({"g": ["low"] * 4 + ["high"] * 4, "y": [1, 2, 1, 2, 4, 5, 4, 5.0]})
    df["g"] = pd.Categorical(df["g"], categories=["low", "high"])
    res = compare_groups(df, "y", "g", method="parametric", posthoc=False)
    assert res.groups["group"].tolist() == ["low", "high"]
    assert _test(res, "welch_t")["effect_size"] < 0
    assert res.posthoc.empty


def test_input_not_mutated(pain):
    before = pain.copy()
    compare_groups(pain, "Pain threshold", "Hair color")
    pd.testing.assert_frame_equal(pain, before)


def test_errors_name_the_problem():
    df = pd.DataFrame({"g": ["a", "a", "b"], "y": [1.0, 2.0, 3.0], "t": ["x", "y", "z"]})
    with pytest.raises(InputError, match="column 'score' not found in data"):
        compare_groups(df, "score", "g")
    with pytest.raises(InputError, match="'t' must hold numeric scores"):
        compare_groups(df, "t", "g")
    with pytest.raises(InputError, match=r"need at least 2 groups of 'g'.*found 1"):
        compare_groups(df, "y", "g")
    with pytest.raises(InputError, match="unknown method 'anova'"):
        compare_groups(df, "y", "g", method="anova")  # type: ignore[arg-type]
