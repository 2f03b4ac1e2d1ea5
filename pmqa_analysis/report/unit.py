"""The per-unit assessment report for ``unit_assessment.ipynb``: the builder, rendering ahead.

A notebook cell is one call: ``report.section("satisfaction")``.  :class:`UnitReport`
reads the run's ``results/meta.json`` for the unit, gives the sections the unit's slice of
the prepared results (``results/*.parquet``, filtered by unit) and shows each section as
one ``IPython.display.HTML`` object.  What a section says and draws (its sentences from
the numbers, its charts with the Thai font, its tables also registered for the unit's
Excel workbook) is in :mod:`pmqa_analysis.report.unit_sections`.  No SciPy, no
validation here: the kernel stays light.

Sections rendered ahead by the batch
------------------------------------
In a ``pmqa report`` batch the worker that runs a unit's job renders the default
notebook's sections itself (:func:`render_sections`) while the unit's kernel starts
(a second core does the drawing instead of waiting), into
``units/.<slug>.sections-<pid>/``.  The kernel's :class:`UnitReport` uses that copy only
when it was written for the same run folder, unit and language by the process that
started this kernel (its parent), and only while the notebook asks for the sections in
report order; each section used moves its tables into place and re-issues the warnings
its drawing gave, so the executed notebook, the HTML and the workbook are the same as
when the kernel draws everything (tested).  At the first section asked out of order the
kernel draws that one and every later one itself.  Anywhere else (JupyterLab, a
researcher's own notebook, papermill by hand) nothing is rendered ahead and the kernel
draws every section.  Importing this module does not import pandas or matplotlib, so a
kernel that only shows rendered sections never loads them.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmqa_analysis.core.files import check_run_dir, unit_slug, write_json_atomic
from pmqa_analysis.report.export import staging_dir
from pmqa_analysis.report.unit_sections import SECTIONS, UnitSections

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SECTIONS", "UnitReport", "render_sections", "rendered_dir"]


def _results_table(path: Path) -> pd.DataFrame:
    """``results/<name>.parquet`` as a frame, read once while the file stays the same.

    A batch worker draws every unit from the same few files, and one filtered parquet
    read costs about 3 ms (18 a unit) against 0.2 ms for rows of a table in memory. The
    key is the file's path, inode, size and modification time, so a run prepared again
    (its files are replaced, never written in place) is read again.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> path = Path(tempfile.mkdtemp()) / "t.parquet"
    >>> pd.DataFrame({"unit_code": ["U01", "U02"]}).to_parquet(path)
    >>> _results_table(path) is _results_table(path)
    True
    """
    info = path.stat()
    return _read_whole(str(path), info.st_ino, info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=64)  # files: a run has about 25 results tables
def _read_whole(path: str, inode: int, size: int, mtime_ns: int) -> pd.DataFrame:
    """The whole table at ``path`` in that version (the other arguments are the key)."""
    import pandas as pd

    return pd.read_parquet(path)


class UnitReport(UnitSections):
    """One unit's report, built from a prepared run folder.

    Parameters
    ----------
    run_dir : str or Path
        The run folder written by :func:`pmqa_analysis.run.prepare.prepare_results`.
    unit_code : str
        The unit.
    language : {"th", "en"}
        Report language (Thai first).
    rendered : bool, default True
        Show the sections the batch rendered ahead for this kernel, when there are any
        (see the module's notes); False draws every section here.
    """

    def __init__(
        self, run_dir: str | Path, unit_code: str, language: str = "th", *, rendered: bool = True
    ) -> None:
        self.run_dir = Path(run_dir).resolve()
        self.unit_code = str(unit_code)
        self.language = language
        self.th = language == "th"
        self._charts = 0  # charts drawn so far: each gets its own SVG id prefix
        #: where tables go (the unit's staging folder; a folder of its own when rendering ahead)
        self._tables = staging_dir(self.run_dir, self.unit_code)
        meta_path = self.run_dir / "results" / "meta.json"
        self.meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        units = {str(u["unit_code"]): u for u in self.meta["units"]}
        if self.unit_code not in units:
            raise ValueError(f"unit {self.unit_code!r} is not in this run ({', '.join(units)})")
        self.unit = units[self.unit_code]
        self.fy = int(self.meta["fiscal_year"])
        self.min_cell = int(self.meta["settings"]["min_cell"])
        self.target = float(self.meta["settings"]["target_pct"])
        self._questionnaire: pd.DataFrame | None = None
        #: where the process that started this kernel renders its sections ahead
        self._ahead_dir = rendered_dir(self.run_dir, self.unit_code, os.getppid())
        #: sections rendered ahead for this kernel, in report order (None: draw here)
        self._ahead: list[dict[str, Any]] | None = self._rendered_ahead() if rendered else None
        if self._ahead is None:
            self._draw_here()

    def _draw_here(self) -> None:
        """From now on this process draws: the Thai font is matplotlib's default."""
        from pmqa_analysis.report.plots import use_thai_font

        use_thai_font()

    @property
    def questionnaire(self) -> pd.DataFrame:
        """The run's questionnaire (item and dimension codes and wording), in order."""
        if self._questionnaire is None:
            import pandas as pd

            self._questionnaire = pd.DataFrame(self.meta["questionnaire"])
        return self._questionnaire

    def _rendered_ahead(self) -> list[dict[str, Any]] | None:
        """The sections the process that started this kernel rendered for it, if any."""
        path = self._ahead_dir / _RENDERED
        try:
            rendered = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        same = (rendered.get("run_dir"), rendered.get("unit_code"), rendered.get("language"))
        if same != (str(self.run_dir), self.unit_code, self.language):
            return None
        sections = rendered.get("sections")
        return list(sections) if isinstance(sections, list) else None

    def _use_ahead(self, name: str) -> str | None:
        """The next rendered section when it is ``name``: its HTML, tables and warnings."""
        if self._ahead is None:
            return None
        if not self._ahead or self._ahead[0].get("name") != name:  # draw from here on
            self._ahead = None
            self._draw_here()
            return None
        done = self._ahead.pop(0)
        if done["tables"]:
            self._tables.mkdir(parents=True, exist_ok=True)
        for table in done["tables"]:
            os.replace(self._ahead_dir / "tables" / table, self._tables / table)
        registry = globals().setdefault("__warningregistry__", {})
        for w in done["warnings"]:
            category = _warning_category(w["category"])
            warnings.warn_explicit(w["message"], category, w["filename"], w["lineno"],
                                   registry=registry)  # fmt: skip
        self._charts += int(done["charts"])
        return str(done["html"])

    # ------------------------------------------------------------ the unit and its data
    @classmethod
    def from_parameters(
        cls, run_dir: str | Path, unit_code: str, language: str = "th"
    ) -> UnitReport:
        """Build from the notebook's parameters, checking them first (fail fast).

        ``run_dir`` must be a prepared run folder; the notebooks pass it through
        :func:`pmqa_analysis.run.run_folder.resolve_run_dir`, which maps an empty value to
        the bundled sample.
        """
        run_dir = check_run_dir(run_dir, language)
        return cls(run_dir, unit_code, language)

    @property
    def unit_name(self) -> str:
        """The unit's name in the report language (Thai when no English name)."""
        en = self.unit.get("unit_name_en") or ""
        return str(self.unit["unit_name_th"] if self.th or not en else en)

    def table(self, name: str, unit: str | None = None) -> pd.DataFrame:
        """The unit's rows of ``results/<name>.parquet`` (empty frame when absent).

        The rows ``pd.read_parquet(path, filters=[("unit_code", "==", code)])`` gives
        (tested), taken from the whole table, which this process reads once
        (:func:`_results_table`).
        """
        import pandas as pd

        path = self.run_dir / "results" / f"{name}.parquet"
        if not path.exists():
            return pd.DataFrame()
        code = self.unit_code if unit is None else unit
        whole = _results_table(path)
        if "unit_code" not in whole.columns:  # as the filtered read would fail
            return pd.read_parquet(path, filters=[("unit_code", "==", code)])
        return whole.loc[whole["unit_code"] == code].reset_index(drop=True)

    def data(self, name: str, columns: list[str]) -> pd.DataFrame:
        """``columns`` of the unit's rows of ``data/<name>.parquet`` (the normalised inputs)."""
        import pandas as pd

        path = self.run_dir / "data" / f"{name}.parquet"
        if not path.exists():
            return pd.DataFrame(columns=columns)
        import pyarrow.parquet as pq

        present = set(pq.read_schema(path).names)
        return pd.read_parquet(
            path, columns=[c for c in columns if c in present],
            filters=[("unit_code", "==", self.unit_code)],
        )  # fmt: skip

    # ----------------------------------------------------------------- sections
    def section(self, name: str) -> Any:
        """One section as an ``IPython.display.HTML`` object (heading + body)."""
        from IPython.display import HTML

        if name not in SECTIONS:
            raise ValueError(f"unknown section {name!r}; expected one of {', '.join(SECTIONS)}")
        ahead = self._use_ahead(name)
        return HTML(ahead if ahead is not None else self._section_html(name))


#: the file a worker writes for its kernel, in :func:`rendered_dir`
_RENDERED = "sections.json"


def rendered_dir(run_dir: str | Path, unit_code: object, pid: int) -> Path:
    """Where process ``pid`` renders a unit's sections ahead for the kernel it starts.

    Examples
    --------
    >>> rendered_dir("/r", "U01", 42).as_posix()
    '/r/units/.U01.sections-42'
    """
    return Path(run_dir) / "units" / f".{unit_slug(unit_code)}.sections-{pid}"


def _warning_category(name: str) -> type[Warning]:
    """The warning class recorded as ``module.qualname`` (UserWarning when unknown)."""
    import importlib

    module, _, qualname = str(name).rpartition(".")
    try:
        found: Any = importlib.import_module(module or "builtins")
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError, ValueError):
        return UserWarning
    return found if isinstance(found, type) and issubclass(found, Warning) else UserWarning


def render_sections(run_dir: str | Path, unit_code: str, language: str = "th") -> Path:
    """Render a unit's sections in report order for the kernel this process starts.

    What the batch runs while a unit's kernel starts (the module's notes): each section's
    HTML, the tables it registered (in a ``tables`` folder of its own) and the warnings its
    drawing gave, written to :func:`rendered_dir` for this process.  Drawing uses
    matplotlib's settings as a new kernel has them, whatever this process set, and leaves
    this process's settings as they were.  A section that raises ends the rendering there:
    the kernel then draws that section itself and gives the error in its cell.

    Returns
    -------
    pathlib.Path
        The folder written (the caller removes it once the unit has run); on an error
        nothing is left there.
    """
    run = Path(run_dir).resolve()
    dest = rendered_dir(run, unit_code, os.getpid())
    shutil.rmtree(dest, ignore_errors=True)
    try:
        _render_into(dest, run, unit_code, language)
    except BaseException:  # nothing half-written is left for a kernel to find
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return dest


def _render_into(dest: Path, run: Path, unit_code: str, language: str) -> None:
    import matplotlib

    (dest / "tables").mkdir(parents=True)
    sections: list[dict[str, Any]] = []
    with matplotlib.rc_context():
        matplotlib.rc_file_defaults()  # a new kernel's settings, not this process's
        report = UnitReport(run, unit_code, language, rendered=False)
        report._tables = dest / "tables"
        for name in SECTIONS:
            charts = report._charts
            before = set(os.listdir(report._tables))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    html = report._section_html(name)
                except Exception:
                    break
            sections.append({
                "name": name, "html": html, "charts": report._charts - charts,
                "tables": sorted(set(os.listdir(report._tables)) - before),
                "warnings": [
                    {"category": f"{w.category.__module__}.{w.category.__qualname__}",
                     "message": str(w.message), "filename": w.filename, "lineno": w.lineno}
                    for w in caught
                ],
            })  # fmt: skip
    write_json_atomic(dest / _RENDERED, {
        "run_dir": str(run), "unit_code": str(unit_code), "language": language,
        "sections": sections,
    })  # fmt: skip
