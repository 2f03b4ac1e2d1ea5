"""Argument checks shared by every analysis function: ``by=`` lists and required columns.

One wording for every module, so that a user's mistake reads the same wherever it happens.

Examples
--------
>>> by_columns("unit_code")
['unit_code']
>>> by_columns(["unit_code", "fiscal_year"])
['unit_code', 'fiscal_year']
>>> by_columns(None, allow_none=True)
[]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import pandas as pd

from pmqa_analysis.core.errors import InputError

__all__ = ["SURVEY_HINT", "by_columns", "require_columns"]

#: The default advice when a frame lacks a column the function needs.
SURVEY_HINT = (
    "Use the frames of the Survey bundle (docs/data_model.md) or pass by= with existing columns."
)


def by_columns(by: Any, *, allow_none: bool = False) -> list[Any]:
    """``by=`` as a list of column names: one name or a sequence of them.

    Parameters
    ----------
    by : hashable or sequence of hashable or None
        A column name, or a list of them.
    allow_none : bool
        When true, ``None`` (or an empty list) means "no grouping" and gives ``[]``;
        otherwise an empty ``by=`` is an :class:`InputError`.

    Examples
    --------
    >>> by_columns([])
    Traceback (most recent call last):
    ...
    pmqa_analysis.core.errors.InputError: by= is empty; expected a column name or a list ...
    """
    if by is None and allow_none:
        return []
    cols = [by] if isinstance(by, str) or not isinstance(by, Sequence) else list(by)
    if not cols and not allow_none:
        raise InputError(
            "by= is empty; expected a column name or a list of them, e.g. 'unit_code' or "
            "['unit_code', 'fiscal_year']."
        )
    return cols


def require_columns(
    frame: pd.DataFrame, columns: Sequence[Hashable], what: str, hint: str = SURVEY_HINT
) -> None:
    """Raise one :class:`InputError` naming every column of ``columns`` missing in ``frame``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "service_log")
    Traceback (most recent call last):
    ...
    pmqa_analysis.core.errors.InputError: service_log: column(s) ['b'] not found; found ['a']. ...
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what}: expected a pandas DataFrame; found {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = list(frame.columns)
        shown = f"{found[:30]} and {len(found) - 30} more" if len(found) > 30 else f"{found}"
        raise InputError(f"{what}: column(s) {missing} not found; found {shown}. {hint}")
