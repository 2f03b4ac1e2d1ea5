"""Item and dimension statistics from one array of level counts.

Likert answers take a handful of values, so nearly every item statistic is a
function of ``counts[group, level, item]``. :func:`level_counts` builds that array
with ``np.bincount`` over ``(group * n_levels + level) * n_items + item`` (one
bincount per chunk of rows, so the index stays in cache; counts add up);
:func:`item_summary`, :func:`dimension_summary` and :func:`likert_table` derive every
figure from it without a Python loop over groups.

Several figures over the same data: convert it once with :func:`prepare_items` and
pass the :class:`PreparedItems` in place of the frame (to these functions and to
:mod:`pmqa_analysis.stats.reliability`); the conversion — level codes, group codes — is
then done once, and the count array is built once and shared.

Conventions (state them in the report's methods section): levels come from the
scale, never from the values observed, so a level nobody chose shows 0 %;
percentages use the item's own non-missing n; SD has ddof = 1; top-2-box and
bottom-2-box shares carry Wilson score intervals; means are rounded to 2 decimals
before banding and ranking.

Examples
--------
>>> df = pd.DataFrame({"unit_code": ["A", "A", "B", "B"],
...                    "Q1": [5, 4, 3, None], "Q2": [4, 4, 2, 1]})
>>> counts, groups = level_counts(df, ["Q1", "Q2"], by="unit_code")
>>> counts.shape, list(groups)
((2, 5, 2), ['A', 'B'])
>>> counts[0, :, 0].tolist()
[0, 0, 0, 1, 1]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.bands import DEFAULT_PRESET, _scores_of, band_label

__all__ = [
    "PreparedItems",
    "dimension_summary",
    "item_summary",
    "level_counts",
    "likert_table",
    "mean_interval",
    "prepare_items",
    "wilson_interval",
]

#: Columns of ``Survey.responses`` that are never rating items.
_NON_ITEM_COLUMNS = frozenset(
    {
        "respondent_id", "unit_code", "group_code", "channel_code", "response_date",
        "fiscal_year", "half", "quarter", "sex", "age_band", "education", "occupation",
        "service_code", "weight", "comment_praise", "comment_improve", "comment_dissatisfied",
    }
)  # fmt: skip
OVERALL = "OVERALL"
_CHUNK = 1 << 16  # rows per bincount chunk
_T = TypeVar("_T")


# --------------------------------------------------------------------------- inputs


def _by_list(by: Hashable | Sequence[Hashable] | None) -> list[Hashable]:
    if by is None:
        return []
    if isinstance(by, str) or not isinstance(by, Sequence):
        return [by]
    return list(by)


def _require_columns(data: pd.DataFrame, columns: Sequence[Hashable], what: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame; found {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(
            f"{what} column(s) {missing} not found in the data; the data has columns "
            f"{list(data.columns)[:20]}: check the spelling or the item codes"
        )


def _group_codes(
    data: pd.DataFrame, by: Hashable | Sequence[Hashable] | None
) -> tuple[np.ndarray, pd.Index, list[Hashable]]:
    """Integer group code per row (-1 = a missing key, dropped) and the sorted groups."""
    names = _by_list(by)
    _require_columns(data, names, "grouping")
    n = len(data)
    if not names:
        return np.zeros(n, dtype=np.intp), pd.RangeIndex(1), names
    codes_list, uniques_list = [], []
    for name in names:
        codes, uniques = pd.factorize(data[name], sort=True)
        codes_list.append(codes.astype(np.intp))
        uniques_list.append(pd.Index(uniques))
    if len(names) == 1:
        idx = uniques_list[0].copy()
        idx.name = names[0]
        return codes_list[0], idx, names
    dims = tuple(max(len(u), 1) for u in uniques_list)
    bad = np.zeros(n, dtype=bool)
    for c in codes_list:
        bad |= c < 0
    flat = np.ravel_multi_index(tuple(np.where(bad, 0, c) for c in codes_list), dims)
    flat = np.where(bad, -1, flat)
    combo, seen = pd.factorize(flat, sort=True)
    seen = np.asarray(seen)
    keep = seen >= 0
    if not keep.all():  # -1 sorts first: shift codes down by one
        combo = np.where(combo == 0, -1, combo - 1)
        seen = seen[keep]
    parts = np.unravel_index(seen, dims)
    arrays = [u.take(p) for u, p in zip(uniques_list, parts, strict=True)]
    return combo.astype(np.intp), pd.MultiIndex.from_arrays(arrays, names=names), names


def _resolve_items(
    data: pd.DataFrame,
    items: Sequence[Hashable] | None,
    exclude: Sequence[Hashable],
    questionnaire: pd.DataFrame | None = None,
) -> list[Hashable]:
    if items is None and questionnaire is not None:
        items = list(questionnaire["item_code"])
    if items is None:
        skip = set(exclude) | _NON_ITEM_COLUMNS
        items = [
            c for c in data.columns if c not in skip and pd.api.types.is_numeric_dtype(data[c])
        ]
        if not items:
            raise InputError(
                "no numeric item columns found in the data: pass items=[...] or a questionnaire"
            )
    items = list(items)
    if isinstance(items, str) or not items:
        raise InputError(f"items must be a non-empty list of column names; found {items!r}")
    _require_columns(data, items, "item")
    return items


def _column_values(data: pd.DataFrame, column: Hashable) -> np.ndarray:
    col = data[column]
    try:
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise InputError(
            f"column {column!r} holds non-numeric values (e.g. {col.dropna().iloc[0]!r}); "
            "expected scores: convert labels to scores with pmqa_analysis.stats.scales first"
        ) from None


def _item_codes(data: pd.DataFrame, items: Sequence[Hashable], scores: Sequence[int]) -> np.ndarray:
    """Level index per answer, shape (n_items, n_rows), int8; ``len(scores)`` = missing.

    Works through the rows in chunks, every item per chunk, so that columns stored
    side by side in one block are read while their cache lines are warm. Per chunk:
    ``t`` = the level as a float (NaN = missing), checked to lie in ``[0, L - 1]``
    (``fmin``/``fmax`` skip NaN), NaN turned into ``L`` by ``fmin(t, L)``, cast, and
    the cast compared with ``t`` (a fractional or out-of-range value changes).
    """
    n_levels = len(scores)
    dtype = np.int8 if n_levels < 127 else np.int16
    out = np.empty((len(items), len(data)), dtype=dtype)
    lo, hi = scores[0], scores[-1]
    contiguous = hi - lo == n_levels - 1
    score_arr = np.asarray(scores, dtype=np.float64)
    columns = [_column_values(data, item) for item in items]
    for start in range(0, len(data), _CHUNK):
        stop = start + _CHUNK
        for j, col in enumerate(columns):
            x = col[start:stop]
            if contiguous:
                t = x - lo
            else:
                pos = np.searchsorted(score_arr, x)
                t = np.where(score_arr[np.minimum(pos, n_levels - 1)] == x, pos, -1.0)
                np.copyto(t, np.nan, where=np.isnan(x))
            # NaN compares False: an all-missing chunk passes
            if np.fmin.reduce(t) < 0 or np.fmax.reduce(t) > n_levels - 1:
                _raise_off_scale(items[j], col, score_arr, scores)
            np.fmin(t, n_levels, out=t)  # missing -> the slot L
            code = out[j, start:stop]
            np.copyto(code, t, casting="unsafe")
            if not np.array_equal(code, t):  # a fractional score
                _raise_off_scale(items[j], col, score_arr, scores)
    return out


def _raise_off_scale(
    item: Hashable, x: np.ndarray, score_arr: np.ndarray, scores: Sequence[int]
) -> None:
    bad = ~np.isnan(x) & ~np.isin(x, score_arr)
    found = sorted(pd.unique(x[bad]).tolist())
    raise InputError(
        f"item {item!r} has {int(bad.sum())} value(s) not on the scale {list(scores)}: "
        f"found {found[:5]}; recode them to a score of the scale or to missing, or pass "
        "the right scale"
    )


def _weights(data: pd.DataFrame, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        _require_columns(data, [weights], "weight")
        return _weight_array(_column_values(data, weights), len(data))
    return _weight_array(np.asarray(weights, dtype=np.float64), len(data))


def _weight_array(w: np.ndarray, n_rows: int) -> np.ndarray:
    if w.shape != (n_rows,):
        raise InputError(f"weights must have one value per row ({n_rows}); found shape {w.shape}")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        raise InputError(
            f"{int(bad.sum())} weight(s) are missing, negative or infinite (first: "
            f"{w[bad][0]!r}); every row needs a weight >= 0 (use 1.0 when unweighted)"
        )
    return w


def _cube(
    gcode: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    n_levels: int,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """One bincount: counts (or summed weights) of shape (group, level, item).

    Missing answers (level ``n_levels``) and rows with a missing group key (code -1)
    fall in extra slots that are cut off afterwards.
    """
    n_items, n_rows = codes.shape
    lp, gp = n_levels + 1, n_groups + 1
    size = gp * lp * n_items
    itype = np.int32 if size < 2**31 else np.intp
    base: np.ndarray = np.where(gcode < 0, n_groups, gcode).astype(itype)
    base *= lp * n_items
    offset = np.arange(n_items, dtype=itype)[:, None]
    flat = np.zeros(size, dtype=np.int64 if weights is None else np.float64)
    for start in range(0, max(n_rows, 1), _CHUNK):  # chunks of rows keep the index in cache
        stop = start + _CHUNK
        idx = np.multiply(codes[:, start:stop], n_items, dtype=itype)
        idx += base[start:stop]
        idx += offset
        w = None
        if weights is not None:
            w = np.broadcast_to(weights[start:stop], idx.shape).ravel()
        flat += np.bincount(idx.ravel(), weights=w, minlength=size)
    return flat.reshape(gp, lp, n_items)[:n_groups, :n_levels, :]


# --------------------------------------------------------------------------- prepared


class PreparedItems:
    """Item answers converted once, for every statistics function to reuse.

    Build it with :func:`prepare_items`; pass it in place of the data frame to
    :func:`item_summary`, :func:`dimension_summary`, :func:`likert_table`,
    :func:`level_counts`, :func:`pmqa_analysis.stats.reliability.cronbach_alpha` and
    :func:`pmqa_analysis.stats.reliability.item_analysis`.

    It holds a snapshot, never a view: the level code of every answer (an int8
    matrix, one row per item), the group code of every row, the sorted groups and
    the weights, all read-only copies. Changing the data frame afterwards does not
    change the object or anything computed from it — prepare again to see new data.
    Figures that several functions need (the level counts per group, the per-group
    cross-products behind alpha and the item analysis) are computed on first use and
    kept on the object, so a second function asking for them costs nothing.

    Attributes
    ----------
    items : tuple
        The item columns, in order.
    by : list
        The grouping column names (empty when ungrouped).
    groups : pandas.Index
        The groups in sorted order (``RangeIndex(1)`` when ungrouped).
    scores : tuple of int
        The scale's scores.
    scale : object
        The ``scale`` given to :func:`prepare_items` (None for the default 1-5).
    n_rows : int
        Rows of the data, including rows whose group key is missing.
    """

    def __init__(
        self,
        *,
        items: Sequence[Hashable],
        by: list[Hashable],
        groups: pd.Index,
        gcode: np.ndarray,
        codes: np.ndarray,
        scores: tuple[int, ...],
        scale: Any,
        weights: np.ndarray | None,
        weights_name: Hashable | None,
    ) -> None:
        self.items: tuple[Hashable, ...] = tuple(items)
        self.by: list[Hashable] = list(by)
        self.groups: pd.Index = groups
        self.scores: tuple[int, ...] = scores
        self.scale: Any = scale
        self.n_rows: int = int(codes.shape[1])
        self._gcode = _read_only(gcode)
        self._codes = _read_only(codes)
        self._weights = None if weights is None else _read_only(weights)
        self._weights_name = weights_name
        self._position = {item: j for j, item in enumerate(self.items)}
        self._cache: dict[Hashable, Any] = {}

    def __repr__(self) -> str:
        weighted = "" if self._weights is None else ", weighted"
        return (
            f"PreparedItems({self.n_rows:,} rows, {len(self.items)} items, "
            f"{len(self.groups)} group(s), by={self.by!r}, scores={list(self.scores)}{weighted})"
        )

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return len(self.groups)

    def _memo(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()`` once per key; results are derived from read-only arrays only."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _cube(self, weights: np.ndarray | None = None, squared: bool = False) -> np.ndarray:
        """(group, level, item) counts, or summed (squared) weights, for every item."""

        def compute() -> np.ndarray:
            w = None if weights is None else (weights * weights if squared else weights)
            return _read_only(_cube(self._gcode, self._codes, self.n_groups, len(self.scores), w))

        if weights is None:
            return self._memo(("cube",), compute)
        if weights is self._weights:
            return self._memo(("cube", "weights", squared), compute)
        return compute()

    def _rows(self) -> np.ndarray:
        """Rows per group (rows with a missing group key are in no group)."""

        def compute() -> np.ndarray:
            g = self._gcode
            return _read_only(np.bincount(g[g >= 0], minlength=self.n_groups)[: self.n_groups])

        return self._memo(("rows",), compute)

    def _select(self, items: Sequence[Hashable]) -> list[int]:
        unknown = [i for i in items if i not in self._position]
        if unknown:
            raise InputError(
                f"item(s) {unknown} were not prepared; the prepared items are "
                f"{list(self.items)[:20]}: pass them to prepare_items(items=...)"
            )
        return [self._position[i] for i in items]


def _read_only(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def prepare_items(
    data: pd.DataFrame,
    items: Sequence[Hashable] | None = None,
    by: Hashable | Sequence[Hashable] | None = None,
    scale: Any = None,
    weights: Any = None,
    questionnaire: pd.DataFrame | None = None,
) -> PreparedItems:
    """Convert the answers once, for several statistics over the same data.

    Every statistics function starts by turning the frame into small integer codes
    and factorising the groups — on a million rows about as long as the statistics
    themselves. Doing it once and passing the result to each function removes the
    repeat, and lets :func:`~pmqa_analysis.stats.reliability.cronbach_alpha` and
    :func:`~pmqa_analysis.stats.reliability.item_analysis` share one pass over the data.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide responses (one score column per item, NaN = missing); not modified.
    items, by, scale, weights, questionnaire
        As in :func:`item_summary` (``items`` default: the questionnaire's items, else
        every numeric non-profile column). Every answer must be a score of the scale.

    Returns
    -------
    PreparedItems
        A read-only snapshot. Pass it as ``data`` to the statistics functions; their
        ``by`` and ``scale`` may then be left out (or must match), ``items`` may pick
        a subset of the prepared items, and ``weights`` defaults to the prepared ones
        (a different array of one weight per row may be given). ``cronbach_alpha``
        and ``item_analysis`` compute on the scale scores and return one row per
        group when ``by`` was given here.

    Examples
    --------
    >>> df = pd.DataFrame({"unit_code": ["A", "A", "A", "B", "B", "B"],
    ...                    "Q1": [5, 4, 3, 2, None, 4], "Q2": [4, 4, 2, 1, 2, 5]})
    >>> prep = prepare_items(df, ["Q1", "Q2"], by="unit_code")
    >>> prep
    PreparedItems(6 rows, 2 items, 2 group(s), by=['unit_code'], scores=[1, 2, 3, 4, 5])
    >>> item_summary(prep, language="en")[["unit_code", "item_code", "n", "mean"]]
      unit_code item_code  n  mean
    0         A        Q1  3  4.00
    1         A        Q2  3  3.33
    2         B        Q1  2  3.00
    3         B        Q2  3  2.67
    """
    if questionnaire is not None:
        _check_questionnaire(questionnaire)
    scores = _scores_of(scale)
    gcode, groups, names = _group_codes(data, by)
    weight_cols = [weights] if isinstance(weights, str) else []
    items = _resolve_items(data, items, names + weight_cols, questionnaire)
    return _prepared(data, items, scores, scale, (gcode, groups, names), weights)


def _prepared(
    data: pd.DataFrame,
    items: list[Hashable],
    scores: tuple[int, ...],
    scale: Any,
    grouping: tuple[np.ndarray, pd.Index, list[Hashable]],
    weights: Any,
) -> PreparedItems:
    gcode, groups, names = grouping
    codes = _item_codes(data, items, scores)
    w = _weights(data, weights)
    return PreparedItems(
        items=items,
        by=names,
        groups=groups,
        gcode=gcode,
        codes=codes,
        scores=scores,
        scale=scale,
        weights=None if w is None else np.array(w, dtype=np.float64),  # a copy
        weights_name=weights if isinstance(weights, str) else None,
    )


def _from_prepared(
    prep: PreparedItems,
    items: Sequence[Hashable] | None,
    by: Hashable | Sequence[Hashable] | None,
    scale: Any = None,
    weights: Any = None,
    questionnaire: pd.DataFrame | None = None,
) -> tuple[list[int], Any, np.ndarray | None]:
    """Check a call's arguments against a prepared object: (item positions, scale, weights)."""
    if items is None and questionnaire is not None:
        items = list(questionnaire["item_code"])
    if by is not None and _by_list(by) != prep.by:
        raise InputError(
            f"the data were prepared with by={prep.by!r}; found by={_by_list(by)!r}: "
            "leave by out, or prepare again with the grouping you need"
        )
    if scale is not None and _scores_of(scale) != prep.scores:
        raise InputError(
            f"the data were prepared on the scale {list(prep.scores)}; found scale "
            f"{list(_scores_of(scale))}: leave scale out, or prepare again with this scale"
        )
    if items is None:
        idx = list(range(len(prep.items)))
    else:
        if isinstance(items, str) or not list(items):
            raise InputError(f"items must be a non-empty list of column names; found {items!r}")
        idx = prep._select(list(items))
    if weights is None or (isinstance(weights, str) and weights == prep._weights_name):
        w = prep._weights
    elif isinstance(weights, str):
        raise InputError(
            f"weights={weights!r} was not prepared (the data are gone): pass "
            "weights= to prepare_items, or one weight per row as an array"
        )
    else:
        w = _weight_array(np.asarray(weights, dtype=np.float64), prep.n_rows)
    return idx, (prep.scale if scale is None else scale), w


def _inputs(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable] | None,
    by: Hashable | Sequence[Hashable] | None,
    scale: Any,
    weights: Any,
    questionnaire: pd.DataFrame | None = None,
) -> tuple[PreparedItems, list[int], Any, np.ndarray | None]:
    """(prepared data, positions of the items asked for, scale, weights or None)."""
    if isinstance(data, PreparedItems):
        idx, scale, w = _from_prepared(data, items, by, scale, weights, questionnaire)
        return data, idx, scale, w
    scores = _scores_of(scale)
    gcode, groups, names = _group_codes(data, by)
    weight_cols = [weights] if isinstance(weights, str) else []
    items = _resolve_items(data, items, names + weight_cols, questionnaire)
    prep = _prepared(data, items, scores, scale, (gcode, groups, names), weights)
    return prep, list(range(len(items))), scale, prep._weights


def level_counts(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable],
    by: Hashable | Sequence[Hashable] | None = None,
    scale: Any = None,
    weights: Any = None,
) -> tuple[np.ndarray, pd.Index]:
    """Count the answers per group, scale level and item in one pass.

    Parameters
    ----------
    data : pandas.DataFrame or PreparedItems
        Wide responses: one column per item holding scores (NaN = missing), or
        :func:`prepare_items` of them.
    items : list of str
        The item columns, in output order.
    by : str or list of str, optional
        Grouping column(s); rows whose key is missing are left out.
    scale : sequence of int or Scale, optional
        The scores of the scale (default 1-5).
    weights : str or array-like, optional
        A weight column (or one weight per row): weights are summed instead of counted.

    Returns
    -------
    counts : numpy.ndarray
        Shape ``(n_groups, n_levels, n_items)``; int64 counts, float64 when weighted.
    groups : pandas.Index
        The groups in sorted order (a MultiIndex for several ``by`` columns; a
        ``RangeIndex(1)`` when ``by`` is None).

    Raises
    ------
    InputError
        A score is not on the scale, a column is missing or non-numeric.

    Notes
    -----
    ``counts`` comes from ``np.bincount`` over the flat index
    ``(group * (L + 1) + level) * K + item`` (``L`` levels plus one slot for missing,
    ``K`` items), one bincount per chunk of 65,536 rows: counts add up across
    partitions of the rows (chunks here, Dask partitions elsewhere).

    Examples
    --------
    >>> df = pd.DataFrame({"Q1": [1, 1, 3], "Q2": [2, None, 2]})
    >>> counts, _ = level_counts(df, ["Q1", "Q2"], scale=[1, 2, 3])
    >>> counts[0].tolist()
    [[2, 0], [0, 2], [1, 0]]
    """
    if not isinstance(data, PreparedItems):
        items = _resolve_items(data, items, [])
    prep, idx, _, w = _inputs(data, items, by, scale, weights)
    return prep._cube(w)[:, :, idx], prep.groups


# --------------------------------------------------------------------------- statistics


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


def _moments(
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


def _rank_desc(means: np.ndarray, same_set: np.ndarray) -> np.ndarray:
    """Rank (1 = highest, ties share the min rank) of ``means[g, k]`` among items ``k``
    with ``same_set[k, j]`` True; NaN means get NaN rank."""
    m = np.round(means, 2)
    higher = (m[:, None, :] > m[:, :, None]) & same_set[None, :, :]
    rank = 1.0 + higher.sum(axis=2)
    rank[np.isnan(m)] = np.nan
    return rank


def _bands(means: np.ndarray, preset: str, scale: Any, language: str) -> np.ndarray:
    labels = band_label(pd.Series(means), preset, scale, language)
    assert isinstance(labels, pd.Series)  # a Series in gives a Series out
    return labels.to_numpy()


def _check_questionnaire(questionnaire: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(questionnaire, pd.DataFrame):
        raise InputError(f"questionnaire must be a DataFrame; found {type(questionnaire).__name__}")
    missing = [c for c in ("item_code", "dimension_code") if c not in questionnaire.columns]
    if missing:
        raise InputError(
            f"the questionnaire lacks column(s) {missing}; expected item_code and "
            "dimension_code (see the questionnaire template)"
        )
    return questionnaire


def _dimension_of(items: Sequence[Hashable], questionnaire: pd.DataFrame) -> list[Hashable]:
    mapping = dict(zip(questionnaire["item_code"], questionnaire["dimension_code"], strict=True))
    unknown = [i for i in items if i not in mapping]
    if unknown:
        raise InputError(
            f"item(s) {unknown} are not in the questionnaire; add them to questionnaire.csv "
            "or leave them out of items"
        )
    return [mapping[i] for i in items]


def _group_frame(groups: pd.Index, names: list[Hashable], repeat: int) -> dict[Hashable, Any]:
    if not names:
        return {}
    if isinstance(groups, pd.MultiIndex):
        return {
            name: np.repeat(groups.get_level_values(i).to_numpy(), repeat)
            for i, name in enumerate(names)
        }
    return {names[0]: np.repeat(groups.to_numpy(), repeat)}


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
        :func:`prepare_items` of them, to convert the data once for several functions.
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
        _check_questionnaire(questionnaire)
    prep, idx, scale, w = _inputs(data, items, by, scale, weights, questionnaire)
    scores, groups, names = prep.scores, prep.groups, prep.by
    items = [prep.items[j] for j in idx]
    dims = _dimension_of(items, questionnaire) if questionnaire is not None else None
    n_groups, n_items = len(groups), len(items)

    counts = prep._cube()[:, :, idx]
    n = counts.sum(axis=1).astype(np.float64)
    if w is None:
        freq, n_eff = counts.astype(np.float64), n
    else:
        freq = prep._cube(w)[:, :, idx]
        w2 = prep._cube(w, squared=True)[:, :, idx].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = freq.sum(axis=1) ** 2 / w2
    values = np.asarray(scores, dtype=np.float64)
    total, mean, sd, median = _moments(freq, values, n)
    suppressed = n < (min_cell if min_cell is not None else 0)
    for arr in (mean, sd, median):
        arr[suppressed] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = freq / total[:, None, :] * 100.0
    top2, bottom2 = freq[:, -2:, :].sum(axis=1), freq[:, :2, :].sum(axis=1)

    out: dict[Hashable, Any] = _group_frame(groups, names, n_items)
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
    out["band"] = _bands(mean.ravel(), band_preset, scale, language)
    dim_arr = np.asarray(dims if dims is not None else [0] * n_items, dtype=object)
    rank = _rank_desc(mean, dim_arr[:, None] == dim_arr[None, :])
    out["rank"] = pd.arrays.IntegerArray(
        np.nan_to_num(rank).astype(np.int64).ravel(), np.isnan(rank).ravel()
    )
    out["suppressed"] = flat_supp
    return pd.DataFrame(out)


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
        for start in range(0, n_rows, _CHUNK):
            stop = min(start + _CHUNK, n_rows)
            block = codes[rows, start:stop]
            answered = block != n_levels
            np.sum(answered, axis=0, dtype=np.int32, out=a[start:stop])
            np.sum(block * answered, axis=0, dtype=np.int32, out=s[start:stop])
        return s, a
    packed = np.append(np.asarray(scores, dtype=np.int32) - scores[0] + (1 << 16), 0)
    total = np.zeros(codes.shape[1], dtype=np.int32)
    for start in range(0, codes.shape[1], _CHUNK):
        stop = start + _CHUNK
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
        :func:`prepare_items` of them (holding every questionnaire item).
    questionnaire : pandas.DataFrame
        ``item_code`` and ``dimension_code``; dimensions keep their first-appearance
        order and every questionnaire item must be a column of ``data``.
    by, scale, weights, band_preset, language, min_cell
        As in :func:`item_summary`.
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
    _check_questionnaire(questionnaire)
    if not 0.0 <= min_answered <= 1.0:
        raise InputError(f"min_answered must be a share between 0 and 1; found {min_answered!r}")
    prep, idx, scale, w = _inputs(data, None, by, scale, weights, questionnaire)
    scores, groups, names = prep.scores, prep.groups, prep.by
    gcode, codes = prep._gcode, prep._codes
    items = [prep.items[j] for j in idx]
    dims_of = _dimension_of(items, questionnaire)
    dim_codes = list(dict.fromkeys(dims_of))
    n_groups, n_rows = len(groups), prep.n_rows
    item_freq = prep._cube(w).astype(np.float64)

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
        total, mean, sd, med = _moments(freq[:, :, None], vals, n)
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
    rank = _rank_desc(np.where(is_dim, st["mean"], np.nan), is_dim[:, None] & is_dim[None, :])

    out: dict[Hashable, Any] = _group_frame(groups, names, n_dims)
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
    out["band"] = _bands(out["mean"], band_preset, scale, language)
    out["rank"] = pd.arrays.IntegerArray(
        np.nan_to_num(rank).astype(np.int64).ravel(), np.isnan(rank).ravel()
    )
    out["top2_pct"], out["bottom2_pct"] = st["top2"].ravel(), st["bottom2"].ravel()
    out["suppressed"] = suppressed.ravel()
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
    prep, idx, scale, w = _inputs(data, items, by, scale, weights)
    scores, groups, names = prep.scores, prep.groups, prep.by
    items = [prep.items[j] for j in idx]
    freq = prep._cube(w)[:, :, idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = freq / freq.sum(axis=1, keepdims=True) * 100.0
    own = getattr(scale, f"labels_{language}", None)
    level_names = [str(x) for x in own] if own is not None else [str(s) for s in scores]
    out = _group_frame(groups, names, len(items))
    if len(names) == 1:
        out = {"Group": out[names[0]]}
    out["Item"] = np.tile(np.asarray(items, dtype=object), len(groups))
    for i, label in enumerate(level_names):
        out[label] = pct[:, i, :].ravel()
    return pd.DataFrame(out)
