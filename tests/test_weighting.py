"""Tests of pmqa_analysis.stats.weighting, pinned to R's survey package (api data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.weighting import (
    SurveyDesign,
    weighted_mean,
    weighted_proportion,
    weighted_total,
)

STRAT = SurveyDesign(weights="pw", strata="stype", fpc="fpc")
CLUS1 = SurveyDesign(weights="pw", clusters="dnum", fpc="fpc")


@pytest.fixture(scope="module")
def apistrat(refdata):
    return pd.read_csv(refdata_file(refdata, "survey/apistrat.csv"))


@pytest.fixture(scope="module")
def apiclus1(refdata):
    return pd.read_csv(refdata_file(refdata, "survey/apiclus1.csv"))


def test_stratified_mean_pinned_to_svymean(apistrat):
    # svymean(~api00, svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat))
    res = weighted_mean(apistrat, "api00", STRAT)
    assert round(res["mean"].iloc[0], 2) == 662.29
    assert round(res["se"].iloc[0], 4) == 9.4089
    assert res["n"].iloc[0] == 200


def test_one_stage_cluster_mean_pinned_to_svymean(apiclus1):
    # svymean(~api00, svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)):
    # 644.17, SE 23.542 (survey package example-summary page)
    res = weighted_mean(apiclus1, "api00", CLUS1)
    assert round(res["mean"].iloc[0], 2) == 644.17
    assert round(res["se"].iloc[0], 3) == 23.542


def test_one_stage_cluster_total_pinned(apiclus1):
    # svytotal(~enroll, dclus1): 3404940.13, SE 932235.03 (svrep's calibrate_to_sample
    # example, JK1 replicates of dclus1; the jackknife equals linearisation for a total)
    res = weighted_total(apiclus1, "enroll", CLUS1)
    assert round(res["total"].iloc[0], 2) == 3404940.13
    assert round(res["se"].iloc[0], 2) == 932235.03


def test_domain_means_pinned_to_svyby(apiclus1):
    # srvyr: as_survey_design(apiclus1, dnum, weights = pw, fpc = fpc) |> group_by(stype)
    # |> summarize(survey_mean(api00)): E 648.8681 (22.4), H 618.5714 (38.0), M 631.44 (31.6)
    res = weighted_mean(apiclus1, "api00", CLUS1, by="stype")
    assert res["stype"].tolist() == ["E", "H", "M"]
    assert res["mean"].round(4).tolist() == [648.8681, 618.5714, 631.4400]
    assert res["se"].round(1).tolist() == [22.4, 38.0, 31.6]


def test_stratified_domains_equal_within_stratum_estimates(apistrat):
    # a domain that is a whole stratum: SE = SRS-without-replacement SE in that stratum
    res = weighted_mean(apistrat, "api00", STRAT, by="stype")
    for _, row in res.iterrows():
        sub = apistrat.loc[apistrat["stype"] == row["stype"], ["api00", "fpc"]]
        n, big_n = len(sub), sub["fpc"].iloc[0]
        se = np.sqrt((1 - n / big_n) * sub["api00"].var(ddof=1) / n)
        assert row["se"] == pytest.approx(se, rel=1e-10)
        assert row["mean"] == pytest.approx(sub["api00"].mean(), rel=1e-12)


def test_fpc_as_fraction_equals_fpc_as_population(apistrat):
    df = apistrat.assign(
        frac=apistrat.groupby("stype")["stype"].transform("size") / apistrat["fpc"]
    )
    a = weighted_mean(apistrat, "api00", STRAT)
    b = weighted_mean(df, "api00", SurveyDesign(weights="pw", strata="stype", fpc="frac"))
    assert b["se"].iloc[0] == pytest.approx(a["se"].iloc[0], rel=1e-12)


def test_srs_with_replacement_formula():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"y": rng.integers(1, 6, 50).astype(float), "w": rng.uniform(1, 9, 50)})
    res = weighted_mean(df, "y", SurveyDesign(weights="w"))
    w, y = df["w"].to_numpy(), df["y"].to_numpy()
    m = np.sum(w * y) / w.sum()
    z = w * (y - m) / w.sum()
    se = np.sqrt(50 / 49 * np.sum((z - z.mean()) ** 2))
    assert res["mean"].iloc[0] == pytest.approx(m, rel=1e-12)
    assert res["se"].iloc[0] == pytest.approx(se, rel=1e-12)
    assert res["ci_lo"].iloc[0] == pytest.approx(m - 1.959963984540054 * se, rel=1e-12)


def test_proportion_is_mean_of_indicator_and_skips_missing(apistrat):
    df = apistrat.assign(top=apistrat["sch.wide"].eq("Yes").astype(float))
    p = weighted_proportion(apistrat, "sch.wide", "Yes", STRAT)
    m = weighted_mean(df, "top", STRAT)
    assert p["proportion"].iloc[0] == pytest.approx(m["mean"].iloc[0], rel=1e-12)
    assert p["se"].iloc[0] == pytest.approx(m["se"].iloc[0], rel=1e-12)
    likert = pd.DataFrame({"q": [5, 4, 3, np.nan, 1], "w": [1.0, 1, 1, 5, 1]})
    res = weighted_proportion(likert, "q", [4, 5], SurveyDesign(weights="w"))
    assert res["proportion"].iloc[0] == 0.5
    assert res["n"].iloc[0] == 4


def test_inputs_not_mutated(apiclus1):
    before = apiclus1.copy()
    weighted_mean(apiclus1, "api00", CLUS1, by=["stype", "both"])
    pd.testing.assert_frame_equal(apiclus1, before)


def test_errors():
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0], "w": [1.0, 0.0, 1.0], "s": ["a", "a", "b"]})
    with pytest.raises(InputError, match=r"weights in 'w' must be numbers > 0; found 0.0"):
        weighted_mean(df, "y", SurveyDesign(weights="w"))
    df["w"] = 1.0
    with pytest.raises(InputError, match="stratum 'b' has only one primary sampling unit"):
        weighted_mean(df, "y", SurveyDesign(weights="w", strata="s"))
    with pytest.raises(InputError, match="column 'pw' not found in data"):
        weighted_mean(df, "y", SurveyDesign(weights="pw"))
    with pytest.raises(InputError, match="design must be a SurveyDesign"):
        weighted_mean(df, "y", "w")  # type: ignore[arg-type]
