"""Helpers shared by the chart modules (private): language, figure, note, labels."""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.report._mpl_adapter import new_canvas
from pmqa_analysis.report.plots._ticks import freeze_ticks, refreeze_changed
from pmqa_analysis.report.plots.fonts import chart_rc

A4_WIDTH = 7.0  # inches: the text width of an A4 page with 2.5 cm margins, rounded up
#: Resolution of the report PNGs (screens); figures are laid out at it, so the layout's
#: text measurements are reused by the final render instead of being redone at another dpi.
SCREEN_DPI = 110.0
NOTE_SIZE = 7.0

Labels = Mapping[Any, str] | Sequence[str] | None


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


def new_figure(height: float, note: str | None, width: float = A4_WIDTH) -> Figure:
    """A figure outside pyplot's registry, constrained layout, room for the note.

    The figure has its own Agg canvas at :data:`SCREEN_DPI`, so the layout (in
    :func:`finish`) and a PNG saved at that resolution share one renderer; its text
    measurements are shared with every other chart
    (:func:`pmqa_analysis.report._mpl_adapter.new_canvas`).
    """
    if width <= 0 or height <= 0:
        raise InputError(f"figure size must be positive, found {width} x {height} inches")
    fig = Figure(figsize=(width, height), dpi=SCREEN_DPI)
    new_canvas(fig)
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
    # the ticks as plain artists, laid out and drawn once (plots._ticks); an automatic
    # locator's ticks depend on the axes' size: written again if the layout changed them
    frozen = freeze_ticks(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        try:
            engine.execute(fig)
            if refreeze_changed(frozen):
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


def fixed_ticks(
    ax: Any, axis: str, positions: Sequence[float] | np.ndarray, labels: Sequence[str]
) -> None:
    """``ax.set_xticks(positions, labels)`` without building a tick object per position.

    ``set_xticks`` makes and styles every tick at once; the kit's charts draw their
    ticks as plain artists (:mod:`pmqa_analysis.report.plots._ticks`), which need only
    the axis's locator and formatter. The view limits are left as they are (set them).

    Examples
    --------
    >>> fig = Figure()
    >>> ax = fig.add_subplot()
    >>> fixed_ticks(ax, "x", [2566, 2567], ["2566", "2567"])
    >>> list(ax.get_xticks()), [t.get_text() for t in ax.get_xticklabels()]
    ([np.float64(2566.0), np.float64(2567.0)], ['2566', '2567'])
    """
    from matplotlib.ticker import FixedFormatter, FixedLocator

    if len(positions) != len(labels):
        raise InputError(f"{len(labels)} label(s) for {len(positions)} tick(s)")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(FixedLocator([float(p) for p in positions]))
    target.set_major_formatter(FixedFormatter([str(t) for t in labels]))


#: the ``gid`` of the labels :func:`category_axis` writes, per axis
CATEGORY_GID = {"x": "category-x", "y": "category-y"}
#: where :func:`category_axis` may put an axis's labels
_SIDES = {"x": ("bottom", "top"), "y": ("left",)}


def category_axis(
    ax: Any,
    axis: str,
    positions: Sequence[float] | np.ndarray,
    labels: Sequence[str],
    *,
    title: str | None = None,
    side: str | None = None,
    **text_kw: Any,
) -> list[Any]:
    """Label a category axis with plain texts beside the axes, not with tick labels.

    A matplotlib tick is five artists (two marks, a grid line, two labels) that are
    created, located and measured at every layout pass and draw: about 1.5 ms a tick,
    a third of a 20-item chart. A category axis needs only its labels, so they are
    written as texts at the category's data position, outside the axes by the tick pad,
    in the tick labels' font size and colour; they take part in the layout. The axis
    keeps no ticks. The labels are ``ax.texts`` whose ``gid`` is :data:`CATEGORY_GID`
    and the label's number, e.g. ``category-y-0`` (read them back with
    :func:`category_labels`).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    axis : {"x", "y"}
    positions, labels
        The categories' data positions and their texts, in the same order.
    title : str, optional
        The axis title (what ``set_xlabel`` would write), in the axis label's style,
        placed beyond the category labels at draw time, however long they turn out
        (gid ``category-x-title``; read it with :func:`category_title`).
    side : {"bottom", "top"} for x, {"left"} for y
        Where the labels go (default bottom / left).
    **text_kw
        Overrides of the labels' text properties, e.g. ``rotation=45, ha="right",
        rotation_mode="anchor"`` for slanted names.

    Examples
    --------
    >>> fig = Figure()
    >>> ax = fig.add_subplot()
    >>> _ = category_axis(ax, "y", [1.0, 0.0], ["ข้อ 1", "ข้อ 2"], title="ข้อคำถาม")
    >>> [t.get_text() for t in category_labels(ax, "y")], len(ax.get_yticks())
    (['ข้อ 1', 'ข้อ 2'], 0)
    >>> category_title(ax, "y").get_text()
    'ข้อคำถาม'
    """
    if axis not in CATEGORY_GID:
        raise InputError(f"axis must be 'x' or 'y', found {axis!r}")
    side = side or _SIDES[axis][0]
    if side not in _SIDES[axis]:
        raise InputError(f"{axis} labels go {' or '.join(_SIDES[axis])}, found side={side!r}")
    if len(positions) != len(labels):
        raise InputError(f"{len(labels)} label(s) for {len(positions)} position(s)")
    from matplotlib.transforms import Bbox, ScaledTranslation

    rc: Any = matplotlib.rcParams
    pad = rc[f"{axis}tick.major.pad"] / 72.0
    colour = rc[f"{axis}tick.labelcolor"]
    style_kw: dict[str, Any] = {
        "fontsize": rc[f"{axis}tick.labelsize"],
        "color": rc[f"{axis}tick.color"] if colour == "inherit" else colour,
    }
    top = side == "top"
    if axis == "x":
        ax.set_xticks([])
        base = ax.get_xaxis_transform()
        shift = ScaledTranslation(0, pad if top else -pad, ax.figure.dpi_scale_trans)
        style_kw |= {"ha": "center", "va": "bottom" if top else "top"}
        at = [(float(p), 1.0 if top else 0.0) for p in positions]
    else:
        ax.set_yticks([])
        base = ax.get_yaxis_transform()
        shift = ScaledTranslation(-pad, 0, ax.figure.dpi_scale_trans)
        style_kw |= {"ha": "right", "va": "center"}
        at = [(0.0, float(p)) for p in positions]
    texts = [
        # a gid is the SVG element's id: one per label, so a page never repeats one
        ax.text(
            x,
            y,
            label,
            transform=base + shift,
            gid=f"{CATEGORY_GID[axis]}-{i}",
            **(style_kw | text_kw),
        )
        for i, ((x, y), label) in enumerate(zip(at, labels, strict=True))
    ]
    if title is not None:

        def beyond_labels(renderer: Any) -> Any:
            """The axes and their category labels, as drawn: the title sits outside."""
            return Bbox.union(
                [ax.get_window_extent(renderer)]
                + [t.get_window_extent(renderer) for t in texts if t.get_text()]
            )

        gap = float(rc["axes.labelpad"])
        where = {"bottom": ((0.5, 0.0), (0, -gap), "center", "top", 0),
                 "top": ((0.5, 1.0), (0, gap), "center", "bottom", 0),
                 "left": ((0.0, 0.5), (-gap, 0), "right", "center", 90)}[side]  # fmt: skip
        xy, offset, ha, va, rotation = where
        ax.annotate(
            title, xy, xycoords=beyond_labels, xytext=offset, textcoords="offset points",
            ha=ha, va=va, rotation=rotation, fontsize=rc["axes.labelsize"],
            fontweight=rc["axes.labelweight"], color=rc["axes.labelcolor"],
            gid=f"{CATEGORY_GID[axis]}-title",
        )  # fmt: skip
    return texts


def category_labels(ax: Any, axis: str) -> list[Any]:
    """The labels :func:`category_axis` wrote on ``ax``'s ``axis``, in the order given."""
    mark = CATEGORY_GID[axis] + "-"
    return [t for t in ax.texts if str(t.get_gid()).removeprefix(mark).isdigit()]


def category_title(ax: Any, axis: str) -> Any:
    """The title :func:`category_axis` wrote on ``ax``'s ``axis``, or None."""
    gid = CATEGORY_GID[axis] + "-title"
    return next((t for t in ax.texts if t.get_gid() == gid), None)
