"""The CS scorecard as a grid: unit × activity code, one status per cell."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.labels import SCORECARD_STATUS, check_language
from pmqa_analysis.report.plots._common import (
    A4_WIDTH,
    Labels,
    category_axis,
    finish,
    hatched_style,
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

__all__ = ["STATUS_STYLE", "scorecard_grid"]

_LOOK: dict[str, tuple[str, str, str]] = {  # status -> (fill, hatch, short Thai cell text)
    "met": ("#4e9a45", "", "ผ่าน"),
    "partly": ("#f2c14e", "///", "บางส่วน"),
    "not_met": ("#d0493a", "xxx", "ไม่ผ่าน"),
    "no_data": ("#f2f2f2", "...", "–"),
}
STATUS_STYLE: dict[str, dict[str, str]] = {
    status: {"color": color, "hatch": hatch, "th": SCORECARD_STATUS[status][0],
             "en": SCORECARD_STATUS[status][1], "short": short}
    for status, (color, hatch, short) in _LOOK.items()
}  # fmt: skip
"""Fill colour, hatch and labels of each status (distinct hatches for black and white);
``short`` is the Thai cell text when cells are narrow."""


def _order(values: pd.Series, order: Sequence[Any] | None) -> list[Any]:
    seen = unique_in_order(values)
    if order is None:
        return seen
    return list(order) + [v for v in seen if v not in set(order)]


def scorecard_grid(
    scorecard: pd.DataFrame,
    *,
    row: str = "unit_code",
    col: str = "activity_code",
    status: str = "status",
    row_labels: Labels = None,
    col_labels: Labels = None,
    row_order: Sequence[Any] | None = None,
    col_order: Sequence[Any] | None = None,
    title: str | None = None,
    note: str | None = None,
    language: str = "th",
    width: float = A4_WIDTH,
) -> Figure:
    """Grid of statuses, met / partly / not met / no data, with a legend.

    Parameters
    ----------
    scorecard : pandas.DataFrame
        One row per (``row``, ``col``) with ``status`` in {"met", "partly",
        "not_met", "no_data"}; missing pairs are drawn as "no_data". Not modified.
    row, col, status : str
        Column names (default unit × activity code).
    row_labels, col_labels : mapping code -> text or list of str, optional
        Display labels (a list follows ``row_order`` / ``col_order``).
    row_order, col_order : list, optional
        Order of rows/columns (e.g. the catalogue's activity codes); codes listed but
        absent are shown as "no data".
    title, note : str, optional
        Title and the small note at the bottom left (default: counts per status).
    language : {"th", "en"}
    width : float
        Figure width in inches (height grows with the rows).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> s = pd.DataFrame({"unit_code": ["U1", "U1", "U2"],
    ...                   "activity_code": ["CS1A", "CS1B", "CS1A"],
    ...                   "status": ["met", "partly", "not_met"]})
    >>> fig = scorecard_grid(s, row_labels={"U1": "สำนักงานจังหวัด", "U2": "สาธารณสุข"})
    >>> [t.get_text() for t in fig.axes[0].texts if t.get_gid() is None]  # the cells
    ['ผ่าน', 'ผ่านบางส่วน', 'ไม่ผ่าน', 'ไม่มีข้อมูล']
    """
    language = check_language(language)
    require_columns(scorecard, [row, col, status], "scorecard_grid")
    if scorecard.empty and (row_order is None or col_order is None):
        raise InputError("scorecard_grid: the scorecard has no rows; nothing to draw")
    found = set(scorecard[status].dropna().astype(str)) - set(STATUS_STYLE)
    if found:
        raise InputError(
            f"scorecard_grid: unknown status {', '.join(map(repr, sorted(found)))} in column "
            f"{status!r}; expected one of {', '.join(map(repr, STATUS_STYLE))}. "
            "Fix: map the statuses to these values."
        )
    if scorecard.duplicated([row, col]).any():
        dup = scorecard.loc[scorecard.duplicated([row, col]), [row, col]].iloc[0].tolist()
        raise InputError(
            f"scorecard_grid: several rows for {row}={dup[0]!r}, {col}={dup[1]!r}; expected "
            "one status per cell. Fix: keep one row per cell (e.g. filter the fiscal year)."
        )
    rows = _order(scorecard[row], row_order)
    cols = _order(scorecard[col], col_order)
    cells = scorecard.set_index([row, col])[status].astype(object)
    grid = (
        cells.unstack(col).reindex(index=rows, columns=cols).fillna("no_data").astype(str)
        if len(cells)
        else pd.DataFrame("no_data", index=rows, columns=cols)
    )
    values = grid.to_numpy()
    if note is None:
        tally = [(k, int((values == k).sum())) for k in STATUS_STYLE]
        note = ", ".join(f"{STATUS_STYLE[k][language]} {c}" for k, c in tally if c)
    rnames = [wrap(t, 28) for t in resolve_labels(rows, row_labels, "row_labels")]
    cnames = [wrap(t, 12) for t in resolve_labels(cols, col_labels, "col_labels")]
    n_rows, n_cols = values.shape
    height = 1.9 + 0.34 * n_rows + 0.12 * max(t.count("\n") for t in cnames)
    cell_w = (width - 2.2) / max(n_cols, 1)
    narrow = cell_w < 0.75
    # readable on screen and on paper: 9 pt is 12 px at the page's 96 px an inch
    fontsize = 9.0 if narrow else 10.0
    key = "short" if narrow and language == "th" else language
    with style():
        fig = new_figure(height, note, width)
        ax = fig.add_subplot()
        for status, st in STATUS_STYLE.items():  # one collection a status, not a patch a cell
            rows_at, cols_at = np.nonzero(values == status)
            if rows_at.size:
                corners = [
                    [(j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i)]
                    for i, j in zip(rows_at.tolist(), cols_at.tolist(), strict=True)
                ]
                ax.add_collection(
                    PolyCollection(
                        corners,
                        gid=f"status-{status}",
                        **hatched_style(st["color"], st["hatch"], 2.0),
                    ),
                    autolim=False,
                )
        for i in range(n_rows):
            for j in range(n_cols):
                st = STATUS_STYLE[values[i, j]]
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    st[key],
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color=ink_for(st["color"]),
                    # a box of the cell's colour keeps the hatching off the text
                    bbox={"boxstyle": "round,pad=0.15", "fc": st["color"], "ec": "none"}
                    if st["hatch"]
                    else None,
                    in_layout=False,  # inside its cell: never sets a margin
                )
        ax.set_xlim(0, n_cols)
        ax.set_ylim(n_rows, 0)
        category_axis(
            ax,
            "x",
            np.arange(n_cols) + 0.5,
            cnames,
            side="top",
            title=pick(language, "รหัสกิจกรรม", "Activity code"),
        )
        category_axis(
            ax,
            "y",
            np.arange(n_rows) + 0.5,
            rnames,
            title=pick(language, "หน่วยงาน", "Unit") if row == "unit_code" else row,
        )
        for side in ax.spines.values():
            side.set_visible(False)
        handles = [
            Patch(
                facecolor=s["color"],
                hatch=s["hatch"],
                edgecolor=shade(s["color"]),
                linewidth=0.5,
                label=s[language],
            )
            for s in STATUS_STYLE.values()
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.02),
            ncols=4,
            handlelength=2.2,
            handleheight=1.2,
        )
        default = pick(
            language, "ผลการประเมินรายรหัสกิจกรรม (หมวด 3)", "Scorecard by activity code (category 3)"
        )
        return finish(fig, default if title is None else title, note)
