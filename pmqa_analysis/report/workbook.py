"""The unit's Excel workbook (``report.xlsx``): the report's tables, Thai first.

The unit report registers every table it shows (:func:`pmqa_analysis.report.export.
register_table`, headers already in the report's language); :func:`write_unit_workbook`
writes them as one sheet each with the kit's workbook look
(:mod:`pmqa_analysis.core.workbook`: Sarabun, frozen header row, filter, number formats,
dates as real dates shown in the Buddhist Era, widths measured as Thai is seen) and:

- names each sheet in the report's language (:data:`SHEET_TITLES`; a name a notebook
  gave that is not listed is kept, made Excel-valid);
- words the codes left in cells: a cell that is exactly a status (``not_met``), a metric
  (``top2_pct``), a plan KPI (``checklist_share``), a progress code, a problem kind or a
  severity becomes its wording (:func:`code_words`), from the label tables of
  :mod:`pmqa_analysis.core.labels` and the catalogue's metric names;
- turns ISO date text (``2025-03-31``, as the plan's CSV gives it) into date cells.

Examples
--------
>>> code_words("th")["not_met"], code_words("en")["top2_pct"]
('ไม่ผ่าน', '% satisfied, top-2-box (CS6)')
>>> sheet_title("items", "th"), sheet_title("items", "en"), sheet_title("ของฉัน", "th")
('ความพึงพอใจรายข้อ', 'Satisfaction by item', 'ของฉัน')
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from pmqa_analysis.assessment.improvement_plan import PROGRESS_LABELS
from pmqa_analysis.core.labels import (
    CHECK_STATUS,
    COLUMN_LABELS,
    PLAN_STATUS,
    SCORECARD_STATUS,
)
from pmqa_analysis.core.workbook import Formats, new_workbook, write_sheet
from pmqa_analysis.workspace.criteria import KNOWN_METRICS
from pmqa_analysis.workspace.plan_file import PLAN_KPI_WORDS, kpi_name

__all__ = [
    "FILE_COLUMN_HEADER",
    "PROBLEM_KINDS",
    "SEVERITY",
    "SHEET_TITLES",
    "code_words",
    "sheet_title",
    "write_unit_workbook",
]

#: registered table name -> (Thai, English) sheet name (at most 31 characters)
SHEET_TITLES: Mapping[str, tuple[str, str]] = {
    "scorecard": ("ผลการประเมินตามเกณฑ์", "Scorecard"),
    "groups": ("กลุ่มผู้ตอบแบบสอบถาม", "Respondent groups"),
    "items": ("ความพึงพอใจรายข้อ", "Satisfaction by item"),
    "dimensions": ("ความพึงพอใจรายด้าน", "Satisfaction by dimension"),
    "complaints": ("ข้อร้องเรียน", "Complaints"),
    "complaint_states": ("สถานะข้อร้องเรียน", "Complaint states"),
    "service": ("มาตรฐานการให้บริการ", "Service standards"),
    "themes": ("ประเด็นข้อคิดเห็น", "Comment themes"),
    "plan_progress": ("ความก้าวหน้าแผนปีก่อน", "Last year's plan progress"),
    "plan": ("ร่างแผนพัฒนาปรับปรุง", "Improvement plan draft"),
    "data_quality": ("คุณภาพข้อมูล", "Data quality"),
}
#: problem kinds a report shows (the workspace's warnings) -> (Thai, English)
PROBLEM_KINDS: Mapping[str, tuple[str, str]] = {
    "sample_below_required": ("ผู้ตอบน้อยกว่าขนาดตัวอย่างที่ต้องการ",
                              "fewer respondents than the required sample"),
    "unknown_population": ("ไม่พบจำนวนประชากรของหน่วยงาน", "the unit's population is unknown"),
    "unknown_column": ("คอลัมน์ที่ไม่อยู่ในแม่แบบ", "a column not in the template"),
    "closed_without_date": ("ปิดเรื่องแล้วแต่ไม่มีวันที่ปิด", "closed without a closing date"),
}  # fmt: skip
#: problem severity -> (Thai, English)
SEVERITY: Mapping[str, tuple[str, str]] = {
    "error": ("ข้อผิดพลาด", "error"),
    "warning": ("คำเตือน", "warning"),
}
#: the data-quality table's header for a problem's column (a file's own header: kept)
FILE_COLUMN_HEADER: Mapping[str, str] = {"th": "คอลัมน์ในไฟล์", "en": "Column in the file"}


def sheet_title(name: str, language: str = "th") -> str:
    """The sheet name of a registered table in ``language`` (``name`` when not listed)."""
    pair = SHEET_TITLES.get(str(name))
    return str(name) if pair is None else pair[1 if language == "en" else 0]


@functools.cache
def code_words(language: str = "th") -> Mapping[str, str]:
    """Code -> wording for the cells of a workbook in ``language``.

    Later tables do not override earlier ones: a scorecard status (``partly`` ผ่านบางส่วน)
    wins over the checklist's (``partly`` บางส่วน).
    """
    at = 1 if language == "en" else 0
    words: dict[str, str] = {}
    # only the kit's lower-case codes: upper-case ones (PROCESS, FACILITY) are also the
    # questionnaire's dimension codes, shown beside their names
    tables: Sequence[Mapping[str, tuple[str, str]]] = (
        SCORECARD_STATUS, PLAN_STATUS, CHECK_STATUS, SEVERITY, PROBLEM_KINDS,
    )  # fmt: skip
    for table in tables:
        for code, pair in table.items():
            words.setdefault(code, pair[at])
    for code, text in PROGRESS_LABELS["en" if at else "th"].items():
        words.setdefault(code, text)
    for code in (*KNOWN_METRICS, *PLAN_KPI_WORDS):
        words.setdefault(code, kpi_name(code, "en" if at else "th"))
    return words


def _worded(frame: pd.DataFrame, words: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with every text cell that is exactly a known code replaced by its word."""
    out = frame.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_datetime64_any_dtype(col):
            continue
        values = col.tolist()
        if not any(isinstance(v, str) and v in words for v in values):
            continue  # nothing to word: the column as it is
        mapped = [words.get(v, v) if isinstance(v, str) else v for v in values]
        out.isetitem(j, pd.Series(mapped, index=out.index, dtype=object).to_numpy(dtype=object))
    return out


def _prepare(name: str, frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """Per-table touches before wording: the data-quality table's column header."""
    if name == "data_quality":
        label = COLUMN_LABELS["column"][1 if language == "en" else 0]
        return frame.rename(columns={label: FILE_COLUMN_HEADER[language], "column":
                                     FILE_COLUMN_HEADER[language]})  # fmt: skip
    return frame


def write_unit_workbook(
    tables: Sequence[str | Path],
    path: str | Path,
    *,
    title: str = "",
    language: str = "th",
) -> Path:
    """Write registered tables (Parquet files) to one workbook, one sheet per table.

    Parameters
    ----------
    tables : sequence of path
        The Parquet files :func:`pmqa_analysis.report.export.register_table` wrote, in
        sheet order.
    path : str or Path
        The workbook to write (the same tables give the same bytes).
    title : str
        The workbook's title (document properties; the "no tables" sheet).
    language : {"th", "en"}
        Sheet names, wording of codes, date display.

    Returns
    -------
    Path
    """
    import pyarrow.parquet as pq

    lang = "en" if language == "en" else "th"
    target = Path(path)
    wb = new_workbook(target, title)
    formats = Formats(wb, lang)
    used: set[str] = set()
    words = code_words(lang)
    if not tables:
        info = "ไม่มีตารางที่บันทึกไว้" if lang == "th" else "no tables were registered"
        frame = pd.DataFrame({("รายการ" if lang == "th" else "Item"): [title, info]})
        write_sheet(formats, "ข้อมูล" if lang == "th" else "Info", frame, used=used)
    for table_path in tables:
        table = pq.read_table(table_path)
        meta = table.schema.metadata or {}
        name = meta.get(b"pmqa_sheet", Path(table_path).stem.encode()).decode("utf-8")
        frame = _worded(_prepare(name, table.to_pandas(), lang), words)
        write_sheet(formats, sheet_title(name, lang), frame, used=used,
                    freeze_columns=1 if frame.shape[1] > 3 else 0)  # fmt: skip
    wb.close()
    return target
