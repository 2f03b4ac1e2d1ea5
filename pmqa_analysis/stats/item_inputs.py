"""Checked inputs of the item statistics: columns, groups, items, weights, questionnaire.

Every item statistic (:mod:`pmqa_analysis.stats.items`,
:mod:`pmqa_analysis.stats.item_summary`, :mod:`pmqa_analysis.stats.dimensions`,
:mod:`pmqa_analysis.stats.reliability`) reads a wide response frame the same way:
the columns it names must exist, the ``by`` columns become one integer group code
per row (and, in the result, group columns again), the item columns default to
every numeric non-profile column, scores and weights are read as float arrays, and
the questionnaire maps items to dimensions. This module does that reading, with
one wording for every mistake.

Examples
--------
>>> df = pd.DataFrame({"unit_code": ["B", "A", None, "B"], "Q1": [5, 4, 3, 2]})
>>> codes, groups, names = encode_groups(df, "unit_code")
>>> codes.tolist(), list(groups), names
([1, 0, -1, 1], ['A', 'B'], ['unit_code'])
>>> resolve_items(df, None, names)
['Q1']
>>> group_columns(groups, names, 2)
{'unit_code': array(['A', 'A', 'B', 'B'], dtype=object)}
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.frames import by_columns
from pmqa_analysis.core.frames import require_columns as _require_columns

__all__ = [
    "NON_ITEM_COLUMNS",
    "by_list",
    "check_questionnaire",
    "column_values",
    "dimension_of",
    "encode_groups",
    "group_columns",
    "read_weights",
    "require_columns",
    "resolve_items",
    "weight_array",
]

#: Columns of ``Survey.responses`` that are never rating items.
NON_ITEM_COLUMNS = frozenset(
    {
        "respondent_id", "unit_code", "group_code", "channel_code", "response_date",
        "fiscal_year", "half", "quarter", "sex", "age_band", "education", "occupation",
        "service_code", "weight", "comment_praise", "comment_improve", "comment_dissatisfied",
    }
)  # fmt: skip


# --------------------------------------------------------------------------- columns


def by_list(by: Hashable | Sequence[Hashable] | None) -> list[Hashable]:
    """The grouping column names of a ``by=`` argument as a list (empty for None)."""
    return by_columns(by, allow_none=True)


def require_columns(data: pd.DataFrame, columns: Sequence[Hashable], what: str) -> None:
    """Raise :class:`InputError` unless ``data`` is a frame holding every column named.

    ``what`` names the columns' role in the message (``"item"``, ``"grouping"`` ...).
    """
    _require_columns(data, columns, f"{what} column(s)", "Check the spelling or the item codes.")


def column_values(data: pd.DataFrame, column: Hashable) -> np.ndarray:
    """A column's scores as float64 (NaN = missing); non-numeric values are an error."""
    col = data[column]
    try:
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise InputError(
            f"column {column!r} holds non-numeric values (e.g. {col.dropna().iloc[0]!r}); "
            "expected scores: convert labels to scores with pmqa_analysis.stats.scales first"
        ) from None


# --------------------------------------------------------------------------- groups


def encode_groups(
    data: pd.DataFrame, by: Hashable | Sequence[Hashable] | None
) -> tuple[np.ndarray, pd.Index, list[Hashable]]:
    """Integer group code per row (-1 = a missing key, dropped) and the sorted groups.

    Returns ``(codes, groups, names)``: ``groups`` is an Index for one ``by`` column,
    a MultiIndex of the combinations present for several, ``RangeIndex(1)`` (every
    row code 0) when ``by`` is None; ``names`` is :func:`by_list` of ``by``.
    """
    names = by_list(by)
    require_columns(data, names, "grouping")
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


def group_columns(groups: pd.Index, names: list[Hashable], repeat: int) -> dict[Hashable, Any]:
    """The group columns of a result with ``repeat`` rows per group, in group order.

    The inverse of :func:`encode_groups`: ``{name: values}`` for every ``by`` column
    (empty when ungrouped), ready to start a result frame's column dict.
    """
    if not names:
        return {}
    if isinstance(groups, pd.MultiIndex):
        return {
            name: np.repeat(groups.get_level_values(i).to_numpy(), repeat)
            for i, name in enumerate(names)
        }
    return {names[0]: np.repeat(groups.to_numpy(), repeat)}


# --------------------------------------------------------------------------- items


def resolve_items(
    data: pd.DataFrame,
    items: Sequence[Hashable] | None,
    exclude: Sequence[Hashable],
    questionnaire: pd.DataFrame | None = None,
) -> list[Hashable]:
    """The item columns of a call, checked to exist.

    ``items`` when given, else the questionnaire's ``item_code`` order, else every
    numeric column except ``exclude`` and :data:`NON_ITEM_COLUMNS`.
    """
    if items is None and questionnaire is not None:
        items = list(questionnaire["item_code"])
    if items is None:
        skip = set(exclude) | NON_ITEM_COLUMNS
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
    require_columns(data, items, "item")
    return items


def check_questionnaire(questionnaire: pd.DataFrame) -> pd.DataFrame:
    """``questionnaire`` itself, checked to be a frame with ``item_code`` and ``dimension_code``."""
    if not isinstance(questionnaire, pd.DataFrame):
        raise InputError(f"questionnaire must be a DataFrame; found {type(questionnaire).__name__}")
    missing = [c for c in ("item_code", "dimension_code") if c not in questionnaire.columns]
    if missing:
        raise InputError(
            f"the questionnaire lacks column(s) {missing}; expected item_code and "
            "dimension_code (see the questionnaire template)"
        )
    return questionnaire


def dimension_of(items: Sequence[Hashable], questionnaire: pd.DataFrame) -> list[Hashable]:
    """The ``dimension_code`` of every item, from the questionnaire (unknown items: error)."""
    mapping = dict(zip(questionnaire["item_code"], questionnaire["dimension_code"], strict=True))
    unknown = [i for i in items if i not in mapping]
    if unknown:
        raise InputError(
            f"item(s) {unknown} are not in the questionnaire; add them to questionnaire.csv "
            "or leave them out of items"
        )
    return [mapping[i] for i in items]


# --------------------------------------------------------------------------- weights


def read_weights(data: pd.DataFrame, weights: Any) -> np.ndarray | None:
    """One weight per row from a weight column name or an array (None: unweighted)."""
    if weights is None:
        return None
    if isinstance(weights, str):
        require_columns(data, [weights], "weight")
        return weight_array(column_values(data, weights), len(data))
    return weight_array(np.asarray(weights, dtype=np.float64), len(data))


def weight_array(w: np.ndarray, n_rows: int) -> np.ndarray:
    """``w`` itself, checked to hold one finite weight >= 0 per row."""
    if w.shape != (n_rows,):
        raise InputError(f"weights must have one value per row ({n_rows}); found shape {w.shape}")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        raise InputError(
            f"{int(bad.sum())} weight(s) are missing, negative or infinite (first: "
            f"{w[bad][0]!r}); every row needs a weight >= 0 (use 1.0 when unweighted)"
        )
    return w
