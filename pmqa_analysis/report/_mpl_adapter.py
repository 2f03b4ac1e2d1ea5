"""The charts' canvas: matplotlib's Agg canvas sharing text measurements across figures.

The one place that relies on matplotlib's internals, for speed only (the charts are the
same without it, tested):

- :class:`_MeasuringCanvas` is matplotlib's ``FigureCanvasAgg`` whose renderers remember
  text sizes and font line metrics in process-wide tables (:data:`_MEASURED`,
  :data:`_HEIGHTS`) instead of one cache per renderer.  It wraps each renderer's public
  ``get_text_width_height_descent`` and gives the renderer a ``_get_font_height_metrics``
  method, the private hook ``Text._get_layout`` asks before it finds the font file itself
  (with ``FontManager._find_fonts_by_props``, which :func:`_font_height_metrics` calls the
  same way).  Its ``print_svg`` is a copy of ``FigureCanvasSVG.print_svg`` whose SVG
  renderer shares the tables too.
- The texts of a figure drawn on it ask :func:`_shared_layout` for their layout (an
  instance attribute over the private ``Text._get_layout``, keyed by everything that
  method reads): the same text in the same font, angle and alignment is laid out once
  per renderer kind and dpi, not at every layout pass, extent query and draw (5% of a
  unit report's chart calls).
- Measured on the demo run's 12 units (the default notebook's sections, 7 charts a unit,
  warm process): 0.64 s a unit with it, 0.96 s with matplotlib's own canvas.  Of that, the
  font line metrics hook saves 0.14 s (layout and SVG), the ``print_svg`` copy 0.13 s (the
  SVG), the shared text sizes the rest.

Written against matplotlib 3.11.2; :data:`TESTED` gives the versions where
:func:`new_canvas` gives the measuring canvas.  With another version installed it gives
matplotlib's own ``FigureCanvasAgg`` (the public path: the same charts, byte for byte,
about a third slower) and ``tests/test_adapters_report.py`` fails, asking for this module
to be checked against the new version.

Examples
--------
>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(1, 1))
>>> canvas = new_canvas(fig)
>>> fig.canvas is canvas, isinstance(canvas, _MeasuringCanvas) == supported()
(True, True)
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import Any

import matplotlib
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["TESTED", "installed", "new_canvas", "supported"]

#: library -> (lowest tested version, first untested version)
TESTED: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "matplotlib": ((3, 11), (3, 12)),
}

#: text measurements shared by every chart of the process (see :class:`_MeasuringCanvas`)
_MEASURED: dict[tuple[Any, ...], tuple[float, float, float]] = {}
#: the layouts of texts (see :func:`_shared_layout`)
_LAYOUTS: dict[tuple[Any, ...], Any] = {}
#: the vertical metrics of a font at a size and dpi (see :func:`_font_height_metrics`)
_HEIGHTS: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}
_MEASURED_MAX = 50_000
#: matplotlib's own ``Text._get_layout`` (what :func:`_shared_layout` remembers)
_TEXT_LAYOUT = Text._get_layout  # type: ignore[attr-defined]
#: the two line-metric tables a Text's layout reads, in matplotlib's order of preference
_LINE_TABLES = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"))  # fmt: skip


def installed() -> dict[str, tuple[int, int]]:
    """The installed (major, minor) of each library in :data:`TESTED`.

    Examples
    --------
    >>> sorted(installed()) == sorted(TESTED)
    True
    """
    parts = re.findall(r"\d+", str(matplotlib.__version__))[:2]
    return {"matplotlib": (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)}


@functools.cache
def supported() -> bool:
    """Whether the installed versions are the tested ones (then the measuring canvas is used)."""
    versions = installed()
    return all(low <= versions[name] < high for name, (low, high) in TESTED.items())


def new_canvas(fig: Figure) -> FigureCanvasAgg:
    """Give ``fig`` its Agg canvas: :class:`_MeasuringCanvas` with a tested matplotlib,
    matplotlib's own ``FigureCanvasAgg`` otherwise."""
    canvas = _MeasuringCanvas if supported() else FigureCanvasAgg
    return canvas(fig)


def _remember(table: dict[Any, Any], key: Any, compute: Any) -> Any:
    """``table[key]``, computed by ``compute()`` the first time; a full table starts over."""
    found = table.get(key)
    if found is None:
        if len(table) >= _MEASURED_MAX:
            table.clear()
        found = table[key] = compute()
    return found


def _font_height_metrics(prop: Any, dpi: float) -> tuple[float | None, ...]:
    """A font's ascent, descent and line gap in pixels, as ``Text._get_layout`` reads them.

    matplotlib (3.11) works these out for every text at every layout, finding the font
    file and reading its tables each time (about a third of a chart's text layout); a
    renderer with a ``_get_font_height_metrics`` method is asked instead, which is what
    :func:`_share_measurements` gives the kit's renderers. The numbers are the ones
    matplotlib computes (same tables, same order, same scaling; tested).
    """

    def read() -> tuple[float | None, ...]:
        from matplotlib.font_manager import fontManager, get_font

        font: Any = get_font(fontManager._find_fonts_by_props(prop))
        for table_name, gap_key, ascent_key, descent_key in _LINE_TABLES:
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
            # matplotlib's own order of operations: the same floats to the last bit
            scale = 1 / units_per_em * prop.get_size_in_points() * dpi / 72
            return (table[ascent_key] * scale, -table[descent_key] * scale,
                    table[gap_key] * scale)  # fmt: skip
        return (None, None, None)

    # FontProperties compare equal when their hashes do
    return _remember(_HEIGHTS, (hash(prop), dpi), read)  # type: ignore[no-any-return]


def _share_measurements(renderer: Any, dpi: float, kind: str) -> Any:
    """Give one renderer the process-wide tables of text sizes and font metrics.

    ``kind`` names how the renderer measures ("agg": hinted FreeType at ``dpi``; "svg":
    unhinted outlines at 72 dpi), so the two never share an entry.
    """
    if "get_text_width_height_descent" in vars(renderer):
        return renderer
    measure = renderer.get_text_width_height_descent

    def cached(s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
        rc = matplotlib.rcParams
        key = (kind, s, hash(prop), ismath, dpi, rc["text.hinting"],
               rc["text.hinting_factor"], rc["mathtext.fontset"])  # fmt: skip
        return _remember(_MEASURED, key, lambda: measure(s, prop, ismath))  # type: ignore[no-any-return]

    renderer.get_text_width_height_descent = cached
    renderer._get_font_height_metrics = lambda prop: _font_height_metrics(prop, dpi)
    renderer.pmqa_measures = (kind, dpi)  # what _shared_layout keys a text's layout by
    return renderer


def _layout_key(text: Any, measures: tuple[str, float]) -> tuple[Any, ...] | None:
    """Everything ``Text._get_layout`` reads (matplotlib 3.11), or None for a text whose
    layout depends on more (wrapped to the figure, TeX)."""
    if text.get_wrap() or text.get_usetex():
        return None
    rc = matplotlib.rcParams
    return (measures, text.get_text(), hash(text.get_fontproperties()), text.get_rotation(),
            text.get_horizontalalignment(), text.get_verticalalignment(),
            text.get_rotation_mode(), text._get_multialignment(), text.get_linespacing(),
            text.get_parse_math(), text.get_figure(root=True).dpi, rc["text.hinting"],
            rc["text.hinting_factor"], rc["mathtext.fontset"])  # fmt: skip


def _shared_layout(text: Any, renderer: Any) -> Any:
    """``Text._get_layout`` remembered process-wide for the kit's renderers.

    A text's layout (its box and lines relative to its anchor) is worked out at every
    layout pass, extent query and draw; the same text in the same font, angle and
    alignment gets the same layout, so it is computed once per renderer kind and dpi.
    Any other renderer gets matplotlib's own method. The box is a copy each time (a
    caller may move it).
    """
    measures = getattr(renderer, "pmqa_measures", None)
    key = None if measures is None else _layout_key(text, measures)
    if key is None:
        return _TEXT_LAYOUT(text, renderer)
    bbox, info, descent = _remember(_LAYOUTS, key, lambda: _TEXT_LAYOUT(text, renderer))
    return bbox.frozen(), list(info), descent


def _share_layouts(figure: Figure) -> None:
    """Let every text of ``figure`` ask :func:`_shared_layout` for its layout."""
    for text in figure.findobj(Text):
        if "_get_layout" not in vars(text):
            text._get_layout = functools.partial(_shared_layout, text)  # type: ignore[attr-defined]


class _MeasuringCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderers remember text sizes across figures.

    matplotlib caches a text's measured size per renderer, and every figure has its own,
    so each chart measured its tick labels, item labels and legend again: a report's
    seven charts share many strings, and a batch kernel draws the same questionnaire's
    labels for every unit. Shaping Thai text is the dearest step of a layout (about
    1 ms a string), so the kit's own charts share one table of measurements, keyed by
    everything the size depends on (the text, the font properties, math mode, dpi,
    hinting); the sizes are the ones the renderer itself returns. The font's line
    metrics, which matplotlib looks up for every text, are shared the same way
    (:func:`_font_height_metrics`). Saving as SVG (:meth:`print_svg`) draws with an SVG
    renderer that shares them too. Only figures given a canvas by :func:`new_canvas` use it.
    """

    def get_renderer(self) -> Any:
        renderer = super().get_renderer()
        _share_layouts(self.figure)
        return _share_measurements(renderer, renderer.dpi, "agg")

    def print_svg(
        self, filename: Any, *, bbox_inches_restore: Any = None, metadata: Any = None,
        **_: Any,
    ) -> None:  # fmt: skip
        """matplotlib's ``FigureCanvasSVG.print_svg``, its renderer sharing measurements."""
        from matplotlib.backends.backend_mixed import MixedModeRenderer
        from matplotlib.backends.backend_svg import RendererSVG

        fh: Any
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72  # print_figure restores it
            width, height = self.figure.get_size_inches()
            svg = RendererSVG(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata)
            _share_layouts(self.figure)
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi, _share_measurements(svg, 72.0, "svg"),
                bbox_inches_restore=bbox_inches_restore,
            )  # fmt: skip
            self.figure.draw(renderer)  # type: ignore[arg-type]  # a renderer by proxy
            renderer.finalize()
