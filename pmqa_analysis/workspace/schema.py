"""Declared schemas per template: parse raw frames into typed frames, all problems at once.

Each template's columns are declared once in ``data/templates.toml`` (see
:mod:`pmqa_analysis.workspace.templates`).  :func:`parse_table` turns a
:class:`~pmqa_analysis.workspace.io.RawTable` into a typed frame in two steps:

1. *parse*: headers are matched (names, Thai titles and aliases), each cell is
   converted by its column type (Thai digits, BE dates, yes/no words, choice
   aliases); a cell that cannot be converted becomes a problem naming the
   file, the Excel row, the column and the value found.
2. *check*: a pandera ``DataFrameSchema`` built from the same declaration is
   run lazily on the typed frame (required cells filled, numbers >= 0,
   choices allowed), and every failure case is added to the problems table;
   duplicate keys are reported with both rows.

Nothing is coerced silently: a value is either converted by a documented rule
or reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from pmqa_analysis.core.problems import ProblemLog
from pmqa_analysis.core.thai import normalize_digits
from pmqa_analysis.core.thai_dates import parse_dates
from pmqa_analysis.workspace.io import RawTable
from pmqa_analysis.workspace.privacy import mask_pii
from pmqa_analysis.workspace.templates import ColumnSpec, TemplateSpec

__all__ = [
    "BOOL_WORDS",
    "ParsedTable",
    "build_schema",
    "empty_frame",
    "match_headers",
    "parse_table",
    "report_rows",
    "text_headers",
]

#: Words accepted for yes/no columns (compared case-insensitively).
BOOL_WORDS: dict[str, bool] = {
    "yes": True, "y": True, "true": True, "1": True, "ใช่": True, "มี": True, "เคย": True,
    "no": False, "n": False, "false": False, "0": False, "ไม่ใช่": False, "ไม่มี": False,
    "ไม่เคย": False,
}  # fmt: skip

_TYPE_TH = {
    "code": "รหัส (ตัวอักษร/ตัวเลข)",
    "name": "ข้อความ",
    "text": "ข้อความ",
    "int": "จำนวนเต็มตั้งแต่ 0 ขึ้นไป",
    "number": "ตัวเลขตั้งแต่ 0 ขึ้นไป",
    "date": "วันที่ เช่น 15/3/2567 หรือ 2024-03-15",
    "bool": "ใช่/ไม่ใช่",
}
_TYPE_EN = {
    "code": "a code (letters, digits, - _ .)",
    "name": "text",
    "text": "text",
    "int": "a whole number >= 0",
    "number": "a number >= 0",
    "date": "a date such as 15/3/2567 or 2024-03-15",
    "bool": "yes or no",
}


@dataclass(frozen=True)
class ParsedTable:
    """A template's typed frame plus where each row came from."""

    name: str
    file: str
    frame: pd.DataFrame
    rows: np.ndarray  # Excel row number of each frame row
    extra_columns: tuple[str, ...] = ()
    #: the ``extra_headers`` columns as read (canonical name → raw column), unconverted
    extras: Mapping[str, pd.Series] = field(default_factory=dict)
    #: canonical name → the file's header, for messages that name the user's column
    headers: Mapping[str, str] = field(default_factory=dict)


def _norm(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


def match_headers(
    headers: Sequence[str], spec: TemplateSpec, extra: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Map file headers to canonical column names.

    A header matches a column by its name, its Thai or English title, or a
    declared alias, ignoring case and surrounding spaces.  ``extra`` adds
    more header → name pairs (the questionnaire's item column headers).

    Returns
    -------
    mapping : dict
        file header → canonical name.
    unmatched : list of str
        Headers that matched nothing (ignored, reported as warnings).

    Examples
    --------
    >>> from pmqa_analysis.workspace.templates import load_template_specs
    >>> m, rest = match_headers([" Unit_Code ", "ชื่อหน่วยงาน (ไทย)", "x"],
    ...                         load_template_specs()["units"])
    >>> m, rest
    ({' Unit_Code ': 'unit_code', 'ชื่อหน่วยงาน (ไทย)': 'unit_name_th'}, ['x'])
    """
    lookup: dict[str, str] = {}
    for col in spec.columns:
        for alias in (col.name, col.th, col.en, *col.header_aliases):
            if alias:
                lookup.setdefault(_norm(alias), col.name)
    for header, name in (extra or {}).items():
        lookup[_norm(header)] = name
    mapping: dict[str, str] = {}
    unmatched: list[str] = []
    taken: set[str] = set()
    for header in headers:
        found = lookup.get(_norm(header))
        if found is None or found in taken:
            unmatched.append(header)
            continue
        mapping[header] = found
        taken.add(found)
    return mapping, unmatched


#: Dates outside this span are reported as errors (BE 2500 to 2643).
_FIRST_DATE = pd.Timestamp("1957-01-01")
_LAST_DATE = pd.Timestamp("2100-12-31 23:59:59")
#: column types whose cells are read as text (no number inference: leading zeros kept)
TEXT_TYPES = frozenset({"code", "name", "text", "date", "bool", "choice"})


def text_headers(
    spec: TemplateSpec, column_map: Mapping[str, str] | None = None
) -> Callable[[str], bool]:
    """A predicate for :func:`~pmqa_analysis.workspace.io.read_table`'s ``text_columns``.

    True for a header that names one of the template's columns typed code, name, text,
    date, bool or choice, so their cells reach :func:`parse_table` as written (a unit
    code ``007`` is never read as the number 7).

    Examples
    --------
    >>> from pmqa_analysis.workspace.templates import load_template_specs
    >>> is_text = text_headers(load_template_specs()["units"])
    >>> is_text("unit_code"), is_text("รหัสหน่วยงาน"), is_text("service_population")
    (True, True, False)

    ``column_map`` (the file's header -> template column, from ``[columns.<template>]``)
    makes a mapped header count as its template column.
    """
    kinds = {c.name: c.type for c in spec.columns}

    def is_text(header: str) -> bool:
        mapping, _ = match_headers([header], spec, column_map)
        return kinds.get(mapping.get(header, ""), "") in TEXT_TYPES

    return is_text


#: dtype of every text column of the typed frames (Arrow-backed: fast and compact)
TEXT_DTYPE = pd.StringDtype("pyarrow")


def _as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (numbers read as 1.0 shown as 1), blanks as NA.

    Uses Arrow compute on the whole column (a 1,000,000-row column in ~0.1 s). Arrow-backed
    text is taken as it is: :func:`~pmqa_analysis.workspace.io.read_table` has stripped it already.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if len(whole) and np.all(np.mod(whole, 1) == 0) and bool((np.abs(whole) < 2**53).all()):
            values = values.astype("Int64")
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return values  # as read_table makes text: Arrow-backed, stripped, blanks missing
    if values.dtype == object:
        try:
            arr = pa.array(values.to_numpy(), type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed cells (numbers and text)
            arr = pa.array(values.astype("string").to_numpy(), from_pandas=True)
    else:
        arr = pa.array(values.astype("string").to_numpy(), type=pa.string(), from_pandas=True)
    trimmed = pc.utf8_trim_whitespace(arr.cast(pa.string()))
    trimmed = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    return pd.Series(pd.arrays.ArrowStringArray(trimmed), index=values.index, name=values.name)


def _report(
    log: ProblemLog,
    kind: str,
    table: RawTable,
    column: str,
    positions: np.ndarray,
    values: pd.Series,
    expected: str,
    expected_th: str,
    hint: str = "",
    hint_th: str = "",
    severity: str = "error",
) -> None:
    report_rows(
        log, kind, table.file, column, table.rows[positions], values.iloc[positions],
        expected, expected_th, hint, hint_th, severity,
    )  # fmt: skip


#: At most this many rows are listed per (file, column, kind); the rest are counted.
MAX_ROWS_LISTED = 50


def report_rows(
    log: ProblemLog,
    kind: str,
    file: str,
    column: str,
    rows: np.ndarray,
    values: pd.Series | Sequence[Any],
    expected: str,
    expected_th: str,
    hint: str = "",
    hint_th: str = "",
    severity: str = "error",
) -> None:
    """Add one problem per row (the first :data:`MAX_ROWS_LISTED`), then a count of the rest.

    Examples
    --------
    >>> log = ProblemLog()
    >>> report_rows(log, "bad", "f.csv", "c", np.arange(2, 62), ["x"] * 60, "y", "y")
    >>> len(log.problems), log.problems[-1].value
    (51, '10 more rows like this')
    """
    vals = list(values)
    for row, value in zip(rows[:MAX_ROWS_LISTED], vals[:MAX_ROWS_LISTED], strict=False):
        log.add(
            kind,
            file=file,
            row=int(row),
            column=column,
            value=value,
            expected=expected,
            expected_th=expected_th,
            hint=hint,
            hint_th=hint_th,
            severity=severity,
        )
    more = len(vals) - MAX_ROWS_LISTED
    if more > 0:
        log.add(
            kind,
            file=file,
            column=column,
            value=f"{more} more rows like this",
            expected=expected,
            expected_th=expected_th,
            hint=hint,
            hint_th=hint_th,
            severity=severity,
        )


def _convert(
    col: ColumnSpec, raw: pd.Series, table: RawTable, header: str, log: ProblemLog
) -> pd.Series:
    """Convert one column by its declared type; unconvertible cells are reported."""
    kind = col.type
    text = _as_text(raw) if kind not in ("int", "number") or raw.dtype == object else None
    blank = (text.isna() if text is not None else raw.isna()).to_numpy()
    if kind in ("code", "name", "text") and text is not None:
        if kind == "text":
            return mask_pii(text.astype(object)).astype(TEXT_DTYPE)
        return text
    if kind in ("int", "number"):
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            num = raw.astype("float64")
            bad = np.zeros(len(raw), dtype=bool)
        else:
            digits = normalize_digits((_as_text(raw) if text is None else text).astype(object))
            digits = digits.astype("string").str.replace(",", "", regex=False)
            num = pd.to_numeric(digits, errors="coerce").astype("float64")
            bad = num.isna().to_numpy() & ~blank
        if kind == "int":
            vals = num.to_numpy()
            with np.errstate(invalid="ignore"):
                frac = (~np.isnan(vals)) & (np.mod(np.nan_to_num(vals), 1) != 0)
                huge = np.abs(vals) >= 2.0**63  # beyond a 64-bit integer (and inf)
            bad = bad | frac | huge
        if bad.any():
            _report(
                log, "not_a_number", table, header, np.flatnonzero(bad), raw,
                _TYPE_EN[kind], _TYPE_TH[kind],
                "type the number only, without units or text",
                "พิมพ์เฉพาะตัวเลข ไม่ต้องมีหน่วยหรือข้อความ",
            )  # fmt: skip
        num = num.mask(bad)
        return num.astype("Int64") if kind == "int" else num
    if kind == "date":
        dates, bad_mask = parse_dates(raw)
        if bool(bad_mask.any()):  # month/day (a US-locale form export) reads every value?
            us_dates, us_bad = parse_dates(raw, dayfirst=False)
            if not us_bad.any():
                dates, bad_mask = us_dates, us_bad
        bad = np.asarray(bad_mask, dtype=bool)
        if bad.any():
            _report(
                log, "bad_date", table, header, np.flatnonzero(bad), raw,
                _TYPE_EN["date"], _TYPE_TH["date"],
                "write dates as day/month/year (BE or CE) or YYYY-MM-DD",
                "ใช้รูปแบบ วัน/เดือน/ปี (พ.ศ. หรือ ค.ศ.) หรือ ปปปป-ดด-วว",
            )  # fmt: skip
        # a date that parses but cannot be a survey's (a typo in the year: 2263, 1720)
        # would overflow the day counts (pandas' nanoseconds span only +-292 years)
        far = (dates.notna() & ((dates < _FIRST_DATE) | (dates > _LAST_DATE))).to_numpy(bool)
        if far.any():
            _report(
                log, "date_out_of_range", table, header, np.flatnonzero(far), raw,
                f"a date from {_FIRST_DATE:%Y-%m-%d} to {_LAST_DATE:%Y-%m-%d} "
                "(BE 2500-2643)",
                f"วันที่ระหว่าง {_FIRST_DATE:%Y-%m-%d} ถึง {_LAST_DATE:%Y-%m-%d} "
                "(พ.ศ. 2500-2643)",
                "check the year: BE years are above 2400 (2567), CE years below (2024)",
                "ตรวจปี: ปี พ.ศ. มากกว่า 2400 (เช่น 2567) ปี ค.ศ. น้อยกว่า (เช่น 2024)",
            )  # fmt: skip
            dates = dates.mask(far)
        return dates.astype("datetime64[ns]")
    if kind == "bool":
        text = _as_text(raw) if text is None else text
        mapped = text.map(lambda v: BOOL_WORDS.get(_norm(v)) if isinstance(v, str) else None)
        bad = mapped.isna().to_numpy() & ~blank
        if bad.any():
            _report(
                log, "bad_yes_no", table, header, np.flatnonzero(bad), raw,
                _TYPE_EN["bool"], _TYPE_TH["bool"],
                "use yes/no (ใช่/ไม่ใช่)", "ใช้ ใช่/ไม่ใช่ (yes/no)",
            )  # fmt: skip
        return mapped.astype("boolean")
    if kind == "choice":
        lookup = {_norm(c): c for c in col.choices}
        lookup.update({_norm(k): v for k, v in col.value_aliases.items()})
        text = _as_text(raw) if text is None else text
        uniques = pd.unique(text.dropna())
        table_map = {u: lookup.get(_norm(u)) for u in uniques}
        mapped = text.map(table_map)
        bad = mapped.isna().to_numpy() & ~blank
        if bad.any():
            allowed = ", ".join(col.choices)
            allowed_th = ", ".join([*col.choices, *col.value_aliases])
            _report(
                log, "bad_choice", table, header, np.flatnonzero(bad), raw,
                f"one of: {allowed}", f"ค่าใดค่าหนึ่ง: {allowed_th}",
                "see DATA_DICTIONARY.md for the allowed values",
                "ดูค่าที่ใช้ได้ใน DATA_DICTIONARY.md",
            )  # fmt: skip
        return mapped.astype(TEXT_DTYPE)
    raise ValueError(f"unknown column type {kind!r} in templates.toml")  # pragma: no cover


def build_schema(spec: TemplateSpec, present: Sequence[str]) -> pa.DataFrameSchema:
    """The pandera schema of a template's typed frame (checks after parsing).

    Required columns may not hold empty cells, numbers must be >= 0 and choices
    must be allowed. (Unique keys are checked by :func:`parse_table` itself, which
    reports both rows of every duplicate.)

    Examples
    --------
    >>> from pmqa_analysis.workspace.templates import load_template_specs
    >>> s = build_schema(load_template_specs()["units"], ["unit_code", "service_population"])
    >>> sorted(s.columns)
    ['service_population', 'unit_code']
    """
    columns: dict[str, pa.Column] = {}
    for col in spec.columns:
        if col.name not in present:
            continue
        checks: list[pa.Check] = []
        if col.type in ("int", "number"):
            checks.append(pa.Check.ge(0))
        if col.type == "choice":
            checks.append(pa.Check.isin(list(col.choices)))
        columns[col.name] = pa.Column(nullable=not col.required, checks=checks)
    # keys are checked by _duplicate_problems, which names both rows of each duplicate
    return pa.DataFrameSchema(columns)


def _pandera_problems(
    exc: SchemaErrors, spec: TemplateSpec, table: RawTable, names: Mapping[str, str],
    log: ProblemLog, skip: set[tuple[int, str]],
) -> None:  # fmt: skip
    cases = exc.failure_cases
    for rec in cases.itertuples(index=False):
        column = str(rec.column) if rec.column is not None else None
        check = str(rec.check)
        idx = rec.index
        if idx is None or (isinstance(idx, float) and np.isnan(idx)):
            continue
        pos = int(idx)
        if column is not None and (pos, column) in skip:
            continue  # already reported while parsing
        header = names.get(column or "", column or "")
        value = rec.failure_case
        if "not_nullable" in check:
            log.add(
                "required_value_missing", file=table.file, row=int(table.rows[pos]),
                column=header, value="",
                expected="a value (this column is required)", expected_th="ต้องกรอกค่า (คอลัมน์บังคับ)",
                hint="fill in the cell or remove the row", hint_th="กรอกค่าหรือลบแถวนี้",
            )  # fmt: skip
        elif "greater_than_or_equal_to" in check:
            log.add(
                "negative_number", file=table.file, row=int(table.rows[pos]), column=header,
                value=value, expected="a number >= 0", expected_th="ตัวเลขตั้งแต่ 0 ขึ้นไป",
                hint="correct the sign or the value", hint_th="แก้ไขค่าให้ไม่ติดลบ",
            )  # fmt: skip
        elif "unique" in check or column is None or "duplicates" in check:
            continue  # duplicates are reported by _duplicate_problems with both rows
        else:
            log.add(
                "check_failed", file=table.file, row=int(table.rows[pos]), column=header,
                value=value, expected=check, expected_th=check,
            )  # fmt: skip


def _duplicate_problems(
    frame: pd.DataFrame, spec: TemplateSpec, table: RawTable, names: Mapping[str, str],
    log: ProblemLog,
) -> None:  # fmt: skip
    key = list(spec.key)
    if not key or any(k not in frame.columns for k in key):
        return
    if len(key) == 1 and frame[key[0]].is_unique:
        return  # the common case, one hash pass
    keyed = frame[key]
    dup = keyed.duplicated(keep=False).to_numpy() & keyed.notna().all(axis=1).to_numpy()
    if not dup.any():
        return
    first_pos = (
        pd.Series(np.arange(len(frame)), index=pd.MultiIndex.from_frame(keyed.astype(object)))
        .groupby(level=list(range(len(key))))
        .transform("min")
        .to_numpy()
    )
    label = " + ".join(names.get(k, k) for k in key)
    for pos in np.flatnonzero(dup):
        first = int(first_pos[pos])
        if first == pos:
            continue
        value = " / ".join(str(keyed.iloc[pos][k]) for k in key)
        log.add(
            "duplicate_key", file=table.file, row=int(table.rows[pos]), column=label,
            value=value,
            expected=f"a unique {label} (also on row {int(table.rows[first])})",
            expected_th=f"{label} ต้องไม่ซ้ำ (ซ้ำกับแถว {int(table.rows[first])})",
            hint="remove the duplicate row or give it its own code",
            hint_th="ลบแถวที่ซ้ำหรือกำหนดรหัสใหม่",
        )  # fmt: skip


def parse_table(
    table: RawTable,
    spec: TemplateSpec,
    log: ProblemLog,
    *,
    extra_headers: Mapping[str, str] | None = None,
) -> ParsedTable:
    """Parse and check one raw table against its template; problems go to ``log``.

    Parameters
    ----------
    table : RawTable
        As read by :func:`pmqa_analysis.workspace.io.read_table`.
    spec : TemplateSpec
        The template's declaration.
    log : ProblemLog
        Receives every problem found.
    extra_headers : mapping, optional
        More header → name pairs; those columns are passed through unconverted
        (the responses file's item columns, converted with their scales later).

    Returns
    -------
    ParsedTable
        ``frame``: columns in template order (absent optional columns are added empty);
        ``extras``: the ``extra_headers`` columns as read.
    """
    raw = table.frame
    mapping, unmatched = match_headers([str(c) for c in raw.columns], spec, extra_headers)
    for header in table.duplicate_headers:
        # a repeated header is ambiguous only when the kit reads it (pandas names the copies
        # "<header>.1" ...); a repeated question nothing reads is ignored, with a note
        copies = [c for c in map(str, raw.columns) if c == header or c.startswith(f"{header}.")]
        used = any(c in mapping for c in copies)
        log.add(
            "duplicate_column", file=table.file, column=header, value=header,
            expected="each column header once", expected_th="หัวคอลัมน์ไม่ซ้ำกัน",
            hint="rename or delete one of the columns" if used else
            "the columns are not used; rename one if it should be",
            hint_th="เปลี่ยนชื่อหรือลบคอลัมน์ที่ซ้ำ" if used else
            "คอลัมน์นี้ไม่ถูกใช้ หากต้องการใช้ให้เปลี่ยนชื่อคอลัมน์หนึ่ง",
            severity="error" if used else "warning",
        )  # fmt: skip
        unmatched = [u for u in unmatched if u not in copies]
    names = {v: k for k, v in mapping.items()}  # canonical -> file header
    for header in unmatched:
        log.add(
            "unknown_column", file=table.file, column=header, value=header,
            expected="a column of the template", expected_th="คอลัมน์ตามแม่แบบ",
            hint="the column is ignored; check its spelling if it should be used",
            hint_th="คอลัมน์นี้จะไม่ถูกใช้ ตรวจตัวสะกดหากต้องการใช้",
            severity="warning",
        )  # fmt: skip
    present = set(mapping.values())
    for col in spec.columns:
        if col.required and col.name not in present:
            log.add(
                "missing_column", file=table.file, column=col.name,
                expected=f"a column named {col.name} ({col.en})",
                expected_th=f"คอลัมน์ {col.name} ({col.th})",
                hint="add the column (see data_templates/ for the layout)",
                hint_th="เพิ่มคอลัมน์นี้ (ดูแม่แบบใน data_templates/)",
            )  # fmt: skip
    out: dict[str, pd.Series] = {}
    n = len(raw)
    skip: set[tuple[int, str]] = set()
    for col in spec.columns:
        found = names.get(col.name)
        if found is None:
            out[col.name] = _empty_column(col.type, n)
            continue
        before = len(log.problems)
        out[col.name] = _convert(col, _positional(raw[found]), table, found, log)
        for p in log.problems[before:]:
            if p.row is not None:
                skip.add((int(np.searchsorted(table.rows, p.row)), col.name))
    extras: dict[str, pd.Series] = {}
    for name in (extra_headers or {}).values():
        source = next((h for h, v in mapping.items() if v == name), None)
        if source is not None and name not in out:
            extras[name] = _positional(raw[source])
    frame = pd.DataFrame(out)
    checked = [c.name for c in spec.columns if c.name in present]
    schema = build_schema(spec, checked)
    try:
        schema.validate(frame[checked], lazy=True)
    except SchemaErrors as exc:
        _pandera_problems(exc, spec, table, names, log, skip)
    _duplicate_problems(frame, spec, table, names, log)
    return ParsedTable(
        spec.name,
        table.file,
        frame,
        np.asarray(table.rows),
        tuple(unmatched),
        extras,
        headers={k: str(v) for k, v in names.items()},
    )


def _positional(values: pd.Series) -> pd.Series:
    """The column with a 0..n-1 index (no copy when it already has one)."""
    index = values.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return values
    return values.reset_index(drop=True)


def empty_frame(spec: TemplateSpec) -> pd.DataFrame:
    """A template's frame with no rows, each column typed as a parsed file's would be.

    What an optional file left out of the workspace loads as, so that every later step
    sees the same columns and dtypes as for a header-only file.
    """
    return pd.DataFrame({col.name: _empty_column(col.type, 0) for col in spec.columns})


def _empty_column(kind: str, n: int) -> pd.Series:
    """An all-missing column of the type's dtype (for optional columns left out)."""
    import pyarrow as pa

    dtype = _empty_dtype(kind)
    if dtype is TEXT_DTYPE:
        return pd.Series(pd.arrays.ArrowStringArray(pa.nulls(n, pa.string())))
    if dtype == "Int64":
        return pd.Series(pd.arrays.IntegerArray(np.zeros(n, "int64"), np.ones(n, bool)))
    if dtype == "boolean":
        return pd.Series(pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool)))
    if dtype == "float64":
        return pd.Series(np.full(n, np.nan))
    return pd.Series(np.full(n, np.datetime64("NaT", "ns")))


def _empty_dtype(kind: str) -> Any:
    return {
        "int": "Int64",
        "number": "float64",
        "date": "datetime64[ns]",
        "bool": "boolean",
    }.get(kind, TEXT_DTYPE)
