"""Paths and defaults in one place, and the workspace's ``settings.toml``.

Examples
--------
>>> s = Settings()
>>> s.band_preset, s.min_cell, s.target_pct
('half_point', 5, 80.0)
>>> s.replace(language="en").language
'en'
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pmqa_analysis.core.errors import InputError

__all__ = [
    "SETTINGS_FILE",
    "TEMPLATE_EXTENSIONS",
    "Settings",
    "TraffySettings",
    "load_settings",
    "settings_toml",
]

SETTINGS_FILE = "settings.toml"
#: Extensions a workspace input may have, in the order they are looked for.
TEMPLATE_EXTENSIONS = (".csv", ".xlsx", ".xls", ".ods", ".sav", ".zsav", ".parquet", ".txt")

_SECTIONS = {
    "survey": ("province", "fiscal_year", "round", "language"),
    "analysis": (
        "band_preset",
        "target_pct",
        "min_cell",
        "margin_of_error",
        "sample_size_method",
        "complaint_standard_days",
    ),
    "catalogue": ("catalogue_path",),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "round": ("6m", "12m"),
    "language": ("th", "en"),
    "band_preset": ("half_point", "class_interval"),
    "sample_size_method": ("yamane", "krejcie_morgan", "cochran"),
}


#: what a ``[traffy.states]`` line may map a workflow state to
TRAFFY_STATUSES = ("open", "closed")


@dataclass(frozen=True)
class TraffySettings:
    """``[traffy]``: how a Traffy Fondue export used as the complaint file is converted.

    Examples
    --------
    >>> TraffySettings().unit, TraffySettings().channel
    ('district', 'TRAFFY')
    """

    #: "district" (the Bangkok district in ``address``), "org" or "column:<header>"
    unit: str = "district"
    #: a two-column file in the workspace: Traffy value -> unit_code ("" = none)
    lookup: str = ""
    #: the channel code (or name, as in channels.csv) recorded for every ticket
    channel: str = "TRAFFY"
    #: ``[traffy.states]``: more workflow states -> "open" / "closed"
    states: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """A workspace's settings (``settings.toml``), with the kit's defaults."""

    province: str = ""
    fiscal_year: int | None = None  # BE; None = the latest year in the responses
    round: str = "12m"
    language: str = "th"
    band_preset: str = "half_point"
    target_pct: float = 80.0
    min_cell: int = 5
    margin_of_error: float = 0.05
    sample_size_method: str = "yamane"
    complaint_standard_days: float = 15.0
    catalogue_path: str = ""
    #: ``[files]``: template name -> (file name in the workspace, sheet or "")
    files: Mapping[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    #: ``[columns.<template>]``: template name -> {template column: the file's header}
    columns: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    #: ``[sheets]``: template name -> the worksheet to read (else the sheet holding the header)
    sheets: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: ``[traffy]``: the conversion of a Traffy Fondue export (``complaints`` file)
    traffy: TraffySettings = dataclasses.field(default_factory=TraffySettings)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of every field (for the manifest); the file and column maps only when set."""
        out = dataclasses.asdict(self)
        for name in ("files", "columns", "sheets"):
            if not out[name]:
                del out[name]  # a workspace without maps keeps its fingerprint
            else:
                out[name] = {k: (list(v) if isinstance(v, tuple) else
                                 v if isinstance(v, str) else dict(v))
                             for k, v in sorted(out[name].items())}  # fmt: skip
        if self.traffy == TraffySettings():
            del out["traffy"]  # likewise for the default Traffy conversion
        else:
            out["traffy"]["states"] = dict(sorted(self.traffy.states.items()))
        return out


def load_settings(path: str | Path) -> Settings:
    """Read and check a ``settings.toml``; all problems are reported at once.

    Parameters
    ----------
    path : str or Path
        The settings file.  A missing file gives the defaults.

    Raises
    ------
    InputError
        Unknown keys, wrong types or values outside the allowed choices.
    """
    p = Path(path)
    if not p.exists():
        return Settings()
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{p.name}: not valid TOML ({exc}). Fix the line named, or delete the file to use "
            "the defaults. / ไฟล์ settings.toml เขียนไม่ถูกต้องตามรูปแบบ TOML"
        ) from None
    problems: list[str] = []
    values: dict[str, Any] = {}
    for section, content in raw.items():
        if section in ("files", "columns"):
            parse = _file_map if section == "files" else _column_map
            values[section] = parse(content, problems)
            continue
        if section == "traffy":
            values[section] = _traffy(content, problems)
            continue
        if section == "sheets":
            values[section] = _sheet_map(content, problems)
            continue
        if section not in _SECTIONS or not isinstance(content, dict):
            problems.append(
                f"[{section}]: unknown section; expected one of "
                f"{', '.join([*_SECTIONS, 'files', 'columns', 'sheets', 'traffy'])}"
            )
            continue
        for key, value in content.items():
            name = "catalogue_path" if (section, key) == ("catalogue", "path") else key
            if name not in _SECTIONS[section]:
                allowed = ", ".join(
                    "path" if k == "catalogue_path" else k for k in _SECTIONS[section]
                )
                problems.append(f"[{section}] {key}: unknown key; expected one of {allowed}")
                continue
            values[name] = value
    defaults = {f.name: f.default for f in fields(Settings)}
    for name, value in list(values.items()):
        if name in ("files", "columns", "sheets", "traffy"):
            continue
        default = defaults[name]
        if name == "fiscal_year":
            ok = isinstance(value, int) and 2400 < value < 2700
            if not ok:
                problems.append(f"fiscal_year = {value!r}: expected a BE year such as 2567")
        elif isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{name} = {value!r}: expected a number")
            else:
                values[name] = float(value)
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(f"{name} = {value!r}: expected a whole number >= 1")
        elif not isinstance(value, str):
            problems.append(f"{name} = {value!r}: expected text in quotes")
        if name in _CHOICES and value not in _CHOICES[name]:
            problems.append(f"{name} = {value!r}: expected one of {', '.join(_CHOICES[name])}")
    if "target_pct" in values and isinstance(values["target_pct"], float):
        if not 0 < values["target_pct"] <= 100:
            problems.append(f"target_pct = {values['target_pct']}: expected a percentage 0-100")
    if "margin_of_error" in values and isinstance(values["margin_of_error"], float):
        if not 0 < values["margin_of_error"] < 0.5:
            problems.append(f"margin_of_error = {values['margin_of_error']}: expected 0.01-0.10")
    if problems:
        raise InputError(
            f"{p}: {len(problems)} problem(s) in the settings file:\n  - "
            + "\n  - ".join(problems)
            + "\nFix these lines (see settings.toml written by `pmqa init` for an example)."
        )
    return Settings(**values)


def _file_map(content: Any, problems: list[str]) -> dict[str, tuple[str, str]]:
    """``[files]``: ``responses = "export.csv"`` or ``[files.responses] path/sheet``."""
    out: dict[str, tuple[str, str]] = {}
    if not isinstance(content, dict):
        problems.append('[files]: expected a table of template = "file name"')
        return out
    for name, value in content.items():
        if isinstance(value, str) and value.strip():
            out[str(name)] = (value.strip(), "")
        elif isinstance(value, dict) and isinstance(value.get("path"), str) and value["path"]:
            extra = sorted(set(value) - {"path", "sheet"})
            if extra:
                problems.append(
                    f"[files.{name}] {', '.join(extra)}: unknown key; expected path, sheet"
                )
            sheet = value.get("sheet", "")
            if not isinstance(sheet, str | int):
                problems.append(f"[files.{name}] sheet = {sheet!r}: expected a sheet name")
                sheet = ""
            out[str(name)] = (value["path"].strip(), str(sheet))
        else:
            problems.append(
                f"[files] {name} = {value!r}: expected a file name in quotes, e.g. "
                f'{name} = "export.csv", or a table with path = "..." and sheet = "..."'
            )
    return out


def _sheet_map(content: Any, problems: list[str]) -> dict[str, str]:
    """``[sheets]``: ``responses = "ข้อมูล"``, the worksheet of a template's workbook.

    Examples
    --------
    >>> problems: list[str] = []
    >>> _sheet_map({"responses": " ข้อมูล "}, problems), problems
    ({'responses': 'ข้อมูล'}, [])
    >>> _ = _sheet_map({"units": 2}, problems); print(problems[0].split(";")[0])
    [sheets] units = 2: expected the name of a worksheet in quotes
    """
    out: dict[str, str] = {}
    if not isinstance(content, dict):
        problems.append('[sheets]: expected a table of template = "sheet name"')
        return out
    for name, value in content.items():
        if isinstance(value, str) and value.strip():
            out[str(name)] = value.strip()
        else:
            problems.append(
                f"[sheets] {name} = {value!r}: expected the name of a worksheet in quotes; "
                f'e.g. {name} = "Sheet1"'
            )
    return out


def _column_map(content: Any, problems: list[str]) -> dict[str, dict[str, str]]:
    """``[columns.<template>]``: template column = "the file's header"."""
    out: dict[str, dict[str, str]] = {}
    if not isinstance(content, dict):
        problems.append("[columns]: expected tables such as [columns.responses]")
        return out
    for name, table in content.items():
        if not isinstance(table, dict):
            problems.append(
                f"[columns] {name} = {table!r}: expected a table [columns.{name}] with lines "
                'such as unit_code = "the header in your file"'
            )
            continue
        cols: dict[str, str] = {}
        for column, header in table.items():
            if isinstance(header, str) and header.strip():
                cols[str(column)] = header
            else:
                problems.append(
                    f"[columns.{name}] {column} = {header!r}: expected the header of a column "
                    "of your file, in quotes"
                )
        out[str(name)] = cols
    return out


def _traffy(content: Any, problems: list[str]) -> TraffySettings:
    """``[traffy]``: unit, lookup, channel and the ``[traffy.states]`` table.

    Examples
    --------
    >>> problems: list[str] = []
    >>> _traffy({"unit": "column:เขต", "states": {"ปิดงาน": "closed"}}, problems)
    TraffySettings(unit='column:เขต', lookup='', channel='TRAFFY', states={'ปิดงาน': 'closed'})
    >>> _ = _traffy({"unit": "เขต"}, problems); print(problems[0].split(" (")[0])
    [traffy] unit = 'เขต': expected "district"
    """
    if not isinstance(content, dict):
        problems.append('[traffy]: expected a table with unit = "district" and similar lines')
        return TraffySettings()
    values: dict[str, Any] = {}
    allowed = [f.name for f in fields(TraffySettings)]
    for key, value in content.items():
        if key not in allowed:
            problems.append(f"[traffy] {key}: unknown key; expected one of {', '.join(allowed)}")
        elif key == "states":
            values[key] = _traffy_states(value, problems)
        elif not isinstance(value, str):
            problems.append(f"[traffy] {key} = {value!r}: expected text in quotes")
        else:
            values[key] = value.strip()
    unit = values.get("unit", "district")
    header = unit[len("column:") :].strip() if unit.startswith("column:") else None
    if unit not in ("district", "org") and not header:
        problems.append(
            f'[traffy] unit = {unit!r}: expected "district" (the Bangkok district in address), '
            '"org" (the organisation column) or "column:<header>" (a column of the export)'
        )
    elif header:
        values["unit"] = f"column:{header}"
    if "channel" in values and not values["channel"]:
        problems.append('[traffy] channel = "": expected a channel code such as "TRAFFY"')
    return TraffySettings(**values)


def _traffy_states(content: Any, problems: list[str]) -> dict[str, str]:
    """``[traffy.states]``: "a Traffy state" = "open" or "closed"."""
    if not isinstance(content, dict):
        problems.append(
            f"[traffy] states = {content!r}: expected a table [traffy.states] with lines "
            'such as "ปิดงาน" = "closed"'
        )
        return {}
    out: dict[str, str] = {}
    for state, status in content.items():
        if status in TRAFFY_STATUSES and str(state).strip():
            out[str(state).strip()] = str(status)
        else:
            problems.append(f'[traffy.states] "{state}" = {status!r}: expected "open" or "closed"')
    return out


def settings_toml(settings: Settings | None = None) -> str:
    """The text of a ``settings.toml`` with comments, for ``pmqa init``.

    Examples
    --------
    >>> text = settings_toml(Settings(province="จังหวัดตัวอย่าง", fiscal_year=2567))
    >>> tomllib.loads(text)["survey"]["fiscal_year"]
    2567
    """
    s = settings or Settings()
    fy = f"{s.fiscal_year}" if s.fiscal_year else "2567"
    return f"""# pmqa-analysis workspace settings / การตั้งค่าพื้นที่ทำงาน
[survey]
province = "{s.province}"          # จังหวัด (shown on every report)
fiscal_year = {fy}                 # ปีงบประมาณที่ประเมิน (พ.ศ.) / fiscal year assessed (BE)
round = "{s.round}"                # "6m" (ต.ค.-มี.ค.) or "12m"
language = "{s.language}"          # "th" or "en"

[analysis]
band_preset = "{s.band_preset}"    # "half_point" (4.51-5.00 มากที่สุด ...) or "class_interval" (0.8)
target_pct = {s.target_pct}        # เป้าหมายร้อยละความพึงพอใจ / satisfaction target (%)
min_cell = {s.min_cell}            # ไม่แสดงตัวเลขที่มีผู้ตอบน้อยกว่านี้ / suppress cells below n
margin_of_error = {s.margin_of_error}  # e for the sample size
sample_size_method = "{s.sample_size_method}"  # "yamane", "krejcie_morgan" or "cochran"
complaint_standard_days = {s.complaint_standard_days}  # วันที่ต้องแจ้งผลผู้ร้องเรียน

[catalogue]
path = "{s.catalogue_path}"        # ว่าง = เกณฑ์ตัวอย่างในชุดโปรแกรม / blank = built-in example
"""
