"""A finished chart's ticks as plain artists: drawn like matplotlib's, laid out once (private).

A matplotlib tick is five artists (two marks, a grid line, two labels) that its axis
locates, formats and measures again at every layout pass and every draw: in the kit's
charts, about a fifth of the time a report's charts take. :func:`freeze_ticks` runs the
axis's own locator and formatter once, for the figure as it is finished, and writes what
the axis would draw as one artist of the axes (:class:`FrozenTicks`, in ``ax.artists``),
styled from one of the axis's own ticks (``Axis.get_major_ticks``: the same marker, sizes,
colours, font, pad, grid line):

- the grid lines of an axis as one ``Line2D`` and the marks of each side as one ``Line2D``
  of tick markers, drawn at the axis's z-order, so they stack with the data as the axis
  did;
- the labels as texts (:func:`tick_labels`);
- the axis title (``set_xlabel``) as a text placed at draw time beyond the labels, as the
  axis places its own (:func:`axis_title`); the axis's own label keeps its text
  (``ax.get_xlabel()``) but is no longer drawn.

None has a ``gid``: in an SVG each gets an id of its own, unique in the chart.

The chart's own ``ax.lines`` and ``ax.texts`` are unchanged. The axis itself is left
without ticks. An axis is left as it is when it has minor ticks, an offset or scientific
multiplier (``1e6``), or is a colour bar's. The ticks depend on the axes' size (an
automatic locator fits as many as there is room for), so :func:`refreeze_changed`
compares them after the layout and writes again the axes whose ticks the final size
changes. :func:`thaw_ticks` gives a figure its live ticks back, for a caller who changes
the limits of a finished chart.

Examples
--------
>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(4, 3))
>>> ax = fig.add_subplot()
>>> _ = ax.plot([0, 10], [0, 1])
>>> _ = ax.set_xlabel("ปี")
>>> frozen = freeze_ticks(fig)
>>> [t.get_text() for t in tick_labels(ax, "x")], len(ax.get_xticks())
(['0', '2', '4', '6', '8', '10'], 0)
>>> axis_title(ax, "x").get_text(), ax.get_xlabel()
('ปี', 'ปี')
>>> thaw_ticks(fig)
>>> len(ax.get_xticks()) > 0, tick_labels(ax, "x")
(True, [])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.ticker import NullLocator
from matplotlib.transforms import Bbox

__all__ = [
    "FrozenTicks",
    "axis_title",
    "freeze_ticks",
    "refreeze_changed",
    "thaw_ticks",
    "tick_labels",
]


class FrozenTicks(Artist):
    """One axis's ticks, drawn as the axis draws them: grid lines, marks, labels, title.

    An artist of the axes (``ax.artists``) at the axis's z-order, so it stacks with the
    data as the axis did; the data's own ``ax.lines`` and ``ax.texts`` stay the chart's.
    Its extent (the layout's) is that of its labels and title. ``locator`` is the axis's
    own, detached; ``locs`` the locations written.
    """

    def __init__(self, ax: Any, name: str, locator: Any, locs: list[float]) -> None:
        super().__init__()
        self.ax, self.name, self.locator, self.locs = ax, name, locator, locs
        self.lines: list[Any] = []
        self.labels: list[Any] = []
        self.title: Any = None
        self.label_shown = True

    def get_children(self) -> list[Any]:
        return [*self.lines, *self.labels, *([self.title] if self.title is not None else [])]

    def draw(self, renderer: Any) -> None:
        if not self.get_visible():
            return
        renderer.open_group("ticks", gid=self.get_gid())
        for artist in self.get_children():
            artist.draw(renderer)
        renderer.close_group("ticks")
        self.stale = False

    def get_window_extent(self, renderer: Any = None) -> Any:
        boxes = [t.get_window_extent(renderer) for t in self.get_children()
                 if isinstance(t, Text) and t.get_visible() and t.get_text()]  # fmt: skip
        return Bbox.union(boxes) if boxes else Bbox.null()

    def get_tightbbox(self, renderer: Any = None) -> Any:
        box = self.get_window_extent(renderer)
        return None if box.width == 0 and box.height == 0 else box


def _axis(ax: Any, name: str) -> Any:
    return ax.xaxis if name == "x" else ax.yaxis


def _shown_locs(axis: Any, locator: Any) -> tuple[list[float], list[float]]:
    """All major locations, and those the axis draws (within its view, as matplotlib
    keeps them: ``_interval_contains_close`` in the axis's scale)."""
    locs = [float(v) for v in locator()]
    low, high = sorted(axis.get_view_interval())
    to = axis.get_transform().transform
    t_low, t_high = sorted(float(v) for v in to(np.array([low, high])))
    eps = 1e-10 * (t_high - t_low)
    shown = [v for v, t in zip(locs, to(np.array(locs, dtype=float)).tolist(), strict=True)
             if t_low - eps <= t <= t_high + eps] if locs else []  # fmt: skip
    return locs, shown


def _freezable(ax: Any, name: str) -> bool:
    axis = _axis(ax, name)
    if ax.get_label() == "<colorbar>" or not axis.get_visible():
        return False
    if not isinstance(axis.get_minor_locator(), NullLocator):
        return False
    return not isinstance(axis.get_major_locator(), NullLocator)


def _beyond(ax: Any, texts: list[Any], name: str) -> Any:
    """A callable ``xycoords``: the axes widened to their tick labels across the axis."""

    def extent(renderer: Any) -> Any:
        box = ax.get_window_extent(renderer)
        shown = [t.get_window_extent(renderer) for t in texts if t.get_text()]
        union = Bbox.union([box, *shown])
        if name == "x":  # along the axis: the axes' own extent, as the axis's title keeps
            return Bbox.from_extents(box.x0, union.y0, box.x1, union.y1)
        return Bbox.from_extents(union.x0, box.y0, union.x1, box.y1)

    return extent


def _freeze_axis(ax: Any, name: str) -> FrozenTicks | None:
    axis = _axis(ax, name)
    formatter = axis.get_major_formatter()
    locator = axis.get_major_locator()
    locs, shown = _shown_locs(axis, locator)
    labels = formatter.format_ticks(locs) if locs else []
    if getattr(formatter, "get_offset", lambda: "")():
        return None  # an offset or multiplier text: leave the axis to draw it
    texts_of = dict(zip(locs, labels, strict=True))
    proto = axis.get_major_ticks(1)[0]  # styled as every tick of this axis
    frozen = FrozenTicks(ax, name, locator, shown)
    fig = ax.get_figure(root=False)
    at = np.asarray(shown, dtype=float)

    def line(proto_line: Any, xs: Any, ys: Any, kind: str) -> None:
        if not proto_line.get_visible() or not len(at):
            return
        new = Line2D([], [])
        new.update_from(proto_line)
        new.set_data((xs, ys) if name == "x" else (ys, xs))
        new.set_figure(fig)
        if kind == "grid":  # clipped to the axes, as the axis clips its grid lines
            new.set_clip_path(ax.patch)
        else:
            new.set_clip_on(False)
        frozen.lines.append(new)

    if proto.gridline.get_visible() and len(at):
        grid_x = np.repeat(at, 3)
        grid_x[2::3] = np.nan
        grid_y = np.tile([0.0, 1.0, np.nan], len(at))
        line(proto.gridline, grid_x, grid_y, "grid")
    line(proto.tick1line, at, np.zeros(len(at)), "marks1")
    line(proto.tick2line, at, np.ones(len(at)), "marks2")
    texts: list[Any] = []
    for which, where in ((proto.label1, 0.0), (proto.label2, 1.0)):
        if not which.get_visible():
            continue
        for loc in shown:
            text = Text(loc, where) if name == "x" else Text(where, loc)
            text.update_from(which)
            text.set(text=texts_of[loc], figure=fig, clip_on=False)
            texts.append(text)
    frozen.labels = texts
    label = axis.label
    frozen.label_shown = label.get_visible()
    if label.get_visible() and label.get_text():
        side = axis.get_label_position()
        xy = {"bottom": (0.5, 0.0), "top": (0.5, 1.0), "left": (0.0, 0.5), "right": (1.0, 0.5)}
        sign = {"bottom": (0, -1), "top": (0, 1), "left": (-1, 0), "right": (1, 0)}[side]
        pad = float(axis.labelpad)
        frozen.title = Annotation(
            label.get_text(), xy[side], xycoords=_beyond(ax, texts, name),
            xytext=(sign[0] * pad, sign[1] * pad), textcoords="offset points",
            ha=label.get_ha(), va=label.get_va(), rotation=label.get_rotation(),
            rotation_mode=label.get_rotation_mode(),
            fontproperties=label.get_fontproperties().copy(), color=label.get_color(),
        )  # fmt: skip
        frozen.title.set_figure(fig)
        label.set_visible(False)
    frozen.set_zorder(axis.get_zorder())
    ax.add_artist(frozen)
    frozen.set_clip_on(False)  # drawn beyond the axes, and part of their layout
    axis.set_major_locator(NullLocator())
    return frozen


def freeze_ticks(fig: Any) -> list[FrozenTicks]:
    """Write the major ticks of every axis of ``fig`` as plain artists (see the module)."""
    frozen = []
    for ax in fig.axes:
        for name in ("x", "y"):
            if _freezable(ax, name):
                done = _freeze_axis(ax, name)
                if done is not None:
                    frozen.append(done)
    return frozen


def _thaw(item: FrozenTicks) -> None:
    item.remove()
    axis = _axis(item.ax, item.name)
    axis.set_major_locator(item.locator)
    axis.label.set_visible(item.label_shown)


def _frozen(ax: Any, name: str) -> FrozenTicks | None:
    return next((a for a in ax.artists if isinstance(a, FrozenTicks) and a.name == name), None)


def refreeze_changed(frozen: list[FrozenTicks]) -> bool:
    """Write again the axes whose ticks the axes' final size changes; whether any did."""
    changed = False
    for k, item in enumerate(frozen):
        if _shown_locs(_axis(item.ax, item.name), item.locator)[1] == item.locs:
            continue
        _thaw(item)
        again = _freeze_axis(item.ax, item.name)
        if again is not None:
            frozen[k] = again
        changed = True
    return changed


def thaw_ticks(fig: Any) -> None:
    """Give the frozen axes of ``fig`` their live matplotlib ticks back (e.g. before
    changing a finished chart's limits)."""
    for ax in fig.axes:
        for item in [a for a in ax.artists if isinstance(a, FrozenTicks)]:
            _thaw(item)


def tick_labels(ax: Any, name: str) -> list[Any]:
    """The tick labels :func:`freeze_ticks` wrote for ``ax``'s axis ``name``, in order."""
    item = _frozen(ax, name)
    return [] if item is None else list(item.labels)


def axis_title(ax: Any, name: str) -> Any:
    """The axis title :func:`freeze_ticks` wrote for ``ax``'s axis ``name``, or None."""
    item = _frozen(ax, name)
    return None if item is None else item.title
