"""Read a user's file (CSV, Excel, SPSS, Parquet) into a raw frame, read-only.

:func:`read_table` opens files in binary read mode only and never writes anything. It
returns a :class:`RawTable`: the cells as read (strings stripped, blank cells missing), the
row number the user sees in Excel or a text editor for every row, and what the file says
about itself (encoding, duplicated headers, SPSS labels and user-missing codes).

Text files are decoded in the order UTF-8 with BOM, UTF-8, cp874 (Windows Thai, a superset
of TIS-620) -- never latin-1, which would turn Thai into mojibake without an error -- and
the whole file must decode, not just its first kilobytes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import gc
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pmqa_analysis.core.errors import ReadError
from pmqa_analysis.core.thai import normalize_encoding_name

__all__ = [
    "ENCODINGS_TRIED",
    "SUPPORTED_EXTENSIONS",
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

ENCODINGS_TRIED = ("utf-8-sig", "utf-8", "cp874")
"""Text encodings tried, in order, when none is given."""

_DELIMITERS = (",", ";", "\t", "|")
_SAVE_AS_HINT = (
    "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)', "
    "or pass encoding= with the file's real encoding"
)
_HEADER_JUNK = "\ufeff\u00a0\u200b\u200c\u200d\u2060\u202f"


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
        row = 2); fully blank rows are dropped and the numbers stay aligned.
    encoding : str or None
        The text encoding used (text files only).
    duplicate_headers : tuple of str
        Header names that occur more than once in the file.
    value_labels, column_labels, missing_values : dict
        SPSS value labels (code -> label) and variable labels per column, and the
        user-missing codes per column (e.g. ``9.0`` = "Not answered"); empty otherwise.
    sheet : str or None
        The worksheet read (spreadsheets only).
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


def detect_encoding(data: bytes) -> str:
    """The encoding a text file's bytes decode with: utf-8-sig, utf-8 or cp874.

    The whole content must decode. latin-1 is never guessed (it decodes anything).

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    str
        ``"utf-8-sig"`` (UTF-8 with a byte order mark), ``"utf-8"`` or ``"cp874"``.

    Raises
    ------
    UnicodeDecodeError
        When none of them decodes the whole content (raised for the UTF-8 attempt, whose
        position is the most useful to a user).

    Examples
    --------
    >>> detect_encoding("ชื่อ".encode("utf-8"))
    'utf-8'
    >>> detect_encoding(b"\\xef\\xbb\\xbfa,b")
    'utf-8-sig'
    >>> detect_encoding("ชื่อ".encode("cp874"))
    'cp874'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        _check_utf8(data[3:])
        return "utf-8-sig"
    try:
        _check_utf8(data)
        return "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            data.decode("cp874")
        except UnicodeDecodeError:
            raise utf8_error from None
        return "cp874"


def _check_utf8(data: bytes) -> None:
    """Validate UTF-8 in C++ (Arrow); on failure find the position with Python's codec."""
    if data.isascii():  # one fast pass; ASCII is valid UTF-8
        return
    try:
        pa.array([data], pa.binary()).cast(pa.string())
    except pa.ArrowInvalid:
        data.decode("utf-8")  # raises with the exact position
        raise UnicodeDecodeError("utf-8", data, 0, 1, "invalid UTF-8") from None


def _fail(path: Path, message: str) -> ReadError:
    return ReadError(f"{path.name}: {message}", file=path.name)


#: Which headers to keep as text: a collection of (normalised) header names or a predicate.
TextColumns = Callable[[str], bool] | Collection[str] | None


def _text_predicate(text_columns: TextColumns) -> Callable[[str], bool]:
    if text_columns is None:
        return lambda _header: False
    if callable(text_columns):
        return text_columns
    wanted = {normalize_header(h) for h in text_columns}
    return lambda header: header in wanted


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    text_columns: TextColumns = None,
) -> RawTable:
    """Read a CSV/TXT, XLSX/XLSM/XLS/ODS, SAV/ZSAV or Parquet file into a :class:`RawTable`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; the extension decides the reader.
    sheet : str or int, optional
        Worksheet name or 0-based position (spreadsheets); the first sheet by default.
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

    Returns
    -------
    RawTable

    Raises
    ------
    pmqa_analysis.core.errors.ReadError
        The file is missing, of an unsupported type, undecodable, empty, corrupt, or the
        sheet does not exist. The message names the file and says how to fix it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text("unit_code,name\\nU01, สำนักงาน \\n\\nU02,x\\n")
    >>> t = read_table(folder / "units.csv")
    >>> t.frame.to_dict("list"), t.rows.tolist(), t.encoding
    ({'unit_code': ['U01', 'U02'], 'name': ['สำนักงาน', 'x']}, [2, 4], 'utf-8')
    """
    p = Path(path)
    if not p.exists():
        raise _fail(p, f"file not found at {p}; check the folder and the file name")
    if not p.is_file():
        raise _fail(p, f"{p} is a folder, not a file")
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise _fail(
            p,
            f"unsupported file type {ext or '(no extension)'!r}; expected one of "
            f"{', '.join(SUPPORTED_EXTENSIONS)}. Save the sheet as CSV UTF-8 or XLSX",
        )
    if ext in (".csv", ".txt"):
        return _read_text(p, encoding, _text_predicate(text_columns))
    if ext in (".sav", ".zsav"):
        return _read_sav(p)
    if ext == ".parquet":
        return _read_parquet(p)
    return _read_spreadsheet(p, sheet)


# --------------------------------------------------------------------------- text files


def _decode_error_message(path: Path, data: bytes, err: UnicodeDecodeError) -> str:
    pos = err.start
    line = data.count(b"\n", 0, pos) + 1
    col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    bad = data[pos : pos + 1].hex()
    return (
        f"cannot decode the text: tried {', '.join(ENCODINGS_TRIED)}; none reads the whole "
        f"file. The first invalid byte (0x{bad}) is at line {line}, byte {col} "
        f"(offset {pos}). {_SAVE_AS_HINT}"
    )


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter among , ; tab | whose count per line is the most consistent."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    lines = [re.sub(r'"[^"]*"', "", ln) for ln in lines]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts = [ln.count(delim) for ln in lines]
        if counts[0] == 0:
            continue
        agree = sum(c == counts[0] for c in counts)
        score = (agree, counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def _unique_names(names: list[str]) -> tuple[list[str], tuple[str, ...]]:
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


def _read_text(path: Path, encoding: str | None, is_text: Callable[[str], bool]) -> RawTable:
    with path.open("rb") as fh:
        data = fh.read()
    if encoding is not None:
        enc = normalize_encoding_name(encoding)
        try:
            if enc in ("utf-8", "utf8", "utf-8-sig"):
                _check_utf8(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
            else:
                data.decode(enc)
        except LookupError:
            raise _fail(path, f"unknown encoding {encoding!r}; use utf-8 or cp874") from None
        except UnicodeDecodeError as err:
            raise _fail(
                path, f"does not decode as {enc}: " + _decode_error_message(path, data, err)
            ) from None
    else:
        try:
            enc = detect_encoding(data)
        except UnicodeDecodeError as err:
            raise _fail(path, _decode_error_message(path, data, err)) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if enc == "utf-8":
            enc = "utf-8-sig"
    if enc not in ("utf-8", "utf8", "utf-8-sig"):
        data = data.decode(enc).encode("utf-8")
    if not data.strip():
        raise _fail(path, "the file is empty; expected a header row and data rows")
    if b"\x00" in data:
        raise _fail(path, "the file holds NUL bytes: it is not a text (CSV) file")
    text_head = data[:65536].decode("utf-8", errors="ignore")
    delim = _sniff_delimiter(text_head)
    try:
        header_raw = next(csv.reader(io.StringIO(text_head), delimiter=delim))
    except (StopIteration, csv.Error):
        header_raw = []
    header = [normalize_header(h) for h in header_raw]
    if not any(header):
        raise _fail(path, "no header row found; the first line must hold the column names")
    names, dups = _unique_names(header)
    text = [n for n in names if is_text(n)]
    frame, int_cols = _parse_csv(path, data, delim, names, text)
    rows = _text_row_numbers(data, delim, len(frame))
    frame, rows = _drop_blank(frame, rows, drop_unnamed=True, int_cols=int_cols)
    return RawTable(frame, path.name, path, rows, encoding=enc, duplicate_headers=dups)


def _leading_zero_columns(
    data: bytes, delim: str, names: list[str], candidates: list[str]
) -> list[str]:
    """Columns whose first block holds numbers with leading zeros (codes, phone numbers)."""
    if not candidates:
        return []
    head = data[: 1 << 20]
    cut = head.rfind(b"\n")
    if cut > 0 and len(head) < len(data):
        head = head[: cut + 1]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(head),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(candidates, pa.string()),
                include_columns=candidates,
            ),
        )
    except pa.ArrowException:
        return []
    keep = []
    for name, col in zip(candidates, table.columns, strict=True):
        if pc.any(pc.match_substring_regex(col, r"^\s*[+-]?0\d")).as_py():
            keep.append(name)
    return keep


def _parse_csv(
    path: Path, data: bytes, delim: str, names: list[str], text: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Parse with Arrow; ``text`` columns are read as strings, the others typed by content."""
    others = [n for n in names if n not in set(text)]
    as_text = [*text, *_leading_zero_columns(data, delim, names, others)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(as_text, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                true_values=[],
                false_values=[],
                timestamp_parsers=[],
            ),
        )
    except pa.ArrowException as err:
        msg = str(err)
        m = re.search(r"Expected (\d+) columns, got (\d+): (.*)", msg)
        if m:
            raise _fail(
                path,
                f"a row has {m.group(2)} cells but the header has {m.group(1)} columns "
                f"(row starting {m.group(3)[:60]!r}); quote cells that contain the "
                f"delimiter {delim!r} or fix the row",
            ) from None
        raise _fail(path, f"cannot parse the file as CSV ({msg.splitlines()[0][:200]})") from None
    table = _arrow_clean(table, keep_text=set(as_text))
    int_cols = [n for n, c in zip(names, table.columns, strict=True) if pa.types.is_integer(c.type)]
    # text stays in Arrow memory (pandas' string[pyarrow]): no Python object per cell;
    # ISO dates Arrow recognised become datetime64, not a Python object per cell
    return table.to_pandas(types_mapper=_ARROW_TEXT.get, date_as_object=False), int_cols


_ARROW_TEXT = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


def _arrow_clean(table: pa.Table, keep_text: set[str] | None = None) -> pa.Table:
    """Strip strings and blank them to null in Arrow (fast C++ kernels).

    A text column that holds only numbers once stripped (a cell of spaces made Arrow
    read it as text) becomes numeric, unless listed in ``keep_text``.
    """
    cols = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = _stripped(col)
            if keep_text is not None and name not in keep_text:
                col = _numeric_or_text(col)
        elif pa.types.is_null(col.type):
            col = col.cast(pa.float64())
        cols.append(col)
    return pa.table(cols, names=table.column_names)


def _stripped(col: Any) -> Any:
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


def _arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    return _arrow_clean(table).to_pandas()


def _text_row_numbers(data: bytes, delim: str, n_records: int) -> np.ndarray:
    """Row numbers as seen in Excel: record i -> i + 2, counting empty lines as rows."""
    default = np.arange(2, n_records + 2)
    # one line per record plus the header: no empty line and no cell spanning lines
    # (each adds a line), so the numbers are consecutive. bytes.count is one fast pass.
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines == n_records + 1:
        return default
    end = len(data.rstrip(b"\r\n")) if data[-8:].strip(b"\r\n") == b"" else len(data)
    if data.find(b"\n\n", 0, end) < 0 and data.find(b"\n\r\n", 0, end) < 0:
        return default
    # Rare case: empty lines that Arrow skips. Count records exactly with the csv module.
    numbers = []
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace")), delimiter=delim)
    for i, rec in enumerate(reader, start=1):
        if i > 1 and rec:
            numbers.append(i)
    if len(numbers) != n_records:
        return default
    return np.asarray(numbers, dtype="int64")


def _drop_blank(
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


# --------------------------------------------------------------------------- spreadsheets


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a sheet becomes millions of cell objects.

    Each cell read allocates a Python object and none of them forms a reference cycle,
    yet every 700 allocations trigger a collection that walks the growing rows: ~40 %
    of the time of turning a 100,000-row sheet into Python objects. Reference counting
    still frees everything; the collector is switched back on (if it was on) afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_spreadsheet(path: Path, sheet: str | int | None) -> RawTable:
    with _no_gc():
        return _read_spreadsheet_cells(path, sheet)


def _read_spreadsheet_cells(path: Path, sheet: str | int | None) -> RawTable:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with path.open("rb") as fh:
            workbook = CalamineWorkbook.from_filelike(fh)
            names = list(workbook.sheet_names)
            if not names:
                raise _fail(path, "the workbook has no worksheets")
            if sheet is None:
                sheet_name = names[0]
            elif isinstance(sheet, int) and not isinstance(sheet, bool):
                if not 0 <= sheet < len(names):
                    raise _fail(
                        path,
                        f"sheet number {sheet} not found; the workbook has {len(names)} "
                        f"sheet(s): {', '.join(names)} (numbers start at 0)",
                    )
                sheet_name = names[sheet]
            else:
                if str(sheet) not in names:
                    raise _fail(
                        path,
                        f"sheet {sheet!r} not found; sheets in the workbook: {', '.join(names)}",
                    )
                sheet_name = str(sheet)
            cells = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except ReadError:
        raise
    except (CalamineError, OSError, ValueError, RuntimeError, TypeError) as err:
        raise _fail(
            path,
            f"cannot open the workbook ({type(err).__name__}: {str(err)[:200]}); the file "
            "may be damaged, password-protected or not really a spreadsheet. Open it in "
            "Excel and save it again as .xlsx",
        ) from None
    start = next((i for i, row in enumerate(cells) if any(not _blank_cell(v) for v in row)), None)
    if start is None:
        raise _fail(path, f"sheet {sheet_name!r} is empty; expected a header row and data rows")
    header = [normalize_header(v) for v in cells[start]]
    names_out, dups = _unique_names(header)
    width = len(header)
    body: list[list[Any]] = cells[start + 1 :]
    if set(map(len, body)) - {width}:  # calamine's rows are rectangular: rarely true
        body = [[*r[:width], *[""] * (width - len(r))] for r in body]  # "" = an empty cell
    grid = np.empty((len(body), width), dtype=object)
    if body:
        grid[:] = body
        grid[grid == ""] = np.nan  # calamine's empty cell, in one pass over the sheet
    typed = _numeric_block(grid)
    frame = pd.DataFrame(
        {
            name: typed[j] if j in typed else _clean_cells(grid[:, j])
            for j, name in enumerate(names_out)
        },
        index=pd.RangeIndex(len(body)),
    )
    rows = np.arange(start + 2, start + 2 + len(frame))
    frame, rows = _drop_blank(frame, rows, drop_unnamed=True)
    return RawTable(frame, path.name, path, rows, duplicate_headers=dups, sheet=sheet_name)


_NUMERIC_KINDS = ("floating", "integer", "mixed-integer-float")


def _numeric_block(grid: np.ndarray, sample: int = 1000) -> dict[int, pd.Series]:
    """The sheet's all-number columns, typed in one row-major pass: column -> Series.

    A sheet's cells are Python objects allocated row by row; reading them column by
    column misses the cache at every cell (about 100 ns each), row by row it does not
    (about 15 ns). So the columns whose first ``sample`` cells are numbers are checked
    together, on the raveled block, to hold nothing but numbers and blanks, and cast to
    float64 in one call; int64 where every value is whole. When a cell further down
    holds anything else, nothing is returned for them: :func:`_clean_cells` then types
    each column on its own, as it does every other column.

    Examples
    --------
    >>> g = np.array([[1.0, "a", 2.5], [np.nan, "b", 3.0]], dtype=object)
    >>> {j: s.tolist() for j, s in _numeric_block(g).items()}
    {0: [1.0, nan], 2: [2.5, 3.0]}
    >>> _numeric_block(np.array([[1.0], ["x"]], dtype=object), sample=1)
    {}
    """
    if not grid.size:
        return {}
    head = grid[:sample]
    candidates = [
        j
        for j in range(grid.shape[1])
        if pd.api.types.infer_dtype(head[:, j], skipna=True) in _NUMERIC_KINDS
    ]
    if not candidates:
        return {}
    # take() copies the pointers row by row (C order); grid[:, candidates] would give a
    # column-major copy, whose cast walks the cells column by column again
    block = grid.take(candidates, axis=1)
    if pd.api.types.infer_dtype(block.ravel(), skipna=True) not in _NUMERIC_KINDS:
        return {}
    try:
        nums = block.astype("float64")
    except (TypeError, ValueError, OverflowError):  # e.g. an int too large for a float
        return {}
    out: dict[int, pd.Series] = {}
    for k, j in enumerate(candidates):
        out[j] = _number_series(np.ascontiguousarray(nums[:, k]))
    return out


def _number_series(nums: np.ndarray) -> pd.Series:
    """float64 numbers as a column: int64 when every value is whole."""
    return pd.Series(nums.astype("int64") if _all_whole(nums) else nums)


def _blank_cell(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day)  # Excel date cell
    return value


def _clean_cells(values: np.ndarray) -> pd.Series:
    """One spreadsheet column (Python objects, blanks NaN) → a typed column, vectorised.

    A column of numbers and blanks becomes float64 (int64 when all whole), a column of
    text Arrow-backed strings, stripped; anything else (dates, booleans, numbers mixed
    with words) is cleaned cell by cell, each cell keeping its own type.
    """
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":
        arr = _stripped(pa.array(values, type=pa.string(), from_pandas=True))
        return pd.Series(pd.arrays.ArrowStringArray(arr))
    if kind == "empty":
        return pd.Series(np.full(len(values), np.nan))
    if kind in _NUMERIC_KINDS:
        try:
            nums = values.astype("float64")
        except (TypeError, ValueError, OverflowError):  # e.g. an int too large for a float
            return _clean_object_column(pd.Series(values, dtype=object))
        return _number_series(nums)
    return _clean_object_column(pd.Series(values, dtype=object))


def _clean_object_column(col: pd.Series) -> pd.Series:
    """Strip strings, blank -> None, then let pandas pick the column's type."""
    values = [_clean_cell(v) for v in col.to_numpy(dtype=object)]
    out = pd.Series(values, index=col.index, name=col.name, dtype=object).infer_objects()
    if out.dtype == "float64" and _all_whole(out.to_numpy()):
        out = out.astype("int64")
    return out


def _all_whole(nums: np.ndarray) -> bool:
    """No blank and every value a whole number that float64 holds exactly (→ int64)."""
    return bool(
        not np.isnan(nums).any() and (nums == np.round(nums)).all() and (np.abs(nums) < 2**53).all()
    )


# --------------------------------------------------------------------------- SPSS, Parquet


def _missing_codes(ranges: list[Any]) -> list[float]:
    codes: list[float] = []
    for r in ranges:
        if not isinstance(r, dict):
            if isinstance(r, int | float):
                codes.append(float(r))
            continue  # string user-missing values cannot be listed as numbers
        try:
            lo, hi = float(r["lo"]), float(r["hi"])
        except (KeyError, TypeError, ValueError):
            continue
        if lo == hi:
            codes.append(lo)
        elif hi - lo <= 100 and lo == int(lo) and hi == int(hi):
            codes.extend(float(v) for v in range(int(lo), int(hi) + 1))
        else:
            codes.extend([lo, hi])
    return codes


def _read_sav(path: Path) -> RawTable:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    except Exception as err:
        raise _fail(
            path,
            f"cannot read the SPSS file ({type(err).__name__}: {str(err)[:200]}); it may be "
            "damaged or not an SPSS .sav file. Open it in SPSS/PSPP and save it again",
        ) from None
    if frame.shape[1] == 0:
        raise _fail(path, "the SPSS file has no variables")
    header = [normalize_header(c) for c in frame.columns]
    names, dups = _unique_names(header)
    rename = dict(zip(frame.columns, names, strict=True))
    frame = frame.copy()
    frame.columns = pd.Index(names)
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = _clean_object_column(frame[col])
    rows = np.arange(2, len(frame) + 2)
    frame, rows = _drop_blank(frame, rows)
    value_labels = {
        rename[c]: {float(k): str(v) for k, v in labels.items()}
        for c, labels in (meta.variable_value_labels or {}).items()
        if c in rename
    }
    column_labels = {
        rename[c]: str(label)
        for c, label in (meta.column_names_to_labels or {}).items()
        if c in rename and label
    }
    missing = {
        rename[c]: _missing_codes(r) for c, r in (meta.missing_ranges or {}).items() if c in rename
    }
    return RawTable(
        frame,
        path.name,
        path,
        rows,
        duplicate_headers=dups,
        value_labels=value_labels,
        column_labels=column_labels,
        missing_values=missing,
    )


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        with path.open("rb") as fh:
            table = pq.read_table(fh)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise _fail(
            path,
            f"cannot read the Parquet file ({type(err).__name__}: {str(err)[:200]}); it may "
            "be damaged or not a Parquet file",
        ) from None
    if table.num_columns == 0:
        raise _fail(path, "the Parquet file has no columns")
    header = [normalize_header(c) for c in table.column_names]
    names, dups = _unique_names(header)
    try:
        frame = _arrow_to_frame(table.rename_columns(names))
    except (pa.ArrowException, ValueError, TypeError) as err:
        raise _fail(path, f"cannot convert the Parquet data ({str(err)[:200]})") from None
    rows = np.arange(2, len(frame) + 2)
    frame, rows = _drop_blank(frame, rows)
    return RawTable(frame, path.name, path, rows, duplicate_headers=dups)
