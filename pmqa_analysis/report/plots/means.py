"""Means: dot-and-whisker against province and last year, and fiscal-year trends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.labels import check_language
from pmqa_analysis.report.plots._common import (
    A4_WIDTH,
    Labels,
    category_axis,
    finish,
    fixed_ticks,
    n_note,
    new_figure,
    pick,
    require_columns,
    resolve_labels,
    style,
    unique_in_order,
    wrap,
)

__all__ = ["be_year", "mean_ci_chart", "trend_chart"]

_CURRENT = "#1f4e79"
_REFERENCE = "#8c8c8c"
_PREVIOUS = "#c55a11"
# (marker, linestyle) per series: distinct in black and white
_SERIES_STYLE = (("o", "-"), ("s", "--"), ("^", ":"), ("D", "-."), ("v", (0, (5, 1, 1, 1))))
_SERIES_COLORS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0")


def _values(frame: pd.DataFrame, spec: Any, what: str) -> np.ndarray | None:
    """A column of ``frame`` (by name) or an array aligned with its rows."""
    if spec is None:
        return None
    if isinstance(spec, str):
        require_columns(frame, [spec], "mean_ci_chart")
        return pd.to_numeric(frame[spec], errors="coerce").to_numpy(dtype=float)
    values = np.asarray(spec, dtype=float).ravel()
    if values.size != len(frame):
        raise InputError(
            f"mean_ci_chart: {what} has {values.size} value(s) for {len(frame)} row(s). "
            "Fix: pass a column name of the frame, or one value per row in the same order."
        )
    return values


def mean_ci_chart(
    frame: pd.DataFrame,
    *,
    label_col: str,
    mean_col: str = "mean",
    lo_col: str | None = None,
    hi_col: str | None = None,
    reference: str | Sequence[float] | None = None,
    previous: str | Sequence[float] | None = None,
    target: float | None = None,
    n_col: str | None = "n",
    labels: Labels = None,
    xlim: tuple[float, float] | None = None,
    current_label: str | None = None,
    reference_label: str | None = None,
    previous_label: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    note: str | None = None,
    language: str = "th",
    width: float = A4_WIDTH,
    wrap_at: int = 45,
) -> Figure:
    """Dot-and-whisker chart of item or dimension means, with comparison markers.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per item or dimension, top to bottom in frame order (e.g. the output
        of ``items.dimension_summary`` for one unit). Not modified.
    label_col, mean_col : str
        Row label column and the mean to draw (a filled dot).
    lo_col, hi_col : str, optional
        Interval bounds drawn as whiskers (e.g. a 95% confidence interval).
    reference : str or list of float, optional
        Comparison means (e.g. the province's), a column name or one value per row:
        an open grey diamond.
    previous : str or list of float, optional
        Last year's means, a column name or one value per row: an orange cross.
    target : float, optional
        A target on the same scale as the means (e.g. 4.0): a dashed vertical line.
    n_col : str, optional
        Column of answer counts; when present, the default note states n.
    labels : mapping code -> text or list of str, optional
        Display labels for ``label_col`` values.
    xlim : (float, float), optional
        Axis range, e.g. ``(1, 5)``; default fits the data, the intervals included (a
        small sample's wide interval is shown whole, never clipped at the edge).
    current_label, reference_label, previous_label : str, optional
        Legend entries (defaults per language: this unit / province / last year).
    title, xlabel, note : str, optional
        Title, axis label and the small source/n note at the bottom left.
    language : {"th", "en"}
    width : float
        Figure width in inches.
    wrap_at : int
        Wrap row labels longer than this many characters at spaces.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> d = pd.DataFrame({"dimension_code": ["D1", "D2", "OVERALL"],
    ...                   "mean": [4.2, 3.9, 4.05], "prov": [4.0, 4.1, 4.05]})
    >>> fig = mean_ci_chart(d, label_col="dimension_code", reference="prov", target=4.0,
    ...                     labels={"D1": "กระบวนการ", "D2": "เจ้าหน้าที่", "OVERALL": "ภาพรวม"})
    >>> from pmqa_analysis.report.plots._common import category_labels
    >>> [t.get_text() for t in category_labels(fig.axes[0], "y")]
    ['กระบวนการ', 'เจ้าหน้าที่', 'ภาพรวม']
    """
    language = check_language(language)
    cols = [label_col, mean_col] + [c for c in (lo_col, hi_col) if c is not None]
    require_columns(frame, cols, "mean_ci_chart")
    if (lo_col is None) != (hi_col is None):
        raise InputError("mean_ci_chart: pass both lo_col and hi_col, or neither")
    if frame.empty:
        raise InputError("mean_ci_chart: the frame has no rows; nothing to draw")
    mean = pd.to_numeric(frame[mean_col], errors="coerce").to_numpy(dtype=float)
    ref = _values(frame, reference, "reference")
    prev = _values(frame, previous, "previous")
    # a series without one value (no previous year yet) is neither drawn nor in the legend
    ref, prev = (None if v is None or not np.isfinite(v).any() else v for v in (ref, prev))
    names = [wrap(t, wrap_at) for t in resolve_labels(list(frame[label_col]), labels, "labels")]
    if note is None:
        note = n_note(frame[n_col], language) if n_col and n_col in frame.columns else ""
    n_rows = len(names)
    y = np.arange(n_rows)[::-1].astype(float)
    height = 1.5 + 0.34 * n_rows + (0.15 if note else 0)
    with style():
        fig = new_figure(height, note, width)
        ax = fig.add_subplot()
        handles: list[Any] = []
        lo = hi = None
        if lo_col is not None and hi_col is not None:
            lo = pd.to_numeric(frame[lo_col], errors="coerce").to_numpy(dtype=float)
            hi = pd.to_numeric(frame[hi_col], errors="coerce").to_numpy(dtype=float)
            ax.hlines(y, lo, hi, color=_CURRENT, linewidth=1.6, alpha=0.7)
            ax.vlines(
                np.r_[lo, hi],
                np.r_[y, y] - 0.15,
                np.r_[y, y] + 0.15,
                color=_CURRENT,
                linewidth=1.2,
                alpha=0.7,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    color=_CURRENT,
                    linewidth=1.6,
                    alpha=0.7,
                    label=pick(language, "ช่วงความเชื่อมั่น", "interval"),
                )
            )
        cur = current_label or pick(language, "หน่วยงาน (ปีนี้)", "This unit (this year)")
        ax.plot(mean, y, "o", color=_CURRENT, markersize=7, zorder=4)
        handles.insert(0, Line2D([], [], marker="o", color=_CURRENT, linestyle="", label=cur))
        if ref is not None:
            ax.plot(
                ref,
                y,
                "D",
                markerfacecolor="white",
                markeredgecolor=_REFERENCE,
                markeredgewidth=1.5,
                markersize=7,
                zorder=3,
            )
            lab = reference_label or pick(language, "ภาพรวมจังหวัด", "Province")
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="D",
                    markerfacecolor="white",
                    linestyle="",
                    markeredgecolor=_REFERENCE,
                    markeredgewidth=1.5,
                    label=lab,
                )
            )
        if prev is not None:
            ax.plot(prev, y, "x", color=_PREVIOUS, markersize=7, markeredgewidth=1.8, zorder=3)
            lab = previous_label or pick(language, "ปีที่แล้ว", "Last year")
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="x",
                    color=_PREVIOUS,
                    linestyle="",
                    markeredgewidth=1.8,
                    label=lab,
                )
            )
        if target is not None:
            ax.axvline(target, color="0.3", linestyle="--", linewidth=1.0, zorder=1)
            handles.append(
                Line2D(
                    [],
                    [],
                    color="0.3",
                    linestyle="--",
                    linewidth=1.0,
                    label=pick(language, f"เป้าหมาย {target:g}", f"Target {target:g}"),
                )
            )
        for yi, m in zip(y, mean, strict=True):
            if np.isfinite(m):
                ax.annotate(
                    f"{m:.2f}",
                    (m, yi),
                    xytext=(0, 6),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=7.5,
                    color=_CURRENT,
                    # only the top row's value can reach past the plotting area
                    in_layout=bool(yi == y[0]),
                )
        if xlim is not None:
            ax.set_xlim(*xlim)
        else:
            # the intervals too: a clipped interval would read as a line without ends
            data = np.concatenate([a for a in (mean, ref, prev, lo, hi) if a is not None])
            data = data[np.isfinite(data)]
            if target is not None:
                data = np.r_[data, target]
            if data.size:
                pad = max(0.15, 0.08 * float(np.ptp(data)))
                ax.set_xlim(float(data.min()) - pad, float(data.max()) + pad)
        ax.set_ylim(-0.7, n_rows - 0.3)
        category_axis(ax, "y", y, names)
        ax.grid(axis="x", color="0.9", linewidth=0.6)
        # the rows' guide lines, as one collection below the data (the axis has no ticks)
        ax.hlines(
            y,
            0,
            1,
            transform=ax.get_yaxis_transform(),
            color="0.95",
            linewidth=0.5,
            zorder=0.5,
            gid="row-grid",
        )
        ax.set_axisbelow(True)
        ax.set_xlabel(xlabel or pick(language, "ค่าเฉลี่ย", "Mean score"))
        ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=len(handles),
            borderaxespad=0.3,
        )
        default = pick(language, "ค่าเฉลี่ยความพึงพอใจ", "Mean satisfaction")
        return finish(fig, default if title is None else title, note)


def be_year(year: float) -> int:
    """A year in the Buddhist Era: years above 2400 are taken as BE already.

    Examples
    --------
    >>> be_year(2024), be_year(2567)
    (2567, 2567)
    """
    y = round(float(year))
    return y if y > 2400 else y + 543


def _value_label(column: str, language: str) -> str:
    if column == "mean":
        return pick(language, "ค่าเฉลี่ย", "Mean")
    if column.endswith("_pct") or column == "pct":
        return pick(language, "ร้อยละ", "Percent")
    return column


def _value_range(
    current: tuple[float, float], min_span: float | None, limits: tuple[float, float] | None
) -> tuple[float, float]:
    """Widen ``current`` to ``min_span`` around its middle, then keep it inside ``limits``.

    Examples
    --------
    >>> _value_range((4.03, 4.10), 1.0, (1.0, 5.0))
    (3.565, 4.565)
    >>> _value_range((4.8, 4.95), 1.0, (1.0, 5.0))
    (4.0, 5.0)
    """
    lo, hi = float(current[0]), float(current[1])
    if min_span is not None and hi - lo < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    if limits is not None:
        low, high = float(limits[0]), float(limits[1])
        if hi > high:
            lo, hi = lo - (hi - high), high
        if lo < low:
            lo, hi = low, min(high, hi + (low - lo))
    return round(lo, 6), round(hi, 6)


def trend_chart(
    frame: pd.DataFrame,
    *,
    year_col: str = "fiscal_year",
    value_col: str = "mean",
    series_col: str | None = None,
    series_labels: Labels = None,
    target: float | None = None,
    ylim: tuple[float, float] | None = None,
    min_span: float | None = None,
    limits: tuple[float, float] | None = None,
    value_format: str = "{:.2f}",
    title: str | None = None,
    ylabel: str | None = None,
    note: str | None = None,
    language: str = "th",
    width: float = A4_WIDTH,
    height: float = 3.6,
) -> Figure:
    """Line chart of a value per fiscal year, one line per series.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (series, year); not modified.
    year_col : str
        Fiscal year, BE (2567) or CE (2024, shown as 2567): the x labels are BE years.
    value_col : str
        The value to plot (e.g. ``mean``, ``top2_pct``).
    series_col : str, optional
        One line per value of this column (e.g. ``dimension_code``), in order of
        first appearance; each line has its own marker and dash pattern.
    series_labels : mapping code -> text or list of str, optional
        Legend labels for the series (a list follows their order of appearance).
    target : float, optional
        A dashed horizontal target line.
    ylim : (float, float), optional
        Value axis range, e.g. ``(1, 5)``.
    min_span : float, optional
        Without ``ylim``, the value axis spans at least this much (e.g. one scale point),
        so that a change of a few hundredths does not fill the chart's height.
    limits : (float, float), optional
        Without ``ylim``, the value axis stays within these bounds (e.g. the scale's
        lowest and highest score).
    value_format : str
        Format of the value written above each point; ``""`` for none.
    title, ylabel, note : str, optional
        The value axis label defaults to ค่าเฉลี่ย / Mean for ``mean``, ร้อยละ / Percent
        for a ``*_pct`` column, else the column's name.
    language : {"th", "en"}
    width, height : float
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"fiscal_year": [2565, 2566, 2567], "mean": [3.9, 4.1, 4.3]})
    >>> fig = trend_chart(t, target=4.0)
    >>> from pmqa_analysis.report.plots import tick_labels
    >>> [t.get_text() for t in tick_labels(fig.axes[0], "x")]
    ['2565', '2566', '2567']
    >>> fig.axes[0].get_ylabel()
    'ค่าเฉลี่ย'
    >>> flat = pd.DataFrame({"fiscal_year": [2566, 2567], "mean": [4.04, 4.09]})
    >>> lo, hi = trend_chart(flat, min_span=1.0, limits=(1, 5)).axes[0].get_ylim()
    >>> round(float(hi - lo), 2)
    1.0
    """
    language = check_language(language)
    cols = [year_col, value_col] + ([series_col] if series_col else [])
    require_columns(frame, cols, "trend_chart")
    if frame.empty:
        raise InputError("trend_chart: the frame has no rows; nothing to draw")
    years = pd.to_numeric(frame[year_col], errors="coerce")
    if years.isna().any():
        bad = frame.loc[years.isna(), year_col].iloc[0]
        raise InputError(
            f"trend_chart: year column {year_col!r} holds {bad!r}, expected a year such as "
            "2567. Fix: drop or correct the row."
        )
    keys = [series_col, year_col] if series_col else [year_col]
    if frame.duplicated(keys).any():
        raise InputError(
            f"trend_chart: several rows for the same {' and '.join(keys)}; expected one value "
            "per series and year. Fix: filter to one unit/group or set series_col."
        )
    be = years.map(be_year).to_numpy(dtype=int)
    if note is None:
        note = n_note(frame["n"], language) if "n" in frame.columns else ""
    values = pd.to_numeric(frame[value_col], errors="coerce").to_numpy(dtype=float)
    series = unique_in_order(frame[series_col]) if series_col else [None]
    names = resolve_labels(series, series_labels, "series_labels") if series_col else [""]
    with style():
        fig = new_figure(height, note, width)
        ax = fig.add_subplot()
        for i, code in enumerate(series):
            mask = (frame[series_col] == code).to_numpy() if series_col else np.ones(len(be), bool)
            order = np.argsort(be[mask], kind="stable")
            xs, vs = be[mask][order], values[mask][order]
            marker, dash = _SERIES_STYLE[i % len(_SERIES_STYLE)]
            color = _SERIES_COLORS[i % len(_SERIES_COLORS)]
            ax.plot(
                xs,
                vs,
                marker=marker,
                linestyle=dash,
                color=color,
                linewidth=1.6,
                markersize=6,
                label=names[i] or None,
            )
            if value_format:
                for x, v in zip(xs, vs, strict=True):
                    if np.isfinite(v):
                        ax.annotate(
                            value_format.format(v),
                            (x, v),
                            xytext=(0, 6),
                            textcoords="offset points",
                            ha="center",
                            fontsize=7.5,
                            color=color,
                        )
        ticks = np.unique(be)
        fixed_ticks(ax, "x", ticks, [str(t) for t in ticks])
        ax.set_xlim(ticks.min() - 0.5, ticks.max() + 0.5)
        if target is not None:
            ax.axhline(
                target,
                color="0.3",
                linestyle="--",
                linewidth=1.0,
                label=pick(language, f"เป้าหมาย {target:g}", f"Target {target:g}"),
            )
        if ylim is not None:
            ax.set_ylim(*ylim)
        else:
            ax.margins(y=0.2)
            ax.set_ylim(*_value_range(ax.get_ylim(), min_span, limits))
        ax.grid(axis="y", color="0.9", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(pick(language, "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)"))
        ax.set_ylabel(ylabel or _value_label(value_col, language))
        if series_col or target is not None:
            ax.legend(
                loc="lower center",
                bbox_to_anchor=(0.5, 1.0),
                ncols=min(5, len(series) + 1),
                borderaxespad=0.3,
            )
        default = pick(language, "แนวโน้มรายปีงบประมาณ", "Trend by fiscal year")
        return finish(fig, default if title is None else title, note)
