"""Tests for pmqa_analysis.stats.reliability, pinned to pingouin's and psych's published figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.items import prepare_items
from pmqa_analysis.stats.reliability import AlphaResult, cronbach_alpha, item_analysis


def _wide_missing(refdata: Path) -> pd.DataFrame:
    path = refdata_file(refdata, "pingouin/cronbach_wide_missing.csv")
    return pd.read_csv(path, encoding="utf-8-sig")


def test_long_format_matches_pingouin(refdata: Path) -> None:
    data = pd.read_csv(refdata_file(refdata, "pingouin/cronbach_alpha.csv"))
    res = cronbach_alpha(data, subject="Subj", item="Items", score="Scores")
    assert isinstance(res, AlphaResult)
    assert res.alpha == pytest.approx(0.5917188485995826, abs=1e-12)
    assert tuple(round(v, 3) for v in res.ci) == (0.195, 0.840)
    assert (res.n, res.n_items, res.nan_policy) == (15, 10, "pairwise")


def test_wide_missing_pairwise_matches_pingouin(refdata: Path) -> None:
    res = cronbach_alpha(_wide_missing(refdata))
    assert isinstance(res, AlphaResult)
    assert res.alpha == pytest.approx(0.732660835214447, abs=1e-12)
    assert tuple(round(v, 3) for v in res.ci) == (0.435, 0.909)
    assert res.n == 12 and res.n_complete == 9


def test_wide_missing_listwise_matches_pingouin(refdata: Path) -> None:
    res = cronbach_alpha(_wide_missing(refdata), nan_policy="listwise")
    assert isinstance(res, AlphaResult)
    assert res.alpha == pytest.approx(0.8016949152542373, abs=1e-12)
    assert tuple(round(v, 3) for v in res.ci) == (0.581, 0.933)


def test_attitude_matches_psych(refdata: Path) -> None:
    data = pd.read_csv(refdata_file(refdata, "psych/attitude.csv"))
    items = [c for c in data.columns if c != "rownames"]
    assert len(items) == 7
    res = cronbach_alpha(data, items)
    assert isinstance(res, AlphaResult)
    assert round(res.alpha, 7) == 0.8431428


def test_item_analysis_matches_pingouin_and_numpy_on_bfi(refdata: Path) -> None:
    pg = pytest.importorskip("pingouin")
    bfi = pd.read_csv(refdata_file(refdata, "psych/bfi.csv"))
    items = ["A1", "A2", "A3", "A4", "A5"]
    assert bfi[items].isna().any().any(), "bfi has missing answers: pairwise is exercised"
    out = item_analysis(bfi, items).set_index("item_code")
    for item in items:
        rest = [c for c in items if c != item]
        expected = pg.cronbach_alpha(bfi[rest])[0]
        assert out.loc[item, "alpha_if_deleted"] == pytest.approx(expected, abs=1e-12)
        assert out.loc[item, "n"] == bfi[item].count()
        assert out.loc[item, "mean"] == pytest.approx(bfi[item].mean(), rel=1e-12)
        assert out.loc[item, "sd"] == pytest.approx(bfi[item].std(), rel=1e-12)
    complete = bfi[items].dropna()
    listwise = item_analysis(bfi, items, nan_policy="listwise").set_index("item_code")
    total = complete.sum(axis=1)
    for item in items:
        r_rest = np.corrcoef(complete[item], total - complete[item])[0, 1]
        r_total = np.corrcoef(complete[item], total)[0, 1]
        assert listwise.loc[item, "item_rest_r"] == pytest.approx(r_rest, abs=1e-12)
        assert listwise.loc[item, "item_total_r"] == pytest.approx(r_total, abs=1e-12)
        expected = pg.cronbach_alpha(complete.drop(columns=item))[0]
        assert listwise.loc[item, "alpha_if_deleted"] == pytest.approx(expected, abs=1e-12)
        assert listwise.loc[item, "n"] == len(complete)


def test_pairwise_alpha_matches_pingouin_on_bfi(refdata: Path) -> None:
    pg = pytest.importorskip("pingouin")
    bfi = pd.read_csv(refdata_file(refdata, "psych/bfi.csv"))
    items = [f"C{i}" for i in range(1, 6)]
    res = cronbach_alpha(bfi, items)
    expected, ci = pg.cronbach_alpha(bfi[items])
    assert isinstance(res, AlphaResult)
    assert res.alpha == pytest.approx(expected, abs=1e-12)
    assert tuple(round(v, 3) for v in res.ci) == tuple(ci)


def test_by_group_equals_one_group_at_a_time(refdata: Path) -> None:
    bfi = pd.read_csv(refdata_file(refdata, "psych/bfi.csv"))
    items = [f"N{i}" for i in range(1, 6)]
    for policy in ("pairwise", "listwise"):
        together = cronbach_alpha(bfi, items, nan_policy=policy, by="education")
        assert isinstance(together, pd.DataFrame)
        assert together["education"].tolist() == sorted(bfi["education"].dropna().unique())
        for _, row in together.iterrows():
            part = bfi[bfi["education"] == row["education"]]
            alone = cronbach_alpha(part, items, nan_policy=policy)
            assert isinstance(alone, AlphaResult)
            assert row["alpha"] == pytest.approx(alone.alpha, abs=1e-12)
            assert (row["ci_lo"], row["ci_hi"]) == pytest.approx(alone.ci, abs=1e-12)
            assert row["n"] == alone.n == len(part)
        per_item = item_analysis(bfi, items, nan_policy=policy, by=["gender", "education"])
        part = bfi[(bfi["gender"] == 2) & (bfi["education"] == 3)]
        alone_items = item_analysis(part, items, nan_policy=policy)
        mine = per_item[(per_item["gender"] == 2) & (per_item["education"] == 3)]
        pd.testing.assert_frame_equal(
            mine.drop(columns=["gender", "education"]).reset_index(drop=True),
            alone_items,
            rtol=1e-10,
        )


def test_inputs_not_mutated_and_long_by_group() -> None:
    rng = np.random.default_rng(0)
    long = pd.DataFrame(
        {
            "unit": np.repeat(["A", "B"], 40),
            "subj": np.repeat(np.arange(20), 4),
            "item": np.tile(["q1", "q2", "q3", "q4"], 20),
            "score": rng.integers(1, 6, 80).astype(float),
        }
    )
    before = long.copy()
    out = cronbach_alpha(long, by="unit", subject="subj", item="item", score="score")
    pd.testing.assert_frame_equal(long, before)
    assert isinstance(out, pd.DataFrame) and out["n"].tolist() == [10, 10]
    wide_a = long[long["unit"] == "A"].pivot(index="subj", columns="item", values="score")
    alone = cronbach_alpha(wide_a)
    assert isinstance(alone, AlphaResult)
    assert out.loc[0, "alpha"] == pytest.approx(alone.alpha)


def test_errors_are_explained() -> None:
    df = pd.DataFrame({"Q1": [1.0, 2.0, 3.0], "Q2": [2.0, 2.0, 4.0]})
    with pytest.raises(InputError, match="nan_policy must be 'pairwise' or 'listwise'"):
        cronbach_alpha(df, nan_policy="drop")
    with pytest.raises(InputError, match="at least 2 items; found 1"):
        cronbach_alpha(df, ["Q1"])
    with pytest.raises(InputError, match="needs all of subject=, item= and score="):
        cronbach_alpha(df, subject="Q1")
    with pytest.raises(InputError, match="not numeric"):
        cronbach_alpha(df.assign(Q3=["a", "b", "c"]), ["Q1", "Q3"])
    dup = pd.DataFrame({"s": [1, 1], "i": ["a", "a"], "x": [1, 2]})
    with pytest.raises(InputError, match="more than once"):
        cronbach_alpha(dup, subject="s", item="i", score="x")


# ------------------------------------------------------------------ prepared data


def _survey(scores: list[int], seed: int, n: int = 3000, k: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    trait = rng.normal(0.0, 1.0, n)
    data: dict[str, object] = {
        "unit": rng.choice(["A", "B", "C", "D"], n),
        "year": rng.choice([2566, 2567], n),
    }
    levels = np.asarray(scores, dtype=float)
    for j in range(k):
        pos = np.clip(np.rint((trait + rng.normal(0, 1, n)) * 1.2 + len(scores) / 2), 0, None)
        x = levels[np.minimum(pos.astype(int), len(scores) - 1)]
        x[rng.random(n) < 0.08] = np.nan
        data[f"Q{j + 1}"] = x
    df = pd.DataFrame(data)
    df.loc[df.index[:3], "unit"] = None  # no group: left out
    df.loc[df.index[3:6], "Q1"] = np.nan  # a group "E" of one row below
    return df


@pytest.mark.parametrize(
    "scores",
    [[1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 4, 5], [0, 500, 1000]],
)
def test_prepared_data_give_the_frame_figures(scores: list[int]) -> None:
    df = _survey(scores, seed=len(scores))
    df.loc[df.index[-1], "unit"] = "E"
    items = [f"Q{j}" for j in range(1, 6)]
    for by in ("unit", ["unit", "year"], None):
        prep = prepare_items(df, items, by=by, scale=scores)
        for policy in ("pairwise", "listwise"):
            for cols in (None, ["Q4", "Q1", "Q2"]):
                mine = cronbach_alpha(prep, cols, nan_policy=policy)
                frame = cronbach_alpha(df, cols or items, nan_policy=policy, by=by)
                if by is None:
                    assert isinstance(mine, AlphaResult) and isinstance(frame, AlphaResult)
                    assert mine.alpha == pytest.approx(frame.alpha, rel=1e-10)
                    assert mine.ci == pytest.approx(frame.ci, rel=1e-10)
                    assert (mine.n, mine.n_complete) == (frame.n, frame.n_complete)
                else:
                    pd.testing.assert_frame_equal(mine, frame, rtol=1e-10)
                pd.testing.assert_frame_equal(
                    item_analysis(prep, cols, nan_policy=policy),
                    item_analysis(df, cols or items, nan_policy=policy, by=by),
                    rtol=1e-10,
                )


def test_prepared_alpha_and_item_analysis_share_one_pass() -> None:
    df = _survey([1, 2, 3, 4, 5], seed=3)
    prep = prepare_items(df, [f"Q{j}" for j in range(1, 6)], by="unit")
    alpha = cronbach_alpha(prep, by="unit")
    items = item_analysis(prep)
    assert isinstance(alpha, pd.DataFrame) and len(items) == 5 * len(alpha)
    assert [key for key in prep._cache if key[0] == "moments"] == [
        ("moments", (0, 1, 2, 3, 4), False)
    ]
    with pytest.raises(InputError, match="prepared data are already wide"):
        cronbach_alpha(prep, subject="s", item="i", score="x")
    with pytest.raises(InputError, match="prepared with by"):
        item_analysis(prep, by="year")
    with pytest.raises(InputError, match="at least 2 items"):
        cronbach_alpha(prep, ["Q1"])


def test_prepared_blocks_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    df = _survey([1, 2, 3, 4, 5], seed=5, n=5000)
    items = [f"Q{j}" for j in range(1, 6)]
    prep = prepare_items(df, items, by="unit")
    monkeypatch.setattr("pmqa_analysis.stats.reliability._GRAM_ROWS", 100)  # many blocks per group
    for policy in ("pairwise", "listwise"):
        pd.testing.assert_frame_equal(
            item_analysis(prep, nan_policy=policy),
            item_analysis(df, items, nan_policy=policy, by="unit"),
            rtol=1e-10,
        )
