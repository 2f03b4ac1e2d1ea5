"""Summary figures from frequency tables, shared by the item and dimension summaries.

:func:`pmqa_analysis.stats.item_summary.item_summary` and
:func:`pmqa_analysis.stats.dimensions.dimension_summary` both describe values from
their frequencies ``freq[group, value, column]`` (scale levels per item, or
respondent mean scores per dimension). This module holds the figures they share:
total, mean, SD and median from frequencies (:func:`count_moments`), confidence
intervals (:func:`wilson_interval` for shares, :func:`mean_interval` for means),
ranks of means (:func:`rank_desc`) and their interpretation bands
(:func:`band_array`) — all vectorised over groups and columns.

Conventions (state them in the report's methods section): SD has ddof = 1;
top-2-box and bottom-2-box shares carry Wilson score intervals; means are rounded to
2 decimals before banding and ranking.

Examples
--------
>>> freq = np.array([[[1.0], [0.0], [2.0]]])  # one group, values 1, 2, 3, one column
>>> total, mean, sd, median = count_moments(freq, np.array([1.0, 2.0, 3.0]), np.array([[3.0]]))
>>> total.tolist(), mean.round(4).tolist(), sd.round(4).tolist(), median.tolist()
([[3.0]], [[2.3333]], [[1.1547]], [[3.0]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.bands import band_label

__all__ = ["band_array", "count_moments", "mean_interval", "rank_desc", "wilson_interval"]


def wilson_interval(successes: Any, n: Any, ci: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions, vectorised (NaN where ``n`` is 0).

    Notes
    -----
    With ``p = x / n`` and ``z`` the ``(1 + ci) / 2`` normal quantile,

    ``(p + z²/2n ± z·sqrt(p(1 - p)/n + z²/4n²)) / (1 + z²/n)``

    (Wilson 1927, J. Am. Stat. Assoc. 22:209-212; Newcombe 1998, Stat. Med. 17:857).

    Examples
    --------
    >>> lo, hi = wilson_interval(13, 16)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.5699, 0.9341)
    """
    if not 0.0 < ci < 1.0:
        raise InputError(f"ci must be between 0 and 1 (e.g. 0.95); found {ci!r}")
    z = float(stats.norm.ppf(0.5 + ci / 2.0))
    x = np.asarray(successes, dtype=np.float64)
    nn = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / nn
        denom = 1.0 + z * z / nn
        centre = (p + z * z / (2.0 * nn)) / denom
        half = z * np.sqrt(p * (1.0 - p) / nn + z * z / (4.0 * nn * nn)) / denom
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def mean_interval(mean: Any, sd: Any, n: Any, ci: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Student-t confidence interval of a mean, vectorised (NaN where ``n`` < 2).

    Notes
    -----
    ``mean ± t(1 - (1 - ci)/2, n - 1) · sd / sqrt(n)``, with ``sd`` the sample SD
    (ddof = 1); for weighted figures ``n`` is the Kish effective size.

    Examples
    --------
    >>> lo, hi = mean_interval(4.0, 1.0, 25)
    >>> round(float(lo), 4), round(float(hi), 4)
    (3.5872, 4.4128)
    """
    if not 0.0 < ci < 1.0:
        raise InputError(f"ci must be between 0 and 1 (e.g. 0.95); found {ci!r}")
    m = np.asarray(mean, dtype=np.float64)
    nn = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = stats.t.ppf(0.5 + ci / 2.0, np.where(nn >= 2, nn - 1.0, np.nan))
        half = t * np.asarray(sd, dtype=np.float64) / np.sqrt(nn)
    return m - half, m + half


def count_moments(
    freq: np.ndarray, values: np.ndarray, n: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Total, mean, SD and median from frequencies ``freq[g, v, k]`` of ``values[v]``.

    ``values`` must be ascending; ``n`` is the unweighted count for the ddof correction.
    """
    v = values.reshape(1, -1, 1)
    total = freq.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (freq * v).sum(axis=1) / total
        ss = (freq * (v - mean[:, None, :]) ** 2).sum(axis=1)
        var = ss / total * n / (n - 1.0)
        cum = np.cumsum(freq, axis=1)
        half = total[:, None, :] / 2.0
        lo = (cum < half * (1 - 1e-12)).sum(axis=1)
        hi = (cum <= half * (1 + 1e-12)).sum(axis=1)
    n_values = len(values)
    med = (values[np.minimum(lo, n_values - 1)] + values[np.minimum(hi, n_values - 1)]) / 2.0
    empty = total <= 0
    mean[empty] = np.nan
    med = np.where(empty, np.nan, med)
    var = np.where(n > 1, var, np.nan)
    return total, mean, np.sqrt(np.maximum(var, 0.0)), med


def rank_desc(means: np.ndarray, same_set: np.ndarray) -> np.ndarray:
    """Rank (1 = highest, ties share the min rank) of ``means[g, k]`` among items ``k``
    with ``same_set[k, j]`` True; NaN means get NaN rank."""
    m = np.round(means, 2)
    higher = (m[:, None, :] > m[:, :, None]) & same_set[None, :, :]
    rank = 1.0 + higher.sum(axis=2)
    rank[np.isnan(m)] = np.nan
    return rank


def band_array(means: np.ndarray, preset: str, scale: Any, language: str) -> np.ndarray:
    """The band label of every mean (:func:`pmqa_analysis.stats.bands.band_label`), as an array."""
    labels = band_label(pd.Series(means), preset, scale, language)
    assert isinstance(labels, pd.Series)  # a Series in gives a Series out
    return labels.to_numpy()
