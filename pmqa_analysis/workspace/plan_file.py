"""Reading the improvement plan (CS7) file back: columns, types and signing rules.

Reading and checking the plan is input validation, so it lives with the other workspace
files; drafting, writing and following the plan up is in
:mod:`pmqa_analysis.assessment.improvement_plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import ValidationError
from pmqa_analysis.core.problems import ProblemLog
from pmqa_analysis.workspace.criteria import KNOWN_METRICS, Catalogue, load_catalogue
from pmqa_analysis.workspace.io import read_table
from pmqa_analysis.workspace.schema import match_headers, parse_table, report_rows, text_headers
from pmqa_analysis.workspace.templates import load_template_specs

__all__ = [
    "PLAN_COLUMNS",
    "PLAN_KPI_WORDS",
    "PLAN_STATUSES",
    "check_plan",
    "kpi_code",
    "kpi_name",
    "read_plan",
]

PLAN_COLUMNS = [
    "plan_id", "unit_code", "fiscal_year", "activity_code", "gap", "evidence", "action", "kpi",
    "target", "baseline", "owner", "due_date", "status", "approver", "approved_date",
    "progress_note", "note",
]  # fmt: skip
PLAN_STATUSES = ("draft", "approved", "done", "cancelled")
#: KPIs of a plan row that are not catalogue metrics -> (Thai, English)
PLAN_KPI_WORDS: Mapping[str, tuple[str, str]] = {
    "checklist_share": ("ร้อยละของรายการในแบบตรวจที่ดำเนินการแล้ว", "% of checklist items done"),
    "status": ("ผลการประเมินของรหัสกิจกรรม", "result of the activity code"),
}


def kpi_name(code: object, language: str = "th") -> str:
    """A plan KPI's wording (the catalogue metric's name); the code itself when unknown.

    The plan workbook shows this name; :func:`read_plan` turns it back into the code.

    Examples
    --------
    >>> kpi_name("top2_pct"), kpi_name("checklist_share", "en"), kpi_name("x")
    ('ร้อยละผู้พึงพอใจ (สองระดับบน)', '% of checklist items done', 'x')
    """
    text = str(code)
    info = KNOWN_METRICS.get(text)
    pair = (info.th, info.en) if info is not None else PLAN_KPI_WORDS.get(text)
    return text if pair is None else pair[1 if language == "en" else 0]


def kpi_code(text: object) -> str:
    """The KPI code of a plan cell: a code as it is, a Thai or English name as its code.

    Examples
    --------
    >>> kpi_code("ร้อยละผู้พึงพอใจ (สองระดับบน)"), kpi_code(" top2_pct "), kpi_code("อื่น")
    ('top2_pct', 'top2_pct', 'อื่น')
    """
    value = str(text).strip()
    return _KPI_BY_NAME.get(" ".join(value.split()).casefold(), value)


_KPI_BY_NAME = {
    " ".join(name.split()).casefold(): code
    for code in (*KNOWN_METRICS, *PLAN_KPI_WORDS)
    for name in (kpi_name(code, "th"), kpi_name(code, "en"))
}


def read_plan(
    path: str | Path,
    catalogue: Catalogue | None = None,
    *,
    language: str = "th",
) -> pd.DataFrame:
    """Read an improvement plan edited in Excel (or CSV) and validate it.

    Checks, all reported at once: the template's columns and types (unknown status,
    bad dates, numbers), activity codes unknown to the catalogue, and rows ``approved``
    or ``done`` without an approver or an approval date.

    Parameters
    ----------
    path : str or Path
        The plan file (first sheet of a workbook).
    catalogue : Catalogue, optional
        For the activity codes; default the built-in example.
    language : {"th", "en"}
        Language of the problems table.

    Returns
    -------
    pandas.DataFrame
        :data:`PLAN_COLUMNS`, typed (dates ``datetime64``, status in :data:`PLAN_STATUSES`).

    Raises
    ------
    ValidationError
        With the problems table (file, Excel row, column, value, expected, hint).
    """
    frame, log, file = check_plan(path, catalogue)
    if log.has_errors:
        table = log.table(language)
        n = int((table["severity"] == "error").sum())
        raise ValidationError(table, f"{file}: {n} error(s) in the improvement plan")
    return frame


def check_plan(
    path: str | Path, catalogue: Catalogue | None = None
) -> tuple[pd.DataFrame, ProblemLog, str]:
    """Parse an improvement plan once and collect every problem (both languages).

    The workspace loader merges the log into its own; :func:`read_plan` raises on it.

    Returns
    -------
    tuple
        The typed plan (valid rows only when there are problems), the problem log and
        the file's display name.
    """
    cat = catalogue or load_catalogue()
    spec = load_template_specs()["improvement_plan"]
    raw = read_table(path, text_columns=text_headers(spec))
    log = ProblemLog()
    parsed = parse_table(raw, spec, log)
    mapping, _ = match_headers([str(c) for c in raw.frame.columns], spec)
    header = {v: k for k, v in mapping.items()}
    df = parsed.frame
    rows = np.asarray(parsed.rows)
    reported = {(p.row, p.column) for p in log.problems}
    codes = cat.list_codes("activity")
    act = df["activity_code"]
    bad = (act.notna() & ~act.isin(codes)).to_numpy()
    if bad.any():
        report_rows(
            log, "unknown_activity_code", raw.file, header.get("activity_code", "activity_code"),
            rows[bad], act[bad], f"an activity code of catalogue {cat.version}: {', '.join(codes)}",
            f"รหัสกิจกรรมในเกณฑ์ {cat.version}: {', '.join(codes)}",
            "correct the code or use the catalogue the plan was drafted with",
            "แก้รหัสให้ถูกต้อง หรือใช้เกณฑ์ชุดเดียวกับที่ใช้จัดทำแผน",
        )  # fmt: skip
    signed = df["status"].isin(["approved", "done"]).to_numpy()
    checks = (
        ("approver", "missing_approver", "the approver's name", "ชื่อผู้อนุมัติ"),
        ("approved_date", "missing_approved_date", "the approval date", "วันที่อนุมัติ"),
    )
    for col, kind, what, what_th in checks:
        col_header = header.get(col, col)
        values = df[col]
        blank = values.isna().to_numpy()
        if values.dtype != "datetime64[ns]":
            blank |= (values.astype("string").str.strip() == "").fillna(True).to_numpy()
        miss = signed & blank
        miss &= np.array([(int(r), col_header) not in reported for r in rows], dtype=bool)
        if miss.any():
            report_rows(
                log, kind, raw.file, col_header, rows[miss], df["status"][miss],
                f"{what} for a row with status approved or done",
                f"{what_th} สำหรับรายการที่อนุมัติแล้วหรือดำเนินการแล้ว",
                "fill it in, or set the status back to draft",
                "กรอกให้ครบ หรือเปลี่ยนสถานะกลับเป็น ร่าง",
            )  # fmt: skip
    out = df[list(spec.column_names)].copy()
    kpi = out["kpi"]  # the workbook shows the KPI's name: read back its code
    out["kpi"] = kpi.where(kpi.isna(), kpi.map(kpi_code, na_action="ignore")).astype(kpi.dtype)
    for col in ("due_date", "approved_date"):
        out[col] = pd.to_datetime(out[col], errors="coerce").astype("datetime64[ns]")
    return out.reset_index(drop=True), log, str(raw.file)
