"""The one look of every workbook the kit writes (unit ``report.xlsx``, ``committee.xlsx``,
``improvement_plan.xlsx``): fonts, number and date formats, header row, widths.

It lives in ``core`` because the assessment room (committee and plan workbooks) and the
report room (the unit workbook) both write workbooks, and ``assessment`` sits below
``report``.  It knows nothing of the catalogue or the labels: callers word their codes
first (``core.labels``, the catalogue's metric names) and hand over frames of values.

What a sheet written by :func:`write_sheet` looks like
------------------------------------------------------
- The header row is bold on a pale blue fill, wrapped, frozen (it stays in view when
  scrolling) and carries an autofilter over the table.
- Every cell uses **Sarabun** (the font the HTML reports embed; the workbook's default
  format names it).  Where Sarabun is not installed, Excel and LibreOffice fall back to a
  Thai-capable system font at the same size (Sarabun's metrics are those of an ordinary
  UI font, unlike "TH SarabunPSK", which needs 16 pt to be legible).
- Numbers stay numbers at full precision; only their display is rounded: whole numbers
  ``#,##0`` (years ``0``: ``2568``, not ``2,568``), values in percent units (``78.2``
  with a "%" header) ``0.0``, other decimals (means, SDs) ``0.00``, shares (0-1)
  ``0.0%``.  A statistician who recomputes from the workbook gets the kit's own numbers.
- Numbers that arrive as text (``"1,234"``, ``"87.5"``: a table of figures formatted for
  the page) are written as numbers again, shown with the decimals they had.
- Text is always written as text (``write_string``): a comment that starts with ``=``
  never becomes a formula.  Yes/no values are words (ใช่ / ไม่ใช่).
- Column widths follow the longest value, measured as the eye sees Thai: above and below
  vowels and tone marks (combining marks) take no width; long texts wrap at 60.

Dates: real date cells shown in the Buddhist Era
------------------------------------------------
A date is written as an Excel date (sortable, filterable, usable in formulas) with the
number format ``[$-107041E]d mmm yyyy`` in Thai workbooks: LCID ``041E`` (Thai: Thai month
abbreviations), calendar ``07`` (Thai Buddhist) and ``01`` (Western digits).  Excel shows
``31 มี.ค. 2568`` — exactly :func:`pmqa_analysis.core.thai.format_thai_date`, the reports'
convention — and LibreOffice reads and writes the same code as a Thai Buddhist date.
BE text (``"31 มี.ค. 2568"``) was the alternative; it was not chosen because a text date
cannot be sorted, filtered by month or subtracted, and a committee's improvement-plan
workbook is edited and re-read.  The trade-off: a viewer that ignores the calendar part
(e.g. some online previews) shows the CE year.  English workbooks use ISO
``yyyy-mm-dd``.  :data:`DATE_FORMATS` holds both.

Examples
--------
>>> visual_width("ความพึงพอใจ"), visual_width("mean")
(10, 4)
>>> sheet_name("ผล: รายข้อ/ด้าน [CS6]", set())
'ผล- รายข้อ-ด้าน -CS6-'
>>> column_kind(pd.Series([1.0, 2.0, None]), "n"), column_kind(pd.Series([4.123]), "ค่าเฉลี่ย")
('int', 'dec2')
>>> column_kind(pd.Series([2567, 2568]), "ปีงบประมาณ"), column_kind(pd.Series([78.21]), "มาก (%)")
('year', 'dec1')
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DATE_FORMATS",
    "FONT_NAME",
    "FONT_SIZE",
    "KIND_FORMATS",
    "STATUS_FILLS",
    "Formats",
    "column_kind",
    "new_workbook",
    "sheet_name",
    "visual_width",
    "write_sheet",
]

#: The cell font of every workbook (the reports' embedded font) and its size.
FONT_NAME = "Sarabun"
FONT_SIZE = 11
#: Date display: Thai Buddhist calendar, Thai month abbreviations (``31 มี.ค. 2568``); ISO.
DATE_FORMATS: Mapping[str, str] = {"th": "[$-107041E]d mmm yyyy", "en": "yyyy-mm-dd"}
#: Column kind -> number format (``date`` depends on the language: :data:`DATE_FORMATS`).
KIND_FORMATS: Mapping[str, str] = {
    "int": "#,##0", "year": "0", "dec1": "0.0", "dec2": "0.00", "share": "0.0%",
}  # fmt: skip
#: Fill of a scorecard status cell (the HTML scorecard's colours).
STATUS_FILLS: Mapping[str, str] = {
    "met": "#C6EFCE", "partly": "#FFEB9C", "not_met": "#FFC7CE", "no_data": "#EDEDED",
}  # fmt: skip
_YES_NO = {"th": ("ใช่", "ไม่ใช่"), "en": ("yes", "no")}
_HEADER = {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
           "bottom": 1}  # fmt: skip
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00:00)?$")
_NUM_TEXT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_LEADING_ZERO = re.compile(r"^-?0\d")
_CODE_HEADER = re.compile(r"รหัส|code|\bid\b", re.IGNORECASE)
_YEAR_HEADER = re.compile(r"ปี|year", re.IGNORECASE)
_PCT_HEADER = re.compile(r"%|ร้อยละ|percent", re.IGNORECASE)
#: Fixed creation date: the same tables give a byte-identical workbook.
_CREATED = _dt.datetime(2000, 1, 1)
_MAX_WIDTH = 60
_MIN_WIDTH = 8
_HEADER_WIDTH = 28


def new_workbook(path: str | Path, title: str = "", **options: Any) -> Any:
    """An ``xlsxwriter.Workbook`` with the kit's defaults (Sarabun, fixed properties).

    ``in_memory`` (no temporary files), strings never turned into numbers or formulas
    by ``write``, the default cell font :data:`FONT_NAME`, and a fixed creation date so
    that the same content gives the same bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     wb = new_workbook(f"{d}/a.xlsx", "t")
    ...     _ = wb.add_worksheet("ก")
    ...     wb.close()
    """
    import xlsxwriter

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    settings = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE},
        **options,
    }
    wb = xlsxwriter.Workbook(str(target), settings)
    wb.set_properties({"title": title, "created": _CREATED})
    return wb


class Formats:
    """The cell formats of one workbook, made once each (xlsxwriter wants them shared).

    ``get(kind, wrap=False, fill=None)`` gives the format of a column kind (``int``,
    ``year``, ``dec1``, ``dec2``, ``share``, ``date``, ``text``, ``bool``), optionally
    wrapped and on a fill colour; ``header`` is the header row's.
    """

    def __init__(self, workbook: Any, language: str = "th") -> None:
        self.workbook = workbook
        self.language = "en" if language == "en" else "th"
        self.header = workbook.add_format({**_HEADER, "font_name": FONT_NAME})
        self._cache: dict[tuple[str, bool, str | None], Any] = {}

    def number_format(self, kind: str) -> str | None:
        """The number format of a column kind (None for text)."""
        if kind == "date":
            return DATE_FORMATS[self.language]
        return KIND_FORMATS.get(kind)

    def get(self, kind: str = "text", *, wrap: bool = False, fill: str | None = None) -> Any:
        """The (shared) format for ``kind``."""
        key = (kind, wrap, fill)
        if key not in self._cache:
            props: dict[str, Any] = {"font_name": FONT_NAME, "valign": "top"}
            number = self.number_format(kind)
            if number:
                props["num_format"] = number
            if wrap:
                props["text_wrap"] = True
            if fill:
                props["bg_color"] = fill
            self._cache[key] = self.workbook.add_format(props)
        return self._cache[key]


def visual_width(text: object) -> int:
    """How many character cells a text takes on screen.

    Combining marks (Thai above/below vowels and tone marks, U+0E31, U+0E34-U+0E3A,
    U+0E47-U+0E4E) take none; East Asian wide characters take two.

    Examples
    --------
    >>> visual_width("ที่"), visual_width("ก"), visual_width("ผู้รับบริการ")
    (1, 1, 8)
    """
    return _text_width(str(text))


@functools.lru_cache(maxsize=16384)
def _text_width(text: str) -> int:
    """:func:`visual_width` of a string (remembered: a batch writes the same questionnaire
    items, names and headers for every unit)."""
    return sum(_char_width(ch) for ch in text)


@functools.cache
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def sheet_name(title: str, used: set[str]) -> str:
    """An Excel-valid, unique sheet name (at most 31 characters) for ``title``.

    The characters Excel refuses (``[ ] : * ? / \\``) become ``-``; a long title is cut
    at a space when one is near the end; a repeated name gets `` (2)``, `` (3)``…
    ``used`` collects the names given (compared case-insensitively, as Excel does).

    Examples
    --------
    >>> used = set()
    >>> sheet_name("ความพึงพอใจรายข้อ", used), sheet_name("ความพึงพอใจรายข้อ", used)
    ('ความพึงพอใจรายข้อ', 'ความพึงพอใจรายข้อ (2)')
    >>> len(sheet_name("CS1A จำแนกกลุ่มผู้รับบริการและผู้มีส่วนได้ส่วนเสีย", used)) <= 31
    True
    """
    base = _cut(_SHEET_BAD.sub("-", str(title)).strip().strip("'"), 31) or "sheet"
    if base.lower() == "history":  # reserved by Excel
        base = "History-"
    candidate, k = base, 2
    while candidate.lower() in used:
        suffix = f" ({k})"
        candidate, k = _cut(base, 31 - len(suffix)) + suffix, k + 1
    used.add(candidate.lower())
    return candidate


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip()


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(float(value))
    return False


def column_kind(values: pd.Series, header: str = "") -> str:
    """The kind of a column: how its cells are written and shown.

    ``bool``, ``date``, ``year`` (whole numbers under a year header), ``int`` (whole
    numbers), ``dec1`` (decimals under a "%"/"ร้อยละ" header: percent units), ``dec2``
    (other decimals), ``numtext`` (numbers written as text, except under a code header:
    รหัส, code, id) or ``text``.

    Examples
    --------
    >>> column_kind(pd.Series(["2025-03-31", None]), "due")
    'date'
    >>> column_kind(pd.Series(["8", "87.5", "1,234"]), "ค่า"), column_kind(pd.Series(["01"]), "x")
    ('numtext', 'text')
    >>> column_kind(pd.Series(["1001", "1002"]), "รหัสหน่วยงาน")
    'text'
    >>> column_kind(pd.Series([True, False]), "reached"), column_kind(pd.Series(["a"]), "x")
    ('bool', 'text')
    """
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_numeric_dtype(dtype):
        nums = values.to_numpy(dtype="float64", na_value=np.nan)
        nums = nums[~np.isnan(nums)]
        if not len(nums):
            return "dec1" if _PCT_HEADER.search(header) else "int"
        if bool(np.all(np.isfinite(nums)) and np.all(nums == np.round(nums))):
            years = _YEAR_HEADER.search(header) and bool(((nums >= 1900) & (nums <= 2800)).all())
            return "year" if years else "int"
        return "dec1" if _PCT_HEADER.search(header) else "dec2"
    col = [v for v in values.tolist() if not _is_missing(v)]
    if not col:
        return "text"
    if all(isinstance(v, bool | np.bool_) for v in col):
        return "bool"
    if all(isinstance(v, _dt.date) for v in col):
        return "date"
    if all(isinstance(v, str) for v in col):
        if all(_ISO_DATE.match(v) for v in col):
            return "date"
        if (
            not _CODE_HEADER.search(header)
            and all(_NUM_TEXT.match(v.strip()) for v in col)
            and not any(_LEADING_ZERO.match(v.strip()) for v in col)
        ):  # a code ("01", a unit coded "1001") stays text
            return "numtext"
    return "text"


def _numtext(value: str) -> tuple[float, str]:
    """A number written as text -> (value, kind by its decimals)."""
    match = _NUM_TEXT.match(value.strip())
    assert match is not None  # column_kind checked every cell
    decimals = len(match.group(1) or "")
    kind = "int" if decimals == 0 else "dec1" if decimals == 1 else "dec2"
    return float(value.strip().replace(",", "")), kind


def _width(values: Sequence[Any], kind: str, header: str) -> tuple[float, bool]:
    """Column width (Excel units) and whether the column wraps."""
    if kind == "date":
        longest = 12
    elif kind in ("int", "year", "dec1", "dec2", "share", "numtext"):
        texts = [f"{float(v):,.2f}" if isinstance(v, float | int) else str(v)
                 for v in values if not _is_missing(v)]  # fmt: skip
        longest = max((len(t) for t in texts), default=1)
    else:
        longest = max((visual_width(v) for v in values if not _is_missing(v)), default=1)
    head = min(max((visual_width(w) for w in str(header).split()), default=1), _HEADER_WIDTH)
    head = max(head, min(visual_width(header), _HEADER_WIDTH))
    wrap = longest > _MAX_WIDTH
    width = min(max(longest, head) + 2, _MAX_WIDTH)
    return max(width, _MIN_WIDTH), wrap


def write_sheet(
    formats: Formats,
    title: str,
    frame: pd.DataFrame,
    *,
    used: set[str],
    kinds: Mapping[str, str] | None = None,
    fills: Mapping[str, Sequence[str | None]] | None = None,
    cell_kinds: Mapping[str, Sequence[str | None]] | None = None,
    freeze_columns: int = 0,
    widths: Mapping[str, float] | None = None,
    wrap: Sequence[str] = (),
    autofilter: bool = True,
) -> Any:
    """Write ``frame`` as one sheet with the kit's look; returns the worksheet.

    Parameters
    ----------
    formats : Formats
        The workbook's formats (:class:`Formats`).
    title : str
        The sheet's name, made valid and unique (:func:`sheet_name`).
    frame : pandas.DataFrame
        Headers (its columns, already worded) and values; the index is not written.
    used : set of str
        The sheet names taken so far (updated).
    kinds : mapping, optional
        Column -> kind, overriding :func:`column_kind` (e.g. ``share`` for a 0-1 column).
    fills : mapping, optional
        Column -> one fill colour (or None) per row.
    cell_kinds : mapping, optional
        Column -> one kind (or None: the column's) per row, for a column whose rows are
        in different units (a plan's targets: percent, count).
    freeze_columns : int
        Columns kept in view besides the header row (e.g. 1 for the unit code).
    widths : mapping, optional
        Column -> width, overriding the measured one.
    wrap : sequence of str
        Columns that always wrap.
    autofilter : bool
        Put a filter on the header row.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     wb = new_workbook(f"{d}/a.xlsx")
    ...     ws = write_sheet(Formats(wb), "ตาราง", pd.DataFrame({"n": [163.0]}), used=set())
    ...     wb.close()
    >>> ws.name
    'ตาราง'
    """
    wb = formats.workbook
    ws = wb.add_worksheet(sheet_name(title, used))
    headers = [str(c) for c in frame.columns]
    columns = [frame.iloc[:, j] for j in range(frame.shape[1])]
    given = dict(kinds or {})
    col_kinds = [given.get(h) or column_kind(c, h) for h, c in zip(headers, columns, strict=True)]
    yes, no = _YES_NO[formats.language]
    for j, (header, col, kind) in enumerate(zip(headers, columns, col_kinds, strict=True)):
        values = col.tolist()
        width, wraps = _width(values, kind, header)
        if widths and header in widths:
            width = widths[header]
        wraps = wraps or header in wrap
        ws.set_column(j, j, width, formats.get(kind if kind != "numtext" else "text", wrap=wraps))
        ws.write_string(0, j, header, formats.header)
        row_fills = (fills or {}).get(header)
        row_kinds = (cell_kinds or {}).get(header)
        for i, value in enumerate(values, start=1):
            fill = row_fills[i - 1] if row_fills is not None else None
            cell_kind = (row_kinds[i - 1] if row_kinds is not None else None) or kind
            _write_cell(ws, formats, i, j, value, cell_kind, wraps, fill, yes, no)
    ws.freeze_panes(1, freeze_columns)
    if autofilter and headers:
        ws.autofilter(0, 0, max(len(frame), 1), len(headers) - 1)
    return ws


def _write_cell(
    ws: Any, formats: Formats, i: int, j: int, value: Any, kind: str, wraps: bool,
    fill: str | None, yes: str, no: str,
) -> None:  # fmt: skip
    if _is_missing(value):
        ws.write_blank(i, j, None, formats.get(kind, wrap=wraps, fill=fill))
        return
    if kind == "date":
        ts = pd.Timestamp(value)
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        ws.write_datetime(i, j, ts.to_pydatetime(), formats.get("date", fill=fill))
    elif kind == "bool":
        ws.write_string(i, j, yes if bool(value) else no, formats.get("text", fill=fill))
    elif kind == "numtext":
        number, shown = _numtext(str(value))
        ws.write_number(i, j, number, formats.get(shown, fill=fill))
    elif kind in KIND_FORMATS and isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if kind in ("int", "year") and number.is_integer():
            ws.write_number(i, j, int(number), formats.get(kind, fill=fill))
        else:
            ws.write_number(i, j, number, formats.get(kind, fill=fill))
    elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    ):
        number = float(value)
        shown = "int" if number.is_integer() else "dec2"
        ws.write_number(i, j, number, formats.get(shown, fill=fill))
    else:
        ws.write_string(i, j, str(value), formats.get("text", wrap=wraps, fill=fill))
