"""One form export (Google Forms CSV, Microsoft Forms XLSX) -> a draft workspace: inference.

:func:`infer_export` reads the export with :func:`~pmqa_analysis.workspace.io.read_table`
(UTF-8 with or without BOM, cp874, XLSX) and decides what each column is; nothing is
written (:mod:`pmqa_analysis.workspace.form_export_write` does that). The rules, tried in
this order for each column (:func:`~pmqa_analysis.workspace.form_export_columns.classify`;
docs/form_export.md has the full table):

1. **timestamp** by header: ``Completion time`` / ``เวลาที่เสร็จสมบูรณ์`` before ``ประทับเวลา``
   / ``Timestamp`` before ``วันที่ตอบ``; ``Start time`` and ``Last modified time`` are not
   used. Dates in BE or CE, Thai or Arabic digits, day/month or (when only that reads every
   date) month/day (:func:`~pmqa_analysis.core.thai_dates.parse_dates`); the latest fiscal
   year is assessed, ``round = "6m"`` when all its answers fall in October-March.
2. **not used** by header: the form's response number (``ID``, ``ลำดับ``), quiz columns.
3. **rating item**: every non-blank answer is a label, alias or score of one built-in scale;
   blank and "no answer" labels (ไม่มีความเห็น, and ไม่แน่ใจ … of
   :data:`~pmqa_analysis.workspace.form_export_columns.EXTRA_MISSING`, which go into the
   workspace's ``scales.toml``) are missing. The smallest covering scale is taken, th5 first
   on a tie, but the scale covering most items is used for every item it covers. A column
   whose answers are numbers and whose header names a demographic stays demographic.
4. **personal data** by header (e-mail, name, phone, national ID, address), or by answers
   (half or more are e-mails, phones, ID numbers) unless the header names a comment: not
   used, so never read.
5. **comments** by header: ไม่พึงพอใจ / ไม่ประทับใจ, then ประทับใจ / ชื่นชม, then ปรับปรุง /
   ข้อเสนอแนะ / ความคิดเห็น; an unplaced typed-in column is ``comment_improve`` when no
   column is.
6. **respondent group** (ท่านเป็น, ประเภทผู้รับบริการ …), **channel** (ช่องทาง), **unit**
   (หน่วยงาน, สำนักงาน, ที่ว่าการอำเภอ, unit, office, department), **sex**, **age**,
   **education**, **occupation** by header words.

A role two columns could take goes to the first; both rows say so. The unit, group and
channel answers become the reference tables (codes U01…, G1…, CH01… in order of first
appearance, the name = the answer as written; a group is a stakeholder when its answer says
so). Numbering ``4.1`` gives dimension ``D4``; a Google Forms grid ``Title [row]`` or a
blank section column ``4. ด้าน…`` names it; without numbering every item is in one
dimension ``ALL`` (ภาพรวม).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.thai_calendar import fiscal_half, fiscal_year
from pmqa_analysis.core.thai_dates import parse_dates
from pmqa_analysis.stats.scales import Scale, load_scales
from pmqa_analysis.workspace.form_export_columns import (
    NOT_A_RESPONSE_DATE,
    TIMESTAMP_WORDS,
    Column,
    classify,
    group_kind,
    has_word,
    is_free_text,
    is_numeric,
    message,
    scale_fits,
    split_number,
    text_of,
)
from pmqa_analysis.workspace.io import read_table
from pmqa_analysis.workspace.mapping import normalize_name
from pmqa_analysis.workspace.privacy import find_pii
from pmqa_analysis.workspace.schema import match_headers
from pmqa_analysis.workspace.templates import load_template_specs

__all__ = ["ROLES", "ColumnRole", "ExportDraft", "infer_export"]

#: role -> (Thai, English), as the table shows it
ROLES: dict[str, tuple[str, str]] = {
    "response_date": ("วันที่ตอบ", "response date"),
    "unit_code": ("หน่วยงาน", "unit"),
    "group_code": ("กลุ่มผู้ตอบ", "respondent group"),
    "channel_code": ("ช่องทาง", "channel"),
    "sex": ("เพศ", "sex"),
    "age_band": ("ช่วงอายุ", "age band"),
    "education": ("การศึกษา", "education"),
    "occupation": ("อาชีพ", "occupation"),
    "item": ("ข้อคำถาม (มาตรวัด)", "rating item"),
    "comment_praise": ("ความเห็น: ประทับใจ", "comment: praise"),
    "comment_improve": ("ความเห็น: ควรปรับปรุง", "comment: improve"),
    "comment_dissatisfied": ("ความเห็น: ไม่พึงพอใจ", "comment: dissatisfied"),
    "personal": ("ข้อมูลส่วนบุคคล (ไม่ใช้)", "personal data (not used)"),
    "unused": ("ไม่ใช้", "not used"),
    "ambiguous": ("ไม่แน่ชัด (ไม่ใช้)", "ambiguous (not used)"),
    "unknown": ("จัดไม่ได้ (ไม่ใช้)", "not placed (not used)"),
}
# role -> what it is called in "another column could be the …" (Thai, English)
_SINGLE_ROLES = {
    "unit_code": ("คำถามหน่วยงาน", "unit question"),
    "group_code": ("คำถามประเภทผู้ตอบ", "respondent-type question"),
    "channel_code": ("คำถามช่องทาง", "channel question"),
    "sex": ("คำถามเพศ", "sex question"),
    "age_band": ("คำถามอายุ", "age question"),
    "education": ("คำถามการศึกษา", "education question"),
    "occupation": ("คำถามอาชีพ", "occupation question"),
    "comment_praise": ("คำถามสิ่งที่ประทับใจ", "praise question"),
    "comment_improve": ("คำถามข้อเสนอแนะ", "suggestion question"),
    "comment_dissatisfied": ("คำถามสิ่งที่ไม่พึงพอใจ", "dissatisfaction question"),
}


@dataclass(frozen=True)
class ColumnRole:
    """What one export column became.

    ``column`` is the template column (or item code) it feeds, "" when it is not used;
    ``check_th`` / ``check_en`` say what the analyst should look at ("" = nothing).
    """

    position: int
    header: str
    role: str
    column: str = ""
    detail: str = ""
    check_th: str = ""
    check_en: str = ""


@dataclass(frozen=True)
class ExportDraft:
    """A workspace drafted from one export (nothing written yet)."""

    export: Path
    sheet: str | None
    encoding: str | None
    n_rows: int
    columns: tuple[ColumnRole, ...]
    units: pd.DataFrame
    groups: pd.DataFrame
    channels: pd.DataFrame
    questionnaire: pd.DataFrame
    #: ``[columns.responses]``: template column -> the export's header
    column_map: Mapping[str, str]
    fiscal_year: int | None = None
    round: str = "12m"
    #: scale name -> the extra "no answer" labels the export uses (for scales.toml)
    extra_missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scales: Mapping[str, Scale] = field(default_factory=dict)
    #: (Thai, English) notes about the whole draft
    notes: tuple[tuple[str, str], ...] = ()
    #: (Thai, English) problems that stop the workspace being written
    blocking: tuple[tuple[str, str], ...] = ()

    def role_of(self, header: str) -> ColumnRole:
        """The row of the column headed ``header``."""
        return next(c for c in self.columns if c.header == header)

    def table(self, language: str = "th") -> pd.DataFrame:
        """One row per export column: header, role, detail, what to check."""
        th = language == "th"
        names = ["คอลัมน์", "บทบาท", "รายละเอียด", "ต้องตรวจสอบ"] if th else [
            "header", "role", "detail", "check"]  # fmt: skip
        rows = [
            (c.header, ROLES[c.role][0 if th else 1], c.detail, c.check_th if th else c.check_en)
            for c in self.columns
        ]
        return pd.DataFrame(rows, columns=names)

    def raise_if_blocking(self, language: str = "th") -> None:
        """Raise :class:`InputError` listing every blocking problem (if any)."""
        if self.blocking:
            i = 0 if language == "th" else 1
            head = (f"ร่างพื้นที่ทำงานจาก {self.export.name} ไม่ได้:" if i == 0
                    else f"cannot draft a workspace from {self.export.name}:")  # fmt: skip
            raise InputError(head + "\n  - " + "\n  - ".join(p[i] for p in self.blocking))


def _pick(cols: list[Column], role: str) -> Column | None:
    """The first column of ``role``; the others become "ambiguous" (both rows say so)."""
    found = [c for c in cols if c.role == role]
    what_th, what_en = _SINGLE_ROLES[role]
    if len(found) > 1:
        names = ", ".join(f"'{c.header}'" for c in found[1:])
        found[0].check("also_could_be", what_th=what_th, what_en=what_en, names=names)
        for c in found[1:]:
            c.role, c.detail = "ambiguous", f"= {ROLES[role][1]}?"
            c.check("ambiguous", what_th=what_th, what_en=what_en, chosen=found[0].header,
                    role=role)  # fmt: skip
    return found[0] if found else None


def _reference(col: Column | None, prefix: str, digits: int) -> list[str]:
    """Distinct answers in order of first appearance (space and case variants merged)."""
    if col is None:
        return []
    seen: dict[str, str] = {}
    for v in pd.unique(col.values):
        t = text_of(v)
        if t:
            seen.setdefault(normalize_name(t), t)
    names = list(seen.values())
    n_pii = find_pii(pd.Series(names, dtype=object))["index"].nunique()
    if n_pii:
        col.check("pii_names", n=n_pii)
    codes = [f"{prefix}{i + 1:0{digits}d}" for i in range(len(names))]
    if codes:
        col.detail = (
            f"{codes[0]}–{codes[-1]}" if len(codes) > 1 else codes[0]
        ) + f" ({len(codes)})"
    if len(names) > 40:
        col.check("many_names", n=len(names))
    multi = [n for n in names if ", " in n and all(p in names for p in n.split(", "))]
    if multi:
        col.check("multi_select", name=multi[0])
    return names


def _dimensions(items: list[Column], sections: Mapping[int, str]) -> tuple[list[tuple], str]:
    """(code, Thai, English, item text) per item, and how the dimensions were found."""
    if items and all(c.grid for c in items):
        titles: dict[str, tuple[str, str, str]] = {}
        out = []
        for c in items:
            title, row = c.grid or ("", "")
            num, name = split_number(title)
            if normalize_name(title) not in titles:
                code = f"D{num[0]}" if num else f"D{len(titles) + 1}"
                if code in {t[0] for t in titles.values()}:
                    code = f"D{len(titles) + 1}"
                titles[normalize_name(title)] = (code, name or title, "")
            out.append((*titles[normalize_name(title)], split_number(row)[1] or row))
        return out, "grid"
    if items and all(len(c.number) >= 2 for c in items):
        out = [(f"D{c.number[0]}", sections.get(c.number[0], f"ด้านที่ {c.number[0]}"),
                f"Dimension {c.number[0]}", c.text or c.header) for c in items]  # fmt: skip
        named = all(c.number[0] in sections for c in items)
        return out, "sections" if named else "numbers"
    return [("ALL", "ภาพรวม", "Overall", c.text or c.header) for c in items], "none"


def _dates(col: Column, raw: pd.Series) -> tuple[int | None, str, list[tuple[str, str]]]:
    """Fiscal year (the latest), round, and blocking problems, from the timestamp column.

    Day/month is the Thai order; month/day (a US-locale form) is taken when it reads every
    date and day/month does not, as the loader does. When both orders read every date
    differently the column is marked for checking.
    """
    dates, bad = parse_dates(raw)
    if bool(bad.any()):
        us_dates, us_bad = parse_dates(raw, dayfirst=False)
        if not us_bad.any():
            dates, bad = us_dates, us_bad
            col.check("month_first")
    elif bool(dates.notna().any()):
        us_dates, us_bad = parse_dates(raw, dayfirst=False)
        if not us_bad.any() and bool((dates.notna() & (us_dates != dates)).any()):
            col.check("date_order")
    n_bad, n_blank = int(bad.sum()), int((dates.isna() & ~bad).sum())
    if n_bad:
        col.check("bad_dates", n=n_bad)
    if n_blank:
        col.check("blank_dates", n=n_blank)
    ok = dates.dropna()
    if ok.empty:
        return None, "12m", [message("no_dates", header=col.header)]
    fy = fiscal_year(ok)
    year = int(fy.max())
    if fy.nunique() > 1:
        col.check("years", first=int(fy.min()), last=year)
    halves = fiscal_half(ok[(fy == year).to_numpy()])
    rnd = "6m" if bool((halves == 1).all()) else "12m"
    a, b = ok.min(), ok.max()
    col.detail = f"{a.day}/{a.month}/{a.year + 543}–{b.day}/{b.month}/{b.year + 543} · FY {year}"
    return year, rnd, []


def _sex_ok(col: Column) -> bool:
    """True when the sex column takes every answer (else a note and the column is not used)."""
    spec = load_template_specs()["responses"].column("sex")
    accepted = {normalize_name(v) for v in (*spec.choices, *spec.value_aliases)}
    wrong = [
        text_of(v) for v in pd.unique(col.values) if normalize_name(text_of(v)) not in accepted
    ]
    if wrong:
        col.check("sex_answers", shown=", ".join(wrong[:3]))
    return not wrong


def _items(items: list[Column], scales: Mapping[str, Scale]) -> dict[str, set[str]]:
    """Give every item its scale; returns scale -> extra "no answer" labels used."""
    pref = {
        name: (s.n_levels, 0 if name == "th5" else 1 if name.startswith("th") and
               s.n_levels == 5 else 2, i)
        for i, (name, s) in enumerate(scales.items())
    }  # fmt: skip
    count = {n: sum(n in c.candidates for c in items) for n in scales}
    form = min(count, key=lambda n: (-count[n], pref[n]))
    extra: dict[str, set[str]] = {}
    for c in items:
        c.scale = form if form in c.candidates else min(c.candidates, key=pref.__getitem__)
        used = scale_fits(c.values, {c.scale: scales[c.scale]})[c.scale][2]
        if used:
            extra.setdefault(c.scale, set()).update(text_of(v) for v in used)
            c.check("extra_missing", shown=", ".join(sorted({text_of(v) for v in used})))
        if is_numeric(c.values):
            c.check("numbers_only", max=scales[c.scale].max)
    return extra


def _questionnaire(cols: list[Column], items: list[Column], notes: list) -> list[dict]:
    sections = {c.number[0]: c.text for c in cols if c.role == "unused" and len(c.number) == 1
                and c.text and not len(c.values)}  # fmt: skip
    dims, how = _dimensions(items, sections)
    rows = []
    for k, (c, (dcode, dth, den, item_th)) in enumerate(zip(items, dims, strict=True)):
        c.column = f"Q{k + 1:02d}"
        c.detail = f"{c.column} · {c.scale} · {dcode}"
        rows.append({"item_code": c.column, "dimension_code": dcode, "dimension_th": dth,
                     "dimension_en": den, "item_th": item_th, "item_en": "", "scale": c.scale,
                     "reverse": "no", "column_header": c.header})  # fmt: skip
    if how == "sections":
        for c in cols:
            if c.role == "unused" and len(c.number) == 1 and c.number[0] in sections:
                c.detail, c.checks = f"D{c.number[0]}", [message("section", code=c.number[0])]
    if items:
        notes += [message("one_dimension")] if how == "none" else []
        notes += [message("name_dimensions")] if how == "numbers" else []
        notes.append(message("reverse"))
    return rows


def _free_text(cols: list[Column], picked: dict[str, Column | None]) -> None:
    """Unplaced typed-in answers: the first is the comment column if none was found."""
    for c in cols:
        if c.role != "unknown" or c.detail or not is_free_text(c.values):
            continue
        c.checks = [ch for ch in c.checks if ch != message("unplaced")]
        if picked["comment_improve"] is None:
            c.role, picked["comment_improve"] = "comment_improve", c
            c.check("free_text_as_comment")
        else:
            c.check("free_text")


def _loader_check(cols: list[Column], column_map: Mapping[str, str], q_rows: list[dict]) -> None:
    """Note every column the loader would read other than the draft intends."""
    extra = {str(r["column_header"]): str(r["item_code"]) for r in q_rows}
    extra.update({str(r["item_code"]): str(r["item_code"]) for r in q_rows})
    extra.update({header: column for column, header in column_map.items()})
    spec = load_template_specs()["responses"]
    mapping, _ = match_headers([c.header for c in cols], spec, extra)
    for c in cols:
        got = mapping.get(c.header, "")
        if got != c.column:
            c.check("loader", got=got or "-")


_SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def _read(path: str | Path, sheet: str | None) -> tuple[Path, Any]:
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"ไม่พบไฟล์ {p} ตรวจชื่อและที่อยู่ของไฟล์ / export file not found: {p}; check the "
            "path and the name"
        )
    if sheet is not None and p.suffix.lower() not in _SPREADSHEETS:
        raise InputError(
            f"--sheet ใช้กับไฟล์ Excel (.xlsx) เท่านั้น แต่ {p.name} ไม่ใช่ / --sheet is for a "
            f"spreadsheet export (.xlsx); {p.name} is not one: leave --sheet out"
        )
    return p, read_table(p, sheet=sheet, header_hint=is_timestamp_header)


def is_timestamp_header(cell: str) -> bool:
    """Is a header cell a form's response timestamp? It marks the header row and the sheet.

    >>> is_timestamp_header("ประทับเวลา"), is_timestamp_header("Completion time")
    (True, True)
    >>> is_timestamp_header("แบบสำรวจความพึงพอใจ ปีงบประมาณ 2567")
    False
    """
    return any(
        has_word(str(cell), words) for words, rank in TIMESTAMP_WORDS if rank < NOT_A_RESPONSE_DATE
    )


def infer_export(path: str | Path, *, sheet: str | None = None) -> ExportDraft:
    """Read one form export and infer every column's role (no file is written).

    Raises
    ------
    InputError
        The file is missing or cannot be read (:class:`~pmqa_analysis.core.errors.ReadError`).
        Problems of content (no timestamp, no rating item …) do not raise: they are the
        draft's ``blocking`` list (:meth:`ExportDraft.raise_if_blocking`).
    """
    p, raw = _read(path, sheet)
    frame: pd.DataFrame = raw.frame
    scales = load_scales()
    cols = [Column.of(i + 1, str(h), frame[h]) for i, h in enumerate(frame.columns)]
    for c in cols:
        classify(c, scales)
    blocking: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    if raw.duplicate_headers:
        notes.append(message("duplicate_headers", names=", ".join(raw.duplicate_headers)))
    if raw.sheet and len(raw.sheets) > 1 and sheet is None:
        notes.append(message("sheet_found", sheet=raw.sheet, sheets=", ".join(raw.sheets)))
    if raw.header_row > 1:
        notes.append(message("header_row_found", row=raw.header_row))
    column_map: dict[str, str] = {}
    # the timestamp: the best-ranked header; the others are not used
    stamps = sorted((c for c in cols if c.role == "response_date"), key=lambda c: c.rank)
    stamp = stamps[0] if stamps and stamps[0].rank < NOT_A_RESPONSE_DATE else None
    for c in stamps:
        if c is not stamp:
            c.role = "unused"
            c.check("other_stamp", header=stamp.header) if stamp else c.check("not_used")
    fy, rnd = None, "12m"
    if stamp is None:
        blocking.append(message("no_timestamp"))
    else:
        fy, rnd, problems = _dates(stamp, frame[stamp.header])
        blocking += problems
        stamp.column = "response_date"
        column_map["response_date"] = stamp.header
    items = [c for c in cols if c.role == "item"]
    extra = _items(items, scales) if items else {}
    if not items:
        blocking.append(message("no_items"))
    q_rows = _questionnaire(cols, items, notes)
    picked = {role: _pick(cols, role) for role in _SINGLE_ROLES}
    if picked["sex"] is not None and not _sex_ok(picked["sex"]):
        picked["sex"].role = "unknown"
        picked["sex"] = None
    _free_text(cols, picked)
    for role, col in picked.items():
        if col is None:
            continue
        col.column = role
        column_map[role] = col.header
        if role in ("sex", "age_band", "education", "occupation"):
            shown = pd.unique(col.values.map(text_of))
            col.detail = ", ".join(shown[:4]) + (", …" if len(shown) > 4 else "")
        elif role.startswith("comment"):
            col.detail = f"n = {len(col.values)}"
            n_pii = find_pii(col.values.astype(str))["index"].nunique()
            if n_pii:
                col.check("pii", n=n_pii)
    for role, key, note in (("unit_code", "no_unit", "population"),
                            ("group_code", "no_group", "kind")):  # fmt: skip
        found = picked[role]
        if found is None:
            blocking.append(message(key))
            continue
        found.check(note)
        if len(found.values) < len(frame):
            found.check("blank_rows", n=len(frame) - len(found.values))
    units = _reference(picked["unit_code"], "U", 2)
    groups = _reference(picked["group_code"], "G", 1)
    stakeholders = [g for g in groups if group_kind(g) == "stakeholder"]
    if stakeholders and (group_col := picked["group_code"]) is not None:
        group_col.check("stakeholders", names=", ".join(stakeholders))
    channels = _reference(picked["channel_code"], "CH", 2)
    _loader_check(cols, column_map, q_rows)
    q_columns = list(load_template_specs()["questionnaire"].column_names)
    return ExportDraft(
        export=p,
        sheet=sheet or raw.sheet,
        encoding=raw.encoding,
        n_rows=len(frame),
        columns=tuple(
            ColumnRole(c.position, c.header, c.role, c.column, c.detail,
                       "; ".join(t for t, _ in c.checks), "; ".join(e for _, e in c.checks))
            for c in cols
        ),
        units=pd.DataFrame({"unit_code": [f"U{i + 1:02d}" for i in range(len(units))],
                            "unit_name_th": units, "unit_name_en": "", "service_population": ""}),
        groups=pd.DataFrame({"group_code": [f"G{i + 1}" for i in range(len(groups))],
                             "group_name_th": groups, "group_name_en": "",
                             "kind": [group_kind(g) for g in groups], "mission": "",
                             "unit_code": ""}),
        channels=pd.DataFrame({"channel_code": [f"CH{i + 1:02d}" for i in range(len(channels))],
                               "channel_name_th": channels, "channel_name_en": ""}),
        questionnaire=pd.DataFrame(q_rows, columns=q_columns),
        column_map=column_map,
        fiscal_year=fy,
        round=rnd,
        extra_missing={k: tuple(sorted(v)) for k, v in extra.items()},
        scales={k: scales[k] for k in extra},
        notes=tuple(notes),
        blocking=tuple(blocking),
    )  # fmt: skip
