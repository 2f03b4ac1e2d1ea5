"""Scoring rules, scorecards, self-assessment, committee workbook and the whole output step."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from assessment_support import CAT, CS6_OK, FY, checklist, metrics

from pmqa_analysis.assessment import committee
from pmqa_analysis.assessment.committee import (
    self_assessment,
    self_assessment_html,
    write_assessment_outputs,
    write_committee_workbook,
)
from pmqa_analysis.assessment.scorecard import (
    SCORE_COLUMNS,
    STATUSES,
    score_units,
    scorecard_json,
    unit_slug,
    write_scorecards,
)
from pmqa_analysis.core.errors import InputError
from pmqa_analysis.workspace.criteria import Scoring, ScoringRule
from pmqa_analysis.workspace.loader import Survey, load_workspace
from pmqa_analysis.workspace.sample import make_sample_workspace


def cs6(scores: pd.DataFrame, unit: str = "U1", code: str = "CS6") -> pd.Series:
    row = scores[(scores["unit_code"] == unit) & (scores["activity_code"] == code)]
    assert len(row) == 1
    return row.iloc[0]


ALL_DONE = ["done", "done", "done"]


def test_met_when_checklist_complete_and_all_indicators_meet() -> None:
    s = score_units(metrics({"U1": CS6_OK}), checklist({("U1", "CS6"): ALL_DONE}), CAT,
                    fiscal_year=FY)  # fmt: skip
    r = cs6(s)
    assert list(s.columns) == SCORE_COLUMNS
    assert r.status == "met" and r.rule.startswith("met: checklist 100% ≥ 100%")
    assert (r.checklist_share, r.indicators_met, r.indicators_total) == (1.0, 5, 5)
    assert "ตัวชี้วัด CS6.K1 ร้อยละผู้ตอบที่พึงพอใจ (สองระดับบน) 85.0% ถึงเป้าหมาย 80%" in r.reason_th


def test_partly_when_an_indicator_misses() -> None:
    m = metrics({"U1": {**CS6_OK, "top2_pct": 72.4}})
    r = cs6(score_units(m, checklist({("U1", "CS6"): ALL_DONE}), CAT, fiscal_year=FY))
    assert r.status == "partly"
    assert r.rule.startswith("partly: met rule fails (4/5 indicators meet the target")
    assert "72.4% ต่ำกว่าเป้าหมาย 80%" in r.reason_th
    assert "72.4% below the target 80%" in r.reason_en
    values = json.loads(r.indicator_values)
    assert values["CS6.K1"] == {"direction": ">=", "meets": False, "metric": "top2_pct",
                                "target": 80.0, "value": 72.4}  # fmt: skip


def test_partly_from_half_the_checklist() -> None:
    ck = checklist({("U1", "CS6"): ["done", "partly", "not_done"]})  # share 0.5
    r = cs6(score_units(metrics({"U1": CS6_OK}), ck, CAT, fiscal_year=FY))
    assert r.status == "partly" and r.checklist_share == 0.5
    assert (r.n_done, r.n_partly, r.n_not_done, r.n_missing) == (1, 1, 1, 0)


def test_not_met_on_checklist_and_on_indicators() -> None:
    ck = checklist({("U1", "CS6"): ["done", "not_done"], ("U2", "CS6"): ALL_DONE})
    bad = {"top2_pct": 50.0, "mean_pct": 60.0, "bottom2_pct": 20.0, "sample_reached": 0.0,
           "groups_with_responses_pct": 40.0}  # fmt: skip
    s = score_units(metrics({"U1": CS6_OK, "U2": bad}), ck, CAT, fiscal_year=FY)
    r1, r2 = cs6(s, "U1"), cs6(s, "U2")
    assert r1.status == "not_met" and r1.n_missing == 1 and r1.n_not_done == 2
    assert "partly rule fails (checklist 33% < 50%)" in r1.rule
    assert r2.status == "not_met"
    assert "partly rule fails (0/5 indicators meet the target, one needed)" in r2.rule
    assert "20.0% สูงกว่าเป้าหมาย 10%" in r2.reason_th  # a "<=" indicator


def test_no_data_only_without_checklist_rows_and_indicator_values() -> None:
    s = score_units(metrics({"U1": CS6_OK}), checklist({}), CAT, fiscal_year=FY)
    r = cs6(s, code="CS5")
    assert r.status == "no_data" and r.rule.startswith("no_data")
    assert not r.checklist_rows and r.indicators_with_data == 0


def test_borderline_value_exactly_at_the_target_meets() -> None:
    edge = {"top2_pct": 80.0, "mean_pct": 100 * 4 / 5, "bottom2_pct": 10.0,
            "sample_reached": 1.0, "groups_with_responses_pct": 100.0}  # fmt: skip
    ck = checklist({("U1", "CS6"): ALL_DONE, ("U2", "CS6"): ALL_DONE})
    just_below = {**edge, "top2_pct": 79.95}
    s = score_units(metrics({"U1": edge, "U2": just_below}), ck, CAT, fiscal_year=FY)
    assert cs6(s, "U1").status == "met"
    assert cs6(s, "U2").status == "partly"


def test_missing_indicator_data_is_not_not_met() -> None:
    ck = checklist({("U1", "CS6"): ALL_DONE, ("U2", "CS6"): ALL_DONE})
    m = metrics({"U1": {"top2_pct": np.nan}, "U2": {"top2_pct": 85.0}})
    s = score_units(m, ck, CAT, fiscal_year=FY)
    r1, r2 = cs6(s, "U1"), cs6(s, "U2")
    assert r1.status == "met" and r1.indicators_with_data == 0
    assert "no indicator data: rule applied to the checklist only" in r1.reason_en
    assert "CS6.K2" in r1.reason_en and "no data (left out of the rule)" in r1.reason_en
    assert r2.status == "met" and (r2.indicators_met, r2.indicators_with_data) == (1, 1)


def test_indicators_without_checklist_rows_are_no_data_not_guessed() -> None:
    # issue 5: "an activity code with no checklist rows is 'no data', not 'not met'"
    s = score_units(metrics({"U1": {**CS6_OK, "top2_pct": 60.0}}), checklist({}), CAT,
                    fiscal_year=FY)  # fmt: skip
    r = cs6(s)
    assert r.status == "no_data" and not r.checklist_rows
    assert r.rule.startswith("no_data: no checklist rows")
    assert r.reason_en.startswith("no checklist rows for CS6 in 2567")
    assert "60" in r.reason_en  # the indicator value is still reported


def test_rules_come_from_the_catalogue_data() -> None:
    strict = Scoring(ScoringRule(1.0, "all"), ScoringRule(0.9, "all"))
    acts = tuple(dataclasses.replace(a, scoring=strict) if a.code == "CS6" else a
                 for a in CAT.activities)  # fmt: skip
    cat = dataclasses.replace(CAT, activities=acts)
    ck = checklist({("U1", "CS6"): ["done", "done", "partly"]})  # share 0.833
    assert cs6(score_units(metrics({"U1": CS6_OK}), ck, CAT, fiscal_year=FY)).status == "partly"
    r = cs6(score_units(metrics({"U1": CS6_OK}), ck, cat, fiscal_year=FY))
    assert r.status == "not_met" and "checklist 83% < 90%" in r.rule


def test_other_years_and_unknown_items_are_ignored() -> None:
    ck = pd.concat([checklist({("U1", "CS6"): ["not_done"] * 3}, fy=2566),
                    checklist({("U1", "CS6"): ALL_DONE})])  # fmt: skip
    extra = ck.iloc[[-1]].assign(check_code="CS6.99", status="not_done")
    r = cs6(score_units(metrics({"U1": CS6_OK}), pd.concat([ck, extra]), CAT, fiscal_year=FY))
    assert r.status == "met" and r.n_check_items == 3


def test_bad_inputs_raise_with_a_fix() -> None:
    m = metrics({"U1": CS6_OK})
    with pytest.raises(InputError, match="repeated unit × metric"):
        score_units(pd.concat([m, m]), checklist({}), CAT, fiscal_year=FY)
    ck = checklist({("U1", "CS6"): ["finished"]})
    with pytest.raises(InputError, match="checklist status 'finished' found; expected one of"):
        score_units(m, ck, CAT, fiscal_year=FY)
    with pytest.raises(InputError, match="checklist has no column status"):
        score_units(m, ck.drop(columns="status"), CAT, fiscal_year=FY)


def test_units_from_the_checklist_only_are_scored() -> None:
    s = score_units(metrics({"U1": CS6_OK}), checklist({("U9", "CS1A"): ["done"]}), CAT,
                    fiscal_year=FY)  # fmt: skip
    assert list(pd.unique(s["unit_code"])) == ["U1", "U9"]
    assert len(s) == 2 * len(CAT.activities)
    assert cs6(s, "U9", "CS1A").status == "not_met"  # share 0.25


# ------------------------------------------------------------------------ scorecards


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    m = metrics({"U1": {**CS6_OK, "top2_pct": 72.4}, "A/B": CS6_OK})
    ck = checklist({("U1", "CS6"): ALL_DONE, ("U1", "CS1B"): ALL_DONE,
                    ("A/B", "CS1A"): ["done"] * 4})  # fmt: skip
    return score_units(m, ck, CAT, fiscal_year=FY)


def test_scorecard_json_content(scores: pd.DataFrame) -> None:
    card = scorecard_json(scores, "U1", CAT)
    assert card["catalogue"] == {"name": CAT.name, "version": CAT.version, "source": CAT.source}
    assert card["fiscal_year"] == FY and card["unit_code"] == "U1"
    assert [a["activity_code"] for a in card["activities"]] == CAT.list_codes()
    six = card["activities"][CAT.list_codes().index("CS6")]
    assert six["status"] == "partly" and six["rule"].startswith("partly:")
    assert six["indicators"]["CS6.K1"]["value"] == 72.4
    assert six["checklist_share"] == 1.0 and six["reason_th"]
    assert sum(card["counts"].values()) == len(CAT.activities)
    with pytest.raises(InputError, match="unit 'U7' not found"):
        scorecard_json(scores, "U7", CAT)


def test_write_scorecards_is_deterministic_and_slugged(scores: pd.DataFrame,
                                                       tmp_path: Path) -> None:  # fmt: skip
    a = write_scorecards(scores, CAT, tmp_path / "a")
    b = write_scorecards(scores, CAT, tmp_path / "b")
    assert set(a) == {"U1", "A/B"}
    for unit in a:
        assert a[unit].read_bytes() == b[unit].read_bytes()
        assert a[unit].parent.parent == tmp_path / "a"  # one level, never a raw code
    text = a["U1"].read_text("utf-8")
    assert "ผ่านบางส่วน" not in text and "ตัวชี้วัด" in text  # UTF-8, not \\u escapes
    assert json.loads(text)["unit_code"] == "U1"
    assert a["A/B"].parent.name == unit_slug("A/B") != "A/B"


def test_unit_slug_is_safe_and_stable() -> None:
    assert unit_slug("U01") == "U01" and unit_slug("unit_1-a") == "unit_1-a"
    slug = unit_slug("../../x")
    assert "/" not in slug and ".." not in slug and "\\" not in slug
    assert slug == unit_slug("../../x") and slug.endswith("x-9cdf6a50")
    assert unit_slug("a/b") != unit_slug("a_b") and unit_slug("หน่วย 1") != unit_slug("หน่วย 2")
    for bad in ("", ".", "..", "  "):
        with pytest.raises(InputError, match="cannot be used as a report folder"):
            unit_slug(bad)


def test_self_assessment_counts_gaps_and_escaped_html(scores: pd.DataFrame) -> None:
    m = metrics({"U1": {**CS6_OK, "top2_pct": 72.4}})
    sa = self_assessment(scores, m, "U1")
    # CS1B is met (checklist complete, indicator meets); CS6 partly; 8 without checklist rows
    assert sa["counts"] == {"met": 1, "partly": 1, "not_met": 0, "no_data": 8}
    assert [g["activity_code"] for g in sa["strengths"]] == ["CS1B"]
    assert [g["activity_code"] for g in sa["gaps"]] == ["CS6"]
    assert sa["gaps"][0]["status_label"] == "ผ่านบางส่วน"
    figures = {f["metric"]: f for f in sa["key_figures"]}
    assert figures["top2_pct"]["display"] == "72.4%" and figures["top2_pct"]["n"] == 100
    assert figures["sample_reached"]["display"] == "ถึง"
    evil = scores.assign(reason_th="<script>alert(1)</script> & co")
    page = self_assessment_html(self_assessment(evil, m, "U1", unit_name="<b>x</b>"))
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;x" in page
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    fragment = self_assessment_html(self_assessment(scores, m, "U1"), fragment=True)
    assert fragment.startswith('<section class="pmqa-self-assessment" lang="th">')
    with pytest.raises(InputError, match="language 'fr'"):
        self_assessment(scores, m, "U1", language="fr")


def test_committee_workbook(scores: pd.DataFrame, tmp_path: Path) -> None:
    ck = checklist({("U1", "CS6"): ALL_DONE})
    m = metrics({"U1": CS6_OK})
    a = write_committee_workbook(scores, m, CAT, tmp_path / "a.xlsx", checklist=ck)
    b = write_committee_workbook(scores, m, CAT, tmp_path / "b.xlsx", checklist=ck)
    assert a.read_bytes() == b.read_bytes()
    sheets = pd.read_excel(a, sheet_name=None, engine="calamine")
    assert len(sheets) == 1 + len(CAT.activities)
    assert all(len(name) <= 31 for name in sheets)
    summary = sheets["สรุป"]
    assert list(summary.columns[: 1 + len(CAT.activities)]) == ["รหัสหน่วยงาน", *CAT.list_codes()]
    u1 = summary[summary["รหัสหน่วยงาน"] == "U1"].iloc[0]
    assert u1["CS6"] == "ผ่านบางส่วน" and u1["ไม่มีข้อมูล"] == 8
    six = next(v for k, v in sheets.items() if k.startswith("CS6 "))
    row = six[six["รหัสหน่วยงาน"] == "U1"].iloc[0]
    assert row["ผล"] == "ผ่านบางส่วน" and row["CS6.K1 ร้อยละผู้พึงพอใจ (สองระดับบน)"] == 72.4
    assert "CS6.1 ดำเนินการแล้ว (ref CS6.1)" in row["หลักฐาน"]
    en = write_committee_workbook(scores, m, CAT, tmp_path / "en.xlsx", "en")
    assert next(iter(pd.read_excel(en, sheet_name=None, engine="calamine"))) == "Summary"


# ---------------------------------------------------------------- the whole step


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Survey:
    ws = make_sample_workspace(tmp_path_factory.mktemp("ws"), reach_sample_size=False,
                               respondents_per_unit_year=(40, 60))  # fmt: skip
    return load_workspace(ws)


def test_write_assessment_outputs(sample: Survey, tmp_path: Path) -> None:
    out = tmp_path / "assessment"
    paths = write_assessment_outputs(sample, out)
    assert all(p.is_file() and out in p.parents for p in paths.values())
    assert {"metrics", "scores", "committee", "plan"} <= set(paths)
    assert [p.name for p in tmp_path.iterdir()] == ["assessment"]  # no temporary folder left
    for unit in ("U04", "U08", "U11"):  # the sample's weak units fail the CS6 indicator
        card = json.loads(paths[f"{unit}/scorecard"].read_text("utf-8"))
        six = {a["activity_code"]: a for a in card["activities"]}["CS6"]
        assert six["status"] in ("partly", "not_met")
        assert not six["indicators"]["CS6.K1"]["meets"]
        assert six["indicators"]["CS6.K1"]["value"] < 50
    plan = pd.read_excel(paths["plan"], engine="calamine")
    weak_rows = plan[(plan["รหัสหน่วยงาน"] == "U11") & (plan["รหัสกิจกรรมตามเกณฑ์"] == "CS6")]
    assert weak_rows["ประเด็นที่ยังไม่ผ่าน (ช่องว่าง)"].str.startswith("ข้อคำถามคะแนนต่ำ").sum() == 3
    html = paths["U04/self_assessment"].read_text("utf-8")
    assert "สรุปผลการประเมินตนเอง" in html
    unit_plan = pd.read_excel(paths["U04/plan"], sheet_name=None, engine="calamine")
    assert list(unit_plan) == ["แผนปรับปรุง", "คำอธิบาย - Dictionary", "สรุปผลการประเมินตนเอง"]
    assert set(unit_plan["แผนปรับปรุง"]["รหัสหน่วยงาน"]) == {"U04"}
    scores = pd.read_csv(paths["scores"], encoding="utf-8-sig")
    assert set(scores["status"]) <= set(STATUSES)


def test_a_failed_run_leaves_the_previous_output(
    sample: Survey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "assessment"
    out.mkdir()
    (out / "old.txt").write_text("previous run")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(committee, "write_committee_workbook", boom)
    with pytest.raises(RuntimeError, match="killed"):
        write_assessment_outputs(sample, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assessment"]
    assert [p.name for p in out.iterdir()] == ["old.txt"]
