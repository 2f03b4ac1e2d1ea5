"""What the batch hands the runner for the package's unit report: draw, export, warm up.

The runner's modules (:mod:`~pmqa_analysis.run.runner`, ``unit_job``, ``kernels``,
``workers``, ``dask_backend``) know nothing of the report's content; the batch gives each
:class:`~pmqa_analysis.run.unit_job.UnitJob` these module-level functions (a job pickles to
a worker process by reference) and starts its worker processes as :class:`ReportWorkers`:

- :func:`pre_render_sections`: the unit's sections drawn in the worker while its kernel
  starts (:func:`pmqa_analysis.report.unit.render_sections`), for the default notebook;
- :func:`export_unit`: ``report.html`` / ``report.xlsx`` / ``report.pdf`` from the executed
  notebook, with the unit's assessment files beside them;
- :func:`warm_up_report`: the report modules, the HTML exporter with its templates and
  embedded font, and matplotlib's Sarabun glyphs, loaded before a worker's first unit.

Examples
--------
>>> from pmqa_analysis.run.unit_job import UnitJob
>>> UnitJob("U01", "U01", "/r", "/n.ipynb", pre_render=pre_render_sections).render_ahead
True
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pmqa_analysis.report.export import find_chromium, html_to_pdf, notebook_to_html, tables_to_xlsx
from pmqa_analysis.run.unit_job import UnitJob
from pmqa_analysis.run.workers import Workers

__all__ = ["ReportWorkers", "export_unit", "pre_render_sections", "warm_up_report"]


def pre_render_sections(run_dir: str, unit_code: str, language: str) -> Path:
    """The unit's report sections, drawn in this process for the kernel it starts."""
    from pmqa_analysis.report.unit import render_sections

    return render_sections(run_dir, unit_code, language)


def export_unit(job: UnitJob, folder: Path, notes: list[str]) -> None:
    """Write the unit's files into ``folder`` from its executed ``report.ipynb``.

    The unit's assessment files (``run_dir/assessment/<slug>``), ``report.html`` (also for
    a PDF), ``report.xlsx`` from the staged ``tables/``, and ``report.pdf`` with a Chromium
    (else a note).
    """
    import nbformat

    assessed = Path(job.run_dir) / "assessment" / job.slug
    if assessed.is_dir():  # scorecard.json, self_assessment.html, improvement_plan.xlsx
        for path in sorted(assessed.iterdir()):
            if path.is_file():
                shutil.copy2(path, folder / path.name)

    executed = nbformat.read(folder / "report.ipynb", as_version=4)
    for cell in executed.cells:  # papermill gives this cell a random id: keep HTML stable
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    if "html" in job.formats or "pdf" in job.formats:
        page = notebook_to_html(
            executed, title=job.title or job.unit_code,
            lang=str(job.parameters.get("language", "th")),
        )  # fmt: skip
        (folder / "report.html").write_text(page, encoding="utf-8")
    if "xlsx" in job.formats:
        tables_dir = folder / "tables"
        tables = sorted(tables_dir.glob("*.parquet")) if tables_dir.is_dir() else []
        tables_to_xlsx(tables, folder / "report.xlsx", title=job.title or job.unit_code,
                       language=str(job.parameters.get("language", "th")))  # fmt: skip
    if "pdf" in job.formats:
        if find_chromium() is None:
            notes.append("pdf not written: no Chromium found (install chromium for PDF)")
        else:
            html_to_pdf(folder / "report.html", folder / "report.pdf")
        if "html" not in job.formats:
            (folder / "report.html").unlink()


def warm_up_report() -> None:
    """Load the report's modules, HTML exporter, workbook writer, the notebook validator
    and Thai glyphs in this process, once (a worker's first unit then costs what the
    others do: its export took 0.49 s against 0.08 s).

    Examples
    --------
    >>> warm_up_report()
    """
    import io
    import tempfile

    import nbformat.v4
    import pandas as pd
    from matplotlib.figure import Figure

    import pmqa_analysis.report.plots
    import pmqa_analysis.report.unit  # noqa: F401

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nbformat.reads(nbformat.writes(notebook), as_version=4)  # the validator's schema
    notebook_to_html(notebook, title="warm-up")
    figure = Figure(figsize=(1, 1))
    figure.text(0.1, 0.5, "ความพึงพอใจ")
    figure.savefig(io.BytesIO(), format="svg")
    with tempfile.TemporaryDirectory(prefix="pmqa-warm-up-") as folder:  # the workbook writer
        table = Path(folder) / "items.parquet"
        pd.DataFrame({"unit_code": ["U01"], "mean": [4.2]}).to_parquet(table)
        tables_to_xlsx([table], Path(folder) / "report.xlsx", title="warm-up")


class ReportWorkers(Workers):
    """:class:`~pmqa_analysis.run.workers.Workers` warmed up for the package's unit report.

    What :func:`pmqa_analysis.run.batch.run_report` starts before its prepare step; given
    the run folder, each worker also starts its kernel then (see
    :func:`pmqa_analysis.run.workers.warm_up`).
    """

    def __init__(self, n: int, run_dir: str | Path | None = None) -> None:
        super().__init__(n, warm=warm_up_report, run_dir=run_dir)
