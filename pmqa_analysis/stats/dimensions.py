"""Dimension scores: per-dimension and overall summaries from respondent-level scores.

:func:`dimension_summary` scores every respondent on every dimension of the
questionnaire (the mean of the dimension's items they answered, kept when enough are
answered) and overall, then describes those scores per group — n, mean, SD, median,
band, rank among dimensions — beside the pooled top-2-box / bottom-2-box shares of
the dimension's answers. A respondent's mean takes few values (a sum of level codes
over a count of answers), so the scores are counted with one bincount per dimension
from the level codes of :class:`pmqa_analysis.stats.items.PreparedItems`, like the
item levels, and described with :mod:`pmqa_analysis.stats.summary_figures`.

Examples
--------
>>> q = pd.DataFrame({"item_code": ["Q1", "Q2"], "dimension_code": ["D1", "D1"]})
>>> df = pd.DataFrame({"Q1": [5, 4], "Q2": [3, None]})
>>> dimension_summary(df, q, language="en")[["dimension_code", "n", "mean"]]
  dimension_code  n  mean
0             D1  2   4.0
1        OVERALL  2   4.0
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.bands import DEFAULT_PRESET
from pmqa_analysis.stats.item_inputs import check_questionnaire, dimension_of, group_columns
from pmqa_analysis.stats.items import CHUNK_ROWS, PreparedItems, as_prepared
from pmqa_analysis.stats.summary_figures import band_array, count_moments, rank_desc

__all__ = ["OVERALL", "dimension_summary"]

#: ``dimension_code`` of the overall row (all items) of every group.
OVERALL = "OVERALL"


def _answer_sums(
    codes: np.ndarray, cols: Sequence[int], scores: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per respondent: sum of (score - min) over ``cols`` and the number answered.

    Chunk by chunk of rows: on a contiguous scale the level code is ``score - min``,
    so both are sums over the items of the answered mask and of ``code · mask``
    (int8 arithmetic). Otherwise one lookup per item of a packed ``(score - min) +
    answered << 16`` value.
    """
    n_levels, n_rows = len(scores), codes.shape[1]
    if scores[-1] - scores[0] == n_levels - 1:
        s = np.empty(n_rows, dtype=np.int32)
        a = np.empty(n_rows, dtype=np.int32)
        rows = list(cols)
        for start in range(0, n_rows, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, n_rows)
            block = codes[rows, start:stop]
            answered = block != n_levels
            np.sum(answered, axis=0, dtype=np.int32, out=a[start:stop])
            np.sum(block * answered, axis=0, dtype=np.int32, out=s[start:stop])
        return s, a
    packed = np.append(np.asarray(scores, dtype=np.int32) - scores[0] + (1 << 16), 0)
    total = np.zeros(codes.shape[1], dtype=np.int32)
    for start in range(0, codes.shape[1], CHUNK_ROWS):
        stop = start + CHUNK_ROWS
        acc = total[start:stop]
        for j in cols:
            acc += packed[codes[j, start:stop]]
    return total & 0xFFFF, total >> 16


def _respondent_cube(
    g: np.ndarray,
    s: np.ndarray,
    a: np.ndarray,
    k: int,
    scores: Sequence[int],
    n_groups: int,
    min_answered: float,
    weights: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Counts of respondent-level mean scores over ``k`` items per group.

    A respondent's mean is ``min + s / a`` with ``a`` answered items and ``s`` the sum
    of (score - min): a small set of values, so the means are counted with one bincount
    over ``(group, a, s)`` like the item levels (``g`` = ``n_groups`` for a missing
    group key; a respondent without a score goes to the never-valid slot ``a = 0``).
    Returns (counts, weighted or None, values) with the value axis sorted ascending.
    """
    a_min = max(1, math.ceil(min_answered * k - 1e-9))  # a is an integer
    span = (scores[-1] - scores[0]) * k + 1
    size = (n_groups + 1) * (k + 1) * span
    itype = np.int32 if size < 2**31 else np.int64
    idx = np.multiply(a, span, dtype=itype)
    idx += s
    idx *= a >= a_min
    idx += np.multiply(g, (k + 1) * span, dtype=itype)
    cnt = np.bincount(idx, minlength=size).reshape(n_groups + 1, (k + 1) * span)[:n_groups]
    wcnt = None
    if weights is not None:
        wcnt = np.bincount(idx, weights=weights, minlength=size)
        wcnt = wcnt.reshape(n_groups + 1, (k + 1) * span)[:n_groups]
    aa, ss = np.divmod(np.arange((k + 1) * span), span)
    valid = (aa >= 1) & (ss <= (scores[-1] - scores[0]) * aa)
    with np.errstate(divide="ignore", invalid="ignore"):
        vals = scores[0] + ss / aa
    pos = np.flatnonzero(valid)
    order = pos[np.argsort(vals[pos], kind="stable")]
    return cnt[:, order], (None if wcnt is None else wcnt[:, order]), vals[order]


def dimension_summary(
    data: pd.DataFrame | PreparedItems,
    questionnaire: pd.DataFrame,
    by: Hashable | Sequence[Hashable] | None = None,
    scale: Any = None,
    weights: Any = None,
    band_preset: str = DEFAULT_PRESET,
    language: str = "th",
    min_cell: int | None = None,
    min_answered: float = 0.5,
) -> pd.DataFrame:
    """Per-dimension and overall summary from respondent-level scores.

    Parameters
    ----------
    data : pandas.DataFrame or PreparedItems
        Wide responses (item columns named by ``item_code``); not modified. Or
        :func:`~pmqa_analysis.stats.items.prepare_items` of them (holding every
        questionnaire item).
    questionnaire : pandas.DataFrame
        ``item_code`` and ``dimension_code``; dimensions keep their first-appearance
        order and every questionnaire item must be a column of ``data``.
    by, scale, weights, band_preset, language, min_cell
        As in :func:`pmqa_analysis.stats.item_summary.item_summary`.
    min_answered : float
        Share of a dimension's items a respondent must have answered for a score.

    Returns
    -------
    pandas.DataFrame
        One row per (group..., dimension) plus an ``OVERALL`` row per group, with
        ``dimension_code``, ``n_items``, ``n`` (respondents with a score),
        ``n_weighted`` (weighted only), ``mean``, ``sd``, ``median``, ``mean_pct``,
        ``band``, ``rank`` (among dimensions; none for OVERALL), ``top2_pct``,
        ``bottom2_pct``, ``suppressed``.

    Notes
    -----
    A respondent's dimension score is the mean of the dimension's items they
    answered, kept when at least ``min_answered`` of the items are answered; the
    dimension's n, mean, SD (ddof = 1), median and band describe these scores. The
    overall score is the mean of all answered items, under the same rule.
    ``top2_pct`` / ``bottom2_pct`` are NOT respondent shares: they are the shares of
    all answers to the dimension's items in the two highest / lowest levels (answers
    pooled over items, each answer counted once), so no Wilson interval is given
    (answers of one respondent are not independent).

    Examples
    --------
    >>> q = pd.DataFrame({"item_code": ["Q1", "Q2", "Q3"],
    ...                   "dimension_code": ["STAFF", "STAFF", "PLACE"]})
    >>> df = pd.DataFrame({"Q1": [5, 4, 2], "Q2": [4, None, 2], "Q3": [3, 3, None]})
    >>> out = dimension_summary(df, q, language="en")
    >>> out[["dimension_code", "n_items", "n", "mean", "median", "band", "rank"]].round(2)
      dimension_code  n_items  n  mean  median      band  rank
    0          STAFF        2  3  3.50     4.0  Moderate     1
    1          PLACE        1  2  3.00     3.0  Moderate     2
    2        OVERALL        3  3  3.17     3.5  Moderate  <NA>
    """
    check_questionnaire(questionnaire)
    if not 0.0 <= min_answered <= 1.0:
        raise InputError(f"min_answered must be a share between 0 and 1; found {min_answered!r}")
    prep, idx, scale, w = as_prepared(data, None, by, scale, weights, questionnaire)
    scores, groups, names = prep.scores, prep.groups, prep.by
    gcode, codes = prep.group_codes, prep.codes
    items = [prep.items[j] for j in idx]
    dims_of = dimension_of(items, questionnaire)
    dim_codes = list(dict.fromkeys(dims_of))
    n_groups, n_rows = len(groups), prep.n_rows
    item_freq = prep.counts(w).astype(np.float64)

    # item positions in the prepared data, per dimension and overall
    blocks = [[j for j, d in zip(idx, dims_of, strict=True) if d == dim] for dim in dim_codes]
    blocks.append(idx)
    labels = [*dim_codes, OVERALL]
    cols: dict[str, list[np.ndarray]] = {
        k: [] for k in ("n", "total", "mean", "sd", "median", "top2", "bottom2")
    }
    sums = [_answer_sums(codes, b, scores) for b in blocks[:-1]]
    s_all, a_all = np.zeros(n_rows, dtype=np.int32), np.zeros(n_rows, dtype=np.int32)
    for s_d, a_d in sums:
        s_all += s_d
        a_all += a_d
    sums.append((s_all, a_all))
    g_row = np.where(gcode < 0, n_groups, gcode)
    for cols_j, (s_sum, a_sum) in zip(blocks, sums, strict=True):
        cnt, wcnt, vals = _respondent_cube(
            g_row, s_sum, a_sum, len(cols_j), scores, n_groups, min_answered, w
        )
        n = cnt.sum(axis=1, keepdims=True).astype(np.float64)
        freq = (cnt if wcnt is None else wcnt).astype(np.float64)
        total, mean, sd, med = count_moments(freq[:, :, None], vals, n)
        pooled = item_freq[:, :, cols_j].sum(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            answers = pooled.sum(axis=1)
            top2 = pooled[:, -2:].sum(axis=1) / answers * 100.0
            bottom2 = pooled[:, :2].sum(axis=1) / answers * 100.0
        for key, arr in (
            ("n", n), ("total", total), ("mean", mean), ("sd", sd), ("median", med),
            ("top2", top2), ("bottom2", bottom2),
        ):  # fmt: skip
            cols[key].append(np.asarray(arr).reshape(n_groups))
    st = {k: np.stack(v, axis=1) for k, v in cols.items()}  # (group, dimension)
    n_dims = len(labels)
    suppressed = st["n"] < (min_cell if min_cell is not None else 0)
    for key in ("total", "mean", "sd", "median", "top2", "bottom2"):
        st[key][suppressed] = np.nan
    is_dim = np.array([True] * len(dim_codes) + [False])
    rank = rank_desc(np.where(is_dim, st["mean"], np.nan), is_dim[:, None] & is_dim[None, :])

    out: dict[Hashable, Any] = group_columns(groups, names, n_dims)
    out["dimension_code"] = np.tile(np.asarray(labels, dtype=object), n_groups)
    out["n_items"] = np.tile([len(b) for b in blocks], n_groups).astype(np.int64)
    out["n"] = st["n"].ravel().astype(np.int64)
    if w is not None:
        out["n_weighted"] = st["total"].ravel()
    out["mean"], out["sd"], out["median"] = (
        st["mean"].ravel(),
        st["sd"].ravel(),
        st["median"].ravel(),
    )
    out["mean_pct"] = out["mean"] / scores[-1] * 100.0
    out["band"] = band_array(out["mean"], band_preset, scale, language)
    out["rank"] = pd.arrays.IntegerArray(
        np.nan_to_num(rank).astype(np.int64).ravel(), np.isnan(rank).ravel()
    )
    out["top2_pct"], out["bottom2_pct"] = st["top2"].ravel(), st["bottom2"].ravel()
    out["suppressed"] = suppressed.ravel()
    return pd.DataFrame(out)
