"""The problems table shows what was found whole (issue 17: it was cut at 60 characters)."""

from __future__ import annotations

from pmqa_analysis.core.problems import ProblemLog, format_problems


def test_a_long_found_value_is_shown_whole_in_the_table_and_the_terminal() -> None:
    value = "ที่ว่าการอำเภอเมืองเชียงใหม่ สำนักงานปลัดอำเภอ งานทะเบียนราษฎร์และบัตรประจำตัวประชาชน"
    assert len(value) > 60
    log = ProblemLog()
    log.add("unknown_unit_code", file="export.csv", row=7, column="หน่วยงาน", value=value,
            expected="a unit listed in units.csv")  # fmt: skip
    table = log.table("en")
    assert table.loc[0, "value"] == value
    assert repr(value) in format_problems(table, "en")


def test_a_huge_cell_keeps_its_start_and_end() -> None:
    value = "START " + "x" * 3_000_000 + " END"
    log = ProblemLog()
    log.add("bad", file="f.csv", row=2, column="c", value=value, expected="y")
    shown = log.table("en").loc[0, "value"]
    assert shown.startswith("START ") and shown.endswith(" END")
    assert "3,000,010 characters" in shown and len(shown) < 1200
