"""Per-item summary tables: :func:`item_summary` and the Likert table :func:`likert_table`.

Both read the level counts ``counts[group, level, item]`` of
:mod:`pmqa_analysis.stats.items` (built once, or shared through
:func:`pmqa_analysis.stats.items.prepare_items`) and derive every figure from them
without a Python loop over groups: counts and percentages per level, mean, SD,
median with a Student-t interval, top-2-box / bottom-2-box shares with Wilson
intervals (:mod:`pmqa_analysis.stats.summary_figures`), band and rank.

Conventions (state them in the report's methods section): levels come from the
scale, never from the values observed, so a level nobody chose shows 0 %;
percentages use the item's own non-missing n; SD has ddof = 1; top-2-box and
bottom-2-box shares carry Wilson score intervals; means are rounded to 2 decimals
before banding and ranking.

Examples
--------
>>> df = pd.DataFrame({"Q1": [5, 4, 4, None], "Q2": [3, 2, 2, 1]})
>>> item_summary(df, language="en")[["item_code", "n", "mean", "top2_pct", "band"]]
  item_code  n  mean  top2_pct  band
0        Q1  3  4.33     100.0  High
1        Q2  4  2.00       0.0   Low
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.stats.bands import DEFAULT_PRESET
from pmqa_analysis.stats.item_inputs import check_questionnaire, dimension_of, group_columns
from pmqa_analysis.stats.items import PreparedItems, as_prepared
from pmqa_analysis.stats.summary_figures import (
    band_array,
    count_moments,
    mean_interval,
    rank_desc,
    wilson_interval,
)

__all__ = ["item_summary", "likert_table"]


def item_summary(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable] | None = None,
    by: Hashable | Sequence[Hashable] | None = None,
    scale: Any = None,
    weights: Any = None,
    questionnaire: pd.DataFrame | None = None,
    band_preset: str = DEFAULT_PRESET,
    language: str = "th",
    min_cell: int | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Per-item summary table, for every group at once.

    Parameters
    ----------
    data : pandas.DataFrame or PreparedItems
        Wide responses (one score column per item, NaN = missing); not modified. Or
        :func:`~pmqa_analysis.stats.items.prepare_items` of them, to convert the data
        once for several functions.
    items : list of str, optional
        Item columns. Default: the questionnaire's ``item_code`` order, else every
        numeric column except ``by``, the weight column and the known profile columns
        (with prepared data: the prepared items).
    by : str or list of str, optional
        Grouping column(s), e.g. ``"unit_code"`` or ``["unit_code", "fiscal_year"]``.
    scale : sequence of int or Scale, optional
        The scale's scores (default 1-5).
    weights : str or array-like, optional
        Weight column: means, SDs, percentages and medians become weighted.
    questionnaire : pandas.DataFrame, optional
        Frame with ``item_code`` and ``dimension_code``: adds ``dimension_code`` and
        ranks items within their dimension.
    band_preset, language : str
        Interpretation bands (:mod:`pmqa_analysis.stats.bands`) and label language.
    min_cell : int, optional
        Rows with ``n < min_cell`` keep ``n`` but every other figure becomes missing
        and ``suppressed`` is True.
    ci : float
        Confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per (group..., item) in item order: group columns, ``dimension_code``
        (with a questionnaire), ``item_code``, ``n`` (unweighted answers),
        ``n_weighted`` (weighted only), ``count_<s>`` and ``pct_<s>`` for every score
        ``s`` of the scale, ``mean``, ``sd``, ``median``, ``mean_lo``, ``mean_hi`` (the
        Student-t interval of the mean, :func:`mean_interval`), ``top2_pct``, ``top2_lo``,
        ``top2_hi``, ``bottom2_pct``, ``bottom2_lo``, ``bottom2_hi`` (in %),
        ``mean_pct``, ``band``, ``rank``, ``suppressed``.

    Notes
    -----
    From counts ``c_l`` of scores ``s_l`` (weights summed when weighted, ``W = Σ c_l``):
    ``mean = Σ c_l s_l / W``; ``sd² = Σ c_l (s_l - mean)² / W · n / (n - 1)`` (ddof = 1;
    weights are normalised to sum to the unweighted ``n``); the median is the score
    where the cumulative share reaches one half (the average of the two middle scores
    when it lands exactly on a boundary); ``pct_s = 100 c_s / W``; ``mean_pct =
    100 · mean / max``. Top-2-box / bottom-2-box are the shares of the two highest /
    lowest scores with Wilson intervals (:func:`wilson_interval`) on ``n`` — on the
    Kish effective size ``W² / Σw²`` when weighted. ``rank`` orders means rounded to 2
    decimals, 1 = highest, ties share the lowest rank, within dimension when a
    questionnaire is given.

    Examples
    --------
    >>> df = pd.DataFrame({"unit_code": ["A"] * 4 + ["B"] * 4,
    ...                    "Q1": [5, 5, 4, 3, 2, 3, None, 4], "Q2": [4, 4, 4, 5, 1, 2, 2, 3]})
    >>> out = item_summary(df, ["Q1", "Q2"], by="unit_code", language="en")
    >>> out[["unit_code", "item_code", "n", "pct_5", "mean", "median", "band", "rank"]]
      unit_code item_code  n  pct_5  mean  median     band  rank
    0         A        Q1  4   50.0  4.25     4.5     High     1
    1         A        Q2  4   25.0  4.25     4.0     High     1
    2         B        Q1  3    0.0  3.00     3.0 Moderate     1
    3         B        Q2  4    0.0  2.00     2.0      Low     2
    """
    if questionnaire is not None:
        check_questionnaire(questionnaire)
    prep, idx, scale, w = as_prepared(data, items, by, scale, weights, questionnaire)
    scores, groups, names = prep.scores, prep.groups, prep.by
    items = [prep.items[j] for j in idx]
    dims = dimension_of(items, questionnaire) if questionnaire is not None else None
    n_groups, n_items = len(groups), len(items)

    counts = prep.counts()[:, :, idx]
    n = counts.sum(axis=1).astype(np.float64)
    if w is None:
        freq, n_eff = counts.astype(np.float64), n
    else:
        freq = prep.counts(w)[:, :, idx]
        w2 = prep.counts(w, squared=True)[:, :, idx].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = freq.sum(axis=1) ** 2 / w2
    values = np.asarray(scores, dtype=np.float64)
    total, mean, sd, median = count_moments(freq, values, n)
    suppressed = n < (min_cell if min_cell is not None else 0)
    for arr in (mean, sd, median):
        arr[suppressed] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = freq / total[:, None, :] * 100.0
    top2, bottom2 = freq[:, -2:, :].sum(axis=1), freq[:, :2, :].sum(axis=1)

    out: dict[Hashable, Any] = group_columns(groups, names, n_items)
    if dims is not None:
        out["dimension_code"] = np.tile(np.asarray(dims, dtype=object), n_groups)
    out["item_code"] = np.tile(np.asarray(items, dtype=object), n_groups)
    out["n"] = n.ravel().astype(np.int64)
    if w is not None:
        out["n_weighted"] = np.where(suppressed, np.nan, total).ravel()
    flat_supp = suppressed.ravel()
    for i, s in enumerate(scores):
        out[f"count_{s}"] = pd.arrays.IntegerArray(
            np.where(flat_supp, 0, counts[:, i, :].ravel()).astype(np.int64), flat_supp.copy()
        )
    for i, s in enumerate(scores):
        out[f"pct_{s}"] = np.where(suppressed, np.nan, pct[:, i, :]).ravel()
    out["mean"], out["sd"], out["median"] = mean.ravel(), sd.ravel(), median.ravel()
    mean_lo, mean_hi = mean_interval(mean, sd, n_eff, ci)
    out["mean_lo"], out["mean_hi"] = mean_lo.ravel(), mean_hi.ravel()
    for name, part in (("top2", top2), ("bottom2", bottom2)):
        with np.errstate(divide="ignore", invalid="ignore"):
            share = part / total
        lo, hi = wilson_interval(share * n_eff, n_eff, ci)
        for suffix, arr in (("pct", share), ("lo", lo), ("hi", hi)):
            out[f"{name}_{suffix}"] = np.where(suppressed, np.nan, arr * 100.0).ravel()
    out["mean_pct"] = (mean / scores[-1] * 100.0).ravel()
    out["band"] = band_array(mean.ravel(), band_preset, scale, language)
    dim_arr = np.asarray(dims if dims is not None else [0] * n_items, dtype=object)
    rank = rank_desc(mean, dim_arr[:, None] == dim_arr[None, :])
    out["rank"] = pd.arrays.IntegerArray(
        np.nan_to_num(rank).astype(np.int64).ravel(), np.isnan(rank).ravel()
    )
    out["suppressed"] = flat_supp
    return pd.DataFrame(out)


def likert_table(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable] | None = None,
    by: Hashable | Sequence[Hashable] | None = None,
    scale: Any = None,
    weights: Any = None,
    language: str = "en",
) -> pd.DataFrame:
    """Percentages per level, laid out like the R ``likert`` package's summary table.

    Parameters
    ----------
    data, items, by, scale, weights
        As in :func:`item_summary`.
    language : {"th", "en"}
        Which labels of the scale (``.labels_th`` / ``.labels_en``) name the level
        columns; the scores themselves when the scale has no labels.

    Returns
    -------
    pandas.DataFrame
        Group columns (``Group`` for one ``by`` column, as in R), ``Item``, then one
        column per level, lowest first, holding the % of the item's non-missing answers.

    Examples
    --------
    >>> df = pd.DataFrame({"Q1": [1, 2, 2, 3], "Q2": [3, 3, 3, None]})
    >>> likert_table(df, scale=[1, 2, 3])
      Item     1     2      3
    0   Q1  25.0  50.0   25.0
    1   Q2   0.0   0.0  100.0
    """
    prep, idx, scale, w = as_prepared(data, items, by, scale, weights)
    scores, groups, names = prep.scores, prep.groups, prep.by
    items = [prep.items[j] for j in idx]
    freq = prep.counts(w)[:, :, idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = freq / freq.sum(axis=1, keepdims=True) * 100.0
    own = getattr(scale, f"labels_{language}", None)
    level_names = [str(x) for x in own] if own is not None else [str(s) for s in scores]
    out = group_columns(groups, names, len(items))
    if len(names) == 1:
        out = {"Group": out[names[0]]}
    out["Item"] = np.tile(np.asarray(items, dtype=object), len(groups))
    for i, label in enumerate(level_names):
        out[label] = pct[:, i, :].ravel()
    return pd.DataFrame(out)
