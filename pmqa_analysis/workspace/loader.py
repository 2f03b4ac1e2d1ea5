"""A workspace folder (filled-in templates + ``settings.toml``) → one validated ``Survey``.

The originals are only read.  Every problem of every file is collected first;
if any is an error, :class:`~pmqa_analysis.core.errors.ValidationError` is raised
with the whole problems table, and nothing is produced.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError, ReadError, ValidationError
from pmqa_analysis.core.problems import ProblemLog
from pmqa_analysis.core.thai_calendar import fiscal_half, fiscal_quarter, fiscal_year
from pmqa_analysis.stats.scales import Scale, load_scales, scale_from_value_labels
from pmqa_analysis.workspace.config import (
    SETTINGS_FILE,
    TEMPLATE_EXTENSIONS,
    Settings,
    load_settings,
)
from pmqa_analysis.workspace.criteria import Catalogue, load_catalogue
from pmqa_analysis.workspace.cross_checks import (
    cross_checks,
    names_and_ids,
    plan_checks,
    sample_warnings,
)
from pmqa_analysis.workspace.io import FileReadError, RawTable, format_name, read_table
from pmqa_analysis.workspace.mapping import (
    check_mapped_headers,
    check_maps,
    column_map,
    normalize_name,
)
from pmqa_analysis.workspace.schema import (
    ParsedTable,
    empty_frame,
    parse_table,
    report_rows,
    text_headers,
)
from pmqa_analysis.workspace.templates import TemplateSpec, load_template_specs
from pmqa_analysis.workspace.traffy import convert_if_traffy

__all__ = ["Survey", "find_inputs", "load_workspace", "validate_workspace"]

#: A questionnaire scale name meaning "use the SPSS value labels of the responses file".
FROM_FILE_SCALE = "from_file"
USER_SCALES_FILE = "scales.toml"
#: templates a workspace may leave out (they load as empty frames)
OPTIONAL_TEMPLATES = (
    "complaints",
    "service_standards",
    "service_log",
    "activities",
    "checklist",
    "assignments",
    "improvement_plan",
)


@dataclass(frozen=True)
class Survey:
    """One validated, typed workspace (see docs/data_model.md for every column)."""

    path: Path
    settings: Settings
    units: pd.DataFrame
    groups: pd.DataFrame
    channels: pd.DataFrame
    questionnaire: pd.DataFrame
    responses: pd.DataFrame
    complaints: pd.DataFrame
    service_standards: pd.DataFrame
    service_log: pd.DataFrame
    activities: pd.DataFrame
    checklist: pd.DataFrame
    assignments: pd.DataFrame
    improvement_plan: pd.DataFrame
    catalogue: Catalogue
    scales: Mapping[str, Scale]
    warnings: pd.DataFrame
    files: Mapping[str, str] = field(default_factory=dict)

    @property
    def items(self) -> list[str]:
        """Item codes in questionnaire order."""
        return list(self.questionnaire["item_code"])

    @property
    def fiscal_year(self) -> int:
        """The fiscal year assessed (settings, else the latest year in the responses)."""
        if self.settings.fiscal_year:
            return int(self.settings.fiscal_year)
        years = self.responses["fiscal_year"].dropna()
        return int(years.max()) if len(years) else 0

    def unit_codes(self) -> list[str]:
        """Unit codes in the order of the units file."""
        return list(self.units["unit_code"])


def find_inputs(
    path: Path, specs: Mapping[str, TemplateSpec], log: ProblemLog,
    files: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, Path]:  # fmt: skip
    """Locate one file per template in a workspace folder (problems go to ``log``).

    ``files`` is the ``[files]`` map of the settings (template -> file name, sheet): a
    template named there is read from that file instead of ``<template>.<ext>``.
    """
    found: dict[str, Path] = {}
    for name, spec in specs.items():
        if files and name in files:
            target = path / files[name][0]
            if target.is_file():
                found[name] = target
            else:
                log.add(
                    "missing_mapped_file", file=SETTINGS_FILE, column="[files]",
                    value=f'{name} = "{files[name][0]}"',
                    expected=f"a file {files[name][0]} in the workspace folder",
                    expected_th=f"ไฟล์ {files[name][0]} ในโฟลเดอร์งาน",
                    hint="copy the file into the folder or correct the name in [files]",
                    hint_th="คัดลอกไฟล์มาไว้ในโฟลเดอร์ หรือแก้ชื่อไฟล์ใน [files]",
                )  # fmt: skip
            continue
        candidates = [path / f"{name}{ext}" for ext in TEMPLATE_EXTENSIONS]
        existing = [p for p in candidates if p.is_file()]
        if len(existing) > 1:
            log.add(
                "several_files", file=", ".join(p.name for p in existing),
                expected=f"one file named {name}.<csv|xlsx|sav|parquet>",
                expected_th=f"ไฟล์ {name} เพียงไฟล์เดียว",
                hint="keep one and move the others out of the folder",
                hint_th="เก็บไว้ไฟล์เดียว ย้ายไฟล์อื่นออกจากโฟลเดอร์",
            )  # fmt: skip
        elif existing:
            found[name] = existing[0]
        elif spec.required:
            log.add(
                "missing_file", file=f"{name}.csv",
                expected=f"a file {name}.csv (or .xlsx, .sav, .parquet): {spec.title_en}",
                expected_th=f"ไฟล์ {name}.csv (หรือ .xlsx .sav .parquet): {spec.title_th}",
                hint="copy the template from data_templates/ or run `pmqa init`",
                hint_th="คัดลอกแม่แบบจาก data_templates/ หรือใช้คำสั่ง pmqa init",
            )  # fmt: skip
    return found


def _expected_headers(
    spec: TemplateSpec, column_map: Mapping[str, str] | None
) -> Callable[[str], bool]:
    """Is a cell one of the template's headers (name, titles, aliases) or a mapped header?"""
    names = {
        normalize_name(a) for c in spec.columns
        for a in (c.name, c.th, c.en, *c.header_aliases) if a
    }  # fmt: skip
    names.update(normalize_name(h) for h in column_map or {})
    return lambda cell: normalize_name(cell) in names


def _read(
    path: Path, log: ProblemLog, spec: TemplateSpec | None = None,
    column_map: Mapping[str, str] | None = None, sheet: str = "",
) -> RawTable | None:  # fmt: skip
    """Read one file; a file that cannot be read is a problem with the fix for its case.

    The header row is looked for below any title rows and, in a workbook, on the first
    sheet holding it (unless ``sheet`` names one); where it was found is a note (warning).
    An optional template's file that is empty (0 bytes) is a note and reads as no data.
    """
    template = spec.name if spec else path.stem
    try:
        is_text = text_headers(spec, column_map) if spec else None
        is_header = _expected_headers(spec, column_map) if spec else None
        raw = read_table(path, sheet=sheet or None, text_columns=is_text, header_hint=is_header)
    except ReadError as exc:
        hint, hint_th = (
            (exc.hint, exc.hint_th) if isinstance(exc, FileReadError)
            else ("open it in Excel and save as 'CSV UTF-8'", "เปิดใน Excel แล้วบันทึกเป็น 'CSV UTF-8'")
        )  # fmt: skip
        hint, hint_th = (h.replace("<template>", template) for h in (hint, hint_th))
        case = exc.case if isinstance(exc, FileReadError) else ""
        if case == "empty" and spec is not None and not spec.required:
            log.add(
                "empty_file", file=path.name, value="0 bytes",
                expected=f"the header row of {template} (or no file): read as no data",
                expected_th=f"แถวหัวคอลัมน์ของ {template} (หรือไม่ต้องมีไฟล์): ถือว่าไม่มีข้อมูล",
                hint="delete the file or write the template's header row into it",
                hint_th="ลบไฟล์ออก หรือใส่แถวหัวคอลัมน์ของแม่แบบ", severity="warning",
            )  # fmt: skip
            return None
        log.add(
            "unreadable_file", file=path.name, value=str(exc),
            row=exc.row if isinstance(exc, FileReadError) else None,
            expected="a readable CSV (UTF-8 or cp874), XLSX, SAV or Parquet file",
            expected_th="ไฟล์ CSV (UTF-8 หรือ cp874), XLSX, SAV หรือ Parquet ที่เปิดได้",
            hint=hint, hint_th=hint_th,
        )  # fmt: skip
        return None
    _read_notes(raw, log, template, sheet)
    return raw


def _sheet(settings: Settings, template: str) -> str:
    """The worksheet named for a template: ``[files.<template>] sheet``, else ``[sheets]``."""
    return settings.files.get(template, ("", ""))[1] or settings.sheets.get(template, "")


def _read_notes(raw: RawTable, log: ProblemLog, template: str, sheet: str) -> None:
    """Notes (warnings) on how a file was read: its format, its sheet, its header row."""
    if raw.read_as:
        what = format_name(raw.read_as)
        log.add(
            "format_differs", file=raw.file, value=f"{raw.file} holds {what}",
            expected=f"a file whose name says what it holds: read as {what}",
            expected_th=f"ชื่อไฟล์ตรงกับชนิดไฟล์: อ่านเป็น {what}",
            hint=f"nothing to fix; renaming it {raw.path.stem}.{raw.read_as} removes this note",
            hint_th=f"ไม่ต้องแก้ไข หากเปลี่ยนชื่อเป็น {raw.path.stem}.{raw.read_as} จะไม่มีคำเตือนนี้",
            severity="warning",
        )  # fmt: skip
    if raw.sheet and not sheet and len(raw.sheets) > 1 and raw.sheet != raw.sheets[0]:
        shown = ", ".join(raw.sheets)
        log.add(
            "sheet_chosen", file=raw.file, column=raw.sheet,
            value=f"sheet '{raw.sheet}' read (sheets: {shown})",
            expected="the data on the first sheet, or the sheet named in settings.toml",
            expected_th="ข้อมูลอยู่ชีตแรก หรือชีตที่ระบุใน settings.toml",
            hint=f'the header was found on this sheet; to read another: [sheets] {template} = "…"',
            hint_th=f'พบหัวคอลัมน์ในชีตนี้ หากต้องการชีตอื่นให้ระบุ [sheets] {template} = "…"',
            severity="warning",
        )  # fmt: skip
    if raw.header_row > 1:
        title = " / ".join(raw.skipped) if raw.skipped else None
        log.add(
            "header_row_found", file=raw.file, row=raw.header_row, value=title,
            expected=f"the header on row 1: it was found on row {raw.header_row}",
            expected_th=f"หัวคอลัมน์อยู่แถวที่ 1: พบที่แถว {raw.header_row}",
            hint=f"nothing to fix; the data are read from row {raw.header_row} and the rows "
            "above it (a title) are left out",
            hint_th=f"ไม่ต้องแก้ไข อ่านข้อมูลตั้งแต่แถว {raw.header_row} แถวที่อยู่เหนือขึ้นไป "
            "(ชื่อเรื่อง) ไม่นำมาใช้",
            severity="warning",
        )  # fmt: skip


def _with_fiscal(frame: pd.DataFrame, date_col: str) -> pd.DataFrame:
    dates = frame[date_col]
    return frame.assign(fiscal_year=fiscal_year(dates).astype("Int64"))


#: Columns the kit adds to the responses frame (beside the template's own columns).
DERIVED_RESPONSE_COLUMNS = ("fiscal_year", "half", "quarter")


def _questionnaire(
    parsed: ParsedTable, scales: Mapping[str, Scale], raw_responses: RawTable | None,
    log: ProblemLog, reserved: tuple[str, ...] = (),
) -> pd.DataFrame:  # fmt: skip
    q = parsed.frame.copy()
    if reserved:  # an item named like a column of the responses frame would replace it
        clash = q["item_code"].astype(str).isin(reserved).to_numpy()
        if clash.any():
            report_rows(
                log, "reserved_item_code", parsed.file, "item_code", parsed.rows[clash],
                q["item_code"][clash],
                "an item code that is not a column name of the responses template "
                f"({', '.join(reserved)})",
                f"รหัสข้อคำถามที่ไม่ซ้ำกับชื่อคอลัมน์ของแม่แบบคำตอบ ({', '.join(reserved)})",
                "rename the item (e.g. Q01) and keep the file's header in column_header",
                "เปลี่ยนรหัสข้อ (เช่น Q01) และใส่หัวคอลัมน์เดิมไว้ใน column_header",
            )  # fmt: skip
    q["reverse"] = q["reverse"].fillna(False).astype(bool)
    q["column_header"] = q["column_header"].fillna(q["item_code"]).astype("string")
    q["order"] = np.arange(len(q))
    known = [*scales, FROM_FILE_SCALE]
    filled = q["scale"].notna().to_numpy()
    bad = filled & ~q["scale"].isin(known).to_numpy()
    if bad.any():
        report_rows(
            log, "unknown_scale", parsed.file, "scale", parsed.rows[bad], q["scale"][bad],
            f"a scale name ({', '.join(known)})", f"ชื่อมาตรวัด ({', '.join(known)})",
            "use a built-in scale (`pmqa scales`) or define it in scales.toml",
            "ใช้มาตรวัดที่มีในระบบ (pmqa scales) หรือกำหนดเองใน scales.toml",
        )  # fmt: skip
    if raw_responses is not None and bool((q["scale"] == FROM_FILE_SCALE).fillna(False).any()):
        if not raw_responses.value_labels:
            log.add(
                "no_value_labels", file=parsed.file, column="scale", value=FROM_FILE_SCALE,
                expected="an SPSS responses file with value labels",
                expected_th="ไฟล์คำตอบ SPSS ที่มี value labels",
            )  # fmt: skip
    for col in ("unit_name_en", "dimension_en", "item_en"):
        if col in q:
            q[col] = q[col].fillna("")
    return q.reset_index(drop=True)


def _scores(
    raw: RawTable, parsed: ParsedTable, q: pd.DataFrame, scales: dict[str, Scale],
    log: ProblemLog,
) -> dict[str, pd.Series]:  # fmt: skip
    """Item columns → float scores (reverse-coded items flipped); bad labels reported."""
    out: dict[str, pd.Series] = {}
    for rec in q.itertuples(index=False):
        code = str(rec.item_code)
        if code not in parsed.extras:
            log.add(
                "missing_item_column", file=parsed.file, column=str(rec.column_header),
                expected=f"a column for item {code} headed '{rec.column_header}'",
                expected_th=f"คอลัมน์ของข้อ {code} หัวคอลัมน์ '{rec.column_header}'",
                hint="add the column or fix column_header in the questionnaire",
                hint_th="เพิ่มคอลัมน์ หรือแก้ column_header ในแบบสอบถาม",
            )  # fmt: skip
            continue
        header = next((h for h in raw.frame.columns if h in (rec.column_header, code)), str(code))
        scale_name = "" if pd.isna(rec.scale) else str(rec.scale)
        if scale_name == FROM_FILE_SCALE:
            labels = raw.value_labels.get(header, {})
            scale = scale_from_value_labels(code, labels, raw.missing_values.get(header, []))
            scales[f"{FROM_FILE_SCALE}:{code}"] = scale
        elif scale_name in scales:
            scale = scales[scale_name]
        else:
            continue
        values = parsed.extras[code]
        scores, invalid = scale.to_scores(values)
        bad = np.asarray(invalid, dtype=bool)
        if bad.any():
            allowed = ", ".join(scale.labels_th) + " / " + ", ".join(str(s) for s in scale.scores)
            report_rows(
                log, "bad_score", parsed.file, header, parsed.rows[bad], values[bad],
                f"an answer on scale {scale.name}: {allowed}",
                f"คำตอบตามมาตรวัด {scale.name}: {allowed}",
                "correct the answer, or leave it blank / ไม่มีความเห็น if there was none",
                "แก้คำตอบ หรือเว้นว่าง/ไม่มีความเห็น หากไม่ได้ตอบ",
            )  # fmt: skip
        if bool(rec.reverse):
            scores = scale.min + scale.max - scores
        out[code] = scores
    return out


def _responses_frame(base: pd.DataFrame, scores: Mapping[str, pd.Series]) -> pd.DataFrame:
    """The template columns, the fiscal period after the date, then one score column per item.

    Every float column (the weight and the scores) is written into one 2-D block, which
    pandas takes without a copy; the other columns are inserted around it. The frame is
    consolidated from the start, so no later operation copies 20 columns of a million
    rows to merge them (as ``pd.concat`` would at once).
    """
    dates = base["response_date"]
    columns: dict[str, Any] = {}
    for name in base.columns:
        columns[name] = base[name]
        if name == "response_date":
            columns["fiscal_year"] = fiscal_year(dates)
            columns["half"] = fiscal_half(dates)
            columns["quarter"] = fiscal_quarter(dates)
    columns["weight"] = base["weight"].fillna(1.0).astype("float64")
    columns.update(scores)
    floats = [n for n, v in columns.items() if v.dtype == np.float64]
    block = np.empty((len(floats), len(base)), dtype="float64")
    for i, name in enumerate(floats):
        block[i] = columns[name].to_numpy()
    frame = pd.DataFrame(block.T, columns=floats, index=base.index, copy=False)
    for at, name in enumerate(columns):
        if name not in frame.columns:
            frame.insert(at, name, columns[name])
    return frame


def _load(path: Path, log: ProblemLog) -> tuple[dict[str, Any], dict[str, str]]:
    """Read and parse every file; returns the typed frames (problems go to ``log``)."""
    specs = load_template_specs()
    settings_file = path / SETTINGS_FILE
    settings = load_settings(settings_file)
    catalogue = load_catalogue(
        (path / settings.catalogue_path) if settings.catalogue_path else None
    )
    user_scales = path / USER_SCALES_FILE
    scales = dict(load_scales(user_scales if user_scales.exists() else None))
    check_maps(settings, specs, log)
    files = find_inputs(path, specs, log, settings.files)
    maps = {name: column_map(settings, name) for name in specs}
    raws = {
        name: _read(p, log, specs[name], maps[name], _sheet(settings, name))
        for name, p in files.items()
    }
    for name, raw in raws.items():
        if raw is not None and settings.columns.get(name):
            check_mapped_headers(settings, name, raw.file, [str(c) for c in raw.frame.columns], log)
    if (raw_c := raws.get("complaints")) is not None:  # a Traffy export, converted (not written)
        raws["complaints"], maps["complaints"] = convert_if_traffy(
            raw_c, maps["complaints"], settings, path, log
        )
    parsed: dict[str, ParsedTable] = {}
    for name in ("units", "groups", "channels", "questionnaire"):
        raw = raws.get(name)
        if raw is not None:
            parsed[name] = parse_table(raw, specs[name], log, extra_headers=maps[name])
    q = None
    if "questionnaire" in parsed:
        reserved = (*(c.name for c in specs["responses"].columns), *DERIVED_RESPONSE_COLUMNS)
        q = _questionnaire(
            parsed["questionnaire"], scales, raws.get("responses"), log, reserved=reserved
        )
    data: dict[str, Any] = {"settings": settings, "catalogue": catalogue, "scales": scales}
    data["questionnaire"] = q
    scores: dict[str, pd.Series] = {}
    raw_resp = raws.get("responses")
    if raw_resp is not None and q is not None:
        # a questionnaire row without an item code is already reported: it names no column
        items = q[q["item_code"].notna()]
        extra = {str(h): str(c) for h, c in zip(items["column_header"], items["item_code"],
                                                strict=True)}  # fmt: skip
        extra.update({str(c): str(c) for c in items["item_code"]})
        extra.update(maps["responses"])  # the user's column map wins over item headers
        pr = parse_table(raw_resp, specs["responses"], log, extra_headers=extra)
        parsed["responses"] = pr
        scores = _scores(raw_resp, pr, items, scales, log)
    for name in OPTIONAL_TEMPLATES:
        raw = raws.get(name)
        if raw is not None:
            parsed[name] = parse_table(raw, specs[name], log, extra_headers=maps[name])
    names_and_ids(parsed)
    for name in ("units", "groups", "channels"):
        data[name] = parsed[name].frame if name in parsed else None
    if "responses" in parsed:
        data["responses"] = _responses_frame(parsed["responses"].frame, scores)
    for name in OPTIONAL_TEMPLATES:
        data[name] = parsed[name].frame if name in parsed else empty_frame(specs[name])
    cross_checks(parsed, data, log)
    if "improvement_plan" in files and "improvement_plan" in parsed:
        plan_checks(files["improvement_plan"], catalogue, log)
    data = _derive(data)
    return data, {k: str(v) for k, v in files.items()}


def _derive(data: dict[str, Any]) -> dict[str, Any]:
    # Derived columns are added to empty frames too (a header-only or absent optional
    # file), so every later step sees the same columns and reports "no data".
    c = data["complaints"]
    c = _with_fiscal(c, "received_date")
    days = (c["closed_date"] - c["received_date"]).dt.total_seconds() / 86400.0
    c["days_to_close"] = days.astype("float64")
    c["reopened"] = c["reopened"].fillna(c["reopen_count"].gt(0))  # a count says it too
    for col in ("forwarded", "reopened"):
        c[col] = c[col].fillna(False).astype(bool)
    data["complaints"] = c
    data["service_log"] = _with_fiscal(data["service_log"], "service_date")
    data["activities"] = _with_fiscal(data["activities"], "activity_date")
    s = data["service_standards"]
    s["published"] = s["published"].fillna(True).astype(bool)
    for name in ("units", "groups", "channels"):
        frame = data.get(name)
        if frame is not None:
            for col in frame.columns:
                if pd.api.types.is_string_dtype(frame[col]) and col.endswith(("_en", "mission")):
                    frame[col] = frame[col].fillna("")
    if data.get("groups") is not None:
        data["groups"]["unit_code"] = data["groups"]["unit_code"].fillna("")
    return data


def validate_workspace(path: str | Path, language: str | None = None) -> pd.DataFrame:
    """Check a workspace; returns the problems table (errors and warnings).

    Examples
    --------
    >>> import tempfile
    >>> from pmqa_analysis.workspace.sample import make_sample_workspace
    >>> ws = make_sample_workspace(Path(tempfile.mkdtemp()) / "ws")
    >>> table = validate_workspace(ws, language="en")
    >>> int((table["severity"] == "error").sum())
    0
    """
    p = _folder(path)
    log = ProblemLog()
    data, files = _load(p, log)
    if not log.has_errors:
        sample_warnings(data, log, files)
    lang = language or data["settings"].language
    return log.table(lang)


def load_workspace(path: str | Path, language: str | None = None) -> Survey:
    """Load and validate a workspace folder into a :class:`Survey`.

    Raises
    ------
    ValidationError
        With the whole problems table when any error is found.
    InputError
        When the folder or its settings file cannot be used.
    """
    p = _folder(path)
    log = ProblemLog()
    data, files = _load(p, log)
    lang = language or data["settings"].language
    if log.has_errors:
        raise ValidationError(log.table(lang))
    sample_warnings(data, log, files)
    return Survey(
        path=p,
        warnings=log.table(lang),
        files=files,
        **{k: v for k, v in data.items()},
    )


def _folder(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_dir():
        raise InputError(
            f"workspace folder not found: {p}. Create one with `pmqa init {p}` "
            f"/ ไม่พบโฟลเดอร์ {p} สร้างด้วยคำสั่ง pmqa init"
        )
    return p.resolve()
