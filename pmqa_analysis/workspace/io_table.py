"""What every reader shares: the table as read, its errors and their fixes, the header row.

:class:`RawTable` is one file as read. :class:`FileReadError` is a
:class:`~pmqa_analysis.core.errors.ReadError` that also says which case it is (an
undecodable text, a damaged workbook, a PDF saved as ``.csv`` …) and the fix for that case,
in English and Thai (:data:`HINTS`). :func:`find_header` picks the header row below any
title rows an office puts above it. The cell-cleaning helpers (strip, blank → missing,
whole numbers → int64) are used by the CSV, spreadsheet and SPSS/Parquet readers alike.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pmqa_analysis.core.errors import ReadError

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HINTS",
    "FileReadError",
    "RawTable",
    "find_header",
    "normalize_header",
]

_HEADER_JUNK = "\ufeff\u00a0\u200b\u200c\u200d\u2060\u202f"
#: how many non-blank rows at the top of a file or sheet are searched for the header row
HEADER_SEARCH_ROWS = 30

#: Which headers to keep as text: a collection of (normalised) header names or a predicate.
TextColumns = Callable[[str], bool] | Collection[str] | None

_SAVE_CSV_UTF8 = (
    "In Excel: File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'",
    "เปิดไฟล์ใน Excel แล้วเลือก File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'",
)
_RESAVE_XLSX = (
    "open it in Excel (enter the password if it asks), then File > Save As > 'Excel Workbook "
    "(*.xlsx)' without a password",
    "เปิดไฟล์ใน Excel (ใส่รหัสผ่านถ้าถูกถาม) แล้วเลือก File > Save As > 'Excel Workbook (*.xlsx)' "
    "โดยไม่ตั้งรหัสผ่าน",
)

#: The fix for each case of an unreadable file: case -> (English, Thai).
HINTS: dict[str, tuple[str, str]] = {
    "missing": ("check the folder and the file name", "ตรวจสอบโฟลเดอร์และชื่อไฟล์"),
    "folder": ("name a file, not a folder", "ระบุชื่อไฟล์ ไม่ใช่โฟลเดอร์"),
    "unsupported": (
        "save the sheet as 'CSV UTF-8' or as an Excel workbook (.xlsx)",
        "บันทึกเป็น 'CSV UTF-8' หรือไฟล์ Excel (.xlsx)",
    ),
    "encoding": _SAVE_CSV_UTF8,
    "empty": (
        "the file has no content: save or export it again from the original; a file left "
        "empty on purpose still needs its header row (`pmqa init` writes one)",
        "ไฟล์ไม่มีข้อมูลเลย ให้บันทึกหรือส่งออกใหม่จากต้นฉบับ ถ้าตั้งใจเว้นว่างให้คงแถวหัวคอลัมน์ไว้ "
        "(คำสั่ง pmqa init สร้างให้)",
    ),
    "binary": (
        "this is not a text file: open it in the program that made it and save it as "
        "'CSV UTF-8' or .xlsx",
        "ไฟล์นี้ไม่ใช่ไฟล์ข้อความ ให้เปิดด้วยโปรแกรมที่สร้างไฟล์ แล้วบันทึกเป็น 'CSV UTF-8' หรือ .xlsx",
    ),
    "no_header": (
        "put the column names on one row above the data",
        "ใส่ชื่อคอลัมน์ไว้หนึ่งแถวเหนือข้อมูล",
    ),
    "ragged": (
        "fix the rows named (a cell holding the delimiter must be in double quotes), or open "
        "the file in Excel and save it again as 'CSV UTF-8'",
        "แก้แถวที่ระบุ (ช่องที่มีเครื่องหมายคั่นต้องอยู่ในเครื่องหมายคำพูด) หรือเปิดใน Excel แล้วบันทึกใหม่เป็น 'CSV UTF-8'",
    ),
    "csv": _SAVE_CSV_UTF8,
    "workbook": _RESAVE_XLSX,
    "encrypted": (
        "the workbook is protected by a password: open it in Excel with the password, remove "
        "it (File > Info > Protect Workbook > Encrypt with Password: leave it empty) and save",
        "ไฟล์ถูกตั้งรหัสผ่าน ให้เปิดใน Excel ด้วยรหัสผ่าน แล้วลบรหัสผ่านออก (File > Info > "
        "Protect Workbook > Encrypt with Password: เว้นว่าง) แล้วบันทึก",
    ),
    "xls": (
        "open it in Excel and save it again as 'Excel Workbook (*.xlsx)'",
        "เปิดใน Excel แล้วบันทึกใหม่เป็น 'Excel Workbook (*.xlsx)'",
    ),
    "sheet_not_found": (
        "correct the sheet name in settings.toml ([sheets] or [files]); the sheets are listed",
        "แก้ชื่อชีตใน settings.toml ([sheets] หรือ [files]) ให้ตรงกับชื่อชีตที่แสดง",
    ),
    "no_header_sheet": (
        'name the worksheet in settings.toml, e.g. [sheets] <template> = "<sheet>", and map '
        "your headers in [columns.<template>]",
        'ระบุชื่อชีตใน settings.toml เช่น [sheets] <template> = "<ชื่อชีต>" และจับคู่หัวคอลัมน์ใน '
        "[columns.<template>]",
    ),
    "sheet_empty": (
        "put the data on this sheet, or name the sheet that holds it in settings.toml [sheets]",
        "ใส่ข้อมูลในชีตนี้ หรือระบุชีตที่มีข้อมูลใน settings.toml [sheets]",
    ),
    "pdf": (
        "a PDF cannot be read: export the data itself (CSV or Excel) from the system or form "
        "that made the PDF",
        "อ่านไฟล์ PDF ไม่ได้ ให้ส่งออกข้อมูล (CSV หรือ Excel) จากระบบหรือแบบฟอร์มที่สร้าง PDF นั้น",
    ),
    "html": (
        "the file is a web page (HTML) under a spreadsheet's name: open it in Excel and save it "
        "as 'CSV UTF-8' or .xlsx, or download the data again as CSV",
        "ไฟล์นี้เป็นหน้าเว็บ (HTML) ที่ตั้งชื่อเป็นไฟล์ตาราง ให้เปิดใน Excel แล้วบันทึกเป็น 'CSV UTF-8' "
        "หรือ .xlsx หรือดาวน์โหลดข้อมูลใหม่เป็น CSV",
    ),
    "zip": (
        "the file is a ZIP archive: extract the file inside and put that in the folder",
        "ไฟล์นี้เป็นไฟล์บีบอัด (ZIP) ให้แตกไฟล์ที่อยู่ข้างในออกมาไว้ในโฟลเดอร์แทน",
    ),
    "sav": (
        "open it in SPSS or PSPP and save it again as .sav",
        "เปิดใน SPSS หรือ PSPP แล้วบันทึกใหม่เป็น .sav",
    ),
    "parquet": (
        "write the Parquet file again, or save the data as 'CSV UTF-8'",
        "สร้างไฟล์ Parquet ใหม่ หรือบันทึกข้อมูลเป็น 'CSV UTF-8'",
    ),
}


class FileReadError(ReadError):
    """A file could not be read: the case, the fix for it and, when known, the row.

    Parameters
    ----------
    message : str
        What went wrong (English; it ends with how to fix it).
    file : str
        The file's name.
    case : str
        A key of :data:`HINTS`, e.g. ``"encoding"`` or ``"ragged"``.
    row : int, optional
        The first row concerned, as Excel or a text editor numbers it (header = 1).
    sheets : tuple of str
        The worksheets seen (spreadsheets).

    Examples
    --------
    >>> err = FileReadError("r.csv: a row has 4 cells", "r.csv", "ragged", row=7)
    >>> err.row, err.hint_th.startswith("แก้แถว"), isinstance(err, ReadError)
    (7, True, True)
    """

    def __init__(
        self,
        message: str,
        file: str,
        case: str,
        *,
        row: int | None = None,
        sheets: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, file=file)
        self.case = case
        self.row = row
        self.sheets = sheets
        self.hint, self.hint_th = HINTS.get(case, _SAVE_CSV_UTF8)


def fail(
    path: Path, message: str, case: str, *, row: int | None = None, sheets: tuple[str, ...] = ()
) -> FileReadError:
    """The :class:`FileReadError` of ``path`` (the message starts with the file's name)."""
    return FileReadError(f"{path.name}: {message}", path.name, case, row=row, sheets=sheets)


@dataclass(frozen=True)
class RawTable:
    """One file as read, before any validation.

    Attributes
    ----------
    frame : pandas.DataFrame
        Cells as read: strings stripped of surrounding whitespace, numbers, datetimes;
        blank cells missing. Columns are the normalised header strings (see
        :func:`normalize_header`); a repeated header gets pandas' ``name.1`` suffix.
    file : str
        Display name, e.g. ``"responses.csv"``.
    path : pathlib.Path
        Where the file was read from.
    rows : numpy.ndarray
        For every row of ``frame``, the row number the user sees (header = 1, first data
        row = 2, unless rows above the header were skipped); fully blank rows are dropped
        and the numbers stay aligned.
    encoding : str or None
        The text encoding used (text files only).
    duplicate_headers : tuple of str
        Header names that occur more than once in the file.
    value_labels, column_labels, missing_values : dict
        SPSS value labels (code -> label) and variable labels per column, and the
        user-missing codes per column (e.g. ``9.0`` = "Not answered"); empty otherwise.
    sheet : str or None
        The worksheet read (spreadsheets only).
    header_row : int
        The row holding the header, as the user numbers it (1 unless title rows or blank
        rows stand above it).
    skipped : tuple of str
        The text of the non-blank rows above the header (a title), one string per row.
    sheets : tuple of str
        Every worksheet of the workbook, in order (spreadsheets only).
    read_as : str or None
        The format the content was read as when the file's name says another, e.g.
        ``"xlsx"`` for a workbook saved as ``.csv``; ``None`` when they agree.
    """

    frame: pd.DataFrame
    file: str
    path: Path
    rows: np.ndarray
    encoding: str | None = None
    duplicate_headers: tuple[str, ...] = ()
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    column_labels: dict[str, str] = field(default_factory=dict)
    missing_values: dict[str, list[float]] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int = 1
    skipped: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()
    read_as: str | None = None


def normalize_header(name: Any) -> str:
    """Clean one header cell: BOM, zero-width and non-breaking spaces removed, NFC.

    Examples
    --------
    >>> normalize_header("\\ufeff Q01\\u00a0")
    'Q01'
    >>> normalize_header(None)
    ''
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = str(name)
    for ch in _HEADER_JUNK:
        text = text.replace(ch, " ")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def text_predicate(names: TextColumns) -> Callable[[str], bool] | None:
    """A collection of header names or a predicate -> a predicate (``None`` stays ``None``)."""
    if names is None:
        return None
    if callable(names):
        return names
    wanted = {normalize_header(h) for h in names}
    return lambda header: header in wanted


def blank_cell(value: Any) -> bool:
    """True for a cell that holds nothing (``None``, NaN, or only spaces)."""
    if isinstance(value, float):
        return bool(np.isnan(value))
    return value is None or (isinstance(value, str) and value.strip() == "")


def find_header(
    records: Sequence[Sequence[Any]], is_header: Callable[[str], bool] | None = None
) -> tuple[int | None, int]:
    """The index of the header row among a file's first rows, and its expected headers.

    Among the first :data:`HEADER_SEARCH_ROWS` non-blank rows, the header is the first row
    holding the most cells ``is_header`` recognises. When none does (or no predicate is
    given), rows above the first *wide* row are taken for a title and skipped: a row is
    wide when it fills at least half as many cells as the widest row, and at least two.
    A table of one column keeps its first non-blank row.

    Returns
    -------
    index : int or None
        Position in ``records`` (blank rows counted); ``None`` when every row is blank.
    matched : int
        How many of the header's cells ``is_header`` recognised (0 without a predicate).

    Examples
    --------
    >>> rows = [["แบบสำรวจความพึงพอใจ ปี 2567", "", ""], [], ["id", "unit_code", "Q1"],
    ...         ["1", "U01", "5"]]
    >>> find_header(rows)
    (2, 0)
    >>> find_header(rows, lambda h: h in {"unit_code"})
    (2, 1)
    >>> find_header([[], ["a"], ["x"]])
    (1, 0)
    """
    seen: list[tuple[int, int, int]] = []  # (index, filled cells, recognised cells)
    for i, rec in enumerate(records):
        cells = [normalize_header(v) for v in rec if not blank_cell(v)]
        if not cells:
            continue
        score = sum(1 for c in cells if is_header(c)) if is_header else 0
        seen.append((i, len(cells), score))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        return None, 0
    best = max(s for _, _, s in seen)
    if best > 0:
        return next(i for i, _, s in seen if s == best), best
    need = max(2, (max(n for _, n, _ in seen) + 1) // 2)
    return next((i for i, n, _ in seen if n >= need), seen[0][0]), 0


def row_text(record: Sequence[Any]) -> str:
    """The non-blank cells of a row joined by spaces (a skipped title, as shown to a user)."""
    return " ".join(str(v).strip() for v in record if not blank_cell(v))


def unique_names(names: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Blank headers -> ``Unnamed: i``; repeats -> ``name.1`` (pandas' rule)."""
    counts = Counter(n for n in names if n)
    dups = tuple(n for n in dict.fromkeys(names) if n and counts[n] > 1)
    seen: Counter[str] = Counter()
    out: list[str] = []
    taken = set(names)
    for i, name in enumerate(names):
        if not name:
            out.append(f"Unnamed: {i}")
            continue
        if seen[name]:
            new = f"{name}.{seen[name]}"
            while new in taken:
                seen[name] += 1
                new = f"{name}.{seen[name]}"
            taken.add(new)
            out.append(new)
        else:
            out.append(name)
        seen[name] += 1
    return out, dups


def drop_blank(
    frame: pd.DataFrame,
    rows: np.ndarray,
    *,
    drop_unnamed: bool = False,
    int_cols: list[str] | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Drop fully blank rows (keeping row numbers aligned) and blank unnamed columns.

    Integer columns that became float only because of the dropped rows go back to int64.
    """
    if drop_unnamed:
        empty_cols = [
            c for c in frame.columns if str(c).startswith("Unnamed: ") and frame[c].isna().all()
        ]
        if empty_cols:
            frame = frame.drop(columns=empty_cols)
    if len(frame.columns) and len(frame):
        keep = frame.notna().any(axis=1).to_numpy()
        if not keep.all():
            frame = frame.loc[keep].reset_index(drop=True)
            rows = rows[keep]
            for col in int_cols or []:
                if frame[col].dtype == "float64" and frame[col].notna().all():
                    frame[col] = frame[col].astype("int64")
    return frame, np.asarray(rows, dtype="int64")


# --------------------------------------------------------------------------- cell cleaning


def stripped(col: Any) -> Any:
    """Text stripped of surrounding whitespace, empty cells null (Arrow kernels)."""
    col = pc.utf8_trim_whitespace(col)
    return pc.if_else(pc.equal(col, ""), pa.scalar(None, col.type), col)


def _numeric_or_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if col.null_count == len(col):
        return col.cast(pa.float64())
    for target in (pa.int64(), pa.float64()):
        try:
            return col.cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return col


def arrow_clean(table: pa.Table, keep_text: set[str] | None = None) -> pa.Table:
    """Strip strings and blank them to null in Arrow (fast C++ kernels).

    A text column that holds only numbers once stripped (a cell of spaces made Arrow
    read it as text) becomes numeric, unless listed in ``keep_text``.
    """
    cols = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = stripped(col)
            if keep_text is not None and name not in keep_text:
                col = _numeric_or_text(col)
        elif pa.types.is_null(col.type):
            col = col.cast(pa.float64())
        cols.append(col)
    return pa.table(cols, names=table.column_names)


def all_whole(nums: np.ndarray) -> bool:
    """No blank and every value a whole number that float64 holds exactly (→ int64)."""
    return bool(
        not np.isnan(nums).any() and (nums == np.round(nums)).all() and (np.abs(nums) < 2**53).all()
    )


def clean_cell(value: Any) -> Any:
    """One cell: text stripped (blank -> ``None``), an Excel date cell a datetime."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day)  # Excel date cell
    return value


def clean_object_column(col: pd.Series) -> pd.Series:
    """Strip strings, blank -> None, then let pandas pick the column's type."""
    values = [clean_cell(v) for v in col.to_numpy(dtype=object)]
    out = pd.Series(values, index=col.index, name=col.name, dtype=object).infer_objects()
    if out.dtype == "float64" and all_whole(out.to_numpy()):
        out = out.astype("int64")
    return out
