"""The app's page: ipywidgets over :mod:`pmqa_analysis.app.steps` (served by Voilà).

Four steps on one page — choose (and correct an export's drafted mapping), validate, run,
open — in Thai or English. Every value read from a file is escaped before it is shown.
The page is built by ``App.from_environment()`` in the served notebook (``app.ipynb``),
which reads ``PMQA_APP_HOME`` (the folder whose files the server serves),
``PMQA_APP_SOURCE`` (what to open first) and ``PMQA_APP_LANGUAGE``.
"""

from __future__ import annotations

import html
import os
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import ipywidgets as w
import pandas as pd

from pmqa_analysis.app import steps
from pmqa_analysis.app.texts import t
from pmqa_analysis.core.errors import PMQAError

__all__ = ["App"]

FILES_URL = "/pmqa/files/"
ROLE_CHOICES = ("response_date", "unit_code", "group_code", "channel_code", "sex", "age_band",
                "education", "occupation", "item", "comment_praise", "comment_improve",
                "comment_dissatisfied", "unused")  # fmt: skip
_STATUS_STYLE = {"ok": "success", "skipped": "success", "failed": "danger", "running": "info",
                 "stopped": "warning", "waiting": ""}  # fmt: skip
_CSS = """<style>
:root { --jp-widgets-font-family: Sarabun, sans-serif; }
.pmqa-app { font-family: Sarabun, sans-serif; max-width: 1100px; }
.pmqa-app button, .pmqa-app select, .pmqa-app input, .pmqa-app label, .pmqa-app option
  { font-family: Sarabun, sans-serif !important; font-size: 14px; }
.pmqa-app table { border-collapse: collapse; font-size: 13px; }
.pmqa-app th, .pmqa-app td { border: 1px solid #ccc; padding: 2px 6px; text-align: left;
  vertical-align: top; }
.pmqa-app .pmqa-error { color: #a00; white-space: pre-wrap; }
.pmqa-app .pmqa-ok { color: #060; }
.pmqa-app h3 { margin: 14px 0 4px 0; border-bottom: 2px solid #446; }
.pmqa-app tr.pmqa-error td { background: #fde8e8; }
.pmqa-app tr.pmqa-warning td { background: #fff8e1; }
</style>"""


def _esc(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(
        str(value))  # fmt: skip


class App:
    """The whole page; ``App(home).widget`` is what Voilà shows."""

    def __init__(self, home: str | Path, source: str | Path | None = None,
                 language: str = "th", files_url: str = FILES_URL) -> None:  # fmt: skip
        self.home = Path(home).absolute()
        self.lang = language if language in ("th", "en") else "th"
        self.files_url = files_url
        self.workspace: Path | None = None
        self.draft: Any = None
        self.problems: pd.DataFrame | None = None
        self.valid = False
        self.run: steps.ReportRun | None = None
        self._watcher: threading.Thread | None = None
        self._labels: list[tuple[Any, str, str]] = []  # (widget, attribute, text key)
        self._build()
        if source:
            self.source.value = str(source)
            self.open_source()

    @classmethod
    def from_environment(cls) -> App:
        """The app as the server configured it (environment variables)."""
        return cls(
            os.environ.get("PMQA_APP_HOME") or Path.cwd(),
            os.environ.get("PMQA_APP_SOURCE") or None,
            os.environ.get("PMQA_APP_LANGUAGE") or "th",
            os.environ.get("PMQA_APP_FILES_URL") or FILES_URL,
        )

    # ------------------------------------------------------------------ building
    def _label(self, widget: Any, attribute: str, key: str) -> Any:
        self._labels.append((widget, attribute, key))
        setattr(widget, attribute, t(key, self.lang))
        return widget

    def _heading(self, key: str) -> w.HTML:
        box = w.HTML()
        self._labels.append((box, "_heading", key))
        box.value = f"<h3>{_esc(t(key, self.lang))}</h3>"
        return box

    def _button(self, key: str, css: str, style: str = "") -> w.Button:
        b = w.Button(button_style=style, layout=w.Layout(width="auto"))
        b.add_class(css)
        return self._label(b, "description", key)

    def _build(self) -> None:
        self.title = w.HTML()
        self.language = w.ToggleButtons(options=[("ไทย", "th"), ("English", "en")],
                                        value=self.lang)  # fmt: skip
        self.language.add_class("pmqa-language")
        self.language.observe(self._on_language, names="value")
        # 1. choose
        self.source = w.Combobox(options=[str(p) for p in steps.find_sources(self.home)],
                                 ensure_option=False, layout=w.Layout(width="640px"))  # fmt: skip
        self.source.add_class("pmqa-source")
        self._label(self.source, "placeholder", "source_placeholder")
        self.step1_help = w.HTML()
        self.open_button = self._button("open", "pmqa-open", "primary")
        self.open_button.on_click(lambda _: self.open_source())
        self.source_msg = w.HTML()
        self.source_msg.add_class("pmqa-source-msg")
        self.mapping = w.VBox()
        self.mapping.add_class("pmqa-mapping")
        # 2. validate
        self.validate_button = self._button("validate", "pmqa-validate", "primary")
        self.validate_button.on_click(lambda _: self.validate())
        self.summary = w.HTML()
        self.summary.add_class("pmqa-summary")
        self.severity = w.Dropdown(layout=w.Layout(width="200px"))
        self.severity.add_class("pmqa-severity")
        self.search = w.Text(layout=w.Layout(width="260px"), continuous_update=False)
        self.search.add_class("pmqa-search")
        for widget in (self.severity, self.search):
            widget.observe(lambda _: self._show_problems(), names="value")
        self.problems_view = w.HTML()
        self.problems_view.add_class("pmqa-problems")
        self.downloads = w.HTML()
        self.downloads.add_class("pmqa-downloads")
        # 3. run
        self.unit_boxes = w.VBox()
        self.unit_boxes.add_class("pmqa-units")
        self.run_button = self._button("run", "pmqa-run", "success")
        self.run_button.disabled = True
        self.run_button.on_click(lambda _: self.start_run())
        self.stop_button = self._button("stop", "pmqa-stop", "danger")
        self.stop_button.disabled = True
        self.stop_button.on_click(lambda _: self.stop_run())
        self.run_msg = w.HTML()
        self.run_msg.add_class("pmqa-run-msg")
        self.progress = w.VBox()
        self.progress.add_class("pmqa-progress")
        # 4. outputs
        self.outputs = w.HTML()
        self.outputs.add_class("pmqa-outputs")
        from pmqa_analysis.report.export import font_css  # Sarabun, embedded: Thai everywhere

        self.widget = w.VBox([
            w.HTML(font_css() + _CSS), self.title, self.language,
            self._heading("step1"), self.step1_help,
            w.HBox([self.source, self.open_button]), self.source_msg, self.mapping,
            self._heading("step2"), w.HBox([self.validate_button]), self.summary,
            w.HBox([self.severity, self.search]), self.problems_view, self.downloads,
            self._heading("step3"), self.unit_boxes, w.HBox([self.run_button, self.stop_button]),
            self.run_msg, self.progress,
            self._heading("step4"), self.outputs,
        ])  # fmt: skip
        self.widget.add_class("pmqa-app")
        self._relabel()

    def _relabel(self) -> None:
        lang = self.lang
        self.title.value = (f"<h2>{_esc(t('title', lang))}</h2>"
                            f"<p>{_esc(t('subtitle', lang))}</p>")  # fmt: skip
        self.step1_help.value = f"<p>{_esc(t('step1_help', lang))}</p>"
        for widget, attribute, key in self._labels:
            if attribute == "_heading":
                widget.value = f"<h3>{_esc(t(key, lang))}</h3>"
            else:
                setattr(widget, attribute, t(key, lang))
        keep = self.severity.value
        self.severity.options = [(t("all", lang), "all"), (t("error", lang), "error"),
                                 (t("warning", lang), "warning")]  # fmt: skip
        self.severity.value = keep or "all"
        self.severity.description = t("filter_severity", lang)
        self.search.description = t("filter_text", lang)

    def _on_language(self, change: dict[str, Any]) -> None:
        self.lang = str(change["new"])
        self._relabel()
        if self.draft is not None:
            self._show_mapping()
        if self.problems is not None and self.workspace is not None:
            self.validate()
        self._show_outputs()

    def show(self) -> Any:
        """Display the page (in Voilà or a notebook)."""
        from IPython.display import display

        display(self.widget)
        return None

    # ------------------------------------------------------------------ 1. choose
    def _fail(self, target: w.HTML, text: str) -> None:
        target.value = f"<div class='pmqa-error'>{_esc(text)}</div>"

    def open_source(self) -> None:
        """Open what the source box names: a workspace (validate it) or an export (draft)."""
        raw = (self.source.value or "").strip()
        path = Path(raw).expanduser()
        if raw and not path.is_absolute():
            path = self.home / path
        self.mapping.children = ()
        self.draft = None
        if not raw or not path.exists():
            return self._fail(self.source_msg, t("not_found", self.lang, path=raw or "-"))
        kind = steps.kind_of(path)
        if kind == "workspace":
            self.source_msg.value = (
                f"<div class='pmqa-ok'>{_esc(t('opened_workspace', self.lang, path=path))}</div>"
            )
            self.set_workspace(path)
            return None
        if kind != "export":
            return self._fail(self.source_msg, t("not_a_source", self.lang, path=path))
        try:
            self.draft = steps.draft_export(path)
        except PMQAError as exc:
            return self._fail(self.source_msg, str(exc))
        self.source_msg.value = _esc(t("opened_export", self.lang, name=path.name,
                                       rows=self.draft.n_rows))  # fmt: skip
        self._show_mapping()
        return None

    def _show_mapping(self) -> None:
        from pmqa_analysis.stats.scales import load_scales
        from pmqa_analysis.workspace.form_export import ROLES

        lang, draft = self.lang, self.draft
        i = 0 if lang == "th" else 1
        scales = list(load_scales())
        item_scales = dict(zip(draft.questionnaire["column_header"], draft.questionnaire["scale"],
                               strict=True))  # fmt: skip
        head = w.HTML("<table><tr>" + "".join(
            f"<th style='width:{wd}px'>{_esc(t(k, lang))}</th>"
            for k, wd in (("col_header", 330), ("col_role", 230), ("col_scale", 120),
                          ("col_check", 330))) + "</tr></table>")  # fmt: skip
        rows: list[Any] = [head]
        self.role_widgets: dict[str, w.Dropdown] = {}
        self.scale_widgets: dict[str, w.Dropdown] = {}
        for col in draft.columns:
            choices = list(ROLE_CHOICES)
            if col.role not in choices:
                choices.append(col.role)
            role = w.Dropdown(options=[(ROLES[r][i], r) for r in choices], value=col.role,
                              layout=w.Layout(width="230px"))  # fmt: skip
            role.add_class("pmqa-role")
            scale = w.Dropdown(options=scales, value=item_scales.get(col.header, scales[0]),
                               layout=w.Layout(width="120px"),
                               disabled=col.role != "item")  # fmt: skip
            scale.add_class("pmqa-scale")
            role.observe(lambda ch, s=scale: setattr(s, "disabled", ch["new"] != "item"),
                         names="value")  # fmt: skip
            self.role_widgets[col.header] = role
            self.scale_widgets[col.header] = scale
            name = w.HTML(f"{col.position}. {_esc(col.header)}", layout=w.Layout(width="330px"))
            check = w.HTML(_esc(col.check_th if i == 0 else col.check_en),
                           layout=w.Layout(width="330px"))  # fmt: skip
            row = w.HBox([name, role, scale, check])
            row.add_class("pmqa-mapping-row")
            rows.append(row)
        rows.append(w.HTML(f"<b>{_esc(t('units_table', lang))}</b>"))
        self.unit_widgets: list[tuple[w.Text, w.Text]] = []
        for rec in draft.units.to_dict("records"):
            code = w.Text(value=str(rec["unit_code"]), layout=w.Layout(width="120px"))
            code.add_class("pmqa-unit-code")
            name_en = w.Text(
                value=str(rec.get("unit_name_en", "") or ""),
                placeholder=t("unit_en", lang),
                layout=w.Layout(width="330px"),
            )
            name_en.add_class("pmqa-unit-en")
            self.unit_widgets.append((code, name_en))
            rows.append(
                w.HBox(
                    [
                        code,
                        w.HTML(_esc(rec["unit_name_th"]), layout=w.Layout(width="330px")),
                        name_en,
                    ]
                )
            )
        self.target = w.Text(value=str(self._free_target(draft.export)),
                             description=t("target", lang), layout=w.Layout(width="640px"),
                             style={"description_width": "200px"})  # fmt: skip
        self.target.add_class("pmqa-target")
        self.province = w.Text(
            description=t("province", lang), style={"description_width": "200px"}
        )
        save = self._button("save", "pmqa-save", "primary")
        save.on_click(lambda _: self.save_export())
        self.save_msg = w.HTML()
        self.save_msg.add_class("pmqa-save-msg")
        notes = "".join(f"<li>{_esc(n[i])}</li>" for n in draft.notes)
        blocking = "".join(f"<li>{_esc(b[i])}</li>" for b in draft.blocking)
        if blocking:
            head = _esc(t("blocking", lang))
            notes += f"</ul><div class='pmqa-error'>{head}<ul>{blocking}</ul></div><ul>"
        rows += [w.HTML(f"<ul>{notes}</ul>"), self.target, self.province, w.HBox([save]),
                 self.save_msg]  # fmt: skip
        self.mapping.children = tuple(rows)

    def _free_target(self, export: Path) -> Path:
        base = self.home / export.stem
        n = 2
        target = base
        while target.exists() and (not target.is_dir() or any(target.iterdir())):
            target = base.with_name(f"{base.name}-{n}")
            n += 1
        return target

    def corrections(self) -> dict[str, Any]:
        """The analyst's corrections as :func:`steps.correct_draft` takes them."""
        draft = self.draft
        roles = {h: d.value for h, d in self.role_widgets.items()
                 if d.value != draft.role_of(h).role}  # fmt: skip
        scales = {h: d.value for h, d in self.scale_widgets.items() if not d.disabled}
        units = draft.units.copy()
        units["unit_code"] = [c.value.strip() for c, _ in self.unit_widgets]
        units["unit_name_en"] = [e.value.strip() for _, e in self.unit_widgets]
        return {"roles": roles, "scales": scales, "units": units}

    def save_export(self) -> Path | None:
        """Apply the corrections and write the workspace (the export is copied, untouched)."""
        target = Path(self.target.value.strip() or self._free_target(self.draft.export))
        if not target.is_absolute():
            target = self.home / target
        try:
            fixed = steps.correct_draft(self.draft, **self.corrections())
            steps.save_draft(fixed, target, province=self.province.value.strip(),
                             language=self.lang)  # fmt: skip
        except PMQAError as exc:
            self._fail(self.save_msg, str(exc))
            return None
        self.save_msg.value = (f"<div class='pmqa-ok'>"
                               f"{_esc(t('saved', self.lang, path=target))}</div>")  # fmt: skip
        self.source.options = [str(p) for p in steps.find_sources(self.home)]
        self.set_workspace(target)
        return target

    def set_workspace(self, path: Path) -> None:
        """Make ``path`` the workspace of steps 2-4 and validate it."""
        self.workspace = path
        self.valid = False
        self.run_button.disabled = True
        self.unit_boxes.children = ()
        self.progress.children = ()
        self.validate()
        self._show_outputs()

    # ------------------------------------------------------------------ 2. validate
    def validate(self) -> None:
        """Validate the workspace (``pmqa validate``); enable the run when there is no error."""
        if self.workspace is None:
            return self._fail(self.summary, t("not_found", self.lang, path="-"))
        self.summary.value = _esc(t("checking", self.lang))
        self.run_button.disabled = True
        try:
            table = steps.validate(self.workspace, self.lang)
        except PMQAError as exc:
            self.problems = None
            self.problems_view.value = self.downloads.value = ""
            return self._fail(self.summary, str(exc))
        self.problems = table
        errors = int((table["severity"] == "error").sum())
        warnings = int((table["severity"] == "warning").sum())
        text = t("summary", self.lang, errors=errors, warnings=warnings)
        if errors:
            self.summary.value = (f"<div class='pmqa-error'><b>{_esc(text)}</b> — "
                                  f"{_esc(t('fix_first', self.lang))}</div>")  # fmt: skip
        else:
            self.summary.value = (f"<div class='pmqa-ok'><b>{_esc(text)}</b> — "
                                  f"{_esc(t('ready', self.lang))}</div>")  # fmt: skip
        self.valid = errors == 0
        self._show_problems()
        self._write_downloads(table)
        if self.valid:
            self._show_units()
        else:
            self.unit_boxes.children = ()
        self.run_button.disabled = not self.valid or (self.run is not None and self.run.running)
        return None

    def _show_problems(self) -> None:
        table = self.problems
        if table is None:
            self.problems_view.value = ""
            return
        if not len(table):
            self.problems_view.value = f"<p class='pmqa-ok'>{_esc(t('no_problems', self.lang))}</p>"
            return
        shown = table
        if self.severity.value in ("error", "warning"):
            shown = shown[shown["severity"] == self.severity.value]
        needle = (self.search.value or "").strip().casefold()
        if needle:
            text = shown.astype(str).agg(" ".join, axis=1).str.casefold()
            shown = shown[text.str.contains(needle, regex=False)]
        cols = ("severity", "file", "row", "column", "value", "expected", "hint")
        head = "".join(f"<th>{_esc(t('p_' + c, self.lang))}</th>" for c in cols)
        body = "".join(
            f"<tr class='pmqa-{_esc(kind)}'>"
            + "".join(f"<td>{_esc(_cell(rec[c]))}</td>" for c in cols)
            + "</tr>"
            for kind, rec in zip(
                shown["severity"].head(500),
                self._translated(shown.head(500)).to_dict("records"),
                strict=True,
            )
        )
        count = _esc(t("showing", self.lang, shown=min(len(shown), 500), total=len(table)))
        self.problems_view.value = f"<p>{count}</p><table><tr>{head}</tr>{body}</table>"

    def _translated(self, frame: pd.DataFrame) -> pd.DataFrame:
        words = {"error": t("error", self.lang), "warning": t("warning", self.lang)}
        return frame.assign(severity=frame["severity"].map(lambda s: words.get(s, s)))

    def _url(self, path: Path) -> str:
        rel = path.absolute().relative_to(self.home).as_posix()
        return self.files_url + quote(rel)

    def _write_downloads(self, table: pd.DataFrame) -> None:
        if self.workspace is None or not len(table):
            self.downloads.value = ""
            return
        folder = self.home / "reports"
        csv, xlsx = steps.problem_files(table, folder, f"{self.workspace.name}-problems")
        self.downloads.value = (
            f"{_esc(t('download', self.lang))} "
            f"<a class='pmqa-download-csv' href='{self._url(csv)}' download>CSV</a> · "
            f"<a class='pmqa-download-xlsx' href='{self._url(xlsx)}' download>XLSX</a>"
        )

    # ------------------------------------------------------------------ 3. run
    def _show_units(self) -> None:
        assert self.workspace is not None
        try:
            titles = steps.unit_titles(self.workspace)
        except PMQAError as exc:
            return self._fail(self.run_msg, str(exc))
        self.unit_checks = {}
        for code, title in titles.items():
            box = w.Checkbox(value=True, description=title, indent=False,
                             layout=w.Layout(width="600px"))  # fmt: skip
            box.add_class("pmqa-unit")
            self.unit_checks[code] = box
        self.unit_boxes.children = (w.HTML(f"<b>{_esc(t('units', self.lang))}</b>"),
                                    *self.unit_checks.values())  # fmt: skip
        return None

    def start_run(self) -> None:
        """Run ``pmqa report`` on the chosen units; progress, stop and outputs follow."""
        if self.workspace is None or not self.valid:
            return self._fail(self.run_msg, t("validate_first", self.lang))
        if self.run is not None and self.run.running:
            return None
        units = [c for c, box in self.unit_checks.items() if box.value]
        if not units:
            return self._fail(self.run_msg, t("choose_units", self.lang))
        out = steps.run_folder(self.home, self.workspace)
        self.run = steps.ReportRun(self.workspace, out, units, language=self.lang).start()
        self.bars = {}
        rows = []
        for code in units:
            bar = w.IntProgress(value=0, min=0, max=2, layout=w.Layout(width="300px"))
            label = w.HTML(_esc(self.unit_checks[code].description), layout=w.Layout(width="360px"))
            state = w.HTML(_esc(t("st_waiting", self.lang)))
            row = w.HBox([label, bar, state])
            row.add_class("pmqa-unit-progress")
            self.bars[code] = (bar, state)
            rows.append(row)
        self.progress.children = tuple(rows)
        self.run_button.disabled = True
        self.stop_button.disabled = False
        self.run_msg.value = _esc(t("running", self.lang, done=0, total=len(units)))
        self._watcher = threading.Thread(target=self._watch, name="pmqa-app-run", daemon=True)
        self._watcher.start()
        return None

    def _update_progress(self) -> None:
        run = self.run
        assert run is not None
        states = run.poll()
        for code, s in states.items():
            bar, label = self.bars[code]
            bar.value = {"waiting": 0, "running": 1}.get(s.status, 2)
            bar.bar_style = _STATUS_STYLE.get(s.status, "")
            text = _esc(t(f"st_{s.status}", self.lang))
            if s.status == "failed":
                text = f"<span class='pmqa-error'>{text}: {_esc(s.error)}</span>"
            elif s.status == "ok":
                text += f" ({s.duration_s:.0f} s)"
            label.value = text
        done = sum(s.status in ("ok", "failed", "skipped") for s in states.values())
        if run.running:
            self.run_msg.value = _esc(t("running", self.lang, done=done, total=len(states)))

    def _watch(self) -> None:
        run = self.run
        assert run is not None
        while run.running:
            self._update_progress()
            time.sleep(0.5)
        self._update_progress()
        self._finish_run()

    def _finish_run(self) -> None:
        run = self.run
        assert run is not None
        self.stop_button.disabled = True
        self.run_button.disabled = not self.valid
        code = run.exit_code
        if run.stopped:
            self.run_msg.value = _esc(t("stopped", self.lang))
        elif code in (0, 1):
            counts: dict[str, int] = {}
            for s in run.states.values():
                counts[s.status] = counts.get(s.status, 0) + 1
            summary = ", ".join(f"{t('st_' + k, self.lang)} {v}" for k, v in sorted(counts.items()))
            self.run_msg.value = _esc(t("finished", self.lang, summary=summary))
        else:
            self._fail(self.run_msg, f"{t('refused', self.lang)}\n{run.message()}")
        self._show_outputs()

    def stop_run(self) -> None:
        """The stop button: interrupt the run (finished units are kept)."""
        if self.run is not None and self.run.running:
            self.stop_button.disabled = True
            self.run.stop()

    # ------------------------------------------------------------------ 4. outputs
    def _show_outputs(self) -> None:
        if self.workspace is None:
            self.outputs.value = ""
            return
        run_dir = steps.run_folder(self.home, self.workspace)
        found = steps.list_outputs(run_dir, self.lang) if run_dir.is_dir() else []
        if not found:
            self.outputs.value = _esc(t("no_outputs", self.lang))
            return
        groups: dict[str, list[steps.Output]] = {}
        for o in found:
            groups.setdefault(o.group, []).append(o)
        lines = []
        for group, items in groups.items():
            name = t("province_files", self.lang) if group == "run" else group
            links = " · ".join(
                f"<a class='pmqa-output' data-path='{_esc(o.path)}' target='_blank' "
                f"href='{self._url(run_dir / o.path)}'>{_esc(o.label)}</a>"
                for o in items
            )
            lines.append(f"<tr><th>{_esc(name)}</th><td>{links}</td></tr>")
        where = _esc(t("run_folder", self.lang, path=run_dir))
        self.outputs.value = f"<p>{where}</p><table>{''.join(lines)}</table>"


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
