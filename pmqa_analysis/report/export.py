"""Turn an executed unit notebook into the files a committee opens.

- ``report.html``: nbconvert's ``HTMLExporter(exclude_input=True)`` (no code, images
  embedded) with the Sarabun font embedded as a base64 ``@font-face``, so Thai renders on
  any machine.  nbconvert copies HTML outputs as they are: notebooks must escape free text,
  with :func:`safe_html` and :func:`html_table`.
- ``report.xlsx``: one sheet per table the notebook registered with :func:`save_table`.
- ``report.pdf`` (optional): headless Chromium ``--print-to-pdf`` when one is installed.

Examples
--------
>>> safe_html('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
>>> import pandas as pd
>>> "&lt;b&gt;" in html_table(pd.DataFrame({"comment": ["<b>"]}))
True
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.files import unit_slug
from pmqa_analysis.core.page import font_css, html_page  # the page shell, re-exported

if TYPE_CHECKING:  # pandas is imported where it is used: a unit kernel may never need it
    import pandas as pd

__all__ = [
    "find_chromium",
    "font_css",
    "html_page",
    "html_table",
    "html_to_pdf",
    "notebook_to_html",
    "register_table",
    "safe_html",
    "save_table",
    "staging_dir",
    "tables_to_xlsx",
]

_LOCAL = threading.local()
_NAME_BAD = re.compile(r"[^A-Za-z0-9_-]")
#: nbconvert's lab template loads require.js, MathJax, mermaid from a CDN: a report must not.
_HEAD_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.DOTALL | re.IGNORECASE)


def safe_html(text: object) -> str:
    """Escape free text for HTML (``& < > " '``); the one way notebooks show user text.

    Examples
    --------
    >>> safe_html("ผลิตภัณฑ์ & <บริการ>")
    'ผลิตภัณฑ์ &amp; &lt;บริการ&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def html_table(frame: pd.DataFrame, *, index: bool = False, na_rep: str = "") -> str:
    """A frame as an HTML table with every header and cell escaped.

    Examples
    --------
    Text columns carry the class ``pmqa-text`` (left-aligned by :func:`font_css`), and
    those whose every value is short (at most 14 characters: a status, a code, a date)
    also ``pmqa-short``, kept on one line: Thai has no spaces, so a browser would
    otherwise break "ผ่านบางส่วน" into three lines in a narrow column. Numbers stay
    right-aligned.

    Examples
    --------
    >>> import pandas as pd
    >>> print(html_table(pd.DataFrame({"a<": ["x&y"], "n": [3]})))
    <table class="pmqa-table">
    <thead>
    <tr style="text-align: right;">
    <th class="pmqa-text pmqa-short">a&lt;</th>
    <th>n</th>
    </tr>
    </thead>
    <tbody>
    <tr>
    <td class="pmqa-text pmqa-short">x&amp;y</td>
    <td>3</td>
    </tr>
    </tbody>
    </table>
    """
    import pandas as pd

    textual = [
        not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col))
        for _, col in frame.items()
    ]
    short = [
        is_text and all(len(str(v)) <= _SHORT_TEXT for v in col.dropna().tolist())
        for is_text, (_, col) in zip(textual, frame.items(), strict=True)
    ]
    # pandas applies na_rep to float NaN only: pd.NA (Int64, string) would show as "<NA>",
    # None as "None" and a missing date as "NaT"; every missing cell shows na_rep instead
    holes = [i for i, (_, col) in enumerate(frame.items())
             if col.dtype.kind != "f" and col.hasnans]  # fmt: skip
    if holes:
        frame = frame.copy()
        for i in holes:
            col = frame.iloc[:, i]
            # dates and durations as to_html writes them ("2024-10-01", "10:30:00" kept)
            shown = col.astype(str) if col.dtype.kind in "mM" else col.astype(object)
            frame.isetitem(i, shown.where(col.notna(), na_rep).to_numpy(dtype=object))
    text = frame.to_html(
        index=index, escape=True, na_rep=na_rep, border=0, classes="pmqa-table", notebook=False
    )
    text = re.sub(r"<table[^>]*>", '<table class="pmqa-table">', text, count=1)
    lines = [line.strip() for line in text.splitlines()]
    if any(textual) and not isinstance(frame.columns, pd.MultiIndex):
        lines = _mark_text_cells(lines, textual, short, frame.index.nlevels if index else 0)
    return "\n".join(lines)


#: Text columns whose values are all at most this long are kept on one line.
_SHORT_TEXT = 14


def _mark_text_cells(
    lines: list[str], textual: list[bool], short: list[bool], skip: int
) -> list[str]:
    """Add ``class="pmqa-text"`` (and ``pmqa-short``) to the cells of text columns.

    pandas writes one cell per line (``<th>``/``<td>``, escaped content); in each row the
    first ``skip`` cells are the index (``<th>``), then one cell per column.
    """
    out: list[str] = []
    k = 0
    for line in lines:
        if line.startswith("<tr"):
            k = -skip
        elif line.startswith(("<td>", "<th>")):
            if 0 <= k < len(textual) and textual[k]:
                cls = "pmqa-text pmqa-short" if short[k] else "pmqa-text"
                line = f'{line[:3]} class="{cls}">{line[4:]}'
            k += 1
        out.append(line)
    return out


def staging_dir(run_dir: str | Path, unit_code: object) -> Path:
    """Where a running notebook's tables wait until the unit folder is renamed into place.

    Examples
    --------
    >>> staging_dir("/r", "U01").as_posix()
    '/r/units/.U01.tables'
    """
    return Path(run_dir) / "units" / f".{unit_slug(unit_code)}.tables"


def save_table(run_dir: str | Path, unit_code: object, name: str, frame: pd.DataFrame) -> Path:
    """Register a table for the unit's Excel workbook (called from the unit notebook).

    Tables are numbered in call order (``01_name.parquet``…) and become one sheet each.

    Parameters
    ----------
    run_dir : path
        The run folder (the notebook's ``run_dir`` parameter).
    unit_code : str
        The unit (the notebook's ``unit_code`` parameter).
    name : str
        The sheet name (at most 31 characters are kept).
    frame : pandas.DataFrame
        The table; written as it is, index dropped.

    Returns
    -------
    pathlib.Path
        The Parquet file written.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> run = tempfile.mkdtemp()
    >>> save_table(run, "U01", "items", pd.DataFrame({"x": [1]})).name
    '01_items.parquet'
    >>> save_table(run, "U01", "ความพึงพอใจ", pd.DataFrame({"x": [2]})).name
    '02_-----------....parquet'
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"save_table expects a pandas DataFrame, found {type(frame).__name__}; "
            "pass the table itself, e.g. save_table(run_dir, unit_code, 'items', table)"
        )
    return register_table(staging_dir(run_dir, unit_code), name, frame)


def register_table(folder: str | Path, name: str, frame: pd.DataFrame) -> Path:
    """Write ``frame`` as the next numbered table of ``folder`` (:func:`save_table`'s step).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> register_table(tempfile.mkdtemp(), "items", pd.DataFrame({"x": [1]})).name
    '01_items.parquet'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    number = len(list(folder.glob("*.parquet"))) + 1
    stem = _NAME_BAD.sub("-", str(name))[:40] or "table"
    path = folder / f"{number:02d}_{stem}.parquet"
    _write_table(frame, path, str(name))
    return path


def _write_table(frame: pd.DataFrame, path: Path, name: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"pmqa_sheet"] = name.encode("utf-8")
    pq.write_table(table.replace_schema_metadata(meta), path)


def tables_to_xlsx(
    tables: Sequence[str | Path], path: str | Path, *, title: str = "", language: str = "th"
) -> Path:
    """Write registered tables (Parquet files) to one workbook, one sheet per table.

    Thai-first sheet names, codes worded, real dates shown in the Buddhist Era, number
    formats, a frozen and filtered header row (:mod:`pmqa_analysis.report.workbook`).  The
    same tables give the same bytes.  With no tables, a single sheet says so.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> run = tempfile.mkdtemp()
    >>> t = save_table(run, "U01", "items", pd.DataFrame({"item": ["Q1"], "mean": [4.2]}))
    >>> out = tables_to_xlsx([t], Path(run) / "report.xlsx")
    >>> pd.read_excel(out, sheet_name=None, engine="calamine")["ความพึงพอใจรายข้อ"].to_dict("records")
    [{'item': 'Q1', 'mean': 4.2}]
    """
    from pmqa_analysis.report.workbook import write_unit_workbook

    return write_unit_workbook(tables, path, title=title, language=language)


def _exporter() -> Any:
    """This thread's HTML exporter (nbconvert's, without its BeautifulSoup pass: see
    :mod:`pmqa_analysis.report._nbconvert_adapter`)."""
    exporter = getattr(_LOCAL, "exporter", None)
    if exporter is None:
        from pmqa_analysis.report._nbconvert_adapter import report_exporter_class

        exporter = report_exporter_class()(
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
        )
        _LOCAL.exporter = exporter
    return exporter


def _with_font(page: str) -> str:
    head = page.find("</head>")
    css = font_css()
    if head < 0:
        return css + page
    return _HEAD_SCRIPT.sub("", page[:head]) + css + page[head:]


def notebook_to_html(notebook: Any, *, title: str = "", lang: str = "th") -> str:
    """An executed notebook as one self-contained HTML page without code cells.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    title : str, optional
        The page title (escaped).
    lang : {"th", "en"}
        The page's language (``<html lang>``: screen readers and hyphenation use it).

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> nb = v4.new_notebook(cells=[v4.new_code_cell("print(1)", outputs=[
    ...     v4.new_output("stream", name="stdout", text="<b>1</b>")])])
    >>> page = notebook_to_html(nb, title="U01")
    >>> "print(1)" in page, "&lt;b&gt;1&lt;/b&gt;" in page, "Sarabun" in page
    (False, True, True)
    >>> '<html lang="th">' in page
    True
    """
    resources = {"metadata": {"name": title or "report"}}
    exporter = _exporter()
    exporter.language_code = "en" if lang == "en" else "th"
    page, _ = exporter.from_notebook_node(notebook, resources=resources)
    return _with_font(page)


def find_chromium() -> str | None:
    """Path of an installed Chromium/Chrome, or None.

    Examples
    --------
    >>> find_chromium() is None or isinstance(find_chromium(), str)
    True
    """
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(
    html_path: str | Path, pdf_path: str | Path, *, browser: str | None = None, timeout: float = 120
) -> Path:
    """Print an HTML file to PDF with headless Chromium.

    Raises
    ------
    InputError
        When no browser is found.
    RuntimeError
        When the browser fails or writes no file.
    """
    exe = browser or find_chromium()
    if exe is None:
        raise InputError(
            "PDF needs Chromium: none found (chromium, chromium-browser, google-chrome). "
            "Install it (Debian: apt-get install chromium) or drop pdf from --formats"
        )
    target = Path(pdf_path).resolve()
    with tempfile.TemporaryDirectory(prefix="pmqa-chromium-") as profile:
        cmd = [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--no-pdf-header-footer",
            f"--print-to-pdf={target}", Path(html_path).resolve().as_uri(),
        ]  # fmt: skip
        proc = subprocess.run(
            cmd, capture_output=True, timeout=timeout, check=False, env={**os.environ}
        )
    if proc.returncode != 0 or not target.is_file():
        tail = proc.stderr.decode("utf-8", "replace")[-500:]
        raise RuntimeError(f"chromium could not print {html_path} (exit {proc.returncode}): {tail}")
    return target
