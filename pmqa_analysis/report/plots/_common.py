"""Helpers shared by the chart modules (private): language, figure, note, labels."""

from __future__ import annotations

import codecs
import textwrap
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.report.plots.fonts import chart_rc

A4_WIDTH = 7.0  # inches: the text width of an A4 page with 2.5 cm margins, rounded up
#: Resolution of the report PNGs (screens); figures are laid out at it, so the layout's
#: text measurements are reused by the final render instead of being redone at another dpi.
SCREEN_DPI = 110.0
NOTE_SIZE = 7.0
LANGUAGES = ("th", "en")

Labels = Mapping[Any, str] | Sequence[str] | None


def check_language(language: str) -> str:
    """Return ``language`` or raise an InputError naming the accepted values."""
    if language not in LANGUAGES:
        raise InputError(
            f"language must be 'th' or 'en', found {language!r}. "
            "Fix: pass language='th' (Thai, default) or language='en'."
        )
    return language


def pick(language: str, th: str, en: str) -> str:
    """The Thai or English wording."""
    return th if language == "th" else en


def require_columns(frame: Any, columns: Sequence[Hashable], what: str) -> None:
    """Raise an InputError when ``frame`` is not a DataFrame with ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"{what} expects a pandas DataFrame, found {type(frame).__name__}. "
            "Fix: pass the frame returned by the statistics function."
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{what}: column(s) {', '.join(map(repr, missing))} not found; the frame has "
            f"{', '.join(map(repr, list(frame.columns)[:20]))}. Fix: name the right "
            "columns with the keyword arguments or rename the frame's columns."
        )


def style() -> Any:
    """A context in which the kit's rcParams (Sarabun first) are in force."""
    return matplotlib.rc_context(chart_rc())  # type: ignore[arg-type]


def note_lines(note: str | None) -> int:
    return 0 if not note else note.count("\n") + 1


#: text measurements shared by every chart of the process (see :class:`_MeasuringCanvas`)
_MEASURED: dict[tuple[Any, ...], tuple[float, float, float]] = {}
#: the vertical metrics of a font at a size and dpi (see :func:`_font_height_metrics`)
_HEIGHTS: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}
_MEASURED_MAX = 50_000
#: the two line-metric tables a Text's layout reads, in matplotlib's order of preference
_LINE_TABLES = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"))  # fmt: skip


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
    return renderer


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
    renderer that shares them too. Only figures made by :func:`new_figure` use it.
    """

    def get_renderer(self) -> Any:
        renderer = super().get_renderer()
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
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi, _share_measurements(svg, 72.0, "svg"),
                bbox_inches_restore=bbox_inches_restore,
            )  # fmt: skip
            self.figure.draw(renderer)  # type: ignore[arg-type]  # a renderer by proxy
            renderer.finalize()


def new_figure(height: float, note: str | None, width: float = A4_WIDTH) -> Figure:
    """A figure outside pyplot's registry, constrained layout, room for the note.

    The figure has its own Agg canvas at :data:`SCREEN_DPI`, so the layout (in
    :func:`finish`) and a PNG saved at that resolution share one renderer; its text
    measurements are shared with every other chart (:class:`_MeasuringCanvas`).
    """
    if width <= 0 or height <= 0:
        raise InputError(f"figure size must be positive, found {width} x {height} inches")
    fig = Figure(figsize=(width, height), dpi=SCREEN_DPI)
    _MeasuringCanvas(fig)
    bottom = (0.06 + 0.13 * note_lines(note)) / height if note else 0.0
    fig.set_layout_engine(ConstrainedLayoutEngine(rect=(0.0, bottom, 1.0, 1.0 - bottom)))
    return fig


def finish(fig: Figure, title: str | None, note: str | None) -> Figure:
    """Add the title (top left, bold) and the note (bottom left, small); fix the layout."""
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=11.5, fontweight="bold")
    if note:
        fig.text(
            0.01,
            0.02 / fig.get_figheight(),
            note,
            ha="left",
            va="bottom",
            fontsize=NOTE_SIZE,
            color="0.35",
        )
    # Run the constrained layout once (what a draw would do first), then remove the
    # engine: each later draw would otherwise start from the previous result and move
    # things by a pixel, so two saves of one figure would differ; and savefig draws a
    # figure that has a layout engine twice. A figure without an engine is drawn once per
    # save. Re-enable with fig.set_layout_engine("constrained") after additions.
    engine = fig.get_layout_engine()
    if engine is not None:
        try:
            engine.execute(fig)
        except ValueError:  # axes too small for their decorations: keep them as they are
            pass
    # None means "the rcParams default": make sure that default is no engine
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)
    return fig


def resolve_labels(codes: Sequence[Any], labels: Labels, what: str) -> list[str]:
    """Display labels for ``codes``: a mapping code -> label, a list aligned with codes,
    or the codes themselves."""
    if labels is None:
        return [str(c) for c in codes]
    if isinstance(labels, Mapping):
        return [str(labels.get(c, c)) for c in codes]
    if isinstance(labels, str):
        raise InputError(
            f"{what} must be a mapping code -> label or a list of labels, found a string"
        )
    out = [str(x) for x in labels]
    if len(out) != len(codes):
        raise InputError(
            f"{what} has {len(out)} label(s) for {len(codes)} row(s). Fix: pass one label "
            "per row in the same order, or a mapping code -> label."
        )
    return out


def wrap(text: str, width: int) -> str:
    """Wrap at spaces (Thai text without spaces is left whole)."""
    if width <= 0 or len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def ink_for(color: Any) -> str:
    """Black or white text, whichever reads better on ``color`` (relative luminance)."""
    r, g, b = to_rgb(color)
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if lum > 0.5 else "white"


def fmt_number(value: float, digits: int = 0) -> str:
    """A number with thousands separators (no scientific notation)."""
    if not np.isfinite(value):
        return "–"
    return f"{value:,.{digits}f}"


def unique_in_order(values: pd.Series) -> list[Any]:
    """Distinct values in order of first appearance."""
    return list(pd.unique(values))


def n_note(n: Any, language: str, unit_th: str = "", unit_en: str = "") -> str:
    """A default note "n = 120" (or a range "n = 38–40") from counts; "" without counts."""
    values = pd.to_numeric(pd.Series(n), errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if not values.size:
        return ""
    lo, hi = int(values.min()), int(values.max())
    span = f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
    extra = pick(language, unit_th, unit_en)
    return f"n = {span}" + (f" {extra}" if extra else "")


def shade(color: Any, factor: float = 0.55) -> tuple[float, float, float]:
    """A darker version of ``color`` (hatch and edge ink that reads in grey scale)."""
    r, g, b = to_rgb(color)
    return (r * factor, g * factor, b * factor)


def hatched_style(color: Any, hatch: str, border: float) -> dict[str, Any]:
    """Keyword arguments for a patch drawing one filled, hatched, white-bordered segment.

    The hatch is inked in a darker shade of the fill (``hatchcolor``, apart from the
    white edge), so the segment reads in grey-scale print.

    Examples
    --------
    >>> hatched_style("#1f77b4", "//", 0.8)["edgecolor"]
    'white'
    """
    return {"facecolor": color, "hatch": hatch, "hatchcolor": shade(color),
            "edgecolor": "white", "linewidth": border}  # fmt: skip
