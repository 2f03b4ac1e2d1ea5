"""Read the files that carry their own types: SPSS (SAV/ZSAV) and Parquet.

SPSS value labels, variable labels and user-missing codes are kept beside the cells, so a
questionnaire can take its scale from the file (``scale = from_file``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from pmqa_analysis.workspace.io_table import (
    RawTable,
    arrow_clean,
    clean_object_column,
    drop_blank,
    fail,
    normalize_header,
    unique_names,
)

__all__ = ["read_parquet", "read_sav"]


def _missing_codes(ranges: list[Any]) -> list[float]:
    """SPSS user-missing values and ranges as a list of codes.

    Examples
    --------
    >>> _missing_codes([9, {"lo": 97.0, "hi": 99.0}, "x"])
    [9.0, 97.0, 98.0, 99.0]
    """
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


def read_sav(path: Path) -> RawTable:
    """Read an SPSS file: codes as stored, with value labels and user-missing codes."""
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    except Exception as err:
        raise fail(
            path,
            f"cannot read the SPSS file ({type(err).__name__}: {str(err)[:200]}); it may be "
            "damaged or not an SPSS .sav file. Open it in SPSS/PSPP and save it again",
            "sav",
        ) from None
    if frame.shape[1] == 0:
        raise fail(path, "the SPSS file has no variables", "sav")
    header = [normalize_header(c) for c in frame.columns]
    names, dups = unique_names(header)
    rename = dict(zip(frame.columns, names, strict=True))
    frame = frame.copy()
    frame.columns = pd.Index(names)
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = clean_object_column(frame[col])
    rows = np.arange(2, len(frame) + 2)
    frame, rows = drop_blank(frame, rows)
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


def read_parquet(path: Path) -> RawTable:
    """Read a Parquet file; text is stripped and blanks become missing, as in a CSV."""
    import pyarrow.parquet as pq

    try:
        with path.open("rb") as fh:
            table = pq.read_table(fh)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise fail(
            path,
            f"cannot read the Parquet file ({type(err).__name__}: {str(err)[:200]}); it may "
            "be damaged or not a Parquet file",
            "parquet",
        ) from None
    if table.num_columns == 0:
        raise fail(path, "the Parquet file has no columns", "parquet")
    header = [normalize_header(c) for c in table.column_names]
    names, dups = unique_names(header)
    try:
        frame = arrow_clean(table.rename_columns(names)).to_pandas()
    except (pa.ArrowException, ValueError, TypeError) as err:
        raise fail(path, f"cannot convert the Parquet data ({str(err)[:200]})", "parquet") from None
    rows = np.arange(2, len(frame) + 2)
    frame, rows = drop_blank(frame, rows)
    return RawTable(frame, path.name, path, rows, duplicate_headers=dups)
