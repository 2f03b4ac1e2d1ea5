"""A Traffy Fondue export as the complaint file (CS3): recognised by its header, converted.

Traffy Fondue is Bangkok's public complaint platform; its export has one row per ticket with
the columns ``ticket_id, type, org, description, address, timestamp, star, count_reopen,
note, state, last_activity`` (and ``coords``, ``photo_url`` … which the kit does not use).

When the workspace's complaint file (``complaints.csv`` or the file named in ``[files]``)
has that header (:func:`is_traffy`), the loader converts it to the complaints template
(:func:`convert_if_traffy`) *before* validation: every check of the template applies and
the problems table names the export's file, row and column. The file is only read.
:func:`from_traffy` does the same for a frame in code.

=================  ============================================================
template column    from the export
=================  ============================================================
complaint_id       ``ticket_id`` (blank: ``TRAFFY-ROW<row>``)
unit_code          ``[traffy] unit``: ``district`` (``เขต…`` parsed from ``address``,
                   :data:`NO_DISTRICT` when it has none), ``org`` or
                   ``column:<header>``; then ``[traffy] lookup`` (value -> code); names
                   of units are accepted as in every code column
received_date      ``timestamp`` (UTC, converted to Asia/Bangkok local time)
channel_code       ``[traffy] channel`` (default ``TRAFFY``: a code of channels.csv)
category           the first label of ``type`` (:data:`NO_CATEGORY` when it has none)
categories         every label of ``type``, joined by ``", "``
status             ``state`` through :data:`TRAFFY_STATES` and ``[traffy.states]``
state              ``state`` as written
closed_date        ``last_activity`` of closed tickets
forwarded          the state is ``ส่งต่อ…`` or ``note`` says ``ส่งต่อ`` / ``เชิญร่วม``
reopened           ``count_reopen > 0``
reopen_count       ``count_reopen``
rating             ``star`` (1-5)
description        ``description`` (personal data masked, as for every text column)
=================  ============================================================

Examples
--------
>>> is_traffy(["ticket_id", "type", "org", "state", "timestamp", "last_activity",
...            "count_reopen"])
True
>>> is_traffy(["complaint_id", "unit_code", "state"])
False
>>> split_labels(pd.Series(["ทางเท้า,สายไฟ", "{ถนน, ทางเท้า}", ""])).tolist()
[('ทางเท้า', 'สายไฟ'), ('ถนน', 'ทางเท้า'), ()]
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError, ReadError
from pmqa_analysis.core.problems import ProblemLog, format_problems
from pmqa_analysis.core.thai_calendar import fiscal_year
from pmqa_analysis.workspace.config import SETTINGS_FILE, Settings, TraffySettings
from pmqa_analysis.workspace.io import RawTable, read_table
from pmqa_analysis.workspace.mapping import normalize_name
from pmqa_analysis.workspace.schema import parse_table, report_rows
from pmqa_analysis.workspace.templates import load_template_specs

__all__ = [
    "NO_CATEGORY",
    "NO_DISTRICT",
    "TRAFFY_MARKERS",
    "TRAFFY_STATES",
    "convert_if_traffy",
    "from_traffy",
    "is_traffy",
    "read_lookup",
    "split_labels",
]

#: Traffy Fondue workflow states -> the kit's ``status``, in workflow order. Only
#: "finished" closes a ticket; every intermediate state (waiting, in progress, forwarded,
#: budget request, procurement, legal process, studying the problem) is still open for the
#: complainant. More states: ``[traffy.states]`` in settings.toml.
TRAFFY_STATES: dict[str, str] = {
    "รอรับเรื่อง": "open",  # waiting to be accepted
    "กำลังดำเนินการ": "open",  # in progress
    "ส่งต่อ(ใหม่)": "open",  # forwarded to another agency (new)
    "ส่งต่อ": "open",  # forwarded
    "ของบประมาณ": "open",  # requesting budget
    "จัดซื้อจัดจ้าง": "open",  # procurement
    "ขั้นตอนทางกฎหมาย": "open",  # legal procedure
    "ศึกษาปัญหา": "open",  # studying the problem
    "เสร็จสิ้น": "closed",  # finished
}
#: headers that, all present, make a complaint file a Traffy Fondue export
TRAFFY_MARKERS = ("ticket_id", "state", "last_activity", "count_reopen")
#: the unit of a ticket whose address names no Bangkok district ("district not stated")
NO_DISTRICT = "ไม่ระบุเขต"
#: the category of a ticket without a label in ``type`` ("category not stated")
NO_CATEGORY = "ไม่ระบุประเภท"
#: export columns every conversion needs (the unit's column comes on top)
_NEEDED = ("ticket_id", "type", "timestamp", "state", "last_activity")
_DISTRICT = re.compile(r"(?:^|\s)เขต\s*([\u0e01-\u0e4e]+)")
_FORWARDED = "ส่งต่อ|เชิญร่วม"
#: what a Traffy file is called in messages of :func:`from_traffy` (no file behind it)
_FRAME = "<Traffy frame>"


def is_traffy(headers: Iterable[Any]) -> bool:
    """True when the headers are those of a Traffy Fondue export (all of TRAFFY_MARKERS)."""
    names = {normalize_name(h) for h in headers}
    return set(TRAFFY_MARKERS) <= names


def split_labels(types: pd.Series) -> pd.Series:
    """Traffy's ``type`` cells as tuples of labels (order kept, blanks and repeats dropped).

    ``"ทางเท้า,สายไฟ"``, ``"{ถนน,ทางเท้า}"`` and ``"['ถนน', 'ทางเท้า']"`` are all read;
    each distinct cell is split once.
    """
    text = types.astype("string").fillna("")
    codes, uniques = pd.factorize(text)
    parsed = [
        tuple(x.strip().strip("'\"").strip() for x in str(u).strip().strip("{}[]").split(","))
        for u in uniques
    ]
    parsed = [tuple(dict.fromkeys(x for x in labels if x)) for labels in parsed]
    table = np.empty(len(parsed), dtype=object)
    table[:] = parsed
    return pd.Series(table[codes] if len(codes) else [], index=types.index, dtype=object)


def _column(frame: pd.DataFrame, name: str) -> str | None:
    """The frame's header for ``name`` (compared as normalised names), or None."""
    wanted = normalize_name(name)
    return next((str(c) for c in frame.columns if normalize_name(c) == wanted), None)


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text, ``""`` for blanks (whole floats shown without ``.0``)."""
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if len(whole) and bool(np.all(np.mod(whole, 1) == 0)):
            values = values.astype("Int64")
    return values.astype("string").fillna("").str.strip().astype(object)


def _unit_source(unit: str) -> str:
    """The export column the ``[traffy] unit`` setting reads."""
    if unit == "district":
        return "address"
    if unit.startswith("column:"):
        return unit[len("column:") :].strip()
    return unit


def _check_unit(unit: str) -> None:
    if unit not in ("district", "org") and not (
        unit.startswith("column:") and unit[len("column:") :].strip()
    ):
        raise InputError(
            f"from_traffy: unit {unit!r} is not known; expected 'district' (the Bangkok "
            "district in address), 'org' or 'column:<header>'."
        )


@dataclass(frozen=True)
class _Conversion:
    """A Traffy frame as complaints-template cells."""

    #: the cells, headed by the export's headers where a column is taken as it is
    frame: pd.DataFrame
    #: header of ``frame`` -> template column (for ``parse_table``'s ``extra_headers``)
    headers: dict[str, str]
    #: the state column's header and, per row, whether the state is not known
    state_header: str
    unknown_state: np.ndarray


def _lookup_value(values: pd.Series, lookup: Mapping[str, str], district: bool) -> pd.Series:
    """Values found in ``lookup`` (normalised; a district also without ``เขต``) -> code."""
    if not lookup:
        return values
    table = {normalize_name(k): str(v) for k, v in lookup.items()}

    def find(value: str) -> str:
        key = normalize_name(value)
        if key in table:
            return table[key]
        if district and key.startswith("เขต") and key[len("เขต") :].strip() in table:
            return table[key[len("เขต") :].strip()]
        return value

    uniques = pd.unique(values)
    return values.map({u: find(str(u)) for u in uniques})


def _convert(
    frame: pd.DataFrame,
    *,
    unit: str,
    lookup: Mapping[str, str],
    channel: str,
    states: Mapping[str, str],
    row_labels: Sequence[int],
) -> _Conversion:
    """The conversion itself; the columns of ``_NEEDED`` and the unit's must be present."""

    def header(name: str) -> str:
        found = _column(frame, name)
        assert found is not None, name  # checked by the callers
        return found

    def text(name: str) -> pd.Series:
        found = _column(frame, name)
        if found is None:
            return pd.Series("", index=frame.index, dtype=object)
        return _text(frame[found])

    table = {**TRAFFY_STATES, **states}
    state = text("state")
    unknown = ~state.isin(list(table)).to_numpy(dtype=bool)
    status = state.map(table).where(~unknown, "open")  # reported once, as the state
    closed = status.eq("closed").to_numpy(dtype=bool)

    labels = split_labels(text("type"))
    category = labels.map(lambda xs: xs[0] if xs else NO_CATEGORY)
    categories = labels.map(", ".join)

    source = _unit_source(unit)
    if unit == "district":
        district = text("address").str.extract(_DISTRICT, expand=False)
        units = ("เขต" + district).fillna(NO_DISTRICT).astype(object)
    else:
        units = text(source)
    units = _lookup_value(units, lookup, district=unit == "district")

    ids = text("ticket_id")
    fallback = pd.Series([f"TRAFFY-ROW{r}" for r in row_labels], index=frame.index)
    complaint_id = ids.where(ids != "", fallback)

    note = text("note")
    forwarded = state.str.startswith("ส่งต่อ") | note.str.contains(_FORWARDED, regex=True)
    reopen_header = header("count_reopen")
    count = pd.to_numeric(text("count_reopen").replace("", None), errors="coerce")
    # an unreadable count is left blank here: it is reported once, as reopen_count
    flags = np.where(count.to_numpy() > 0, "yes", "no").astype(object)
    flags[count.isna().to_numpy()] = None
    reopened = pd.Series(flags, index=frame.index, dtype=object)
    last = frame[header("last_activity")]

    columns: dict[str, tuple[str, Any]] = {  # header -> (template column, cells)
        header("ticket_id"): ("complaint_id", complaint_id),
        "": ("unit_code", units),  # headed below
        header("timestamp"): ("received_date", frame[header("timestamp")]),
        "channel_code": ("channel_code", pd.Series(channel, index=frame.index, dtype=object)),
        "category": ("category", category),
        header("type"): ("categories", categories),
        "status": ("status", status),
        header("state"): ("state", state),
        header("last_activity"): ("closed_date", last.where(closed)),
        "forwarded": ("forwarded", np.where(forwarded, "yes", "no")),
        "reopened": ("reopened", reopened),
        reopen_header: ("reopen_count", frame[reopen_header]),
    }
    for name, column in (("star", "rating"), ("description", "description")):
        found = _column(frame, name)
        if found is not None:
            columns[found] = (column, frame[found])
    # the unit column is headed by its source (problems point at it) unless that is taken
    unit_header = _column(frame, source) or "unit_code"
    if unit_header in columns or normalize_name(unit_header) in {"status", "category"}:
        unit_header = "unit_code"
    columns[unit_header] = columns.pop("")
    cells = pd.DataFrame({h: v for h, (_, v) in columns.items()}, index=frame.index)
    return _Conversion(
        frame=cells.reset_index(drop=True),
        headers={h: c for h, (c, _) in columns.items()},
        state_header=header("state"),
        unknown_state=unknown,
    )


def read_lookup(path: Path, log: ProblemLog | None = None) -> dict[str, str]:
    """A two-column lookup file (Traffy value -> unit_code), header in the first row.

    Problems (unreadable file, fewer than two columns, a blank code, one value given two
    codes) go to ``log`` naming the file and row; without ``log`` they raise
    :class:`~pmqa_analysis.core.errors.InputError`.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "traffy_units.csv"
    >>> _ = f.write_text("traffy,unit_code\\nเขตธนบุรี,U01\\nสำนักการโยธา กทม.,U02\\n", "utf-8")
    >>> read_lookup(f)
    {'เขตธนบุรี': 'U01', 'สำนักการโยธา กทม.': 'U02'}
    """
    problems = ProblemLog() if log is None else log
    out: dict[str, str] = {}
    try:
        raw: RawTable | None = read_table(path, text_columns=lambda _header: True)
    except ReadError as exc:
        problems.add(
            "traffy_lookup_unreadable", file=path.name, value=str(exc),
            expected="a readable two-column file: Traffy value, unit_code",
            expected_th="ไฟล์สองคอลัมน์ที่เปิดได้: ค่าจาก Traffy, รหัสหน่วยงาน",
            hint='save it as CSV UTF-8, or correct [traffy] lookup = "..." in settings.toml',
            hint_th="บันทึกเป็น CSV UTF-8 หรือแก้ [traffy] lookup ใน settings.toml",
        )  # fmt: skip
        raw = None
    if raw is not None and raw.frame.shape[1] < 2:
        problems.add(
            "traffy_lookup_columns", file=path.name,
            value=", ".join(str(c) for c in raw.frame.columns),
            expected="two columns: the Traffy value, then the unit_code",
            expected_th="สองคอลัมน์: ค่าจาก Traffy แล้วตามด้วยรหัสหน่วยงาน",
            hint="add the unit_code column (header in the first row)",
            hint_th="เพิ่มคอลัมน์รหัสหน่วยงาน (หัวคอลัมน์ในแถวแรก)",
        )  # fmt: skip
    elif raw is not None:
        key_col, code_col = (str(c) for c in raw.frame.columns[:2])
        keys, codes = _text(raw.frame[key_col]), _text(raw.frame[code_col])
        seen: dict[str, tuple[str, int]] = {}  # normalised value -> (code, first row)
        for key, code, row in zip(keys, codes, raw.rows, strict=True):
            if not key:
                continue
            if not code:
                problems.add(
                    "traffy_lookup_blank", file=path.name, row=int(row), column=code_col,
                    value=key, expected="the unit_code for this value",
                    expected_th="รหัสหน่วยงานของค่านี้",
                    hint="fill in the code or delete the row", hint_th="กรอกรหัสหรือลบแถวนี้",
                )  # fmt: skip
                continue
            norm = normalize_name(key)
            if norm in seen and seen[norm][0] != code:
                first = seen[norm][1]
                problems.add(
                    "traffy_lookup_duplicate", file=path.name, row=int(row), column=key_col,
                    value=key, expected=f"each value once (also on row {first})",
                    expected_th=f"ค่าแต่ละค่าเพียงครั้งเดียว (ซ้ำกับแถว {first})",
                    hint="keep one line per Traffy value", hint_th="เก็บไว้บรรทัดเดียวต่อหนึ่งค่า",
                )  # fmt: skip
                continue
            seen.setdefault(norm, (code, int(row)))
            out.setdefault(key, code)
    if log is None and problems.has_errors:
        raise InputError(format_problems(problems.table("en"), "en", limit=10))
    return out


def from_traffy(
    frame: pd.DataFrame,
    *,
    unit: str = "district",
    lookup: Mapping[str, str] | None = None,
    channel_code: str = "TRAFFY",
    states: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Convert a Traffy Fondue export into the kit's complaints frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The export as read (text, or as :func:`~pmqa_analysis.workspace.io.read_table`
        types it): ``ticket_id``, ``type``, ``timestamp``, ``state``, ``last_activity``,
        ``count_reopen`` and, when present, ``address``, ``org``, ``star``, ``note``,
        ``description``. Not modified.
    unit : {"district", "org", "column:<header>"}, default "district"
        Where the unit comes from: the Bangkok district (``เขต…``) parsed from ``address``
        (``"ไม่ระบุเขต"`` when it names none), the ``org`` column or another column.
    lookup : mapping, optional
        Traffy value -> unit code, applied to the unit (names compared as in
        :func:`~pmqa_analysis.workspace.mapping.normalize_name`; a district also without
        its ``เขต``); values not in it stay as they are.
    channel_code : str, default "TRAFFY"
        Channel recorded for every ticket.
    states : mapping, optional
        More workflow states -> ``"open"`` / ``"closed"`` (on top of :data:`TRAFFY_STATES`).

    Returns
    -------
    pandas.DataFrame
        The columns of ``Survey.complaints`` (docs/data_model.md), typed as the loader
        types them, with ``categories``, ``state`` and ``reopen_count``, plus
        ``fiscal_year`` and ``days_to_close``. ``complaint_id`` is ``TRAFFY-ROW<n>``
        (n = row position) where ``ticket_id`` is blank.

    Raises
    ------
    InputError
        A needed column is missing, a state is not known, or a cell cannot be read (a
        timestamp, ``count_reopen``, ``star``); the message names the rows.

    Notes
    -----
    The loader applies the same conversion to a Traffy export used as the workspace's
    complaint file (:func:`convert_if_traffy`), with ``[traffy]`` in settings.toml.

    Examples
    --------
    >>> raw = pd.DataFrame({"ticket_id": ["2023-AB"], "type": ["ถนน,ทางเท้า"],
    ...     "description": ["ถนนพัง"], "address": ["แขวงตลาดพลู เขตธนบุรี กรุงเทพมหานคร"],
    ...     "timestamp": ["2023-05-15 20:00:00+00"], "star": [""], "count_reopen": ["2"],
    ...     "note": [""], "state": ["เสร็จสิ้น"], "last_activity": ["2023-05-16 08:00:00+00"]})
    >>> out = from_traffy(raw)
    >>> out.loc[0, ["unit_code", "category", "categories", "status", "state"]].tolist()
    ['เขตธนบุรี', 'ถนน', 'ถนน, ทางเท้า', 'closed', 'เสร็จสิ้น']
    >>> out.loc[0, ["received_date", "days_to_close", "reopened", "reopen_count"]].astype(str)
    received_date    2023-05-16 03:00:00
    days_to_close                    0.5
    reopened                        True
    reopen_count                       2
    Name: 0, dtype: object
    """
    _check_unit(unit)
    needed = [*_NEEDED, "count_reopen"]
    if unit != "district":
        needed.append(_unit_source(unit))
    missing = [c for c in needed if _column(frame, c) is None]
    if missing:
        raise InputError(
            f"from_traffy: column(s) {missing} not found in the Traffy export "
            f"(columns: {', '.join(map(str, frame.columns))}). Pass the export as read, or "
            "choose another unit= ('district', 'org' or 'column:<header>')."
        )
    conv = _convert(
        frame, unit=unit, lookup=lookup or {}, channel=channel_code, states=states or {},
        row_labels=range(len(frame)),
    )  # fmt: skip
    if conv.unknown_state.any():
        found = sorted(set(conv.frame.loc[conv.unknown_state, conv.state_header]))
        rows = np.flatnonzero(conv.unknown_state)[:10].tolist()
        raise InputError(
            f"from_traffy: Traffy state(s) {found} (rows {rows}) are not in the state table; "
            f"expected one of {list(TRAFFY_STATES)}. Pass states={{'<state>': 'open' or "
            "'closed'}} (in a workspace: [traffy.states] in settings.toml)."
        )
    raw = RawTable(frame=conv.frame, file=_FRAME, path=Path(_FRAME),
                   rows=np.arange(2, len(conv.frame) + 2))  # fmt: skip
    log = ProblemLog()
    parsed = parse_table(raw, load_template_specs()["complaints"], log, extra_headers=conv.headers)
    if log.has_errors:
        raise InputError(
            "from_traffy: cells that cannot be read (row 2 = the first ticket):\n"
            + format_problems(log.table("en"), "en", limit=10)
        )
    out = parsed.frame.copy()
    for col in ("forwarded", "reopened"):
        out[col] = out[col].fillna(False).astype(bool)
    out["fiscal_year"] = fiscal_year(out["received_date"]).astype("Int64")
    days = (out["closed_date"] - out["received_date"]).dt.total_seconds() / 86400.0
    out["days_to_close"] = days.astype("float64")
    return out


def convert_if_traffy(
    raw: RawTable,
    header_map: Mapping[str, str],
    settings: Settings,
    folder: Path,
    log: ProblemLog,
) -> tuple[RawTable, dict[str, str]]:
    """The loader's hook: a complaint file with Traffy's header, as complaints-template cells.

    Parameters
    ----------
    raw : RawTable
        The complaint file as read.
    header_map : mapping
        The file's header -> template column (``[columns.complaints]``); returned as it
        is for a file that is not a Traffy export.
    settings : Settings
        ``settings.traffy`` says how units, the channel and more states are found.
    folder : Path
        The workspace folder (where ``[traffy] lookup`` is read).
    log : ProblemLog
        Receives problems of the settings, the lookup file and unknown states (file, Excel
        row, the export's column); every other cell is checked by the template afterwards.

    Returns
    -------
    (RawTable, dict)
        The table to parse (same file and row numbers; the export's own columns keep their
        headers, derived ones are named by their template column) and its header map. When
        the ``[traffy]`` settings do not fit the file, the table has no rows (one problem
        says why, rather than one per ticket).
    """
    if not is_traffy(raw.frame.columns):
        return raw, dict(header_map)
    t: TraffySettings = settings.traffy
    ok = True
    for name in _NEEDED:
        if _column(raw.frame, name) is None:
            ok = False
            log.add(
                "missing_column", file=raw.file, column=name,
                expected=f"the Traffy Fondue column {name}",
                expected_th=f"คอลัมน์ {name} ของไฟล์ส่งออกจาก Traffy Fondue",
                hint="export the tickets again with every column",
                hint_th="ส่งออกรายการเรื่องจาก Traffy Fondue ใหม่ให้มีครบทุกคอลัมน์",
            )  # fmt: skip
    source = _unit_source(t.unit)
    if _column(raw.frame, source) is None:
        ok = False
        headers = [str(c) for c in raw.frame.columns]
        near = difflib.get_close_matches(source, headers, n=2, cutoff=0.5)
        log.add(
            "traffy_unit_column", file=SETTINGS_FILE, column="[traffy]",
            value=f'unit = "{t.unit}"',
            expected=f"a column {source!r} in {raw.file} (its columns: {', '.join(headers)})",
            expected_th=f"คอลัมน์ {source!r} ใน {raw.file} (คอลัมน์ที่มี: {', '.join(headers)})",
            hint=(f'did you mean unit = "column:{near[0]}"? ' if near else "")
            + 'use unit = "district" (address), "org" or "column:<header>"',
            hint_th=(f'หมายถึง unit = "column:{near[0]}" หรือไม่ ' if near else "")
            + 'ใช้ unit = "district" (จากที่อยู่), "org" หรือ "column:<หัวคอลัมน์>"',
        )  # fmt: skip
    lookup: dict[str, str] = {}
    if t.lookup:
        path = folder / t.lookup
        if not path.is_file():
            ok = False
            log.add(
                "missing_mapped_file", file=SETTINGS_FILE, column="[traffy]",
                value=f'lookup = "{t.lookup}"',
                expected=f"a file {t.lookup} in the workspace folder (Traffy value, unit_code)",
                expected_th=f"ไฟล์ {t.lookup} ในโฟลเดอร์งาน (ค่าจาก Traffy, รหัสหน่วยงาน)",
                hint="copy the file into the folder or correct the name in [traffy]",
                hint_th="คัดลอกไฟล์มาไว้ในโฟลเดอร์ หรือแก้ชื่อไฟล์ใน [traffy]",
            )  # fmt: skip
        else:
            errors_before = sum(p.severity == "error" for p in log.problems)
            lookup = read_lookup(path, log)
            ok = ok and sum(p.severity == "error" for p in log.problems) == errors_before
    rows = np.asarray(raw.rows)
    if not ok:  # the template's header without rows: the problems above say why
        spec = load_template_specs()["complaints"]
        cells = pd.DataFrame({c.name: pd.Series([], dtype=object) for c in spec.columns})
        return dataclasses.replace(raw, frame=cells, rows=rows[:0]), {}
    conv = _convert(
        raw.frame, unit=t.unit, lookup=lookup, channel=t.channel, states=t.states,
        row_labels=[int(r) for r in rows],
    )  # fmt: skip
    if conv.unknown_state.any():
        known = list(dict.fromkeys([*TRAFFY_STATES, *t.states]))
        values = conv.frame[conv.state_header]
        for value in pd.unique(values[conv.unknown_state]):
            hit = conv.unknown_state & (values == value).to_numpy(dtype=bool)
            shown = value or "(blank)"
            report_rows(
                log, "unknown_traffy_state", raw.file, conv.state_header, rows[hit],
                values[hit], f"a Traffy Fondue state: {', '.join(known)}",
                f"สถานะของ Traffy Fondue: {', '.join(known)}",
                f'add it to settings.toml: [traffy.states] "{shown}" = "open" (or "closed")',
                f'เพิ่มใน settings.toml: [traffy.states] "{shown}" = "open" (หรือ "closed" '
                "หากเป็นสถานะที่ปิดเรื่องแล้ว)",
            )  # fmt: skip
    return dataclasses.replace(raw, frame=conv.frame), conv.headers
