"""Improvement plan: draft, Excel round trip, validation on read, progress next year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from assessment_support import CAT, FY
from assessment_support import CS6_OK as OK6
from assessment_support import checklist as _checklist
from assessment_support import metrics as _metrics

from pmqa_analysis.assessment.improvement_plan import (
    PLAN_COLUMNS,
    draft_plan,
    load_actions,
    plan_progress,
    read_plan,
    write_plan_xlsx,
)
from pmqa_analysis.assessment.scorecard import score_units
from pmqa_analysis.core.errors import InputError, ValidationError


def metrics(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    return _metrics(values, n=120)


def checklist(rows: dict[tuple[str, str], list[str]], fy: int = FY) -> pd.DataFrame:
    return _checklist(rows, fy, ref_by_code=False)


@pytest.fixture(scope="module")
def case() -> dict[str, pd.DataFrame]:
    # U1: CS6 partly (top2 misses, checklist 1 partly); U2: CS4 not met (both indicators miss)
    m = metrics({"U1": {**OK6, "top2_pct": 72.4},
                 "U2": {**OK6, "service_within_standard_pct": 60.0,
                        "services_published_pct": 50.0}})  # fmt: skip
    ck = checklist({("U1", "CS6"): ["done", "done", "partly"], ("U2", "CS6"): ["done"] * 3,
                    ("U2", "CS4"): ["done", "not_done", "not_done", "not_done"]})  # fmt: skip
    scores = score_units(m, ck, CAT, fiscal_year=FY)
    items = pd.DataFrame({"unit_code": ["U1"] * 4, "item_code": ["Q1", "Q2", "Q3", "Q4"],
                          "mean": [4.2, 3.1, 3.5, 2.9], "top2_pct": [85.0, 40.0, 55.0, 35.0],
                          "n": 120})  # fmt: skip
    q = pd.DataFrame(
        {"item_code": ["Q1", "Q2", "Q3", "Q4"], "item_th": ["ก", "ขั้นตอนไม่ยุ่งยาก", "ค", "ที่จอดรถ"]}
    )
    assign = pd.DataFrame({"unit_code": ["U1", "U1"], "activity_code": ["CS6", "CS6"],
                           "role": ["หัวหน้ากลุ่มงาน", "เจ้าหน้าที่"], "person": ["นาย ก", ""],
                           "order_ref": ["คำสั่ง 1/2567", ""]})  # fmt: skip
    plan = draft_plan(scores, m, CAT, fiscal_year=FY, assignments=assign, checklist=ck,
                      item_summary=items, questionnaire=q, n_weak_items=2)  # fmt: skip
    return {"metrics": m, "scores": scores, "plan": plan, "checklist": ck}


def test_draft_has_a_row_per_gap(case: dict[str, pd.DataFrame]) -> None:
    plan = case["plan"]
    assert list(plan.columns) == PLAN_COLUMNS
    assert plan["plan_id"].is_unique
    u1 = plan[plan["unit_code"] == "U1"]
    assert list(u1["plan_id"]) == [f"2568-U1-CS6-0{k}" for k in range(1, 5)]
    assert list(u1["kpi"]) == ["top2_pct", "checklist_share", "top2_pct", "top2_pct"]
    assert u1.iloc[0]["gap"] == ("ตัวชี้วัด CS6.K1 ร้อยละผู้ตอบที่พึงพอใจ (สองระดับบน) 72.4% ไม่ถึงเป้าหมาย 80%")
    assert u1.iloc[0]["evidence"] == "ร้อยละผู้พึงพอใจ (สองระดับบน) = 72.4% (n = 120)"
    assert (u1.iloc[0]["target"], u1.iloc[0]["baseline"]) == (80.0, 72.4)
    assert u1.iloc[1]["evidence"] == "CS6.3 บางส่วน: ref 2"
    assert u1.iloc[1]["baseline"] == pytest.approx(250 / 3)
    # the two weakest items, weakest first, with their text
    assert u1.iloc[2]["gap"] == "ข้อคำถามคะแนนต่ำ: Q4 ที่จอดรถ ค่าเฉลี่ย 2.90"
    assert u1.iloc[3]["gap"].startswith("ข้อคำถามคะแนนต่ำ: Q2 ขั้นตอนไม่ยุ่งยาก")
    u2 = plan[plan["unit_code"] == "U2"]
    assert set(u2["activity_code"]) == {"CS4"}
    assert list(u2["kpi"]) == ["service_within_standard_pct", "services_published_pct",
                               "checklist_share"]  # fmt: skip
    assert (plan["status"] == "draft").all() and (plan["fiscal_year"] == 2568).all()
    assert plan["approved_date"].isna().all() and (plan["approver"] == "").all()


def test_owner_from_assignments_or_a_note(case: dict[str, pd.DataFrame]) -> None:
    plan = case["plan"]
    u1, u2 = plan[plan["unit_code"] == "U1"], plan[plan["unit_code"] == "U2"]
    assert set(u1["owner"]) == {"นาย ก (หัวหน้ากลุ่มงาน); เจ้าหน้าที่"} and set(u1["note"]) == {""}
    assert set(u2["owner"]) == {""}
    assert u2["note"].iloc[0] == "ยังไม่มีผู้รับผิดชอบในคำสั่งมอบหมายงาน (assignments) สำหรับ U2 CS4"


def test_due_dates_inside_the_next_fiscal_year(case: dict[str, pd.DataFrame]) -> None:
    plan = case["plan"]
    # plan year 2568 = 1 Oct 2024 - 30 Sep 2025; not met -> 31 March, partly -> 30 September
    assert set(plan.loc[plan["unit_code"] == "U2", "due_date"]) == {pd.Timestamp("2025-03-31")}
    assert set(plan.loc[plan["unit_code"] == "U1", "due_date"]) == {pd.Timestamp("2025-09-30")}


def test_no_gap_no_row() -> None:
    m = metrics({"U1": OK6})
    scores = score_units(m, checklist({("U1", "CS6"): ["done"] * 3}), CAT, fiscal_year=FY)
    assert scores["status"].isin(["met", "no_data"]).all()
    assert draft_plan(scores, m, CAT, fiscal_year=FY).empty


def test_action_library_and_user_extension(tmp_path: Path) -> None:
    lib = load_actions()
    assert {"activity_code", "metric", "th", "en"} == set(lib.columns)
    assert ((lib["activity_code"] == "*") & (lib["metric"] == "*")).sum() == 1
    user = tmp_path / "my_actions.toml"
    user.write_text('[[actions]]\nactivity_code = "CS6"\nmetric = "top2_pct"\n'
                    'th = "จัดอบรมเจ้าหน้าที่"\nen = "Train the staff"\n', "utf-8")  # fmt: skip
    mine = load_actions(user)
    assert len(mine) == len(lib)
    m = metrics({"U1": {**OK6, "top2_pct": 70.0}})
    s = score_units(m, checklist({("U1", "CS6"): ["done"] * 3}), CAT, fiscal_year=FY)
    plan = draft_plan(s, m, CAT, fiscal_year=FY, actions=mine, language="en")
    assert plan["action"].tolist() == ["Train the staff"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[actions]]\nactivity_code = "CS6"\n', "utf-8")
    with pytest.raises(InputError, match="action 1 has no metric, th, en"):
        load_actions(bad)


def test_round_trip_draft_excel_approved_progress(case: dict[str, pd.DataFrame],
                                                  tmp_path: Path) -> None:  # fmt: skip
    plan = case["plan"]
    first = write_plan_xlsx(plan, tmp_path / "draft.xlsx")
    again = write_plan_xlsx(plan, tmp_path / "draft2.xlsx")
    assert first.read_bytes() == again.read_bytes()  # deterministic file
    back = read_plan(first)
    assert list(back.columns) == PLAN_COLUMNS
    for col in ("plan_id", "unit_code", "activity_code", "gap", "action", "kpi", "status"):
        assert back[col].astype(str).tolist() == plan[col].astype(str).tolist(), col
    assert back["due_date"].tolist() == plan["due_date"].tolist()
    assert back["baseline"].tolist() == plan["baseline"].tolist()

    # the committee approves every row except the last weak item, which it cancels
    edited = back.copy()
    edited["status"] = "approved"
    edited.loc[edited.index[3], "status"] = "cancelled"
    edited["approver"] = "ผู้ว่าราชการจังหวัด"
    edited["approved_date"] = pd.Timestamp("2024-11-15")
    approved = read_plan(write_plan_xlsx(edited, tmp_path / "approved.xlsx"))
    assert approved["status"].tolist()[:4] == ["approved"] * 3 + ["cancelled"]
    assert (approved["approved_date"] == pd.Timestamp("2024-11-15")).all()

    # next year: U1 top-2-box 81 (done); U2 service 70 % (improved), published still 50 %
    now_m = metrics({"U1": {**OK6, "top2_pct": 81.0},
                     "U2": {**OK6, "service_within_standard_pct": 70.0,
                            "services_published_pct": 50.0}})  # fmt: skip
    ck = checklist({("U1", "CS6"): ["done", "done", "partly"],
                    ("U2", "CS4"): ["done", "done", "done", "not_done"]}, fy=2568)  # fmt: skip
    now_s = score_units(now_m, ck, CAT, fiscal_year=2568)
    mid = plan_progress(approved, now_m, now_s, as_of="2025-03-01")
    assert len(mid) == len(plan) - 1  # the cancelled row is not followed
    got = dict(zip(mid["plan_id"], mid["progress"], strict=True))
    assert got["2568-U1-CS6-01"] == "done"  # KPI 81 >= 80
    assert got["2568-U1-CS6-02"] == "no_progress"  # checklist still 83.3 %
    assert got["2568-U2-CS4-01"] == "on_track"  # 60 -> 70, target 80, before 31 March
    assert got["2568-U2-CS4-02"] == "no_progress"  # still 50 %
    assert got["2568-U2-CS4-03"] == "on_track"  # checklist 25 % -> 75 %
    late = plan_progress(approved, now_m, now_s, as_of="2025-09-30")
    got = dict(zip(late["plan_id"], late["progress"], strict=True))
    assert got["2568-U1-CS6-01"] == "done"
    assert got["2568-U2-CS4-01"] == got["2568-U2-CS4-02"] == "late"  # past 31 March
    assert got["2568-U1-CS6-02"] == "no_progress"  # partly -> due 30 September, not yet late
    row = late[late["plan_id"] == "2568-U2-CS4-01"].iloc[0]
    assert (row["value_now"], row["baseline"], row["target"]) == (70.0, 60.0, 80.0)
    assert row["progress_th"] == "ล่าช้า" and row["status_now"] == "not_met"
    assert row["detail_th"].startswith("CS4 ขณะนี้ ไม่ผ่าน;")
    assert "70" in row["detail_th"] and "ฐาน 60" in row["detail_th"]
    assert "เป้าหมาย 80" in row["detail_th"] and "now" not in row["detail_th"]


def test_progress_done_when_the_activity_is_met_now() -> None:
    plan = pd.DataFrame(
        {
            "plan_id": ["P1"],
            "unit_code": ["U1"],
            "activity_code": ["CS6"],
            "kpi": ["bottom2_pct"],
            "target": [10.0],
            "baseline": [12.0],
            "status": ["done"],
            "due_date": [pd.Timestamp("2025-03-31")],
        }
    )
    m = metrics({"U1": {"bottom2_pct": 11.0}})
    s = pd.DataFrame(
        {"unit_code": ["U1"], "activity_code": ["CS6"], "status": ["met"], "checklist_share": [1.0]}
    )
    assert plan_progress(plan, m, s, as_of="2025-09-30")["progress"].tolist() == ["done"]
    s = s.assign(status="partly")
    out = plan_progress(plan, m, s, as_of="2025-01-01")
    assert out["progress"].tolist() == ["on_track"]  # 12 -> 11 is better for a "<=" KPI
    m = metrics({"U1": {"bottom2_pct": 10.0}})  # exactly at the target
    assert plan_progress(plan, m, s, as_of="2025-09-30")["progress"].tolist() == ["done"]


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    path.write_bytes(frame.to_csv(index=False).encode("utf-8-sig"))
    return path


def test_read_plan_reports_every_problem_with_file_row_column(
    case: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    raw = case["plan"].head(4).copy()
    raw["due_date"] = raw["due_date"].dt.strftime("%Y-%m-%d")
    raw["approved_date"] = ""
    raw["status"] = ["finished", "approved", "approved", "draft"]
    raw.loc[raw.index[1], "approver"] = "นาย ข"  # approved, but no date
    raw.loc[raw.index[2], "approved_date"] = "31/13/2567"  # bad date, no approver
    raw.loc[raw.index[3], "activity_code"] = "CS9"
    path = _csv(raw, tmp_path / "plan.csv")
    with pytest.raises(ValidationError, match=r"plan\.csv: 5 error") as err:
        read_plan(path, language="en")
    t = err.value.problems
    found = set(zip(t["kind"], t["row"], t["column"], strict=True))
    assert found == {
        ("bad_choice", 2, "status"),
        ("missing_approved_date", 3, "approved_date"),
        ("bad_date", 4, "approved_date"),
        ("missing_approver", 4, "approver"),
        ("unknown_activity_code", 5, "activity_code"),
    }
    assert set(t["file"]) == {"plan.csv"}
    hint = t.loc[t["kind"] == "missing_approver", "hint"].iloc[0]
    assert hint == "fill it in, or set the status back to draft"


def test_read_plan_names_the_thai_header_and_excel_row(case: dict[str, pd.DataFrame],
                                                       tmp_path: Path) -> None:  # fmt: skip
    bad = case["plan"].head(2).assign(status=["draft", "ผิด"])
    with pytest.raises(ValidationError) as err:
        read_plan(write_plan_xlsx(bad, tmp_path / "p.xlsx"))
    t = err.value.problems
    assert t[["file", "row", "column", "value"]].values.tolist() == [
        ["p.xlsx", 3, "สถานะ (ร่าง/อนุมัติแล้ว/ดำเนินการแล้ว/ยกเลิก)", "ผิด"]]  # fmt: skip


def test_english_workbook_round_trips(case: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    path = write_plan_xlsx(case["plan"], tmp_path / "en.xlsx", language="en")
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert next(iter(sheets)) == "Improvement plan"
    assert sheets["Improvement plan"]["Due date"].iloc[0] == pd.Timestamp("2025-09-30")
    back = read_plan(path)
    assert back["status"].tolist() == case["plan"]["status"].tolist()


def test_a_plan_saved_under_last_years_kpi_header_still_reads(
    case: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """The KPI column now shows a name; a plan kept from before has the "(รหัส)" header."""
    path = write_plan_xlsx(case["plan"], tmp_path / "p.xlsx")
    sheet = pd.read_excel(path, sheet_name=0, engine="calamine", dtype=str)
    assert "ตัวชี้วัดของรายการ" in sheet.columns
    old = tmp_path / "old.csv"
    sheet.rename(columns={"ตัวชี้วัดของรายการ": "ตัวชี้วัดของรายการ (รหัส)"}).to_csv(
        old, index=False, encoding="utf-8-sig"
    )
    back = read_plan(old)
    assert back["kpi"].tolist() == case["plan"]["kpi"].tolist()
