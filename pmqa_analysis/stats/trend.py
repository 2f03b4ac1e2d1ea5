"""Year-on-year change per item (or dimension): mean and top-box share, with tests.

Everything is computed from mergeable group aggregates (counts, sums, sums of squares,
top-box counts) in one ``groupby`` pass, then the tests run on whole arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError

__all__ = ["trend"]


def _scale_max(scale: Any) -> float:
    if scale is None:
        return np.nan
    if isinstance(scale, int | float | np.integer | np.floating):
        return float(scale)
    if hasattr(scale, "max"):
        return float(scale.max)
    raise InputError(
        f"scale must be a Scale (with .max), the top score as a number, or a mapping of item "
        f"to either; found {type(scale).__name__}"
    )


def trend(
    data: pd.DataFrame,
    items: str | Sequence[str],
    *,
    year: str = "fiscal_year",
    by: str | Sequence[str] | None = None,
    scale: Any = None,
    top: int = 2,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Change between consecutive years of each item's mean and top-box share.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, one row per respondent (``Survey.responses``) or per respondent and
        dimension score; any numeric columns can be passed as ``items``.
    items : str or list of str
        Score columns to follow (item codes or dimension scores).
    year : str, default "fiscal_year"
        Year column. Each pair of consecutive years *present* for a group and item is
        compared (2565 → 2567 when 2566 has no answers).
    by : str or list of str, optional
        Grouping columns (e.g. ``"unit_code"``); the change is computed within each group.
    scale : Scale, number or mapping, optional
        The scale's top score (a :class:`pmqa_analysis.stats.scales.Scale`, its ``max`` as a
        number, or a mapping item -> either). A score counts in the top box when it is at
        least ``max - top + 1`` (4 or 5 on a 5-point scale). ``None``: top-box columns are
        NaN, since categories never come from the values observed.
    top : int, default 2
        Size of the top box; the columns are named ``top{top}_...``.
    alpha : float, default 0.05
        Significance level for ``direction``.

    Returns
    -------
    pandas.DataFrame
        One row per (by..., item, consecutive pair of years), sorted: the ``by`` columns,
        ``item``, ``year_prev``, ``year_curr``, ``n_prev``, ``n_curr``, ``mean_prev``,
        ``mean_curr``, ``mean_change``, ``t``, ``df``, ``p_mean`` (Welch's t test),
        ``top2_prev``, ``top2_curr`` (percent), ``top2_change`` (percentage points),
        ``p_top2`` (pooled two-proportion z test) and ``direction``: ``"up"`` or ``"down"``
        when ``p_mean < alpha``, ``"no significant change"`` otherwise, ``"not tested"``
        when a year has fewer than 2 answers or no variance.

    Notes
    -----
    From per-cell aggregates :math:`n, S = \\sum x, Q = \\sum x^2`:
    :math:`\\bar x = S/n`, :math:`s^2 = (Q - S\\bar x)/(n - 1)`;
    :math:`t = (\\bar x_2 - \\bar x_1)/\\sqrt{s_1^2/n_1 + s_2^2/n_2}` with
    Welch–Satterthwaite df (Welch 1947); the top-box test is the pooled z test of
    :func:`pmqa_analysis.stats.proportions.two_proportion_test`.

    Examples
    --------
    >>> df = pd.DataFrame({"fiscal_year": [2566] * 4 + [2567] * 4,
    ...                    "Q01": [3, 4, 3, 2, 5, 4, 5, 4]})
    >>> out = trend(df, "Q01", scale=5)
    >>> out[["item", "year_prev", "year_curr", "mean_change", "top2_change"]]
      item  year_prev  year_curr  mean_change  top2_change
    0  Q01       2566       2567          1.5         75.0
    >>> round(float(out["p_mean"].iloc[0]), 4), str(out["direction"].iloc[0])
    (0.0273, 'up')
    """
    item_list = [items] if isinstance(items, str) else list(items)
    by_list = [] if by is None else ([by] if isinstance(by, str) else list(by))
    if not item_list:
        raise InputError("items is empty: pass the item codes (columns) to follow")
    missing = [c for c in [*item_list, year, *by_list] if c not in data.columns]
    if missing:
        raise InputError(
            f"column {', '.join(map(repr, missing))} not found in data; found columns "
            f"{', '.join(map(str, data.columns))}"
        )
    bad = [c for c in item_list if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise InputError(
            f"item column(s) {', '.join(map(repr, bad))} are not numeric: convert answers to "
            "scores with pmqa_analysis.stats.scales first"
        )
    if "item" in by_list:
        raise InputError("a by column may not be named 'item' (the output uses that name)")
    if isinstance(scale, Mapping):
        maxima = np.array([_scale_max(scale.get(c)) for c in item_list])
    else:
        maxima = np.full(len(item_list), _scale_max(scale))

    values = data[item_list].astype(np.float64)
    values.columns = pd.Index(item_list, name="item")
    keys = [data[k] for k in [*by_list, year]]
    threshold = maxima - top + 1
    in_top = (values.to_numpy() >= threshold[None, :]).astype(np.float64)
    in_top[np.isnan(values.to_numpy())] = np.nan
    in_top[:, np.isnan(maxima)] = np.nan  # no scale: no top box
    top_frame = pd.DataFrame(in_top, index=values.index, columns=values.columns)

    def agg(frame: pd.DataFrame, how: str) -> pd.Series:
        g = frame.groupby(keys, sort=True, observed=True, dropna=True)
        out = g.count() if how == "count" else g.sum(min_count=1)
        return cast(pd.Series, out.stack(future_stack=True))

    cells = pd.DataFrame(
        {
            "n": agg(values, "count"),
            "s": agg(values, "sum"),
            "q": agg(values**2, "sum"),
            "k": agg(top_frame, "sum"),
        }
    )
    cells = cells.reset_index()
    cells = cells.loc[cells["n"] > 0]
    order = [*by_list, "item", year]
    cells["_item_pos"] = cells["item"].map({c: i for i, c in enumerate(item_list)})
    cells = cells.sort_values([*by_list, "_item_pos", year], kind="stable")
    cells = cells.reset_index(drop=True)[[*order, "n", "s", "q", "k"]]
    prev = cells.groupby([*by_list, "item"], sort=False, observed=True).shift(1)
    has_prev = prev[year].notna()
    cur = cells.loc[has_prev].reset_index(drop=True)
    pre = prev.loc[has_prev].reset_index(drop=True)

    n1, n2 = pre["n"].to_numpy(float), cur["n"].to_numpy(float)
    m1, m2 = pre["s"].to_numpy() / n1, cur["s"].to_numpy() / n2
    with np.errstate(divide="ignore", invalid="ignore"):
        v1 = np.maximum(pre["q"].to_numpy() - pre["s"].to_numpy() * m1, 0) / (n1 - 1)
        v2 = np.maximum(cur["q"].to_numpy() - cur["s"].to_numpy() * m2, 0) / (n2 - 1)
        se2_1, se2_2 = v1 / n1, v2 / n2
        se = np.sqrt(se2_1 + se2_2)
        t = np.where(se > 0, (m2 - m1) / se, np.nan)
        df = (se2_1 + se2_2) ** 2 / (se2_1**2 / (n1 - 1) + se2_2**2 / (n2 - 1))
        p_mean = 2.0 * stats.t.sf(np.abs(t), df)
        k1, k2 = pre["k"].to_numpy(float), cur["k"].to_numpy(float)
        pooled = (k1 + k2) / (n1 + n2)
        se_p = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(se_p > 0, (k2 / n2 - k1 / n1) / se_p, np.nan)
        p_top = 2.0 * stats.norm.sf(np.abs(z))
    topname = f"top{top}"
    direction = np.where(
        np.isnan(p_mean),
        "not tested",
        np.where(p_mean < alpha, np.where(m2 > m1, "up", "down"), "no significant change"),
    )
    out = cur[[*by_list, "item"]].copy()
    out["year_prev"] = pre[year].astype(cells[year].dtype).to_numpy()
    out["year_curr"] = cur[year].to_numpy()
    out["n_prev"] = n1.astype(np.int64)
    out["n_curr"] = n2.astype(np.int64)
    out["mean_prev"] = m1
    out["mean_curr"] = m2
    out["mean_change"] = m2 - m1
    out["t"] = t
    out["df"] = df
    out["p_mean"] = p_mean
    out[f"{topname}_prev"] = 100.0 * k1 / n1
    out[f"{topname}_curr"] = 100.0 * k2 / n2
    out[f"{topname}_change"] = out[f"{topname}_curr"] - out[f"{topname}_prev"]
    out[f"p_{topname}"] = p_top
    out["direction"] = direction
    return out
