"""What the app's buttons do: plain functions over the same rooms the CLI calls.

Nothing here is a second implementation: an export is drafted by
:func:`~pmqa_analysis.workspace.form_export.infer_export` and written by
:func:`~pmqa_analysis.workspace.form_export_write.write_workspace` (``pmqa init
--from-export``); a workspace is checked by
:func:`~pmqa_analysis.workspace.loader.validate_workspace` (``pmqa validate``); reports are
made by the ``pmqa report`` command itself, in a child process the stop button can
interrupt (:class:`ReportRun`). This module adds only what a page needs around them: the
analyst's corrections to a draft (:func:`correct_draft`), the problems table as files to
download, the run's progress read from the run folder, and the list of outputs.

Examples
--------
>>> kind_of(Path("/nonexistent/export.csv"))
'export'
>>> run_folder(Path("/home/office"), Path("/home/office/ws 2568")).as_posix()
'/home/office/reports/ws 2568'
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmqa_analysis.core.errors import InputError

if TYPE_CHECKING:
    from pmqa_analysis.workspace.form_export import ExportDraft

__all__ = [
    "EXPORT_SUFFIXES",
    "ITEM_ROLE",
    "Output",
    "ReportRun",
    "UnitState",
    "correct_draft",
    "draft_export",
    "find_sources",
    "kind_of",
    "list_outputs",
    "problem_files",
    "run_folder",
    "save_draft",
    "unit_titles",
    "validate",
]

EXPORT_SUFFIXES = (".csv", ".xlsx", ".xls")
ITEM_ROLE = "item"
#: roles one column at most can take (the template column is the role's name)
SINGLE_ROLES = ("response_date", "unit_code", "group_code", "channel_code", "sex", "age_band",
                "education", "occupation", "comment_praise", "comment_improve",
                "comment_dissatisfied")  # fmt: skip
#: roles whose answers make a reference table: role -> (draft field, code prefix, digits)
REFERENCE_ROLES = {"unit_code": ("units", "U", 2), "group_code": ("groups", "G", 1),
                   "channel_code": ("channels", "CH", 2)}  # fmt: skip
NOT_USED = ("unused", "personal", "ambiguous", "unknown")


def kind_of(path: Path) -> str:
    """``"workspace"`` (a folder with settings.toml), ``"export"`` (a CSV/XLSX file) or
    ``"folder"``."""
    if path.is_dir():
        return "workspace" if (path / "settings.toml").is_file() else "folder"
    return "export" if path.suffix.lower() in EXPORT_SUFFIXES else "folder"


def find_sources(home: Path, depth: int = 2) -> list[Path]:
    """Workspaces (up to ``depth`` folders down) and form exports (top level) in ``home``."""
    found: list[Path] = []
    if (home / "settings.toml").is_file():
        found.append(home)
    level = [home]
    for _ in range(depth):
        nxt = []
        for folder in level:
            try:
                children = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
            except OSError:
                continue
            for child in children:
                if child.is_dir() and child.name != "reports":
                    nxt.append(child)
                    if (child / "settings.toml").is_file():
                        found.append(child)
        level = nxt
    found += [p for p in sorted(home.iterdir()) if p.is_file() and kind_of(p) == "export"]
    return found


def run_folder(home: Path, workspace: Path) -> Path:
    """Where the app keeps a workspace's reports: ``<home>/reports/<workspace name>``.

    Always the same folder for the same workspace, so a re-run skips what is unchanged
    (outside the workspace: its files' hashes are the run's inputs).
    """
    return home / "reports" / workspace.name


# --------------------------------------------------------------------------- 1. export


def draft_export(path: str | Path, sheet: str | None = None) -> ExportDraft:
    """The draft of ``pmqa init --from-export`` (nothing written)."""
    from pmqa_analysis.workspace.form_export import infer_export

    return infer_export(path, sheet=sheet or None)


def _first_seen(values: pd.Series) -> list[str]:
    """Distinct non-blank answers in order of first appearance."""
    out: dict[str, str] = {}
    for v in values:
        text = "" if pd.isna(v) else str(v).strip()
        if text:
            out.setdefault(" ".join(text.split()).casefold(), text)
    return list(out.values())


def _reference(role: str, answers: list[str], old: pd.DataFrame) -> pd.DataFrame:
    """A reference table (units, groups, channels) for a column newly given ``role``."""
    _, prefix, digits = REFERENCE_ROLES[role]
    code, name = old.columns[0], old.columns[1]
    frame = pd.DataFrame({c: "" for c in old.columns}, index=range(len(answers)))
    frame[code] = [f"{prefix}{i + 1:0{digits}d}" for i in range(len(answers))]
    frame[name] = answers
    if "kind" in frame:
        frame["kind"] = "recipient"
    return frame


def correct_draft(
    draft: ExportDraft,
    *,
    roles: Mapping[str, str] | None = None,
    scales: Mapping[str, str] | None = None,
    units: pd.DataFrame | None = None,
) -> ExportDraft:
    """The draft with the analyst's corrections (a new draft; the export is only read).

    Parameters
    ----------
    draft : ExportDraft
        From :func:`draft_export`.
    roles : mapping, optional
        Export header -> role (a key of ``form_export.ROLES``). A role one column takes
        (unit, group, date, sex …) moves to this column; the column that had it becomes
        "not used". A column newly made the unit, group or channel question gets its
        reference table from its answers. A column made a rating item needs its scale in
        ``scales`` (by header); a rating item made anything else leaves the questionnaire.
    scales : mapping, optional
        Item code (``Q01`` …) or export header -> scale name.
    units : DataFrame, optional
        The units table as corrected (codes, names in English, population); the Thai name
        stays the answer as written, which is how the answers find their unit.

    Raises
    ------
    InputError
        An unknown role or scale.
    """
    from pmqa_analysis.stats.scales import load_scales
    from pmqa_analysis.workspace.form_export import ROLES
    from pmqa_analysis.workspace.io import read_table

    roles, scales = dict(roles or {}), dict(scales or {})
    known_scales = load_scales()
    bad = [r for r in roles.values() if r not in ROLES] + [
        s for s in scales.values() if s not in known_scales
    ]
    if bad:
        raise InputError(f"unknown role or scale: {', '.join(map(repr, bad))}")
    columns = {c.header: c for c in draft.columns}
    column_map = dict(draft.column_map)
    q = draft.questionnaire.copy()
    changes: dict[str, Any] = {}
    frame: pd.DataFrame | None = None
    for header, role in roles.items():
        col = columns[header]
        if role == col.role:
            continue
        if col.role == ITEM_ROLE:
            q = q[q["column_header"] != header]
        for key, value in list(column_map.items()):
            if value == header:
                del column_map[key]
        new_column = ""
        if role in SINGLE_ROLES:
            previous = column_map.get(role)
            if previous is not None and previous in columns:
                columns[previous] = dataclasses.replace(columns[previous], role="unused",
                                                        column="")  # fmt: skip
            column_map[role] = header
            new_column = header
            if role in REFERENCE_ROLES:
                if frame is None:
                    frame = read_table(draft.export, sheet=draft.sheet).frame
                name = REFERENCE_ROLES[role][0]
                old = changes.get(name, getattr(draft, name))
                changes[name] = _reference(role, _first_seen(frame[header]), old)
        elif role == ITEM_ROLE:
            scale = str(scales.get(header) or (q["scale"].mode().iat[0] if len(q) else "th5"))
            codes = set(q["item_code"]) | set(draft.questionnaire["item_code"])
            n = len(codes) + 1
            while f"Q{n:02d}" in codes:
                n += 1
            new_column = f"Q{n:02d}"
            dim: dict[str, str] = {"dimension_code": "ALL", "dimension_th": "ภาพรวม",
                                   "dimension_en": "Overall"}  # fmt: skip
            if len(q):
                dim = {k: str(q.iloc[0][k]) for k in dim}
            row: dict[str, Any] = {str(c): "" for c in q.columns}
            row.update(item_code=new_column, item_th=header, scale=scale, reverse="no",
                       column_header=header, **dim)  # fmt: skip
            q = pd.concat([q, pd.DataFrame([row])], ignore_index=True)
        columns[header] = dataclasses.replace(
            col, role=role, column=new_column, check_th="", check_en=""
        )
    for key, scale in scales.items():
        hit = (q["item_code"] == key) | (q["column_header"] == key)
        q.loc[hit, "scale"] = scale
    if units is not None:
        base = changes.get("units", draft.units)
        fixed = units.reindex(columns=base.columns).fillna("")
        fixed["unit_name_th"] = base["unit_name_th"].to_numpy()  # the answers' names
        changes["units"] = fixed.astype(str)
    used = set(q["scale"])
    return dataclasses.replace(
        draft,
        columns=tuple(columns[c.header] for c in draft.columns),
        column_map=column_map,
        questionnaire=q.reset_index(drop=True),
        scales={k: v for k, v in {**draft.scales, **{s: known_scales[s] for s in used}}.items()
                if k in used},
        extra_missing={k: v for k, v in draft.extra_missing.items() if k in used},
        **changes,
    )  # fmt: skip


def save_draft(
    draft: ExportDraft, target: str | Path, *, province: str = "", language: str = "th"
) -> Path:
    """Write the (corrected) draft as a workspace (``write_workspace``: new folder, atomic)."""
    from pmqa_analysis.workspace.form_export_write import write_workspace

    write_workspace(draft, target, province=province, language=language)
    return Path(target)


# --------------------------------------------------------------------------- 2. validate


def validate(workspace: str | Path, language: str = "th") -> pd.DataFrame:
    """The problems table of ``pmqa validate`` (file, row, column, found, expected, fix)."""
    from pmqa_analysis.workspace.loader import validate_workspace

    return validate_workspace(workspace, language=language)


def problem_files(table: pd.DataFrame, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write the problems table as ``<stem>.csv`` (UTF-8 with BOM, for Excel) and ``.xlsx``."""
    folder.mkdir(parents=True, exist_ok=True)
    csv, xlsx = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    table.to_csv(csv, index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(xlsx, engine="xlsxwriter") as writer:
        table.to_excel(writer, index=False, sheet_name="problems")
        sheet = writer.sheets["problems"]
        for i, name in enumerate(table.columns):
            sheet.set_column(i, i, 40 if name in ("value", "expected", "hint") else 14)
    return csv, xlsx


def unit_titles(workspace: str | Path) -> dict[str, str]:
    """Unit code -> "code name" of a valid workspace (the order of its units file)."""
    from pmqa_analysis.workspace.loader import load_workspace

    survey = load_workspace(workspace)
    names = dict(zip(survey.units["unit_code"].astype(str), survey.units["unit_name_th"],
                     strict=True))  # fmt: skip
    return {str(c): f"{c} {names.get(str(c), '')}".strip() for c in survey.unit_codes()}


# --------------------------------------------------------------------------- 3. run


@dataclass
class UnitState:
    """One unit's place in a run: waiting, running, ok, failed or skipped."""

    code: str
    status: str = "waiting"
    error: str = ""
    duration_s: float = 0.0


@dataclass
class ReportRun:
    """``pmqa report WORKSPACE --out RUN --units …`` in a child process, watched.

    The child is the CLI itself, so the run, its skipping of unchanged units, its clear
    errors and its exit codes are the command's. Progress is read from the run folder
    (a unit's temporary folder appears while it runs; its ``status.json`` when done).
    """

    workspace: Path
    out: Path
    units: Sequence[str]
    language: str = "th"
    log_path: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    stopped: bool = False
    states: dict[str, UnitState] = field(default_factory=dict)

    def command(self) -> list[str]:
        """The command line (the same ``pmqa`` command a terminal user types)."""
        return [sys.executable, "-m", "pmqa_analysis.cli", "--language", self.language,
                "report", str(self.workspace), "--out", str(self.out),
                "--units", ",".join(self.units), "--quiet"]  # fmt: skip

    def start(self) -> ReportRun:
        """Start the child process (its own process group, so stop reaches its workers)."""
        from pmqa_analysis.core.files import unit_slug

        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = self.log_path or self.out.parent / f"{self.out.name}.log"
        self.states = {c: UnitState(c) for c in self.units}
        self._slugs = {c: unit_slug(c) for c in self.units}
        self.started = time.time()
        kwargs: dict[str, Any] = {}
        if os.name == "nt":  # pragma: no cover - Windows offices
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, **kwargs)  # fmt: skip
        return self

    @property
    def running(self) -> bool:
        """True while the child process runs."""
        return self.proc is not None and self.proc.poll() is None

    def poll(self) -> dict[str, UnitState]:
        """Each unit's state now (from the run folder; from ``manifest.json`` at the end)."""
        units = self.out / "units"
        for code, state in self.states.items():
            if state.status in ("ok", "failed", "skipped"):
                continue
            slug = self._slugs[code]
            status = units / slug / "status.json"
            try:
                done = status.stat().st_mtime >= self.started - 1
            except OSError:
                done = False
            if done:
                record = json.loads(status.read_text(encoding="utf-8"))
                state.status = str(record.get("status", "failed"))
                state.error = str(record.get("error", ""))
                state.duration_s = float(record.get("duration_s", 0.0))
            elif units.is_dir() and any(units.glob(f".{slug}.tmp-*")):
                state.status = "running"
        if not self.running:
            self._finish()
        return self.states

    def _finish(self) -> None:
        """Final states from ``manifest.json``: this run's, or the last one's when the run
        found nothing changed (``pmqa report``'s no-op re-run writes no new manifest)."""
        manifest = self.out / "manifest.json"
        try:
            fresh = manifest.stat().st_mtime >= self.started - 1
            records = json.loads(manifest.read_text(encoding="utf-8"))["units"]
        except (OSError, ValueError, KeyError):
            fresh, records = False, []
        for rec in records:
            state = self.states.get(str(rec.get("unit_code")))
            if state is None:
                continue
            if fresh:
                state.status = str(rec.get("status", state.status))
                state.error = str(rec.get("error", "") or "")
                state.duration_s = float(rec.get("duration_s", 0.0) or 0.0)
            elif self.exit_code == 0 and state.status == "waiting":
                if rec.get("status") in ("ok", "skipped"):
                    state.status = "skipped"

    @property
    def exit_code(self) -> int | None:
        """The command's exit code (None while it runs): 0 ok, 1 some failed, 2 invalid."""
        return None if self.proc is None else self.proc.poll()

    def message(self) -> str:
        """The command's own last lines (its clear error when the input was refused)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return "\n".join(lines[-15:])

    def stop(self, timeout: float = 30) -> None:
        """Interrupt the run as Ctrl-C would (finished units stay; the rest is not written)."""
        if not self.running or self.proc is None:
            return
        self.stopped = True
        if os.name == "nt":  # pragma: no cover
            self.proc.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
        else:
            os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            if os.name != "nt":
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:  # pragma: no cover
                self.proc.kill()
            self.proc.wait(10)
        for state in self.states.values():
            if state.status in ("waiting", "running"):
                state.status = "stopped"


# --------------------------------------------------------------------------- 4. outputs


@dataclass(frozen=True)
class Output:
    """One file of a run folder to open: its group, label and path inside the run."""

    group: str
    label: str
    path: str


_OUTPUT_LABELS = {
    "index.html": ("หน้ารวม", "index"),
    "province/overview.html": ("ภาพรวมจังหวัด", "province overview"),
    "province/committee.xlsx": ("สรุปสำหรับคณะกรรมการ (Excel)", "committee workbook"),
    "province/improvement_plan.xlsx": ("แผนปรับปรุง (Excel)", "improvement plan workbook"),
    "province/plan_progress.csv": ("ความก้าวหน้าแผน (CSV)", "plan progress (CSV)"),
}
_UNIT_LABELS = {
    "report.html": ("รายงาน", "report"),
    "report.pdf": ("PDF", "PDF"),
    "report.xlsx": ("Excel", "workbook"),
    "self_assessment.html": ("ประเมินตนเอง", "self-assessment"),
    "improvement_plan.xlsx": ("แผนปรับปรุง", "improvement plan"),
}


def list_outputs(run_dir: Path, language: str = "th") -> list[Output]:
    """The files of a run folder a person opens: index, province, units, booklets."""
    i = 0 if language == "th" else 1
    out: list[Output] = []
    for rel, labels in _OUTPUT_LABELS.items():
        if (run_dir / rel).is_file():
            out.append(Output("run", labels[i], rel))
    for booklet in sorted(run_dir.rglob("*booklet*")):
        if booklet.is_file() and not any(part.startswith(".") for part in booklet.parts):
            out.append(Output("run", booklet.name, booklet.relative_to(run_dir).as_posix()))
    units = run_dir / "units"
    for folder in sorted(units.iterdir()) if units.is_dir() else []:
        if folder.name.startswith(".") or not (folder / "status.json").is_file():
            continue
        for name, labels in _UNIT_LABELS.items():
            if (folder / name).is_file():
                out.append(Output(folder.name, labels[i], f"units/{folder.name}/{name}"))
    return out
