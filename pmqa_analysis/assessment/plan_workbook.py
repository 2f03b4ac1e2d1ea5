"""The improvement plan's workbook (``improvement_plan.xlsx``) for the committee to edit.

:func:`write_plan_xlsx` writes a drafted plan (:func:`pmqa_analysis.assessment.
improvement_plan.draft_plan`) with the template's headers, the KPI's name and the status
in words, a status drop-down, dates as real Excel dates shown in the Buddhist Era, and the
look every workbook of the kit shares (:mod:`pmqa_analysis.core.workbook`).
:func:`pmqa_analysis.workspace.plan_file.read_plan` reads the edited file back (names and
words as codes, date cells or typed dates as dates).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pmqa_analysis.core.labels import PLAN_STATUS
from pmqa_analysis.core.workbook import Formats, new_workbook, write_sheet
from pmqa_analysis.workspace.criteria import KNOWN_METRICS
from pmqa_analysis.workspace.plan_file import PLAN_STATUSES, kpi_name
from pmqa_analysis.workspace.templates import load_template_specs

__all__ = ["write_plan_xlsx"]

#: the dictionary sheet's words for a template column type (Thai, English)
_TYPE_WORDS = {
    "code": ("รหัส (ตัวอักษร ตัวเลข - _ .)", "a code (letters, digits, - _ .)"),
    "name": ("ข้อความ", "text"), "text": ("ข้อความ", "text"),
    "int": ("จำนวนเต็ม", "a whole number"), "number": ("ตัวเลข", "a number"),
    "date": ("วันที่ (วันที่ของ Excel หรือ 31/3/2568)", "a date (an Excel date or 2025-03-31)"),
    "bool": ("ใช่/ไม่ใช่", "yes/no"),
}  # fmt: skip
_WIDTHS = {"gap": 45, "evidence": 40, "action": 45, "progress_note": 30, "note": 30,
           "owner": 25, "plan_id": 18, "kpi": 30}  # fmt: skip


def _kpi_kind(kpi: Any, value: Any) -> str | None:
    """A target's or baseline's display: percent units 0.0, whole numbers 0, else 0.00."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    info = KNOWN_METRICS.get(str(kpi))
    if str(kpi) == "checklist_share" or (info is not None and info.unit == "%"):
        return "dec1"
    return "int" if float(value).is_integer() else "dec2"


def write_plan_xlsx(
    plan: pd.DataFrame,
    path: str | Path,
    language: str = "th",
    *,
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write a plan for editing in Excel (deterministic bytes).

    The first sheet holds the plan with headers in ``language`` (Thai headers are read
    back by :func:`read_plan`), the KPI's name and the status in words (both read back as
    codes), a status drop-down, and the kit's workbook look
    (:mod:`pmqa_analysis.core.workbook`: Sarabun, frozen and filtered header row, number
    formats, widths).  Dates are real Excel dates shown in the Buddhist Era
    (``31 มี.ค. 2568``; ISO in English), so a committee can sort and filter by them.  A
    dictionary sheet gives each column's CSV name, Thai and English names and allowed
    values; ``extra_sheets`` (title -> frame) follow.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> from pmqa_analysis.workspace.plan_file import read_plan
    >>> p = pd.DataFrame([{"plan_id": "2568-U1-CS6-01", "unit_code": "U1",
    ...     "fiscal_year": 2568, "activity_code": "CS6", "gap": "g", "action": "a",
    ...     "kpi": "top2_pct", "status": "draft", "due_date": pd.Timestamp("2025-03-31")}])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = write_plan_xlsx(p, f"{d}/plan.xlsx")
    ...     shown = pd.read_excel(path, engine="calamine")
    ...     back = read_plan(path)
    >>> shown.loc[0, ["ตัวชี้วัดของรายการ", "กำหนดแล้วเสร็จ"]].tolist()
    ['ร้อยละผู้พึงพอใจ (สองระดับบน)', Timestamp('2025-03-31 00:00:00')]
    >>> back.loc[0, ["plan_id", "kpi", "status", "due_date"]].tolist()
    ['2568-U1-CS6-01', 'top2_pct', 'draft', Timestamp('2025-03-31 00:00:00')]
    """
    lang = "en" if language == "en" else "th"
    at = 1 if lang == "en" else 0
    spec = load_template_specs()["improvement_plan"]
    wb = new_workbook(path, "improvement plan")
    formats = Formats(wb, lang)
    used: set[str] = set()
    data = plan.reindex(columns=list(spec.column_names)).reset_index(drop=True)
    kpis = data["kpi"].tolist()
    shown = pd.DataFrame(index=data.index)
    for col in spec.columns:
        values = data[col.name]
        if col.name == "kpi":
            values = values.map(lambda v: kpi_name(v, lang), na_action="ignore")
        elif col.name == "status":
            values = values.map(lambda v: PLAN_STATUS.get(str(v), (v, v))[at],
                                na_action="ignore")  # fmt: skip
        elif col.type == "date":
            values = pd.to_datetime(values, errors="coerce")
        shown[col.th if lang == "th" else col.en] = values.to_list()
    heads = {col.name: col.th if lang == "th" else col.en for col in spec.columns}
    kinds = {heads[c.name]: "text" for c in spec.columns if c.type in ("code", "name", "text")}
    kinds.update({heads[c.name]: "date" for c in spec.columns if c.type == "date"})
    kinds[heads["fiscal_year"]] = "year"
    cell_kinds = {heads[c]: [_kpi_kind(k, v) for k, v in zip(kpis, data[c], strict=True)]
                  for c in ("target", "baseline")}  # fmt: skip
    ws = write_sheet(
        formats, "แผนปรับปรุง" if lang == "th" else "Improvement plan", shown, used=used,
        kinds=kinds, cell_kinds=cell_kinds, widths={heads[k]: w for k, w in _WIDTHS.items()},
        wrap=[heads[k] for k in ("gap", "evidence", "action", "progress_note", "note")],
    )  # fmt: skip
    status_col = list(spec.column_names).index("status")
    choices = [PLAN_STATUS[s][at] for s in PLAN_STATUSES]
    ws.data_validation(1, status_col, max(len(plan), 1) + 500, status_col,
                       {"validate": "list", "source": choices})  # fmt: skip
    dictionary = pd.DataFrame(
        [(col.name, col.th, col.en, _allowed(col, lang)) for col in spec.columns],
        columns=["คอลัมน์ในไฟล์ CSV / CSV column", "ชื่อคอลัมน์ (ไทย)", "Column (English)",
                 "ค่าที่ใช้ได้ / Allowed"],
    )  # fmt: skip
    write_sheet(formats, "คำอธิบาย - Dictionary", dictionary, used=used,
                widths={"ค่าที่ใช้ได้ / Allowed": 45})  # fmt: skip
    for title, frame in (extra_sheets or {}).items():
        write_sheet(formats, str(title), frame, used=used)
    wb.close()
    return Path(path)


def _allowed(col: Any, language: str) -> str:
    """A plan column's allowed values in words (statuses: the words read back)."""
    at = 1 if language == "en" else 0
    if col.name == "status":
        return ", ".join(PLAN_STATUS[s][at] for s in PLAN_STATUSES)
    if col.name == "kpi":
        return ("ชื่อตัวชี้วัดตามเกณฑ์ (หรือรหัส)" if at == 0
                else "the catalogue's indicator name (or its code)")  # fmt: skip
    return _TYPE_WORDS.get(col.type, (col.type, col.type))[at]
