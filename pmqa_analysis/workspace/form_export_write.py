r"""Write a workspace drafted from one form export (``pmqa init DIR --from-export FILE``).

:func:`write_workspace` writes into a temporary folder beside the target and renames it into
place, so a failure leaves nothing half-written:

- the export itself, copied byte for byte under its own name (checked by hash);
- ``units.csv``, ``groups.csv``, ``channels.csv``, ``questionnaire.csv`` (UTF-8 with BOM,
  like the kit's templates);
- ``settings.toml``: fiscal year and round from the dates, ``[files]`` naming the export and
  ``[columns.responses]`` mapping template columns to the export's headers;
- ``scales.toml`` only when the export uses "no answer" labels a scale does not know
  (the built-in scale, same name, with those labels added as missing).

:func:`format_draft` renders the draft's column table for the terminal (Thai or English).

Examples
--------
>>> print(toml_string('ข้อ "1" C:\\forms'))
"ข้อ \"1\" C:\\forms"
>>> cut("ความสะดวกของขั้นตอนการให้บริการ", 10)
'ความสะดวก…'
>>> width("ที่ว่าการอำเภอ")
11
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import unicodedata
from pathlib import Path

import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.files import sha256_file
from pmqa_analysis.stats.scales import Scale
from pmqa_analysis.workspace.config import (
    SETTINGS_FILE,
    TEMPLATE_EXTENSIONS,
    Settings,
    settings_toml,
)
from pmqa_analysis.workspace.form_export import ExportDraft
from pmqa_analysis.workspace.templates import load_template_specs

__all__ = [
    "check_target",
    "cut",
    "format_draft",
    "scales_text",
    "settings_text",
    "toml_string",
    "width",
    "write_workspace",
]

SCALES_FILE = "scales.toml"
_REFERENCE_FILES = ("units", "groups", "channels", "questionnaire")
_CAPS = (4, 38, 24, 30)  # display widths of the columns #, header, role, detail


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    out = []
    for ch in str(text):
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else toml_string(name)


def width(text: str) -> int:
    """Terminal columns of ``text``: Thai vowel and tone marks take none, wide characters two."""
    total = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` terminal columns with "…" (marks stay with their letter)."""
    text = " ".join(str(text).split())
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if w and used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, size: int) -> str:
    return text + " " * max(size - width(text), 0)


def format_draft(draft: ExportDraft, language: str = "th") -> str:
    """The draft as the terminal shows it: a title, one line per export column, notes."""
    th = language == "th"
    table = draft.table(language)
    head = ["#", *table.columns]
    records = table.itertuples(index=False)
    rows = [[str(c.position), *map(str, rec)]
            for c, rec in zip(draft.columns, records, strict=True)]  # fmt: skip
    sizes = [min(cap, max(width(r[i]) for r in [head, *rows])) for i, cap in enumerate(_CAPS)]
    lines = []
    enc = f", {draft.encoding}" if draft.encoding else ""
    sheet = f", {'แผ่นงาน' if th else 'sheet'} {draft.sheet}" if draft.sheet else ""
    lines.append(
        f"ร่างพื้นที่ทำงานจาก {draft.export.name}{enc}{sheet}: {draft.n_rows} คำตอบ, "
        f"{len(draft.columns)} คอลัมน์" if th else
        f"draft workspace from {draft.export.name}{enc}{sheet}: {draft.n_rows} responses, "
        f"{len(draft.columns)} columns"
    )  # fmt: skip
    for r in [head, *rows]:
        cells = [_pad(cut(r[i], sizes[i]), sizes[i]) for i in range(4)]
        lines.append("  ".join([*cells, r[4]]).rstrip())
    scales = sorted(set(draft.questionnaire["scale"]))
    fy = draft.fiscal_year or "-"
    counts = (len(draft.units), len(draft.groups), len(draft.channels), len(draft.questionnaire))
    summary = (
        "หน่วยงาน {} · กลุ่ม {} · ช่องทาง {} · ข้อคำถาม {} ({}) · ปีงบประมาณ {} · รอบ {}" if th
        else "units {} · groups {} · channels {} · items {} ({}) · fiscal year {} · round {}"
    )  # fmt: skip
    lines.append(summary.format(*counts, ", ".join(scales) or "-", fy, draft.round))
    for note in draft.notes:
        lines.append(f"- {note[0 if th else 1]}")
    return "\n".join(lines)


def check_target(target: str | Path, language: str = "th") -> Path:
    """The target folder must be new or empty; raises :class:`InputError` otherwise."""
    p = Path(target)
    if p.exists() and (not p.is_dir() or any(p.iterdir())):
        raise InputError(
            f"{p} มีไฟล์อยู่แล้ว เลือกโฟลเดอร์ใหม่ (หรือโฟลเดอร์ว่าง) ระบบไม่เขียนทับ / {p} is not "
            "empty; choose a new (or empty) folder: nothing is overwritten"
        )
    return p


def settings_text(draft: ExportDraft, province: str = "") -> str:
    """``settings.toml``: the kit's settings, then the ``[files]`` and column map."""
    safe = toml_string(province)[1:-1]
    base = settings_toml(Settings(province=safe, fiscal_year=draft.fiscal_year, round=draft.round))
    name = toml_string(draft.export.name)
    lines = ["", "# ไฟล์คำตอบตามที่ดาวน์โหลดจากแบบฟอร์ม (ไม่แก้ไข) / the form export, as downloaded"]
    if draft.sheet:
        lines += ["[files.responses]", f"path = {name}", f"sheet = {toml_string(draft.sheet)}"]
    else:
        lines += ["[files]", f"responses = {name}"]
    lines += ["", "# คอลัมน์ของแม่แบบ = หัวคอลัมน์ในไฟล์ / template column = the export's header",
              "[columns.responses]"]  # fmt: skip
    order = load_template_specs()["responses"].column_names
    for column in sorted(draft.column_map, key=order.index):
        lines.append(f"{column} = {toml_string(draft.column_map[column])}")
    return base + "\n".join(lines) + "\n"


def scales_text(draft: ExportDraft) -> str:
    """``scales.toml``: each scale the export needs, with its extra "no answer" labels."""
    lines = [
        "# มาตรวัดของพื้นที่ทำงานนี้ (pmqa init --from-export): มาตรวัดในระบบชื่อเดิม",
        "# เพิ่มคำตอบที่ถือว่า 'ไม่ตอบ' ตามที่แบบฟอร์มใช้",
        "# Scales of this workspace: the built-in scale of the same name, with the form's",
        "# extra 'no answer' labels added to `missing`.",
    ]
    for name, scale in draft.scales.items():
        lines += ["", *_scale_lines(name, scale, draft.extra_missing.get(name, ()))]
    return "\n".join(lines) + "\n"


def _scale_lines(name: str, scale: Scale, extra: tuple[str, ...]) -> list[str]:
    lines = [f"[scales.{_key(name)}]", f"title_th = {toml_string(scale.title_th)}",
             f"title_en = {toml_string(scale.title_en)}"]  # fmt: skip
    if scale.note:
        lines.append(f"note = {toml_string(scale.note)}")
    lines.append("levels = [")
    for s, th, en in zip(scale.scores, scale.labels_th, scale.labels_en, strict=True):
        lines.append(f"  {{ score = {s}, th = {toml_string(th)}, en = {toml_string(en)} }},")
    lines.append("]")
    if scale.aliases:
        pairs = ", ".join(f"{toml_string(a)} = {s}" for a, s in scale.aliases.items())
        lines.append(f"aliases = {{ {pairs} }}")
    missing = sorted(set(scale.missing) | set(extra))
    lines.append("missing = [" + ", ".join(toml_string(m) for m in missing) + "]")
    return lines


def _check_name(draft: ExportDraft, language: str) -> None:
    """The export's name must not be taken for another template's file."""
    p = draft.export
    others = set(load_template_specs()) - {"responses"}
    if p.name.casefold() in (SETTINGS_FILE, SCALES_FILE) or (
        p.stem.casefold() in others and p.suffix.lower() in TEMPLATE_EXTENSIONS
    ):
        raise InputError(
            f"ชื่อไฟล์ {p.name} ซ้ำกับชื่อไฟล์ของพื้นที่ทำงาน เปลี่ยนชื่อไฟล์ (เช่น "
            f"แบบสำรวจ{p.suffix}) แล้วสั่งใหม่ / the export's name {p.name} is the name of a "
            f"workspace file; rename it (e.g. survey{p.suffix}) and run the command again"
        )


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def write_workspace(
    draft: ExportDraft, target: str | Path, *, province: str = "", language: str = "th"
) -> list[Path]:
    """Write the drafted workspace into ``target`` (new or empty); returns the files written.

    Raises
    ------
    InputError
        ``target`` is not empty, the draft has blocking problems, or the export's name is a
        template's. Nothing is left behind.
    """
    final = check_target(target, language)
    draft.raise_if_blocking(language)
    _check_name(draft, language)
    parent = final.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f".{final.name}.tmp-{os.getpid()}-{secrets.token_hex(3)}"
    os.mkdir(tmp)  # the umask applies, as for any new folder
    try:
        copy = tmp / draft.export.name
        shutil.copyfile(draft.export, copy)
        if sha256_file(copy) != sha256_file(draft.export):  # pragma: no cover - disk trouble
            raise InputError(f"copying {draft.export} changed its bytes; try again")
        for name in _REFERENCE_FILES:
            _write_csv(getattr(draft, name), tmp / f"{name}.csv")
        (tmp / SETTINGS_FILE).write_text(settings_text(draft, province), encoding="utf-8")
        if draft.scales:
            (tmp / SCALES_FILE).write_text(scales_text(draft), encoding="utf-8")
        check_target(final, language)  # still empty: nothing appeared meanwhile
        if final.exists():
            final.rmdir()
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(final.iterdir())
