"""The report's reliance on other libraries: fails loudly when one of them changes.

:mod:`pmqa_analysis.report._mpl_adapter` gives the charts a canvas that relies on
matplotlib's private names (``FontManager._find_fonts_by_props``, the renderer hook
``_get_font_height_metrics``) and on a copy of ``FigureCanvasSVG.print_svg``;
:mod:`pmqa_analysis.report._nbconvert_adapter` repeats the set-up of nbconvert's
``HTMLExporter.from_notebook_node``.  When a test here fails after an upgrade, check the
adapter against the new version, then widen its ``TESTED``.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

import matplotlib
import nbconvert
import nbformat.v4 as v4
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from matplotlib.backend_bases import RendererBase
from matplotlib.backends import _backend_pdf_ps
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontManager, FontProperties
from matplotlib.text import Text
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from pmqa_analysis.report import _mpl_adapter as mpl_adapter
from pmqa_analysis.report import _nbconvert_adapter as nbc_adapter
from pmqa_analysis.report import plots
from pmqa_analysis.report.unit import SECTIONS, UnitReport

UNIT = "U01"


def _code(function: Any) -> str:
    """A function's body as code (no docstring, no comments, formatting ignored)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    assert isinstance(tree, ast.FunctionDef | ast.AsyncFunctionDef)
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return ast.unparse(body)


def _parameters(function: Any) -> list[tuple[str, Any, Any]]:
    """Each parameter's name, kind and default."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


P = inspect.Parameter
EMPTY = P.empty


# ------------------------------------------------------------------------------ matplotlib


def test_matplotlib_is_a_tested_version() -> None:
    assert mpl_adapter.supported(), (
        f"matplotlib {matplotlib.__version__} installed, the adapter was tested with "
        f"{mpl_adapter.TESTED}: check pmqa_analysis/report/_mpl_adapter.py against it, "
        "then widen TESTED"
    )


def test_matplotlib_keeps_the_private_names_the_adapter_uses() -> None:
    """``FontManager._find_fonts_by_props`` and the ``_get_font_height_metrics`` hook,
    called and read as the adapter calls and provides them."""
    assert _parameters(FontManager._find_fonts_by_props) == [
        ("self", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("prop", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("fontext", P.POSITIONAL_OR_KEYWORD, "ttf"),
        ("directory", P.POSITIONAL_OR_KEYWORD, None),
        ("fallback_to_default", P.POSITIONAL_OR_KEYWORD, True),
        ("rebuild_if_missing", P.POSITIONAL_OR_KEYWORD, True),
    ]
    # matplotlib's own implementation of the hook: one FontProperties, three numbers
    hook = _backend_pdf_ps.RendererPDFPSBase._get_font_height_metrics
    assert _parameters(hook) == [
        ("self", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("prop", P.POSITIONAL_OR_KEYWORD, EMPTY),
    ]
    layout = _code(Text._get_layout)
    for statement in (
        "if hasattr(renderer, '_get_font_height_metrics'):",
        "min_ascent, min_descent, line_gap = renderer._get_font_height_metrics("
        "self._fontproperties)",
        "font = get_font(fontManager._find_fonts_by_props(self._fontproperties))",
        "possible = [('OS/2', 'sTypoLineGap', 'sTypoAscender', 'sTypoDescender'), "
        "('hhea', 'lineGap', 'ascent', 'descent')]",
        "fontsize = self._fontproperties.get_size_in_points()",
        "units_per_em = font.get_sfnt_table('head')['unitsPerEm']",
        "scale = 1 / units_per_em * fontsize * dpi / 72",
        "line_gap = table[linegap_key] * scale",
        "min_ascent = table[ascent_key] * scale",
        "min_descent = -table[descent_key] * scale",
    ):
        assert statement in layout, f"Text._get_layout no longer has: {statement}"
    assert [t[0] for t in mpl_adapter._LINE_TABLES] == ["OS/2", "hhea"]


def test_matplotlib_keeps_the_methods_the_adapter_wraps_and_copies() -> None:
    text_size = [
        ("self", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("s", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("prop", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("ismath", P.POSITIONAL_OR_KEYWORD, EMPTY),
    ]
    for renderer in (RendererBase, RendererAgg, RendererSVG):
        assert _parameters(renderer.get_text_width_height_descent) == text_size, renderer
    # a text's size is asked of the renderer object itself (the wrapper is on the object)
    assert "get_text_width_height_descent" in inspect.getsource(
        matplotlib.text._get_text_metrics_function
    )
    # the SVG renderer is reached through MixedModeRenderer, which proxies to it
    assert "return getattr(self._renderer, attr)" in _code(MixedModeRenderer.__getattr__)
    assert _parameters(MixedModeRenderer.__init__)[:6] == [
        ("self", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("figure", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("width", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("height", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("dpi", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("vector_renderer", P.POSITIONAL_OR_KEYWORD, EMPTY),
    ]
    assert ("bbox_inches_restore", P.POSITIONAL_OR_KEYWORD, None) in _parameters(
        MixedModeRenderer.__init__
    )
    assert _parameters(RendererSVG.__init__) == [
        ("self", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("width", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("height", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("svgwriter", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("basename", P.POSITIONAL_OR_KEYWORD, None),
        ("image_dpi", P.POSITIONAL_OR_KEYWORD, 72),
        ("metadata", P.KEYWORD_ONLY, None),
    ]
    # the canvas's print_svg is a copy of matplotlib's: the same parameters, and
    # matplotlib's body is still the one copied (3.11.2)
    assert _parameters(FigureCanvasSVG.print_svg) == [
        ("self", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("filename", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("bbox_inches_restore", P.KEYWORD_ONLY, None),
        ("metadata", P.KEYWORD_ONLY, None),
    ]
    assert _parameters(mpl_adapter._MeasuringCanvas.print_svg)[:4] == _parameters(
        FigureCanvasSVG.print_svg
    )
    assert _code(FigureCanvasSVG.print_svg) == (
        "with cbook.open_file_cm(filename, 'w', encoding='utf-8') as fh:\n"
        "    if not cbook.file_requires_unicode(fh):\n"
        "        fh = codecs.getwriter('utf-8')(fh)\n"
        "    dpi = self.figure.dpi\n"
        "    self.figure.dpi = 72\n"
        "    width, height = self.figure.get_size_inches()\n"
        "    w, h = (width * 72, height * 72)\n"
        "    renderer = MixedModeRenderer(self.figure, width, height, dpi, "
        "RendererSVG(w, h, fh, image_dpi=dpi, metadata=metadata), "
        "bbox_inches_restore=bbox_inches_restore)\n"
        "    self.figure.draw(renderer)\n"
        "    renderer.finalize()"
    ), "FigureCanvasSVG.print_svg changed: update _MeasuringCanvas.print_svg to match"


LINES = {"Sarabun": "ความพึงพอใจ\nสองบรรทัด gypq", "DejaVu Sans": "Satisfaction\ntwo lines gypq"}


def test_font_height_metrics_are_the_ones_matplotlib_computes() -> None:
    """Multi-line texts (their line gap counts) laid out with and without the hook."""
    mpl_adapter._HEIGHTS.clear()
    props = [
        FontProperties(family=family, size=size, weight=weight)
        for family in ("Sarabun", "DejaVu Sans")
        for size in (7.0, 9.5, 11.5)
        for weight in (400, 700)
    ]

    def extents(canvas: type[FigureCanvasAgg]) -> list[tuple[float, ...]]:
        fig = Figure(figsize=(4, 3), dpi=110)
        canvas(fig)
        texts = [fig.text(0.1, 0.1, LINES[p.get_family()[0]], fontproperties=p) for p in props]
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        return [tuple(t.get_window_extent(renderer).bounds) for t in texts]

    assert extents(mpl_adapter._MeasuringCanvas) == extents(FigureCanvasAgg)
    assert mpl_adapter._HEIGHTS  # the hook was asked


def test_shared_text_layouts_tell_apart_everything_a_layout_depends_on() -> None:
    """One text in every alignment, angle, spacing and size, drawn by the kit's canvas
    (each layout remembered, asked again for the same text) and by matplotlib's own."""
    variants = [
        {"ha": ha, "va": va, "rotation": rotation, "rotation_mode": mode}
        for ha in ("left", "center", "right")
        for va in ("top", "center", "baseline", "bottom", "center_baseline")
        for rotation in (0, 33, 90)
        for mode in ("default", "anchor")
    ]
    variants += [{"linespacing": 1.8}, {"ma": "right"}, {"fontsize": 14}, {"fontweight": 700}]

    def extents(canvas: type[FigureCanvasAgg]) -> list[tuple[float, ...]]:
        fig = Figure(figsize=(4, 3), dpi=110)
        canvas(fig)
        texts = [fig.text(0.5, 0.5, "ความพึงพอใจ\nสองบรรทัด", **kw) for kw in variants]
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        return [tuple(t.get_window_extent(renderer).bounds) for t in texts for _ in (1, 2)]

    mpl_adapter._LAYOUTS.clear()
    ours = extents(mpl_adapter._MeasuringCanvas)
    assert len(mpl_adapter._LAYOUTS) == len(variants)  # one layout each, asked twice
    assert ours == extents(FigureCanvasAgg)


@pytest.fixture(scope="module")
def run(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pmqa_analysis.run.prepare import prepare

    folder = tmp_path_factory.mktemp("prepared") / "run"
    prepare(workspace, folder)
    return folder


def _sections(run: Path) -> list[str]:
    """A unit's report sections as the kernel draws them (7 charts as inline SVG)."""
    report = UnitReport(run, UNIT, "th", rendered=False)
    return [report._section_html(name) for name in SECTIONS]


@pytest.fixture(scope="module")
def sections(run: Path) -> list[str]:
    return _sections(run)


def test_the_report_is_the_same_without_the_measuring_canvas(
    run: Path, sections: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's charts, identical SVG text with matplotlib's own canvas and SVG
    backend (what an untested matplotlib gets), measured afresh or from the tables."""
    assert sections[0] and sum(s.count("<svg") for s in sections) >= 5
    mpl_adapter._MEASURED.clear()
    mpl_adapter._HEIGHTS.clear()
    mpl_adapter._LAYOUTS.clear()
    cold = _sections(run)
    assert mpl_adapter._MEASURED and mpl_adapter._HEIGHTS and mpl_adapter._LAYOUTS
    assert cold == sections  # measured anew == measurements from the shared tables
    monkeypatch.setattr(mpl_adapter, "supported", lambda: False)
    fig = Figure()
    assert type(mpl_adapter.new_canvas(fig)) is FigureCanvasAgg
    assert "_get_font_height_metrics" not in vars(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    assert _sections(run) == sections  # byte for byte


def test_charts_are_the_same_png_without_the_measuring_canvas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def chart() -> Figure:
        frame = pd.DataFrame({"fiscal_year": [2565, 2566, 2567], "mean": [3.9, 4.1, 4.3],
                              "n": [100, 110, 120]})  # fmt: skip
        return plots.trend_chart(frame, title="ค่าเฉลี่ยรายปี\nสองบรรทัด", note="n = 120")

    ours = plots.figure_to_png_bytes(chart())
    monkeypatch.setattr(mpl_adapter, "supported", lambda: False)
    assert plots.figure_to_png_bytes(chart()) == ours


# ------------------------------------------------------------------------------- nbconvert


def test_nbconvert_is_a_tested_version() -> None:
    assert nbc_adapter.supported(), (
        f"nbconvert {nbconvert.__version__} installed, the adapter was tested with "
        f"{nbc_adapter.TESTED}: check pmqa_analysis/report/_nbconvert_adapter.py against it, "
        "then widen TESTED"
    )
    assert nbc_adapter.report_exporter_class() is nbc_adapter.ReportExporter


def test_nbconvert_html_export_still_does_what_the_adapter_repeats() -> None:
    """``HTMLExporter.from_notebook_node``: the set-up the adapter repeats, the template's
    page, then the BeautifulSoup pass it leaves out, and nothing else."""
    assert _parameters(HTMLExporter.from_notebook_node) == [
        ("self", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("nb", P.POSITIONAL_OR_KEYWORD, EMPTY),
        ("resources", P.POSITIONAL_OR_KEYWORD, None),
        ("kw", P.VAR_KEYWORD, EMPTY),
    ]
    assert _parameters(TemplateExporter.from_notebook_node) == _parameters(
        HTMLExporter.from_notebook_node
    )
    assert [p[0] for p in _parameters(WidgetsDataTypeFilter.__init__)] == [
        "self", "notebook_metadata", "resources", "kwargs",
    ]  # fmt: skip
    assert _code(HTMLExporter.from_notebook_node) == (
        "langinfo = nb.metadata.get('language_info', {})\n"
        "lexer = langinfo.get('pygments_lexer', langinfo.get('name', None))\n"
        "highlight_code = self.filters.get('highlight_code', "
        "Highlight2HTML(pygments_lexer=lexer, parent=self))\n"
        "resources = self._init_resources(resources)\n"
        "filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, "
        "parent=self, resources=resources)\n"
        "self.register_filter('highlight_code', highlight_code)\n"
        "self.register_filter('filter_data_type', filter_data_type)\n"
        "html, resources = super().from_notebook_node(nb, resources, **kw)\n"
        "soup = BeautifulSoup(html, features='html.parser')\n"
        "missing_alt = 0\n"
        "for elem in soup.select('img:not([alt])'):\n"
        "    elem.attrs['alt'] = 'No description has been provided for this image'\n"
        "    missing_alt += 1\n"
        "if missing_alt:\n"
        "    self.log.warning('Alternative text is missing on %s image(s).', missing_alt)\n"
        "for elem in soup.select('.jp-Notebook div.jp-Cell-inputWrapper'):\n"
        "    elem.attrs['tabindex'] = '0'\n"
        "for elem in soup.select('.jp-Notebook div.jp-OutputArea-output'):\n"
        "    elem.attrs['tabindex'] = '0'\n"
        "return (str(soup), resources)"
    ), "HTMLExporter.from_notebook_node changed: update ReportExporter to match"
    # the metadata it hands the filter is filed under the notebook's path/name
    stored = _code(nbconvert.exporters.exporter.Exporter.from_notebook_node)
    assert "notebook_name = os.path.join(path, name)" in stored
    assert "self._nb_metadata[notebook_name] = nb_copy.metadata" in stored


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _soup_pass(page: str) -> str:
    """What ``HTMLExporter.from_notebook_node`` does to the template's page."""
    soup = BeautifulSoup(page, features="html.parser")
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)


@pytest.mark.parametrize("resources", [{"metadata": {"name": "U01"}}, None, {"x": 1}])
def test_report_exporter_gives_html_exporters_page_but_its_soup_pass(
    sections: list[str], resources: dict[str, Any] | None
) -> None:
    """A unit report's notebook (its sections as outputs, a code cell and an image)."""
    widget = {"application/vnd.jupyter.widget-view+json": {"model_id": "m1"},
              "text/plain": "a widget without state"}  # fmt: skip
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# รายงาน"),
        v4.new_code_cell("print(1)", outputs=[v4.new_output("stream", name="stdout", text="1")]),
        *[v4.new_code_cell("report.section()", outputs=[
            v4.new_output("display_data", data={"text/html": html})]) for html in sections],
        v4.new_code_cell("w", outputs=[v4.new_output("display_data", data=widget)]),
        v4.new_markdown_cell('<img src="x.png">'),
    ], metadata={"language_info": {"name": "python"}, "widgets": {
        "application/vnd.jupyter.widget-state+json": {"state": {"m1": {}}, "version_major": 2,
                                                      "version_minor": 0}}})  # fmt: skip
    options = {"exclude_input": True, "exclude_input_prompt": True, "exclude_output_prompt": True}
    ours, _ = nbc_adapter.ReportExporter(**options).from_notebook_node(nb, resources=resources)
    theirs, _ = HTMLExporter(**options).from_notebook_node(nb, resources=resources)
    assert "viewBox" in ours and "clipPath" in ours  # SVG as drawn
    assert "widget-view+json" in ours  # the filter found the notebook's widget state
    # a widget's output element has a random id (uuid4) each export
    assert _UUID.sub("<uuid>", _soup_pass(ours)) == _UUID.sub("<uuid>", theirs)


def test_outside_the_tested_versions_the_export_is_nbconverts_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(nbc_adapter, "supported", lambda: False)
    assert nbc_adapter.report_exporter_class() is HTMLExporter
