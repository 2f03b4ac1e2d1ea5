"""Input template specifications, blank templates and the data dictionary.

The templates of a workspace (``units``, ``groups``, ``responses`` …) and their columns are
declared once, in the package data file ``pmqa_analysis/data/templates.toml``.  This module
reads that file into frozen dataclasses and renders from it the blank CSV/XLSX templates and
the bilingual ``DATA_DICTIONARY.md`` shipped in ``data_templates/``, so the three can never
drift apart.  Run ``python -m pmqa_analysis.workspace.templates [OUT_DIR]`` to regenerate them.

Examples
--------
>>> specs = load_template_specs()
>>> specs["units"].key
('unit_code',)
>>> specs["units"].required_columns
('unit_code', 'unit_name_th')
>>> specs["groups"].column("kind").value_aliases["ผู้รับบริการ"]
'recipient'
>>> specs["responses"].column("response_date").header_aliases
('ประทับเวลา', 'Timestamp')
"""

from __future__ import annotations

import datetime as _dt
import functools
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pmqa_analysis.core.data_files import package_toml
from pmqa_analysis.core.errors import CatalogueError, InputError

__all__ = [
    "COLUMN_TYPES",
    "ColumnSpec",
    "TemplateSpec",
    "load_template_specs",
    "main",
    "render_data_dictionary",
    "template_names",
    "write_blank_templates",
]

#: Column types of the templates: name -> (Thai description, English description).
COLUMN_TYPES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "code": (
            "รหัส (ตัวอักษร ตัวเลข - _ .) ตัดช่องว่างหัวท้าย ตัวพิมพ์เล็ก/ใหญ่คงเดิม",
            "identifier (letters, digits, '-', '_', '.'), stripped, case kept",
        ),
        "text": (
            "ข้อความอิสระ ข้อมูลส่วนบุคคล (เลขประจำตัวประชาชน โทรศัพท์ อีเมล) จะถูกปิดบัง",
            "free text; personal data (national IDs, phones, e-mails) is masked at load",
        ),
        "name": ("ชื่อหรือข้อความสั้น (ไม่ปิดบัง)", "a short label (not masked)"),
        "int": ("จำนวนเต็มตั้งแต่ 0 ขึ้นไป (รับเลขไทยได้)", "whole number >= 0 (Thai digits accepted)"),
        "number": ("ตัวเลขตั้งแต่ 0 ขึ้นไป (รับเลขไทยได้)", "number >= 0 (Thai digits accepted)"),
        "date": (
            "วันที่ ค.ศ. หรือ พ.ศ. ชื่อเดือนไทย วันที่แบบ Excel หรือ ISO",
            "a date: CE or BE, Thai month names, Excel serials, ISO with time zone",
        ),
        "bool": (
            "ใช่/ไม่ใช่: yes, no, y, n, true, false, 1, 0, ใช่, ไม่ใช่, มี, ไม่มี",
            "yes/no: yes, no, y, n, true, false, 1, 0, ใช่, ไม่ใช่, มี, ไม่มี",
        ),
        "choice": ("ค่าใดค่าหนึ่งจากรายการที่กำหนด (รับคำไทยที่ระบุได้)", "one of the allowed values"),
    }
)

_DICT_SHEET = "คำอธิบาย - Dictionary"  # Excel forbids '/' in sheet names
_FIXED_DATE = _dt.datetime(2024, 1, 1, 0, 0, 0)  # document date of the blank XLSX files


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an input template.

    Attributes
    ----------
    name : str
        The canonical column name (the header in the blank template).
    type : str
        One of :data:`COLUMN_TYPES`.
    required : bool
        The column must exist and every cell must be filled.
    th, en : str
        Thai and English descriptions.
    example : str
        An example value ("" when none is useful).
    choices : tuple of str
        The allowed values of a ``choice`` column.
    header_aliases : tuple of str
        Other headers accepted for this column (e.g. Google Forms' ``ประทับเวลา``).
    value_aliases : mapping of str to str
        For a ``choice`` column, accepted labels (mostly Thai) -> canonical value.
    """

    name: str
    type: str
    required: bool
    th: str
    en: str
    example: str = ""
    choices: tuple[str, ...] = ()
    header_aliases: tuple[str, ...] = ()
    value_aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class TemplateSpec:
    """One input template (one file of a workspace)."""

    name: str
    required: bool
    key: tuple[str, ...]
    title_th: str
    title_en: str
    columns: tuple[ColumnSpec, ...]

    def column(self, name: str) -> ColumnSpec:
        """The column called ``name``; raises :class:`InputError` naming the known columns."""
        for col in self.columns:
            if col.name == name:
                return col
        raise InputError(
            f"template {self.name!r} has no column {name!r}; "
            f"expected one of: {', '.join(self.column_names)}"
        )

    @property
    def column_names(self) -> tuple[str, ...]:
        """Every column name, in template order."""
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The names of the required columns, in template order."""
        return tuple(c.name for c in self.columns if c.required)


def _spec_error(where: str, problem: str) -> CatalogueError:
    return CatalogueError(
        f"templates.toml, {where}: {problem}. The file ships with the package; "
        "reinstall pmqa-analysis or fix the entry."
    )


def _parse_column(template: str, raw: Mapping[str, Any]) -> ColumnSpec:
    name = str(raw.get("name", ""))
    where = f"[templates.{template}] column {name or '?'}"
    missing = [k for k in ("name", "type", "required", "th", "en") if k not in raw]
    if missing:
        raise _spec_error(where, f"missing key(s) {', '.join(missing)}")
    ctype = str(raw["type"])
    if ctype not in COLUMN_TYPES:
        raise _spec_error(where, f"type {ctype!r} found, expected one of {', '.join(COLUMN_TYPES)}")
    choices = tuple(str(c) for c in raw.get("choices", ()))
    if ctype == "choice" and not choices:
        raise _spec_error(where, "a choice column needs a non-empty `choices` list")
    aliases = raw.get("aliases", ())
    header_aliases: tuple[str, ...] = ()
    value_aliases: dict[str, str] = {}
    if isinstance(aliases, Mapping):
        value_aliases = {str(k): str(v) for k, v in aliases.items()}
        bad = sorted(v for v in value_aliases.values() if v not in choices)
        if bad:
            raise _spec_error(where, f"aliases point to {bad}, not in choices {list(choices)}")
    else:
        header_aliases = tuple(str(a) for a in aliases)
    return ColumnSpec(
        name=name,
        type=ctype,
        required=bool(raw["required"]),
        th=str(raw["th"]),
        en=str(raw["en"]),
        example=str(raw.get("example", "")),
        choices=choices,
        header_aliases=header_aliases,
        value_aliases=MappingProxyType(value_aliases),
    )


@functools.cache
def load_template_specs() -> dict[str, TemplateSpec]:
    """Read the package's ``templates.toml`` into :class:`TemplateSpec` objects (cached).

    Returns
    -------
    dict of str to TemplateSpec
        In file order (required templates first, as declared).  Treat it as read-only: the
        same object is returned on every call.

    Raises
    ------
    CatalogueError
        When the packaged file is malformed (missing keys, unknown types).

    Examples
    --------
    >>> list(load_template_specs())[:3]
    ['units', 'groups', 'channels']
    >>> load_template_specs()["checklist"].column("status").choices
    ('done', 'partly', 'not_done')
    """
    raw = package_toml("templates.toml")
    specs: dict[str, TemplateSpec] = {}
    for name, body in raw.get("templates", {}).items():
        columns = tuple(_parse_column(name, c) for c in body.get("columns", ()))
        if not columns:
            raise _spec_error(f"[templates.{name}]", "no columns declared")
        names = [c.name for c in columns]
        key = tuple(str(k) for k in body.get("key", ()))
        unknown = [k for k in key if k not in names]
        if unknown or len(set(names)) != len(names):
            raise _spec_error(f"[templates.{name}]", f"key {unknown} unknown or duplicate columns")
        specs[name] = TemplateSpec(
            name=name,
            required=bool(body.get("required", False)),
            key=key,
            title_th=str(body.get("title_th", name)),
            title_en=str(body.get("title_en", name)),
            columns=columns,
        )
    return specs


def template_names(required_only: bool = False) -> list[str]:
    """Names of the templates (= file names of a workspace without extension).

    Examples
    --------
    >>> template_names(required_only=True)
    ['units', 'groups', 'channels', 'questionnaire', 'responses']
    """
    return [n for n, s in load_template_specs().items() if s.required or not required_only]


def _allowed(col: ColumnSpec) -> str:
    """Allowed values of a column as one line of text."""
    if col.type == "choice":
        text = ", ".join(col.choices)
        if col.value_aliases:
            text += " (" + ", ".join(f"{k} = {v}" for k, v in col.value_aliases.items()) + ")"
        return text
    if col.type == "bool":
        return "yes / no (ใช่ / ไม่ใช่)"
    return ""


def _dictionary_rows(spec: TemplateSpec) -> list[list[str]]:
    rows = []
    for col in spec.columns:
        rows.append(
            [
                col.name,
                "ต้องมี / required" if col.required else "ไม่บังคับ / optional",
                col.type,
                col.th,
                col.en,
                _allowed(col),
                col.example,
                ", ".join(col.header_aliases),
            ]
        )
    return rows


_DICT_HEADER = [
    "คอลัมน์ / column",
    "บังคับ / required",
    "ชนิด / type",
    "คำอธิบาย (ไทย)",
    "Description (English)",
    "ค่าที่ยอมรับ / allowed values",
    "ตัวอย่าง / example",
    "หัวคอลัมน์อื่นที่รับได้ / header aliases",
]


def _write_xlsx(spec: TemplateSpec, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    wb.set_properties(
        {
            "title": f"{spec.title_th} / {spec.title_en}",
            "subject": f"pmqa-analysis blank template: {spec.name}",
            "author": "pmqa-analysis",
            "created": _FIXED_DATE,
        }
    )
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    data = wb.add_worksheet(spec.name[:31])
    for j, col in enumerate(spec.columns):
        data.write_string(0, j, col.name, bold)
        data.set_column(j, j, max(14, len(col.name) + 4))
        if col.type == "choice":
            values = [*col.choices, *col.value_aliases]
            data.data_validation(
                1, j, 1_048_575, j, {"validate": "list", "source": values, "error_type": "warning"}
            )
    data.freeze_panes(1, 0)
    sheet = wb.add_worksheet(_DICT_SHEET)
    widths = [22, 20, 10, 40, 40, 40, 22, 22]
    for j, (head, width) in enumerate(zip(_DICT_HEADER, widths, strict=True)):
        sheet.write_string(0, j, head, bold)
        sheet.set_column(j, j, width, wrap)
    for i, row in enumerate(_dictionary_rows(spec), start=1):
        for j, value in enumerate(row):
            sheet.write_string(i, j, value)
    sheet.freeze_panes(1, 0)
    wb.close()


def write_blank_templates(
    out_dir: str | Path, formats: Sequence[str] = ("csv", "xlsx")
) -> list[Path]:
    """Write one blank template per input file: a header row only, no example rows.

    CSV files are UTF-8 with a byte-order mark, so that Excel shows Thai correctly.  XLSX
    files hold the header (bold, widths set, lists on choice columns) and a second sheet
    describing every column.  Output is byte-identical on every run.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if missing).
    formats : sequence of {"csv", "xlsx"}
        Which files to write.

    Returns
    -------
    list of Path
        The files written, sorted.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_blank_templates(d, formats=["csv"])
    ...     first = paths[0].read_bytes()
    >>> [p.name for p in paths][:2]
    ['activities.csv', 'assignments.csv']
    >>> first.startswith(b"\\xef\\xbb\\xbfactivity_id,unit_code")
    True
    """
    unknown = [f for f in formats if f not in ("csv", "xlsx")]
    if unknown:
        raise InputError(f"formats {unknown} not supported; expected 'csv' and/or 'xlsx'")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for spec in load_template_specs().values():
        if "csv" in formats:
            path = out / f"{spec.name}.csv"
            path.write_bytes(("\ufeff" + ",".join(spec.column_names) + "\n").encode("utf-8"))
            written.append(path)
        if "xlsx" in formats:
            path = out / f"{spec.name}.xlsx"
            _write_xlsx(spec, path)
            written.append(path)
    return sorted(written)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") if text else ""


def _md_table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


_INTRO = """\
# พจนานุกรมข้อมูล / Data dictionary

ไฟล์นี้สร้างจาก `pmqa_analysis/data/templates.toml` โดยอัตโนมัติ (`python -m
pmqa_analysis.workspace.templates`) อย่าแก้ด้วยมือ / Generated from `pmqa_analysis/data/templates.toml`
by `python -m pmqa_analysis.workspace.templates`; do not edit by hand.

พื้นที่ทำงาน (workspace) คือโฟลเดอร์หนึ่งที่มีไฟล์ละหนึ่งแม่แบบ ตั้งชื่อไฟล์ตามชื่อแม่แบบ
(เช่น `units.csv`, `responses.xlsx`) รับไฟล์ .csv, .xlsx, .sav, .parquet และไฟล์ `settings.toml`
/ A workspace is a folder with one file per template, named after the template (e.g.
`units.csv`, `responses.xlsx`; .csv, .xlsx, .sav and .parquet are read) plus `settings.toml`.

- **ต้องมี / required**: คอลัมน์ต้องมีและทุกช่องต้องกรอก / the column must exist and every cell
  must be filled. **ไม่บังคับ / optional**: ตัดคอลัมน์ออกได้ / the column may be left out.
- หัวคอลัมน์ใช้ชื่อในตาราง (ตัวพิมพ์เล็ก) หรือหัวคอลัมน์อื่นที่ระบุ / headers are the names below
  or one of the listed header aliases.

### ไฟล์ของหน่วยงานตามที่มีอยู่ / Your own files, as they are

ไม่ต้องแก้ไฟล์ที่ดาวน์โหลดมา (เช่น Google Forms) ระบุใน `settings.toml` แทน / A downloaded file
(e.g. a Google Forms export) goes in untouched; say in `settings.toml` how to read it
(`pmqa init DIR --from-export FILE` writes all of this for you):

```toml
[files]
responses = "แบบสำรวจความพึงพอใจ.csv"     # the file of a template, under its own name
# or: [files.responses] path = "export.xlsx", sheet = "Form1"

[sheets]                                    # the worksheet to read (else: the one found)
responses = "ข้อมูล"

[columns.responses]                         # template column = your header, exactly
response_date = "ประทับเวลา"
unit_code = "1. หน่วยงานที่ท่านรับบริการ"
```

- คอลัมน์รหัส (`unit_code`, `group_code`, `channel_code`, `service_code`) รับได้ทั้งรหัสและชื่อ
  ตามตารางอ้างอิง (`unit_name_th`/`unit_name_en` ... ไม่สนใจช่องว่างและตัวพิมพ์เล็กใหญ่) ชื่อที่ไม่รู้จัก
  จะแจ้งชื่อที่ใกล้เคียง / code columns accept the code or the name in the reference table (Thai
  or English; spaces and letter case ignored); an unknown name is an error listing the nearest.
- แถวชื่อเรื่องเหนือหัวคอลัมน์ข้ามได้ (หัวคอลัมน์คือแถวแรกที่มีชื่อคอลัมน์ของแม่แบบหรือที่จับคู่ไว้
  `pmqa validate` แจ้งว่าพบที่แถวใด) ไฟล์ Excel ใช้ชีตแรกที่มีหัวคอลัมน์ (ข้ามชีตปก) เว้นแต่ระบุ
  `[sheets]` ไฟล์ Excel ที่ตั้งชื่อเป็น .csv อ่านเป็น Excel พร้อมแจ้งเตือน / title rows above the
  header are skipped (the header is the first row holding the template's or your mapped
  headers; `pmqa validate` says which row); in a workbook the first sheet holding the header is
  read (a cover page is passed over) unless `[sheets]` names one; a workbook saved as `.csv` is
  read as the workbook it is, with a note.
- `respondent_id` ว่างหรือไม่มีคอลัมน์: ระบบสร้างรหัส `<ชื่อไฟล์>:<เลขแถว>` ให้ / blank or
  absent: each row gets `<file stem>:<row>` (the row number a spreadsheet shows; stable while
  the rows keep their order).
- `service_population` ว่าง: ใช้ขนาดตัวอย่างของประชากรขนาดใหญ่ (Yamane e = 0.05: 400 ราย) และแจ้ง
  เตือนให้กรอก / blank: the sample size of a large population is used (Yamane at e = 0.05:
  400), with a warning to fill it in.
- ไฟล์ที่ไม่บังคับ (ข้อร้องเรียน มาตรฐานบริการ กิจกรรม ...) ไม่มีหรือมีแต่หัวคอลัมน์ได้ รายงานจะแสดง
  "ไม่มีข้อมูล" / an optional file left out or header-only gives "no data" in its report section.
"""

_NOTES = """\
## ชนิดข้อมูล / Column types

{types}

## วันที่ / Dates

- รับทั้ง ค.ศ. และ พ.ศ. (พ.ศ. = ค.ศ. + 543); ปี 4 หลักที่มากกว่าประมาณ 2400 ถือเป็น พ.ศ. /
  CE and BE years are accepted (BE = CE + 543); a 4-digit year above ~2400 is BE.
- ชื่อเดือนไทยเต็มหรือย่อ (มกราคม / ม.ค. … ธันวาคม / ธ.ค.) และปี พ.ศ. 2 หลัก เช่น `15 ม.ค. 67` /
  Thai month names, full or abbreviated, and two-digit BE years, e.g. `15 ม.ค. 67`.
- รูปแบบวัน/เดือน/ปี เช่น `15/3/2567` และเวลาประทับของ Google Forms `15/3/2567, 10:22:01`;
  ISO `2024-03-15` (มีเขตเวลาได้ จะแปลงเป็นเวลาประเทศไทย); วันที่แบบตัวเลขของ Excel /
  day/month/year such as `15/3/2567`, Google Forms timestamps `15/3/2567, 10:22:01`, ISO
  `2024-03-15` (a time zone is converted to Asia/Bangkok), Excel date serials.
- คอลัมน์วันที่ที่อ่านแบบวัน/เดือนไม่ได้บางแถว แต่อ่านแบบเดือน/วันได้ทุกแถว (ไฟล์ Google Forms ที่ตั้งค่าภาษา
  อังกฤษแบบสหรัฐฯ เช่น `3/15/2024 10:21:33`) อ่านเป็นเดือน/วัน / a date column that reads only
  as month/day in every row (a US-locale Google Forms export, e.g. `3/15/2024 10:21:33`) is
  read as month/day.
- ปีงบประมาณ 1 ต.ค. – 30 ก.ย. เรียกตามปี พ.ศ. ที่สิ้นสุด (ปีงบประมาณ 2567 = 1 ต.ค. 2566 –
  30 ก.ย. 2567) คำนวณจากวันที่ของแต่ละแถว / The fiscal year runs 1 Oct – 30 Sep and is named
  by the BE year it ends in (FY2567 = 1 Oct 2023 – 30 Sep 2024); it is derived per row.
- เลขไทย ๐–๙ ใช้แทนเลขอารบิกได้ทุกที่ / Thai digits ๐–๙ are accepted wherever a number is.

## การเข้ารหัสไฟล์ / File encodings

ไฟล์ CSV อ่านได้ทั้ง UTF-8 มี BOM (Excel "CSV UTF-8" แนะนำ), UTF-8 และ Windows-874 (cp874 /
TIS-620) ตรวจตามลำดับนี้ / CSV files may be UTF-8 with a BOM (Excel's "CSV UTF-8",
recommended), plain UTF-8, or Windows-874 (cp874 / TIS-620), detected in that order. แม่แบบ
CSV ในโฟลเดอร์นี้บันทึกเป็น UTF-8 มี BOM / The CSV templates here are UTF-8 with a BOM.

## คอลัมน์คำตอบรายข้อในไฟล์ responses / Per-item columns of the responses file

นอกจากคอลัมน์ข้างต้น ไฟล์ `responses` มีหนึ่งคอลัมน์ต่อข้อคำถามใน `questionnaire` หัวคอลัมน์คือ
`column_header` ของข้อนั้น (ว่าง = `item_code`) จึงใช้ไฟล์ส่งออกจาก Google Forms ได้โดยตรงเมื่อกรอก
`column_header` เป็นข้อความคำถาม ช่องคำตอบใส่ป้ายของมาตรวัด (เช่น มากที่สุด มาก ปานกลาง น้อย
น้อยที่สุด) หรือคะแนน (5–1) ของมาตรวัดที่ระบุในคอลัมน์ `scale` ข้อที่ `reverse = ใช่` จะกลับคะแนนก่อน
สรุปผล / Besides the columns above, the `responses` file has one column per questionnaire item;
its header is the item's `column_header` (blank = `item_code`), so a Google Forms export works
as is when `column_header` holds the question text. A cell holds a label of the item's scale
(e.g. มากที่สุด, มาก, ปานกลาง, น้อย, น้อยที่สุด) or its score (5–1); items with `reverse = yes`
are flipped before any summary. Scales are data: `pmqa scales` lists the built-in ones.

`item_code` ต้องไม่ซ้ำกับชื่อคอลัมน์ของไฟล์ `responses` (เช่น `weight`) หรือ `fiscal_year`, `half`,
`quarter` ที่ระบบเพิ่มให้ หากหัวคอลัมน์ในไฟล์เป็นชื่อเหล่านี้ ให้ตั้งรหัสข้อใหม่และใส่หัวคอลัมน์เดิมใน
`column_header` / An `item_code` must not be a column name of the `responses` file (e.g.
`weight`) nor `fiscal_year`, `half` or `quarter`, which the kit adds; when a file's header is
one of them, give the item another code and put that header in `column_header`.

## คำตอบที่ไม่นับเป็นคะแนน / Missing-answer labels

ช่องว่าง และป้ายคำตอบที่หมายถึง "ไม่ตอบ" ของมาตรวัด เช่น `ไม่มีความเห็น`, `ไม่ตอบ`,
`ยังไม่มีบริการนี้` ถือเป็นค่าว่าง (ไม่ใช่คะแนน) ไม่นำมาคิดค่าเฉลี่ย และฐานร้อยละของแต่ละข้อคือจำนวน
ผู้ตอบข้อนั้น / Blank cells and the scale's missing labels such as `ไม่มีความเห็น` (no
opinion), `ไม่ตอบ` (no answer), `ยังไม่มีบริการนี้` (service not used) are missing values, not
scores: they are left out of means, and each item's percentages use that item's own n.
Values that are neither a label nor a score of the scale are reported by `pmqa validate`.
"""


def render_data_dictionary() -> str:
    """The bilingual data dictionary (Markdown) of every template; deterministic.

    Returns
    -------
    str
        One section per template with a table (column, required, type, Thai and English
        description, allowed values, example, header aliases), then notes on types, dates,
        encodings, the per-item columns of the responses file and missing-answer labels.

    Examples
    --------
    >>> md = render_data_dictionary()
    >>> md.splitlines()[0]
    '# พจนานุกรมข้อมูล / Data dictionary'
    >>> "| unit_name_th | ต้องมี / required | name |" in md
    True
    """
    parts = [_INTRO]
    for spec in load_template_specs().values():
        need = "ต้องมี / required" if spec.required else "ไม่บังคับ / optional"
        key = ", ".join(f"`{k}`" for k in spec.key)
        parts.append(
            f"## `{spec.name}` — {spec.title_th} / {spec.title_en}\n\n"
            f"ไฟล์ / file: `{spec.name}.csv` (.xlsx, .sav, .parquet) — {need}; "
            f"ค่าไม่ซ้ำ / unique key: {key}\n\n"
            + _md_table(_DICT_HEADER, _dictionary_rows(spec))
            + "\n"
        )
    types = _md_table(
        ["ชนิด / type", "ความหมาย (ไทย)", "Meaning (English)"],
        [[f"`{k}`", th, en] for k, (th, en) in COLUMN_TYPES.items()],
    )
    parts.append(_NOTES.format(types=types))
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the blank templates and ``DATA_DICTIONARY.md`` to ``OUT_DIR``.

    Usage: ``python -m pmqa_analysis.workspace.templates [OUT_DIR]`` (default ``data_templates``).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else Path("data_templates")
    paths = write_blank_templates(out)
    dictionary = out / "DATA_DICTIONARY.md"
    dictionary.write_bytes(render_data_dictionary().encode("utf-8"))
    for p in [*paths, dictionary]:
        print(p)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
