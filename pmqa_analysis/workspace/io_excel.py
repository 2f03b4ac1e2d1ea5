"""Read a worksheet (XLSX, XLSM, XLS, ODS) with python-calamine, as offices keep them.

The sheet holding the header is found when none is named (a cover page may come first),
the header row below any title rows, and the cells are typed column by column, vectorised.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from pmqa_analysis.core.errors import ReadError
from pmqa_analysis.workspace.io_table import (
    HEADER_SEARCH_ROWS,
    RawTable,
    all_whole,
    clean_object_column,
    drop_blank,
    fail,
    find_header,
    normalize_header,
    row_text,
    stripped,
    unique_names,
)

__all__ = ["read_spreadsheet"]

_NUMERIC_KINDS = ("floating", "integer", "mixed-integer-float")
#: rows of each sheet looked at to find the header (blank rows included)
_HEAD_ROWS = 4 * HEADER_SEARCH_ROWS


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


def read_spreadsheet(
    path: Path,
    sheet: str | int | None,
    is_header: Callable[[str], bool] | None = None,
    *,
    encrypted_hint: bool = False,
) -> RawTable:
    """Read one worksheet (see :func:`pmqa_analysis.workspace.io.read_table`).

    ``encrypted_hint`` says the file is an OLE2 container under an ``.xlsx`` name: if
    calamine cannot open it, it is a password-protected workbook.
    """
    with _no_gc():
        return _read_cells(path, sheet, is_header, encrypted_hint)


def _pick_sheet(
    path: Path, workbook: Any, names: list[str], is_header: Callable[[str], bool] | None
) -> tuple[str, Any]:
    """The first sheet whose header row holds two expected headers (else the best one).

    Without ``is_header`` the first sheet is read. When the workbook has several sheets
    and none holds an expected header, the error names every sheet seen.
    """
    first = workbook.get_sheet_by_name(names[0])
    if is_header is None or len(names) == 1:
        return names[0], first
    best: tuple[int, str, Any] = (0, names[0], first)
    for name in names:
        sheet = first if name == names[0] else workbook.get_sheet_by_name(name)
        _, score = find_header(sheet.to_python(skip_empty_area=False, nrows=_HEAD_ROWS), is_header)
        if score >= 2:
            return name, sheet
        if score > best[0]:
            best = (score, name, sheet)
    if best[0] == 0:
        shown = ", ".join(repr(n) for n in names)
        raise fail(
            path,
            f"no worksheet holds the expected column headers; sheets seen: {shown}. Name the "
            "sheet to read in settings.toml ([sheets]) and map your headers ([columns])",
            "no_header_sheet",
            sheets=tuple(names),
        )
    return best[1], best[2]


def _named_sheet(path: Path, names: list[str], sheet: str | int) -> str:
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise fail(
                path,
                f"sheet number {sheet} not found; the workbook has {len(names)} "
                f"sheet(s): {', '.join(names)} (numbers start at 0)",
                "sheet_not_found",
                sheets=tuple(names),
            )
        return names[sheet]
    if str(sheet) not in names:
        raise fail(
            path,
            f"sheet {sheet!r} not found; sheets in the workbook: {', '.join(names)}",
            "sheet_not_found",
            sheets=tuple(names),
        )
    return str(sheet)


def _read_cells(
    path: Path,
    sheet: str | int | None,
    is_header: Callable[[str], bool] | None,
    encrypted_hint: bool,
) -> RawTable:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with path.open("rb") as fh:
            workbook = CalamineWorkbook.from_filelike(fh)
            names = list(workbook.sheet_names)
            if not names:
                raise fail(path, "the workbook has no worksheets", "workbook")
            if sheet is None:
                sheet_name, sheet_obj = _pick_sheet(path, workbook, names, is_header)
            else:
                sheet_name = _named_sheet(path, names, sheet)
                sheet_obj = workbook.get_sheet_by_name(sheet_name)
            cells = sheet_obj.to_python(skip_empty_area=False)
    except ReadError:
        raise
    except (CalamineError, OSError, ValueError, RuntimeError, TypeError) as err:
        if encrypted_hint:
            raise fail(
                path,
                "the workbook is protected by a password (encrypted), or is an old-format "
                "file that cannot be opened; open it in Excel, remove the password and save "
                "it again as .xlsx",
                "encrypted",
            ) from None
        raise fail(
            path,
            f"cannot open the workbook ({type(err).__name__}: {str(err)[:200]}); the file "
            "may be damaged, password-protected or not really a spreadsheet. Open it in "
            "Excel and save it again as .xlsx",
            "xls" if path.suffix.lower() == ".xls" else "workbook",
        ) from None
    start, _ = find_header(cells, is_header)
    if start is None:
        raise fail(
            path,
            f"sheet {sheet_name!r} is empty; expected a header row and data rows",
            "sheet_empty",
            sheets=tuple(names),
        )
    skipped = tuple(t for t in (row_text(r) for r in cells[:start]) if t)
    header = [normalize_header(v) for v in cells[start]]
    names_out, dups = unique_names(header)
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
    frame, rows = drop_blank(frame, rows, drop_unnamed=True)
    return RawTable(
        frame,
        path.name,
        path,
        rows,
        duplicate_headers=dups,
        sheet=sheet_name,
        header_row=start + 1,
        skipped=skipped,
        sheets=tuple(names),
    )


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
    return pd.Series(nums.astype("int64") if all_whole(nums) else nums)


def _clean_cells(values: np.ndarray) -> pd.Series:
    """One spreadsheet column (Python objects, blanks NaN) → a typed column, vectorised.

    A column of numbers and blanks becomes float64 (int64 when all whole), a column of
    text Arrow-backed strings, stripped; anything else (dates, booleans, numbers mixed
    with words) is cleaned cell by cell, each cell keeping its own type.
    """
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":
        arr = stripped(pa.array(values, type=pa.string(), from_pandas=True))
        return pd.Series(pd.arrays.ArrowStringArray(arr))
    if kind == "empty":
        return pd.Series(np.full(len(values), np.nan))
    if kind in _NUMERIC_KINDS:
        try:
            nums = values.astype("float64")
        except (TypeError, ValueError, OverflowError):  # e.g. an int too large for a float
            return clean_object_column(pd.Series(values, dtype=object))
        return _number_series(nums)
    return clean_object_column(pd.Series(values, dtype=object))
