"""Respondent-level dimension scores, for comparisons and exploration.

The dimension summaries (:func:`pmqa_analysis.stats.dimensions.dimension_summary`) count
these scores without materialising them; this module gives them as a frame,
one row per respondent, so that groups can be compared on a dimension with
:func:`pmqa_analysis.stats.compare.compare_groups`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError

__all__ = ["OVERALL", "respondent_scores"]

OVERALL = "OVERALL"


def respondent_scores(
    data: pd.DataFrame, questionnaire: pd.DataFrame, *, min_answered: float = 0.5
) -> pd.DataFrame:
    """Each respondent's mean score per dimension and overall.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide responses (``Survey.responses``): item columns named by item code.
    questionnaire : pandas.DataFrame
        With ``item_code`` and ``dimension_code``.
    min_answered : float, default 0.5
        A respondent's dimension score is kept when at least this share of the
        dimension's items is answered (the same rule as ``dimension_summary``).

    Returns
    -------
    pandas.DataFrame
        The non-item columns of ``data`` (ids, unit, group, channel, year …), then one
        float column per dimension code and ``OVERALL`` (NaN when too few answers).

    Examples
    --------
    >>> q = pd.DataFrame({"item_code": ["a", "b", "c"], "dimension_code": ["D1", "D1", "D2"]})
    >>> r = pd.DataFrame({"group_code": ["G1", "G2"], "a": [5, np.nan], "b": [4, np.nan],
    ...                   "c": [3, 2]})
    >>> respondent_scores(r, q)
      group_code   D1  D2  OVERALL
    0         G1  4.5 3.0      4.0
    1         G2  NaN 2.0      NaN
    """
    if not {"item_code", "dimension_code"} <= set(questionnaire.columns):
        raise InputError(
            "respondent_scores: the questionnaire needs item_code and dimension_code "
            f"columns; found {list(questionnaire.columns)}"
        )
    items = [str(i) for i in questionnaire["item_code"]]
    missing = [i for i in items if i not in data.columns]
    if missing:
        raise InputError(
            f"respondent_scores: item column(s) {missing} not in the data; expected one "
            "column per questionnaire item (as in Survey.responses)"
        )
    out = data[[c for c in data.columns if c not in set(items)]].copy()
    groups = questionnaire.groupby("dimension_code", sort=False)["item_code"]
    blocks = [(str(d), [str(i) for i in codes]) for d, codes in groups]
    for name, cols in [*blocks, (OVERALL, items)]:
        values = data[cols].to_numpy(dtype="float64")
        answered = np.sum(~np.isnan(values), axis=1)
        need = max(1, math.ceil(min_answered * len(cols) - 1e-9))
        with np.errstate(invalid="ignore"):
            mean = np.nansum(values, axis=1) / np.where(answered > 0, answered, np.nan)
        out[name] = np.where(answered >= need, mean, np.nan)
    return out
