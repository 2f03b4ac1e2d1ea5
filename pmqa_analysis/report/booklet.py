"""The committee's printed booklet: one PDF with the index headline, the overview, every unit.

:func:`write_booklet` puts the run's pages into one HTML document, each part starting on a
new A4 page: the province's headline and unit table (:func:`index_body`, without the
files column), the province overview, then every unit's report in the run's order; and
prints it with headless Chromium (:func:`pmqa_analysis.report.export.html_to_pdf`) to
``run_dir/booklet.pdf``, beside the per-unit PDFs.  The batch calls it once the index is
written, when ``pdf`` is among the formats and a Chromium is installed.

The report pages are nbconvert pages: the booklet keeps the first one's ``<head>`` (its
styles and the embedded Sarabun) and takes each page's ``<body>``, renaming the SVG
charts' ``id`` attributes and their references page by page, so two units' charts never
share a clip path.

Examples
--------
>>> _prefix_ids('<clipPath id="c1"/><g clip-path="url(#c1)"/><a href="#c1">', "p2-")
'<clipPath id="p2-c1"/><g clip-path="url(#p2-c1)"/><a href="#p2-c1">'
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pmqa_analysis.core.page import font_css, html_page
from pmqa_analysis.report.export import find_chromium, html_to_pdf, notebook_to_html
from pmqa_analysis.report.index_page import INDEX_CSS, index_body, split_records

__all__ = ["BOOKLET", "booklet_html", "write_booklet"]

#: the booklet's file name inside the run folder
BOOKLET = "booklet.pdf"
_BODY = re.compile(r"<body\b[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>(.*)</head>", re.DOTALL | re.IGNORECASE)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')
_PRINT = (
    "<style>\n@page { size: A4; margin: 14mm 12mm; }\n"
    ".pmqa-part { break-before: page; }\n.pmqa-part:first-child { break-before: auto; }\n"
    "svg, table, tr, .pmqa-headline { break-inside: avoid; }\n"
    "body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
    "</style>\n"
)


def _prefix_ids(body: str, prefix: str) -> str:
    """Every ``id`` of ``body`` and every in-page reference to one, prefixed."""
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", body)


def _unit_page(folder: Path) -> str | None:
    """The unit's report page: ``report.html``, else rendered from ``report.ipynb``."""
    page = folder / "report.html"
    if page.is_file():
        return page.read_text(encoding="utf-8")
    executed = folder / "report.ipynb"
    if not executed.is_file():
        return None
    import nbformat

    return notebook_to_html(nbformat.read(executed, as_version=4), title=folder.name)


def booklet_html(
    run_dir: str | Path,
    *,
    run_id: str,
    province: str,
    titles: Mapping[str, str],
    records: Sequence[Mapping[str, Any]],
) -> str | None:
    """The booklet as one HTML document (None when the run has no page to put in it)."""
    run = Path(run_dir)
    index, lang = index_body(run, run_id=run_id, province=province, titles=titles,
                             records=records, links=False)  # fmt: skip
    pages: list[str] = []
    overview = run / "province" / "overview.html"
    if overview.is_file():
        pages.append(overview.read_text(encoding="utf-8"))
    for r in split_records(records)[0]:
        if r.get("status") == "failed":
            continue
        page = _unit_page(run / "units" / str(r.get("slug", r["unit_code"])))
        if page is not None:
            pages.append(page)
    if not pages:
        return None
    head = _HEAD.search(pages[0])
    styles = head.group(1) if head else font_css()
    styles = re.sub(r"<title>.*?</title>", "", styles, flags=re.DOTALL)
    parts = [f'<section class="pmqa-part jp-RenderedHTMLCommon">{index}</section>']
    for k, page in enumerate(pages, start=1):
        found = _BODY.search(page)
        body = found.group(1) if found else page
        parts.append(f'<section class="pmqa-part">{_prefix_ids(body, f"p{k}-")}</section>')
    title = f"PMQA {province} {run_id}"
    shell = html_page(title, "\n".join(parts), lang=lang, css=INDEX_CSS)
    # the report pages' styles (lab template and font) go where the shell's font block was
    return shell.replace(font_css(), styles + font_css() + _PRINT, 1)


def write_booklet(
    run_dir: str | Path,
    *,
    run_id: str,
    province: str,
    titles: Mapping[str, str],
    records: Sequence[Mapping[str, Any]],
    browser: str | None = None,
) -> Path | None:
    """Print the committee's booklet to ``run_dir/booklet.pdf`` (see the module's notes).

    Parameters
    ----------
    run_dir : path
        A finished run folder (index written).
    run_id, province, titles, records
        As given to :func:`pmqa_analysis.report.index_page.write_index_page`.
    browser : str, optional
        The Chromium to print with (default: :func:`find_chromium`).

    Returns
    -------
    pathlib.Path or None
        The PDF; None when no Chromium is installed, the run has no page to print or
        the browser failed (nothing is left half-written: the file is renamed into place).
    """
    exe = browser or find_chromium()
    if exe is None:
        return None
    run = Path(run_dir)
    page = booklet_html(run, run_id=run_id, province=province, titles=titles, records=records)
    if page is None:
        return None
    target = run / BOOKLET
    with tempfile.TemporaryDirectory(prefix="pmqa-booklet-", dir=run) as tmp:
        html_path = Path(tmp) / "booklet.html"
        html_path.write_text(page, encoding="utf-8")
        try:
            printed = html_to_pdf(html_path, Path(tmp) / BOOKLET, browser=exe, timeout=600)
        except (RuntimeError, OSError, subprocess.TimeoutExpired):
            return None
        os.replace(printed, target)
    return target
