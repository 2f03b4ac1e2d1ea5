"""Diverging stacked bars of Likert answers (one bar per item)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.labels import check_language
from pmqa_analysis.report.plots._common import (
    A4_WIDTH,
    Labels,
    category_axis,
    finish,
    fixed_ticks,
    fmt_number,
    hatched_style,
    ink_for,
    n_note,
    new_figure,
    pick,
    require_columns,
    resolve_labels,
    shade,
    style,
    wrap,
)

__all__ = ["likert_bars", "likert_colors"]

_PCT = re.compile(r"^pct_(-?\d+)$")
_NEUTRAL = "#d4d4d4"
# hatches for the negative side, densest for the lowest level
_NEG_HATCHES = ("xxx", "///", "//", "/")
MIN_LABEL_PCT = 5.0
BAR_HEIGHT = 0.68


def _bar(left: float, width: float, y: float) -> list[tuple[float, float]]:
    """The corners of one horizontal bar segment, as ``barh`` would draw it."""
    lo, hi = y - BAR_HEIGHT / 2, y + BAR_HEIGHT / 2
    return [(left, lo), (left, hi), (left + width, hi), (left + width, lo)]


def likert_colors(n_levels: int) -> list[tuple[float, float, float, float]]:
    """Colours for ``n_levels`` ordered levels, lowest first.

    Dark orange-red for the lowest level, lighter towards the middle, light grey for
    the neutral level of an odd scale, then light to dark blue: the levels differ in
    lightness, so the order survives black-and-white printing (the negative side is
    also hatched by :func:`likert_bars`).

    Examples
    --------
    >>> len(likert_colors(5)), likert_colors(5)[2] == likert_colors(3)[1]
    (5, True)
    """
    if n_levels < 2:
        raise InputError(f"a Likert chart needs at least 2 levels, found {n_levels}")
    half = n_levels // 2
    neg = colormaps["Oranges"]
    pos = colormaps["Blues"]
    # darkest (0.85) at the ends, lightest (0.35) next to the middle
    steps = np.linspace(0.85, 0.35, half) if half > 1 else np.array([0.6])
    out = [tuple(float(v) for v in neg(s)) for s in steps]
    if n_levels % 2:
        rgb = tuple(int(_NEUTRAL[i : i + 2], 16) / 255 for i in (1, 3, 5))
        out.append((*rgb, 1.0))
    out += [tuple(float(v) for v in pos(s)) for s in steps[::-1]]
    return out  # type: ignore[return-value]


def _levels(summary: pd.DataFrame, labels: Any, language: str) -> tuple[list[int], list[str]]:
    """Scores (from the pct_<score> columns / the scale) and their display labels."""
    found = sorted(int(m.group(1)) for c in summary.columns if (m := _PCT.match(str(c))))
    if hasattr(labels, "scores"):  # a scales.Scale
        scores = [int(s) for s in labels.scores]
        names = [str(x) for x in getattr(labels, f"labels_{language}", scores)]
    elif isinstance(labels, Mapping):
        scores = sorted(int(s) for s in labels)
        names = [str(labels[s]) for s in scores]
    elif isinstance(labels, Sequence) and not isinstance(labels, str):
        scores, names = found, [str(x) for x in labels]
        if len(names) != len(scores):
            raise InputError(
                f"likert_bars: {len(names)} label(s) given for {len(scores)} level column(s) "
                f"{', '.join(f'pct_{s}' for s in scores)}. Fix: one label per score, lowest "
                "score first, or pass the Scale / a mapping score -> label."
            )
    else:
        raise InputError(
            "likert_bars: labels must be a Scale, a mapping score -> label or a list of "
            f"labels (lowest score first), found {type(labels).__name__}"
        )
    missing = [f"pct_{s}" for s in scores if f"pct_{s}" not in summary.columns]
    if missing or len(scores) < 2:
        raise InputError(
            f"likert_bars: level column(s) {', '.join(missing) or '(none)'} not found; the "
            f"summary has {', '.join(f'pct_{s}' for s in found) or 'no pct_<score> column'}. "
            "Fix: pass the frame from items.item_summary with the same scale."
        )
    return scores, names


def likert_bars(
    summary: pd.DataFrame,
    *,
    labels: Any,
    item_col: str = "item_code",
    n_col: str = "n",
    item_labels: Labels = None,
    title: str | None = None,
    note: str | None = None,
    language: str = "th",
    width: float = A4_WIDTH,
    wrap_at: int = 45,
) -> Figure:
    """Diverging stacked horizontal bars: the share of each answer level per item.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per item, in questionnaire order (``items.item_summary`` filtered to
        one group), with ``pct_<score>`` for every level, ``item_col`` and ``n_col``.
        Not modified.
    labels : Scale, mapping score -> label or list of str
        The scale's level labels, lowest score first (a ``scales.Scale`` gives the
        labels in ``language``). Every level is drawn and listed in the legend, even
        one nobody chose.
    item_col, n_col : str
        Columns with the item code and the item's number of answers.
    item_labels : mapping item -> text or list of str, optional
        Row labels (e.g. the questionnaire's ``item_th``); default the item codes.
    title, note : str, optional
        Chart title (default per language) and the small source/n note at the bottom
        left (default: the range of n; ``""`` for none).
    language : {"th", "en"}
        Language of the default title, axis label and note.
    width : float
        Figure width in inches (height grows with the number of items).
    wrap_at : int
        Wrap row labels longer than this many characters at spaces.

    Returns
    -------
    matplotlib.figure.Figure
        Not registered with pyplot; save it or pass it to
        :func:`~pmqa_analysis.report.plots.figure_to_png_bytes`.

    Notes
    -----
    Bars are centred on the neutral level: levels below it extend to the left, above
    it to the right; on an odd scale the neutral level is split half on each side,
    an even scale has no neutral level (Robbins & Heiberger, 2011, "Plotting Likert
    and other rating scales", JSM Proceedings). Percentages of 5 % or more are
    written in their segment; rows without figures (suppressed, n = 0) show a note.

    Examples
    --------
    >>> s = pd.DataFrame({"item_code": ["Q1", "Q2"], "n": [40, 38],
    ...                   "pct_1": [5.0, 0.0], "pct_2": [10.0, 5.3], "pct_3": [25.0, 21.1],
    ...                   "pct_4": [40.0, 47.4], "pct_5": [20.0, 26.3]})
    >>> fig = likert_bars(s, labels=["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"])
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['น้อยที่สุด', 'น้อย', 'ปานกลาง', 'มาก', 'มากที่สุด']
    """
    language = check_language(language)
    require_columns(summary, [item_col, n_col], "likert_bars")
    scores, names = _levels(summary, labels, language)
    if summary[item_col].duplicated().any():
        dup = summary.loc[summary[item_col].duplicated(), item_col].iloc[0]
        raise InputError(
            f"likert_bars: item {dup!r} appears more than once; the chart shows one group. "
            "Fix: filter the summary to one unit/group first (e.g. summary[summary.unit_code "
            "== 'U01']) and draw one chart per group."
        )
    if summary.empty:
        raise InputError("likert_bars: the summary has no rows; nothing to draw")
    pct = summary[[f"pct_{s}" for s in scores]].to_numpy(dtype=float)
    n = pd.to_numeric(summary[n_col], errors="coerce").to_numpy(dtype=float)
    rows = resolve_labels(list(summary[item_col]), item_labels, "item_labels")
    rows = [wrap(r, wrap_at) for r in rows]
    k = len(scores)
    half = k // 2
    colors = likert_colors(k)
    hatches = [_NEG_HATCHES[min(i, len(_NEG_HATCHES) - 1)] for i in range(half)]
    hatches += [""] * (k - half)
    empty = ~np.isfinite(pct).all(axis=1) | ~(n > 0)
    filled = np.where(empty[:, None], 0.0, pct)
    left_share = filled[:, :half].sum(axis=1) + (filled[:, half] / 2 if k % 2 else 0.0)
    start = -left_share
    if note is None:
        note = n_note(
            n, language, "คนต่อข้อ; ร้อยละคิดจากผู้ตอบแต่ละข้อ", "per item; percent of each item's answers"
        )
    n_rows = len(rows)
    lines = sum(r.count("\n") + 1 for r in rows)
    height = 1.55 + 0.30 * n_rows + 0.14 * (lines - n_rows) + (0.15 if note else 0)
    with style():
        fig = new_figure(height, note, width)
        ax = fig.add_subplot()
        y = np.arange(n_rows)[::-1].astype(float)  # first item at the top
        offset = start.copy()
        for j in range(k):
            w = filled[:, j]
            # one collection a level (not a Rectangle a segment: a fifth of the chart's cost)
            segments = PolyCollection(
                [_bar(offset[i], w[i], y[i]) for i in range(n_rows)],
                gid=f"level-{scores[j]}",
                **hatched_style(colors[j], hatches[j], 0.8),
            )
            ax.add_collection(segments, autolim=False)
            ink = ink_for(colors[j])
            for i in np.flatnonzero(w >= MIN_LABEL_PCT).tolist():
                # a box of the segment's colour hides hatching and the zero line (only
                # drawn where there is one of them to hide: elsewhere it is invisible)
                boxed = bool(hatches[j]) or offset[i] < 0 < offset[i] + w[i]
                ax.text(
                    offset[i] + w[i] / 2,
                    y[i],
                    f"{w[i]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color=ink,
                    bbox={"boxstyle": "square,pad=0.08", "fc": colors[j], "ec": "none"}
                    if boxed
                    else None,
                    in_layout=False,  # inside its bar: never sets a margin
                )
            offset = offset + w
        right = offset
        extent = max(float(np.max(-start)), float(np.max(right))) + 4.0  # room at the ends
        lim = max(50.0, float(np.ceil(extent / 10.0) * 10.0))
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-0.6, n_rows - 0.4)
        step = 25.0 if lim > 60 else 10.0 if lim <= 50 else 20.0
        half_ticks = np.arange(0.0, lim + 0.5, step)
        ticks = np.r_[-half_ticks[:0:-1], half_ticks]  # symmetric, with 0 in the middle
        fixed_ticks(ax, "x", ticks, [f"{abs(t):.0f}%" for t in ticks])
        ax.axvline(0, color="0.2", linewidth=0.9)
        category_axis(ax, "y", y, rows)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x", color="0.9", linewidth=0.6)
        ax.set_axisbelow(True)
        for i in range(n_rows):
            text = f"n = {fmt_number(n[i])}" if np.isfinite(n[i]) else "n = –"
            ax.text(
                1.01,
                y[i],
                text,
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=7.5,
                color="0.3",
            )
            if empty[i]:
                ax.text(
                    0,
                    y[i],
                    pick(language, "ข้อมูลไม่เพียงพอ", "not enough answers"),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="0.35",
                    style="italic",
                    in_layout=False,  # centred in the plotting area
                )
        ax.set_xlabel(
            pick(
                language,
                "ร้อยละของผู้ตอบ (ด้านลบ ← | → ด้านบวก)",
                "% of respondents (negative ← | → positive)",
            )
        )
        handles = [
            Patch(
                facecolor=colors[j],
                hatch=hatches[j],
                edgecolor=shade(colors[j]),
                linewidth=0.4,
                label=names[j],
            )
            for j in range(k)
        ]
        ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=k,
            handlelength=1.6,
            columnspacing=1.1,
            borderaxespad=0.3,
        )
        default = pick(
            language, "การกระจายของระดับความพึงพอใจรายข้อ", "Distribution of answers per item"
        )
        return finish(fig, default if title is None else title, note)
