"""An office's own files as they are: the file and column maps, names in code columns.

Offices rarely have files shaped like the kit's templates. Three things let such a file go
in untouched (issue 17):

* ``[files]`` in ``settings.toml`` names the file (and worksheet) of a template, e.g.
  ``responses = "แบบสำรวจความพึงพอใจ.csv"`` — a form export kept under its own name;
* ``[columns.<template>]`` maps a template column to the file's header, e.g.
  ``unit_code = "หน่วยงานที่ท่านรับบริการ"``;
* a code column (unit, group, channel, service) accepts the code **or** the name from the
  reference table (Thai or English; spaces and letter case do not matter), so a form's
  answer "ที่ว่าการอำเภอเมือง" is the unit whose ``unit_name_th`` it is. An unknown name
  is an error that lists the nearest names.

``respondent_id`` may be left out: each row then gets ``<file stem>:<row>`` (the row
number as a spreadsheet shows it), stable as long as the file's rows keep their order.

Examples
--------
>>> normalize_name("  ที่ว่าการ   อำเภอเมือง ")
'ที่ว่าการ อำเภอเมือง'
>>> normalize_name("Walk-In") == normalize_name("walk-in")
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.problems import ProblemLog
from pmqa_analysis.workspace.config import SETTINGS_FILE, Settings
from pmqa_analysis.workspace.templates import TemplateSpec

__all__ = [
    "CODE_COLUMNS",
    "REFERENCES",
    "check_mapped_headers",
    "check_maps",
    "codes_from_names",
    "column_map",
    "generate_respondent_ids",
    "near_names",
    "normalize_name",
]

#: code column -> (reference template, its code column, its name columns)
REFERENCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "unit_code": ("units", "unit_code", ("unit_name_th", "unit_name_en")),
    "group_code": ("groups", "group_code", ("group_name_th", "group_name_en")),
    "channel_code": ("channels", "channel_code", ("channel_name_th", "channel_name_en")),
    "service_code": ("service_standards", "service_code", ("service_name_th", "service_name_en")),
}
#: template -> the code columns in it that accept a name
CODE_COLUMNS: dict[str, tuple[str, ...]] = {
    "groups": ("unit_code",),
    "responses": ("unit_code", "group_code", "channel_code", "service_code"),
    "complaints": ("unit_code", "group_code", "channel_code"),
    "service_standards": ("unit_code",),
    "service_log": ("unit_code", "service_code"),
    "activities": ("unit_code", "group_code"),
    "checklist": ("unit_code",),
    "assignments": ("unit_code",),
    "improvement_plan": ("unit_code",),
}
_SPACES = re.compile(r"\s+")


def normalize_name(text: Any) -> str:
    """A name as compared: NFC, spaces collapsed, trimmed, case-folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip().casefold()


def column_map(settings: Settings, template: str) -> dict[str, str]:
    """``[columns.<template>]`` as the loader wants it: the file's header -> template column."""
    return {header: column for column, header in settings.columns.get(template, {}).items()}


def check_maps(settings: Settings, specs: Mapping[str, TemplateSpec], log: ProblemLog) -> None:
    """Template and column names in ``[files]`` / ``[columns.*]`` must exist."""
    known = ", ".join(specs)
    sections = (("files", settings.files), ("columns", settings.columns),
                ("sheets", settings.sheets))  # fmt: skip
    for section, names in sections:
        for name in names:
            if name not in specs:
                near = difflib.get_close_matches(name, list(specs), n=1)
                log.add(
                    "unknown_template", file=SETTINGS_FILE, column=f"[{section}]", value=name,
                    expected=f"a template name: {known}",
                    expected_th=f"ชื่อแม่แบบ: {known}",
                    hint=f"did you mean {near[0]}?" if near else "correct the name",
                    hint_th=f"หมายถึง {near[0]} หรือไม่" if near else "แก้ชื่อให้ถูกต้อง",
                )  # fmt: skip
    for name, cols in settings.columns.items():
        spec = specs.get(name)
        if spec is None:
            continue
        allowed = [c.name for c in spec.columns]
        for column in cols:
            if column not in allowed:
                near = difflib.get_close_matches(column, allowed, n=1)
                log.add(
                    "unknown_mapped_column", file=SETTINGS_FILE, column=f"[columns.{name}]",
                    value=column, expected=f"a column of {name}: {', '.join(allowed)}",
                    expected_th=f"คอลัมน์ของ {name}: {', '.join(allowed)}",
                    hint=f"did you mean {near[0]}?" if near else "correct the column name",
                    hint_th=f"หมายถึง {near[0]} หรือไม่" if near else "แก้ชื่อคอลัมน์ให้ถูกต้อง",
                )  # fmt: skip


def check_mapped_headers(
    settings: Settings, template: str, file: str, headers: list[str], log: ProblemLog
) -> None:
    """Every header named in ``[columns.<template>]`` must be a header of the file."""
    present = {normalize_name(h) for h in headers}
    for column, header in settings.columns.get(template, {}).items():
        if normalize_name(header) not in present:
            near = difflib.get_close_matches(header, headers, n=2, cutoff=0.5)
            shown = "; ".join(repr(h) for h in near) if near else ", ".join(headers[:8])
            log.add(
                "mapped_header_missing", file=SETTINGS_FILE, column=f"[columns.{template}]",
                value=f'{column} = "{header}"',
                expected=f"a header of {file} (nearest: {shown})",
                expected_th=f"หัวคอลัมน์ที่มีใน {file} (ที่ใกล้เคียง: {shown})",
                hint="copy the header exactly from the file's header row",
                hint_th="คัดลอกหัวคอลัมน์จากแถวแรกของไฟล์ให้ตรงทุกตัวอักษร",
            )  # fmt: skip


def _lookup(reference: pd.DataFrame, code_col: str, name_cols: tuple[str, ...]) -> dict[str, str]:
    """Normalised code or name -> code (names shared by two codes are left out)."""
    table: dict[str, set[str]] = {}
    codes = reference[code_col]
    for col in (code_col, *name_cols):
        if col not in reference.columns:
            continue
        for value, code in zip(reference[col], codes, strict=True):
            if pd.notna(value) and pd.notna(code) and str(value).strip():
                table.setdefault(normalize_name(value), set()).add(str(code))
    return {key: next(iter(found)) for key, found in table.items() if len(found) == 1}


def codes_from_names(
    frames: Mapping[str, pd.DataFrame | None], template: str, frame: pd.DataFrame
) -> pd.DataFrame:
    """``frame`` with names in its code columns replaced by the codes they name.

    A value that is already a code stays; a name (or a code written in another case or with
    extra spaces) found in the reference table becomes its code; anything else stays as
    written, for the code checks to report (with the nearest names, see
    :func:`near_names`).

    Examples
    --------
    >>> units = pd.DataFrame({"unit_code": ["U01"], "unit_name_th": ["ที่ว่าการอำเภอเมือง"],
    ...                       "unit_name_en": ["Mueang District Office"]})
    >>> r = pd.DataFrame({"unit_code": ["ที่ว่าการอำเภอเมือง ", "U01", "mueang district office"]})
    >>> list(codes_from_names({"units": units}, "responses", r)["unit_code"])
    ['U01', 'U01', 'U01']
    """
    for column in CODE_COLUMNS.get(template, ()):
        ref_name, code_col, name_cols = REFERENCES[column]
        reference = frames.get(ref_name)
        if column not in frame.columns or reference is None or not len(reference):
            continue
        values = frame[column]
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if not len(uniques):
            continue
        known = {str(c) for c in reference[code_col].dropna()}
        lookup = _lookup(reference, code_col, name_cols)
        mapped = [u if str(u) in known else lookup.get(normalize_name(u), u) for u in uniques]
        if all(m is u for m, u in zip(mapped, uniques, strict=True)):
            continue
        table = np.empty(len(mapped) + 1, dtype=object)  # the last slot: a missing value
        table[:-1] = mapped
        converted = pd.Series(table[codes], index=values.index, name=column)
        frame = frame.assign(**{column: converted.astype(values.dtype)})
    return frame


def near_names(value: Any, reference: pd.DataFrame | None, column: str) -> list[str]:
    """Up to three codes or names of the reference table closest to an unknown ``value``."""
    if reference is None or column not in REFERENCES:
        return []
    _, code_col, name_cols = REFERENCES[column]
    words = [
        str(v) for col in (code_col, *name_cols) if col in reference.columns
        for v in reference[col].dropna().unique() if str(v).strip()
    ]  # fmt: skip
    return difflib.get_close_matches(str(value), words, n=3, cutoff=0.4)


def generate_respondent_ids(file: str, rows: np.ndarray) -> pd.Series:
    """Respondent ids for a responses file without its own: ``<file stem>:<row>``.

    Examples
    --------
    >>> list(generate_respondent_ids("แบบสำรวจ.csv", np.array([2, 3])))
    ['แบบสำรวจ:2', 'แบบสำรวจ:3']
    """
    stem = Path(file).stem
    return pd.Series([f"{stem}:{int(r)}" for r in rows], dtype="string[pyarrow]")
