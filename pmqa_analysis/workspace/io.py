"""Read a user's file (CSV, Excel, SPSS, Parquet) into a raw frame, read-only.

:func:`read_table` opens files in binary read mode only and never writes anything. It
returns a :class:`RawTable`: the cells as read (strings stripped, blank cells missing), the
row number the user sees in Excel or a text editor for every row, and what the file says
about itself (encoding, duplicated headers, SPSS labels and user-missing codes, the sheet
and the header row used).

The readers live beside this module, one per job: :mod:`~pmqa_analysis.workspace.io_detect`
(what the bytes are: format, encoding, delimiter), :mod:`~pmqa_analysis.workspace.io_csv`
(text files), :mod:`~pmqa_analysis.workspace.io_excel` (worksheets),
:mod:`~pmqa_analysis.workspace.io_typed` (SPSS and Parquet) and
:mod:`~pmqa_analysis.workspace.io_table` (the table as read, errors and their fixes, the
header row). This module picks the reader from the content, not only the name: a workbook
saved as ``.csv`` is read as the workbook it is (``RawTable.read_as`` says so), and a PDF or
a web page under a table's name is an error that says what the file is.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pmqa_analysis.workspace.io_csv import read_text
from pmqa_analysis.workspace.io_detect import (
    ENCODINGS_TRIED,
    detect_encoding,
    is_encrypted_workbook,
    sniff_format,
    zip_members,
)
from pmqa_analysis.workspace.io_excel import read_spreadsheet
from pmqa_analysis.workspace.io_table import (
    FileReadError,
    RawTable,
    TextColumns,
    fail,
    normalize_header,
    text_predicate,
)
from pmqa_analysis.workspace.io_typed import read_parquet, read_sav

__all__ = [
    "ENCODINGS_TRIED",
    "SUPPORTED_EXTENSIONS",
    "FileReadError",
    "RawTable",
    "detect_encoding",
    "normalize_header",
    "read_table",
]

SUPPORTED_EXTENSIONS = (
    ".csv",
    ".txt",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".ods",
    ".sav",
    ".zsav",
    ".parquet",
)
"""File extensions :func:`read_table` understands."""

_TEXT = (".csv", ".txt")
_XLSX = (".xlsx", ".xlsm")
_FORMAT_NAMES = {
    "xlsx": "an Excel workbook (XLSX)",
    "ods": "an OpenDocument spreadsheet (ODS)",
    "xls": "an old-format Excel workbook (XLS)",
    "csv": "a text (CSV) file",
    "sav": "an SPSS data file",
    "parquet": "a Parquet file",
}


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    text_columns: TextColumns = None,
    header_hint: TextColumns = None,
) -> RawTable:
    """Read a CSV/TXT, XLSX/XLSM/XLS/ODS, SAV/ZSAV or Parquet file into a :class:`RawTable`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file. Its content decides the reader (an XLSX saved as ``.csv`` is read as
        XLSX; ``RawTable.read_as`` then says so); the extension decides when the content
        fits several.
    sheet : str or int, optional
        Worksheet name or 0-based position (spreadsheets). By default the first sheet or,
        with ``header_hint``, the first sheet whose header row holds the expected headers
        (a cover page before the data is passed over).
    encoding : str, optional
        Text encoding of a CSV/TXT file, overriding detection (``windows-874``, ``tis-620``
        are understood as cp874).
    text_columns : collection of str or callable, optional
        Headers (as normalised by :func:`normalize_header`) whose cells are kept as text
        exactly as written, stripped: no number is inferred, so ``007`` stays ``'007'``
        however far down the file it is. A callable is asked once per header. Use it for
        codes, names and free text; other columns of a text file are typed by their
        content (a column is kept as text when its first megabyte shows leading zeros).
        Spreadsheet, SPSS and Parquet cells carry their own types and are kept as stored.
    header_hint : collection of str or callable, optional
        Headers the file is expected to have (names or a predicate). The header row is
        the first of the top rows holding the most of them, so title rows above it are
        skipped (``RawTable.header_row`` says where it was). Without it, or when no row
        holds any, rows narrower than half the widest row at the top are taken for a title.

    Returns
    -------
    RawTable

    Raises
    ------
    FileReadError
        A :class:`~pmqa_analysis.core.errors.ReadError`: the file is missing, of an
        unsupported type, undecodable, empty, corrupt, password-protected, a PDF or web
        page, has a row of the wrong width, or the sheet does not exist. The message names
        the file (and the row, when one is at fault); ``case``, ``hint`` and ``hint_th``
        say how to fix it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text("unit_code,name\\nU01, สำนักงาน \\n\\nU02,x\\n")
    >>> t = read_table(folder / "units.csv")
    >>> t.frame.to_dict("list"), t.rows.tolist(), t.encoding
    ({'unit_code': ['U01', 'U02'], 'name': ['สำนักงาน', 'x']}, [2, 4], 'utf-8')

    A title above the header is skipped:

    >>> _ = (folder / "t.csv").write_text("รายชื่อหน่วยงาน ปี 2567\\n\\nunit_code,name\\nU01,ก\\n")
    >>> t = read_table(folder / "t.csv", header_hint=["unit_code"])
    >>> t.header_row, t.skipped, t.rows.tolist()
    (3, ('รายชื่อหน่วยงาน ปี 2567',), [4])
    """
    p = Path(path)
    if not p.exists():
        raise fail(p, f"file not found at {p}; check the folder and the file name", "missing")
    if not p.is_file():
        raise fail(p, f"{p} is a folder, not a file", "folder")
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise fail(
            p,
            f"unsupported file type {ext or '(no extension)'!r}; expected one of "
            f"{', '.join(SUPPORTED_EXTENSIONS)}. Save the sheet as CSV UTF-8 or XLSX",
            "unsupported",
        )
    with p.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        raise fail(p, "the file is empty (0 bytes); expected a header row and data rows", "empty")
    is_text = text_predicate(text_columns) or (lambda _header: False)
    is_header = text_predicate(header_hint)
    kind = sniff_format(head)
    if kind in ("pdf", "html"):
        what = "a PDF document" if kind == "pdf" else "a web page (HTML)"
        raise fail(p, f"the file is {what}, not a table of data", kind)
    if kind == "zip":
        zkind, members = zip_members(p)
        if zkind == "bad":  # a damaged workbook: calamine's error, with the re-save hint
            if ext in _TEXT:
                raise fail(
                    p,
                    "the file is a damaged Excel workbook or ZIP archive, not a text (CSV) "
                    "file; open it in Excel and save it again as 'CSV UTF-8' or .xlsx",
                    "workbook",
                )
            return read_spreadsheet(p, sheet, is_header)
        if zkind == "zip":
            inside = ", ".join(members[:5]) + (" …" if len(members) > 5 else "")
            raise fail(
                p, f"the file is a ZIP archive ({inside or 'unreadable'}), not a table", "zip"
            )
        fits = ext in _XLSX if zkind == "xlsx" else ext == ".ods"
        table = read_spreadsheet(p, sheet, is_header)
        return table if fits else _read_as(table, zkind)
    if kind == "ole2":  # an old .xls, or an encrypted (password-protected) workbook
        if is_encrypted_workbook(p):
            raise fail(p, "the workbook is protected by a password (encrypted)", "encrypted")
        table = read_spreadsheet(p, sheet, is_header, encrypted_hint=ext in _XLSX)
        return table if ext == ".xls" else _read_as(table, "xls")
    if kind in ("sav", "parquet"):
        table = read_sav(p) if kind == "sav" else read_parquet(p)
        fits = ext in (".sav", ".zsav") if kind == "sav" else ext == ".parquet"
        return table if fits else _read_as(table, kind)
    # text (or blank) content
    if ext in _TEXT:
        return read_text(p, encoding, is_text, is_header)
    if ext == ".xls":  # a system's "Excel" export that is really a tab- or comma-separated text
        return _read_as(read_text(p, encoding, is_text, is_header), "csv")
    if ext in (".sav", ".zsav"):
        return read_sav(p)
    if ext == ".parquet":
        return read_parquet(p)
    return read_spreadsheet(p, sheet, is_header)


def _read_as(table: RawTable, fmt: str) -> RawTable:
    return dataclasses.replace(table, read_as=fmt)


def format_name(fmt: str) -> str:
    """What a ``RawTable.read_as`` value means, in words (``"xlsx"`` -> an Excel workbook).

    Examples
    --------
    >>> format_name("xlsx")
    'an Excel workbook (XLSX)'
    """
    return _FORMAT_NAMES.get(fmt, fmt)
