"""What one column of a form export is: header words, numbering, scale fit (see form_export).

Examples
--------
>>> split_number("4.1 ความสะดวกของขั้นตอน")
((4, 1), 'ความสะดวกของขั้นตอน')
>>> split_number("๒. ท่านเป็น")
((2,), 'ท่านเป็น')
>>> split_number("ความพึงพอใจโดยรวม")
((), 'ความพึงพอใจโดยรวม')
>>> has_word("Completion time", ("completion time",)), has_word("Usage", ("age",))
(True, False)
>>> group_kind("ประชาชนทั่วไป"), group_kind("ผู้นำชุมชน / เครือข่าย")
('recipient', 'stakeholder')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.thai import to_arabic_digits
from pmqa_analysis.stats.scales import Scale
from pmqa_analysis.workspace.privacy import find_pii

__all__ = [
    "EXTRA_MISSING",
    "KEYWORDS",
    "MESSAGES",
    "NOT_A_RESPONSE_DATE",
    "STAKEHOLDER_WORDS",
    "TIMESTAMP_WORDS",
    "Column",
    "answer_key",
    "classify",
    "group_kind",
    "has_word",
    "is_free_text",
    "is_numeric",
    "message",
    "personal_share",
    "scale_fits",
    "split_number",
    "text_of",
]

# header words; ASCII words match whole words, Thai words anywhere in the header
TIMESTAMP_WORDS = (
    (("completion time", "เวลาที่เสร็จสมบูรณ์", "เวลาเสร็จสิ้น"), 0),
    (("ประทับเวลา", "timestamp"), 1),
    (("วันที่ตอบ", "วันที่ทำแบบ", "วันเวลาที่ตอบ", "response date", "submitted"), 2),
    (("start time", "เวลาเริ่มต้น", "last modified time", "เวลาที่ปรับเปลี่ยนล่าสุด"), 9),
)
#: rank from which a timestamp-like column is never the response date
NOT_A_RESPONSE_DATE = 9
_NOT_USED = frozenset(
    ("id", "ลำดับ", "ลำดับที่", "no", "no.", "#", "total points", "points", "คะแนนรวม",
     "quiz feedback", "feedback")
)  # fmt: skip
_PERSONAL = (
    "email", "e-mail", "อีเมล", "อีเมล์", "นามสกุล", "ชื่อ-สกุล", "phone", "mobile", "tel",
    "เบอร์โทร", "หมายเลขโทรศัพท์", "โทรศัพท์ติดต่อ", "เลขบัตร", "เลขประจำตัว", "ที่อยู่",
    "address", "line id", "ไลน์ไอดี",
)  # fmt: skip
_NAMES = frozenset(
    ("name", "ชื่อ", "full name", "your name", "ชื่อผู้ตอบ", "ชื่อผู้ตอบแบบสอบถาม", "ชื่อ-นามสกุล")
)
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("comment_dissatisfied", ("ไม่พึงพอใจ", "ไม่ประทับใจ", "ไม่พอใจ", "dissatisf", "unsatisf")),
    ("comment_praise", ("ประทับใจ", "ชื่นชม", "praise", "impressed", "compliment", "liked")),
    ("comment_improve", (
        "ปรับปรุง", "ข้อเสนอแนะ", "เสนอแนะ", "suggest", "suggestion", "suggestions", "improve",
        "improvement", "ความคิดเห็น", "ข้อคิดเห็น", "comment", "comments",
    )),
    ("group_code", (
        "ท่านเป็น", "ประเภทผู้รับบริการ", "ประเภทผู้ตอบ", "สถานะผู้ตอบ", "สถานะของผู้ตอบ",
        "กลุ่มผู้รับบริการ", "กลุ่มผู้ตอบ", "ผู้มีส่วนได้ส่วนเสีย", "respondent type",
        "type of respondent", "you are", "respondent group",
    )),
    ("channel_code", ("ช่องทาง", "channel", "channels")),
    ("unit_code", (
        "หน่วยงาน", "สำนักงาน", "ที่ว่าการอำเภอ", "ส่วนราชการ", "unit", "office", "department",
        "agency",
    )),
    ("sex", ("เพศ", "sex", "gender")),
    ("age_band", ("อายุ", "age")),
    ("education", ("การศึกษา", "วุฒิ", "education")),
    ("occupation", ("อาชีพ", "occupation", "job", "profession")),
)  # fmt: skip
#: words of a respondent-type answer that make the group a stakeholder, not a recipient
STAKEHOLDER_WORDS = (
    "ผู้มีส่วนได้ส่วนเสีย", "ส่วนได้ส่วนเสีย", "ส่วนได้เสีย", "เครือข่าย", "ภาคี", "ผู้นำชุมชน",
    "ผู้นำท้องถิ่น", "กำนัน", "ผู้ใหญ่บ้าน", "อาสาสมัคร", "อสม", "คู่ความร่วมมือ", "พันธมิตร",
    "stakeholder", "stakeholders", "partner", "partners", "network", "community leader",
    "volunteer", "volunteers",
)  # fmt: skip
#: answers meaning "no answer" beyond the scales' own missing labels (written to scales.toml)
EXTRA_MISSING = (
    "ไม่แน่ใจ", "ไม่มีความคิดเห็น", "ไม่ขอตอบ", "ไม่ขอแสดงความคิดเห็น", "ไม่เคยใช้บริการ",
    "ไม่ได้ใช้บริการ", "ไม่เกี่ยวข้อง", "ไม่สามารถประเมินได้", "Not applicable", "Don't know",
    "Prefer not to say",
)  # fmt: skip
#: what the table says, (Thai, English), with str.format fields
MESSAGES: dict[str, tuple[str, str]] = {
    "response_number": (
        "เลขลำดับคำตอบของแบบฟอร์ม ไม่ต้องใช้ (ระบบสร้างรหัสผู้ตอบจากชื่อไฟล์และแถว)",
        "the form's response number: not needed (respondent ids come from file + row)"),
    "comment_like": (
        "หัวคอลัมน์คล้ายคำถามความคิดเห็น แต่คำตอบเป็นระดับมาตรวัด",
        "the header reads like a comment question, the answers are ratings"),
    "near_scale": (
        "คล้ายข้อคำถามมาตรวัด {scale} แต่มีคำตอบที่ไม่ใช่ระดับของมาตรวัด: {shown} "
        "(แก้คำตอบ หรือกำหนดมาตรวัดใน scales.toml)",
        "looks like a rating item on {scale} but some answers are not its labels: {shown} "
        "(correct them, or define the scale in scales.toml)"),
    "personal": ("ข้อมูลส่วนบุคคล ไม่นำมาใช้", "personal data: not used"),
    "personal_answers": (
        "คำตอบส่วนใหญ่เป็นอีเมล/เบอร์โทร/เลขบัตร: ข้อมูลส่วนบุคคล ไม่นำมาใช้",
        "most answers are e-mails, phones or ID numbers: personal data, not used"),
    "pii_names": (
        "คำตอบ {n} แบบมีข้อมูลส่วนบุคคล และจะเป็นชื่อในไฟล์อ้างอิงซึ่งแสดงในรายงาน: แก้ชื่อ"
        "ในไฟล์อ้างอิงไม่ได้ (ต้องตรงกับคำตอบ) ให้ตรวจว่าควรใช้คอลัมน์นี้หรือไม่",
        "{n} answers carry personal data and become names in a reference file, shown in "
        "reports; check whether this column should be used"),
    "no_answers": ("ไม่มีคำตอบ", "no answers"),
    "unplaced": (
        "จัดประเภทคอลัมน์ไม่ได้ หากต้องใช้ ให้ระบุใน [columns.responses] ของ settings.toml",
        "cannot place this column; if it is needed, map it in [columns.responses]"),
    "also_could_be": (
        "คอลัมน์อื่นอาจเป็น{what_th}ด้วย: {names} ตรวจสอบว่าใช้คอลัมน์ถูก",
        "another column could be the {what_en} too: {names}; check"),
    "ambiguous": (
        "อาจเป็น{what_th} แต่ใช้ '{chosen}' แล้ว หากคอลัมน์นี้ถูก ให้แก้ {role} ใน "
        "[columns.responses] และไฟล์อ้างอิง",
        "could be the {what_en}; '{chosen}' is used. If this one is right, change {role} in "
        "[columns.responses] and the reference file"),
    "many_names": (
        "คำตอบต่างกันถึง {n} แบบ อาจเป็นข้อความอิสระ ตรวจรายชื่อ",
        "{n} different answers: free text? check the list"),
    "multi_select": (
        "คำตอบเลือกได้หลายข้อ ({name}) กลายเป็นรายการแยก ตรวจสอบ",
        "multiple-choice answers ({name}) became entries of their own; check"),
    "bad_dates": (
        "อ่านวันที่ไม่ได้ {n} แถว (validate จะรายงาน)",
        "{n} dates cannot be read (validate will report them)"),
    "blank_dates": ("ไม่มีวันที่ {n} แถว (validate จะรายงาน)", "{n} rows have no date"),
    "years": (
        "มีคำตอบหลายปีงบประมาณ ({first}–{last}) ใช้ปี {last} ปีก่อนหน้าเป็นข้อมูลย้อนหลัง",
        "answers span fiscal years {first}–{last}; {last} is assessed, the others are history"),
    "sex_answers": (
        "คำตอบที่ระบบไม่รับ: {shown} (รับได้: ชาย, หญิง, อื่นๆ, ไม่ระบุ) จึงไม่ใช้คอลัมน์นี้",
        "answers the kit does not accept: {shown} (accepted: ชาย, หญิง, อื่นๆ, ไม่ระบุ), so the "
        "column is not used"),
    "month_first": (
        "วันที่เขียนแบบ เดือน/วัน/ปี (แบบฟอร์มภาษาอังกฤษ-สหรัฐ) อ่านตามนั้น",
        "dates are written month/day/year (a US-English form) and read so"),
    "date_order": (
        "วันที่อ่านได้ทั้งแบบ วัน/เดือน และ เดือน/วัน ใช้ วัน/เดือน ตรวจว่าช่วงวันที่ถูกต้อง",
        "the dates read both as day/month and month/day; day/month is used: check the range"),
    "free_text_as_comment": (
        "คำตอบพิมพ์อิสระ ใช้เป็นความเห็น (comment_improve) หากไม่ใช่ ให้ลบบรรทัด "
        "comment_improve ใน [columns.responses]",
        "typed-in answers, used as comments (comment_improve); if wrong, delete the "
        "comment_improve line of [columns.responses]"),
    "free_text": (
        "คำตอบพิมพ์อิสระ ไม่ได้ใช้ หากเป็นความเห็น ให้ระบุ comment_praise/comment_improve/"
        "comment_dissatisfied ใน [columns.responses]",
        "typed-in answers, not used; if they are comments, map comment_praise/comment_improve/"
        "comment_dissatisfied to it in [columns.responses]"),
    "stakeholders": (
        "{names}: ผู้มีส่วนได้ส่วนเสีย (kind = stakeholder) ตามคำในคำตอบ",
        "{names}: stakeholders (kind = stakeholder) by the words of the answer"),
    "other_stamp": ("ใช้ '{header}' เป็นวันที่ตอบ", "'{header}' is the response date"),
    "not_used": ("ไม่ใช้", "not used"),
    "extra_missing": (
        "ถือว่า '{shown}' = ไม่ตอบ (เพิ่มไว้ใน scales.toml)",
        "'{shown}' counted as no answer (added in scales.toml)"),
    "numbers_only": (
        "คำตอบเป็นตัวเลขเท่านั้น ตรวจว่า {max} = ระดับสูงสุด",
        "numbers only: check that {max} is the highest level"),
    "section": ("ชื่อด้าน {code}", "the name of dimension {code}"),
    "pii": (
        "มีข้อมูลส่วนบุคคลใน {n} ความเห็น ระบบปิดบังให้เมื่ออ่านไฟล์",
        "personal data in {n} answer(s): masked when the file is read"),
    "population": (
        "กรอก service_population (ผู้รับบริการต่อปี) ใน units.csv เพื่อตรวจขนาดตัวอย่าง",
        "fill in service_population in units.csv for the sample-size check"),
    "kind": (
        "ตรวจ kind (recipient/stakeholder) ใน groups.csv",
        "check kind (recipient/stakeholder) in groups.csv"),
    "blank_rows": (
        "ไม่ได้ตอบ {n} แถว (validate จะรายงาน)", "{n} rows left blank (validate will report them)"),
    "loader": (
        "ระบบจะอ่านคอลัมน์นี้เป็น {got} จากหัวคอลัมน์ ตรวจผล validate",
        "the loader reads this column as {got} by its header; check what validate says"),
    # notes about the whole draft and blocking problems
    "sheet_found": (
        "ใช้ชีต '{sheet}' ซึ่งมีหัวคอลัมน์ประทับเวลา (ชีตในไฟล์: {sheets}) ถ้าไม่ใช่ ให้ระบุ --sheet",
        "read sheet '{sheet}', the one holding the timestamp header (sheets: {sheets}); if "
        "that is wrong, name the sheet with --sheet",
    ),
    "header_row_found": (
        "หัวคอลัมน์อยู่ที่แถว {row} (ข้ามแถวชื่อเรื่องด้านบน) ตัวโหลดข้อมูลจะหาแถวเดียวกันเอง",
        "the header is on row {row} (the title rows above it are skipped); the loader finds "
        "the same row",
    ),
    "duplicate_headers": (
        "หัวคอลัมน์ซ้ำกันในไฟล์: {names} (validate จะรายงาน) ตั้งชื่อคำถามในแบบฟอร์มไม่ให้ซ้ำ "
        "แล้วดาวน์โหลดใหม่",
        "headers repeated in the export: {names} (validate reports them); give the form's "
        "questions different titles and download again"),
    "one_dimension": (
        "ไม่มีเลขข้อแบบ 4.1: ทุกข้ออยู่ในด้านเดียว ALL (ภาพรวม) แก้ dimension_code ใน "
        "questionnaire.csv หากแบบสอบถามแบ่งเป็นด้าน",
        "no numbering such as 4.1: every item is in one dimension ALL; edit dimension_code "
        "in questionnaire.csv if the form has dimensions"),
    "name_dimensions": (
        "ตั้งชื่อด้าน (dimension_th) ใน questionnaire.csv แทน 'ด้านที่ n'",
        "name the dimensions (dimension_th) in questionnaire.csv"),
    "reverse": (
        "ตรวจข้อคำถามเชิงลบ แล้วใส่ reverse = yes ใน questionnaire.csv",
        "mark negatively worded items reverse = yes in questionnaire.csv"),
    "no_timestamp": (
        "ไม่พบคอลัมน์วันเวลาที่ตอบ (ประทับเวลา, Timestamp, Completion time)",
        "no timestamp column (ประทับเวลา, Timestamp, Completion time)"),
    "no_dates": (
        "อ่านวันที่ในคอลัมน์ '{header}' ไม่ได้เลย", "no date in column '{header}' can be read"),
    "no_items": (
        "ไม่พบข้อคำถามแบบมาตรวัด: ไม่มีคอลัมน์ที่ทุกคำตอบเป็นระดับของมาตรวัดเดียวกัน "
        "(ดู pmqa scales)",
        "no rating item found: no column whose answers are all labels of one scale "
        "(see `pmqa scales`)"),
    "no_unit": (
        "ไม่พบคำถามหน่วยงาน (หัวคอลัมน์ที่มีคำว่า หน่วยงาน / สำนักงาน / ที่ว่าการอำเภอ)",
        "no unit question (a header with หน่วยงาน, สำนักงาน, unit, office …)"),
    "no_group": (
        "ไม่พบคำถามประเภทผู้ตอบ (หัวคอลัมน์ที่มีคำว่า ท่านเป็น / ประเภทผู้รับบริการ)",
        "no respondent-type question (a header with ท่านเป็น, respondent type …)"),
}  # fmt: skip
_GRID = re.compile(r"^(?P<title>.*?)\s*\[(?P<row>[^\[\]]+)\]$")
_NUMBER = re.compile(
    r"^(?:(?:ข้อที่|ข้อ|Q)\s*)?(?P<num>\d{1,3}(?:\.\d{1,3})*)(?:\s*[.)]\s*|\s*)(?=[^\d\s.)])", re.I
)
_SPACES = re.compile(r"\s+")


def message(key: str, **fields: Any) -> tuple[str, str]:
    """One :data:`MESSAGES` entry, formatted: (Thai, English)."""
    th, en = MESSAGES[key]
    return th.format(**fields), en.format(**fields)


def split_number(text: str) -> tuple[tuple[int, ...], str]:
    """A header's numbering and the text after it (Thai digits read as numbers)."""
    t = str(text).strip()
    m = _NUMBER.match(to_arabic_digits(t))
    if not m:
        return (), t
    return tuple(int(x) for x in m["num"].split(".")), t[m.end() :].strip()


def answer_key(value: Any) -> str:
    """An answer as the scales compare it: NFC, Arabic digits, spaces collapsed, casefold."""
    text = to_arabic_digits(unicodedata.normalize("NFC", str(value)))
    return _SPACES.sub(" ", text).strip().casefold()


_EXTRA_KEYS = frozenset(answer_key(m) for m in EXTRA_MISSING)


def has_word(text: str, words: Sequence[str]) -> bool:
    """True when ``text`` contains one of ``words`` (ASCII ones as whole words)."""
    low = _SPACES.sub(" ", text).casefold()
    for w in words:
        if w.isascii():
            if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low):
                return True
        elif w in low:
            return True
    return False


def text_of(value: Any) -> str:
    """A cell as text (a whole float without its ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Column:
    """One export column while its role is decided."""

    position: int
    header: str
    values: pd.Series  # the non-blank answers
    number: tuple[int, ...] = ()
    text: str = ""  # the header (or grid row) without its numbering
    grid: tuple[str, str] | None = None  # Google Forms grid: (title, row)
    role: str = ""
    column: str = ""  # the template column or item code it feeds
    detail: str = ""
    rank: int = 0  # timestamp headers: lower is better
    checks: list[tuple[str, str]] = field(default_factory=list)
    scale: str = ""
    candidates: tuple[str, ...] = ()

    @classmethod
    def of(cls, position: int, header: str, raw: pd.Series) -> Column:
        """A column from its header and raw cells (blank cells dropped)."""
        m = _GRID.match(header)
        grid = (m["title"], m["row"]) if m else None
        number, text = split_number(grid[1] if grid else header)
        if grid and not number:
            number = split_number(grid[0])[0]
        values = raw.dropna()
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            values = values[values.astype(str).str.strip() != ""]
        return cls(position, header, values, number, text, grid)

    def check(self, key: str, **fields: Any) -> None:
        """Add a :data:`MESSAGES` note for the analyst."""
        self.checks.append(message(key, **fields))


def scale_fits(
    values: pd.Series, scales: Mapping[str, Scale]
) -> dict[str, tuple[bool, float, tuple[Any, ...]]]:
    """Scale name -> (covers every answer, share of valid answers, extra missing labels used).

    Examples
    --------
    >>> from pmqa_analysis.stats.scales import load_scales
    >>> fits = scale_fits(pd.Series(["มาก", "มากที่สุด", "ไม่แน่ใจ"]), load_scales())
    >>> fits["th5"], fits["th5_quality"][0]
    ((True, 1.0, ('ไม่แน่ใจ',)), False)
    """
    distinct, counts = _distinct(values)
    total = max(int(counts.sum()), 1)
    is_extra = distinct.map(answer_key).isin(_EXTRA_KEYS).to_numpy()
    out: dict[str, tuple[bool, float, tuple[Any, ...]]] = {}
    for name, scale in scales.items():
        scores, invalid = scale.to_scores(distinct)
        bad = np.asarray(invalid, dtype=bool)
        extra = tuple(distinct[bad & is_extra])
        wrong = int(counts[bad & ~is_extra].sum())
        covers = wrong == 0 and bool(scores.notna().any())
        out[name] = (covers, 1 - wrong / total, extra)
    return out


def _distinct(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The distinct answers (in order of first appearance) and how often each occurs."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    return pd.Series(uniques), counts


def group_kind(name: str) -> str:
    """``"stakeholder"`` when a respondent-type answer says so (:data:`STAKEHOLDER_WORDS`)."""
    return "stakeholder" if has_word(name, STAKEHOLDER_WORDS) else "recipient"


def is_free_text(values: pd.Series) -> bool:
    """True for typed-in answers: not numbers, mostly different, a few words long.

    Examples
    --------
    >>> is_free_text(pd.Series(["ที่จอดรถไม่พอ", "ควรมีป้ายบอกทาง", "เจ้าหน้าที่ยิ้มแย้มดี"]))
    True
    >>> is_free_text(pd.Series(["ตำบลในเมือง", "ตำบลในเมือง", "ตำบลโพธิ์", "ตำบลในเมือง"]))
    False
    """
    if not len(values) or is_numeric(values):
        return False
    texts = values.map(text_of)
    return texts.nunique() >= 0.6 * len(texts) and float(texts.str.len().median()) >= 8


def personal_share(values: pd.Series) -> float:
    """Share of the answers holding an e-mail, a phone or a national-ID number.

    Examples
    --------
    >>> personal_share(pd.Series(["0812345678", "a@b.co", "LINE", "-"]))
    0.5
    """
    if not len(values):
        return 0.0
    distinct, counts = _distinct(values)
    found = find_pii(distinct.map(text_of).astype(object))
    hits = np.unique(found.loc[found["kind"] != "name", "index"].to_numpy(dtype=int))
    return float(counts[hits].sum()) / float(counts.sum())


def is_numeric(values: pd.Series) -> bool:
    """True when every answer is a number (typed, or digits as text)."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return True
    return all(re.fullmatch(r"[0-9.]+", answer_key(v)) is not None for v in pd.unique(values))


def classify(col: Column, scales: Mapping[str, Scale]) -> None:
    """Set the column's ``role`` (and scale ``candidates``) by the rules of form_export."""
    for words, rank in TIMESTAMP_WORDS:
        if has_word(col.header, words):
            col.role, col.rank = "response_date", rank
            return
    if answer_key(col.header) in _NOT_USED or answer_key(col.text) in _NOT_USED:
        col.role = "unused"
        col.check("response_number")
        return
    keyword = next((role for role, words in KEYWORDS if has_word(col.text, words)), "")
    comment = keyword.startswith("comment")
    if len(col.values):
        fits = scale_fits(col.values, scales)
        covering = tuple(n for n, f in fits.items() if f[0])
        if covering and not (keyword and not comment and is_numeric(col.values)):
            col.role, col.candidates = "item", covering
            if comment:
                col.check("comment_like")
            return
        best = max(fits, key=lambda n: fits[n][1])
        if fits[best][1] >= 0.8 and not (keyword and not comment):
            _, bad = scales[best].to_scores(col.values)
            wrong = [v for v in pd.unique(col.values[bad.to_numpy()])
                     if answer_key(v) not in _EXTRA_KEYS]  # fmt: skip
            col.role, col.detail = "unknown", best
            col.check(
                "near_scale", scale=best, shown=", ".join(repr(text_of(v)) for v in wrong[:3])
            )
            return
    if has_word(col.header, _PERSONAL) or {answer_key(col.text), answer_key(col.header)} & _NAMES:
        col.role = "personal"
        col.check("personal")
    elif not comment and personal_share(col.values) >= 0.5:  # a comment box is masked
        col.role = "personal"
        col.check("personal_answers")
    elif not len(col.values):
        col.role = "unused"
        col.check("no_answers")
    elif keyword:
        col.role = keyword
    else:
        col.role = "unknown"
        col.check("unplaced")
