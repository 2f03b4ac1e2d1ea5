"""Item answers as level codes, and the level counts every item statistic derives from.

Likert answers take a handful of values, so nearly every item statistic is a
function of ``counts[group, level, item]``. :func:`level_counts` builds that array
with ``np.bincount`` over ``(group * n_levels + level) * n_items + item`` (one
bincount per chunk of rows, so the index stays in cache; counts add up);
:func:`pmqa_analysis.stats.item_summary.item_summary`,
:func:`pmqa_analysis.stats.dimensions.dimension_summary` and
:func:`pmqa_analysis.stats.item_summary.likert_table` derive every figure from it
without a Python loop over groups.

Several figures over the same data: convert it once with :func:`prepare_items` and
pass the :class:`PreparedItems` in place of the frame (to these functions and to
:mod:`pmqa_analysis.stats.reliability`); the conversion — level codes, group codes — is
then done once, and the count array is built once and shared. The statistics modules
reach the prepared arrays through the public, read-only API of :class:`PreparedItems`
(:attr:`~PreparedItems.codes`, :attr:`~PreparedItems.group_codes`,
:meth:`~PreparedItems.counts`, :meth:`~PreparedItems.rows_per_group`,
:meth:`~PreparedItems.cached`, :meth:`~PreparedItems.resolve`) and :func:`as_prepared`.

Conventions (state them in the report's methods section): levels come from the
scale, never from the values observed, so a level nobody chose shows 0 %;
percentages use the item's own non-missing n.

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

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.bands import scale_scores
from pmqa_analysis.stats.item_inputs import (
    by_list,
    check_questionnaire,
    column_values,
    encode_groups,
    read_weights,
    resolve_items,
    weight_array,
)

__all__ = [
    "CHUNK_ROWS",
    "PreparedItems",
    "as_prepared",
    "level_counts",
    "prepare_items",
]

#: Rows per chunk when coding answers and counting levels: the index stays in cache.
CHUNK_ROWS = 1 << 16
_T = TypeVar("_T")


# --------------------------------------------------------------------------- level codes


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
    columns = [column_values(data, item) for item in items]
    for start in range(0, len(data), CHUNK_ROWS):
        stop = start + CHUNK_ROWS
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
    for start in range(0, max(n_rows, 1), CHUNK_ROWS):  # chunks of rows keep the index in cache
        stop = start + CHUNK_ROWS
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
    :func:`pmqa_analysis.stats.item_summary.item_summary`,
    :func:`pmqa_analysis.stats.dimensions.dimension_summary`,
    :func:`pmqa_analysis.stats.item_summary.likert_table`, :func:`level_counts`,
    :func:`pmqa_analysis.stats.reliability.cronbach_alpha` and
    :func:`pmqa_analysis.stats.reliability.item_analysis`.

    It holds a snapshot, never a view: the level code of every answer (an int8
    matrix, one row per item), the group code of every row, the sorted groups and
    the weights, all read-only copies. Changing the data frame afterwards does not
    change the object or anything computed from it — prepare again to see new data.
    Figures that several functions need (the level counts per group, the per-group
    cross-products behind alpha and the item analysis) are computed on first use and
    kept on the object, so a second function asking for them costs nothing.

    For statistics modules, the snapshot is read through :attr:`codes`,
    :attr:`group_codes`, :attr:`weights`, :meth:`counts`, :meth:`rows_per_group`,
    :meth:`resolve` (a call's arguments checked against the prepared ones) and
    :meth:`cached` (a figure computed once and kept on the object).

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

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["b", "a", None], "Q1": [5, None, 2], "Q2": [1, 2, 3]})
    >>> prep = prepare_items(df, ["Q1", "Q2"], by="g")
    >>> prep.codes.tolist(), prep.group_codes.tolist()
    ([[4, 5, 1], [0, 1, 2]], [1, 0, -1])
    >>> prep.rows_per_group().tolist(), prep.counts()[:, :, 0].tolist()
    ([1, 1], [[0, 0, 0, 0, 0], [0, 0, 0, 0, 1]])
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

    @property
    def codes(self) -> np.ndarray:
        """Level index of every answer, shape ``(n_items, n_rows)``, read-only.

        Level ``l`` is ``scores[l]``; a missing answer is ``len(scores)``. int8 (int16
        for a scale of 127 levels or more), rows in the data's order.
        """
        return self._codes

    @property
    def group_codes(self) -> np.ndarray:
        """Group code of every row (its position in :attr:`groups`; -1 = a missing
        group key, a row in no group), shape ``(n_rows,)``, read-only."""
        return self._gcode

    @property
    def weights(self) -> np.ndarray | None:
        """The prepared weights (one per row, read-only), or None when unweighted."""
        return self._weights

    def cached(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()`` on the first call with ``key``, the kept result afterwards.

        For figures derived from this object's read-only arrays only (they never
        change); ``key`` must name everything the figure depends on, e.g.
        ``("moments", item_positions, listwise)``. Keys starting with ``"cube"`` or
        ``"rows"`` are taken by :meth:`counts` and :meth:`rows_per_group`. Return a
        read-only array (or an immutable object): callers share it.
        """
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def counts(self, weights: np.ndarray | None = None, squared: bool = False) -> np.ndarray:
        """(group, level, item) counts, or summed (squared) weights, for every item.

        Read-only, shape ``(n_groups, len(scores), len(items))``: int64 counts when
        ``weights`` is None, else float64 sums of ``weights`` (of their squares when
        ``squared``) per cell, ``weights`` being one weight per row. Kept on the
        object for no weights and for the prepared :attr:`weights`.
        """

        def compute() -> np.ndarray:
            w = None if weights is None else (weights * weights if squared else weights)
            return _read_only(_cube(self._gcode, self._codes, self.n_groups, len(self.scores), w))

        if weights is None:
            return self.cached(("cube",), compute)
        if weights is self._weights:
            return self.cached(("cube", "weights", squared), compute)
        return compute()

    def rows_per_group(self) -> np.ndarray:
        """Rows per group, shape ``(n_groups,)``, read-only (rows with a missing group
        key are in no group)."""

        def compute() -> np.ndarray:
            g = self._gcode
            return _read_only(np.bincount(g[g >= 0], minlength=self.n_groups)[: self.n_groups])

        return self.cached(("rows",), compute)

    def resolve(
        self,
        items: Sequence[Hashable] | None = None,
        by: Hashable | Sequence[Hashable] | None = None,
        scale: Any = None,
        weights: Any = None,
        questionnaire: pd.DataFrame | None = None,
    ) -> tuple[list[int], Any, np.ndarray | None]:
        """Check a call's arguments against this object: (item positions, scale, weights).

        ``items`` (default: the questionnaire's items, else every prepared item) must
        have been prepared; ``by`` and ``scale``, when given, must match the prepared
        ones; ``weights`` is None or the prepared weight column's name (the prepared
        :attr:`weights`) or one weight per row. Raises :class:`InputError` otherwise.
        """
        if items is None and questionnaire is not None:
            items = list(questionnaire["item_code"])
        if by is not None and by_list(by) != self.by:
            raise InputError(
                f"the data were prepared with by={self.by!r}; found by={by_list(by)!r}: "
                "leave by out, or prepare again with the grouping you need"
            )
        if scale is not None and scale_scores(scale) != self.scores:
            raise InputError(
                f"the data were prepared on the scale {list(self.scores)}; found scale "
                f"{list(scale_scores(scale))}: leave scale out, or prepare again with this scale"
            )
        if items is None:
            idx = list(range(len(self.items)))
        else:
            if isinstance(items, str) or not list(items):
                raise InputError(f"items must be a non-empty list of column names; found {items!r}")
            idx = self._positions(list(items))
        if weights is None or (isinstance(weights, str) and weights == self._weights_name):
            w = self._weights
        elif isinstance(weights, str):
            raise InputError(
                f"weights={weights!r} was not prepared (the data are gone): pass "
                "weights= to prepare_items, or one weight per row as an array"
            )
        else:
            w = weight_array(np.asarray(weights, dtype=np.float64), self.n_rows)
        return idx, (self.scale if scale is None else scale), w

    def _positions(self, items: Sequence[Hashable]) -> list[int]:
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
        As in :func:`pmqa_analysis.stats.item_summary.item_summary` (``items``
        default: the questionnaire's items, else every numeric non-profile column).
        Every answer must be a score of the scale.

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
    >>> from pmqa_analysis.stats.item_summary import item_summary
    >>> item_summary(prep, language="en")[["unit_code", "item_code", "n", "mean"]]
      unit_code item_code  n  mean
    0         A        Q1  3  4.00
    1         A        Q2  3  3.33
    2         B        Q1  2  3.00
    3         B        Q2  3  2.67
    """
    if questionnaire is not None:
        check_questionnaire(questionnaire)
    scores = scale_scores(scale)
    gcode, groups, names = encode_groups(data, by)
    weight_cols = [weights] if isinstance(weights, str) else []
    items = resolve_items(data, items, names + weight_cols, questionnaire)
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
    w = read_weights(data, weights)
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


def as_prepared(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable] | None,
    by: Hashable | Sequence[Hashable] | None,
    scale: Any,
    weights: Any,
    questionnaire: pd.DataFrame | None = None,
) -> tuple[PreparedItems, list[int], Any, np.ndarray | None]:
    """A statistic's data and arguments, prepared and checked.

    Returns (prepared data, positions of the items asked for, scale, weights or None).
    Prepared ``data`` is used as it is, its arguments checked by
    :meth:`PreparedItems.resolve`; a frame is prepared for this call only (the items
    as in :func:`prepare_items`).

    Examples
    --------
    >>> df = pd.DataFrame({"Q1": [1, 2], "Q2": [3, None]})
    >>> prep, idx, scale, w = as_prepared(df, None, None, None, None)
    >>> prep.items, idx, scale, w
    (('Q1', 'Q2'), [0, 1], None, None)
    >>> as_prepared(prep, ["Q2"], None, None, None)[1]
    [1]
    """
    if isinstance(data, PreparedItems):
        idx, scale, w = data.resolve(items, by, scale, weights, questionnaire)
        return data, idx, scale, w
    scores = scale_scores(scale)
    gcode, groups, names = encode_groups(data, by)
    weight_cols = [weights] if isinstance(weights, str) else []
    items = resolve_items(data, items, names + weight_cols, questionnaire)
    prep = _prepared(data, items, scores, scale, (gcode, groups, names), weights)
    return prep, list(range(len(items))), scale, prep.weights


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
        items = resolve_items(data, items, [])
    prep, idx, _, w = as_prepared(data, items, by, scale, weights)
    return prep.counts(w)[:, :, idx], prep.groups
