"""The improvement-plan round trip across two fiscal years, as a user runs it.

Year 1's run drafts ``improvement_plan.xlsx``; the committee edits it in Excel (status
อนุมัติแล้ว, approver, date) and saves it into next year's workspace; ``pmqa validate``
accepts it and year 2's run reports progress on every approved item.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pmqa_analysis.cli import main
from pmqa_analysis.run.prepare import prepare
from pmqa_analysis.workspace.loader import validate_workspace
from pmqa_analysis.workspace.sample import make_sample_workspace


def _column(frame: pd.DataFrame, prefix: str) -> str:
    return next(c for c in frame.columns if str(c).startswith(prefix))


def test_draft_edit_approve_then_progress_next_year(tmp_path: Path) -> None:
    ws_a = make_sample_workspace(tmp_path / "fy2567", n_units=4)
    prepare(ws_a, tmp_path / "run_a")
    draft = pd.read_excel(tmp_path / "run_a" / "assessment" / "improvement_plan.xlsx",
                          engine="calamine")  # fmt: skip
    status = _column(draft, "สถานะ")
    assert set(draft[status]) == {"ร่าง"} and len(draft) > 0
    assert set(draft[_column(draft, "ปีงบประมาณ")]) == {2568}

    edited = draft.copy()  # what the committee does in Excel
    edited[status] = "อนุมัติแล้ว"
    edited[_column(edited, "ผู้อนุมัติ")] = "ผู้ว่าราชการจังหวัด"
    edited[_column(edited, "วันที่อนุมัติ")] = "15 พ.ย. 2567"
    ws_b = make_sample_workspace(tmp_path / "fy2568", n_units=4, fiscal_years=(2566, 2567, 2568))
    (ws_b / "improvement_plan.csv").unlink()
    edited.to_excel(ws_b / "improvement_plan.xlsx", index=False)

    assert main(["validate", str(ws_b)]) == 0
    prepare(ws_b, tmp_path / "run_b")
    progress = pd.read_csv(tmp_path / "run_b" / "assessment" / "plan_progress.csv")
    assert len(progress) == len(edited)
    assert set(progress["plan_id"]) == set(edited[_column(edited, "รหัสรายการแผน")])
    assert set(progress["progress"]) <= {"done", "on_track", "late", "no_progress", "no_data"}


def test_an_approved_row_without_approver_is_reported_by_validate(tmp_path: Path) -> None:
    ws = make_sample_workspace(tmp_path / "ws", n_units=3)
    plan = pd.read_csv(ws / "improvement_plan.csv", encoding="utf-8-sig")
    plan.loc[0, "approver"] = ""
    plan.to_csv(ws / "improvement_plan.csv", index=False, encoding="utf-8-sig")
    table = validate_workspace(ws, language="en")
    errors = table[(table["severity"] == "error") & (table["file"] == "improvement_plan.csv")]
    assert len(errors) == 1
    assert errors.iloc[0]["row"] == 2 and errors.iloc[0]["column"] == "approver"
    assert main(["validate", str(ws)]) == 2
