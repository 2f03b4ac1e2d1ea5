"""Tests for pmqa_analysis.stats.items, pinned to published figures and cross-checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file
from scipy import stats

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.dimensions import dimension_summary
from pmqa_analysis.stats.item_summary import item_summary, likert_table
from pmqa_analysis.stats.items import PreparedItems, level_counts, prepare_items
from pmqa_analysis.stats.summary_figures import mean_interval, wilson_interval

LIKERT_EN = ("Strongly Disagree", "Disagree", "Neutral", "Agree", "Strongly Agree")


@dataclass(frozen=True)
class _Scale:
    scores: tuple[int, ...] = (1, 2, 3, 4, 5)
    labels_en: tuple[str, ...] = LIKERT_EN


def _random_survey(seed: int = 7, n: int = 600, k: int = 6, missing: float = 0.1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = {
        "unit_code": rng.choice(["U1", "U2", "U3", "U4"], n),
        "year": rng.choice([2566, 2567], n),
    }
    for j in range(k):
        x = rng.integers(1, 6, n).astype(float)
        x[rng.random(n) < missing] = np.nan
        data[f"Q{j + 1}"] = x
    return pd.DataFrame(data)


ITEMS = [f"Q{j + 1}" for j in range(6)]
QUESTIONNAIRE = pd.DataFrame(
    {"item_code": ITEMS, "dimension_code": ["PROC", "PROC", "STAFF", "STAFF", "STAFF", "PLACE"]}
)


# ------------------------------------------------------------------ published figures


def test_mass_reproduces_math_anxiety_table(refdata: Path) -> None:
    raw = pd.read_csv(refdata_file(refdata, "likert/mass.csv"))
    published = pd.read_csv(refdata_file(refdata, "likert/MathAnxiety.csv"))
    items = [c for c in raw.columns if c != "Gender"]
    codes = {label: i + 1 for i, label in enumerate(LIKERT_EN)}
    scores = raw[items].apply(lambda col: col.map(codes))
    assert scores.notna().all().all(), "every label of mass.csv maps to a score"
    ours = likert_table(scores, items, scale=_Scale(), language="en")
    assert list(ours.columns) == list(published.columns)
    assert ours["Item"].tolist() == published["Item"].tolist()
    np.testing.assert_allclose(
        ours[list(LIKERT_EN)].to_numpy(), published[list(LIKERT_EN)].to_numpy(), rtol=0, atol=1e-9
    )
    row = ours.set_index("Item").loc["I find math interesting."]
    assert row.tolist() == pytest.approx([10, 15, 10, 35, 30])


def test_item_summary_percentages_match_math_anxiety(refdata: Path) -> None:
    raw = pd.read_csv(refdata_file(refdata, "likert/mass.csv"))
    published = pd.read_csv(refdata_file(refdata, "likert/MathAnxiety.csv")).set_index("Item")
    items = [c for c in raw.columns if c != "Gender"]
    codes = {label: i + 1 for i, label in enumerate(LIKERT_EN)}
    scores = raw[items].apply(lambda col: col.map(codes))
    out = item_summary(scores, items).set_index("item_code")
    pct = out[[f"pct_{s}" for s in range(1, 6)]].to_numpy()
    np.testing.assert_allclose(pct, published.loc[items].to_numpy(), rtol=0, atol=1e-9)
    assert (out["n"] == 20).all()


def test_wilson_matches_published_interval(refdata: Path) -> None:
    table = pd.read_csv(refdata_file(refdata, "proportion_ci/expected_1x2_CIs.csv"))
    row = table.set_index("method").loc["Wilson_score"]
    lo, hi = wilson_interval(row["X"], row["n"], 1 - row["alpha"])
    assert round(float(lo), 4) == row["expected_lower"] == 0.5699
    assert round(float(hi), 4) == row["expected_upper"] == 0.9341


def test_wilson_vectorised_matches_closed_form() -> None:
    x = np.array([0, 1, 7, 13, 20])
    n = np.array([20, 20, 20, 16, 20])
    z = stats.norm.ppf(0.975)
    lo, hi = wilson_interval(x, n)
    for i in range(len(x)):
        p = x[i] / n[i]
        centre = (p + z**2 / (2 * n[i])) / (1 + z**2 / n[i])
        half = z / (1 + z**2 / n[i]) * np.sqrt(p * (1 - p) / n[i] + z**2 / (4 * n[i] ** 2))
        assert lo[i] == pytest.approx(max(centre - half, 0.0), abs=1e-12)
        assert hi[i] == pytest.approx(min(centre + half, 1.0), abs=1e-12)
    lo0, hi0 = wilson_interval(0, 0)
    assert np.isnan(lo0) and np.isnan(hi0)


# ------------------------------------------------------------------ cross-checks


def test_item_summary_matches_pandas_per_group() -> None:
    df = _random_survey()
    out = item_summary(df, ITEMS, by="unit_code")
    assert list(out.columns[:2]) == ["unit_code", "item_code"]
    assert len(out) == 4 * len(ITEMS)
    for (unit, item), row in out.set_index(["unit_code", "item_code"]).iterrows():
        col = df.loc[df["unit_code"] == unit, item]
        assert row["n"] == col.count()
        assert row["mean"] == pytest.approx(col.mean(), rel=1e-12)
        assert row["sd"] == pytest.approx(col.std(ddof=1), rel=1e-12)
        assert row["median"] == col.median()
        shares = col.value_counts(normalize=True) * 100
        for s in range(1, 6):
            assert row[f"pct_{s}"] == pytest.approx(shares.get(float(s), 0.0), abs=1e-12)
            assert row[f"count_{s}"] == (col == s).sum()
        assert row["top2_pct"] == pytest.approx(((col >= 4).sum() / col.count()) * 100)
        assert row["bottom2_pct"] == pytest.approx(((col <= 2).sum() / col.count()) * 100)
        assert row["mean_pct"] == pytest.approx(col.mean() / 5 * 100)
        lo, hi = wilson_interval((col >= 4).sum(), col.count())
        assert (row["top2_lo"], row["top2_hi"]) == pytest.approx((lo * 100, hi * 100))


def test_by_unit_equals_each_unit_alone() -> None:
    df = _random_survey(seed=3)
    together = item_summary(df, ITEMS, by="unit_code", questionnaire=QUESTIONNAIRE)
    for unit, part in df.groupby("unit_code"):
        alone = item_summary(part, ITEMS, questionnaire=QUESTIONNAIRE)
        mine = together[together["unit_code"] == unit].drop(columns="unit_code")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone)


def test_two_grouping_columns_and_missing_keys() -> None:
    df = _random_survey(seed=5)
    df.loc[df.index[:10], "year"] = np.nan
    out = item_summary(df, ITEMS[:2], by=["unit_code", "year"])
    kept = df.dropna(subset=["year"])
    expected = kept.groupby(["unit_code", "year"])[ITEMS[:2]].agg(["count", "mean"])
    assert len(out) == len(expected) * 2
    for (unit, year), row in expected.iterrows():
        mine = out[(out["unit_code"] == unit) & (out["year"] == year)].set_index("item_code")
        for item in ITEMS[:2]:
            assert mine.loc[item, "n"] == row[(item, "count")]
            assert mine.loc[item, "mean"] == pytest.approx(row[(item, "mean")])


def test_level_nobody_chose_shows_zero() -> None:
    df = pd.DataFrame({"Q1": [4.0, 5.0, 5.0, np.nan], "Q2": [1.0, 1.0, 2.0, 2.0]})
    out = item_summary(df, ["Q1", "Q2"]).set_index("item_code")
    assert out.loc["Q1", "count_1"] == 0 and out.loc["Q1", "pct_3"] == 0.0
    assert out.loc["Q2", "pct_5"] == 0.0 and out.loc["Q2", "count_5"] == 0
    assert [c for c in out.columns if c.startswith("pct_")] == [f"pct_{s}" for s in range(1, 6)]
    counts, _ = level_counts(df, ["Q1", "Q2"])
    assert counts[0].tolist() == [[0, 2], [0, 2], [0, 0], [1, 0], [2, 0]]


def test_all_ones_weights_equal_unweighted() -> None:
    df = _random_survey(seed=11).assign(w=1.0)
    plain = item_summary(df, ITEMS, by="unit_code")
    weighted = item_summary(df, ITEMS, by="unit_code", weights="w")
    assert (weighted["n_weighted"] == weighted["n"]).all()
    pd.testing.assert_frame_equal(weighted.drop(columns="n_weighted"), plain)


def test_weighted_mean_and_percentages() -> None:
    df = pd.DataFrame({"Q1": [1.0, 5.0, 5.0, np.nan], "w": [3.0, 1.0, 2.0, 4.0]})
    row = item_summary(df, ["Q1"], weights="w").iloc[0]
    assert row["n"] == 3 and row["n_weighted"] == 6.0
    assert row["mean"] == pytest.approx(np.average([1, 5, 5], weights=[3, 1, 2]))
    assert row["pct_5"] == pytest.approx(50.0) and row["pct_1"] == pytest.approx(50.0)
    assert row["median"] == 3.0


def test_inputs_not_mutated() -> None:
    df = _random_survey(seed=2)
    q = QUESTIONNAIRE.copy()
    before, q_before = df.copy(deep=True), q.copy(deep=True)
    item_summary(df, by="unit_code", questionnaire=q, min_cell=30)
    dimension_summary(df, q, by="unit_code")
    likert_table(df, ITEMS)
    pd.testing.assert_frame_equal(df, before)
    pd.testing.assert_frame_equal(q, q_before)


def test_default_items_skip_group_and_profile_columns() -> None:
    df = _random_survey(seed=4).assign(fiscal_year=2567, weight=1.0)
    out = item_summary(df, by=["unit_code", "year"])
    assert out["item_code"].unique().tolist() == ITEMS
    assert (
        item_summary(df, questionnaire=QUESTIONNAIRE.iloc[::-1])["item_code"].tolist()
        == (ITEMS[::-1])
    )


def test_rank_within_dimension_ties_share_min_rank() -> None:
    df = pd.DataFrame(
        {
            "Q1": [5.0, 4.0], "Q2": [4.0, 5.0], "Q3": [2.0, 2.0],
            "Q4": [5.0, 5.0], "Q5": [1.0, 3.0], "Q6": [3.0, 3.0],
        }
    )  # fmt: skip
    out = item_summary(df, questionnaire=QUESTIONNAIRE, language="en").set_index("item_code")
    # PROC: Q1 4.5, Q2 4.5 -> tie at 1; STAFF: Q4 5 > Q3 2 = Q5 2; PLACE: Q6 alone
    assert out["rank"].tolist() == [1, 1, 2, 1, 2, 1]
    assert out["dimension_code"].tolist() == QUESTIONNAIRE["dimension_code"].tolist()
    assert out.loc["Q1", "band"] == "High" and out.loc["Q4", "band"] == "Highest"
    overall = item_summary(df, language="en")
    assert overall["rank"].tolist() == [2, 2, 5, 1, 5, 4]


def test_min_cell_suppresses_small_groups() -> None:
    df = _random_survey(seed=9, n=200)
    df.loc[df["unit_code"] == "U4", "Q1"] = np.nan
    df.loc[df.index[df["unit_code"] == "U4"][:3], "Q1"] = 4.0
    out = item_summary(df, ["Q1", "Q2"], by="unit_code", min_cell=5).set_index(
        ["unit_code", "item_code"]
    )
    small = out.loc[("U4", "Q1")]
    assert small["n"] == 3 and bool(small["suppressed"])
    for col in ("mean", "sd", "median", "pct_4", "top2_pct", "top2_lo", "mean_pct", "band"):
        assert pd.isna(small[col]), col
    assert pd.isna(small["count_4"]) and pd.isna(small["rank"])
    big = out.loc[("U4", "Q2")]
    assert not big["suppressed"] and big["n"] >= 5 and pd.notna(big["mean"])


def test_off_scale_and_bad_inputs_raise() -> None:
    df = pd.DataFrame({"Q1": [1.0, 6.0, 3.5, np.nan], "Q2": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(InputError, match=r"item 'Q1' has 2 value\(s\) not on the scale"):
        item_summary(df, ["Q1"])
    with pytest.raises(InputError, match=r"found \[3.5, 6.0\]"):
        level_counts(df, ["Q1", "Q2"])
    with pytest.raises(InputError, match=r"column\(s\) \['Q9'\] not found"):
        item_summary(df, ["Q2", "Q9"])
    with pytest.raises(InputError, match="not in the questionnaire"):
        item_summary(df, ["Q2"], questionnaire=QUESTIONNAIRE.iloc[2:])
    with pytest.raises(InputError, match="weight"):
        item_summary(df, ["Q2"], weights=[1.0, np.nan, 1.0, 1.0])
    with pytest.raises(InputError, match="non-numeric"):
        item_summary(pd.DataFrame({"Q1": ["มาก", "น้อย"]}), ["Q1"])


def test_non_contiguous_scale() -> None:
    df = pd.DataFrame({"Q1": [0.0, 2.0, 2.0, 10.0, np.nan]})
    out = item_summary(df, ["Q1"], scale=[0, 2, 5, 10]).iloc[0]
    assert [out[f"count_{s}"] for s in (0, 2, 5, 10)] == [1, 2, 0, 1]
    assert out["mean"] == pytest.approx(3.5)
    with pytest.raises(InputError, match="not on the scale"):
        item_summary(df.assign(Q1=[1.0, 2.0, 2.0, 10.0, np.nan]), ["Q1"], scale=[0, 2, 5, 10])


# ------------------------------------------------------------------ dimensions


def _respondent_scores(df: pd.DataFrame, cols: list[str], min_answered: float) -> pd.Series:
    answered = df[cols].notna().sum(axis=1)
    score = df[cols].mean(axis=1)
    return score.where(answered >= min_answered * len(cols))


def test_dimension_summary_matches_respondent_level_pandas() -> None:
    df = _random_survey(seed=21, missing=0.3)
    out = dimension_summary(df, QUESTIONNAIRE, by="unit_code").set_index(
        ["unit_code", "dimension_code"]
    )
    dims = {"PROC": ITEMS[:2], "STAFF": ITEMS[2:5], "PLACE": ITEMS[5:], "OVERALL": ITEMS}
    for unit, part in df.groupby("unit_code"):
        for dim, cols in dims.items():
            scores = _respondent_scores(part, cols, 0.5)
            row = out.loc[(unit, dim)]
            assert row["n"] == scores.count() and row["n_items"] == len(cols)
            assert row["mean"] == pytest.approx(scores.mean(), rel=1e-12)
            assert row["sd"] == pytest.approx(scores.std(), rel=1e-12)
            assert row["median"] == pytest.approx(scores.median(), rel=1e-12)
            answers = part[cols].stack()
            assert row["top2_pct"] == pytest.approx((answers >= 4).mean() * 100)
            assert row["bottom2_pct"] == pytest.approx((answers <= 2).mean() * 100)
        ranks = out.loc[unit].loc[["PROC", "STAFF", "PLACE"], "rank"]
        means = out.loc[unit].loc[["PROC", "STAFF", "PLACE"], "mean"].round(2)
        assert ranks.tolist() == means.rank(method="min", ascending=False).astype(int).tolist()
        assert pd.isna(out.loc[(unit, "OVERALL"), "rank"])


def test_dimension_min_answered_rule() -> None:
    df = pd.DataFrame(
        {"Q1": [5.0, np.nan, np.nan], "Q2": [5.0, 4.0, np.nan], "Q3": [1.0, 2.0, np.nan],
         "Q4": [4.0, np.nan, 3.0], "Q5": [4.0, np.nan, np.nan], "Q6": [4.0, 4.0, 4.0]}
    )  # fmt: skip
    out = dimension_summary(df, QUESTIONNAIRE).set_index("dimension_code")
    # STAFF (Q3-Q5): respondents 2 and 3 answered 1 of 3 (< half) -> dropped
    assert out.loc["STAFF", "n"] == 1
    assert out.loc["STAFF", "mean"] == pytest.approx(3.0)
    # PROC (Q1-Q2): respondent 2 answered 1 of 2 (= half) -> kept with score 4
    assert out.loc["PROC", "n"] == 2 and out.loc["PROC", "mean"] == pytest.approx(4.5)
    strict = dimension_summary(df, QUESTIONNAIRE, min_answered=1.0).set_index("dimension_code")
    assert strict.loc["PROC", "n"] == 1 and strict.loc["OVERALL", "n"] == 1
    assert out.loc["OVERALL", "n"] == 2


def test_dimension_weights_all_ones_equal_unweighted() -> None:
    df = _random_survey(seed=13).assign(w=1.0)
    plain = dimension_summary(df, QUESTIONNAIRE, by="unit_code")
    weighted = dimension_summary(df, QUESTIONNAIRE, by="unit_code", weights="w")
    pd.testing.assert_frame_equal(weighted.drop(columns="n_weighted"), plain)


def test_likert_table_by_group_uses_group_column() -> None:
    df = _random_survey(seed=1)
    out = likert_table(df, ITEMS[:2], by="unit_code")
    assert list(out.columns) == ["Group", "Item", "1", "2", "3", "4", "5"]
    assert np.allclose(out[["1", "2", "3", "4", "5"]].sum(axis=1), 100.0)


# ------------------------------------------------------------------ prepared data


def test_prepared_items_give_the_frame_results() -> None:
    df = _random_survey(seed=31, n=900, missing=0.2).assign(
        w=np.random.default_rng(31).uniform(0.5, 2.0, 900)
    )
    df.loc[df.index[:7], "unit_code"] = None  # rows without a group are left out
    q = QUESTIONNAIRE
    for weights in (None, "w"):
        prep = prepare_items(df, by="unit_code", weights=weights, questionnaire=q)
        assert isinstance(prep, PreparedItems) and list(prep.items) == ITEMS
        pd.testing.assert_frame_equal(
            item_summary(prep, questionnaire=q, min_cell=60),
            item_summary(df, by="unit_code", weights=weights, questionnaire=q, min_cell=60),
        )
        pd.testing.assert_frame_equal(
            item_summary(prep, ["Q5", "Q2"], language="en"),
            item_summary(df, ["Q5", "Q2"], by="unit_code", weights=weights, language="en"),
        )
        pd.testing.assert_frame_equal(
            dimension_summary(prep, q, min_answered=0.6),
            dimension_summary(df, q, by="unit_code", weights=weights, min_answered=0.6),
        )
        pd.testing.assert_frame_equal(
            likert_table(prep, ITEMS[1:3]),
            likert_table(df, ITEMS[1:3], by="unit_code", weights=weights),
        )
        counts, groups = level_counts(prep, ["Q3"], by="unit_code")
        expected, expected_groups = level_counts(df, ["Q3"], by="unit_code", weights=weights)
        np.testing.assert_array_equal(counts, expected)
        pd.testing.assert_index_equal(groups, expected_groups)
    # the prepared weights can be replaced by one weight per row
    prep = prepare_items(df, ITEMS, by="unit_code")
    pd.testing.assert_frame_equal(
        item_summary(prep, weights=df["w"].to_numpy()),
        item_summary(df, ITEMS, by="unit_code", weights="w"),
    )


def test_prepared_items_on_other_scales_and_groupings() -> None:
    df = pd.DataFrame(
        {
            "unit": ["A", "A", "B", "B", "B", "C"],
            "year": [1, 2, 1, 1, 2, 2],
            "Q1": [0.0, 2.0, 2.0, 10.0, np.nan, 5.0],
            "Q2": [10.0, 10.0, 0.0, np.nan, 2.0, 2.0],
        }
    )
    scale = [0, 2, 5, 10]
    prep = prepare_items(df, ["Q1", "Q2"], by=["unit", "year"], scale=scale)
    pd.testing.assert_frame_equal(
        item_summary(prep), item_summary(df, ["Q1", "Q2"], by=["unit", "year"], scale=scale)
    )
    ungrouped = prepare_items(df, ["Q1", "Q2"], scale=scale)
    pd.testing.assert_frame_equal(
        item_summary(ungrouped, scale=scale), item_summary(df, ["Q1", "Q2"], scale=scale)
    )


def test_prepared_items_are_a_read_only_snapshot() -> None:
    df = _random_survey(seed=33)
    before = item_summary(df, ITEMS, by="unit_code")
    prep = prepare_items(df, ITEMS, by="unit_code")
    item_summary(prep)  # fills the object's cache
    df.loc[:, "Q1"] = 5.0  # the frame changes afterwards: the snapshot does not
    pd.testing.assert_frame_equal(item_summary(prep), before)
    assert not item_summary(df, ITEMS, by="unit_code").equals(before)
    counts, _ = level_counts(prep, ITEMS)
    counts[:] = 0  # a copy: the cached counts are untouched
    pd.testing.assert_frame_equal(item_summary(prep), before)
    with pytest.raises(ValueError, match="read-only"):
        prep._codes[0, 0] = 1
    assert "PreparedItems(600 rows, 6 items, 4 group(s)" in repr(prep)


def test_prepared_items_check_the_arguments() -> None:
    df = _random_survey(seed=35).assign(w=1.0)
    prep = prepare_items(df, ITEMS[:4], by="unit_code", weights="w")
    assert item_summary(prep, by="unit_code", weights="w")["n_weighted"].notna().all()
    with pytest.raises(InputError, match=r"prepared with by=\['unit_code'\]; found by=\['year'\]"):
        item_summary(prep, by="year")
    with pytest.raises(InputError, match="prepared on the scale"):
        item_summary(prep, scale=[1, 2, 3, 4, 5, 6, 7])
    with pytest.raises(InputError, match=r"item\(s\) \['Q6'\] were not prepared"):
        item_summary(prep, ["Q1", "Q6"])
    with pytest.raises(InputError, match=r"\['Q5', 'Q6'\] were not prepared"):
        dimension_summary(prep, QUESTIONNAIRE)
    with pytest.raises(InputError, match="was not prepared"):
        item_summary(prep, weights="other")
    with pytest.raises(InputError, match="one value per row"):
        item_summary(prep, weights=[1.0, 2.0])
    with pytest.raises(InputError, match="not on the scale"):
        prepare_items(df.assign(Q1=6.0), ITEMS)


def test_mean_interval_matches_scipy_t_test_on_attitude(refdata: Path) -> None:
    """The Student-t CI of each item mean equals scipy's one-sample t-test interval."""
    data = pd.read_csv(refdata_file(refdata, "psych/attitude.csv"))
    cols = list(data.columns)
    mean = data[cols].mean().to_numpy()
    sd = data[cols].std(ddof=1).to_numpy()
    lo, hi = mean_interval(mean, sd, np.full(len(cols), len(data)))
    for j, col in enumerate(cols):
        ref = stats.ttest_1samp(data[col], 0.0).confidence_interval(0.95)
        assert lo[j] == pytest.approx(ref.low, abs=1e-9)
        assert hi[j] == pytest.approx(ref.high, abs=1e-9)
    assert np.isnan(mean_interval(3.0, 1.0, 1)[0])  # one answer: no interval


def test_item_summary_carries_the_mean_interval() -> None:
    df = pd.DataFrame({"Q1": [5, 4, 4, 3, 2, 5, 4, 4]})
    row = item_summary(df, ["Q1"]).iloc[0]
    ref = stats.ttest_1samp(df["Q1"], 0.0).confidence_interval(0.95)
    assert (row["mean_lo"], row["mean_hi"]) == pytest.approx((ref.low, ref.high))
