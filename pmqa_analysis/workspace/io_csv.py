"""Read a CSV/TXT file with Arrow: any encoding the kit knows, a title above the header.

The bytes are decoded (or checked) once, the delimiter is sniffed, the header row is found
below any title rows (:func:`~pmqa_analysis.workspace.io_table.find_header`) and Arrow's
C++ parser reads the rest. A row whose cell count differs from the header's is reported
with its line number; a cell of any size (a 3 MB comment) is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pmqa_analysis.core.thai import normalize_encoding_name
from pmqa_analysis.workspace.io_detect import (
    check_utf8,
    csv_records,
    decode_error_message,
    detect_encoding,
    sniff_delimiter,
)
from pmqa_analysis.workspace.io_table import (
    RawTable,
    arrow_clean,
    drop_blank,
    fail,
    find_header,
    normalize_header,
    row_text,
    unique_names,
)

__all__ = ["read_text"]

#: Arrow's default block size; a row longer than a block needs a bigger one
_BLOCK = 1 << 20
_MAX_BLOCK = (1 << 31) - 1
#: how many rows with the wrong number of cells a message lists
_RAGGED_SHOWN = 10


def read_text(
    path: Path,
    encoding: str | None,
    is_text: Callable[[str], bool],
    is_header: Callable[[str], bool] | None = None,
) -> RawTable:
    """Read a text file (see :func:`pmqa_analysis.workspace.io.read_table`)."""
    with path.open("rb") as fh:
        data = fh.read()
    enc = _encoding(path, data, encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if enc == "utf-8":
            enc = "utf-8-sig"
    if enc not in ("utf-8", "utf8", "utf-8-sig"):
        data = data.decode(enc).encode("utf-8")
    if not data.strip():
        raise fail(path, "the file is empty; expected a header row and data rows", "empty")
    if b"\x00" in data:
        raise fail(path, "the file holds NUL bytes: it is not a text (CSV) file", "binary")
    text_head = data[:65536].decode("utf-8", errors="ignore")
    delim = sniff_delimiter(text_head)
    records = csv_records(text_head, delim, limit=200)
    at, _ = find_header([rec for _, rec in records], is_header)
    if at is None:
        raise fail(
            path, "no header row found; the first line must hold the column names", "no_header"
        )
    header = [normalize_header(h) for h in records[at][1]]
    lines_before = records[at][0] - 1  # lines of the file above the header
    skipped = tuple(row_text(rec) for _, rec in records[:at] if row_text(rec))
    if lines_before:  # the header is further down: parse from its line
        data = data[_line_offset(data, lines_before) :]
    names, dups = unique_names(header)
    text = [n for n in names if is_text(n)]
    frame, int_cols = _parse_csv(path, data, delim, names, text, (at, lines_before))
    rows = _text_row_numbers(data, delim, len(frame)) + at  # records above the header
    frame, rows = drop_blank(frame, rows, drop_unnamed=True, int_cols=int_cols)
    return RawTable(
        frame,
        path.name,
        path,
        rows,
        encoding=enc,
        duplicate_headers=dups,
        header_row=at + 1,
        skipped=skipped,
    )


def _encoding(path: Path, data: bytes, encoding: str | None) -> str:
    """The encoding given (checked to decode the whole file) or the one detected."""
    if encoding is None:
        try:
            return detect_encoding(data)
        except UnicodeDecodeError as err:
            raise fail(path, decode_error_message(data, err), "encoding") from None
    enc = normalize_encoding_name(encoding)
    try:
        if enc in ("utf-8", "utf8", "utf-8-sig"):
            check_utf8(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        else:
            data.decode(enc)
    except LookupError:
        raise fail(path, f"unknown encoding {encoding!r}; use utf-8 or cp874", "encoding") from None
    except UnicodeDecodeError as err:
        raise fail(
            path, f"does not decode as {enc}: " + decode_error_message(data, err), "encoding"
        ) from None
    return enc


def _line_offset(data: bytes, lines: int) -> int:
    """The byte offset where line ``lines + 1`` starts."""
    pos = 0
    for _ in range(lines):
        nl = data.find(b"\n", pos)
        if nl < 0:
            return len(data)
        pos = nl + 1
    return pos


def _read_csv(data: bytes, delim: str, names: list[str], convert: pacsv.ConvertOptions) -> pa.Table:
    """Arrow's parser; a row longer than a block (a huge cell) is read with a bigger block."""
    block = _BLOCK
    while True:
        try:
            return pacsv.read_csv(
                pa.BufferReader(data),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=block),
                parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True),
                convert_options=convert,
            )
        except pa.ArrowInvalid as err:
            if "straddl" not in str(err) or block >= min(len(data) + 1, _MAX_BLOCK):
                raise
            block = min(max(block * 8, len(data) + 1), _MAX_BLOCK)


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
        table = _read_csv(
            head,
            delim,
            names,
            pacsv.ConvertOptions(
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
    path: Path, data: bytes, delim: str, names: list[str], text: list[str], above: tuple[int, int]
) -> tuple[pd.DataFrame, list[str]]:
    """Parse with Arrow; ``text`` columns are read as strings, the others typed by content.

    ``above`` is how many rows and lines of the file stand above ``data`` (a title).
    """
    others = [n for n in names if n not in set(text)]
    as_text = [*text, *_leading_zero_columns(data, delim, names, others)]
    try:
        table = _read_csv(
            data,
            delim,
            names,
            pacsv.ConvertOptions(
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
        if re.search(r"Expected \d+ columns, got \d+", msg):
            raise _ragged(path, data, delim, len(names), above) from None
        raise fail(
            path, f"cannot parse the file as CSV ({msg.splitlines()[0][:200]})", "csv"
        ) from None
    table = arrow_clean(table, keep_text=set(as_text))
    int_cols = [n for n, c in zip(names, table.columns, strict=True) if pa.types.is_integer(c.type)]
    # text stays in Arrow memory (pandas' string[pyarrow]): no Python object per cell;
    # ISO dates Arrow recognised become datetime64, not a Python object per cell
    return table.to_pandas(types_mapper=_ARROW_TEXT.get, date_as_object=False), int_cols


_ARROW_TEXT = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


def _ragged(path: Path, data: bytes, delim: str, width: int, above: tuple[int, int]) -> Exception:
    """The rows whose cell count is not the header's, numbered as Excel shows them.

    A row is counted as Excel counts it (a cell spanning lines is one row); when a text
    editor's line number differs, it is given too.
    """
    records = csv_records(data.decode("utf-8", errors="replace"), delim)
    bad = [
        (i + above[0], line + above[1], rec)
        for i, (line, rec) in enumerate(records, start=1)
        if i > 1 and rec and len(rec) != width
    ]
    if not bad:  # Arrow saw what the csv module does not
        return fail(path, f"cannot parse the file as CSV (the header has {width} columns)", "csv")
    row, line, rec = bad[0]
    where = f"row {row}" + (f" (line {line} in a text editor)" if line != row else "")
    start = delim.join(rec)[:80]
    listed = ", ".join(f"{r} ({len(c)} cells)" for r, _, c in bad[:_RAGGED_SHOWN])
    more = f" and {len(bad) - _RAGGED_SHOWN} more" if len(bad) > _RAGGED_SHOWN else ""
    return fail(
        path,
        f"a row has {len(rec)} cells but the header has {width} columns: {where}, starting "
        f"{start!r}; rows with another number of cells: {listed}{more}. Quote cells that "
        f"contain the delimiter {delim!r} or fix the rows",
        "ragged",
        row=row,
    )


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
    records = csv_records(data.decode("utf-8", errors="replace"), delim)
    numbers = [i for i, (_, rec) in enumerate(records, start=1) if i > 1 and rec]
    if len(numbers) != n_records:
        return default
    return np.asarray(numbers, dtype="int64")
