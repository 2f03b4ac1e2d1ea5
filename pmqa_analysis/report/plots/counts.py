"""Counts: group × channel heatmap, Pareto chart, days-to-close histogram."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.labels import check_language
from pmqa_analysis.report.plots._common import (
    A4_WIDTH,
    Labels,
    category_axis,
    finish,
    fmt_number,
    ink_for,
    new_figure,
    pick,
    require_columns,
    resolve_labels,
    shade,
    style,
    unique_in_order,
    wrap,
)

__all__ = ["days_to_close_chart", "heatmap", "pareto_chart"]

_BAR = "#2e75b6"
_LATE = "#c55a11"


def _order(values: pd.Series, order: Sequence[Any] | None) -> list[Any]:
    """The explicit order (plus any value it misses, at the end), else first appearance."""
    seen = unique_in_order(values)
    if order is None:
        return seen
    extra = [v for v in seen if v not in set(order)]
    return list(order) + extra


def _category_ticks(
    names: list[str], many: bool | None = None, width: int = 14
) -> tuple[list[str], dict[str, Any]]:
    """Category axis labels and their text options (for :func:`category_axis`).

    Few short names are wrapped at ``width`` characters and set horizontally. Many names
    (``many``; by default more than five) or a long one are set on one line each and
    slanted by 45 degrees: a wrapped label slanted would run into its neighbour.

    Examples
    --------
    >>> _category_ticks(["ไฟฟ้า", "ถนน"])
    (['ไฟฟ้า', 'ถนน'], {'rotation': 0, 'ha': 'center', 'rotation_mode': 'anchor'})
    >>> _category_ticks(["โทรศัพท์/สายด่วน 1111", "LINE"])[1]["rotation"]
    45
    """
    slanted = (len(names) > 5 or max(map(len, names), default=0) > 12) if many is None else many
    if slanted:
        return [" ".join(t.split()) for t in names], {
            "rotation": 45, "ha": "right", "rotation_mode": "anchor"
        }  # fmt: skip
    return [wrap(t, width) for t in names], {
        "rotation": 0, "ha": "center", "rotation_mode": "anchor"
    }  # fmt: skip


def _tick_room(labels: list[str], tick_kw: dict[str, Any]) -> float:
    """Extra figure height (inches) the category labels need below the axes."""
    if tick_kw["rotation"]:
        return 0.05 * max(map(len, labels), default=0)  # sin 45° of ~0.07 in per character
    return 0.12 * max((t.count("\n") for t in labels), default=0)


def heatmap(
    matrix_frame: pd.DataFrame,
    *,
    row: str = "group_code",
    col: str = "channel_code",
    value: str = "n",
    row_labels: Labels = None,
    col_labels: Labels = None,
    row_order: Sequence[Any] | None = None,
    col_order: Sequence[Any] | None = None,
    cmap: str = "Blues",
    title: str | None = None,
    note: str | None = None,
    language: str = "th",
    width: float = A4_WIDTH,
    xlabel: str | None = None,
    ylabel: str | None = None,
    value_label: str | None = None,
    value_format: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
) -> Figure:
    """Annotated heatmap of counts, e.g. stakeholder group × channel (CS2).

    Also draws other values per cell (e.g. dimension means by unit): give
    ``xlabel``, ``ylabel``, ``value_label`` (colour bar) and ``value_format``
    (e.g. ``"{:.2f}"``); the default note then gives no total, and a pair with no
    value (a suppressed mean) is a blank cell marked "–", where a missing count is 0.

    Parameters
    ----------
    matrix_frame : pandas.DataFrame
        Long frame with ``row``, ``col`` and ``value`` columns (e.g.
        ``channels.group_channel_matrix`` for one unit). Rows with the same
        (row, col) are summed (several sources); missing pairs count 0. Not modified.
    row, col, value : str
        Column names.
    row_labels, col_labels : mapping code -> text or list of str, optional
        Display labels (a list follows ``row_order`` / ``col_order``).
    row_order, col_order : list, optional
        Order of rows/columns; codes listed here but absent show as 0.
    cmap : str
        A sequential colormap whose lightness changes monotonically (readable in
        grey scale); default ``"Blues"``.
    title, note : str, optional
        Title and the small note at the bottom left (default: the total n).
    language : {"th", "en"}
    width : float
        Figure width in inches.
    vmin, vmax : float, optional
        The values at the light and dark ends of the colours; default 0 and the largest
        value. For means, e.g. ``vmin=3, vmax=5`` shows differences between units that a
        scale from 0 would flatten.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> m = pd.DataFrame({"group_code": ["G1", "G1", "G2"], "channel_code": ["C1", "C2", "C1"],
    ...                   "n": [12, 3, 7]})
    >>> fig = heatmap(m, row_labels={"G1": "ประชาชน", "G2": "ผู้ประกอบการ"})
    >>> [t.get_text() for t in fig.axes[0].texts if t.get_gid() is None]  # the cells
    ['12', '3', '7', '0']
    """
    language = check_language(language)
    require_columns(matrix_frame, [row, col, value], "heatmap")
    if matrix_frame.empty:
        raise InputError("heatmap: the frame has no rows; nothing to draw")
    counts = pd.to_numeric(matrix_frame[value], errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        raise InputError(
            f"heatmap: column {value!r} must hold counts >= 0; found "
            f"{matrix_frame.loc[counts.isna() | (counts < 0), value].iloc[0]!r}"
        )
    rows = _order(matrix_frame[row], row_order)
    cols = _order(matrix_frame[col], col_order)
    table = (
        pd.DataFrame({"r": matrix_frame[row], "c": matrix_frame[col], "v": counts})
        .groupby(["r", "c"], sort=False)["v"]
        .sum()
        .unstack("c")
        .reindex(index=rows, columns=cols)
    )
    if value_format is None:  # counts: a pair nobody reported is 0
        table = table.fillna(0.0)
    grid = table.to_numpy(dtype=float)
    rnames = [wrap(t, 30) for t in resolve_labels(rows, row_labels, "row_labels")]
    cnames, tick_kw = _category_ticks(resolve_labels(cols, col_labels, "col_labels"))
    if note is None:
        note = "" if value_format else pick(
            language, f"รวม n = {fmt_number(np.nansum(grid))}",
            f"Total n = {fmt_number(np.nansum(grid))}",
        )  # fmt: skip
    height = 1.9 + 0.36 * len(rows) + _tick_room(cnames, tick_kw)
    with style():
        fig = new_figure(height, note, width)
        ax = fig.add_subplot()
        colormap = colormaps[cmap].with_extremes(bad="white")
        high = np.nanmax(grid) if np.isfinite(grid).any() else 1.0
        lo = 0.0 if vmin is None else float(vmin)
        hi = float(high) if vmax is None else float(vmax)
        hi = hi if hi > lo else lo + 1.0
        image = ax.imshow(grid, cmap=colormap, vmin=lo, vmax=hi, aspect="auto")
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                v = grid[i, j]
                shade = (
                    colormap(float(np.clip((v - lo) / (hi - lo), 0, 1)))
                    if np.isfinite(v)
                    else "white"
                )
                ax.text(
                    j,
                    i,
                    "–"
                    if not np.isfinite(v)
                    else value_format.format(v)
                    if value_format
                    else fmt_number(v),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=ink_for(shade),
                    in_layout=False,  # inside its cell: never sets a margin
                )
        x_title = pick(language, "ช่องทาง", "Channel") if xlabel is None else xlabel
        category_axis(ax, "x", np.arange(len(cols)), cnames, title=x_title, **tick_kw)
        y_title = pick(language, "กลุ่ม", "Group") if ylabel is None else ylabel
        category_axis(ax, "y", np.arange(len(rows)), rnames, title=y_title)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        # white lines between the cells (two line collections: cheaper than minor ticks)
        n_rows, n_cols = grid.shape
        ax.vlines(np.arange(n_cols + 1) - 0.5, -0.5, n_rows - 0.5, colors="white", linewidth=1.5)
        ax.hlines(np.arange(n_rows + 1) - 0.5, -0.5, n_cols - 0.5, colors="white", linewidth=1.5)
        ax.set_xlim(-0.5, n_cols - 0.5)
        ax.set_ylim(n_rows - 0.5, -0.5)  # first row at the top, as imshow draws it
        bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
        bar.set_label(pick(language, "จำนวน", "Count") if value_label is None else value_label)
        bar.outline.set_visible(False)
        default = pick(language, "ช่องทางการรับฟังจำแนกตามกลุ่ม", "Channels by group")
        return finish(fig, default if title is None else title, note)


def pareto_chart(
    counts: pd.DataFrame,
    *,
    category_col: str,
    count_col: str = "n",
    category_labels: Labels = None,
    max_categories: int | None = 12,
    title: str | None = None,
    note: str | None = None,
    language: str = "th",
    width: float = A4_WIDTH,
    height: float = 3.8,
) -> Figure:
    """Pareto chart: categories sorted by count, with the cumulative % on a second axis.

    Parameters
    ----------
    counts : pandas.DataFrame
        Counts per category (e.g. ``complaints.complaint_counts`` by category); rows of
        the same category are summed (e.g. several months). Not modified.
    category_col, count_col : str
        Column names.
    category_labels : mapping code -> text, optional
        Display labels.
    max_categories : int, optional
        Show this many largest categories and lump the rest into one last bar
        ("อื่น ๆ" / "Other"); ``None`` shows all.
    title, note : str, optional
        Title and the small note at the bottom left (default: the total n).
    language : {"th", "en"}
    width, height : float
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the bars and (twin) the cumulative percentage.

    Notes
    -----
    Ties are ordered by category name so the chart does not depend on row order.
    The cumulative line reaches 100 % at the last bar; the dotted line marks 80 %.

    Examples
    --------
    >>> c = pd.DataFrame({"category": ["ถนน", "ไฟฟ้า", "น้ำท่วม"], "n": [5, 20, 9]})
    >>> fig = pareto_chart(c, category_col="category")
    >>> from pmqa_analysis.report.plots._common import category_labels
    >>> [t.get_text() for t in category_labels(fig.axes[0], "x")]
    ['ไฟฟ้า', 'น้ำท่วม', 'ถนน']
    """
    language = check_language(language)
    require_columns(counts, [category_col, count_col], "pareto_chart")
    values = pd.to_numeric(counts[count_col], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise InputError(f"pareto_chart: column {count_col!r} must hold counts >= 0")
    totals = pd.DataFrame({"c": counts[category_col].astype(str), "v": values})
    totals = totals.groupby("c", sort=True)["v"].sum().reset_index()
    totals = totals.sort_values(["v", "c"], ascending=[False, True], kind="stable")
    if totals.empty or totals["v"].sum() <= 0:
        raise InputError("pareto_chart: no counts above 0; nothing to draw")
    names = resolve_labels(list(totals["c"]), category_labels, "category_labels")
    v = totals["v"].to_numpy(dtype=float)
    if max_categories is not None and len(v) > max_categories:
        keep = max(1, max_categories - 1)
        names = [*names[:keep], pick(language, "อื่น ๆ", "Other")]
        v = np.r_[v[:keep], v[keep:].sum()]
    total = v.sum()
    cum = np.cumsum(v) / total * 100.0
    if note is None:
        note = pick(language, f"รวม n = {fmt_number(total)}", f"Total n = {fmt_number(total)}")
    with style():
        fig = new_figure(height, note, width)
        ax = fig.add_subplot()
        x = np.arange(len(v))
        bars = ax.bar(x, v, color=_BAR, width=0.7)
        ax.bar_label(bars, labels=[fmt_number(t) for t in v], fontsize=7.5, padding=2)
        tick_labels, tick_kw = _category_ticks(names, many=len(v) > 5)
        category_axis(
            ax, "x", x, tick_labels, title=pick(language, "ประเภท", "Category"), **tick_kw
        )
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(pick(language, "จำนวน (เรื่อง)", "Count"))
        ax.margins(y=0.12)
        twin = ax.twinx()
        twin.plot(x, cum, color=_LATE, marker="s", markersize=4.5, linewidth=1.5)
        twin.axhline(80, color="0.4", linestyle=":", linewidth=1.0)
        twin.set_ylim(0, 105)
        twin.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        twin.set_ylabel(pick(language, "ร้อยละสะสม", "Cumulative %"), color=_LATE)
        twin.spines["right"].set_visible(True)
        twin.tick_params(axis="y", colors=_LATE)
        default = pick(language, "แผนภูมิพาเรโต", "Pareto chart")
        return finish(fig, default if title is None else title, note)


def days_to_close_chart(
    complaints: pd.DataFrame,
    *,
    days_col: str = "days_to_close",
    standard_days: float = 15,
    bin_days: int | None = None,
    title: str | None = None,
    note: str | None = None,
    language: str = "th",
    width: float = A4_WIDTH,
    height: float = 3.6,
) -> Figure:
    """Histogram of days to close, split at the response-time standard (CS3).

    Parameters
    ----------
    complaints : pandas.DataFrame
        The complaints frame (``Survey.complaints``); rows with no ``days_col`` value
        (still open) are left out and counted in the note. Not modified.
    days_col : str
        Days from receipt to telling the complainant the outcome.
    standard_days : float
        The standard (default 15 days): a vertical line; bars within it are blue,
        bars beyond it orange and hatched.
    bin_days : int, optional
        Bin width in days; default 1 day, wider when the longest case exceeds 60 days.
    title, note : str, optional
        Title (default states the % within standard) and the note (default: n closed,
        median, 90th percentile, n open).
    language : {"th", "en"}
    width, height : float
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    % within standard = closed cases with ``days <= standard_days`` ÷ closed cases ×
    100; the 90th percentile uses linear interpolation (``numpy.percentile``).

    Examples
    --------
    >>> c = pd.DataFrame({"days_to_close": [2, 5, 9, 14, 15, 20, None]})
    >>> fig = days_to_close_chart(c, language="en")
    >>> fig.get_suptitle()
    'Days to close: 83.3% within 15 days (n = 6)'
    """
    language = check_language(language)
    require_columns(complaints, [days_col], "days_to_close_chart")
    if not np.isfinite(standard_days) or standard_days < 0:
        raise InputError(f"days_to_close_chart: standard_days must be >= 0, found {standard_days}")
    raw = pd.to_numeric(complaints[days_col], errors="coerce")
    days = raw.dropna().to_numpy(dtype=float)
    if (days < 0).any():
        raise InputError(
            f"days_to_close_chart: {(days < 0).sum()} case(s) with negative {days_col} "
            f"(e.g. {days[days < 0][0]:g}); closed_date must not precede received_date. "
            "Fix the dates in complaints and validate again."
        )
    n, n_open = days.size, int(raw.isna().sum())
    within = days <= standard_days
    pct = within.mean() * 100.0 if n else float("nan")
    std = f"{standard_days:g}"
    if title is None:
        title = pick(
            language,
            f"ระยะเวลาแจ้งผลเรื่องร้องเรียน: ภายใน {std} วัน ร้อยละ {pct:.1f} (n = {n:,})",
            f"Days to close: {pct:.1f}% within {std} days (n = {n:,})",
        )
    if note is None:
        note = (
            pick(
                language,
                f"เรื่องที่ปิดแล้ว {n:,} เรื่อง; มัธยฐาน {np.median(days):.1f} วัน; "
                f"เปอร์เซ็นไทล์ที่ 90 {np.percentile(days, 90):.1f} วัน",
                f"{n:,} closed; median {np.median(days):.1f} days; "
                f"90th percentile {np.percentile(days, 90):.1f} days",
            )
            if n
            else ""
        )
        if n_open:
            note += pick(
                language,
                f"; ยังไม่ปิด {n_open:,} เรื่อง (ไม่นับ)",
                f"; {n_open:,} still open (not counted)",
            )
        note = note.lstrip("; ")
    with style():
        fig = new_figure(height, note, width)
        ax = fig.add_subplot()
        if n == 0:
            ax.text(
                0.5,
                0.5,
                pick(language, "ไม่มีเรื่องที่ปิดแล้ว", "No closed complaints"),
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="0.4",
            )
        else:
            top = max(float(days.max()), float(standard_days))
            step = bin_days or (1 if top <= 60 else int(np.ceil((top + 1) / 40)))
            edges = np.arange(-0.5, top + step + 0.5, step)
            # a stacked histogram drawn as bars, only where there are cases: a bin holds
            # cases within the standard, beyond it, or both (a bin that straddles it)
            early, _ = np.histogram(days[within], bins=edges)
            late, _ = np.histogram(days[~within], bins=edges)
            mids = (edges[:-1] + edges[1:]) / 2
            shown = early > 0
            ax.bar(mids[shown], early[shown], width=step, color=_BAR, edgecolor="white",
                   linewidth=0.5)  # fmt: skip
            shown = late > 0
            ax.bar(mids[shown], late[shown], width=step, bottom=early[shown], color=_LATE,
                   hatch="//", edgecolor=shade(_LATE), linewidth=0.5)  # fmt: skip
            ax.update_datalim([(edges[0], 0.0), (edges[-1], 0.0)])  # every bin in view
            ax.autoscale_view()
            ax.axvline(standard_days + 0.5, color="0.15", linestyle="--", linewidth=1.2)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlim(left=-0.5)
            ax.legend(
                handles=[
                    Line2D(
                        [],
                        [],
                        color="0.15",
                        linestyle="--",
                        linewidth=1.2,
                        label=pick(language, f"มาตรฐาน {std} วัน", f"standard {std} days"),
                    ),
                    Patch(facecolor=_BAR, label=pick(language, "ภายในมาตรฐาน", "within standard")),
                    Patch(
                        facecolor=_LATE,
                        hatch="//",
                        edgecolor=shade(_LATE),
                        label=pick(language, "เกินมาตรฐาน", "beyond standard"),
                    ),
                ],
                loc="lower center",  # above the plot: never over a bar or the label
                bbox_to_anchor=(0.5, 1.0),
                ncols=3,
                borderaxespad=0.3,
            )
        ax.set_xlabel(pick(language, "จำนวนวันจนแจ้งผล", "Days to close"))
        ax.set_ylabel(pick(language, "จำนวนเรื่อง", "Complaints"))
        ax.grid(axis="y", color="0.9", linewidth=0.6)
        ax.set_axisbelow(True)
        return finish(fig, title, note)
