"""Display wording of the reports: table headers, figures, statuses (Thai, English).

Light on purpose (standard library only): the unit notebook's kernel, the charts and the
plan module share it.

Examples
--------
>>> COLUMN_LABELS["mean"]
('ค่าเฉลี่ย', 'Mean')
>>> PLAN_STATUS["draft"]
('ร่าง', 'draft')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pmqa_analysis.core.errors import InputError

__all__ = [
    "CHECK_STATUS",
    "COLUMN_LABELS",
    "COMMENT_FIELDS",
    "COMPLAINT_FIGURES",
    "LANGUAGES",
    "PLAN_STATUS",
    "SCORECARD_STATUS",
    "THEME_DIMENSIONS",
    "check_language",
    "label_columns",
    "word",
]

#: The report languages: Thai (the default) and English.
LANGUAGES = ("th", "en")


def check_language(language: str) -> str:
    """Return ``language`` when it is one of :data:`LANGUAGES`, else raise an InputError.

    >>> check_language("en")
    'en'
    >>> check_language("fr")
    Traceback (most recent call last):
    ...
    pmqa_analysis.core.errors.InputError: language 'fr' is not supported: language must be ...
    """
    if language not in LANGUAGES:
        raise InputError(
            f"language {language!r} is not supported: language must be 'th' or 'en'. "
            "Fix: pass language='th' (Thai, default) or language='en'."
        )
    return language


#: column -> (Thai, English) header of the report's tables (the workbook's too)
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "unit_code": ("รหัสหน่วยงาน", "Unit code"),
    "name": ("หน่วยงาน", "Unit"),
    "required_n": ("ขนาดตัวอย่างที่ต้องการ", "Required n"),
    "reached": ("ตัวอย่างเพียงพอ", "Sample reached"),
    "mean_pct": ("ร้อยละของคะแนนเต็ม", "% of maximum"),
    "alpha": ("Cronbach's alpha", "Cronbach's alpha"),
    "reason_th": ("เหตุผล", "Reason"),
    "reason_en": ("เหตุผล", "Reason"),
    "item_code": ("รหัสข้อ", "Item code"),
    "dimension_code": ("รหัสด้าน", "Dimension code"),
    "activity_code": ("รหัสกิจกรรม", "Activity code"),
    "service_code": ("รหัสบริการ", "Service"),
    "n": ("n", "n"),
    "mean": ("ค่าเฉลี่ย", "Mean"),
    "sd": ("ส่วนเบี่ยงเบนมาตรฐาน", "SD"),
    "band": ("ระดับ", "Level"),
    "rank": ("อันดับ", "Rank"),
    "top2_pct": ("มาก–มากที่สุด (%)", "Top two (%)"),
    "bottom2_pct": ("น้อย–น้อยที่สุด (%)", "Bottom two (%)"),
    "n_unmatched": ("ไม่มีมาตรฐานเทียบ", "No standard"),
    "within_standard_pct": ("ภายในเวลามาตรฐาน (%)", "Within standard (%)"),
    "mean_actual": ("เวลาเฉลี่ย (นาที)", "Mean time (min)"),
    "median_actual": ("มัธยฐานเวลา (นาที)", "Median time (min)"),
    "standard_minutes": ("มาตรฐาน (นาที)", "Standard (min)"),
    "mean_ratio": ("เวลาจริง ÷ มาตรฐาน", "Actual ÷ standard"),
    "column": ("ช่องข้อคิดเห็น", "Comment field"),
    "theme_th": ("ประเด็น", "Theme"),
    "theme_en": ("ประเด็น", "Theme"),
    "dimension": ("ด้าน", "Dimension"),
    "cs_code": ("หมวด CS", "CS code"),
    "n_comments": ("จำนวนข้อคิดเห็น", "Comments"),
    "pct_of_comments": ("ร้อยละของข้อคิดเห็น", "% of comments"),
    "plan_id": ("รหัสแผน", "Plan id"),
    "gap": ("ช่องว่าง", "Gap"),
    "action": ("มาตรการ", "Action"),
    "kpi": ("ตัวชี้วัด", "KPI"),
    "target": ("เป้าหมาย", "Target"),
    "baseline": ("ค่าฐาน", "Baseline"),
    "value_now": ("ค่าปัจจุบัน", "Value now"),
    "status_now": ("ผลปัจจุบัน", "Result now"),
    "owner": ("ผู้รับผิดชอบ", "Owner"),
    "due_date": ("กำหนดเสร็จ", "Due"),
    "status": ("สถานะ", "Status"),
    "progress": ("ความก้าวหน้า", "Progress"),
    "progress_th": ("ความก้าวหน้า", "Progress"),
    "detail_th": ("รายละเอียด", "Detail (Thai)"),
    "detail_en": ("รายละเอียด (อังกฤษ)", "Detail"),
    "file": ("ไฟล์", "File"),
    "row": ("แถว", "Row"),
    "value": ("ค่าที่พบ", "Value found"),
    "expected": ("ที่ควรเป็น", "Expected"),
    "hint": ("คำแนะนำ", "Hint"),
    "kind": ("ประเภท", "Kind"),
    "severity": ("ระดับ", "Severity"),
}

#: the complaints summary, shown as a two-column list: column -> (Thai, English)
COMPLAINT_FIGURES: dict[str, tuple[str, str]] = {
    "n": ("ข้อร้องเรียนทั้งหมด (เรื่อง)", "Complaints"),
    "n_closed": ("ปิดแล้ว (เรื่อง)", "Closed"),
    "n_open": ("ยังไม่ปิด (เรื่อง)", "Still open"),
    "closed_within_standard_pct": ("ปิดภายในมาตรฐาน (% ของเรื่องที่ปิด)",
                                   "Closed within the standard (% of closed)"),
    "within_standard_pct_all": ("ภายในมาตรฐาน (% ของทั้งหมด)", "Within the standard (% of all)"),
    "n_open_overdue": ("ค้างเกินมาตรฐาน (เรื่อง)", "Open beyond the standard"),
    "median_days_to_close": ("มัธยฐานวันจนแจ้งผล", "Median days to close"),
    "p90_days_to_close": ("เปอร์เซ็นไทล์ที่ 90 วันจนแจ้งผล", "90th percentile days to close"),
    "open_backlog": ("เรื่องค้าง", "Open backlog"),
    "backlog_median_age_days": ("อายุเรื่องค้าง มัธยฐาน (วัน)", "Backlog median age (days)"),
    "backlog_max_age_days": ("อายุเรื่องค้างสูงสุด (วัน)", "Backlog oldest (days)"),
    "reopen_rate_pct": ("เปิดเรื่องใหม่ (%)", "Reopened (%)"),
    "n_reopened": ("เรื่องที่ถูกเปิดใหม่ (เรื่อง)", "Complaints reopened"),
    "n_reopenings": ("จำนวนครั้งที่เปิดใหม่ (ครั้ง)", "Reopenings"),
    "forwarded_pct": ("ส่งต่อหน่วยงานอื่น (%)", "Forwarded (%)"),
    "mean_rating": ("คะแนนความพึงพอใจต่อการจัดการเฉลี่ย", "Mean rating of the handling"),
    "n_rated": ("จำนวนที่ให้คะแนน", "Ratings"),
}  # fmt: skip

#: scorecard status of an activity code -> (Thai, English)
SCORECARD_STATUS: dict[str, tuple[str, str]] = {
    "met": ("ผ่าน", "met"),
    "partly": ("ผ่านบางส่วน", "partly"),
    "not_met": ("ไม่ผ่าน", "not met"),
    "no_data": ("ไม่มีข้อมูล", "no data"),
}

#: checklist item status -> (Thai, English)
CHECK_STATUS: dict[str, tuple[str, str]] = {
    "done": ("ดำเนินการแล้ว", "done"),
    "partly": ("บางส่วน", "partly"),
    "not_done": ("ยังไม่ดำเนินการ", "not done"),
}

#: improvement-plan status -> (Thai, English)
PLAN_STATUS: dict[str, tuple[str, str]] = {
    "draft": ("ร่าง", "draft"),
    "approved": ("อนุมัติแล้ว", "approved"),
    "done": ("ดำเนินการแล้ว", "done"),
    "cancelled": ("ยกเลิก", "cancelled"),
}

#: comment field (the part after ``comment_``) -> (Thai, English)
COMMENT_FIELDS: dict[str, tuple[str, str]] = {
    "praise": ("คำชม", "Praise"),
    "improve": ("ข้อเสนอแนะ", "Suggestions"),
    "dissatisfied": ("ความไม่พึงพอใจ", "Dissatisfaction"),
}


#: dimension of a comment theme (the lexicon's own codes, text.DIMENSIONS) -> (Thai, English)
THEME_DIMENSIONS: dict[str, tuple[str, str]] = {
    "PROCESS": ("ด้านกระบวนการ/ขั้นตอน", "Process and steps"),
    "STAFF": ("ด้านเจ้าหน้าที่", "Staff"),
    "FACILITIES": ("ด้านสิ่งอำนวยความสะดวก", "Facilities"),
    "INFORMATION": ("ด้านข้อมูลข่าวสารและช่องทาง", "Information and channels"),
    "QUALITY": ("ด้านคุณภาพการให้บริการ", "Service quality"),
}


def word(words: Mapping[str, tuple[str, str]], value: Any, language: str) -> Any:
    """A code's wording in ``language``; the code itself when ``words`` does not know it.

    Examples
    --------
    >>> word(SCORECARD_STATUS, "partly", "th"), word(SCORECARD_STATUS, "x", "en")
    ('ผ่านบางส่วน', 'x')
    """
    pair = words.get(str(value))
    return value if pair is None else pair[0 if language == "th" else 1]


def label_columns(frame: Any, language: str, extra: Mapping[str, str] | None = None) -> Any:
    """``frame`` with its known columns renamed to their wording in ``language``.

    ``extra`` adds or overrides names (e.g. a scale's level labels). Two columns that
    would get the same header keep their own names.

    Examples
    --------
    >>> import pandas as pd
    >>> list(label_columns(pd.DataFrame(columns=["mean", "n", "x"]), "th").columns)
    ['ค่าเฉลี่ย', 'n', 'x']
    >>> list(label_columns(pd.DataFrame(columns=["progress", "progress_th"]), "th").columns)
    ['progress', 'progress_th']
    """
    at = 0 if language == "th" else 1
    names = {c: COLUMN_LABELS[c][at] for c in frame.columns if c in COLUMN_LABELS}
    names.update({c: v for c, v in (extra or {}).items() if c in frame.columns})
    headers = [names.get(c, c) for c in frame.columns]
    return frame.rename(columns={c: h for c, h in names.items() if headers.count(h) == 1})
