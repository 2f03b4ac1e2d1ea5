"""Internal consistency: Cronbach's alpha with Feldt CI, and item analysis.

Everything comes from per-group sums and cross-products of the items: for each
group, one matrix product ``Z'Z`` with ``Z = [X, M]`` (scores with missing set to 0,
and the answered mask) gives the pairwise counts, sums and cross-products, hence
the pairwise-complete covariance matrix with pandas ``DataFrame.cov`` semantics.
Rows are sorted by group once; no pandas work is repeated per group.

Given :func:`pmqa_analysis.stats.items.prepare_items` data, the same sums come from the
int8 level codes as exact integers (float32 BLAS on blocks small enough to be exact,
added up in float64), computed once per item set and policy and kept on the prepared
object, so :func:`cronbach_alpha` and :func:`item_analysis` share one pass. The
prepared arrays are read through the public API of
:class:`~pmqa_analysis.stats.items.PreparedItems` (``codes``, ``group_codes``,
``rows_per_group()``, ``resolve()``, ``cached()``).

Examples
--------
>>> df = pd.DataFrame({"Q1": [1, 2, 3, 4, 5], "Q2": [2, 2, 3, 5, 5], "Q3": [1, 3, 3, 4, 4]})
>>> res = cronbach_alpha(df)
>>> round(res.alpha, 4), res.n, res.n_items
(0.9538, 5, 3)
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.item_inputs import (
    by_list,
    encode_groups,
    group_columns,
    require_columns,
    resolve_items,
)
from pmqa_analysis.stats.items import PreparedItems

__all__ = ["AlphaResult", "cronbach_alpha", "item_analysis"]

_POLICIES = ("pairwise", "listwise")
_SHIFT_ROWS = 1 << 16
_GRAM_ROWS = 1 << 14  # rows per cross-product block (prepared data): stays in cache
_FLOAT32_EXACT = 1 << 24  # float32 holds every integer up to 2**24 exactly


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of one set of items.

    Attributes
    ----------
    alpha : float
        Cronbach's alpha.
    ci : tuple of float
        Feldt confidence interval (lower, upper), unrounded.
    n : int
        Rows (respondents) given; the CI's n, as in pingouin.
    n_items : int
        Number of items k.
    nan_policy : str
        ``"pairwise"`` or ``"listwise"``.
    n_complete : int
        Rows with every item answered (the rows listwise deletion keeps).
    """

    alpha: float
    ci: tuple[float, float]
    n: int
    n_items: int
    nan_policy: str
    n_complete: int


def _wide(
    data: pd.DataFrame,
    items: Sequence[Hashable] | None,
    by_names: list[Hashable],
    subject: Hashable | None,
    item: Hashable | None,
    score: Hashable | None,
) -> tuple[pd.DataFrame, list[Hashable]]:
    """Wide data and its item columns (long data is pivoted on subject x item)."""
    long_args = [subject, item, score]
    if any(a is not None for a in long_args):
        if any(a is None for a in long_args):
            raise InputError(
                "long-format data needs all of subject=, item= and score= (column names); "
                f"found subject={subject!r}, item={item!r}, score={score!r}"
            )
        require_columns(data, [*by_names, subject, item, score], "long-format")
        try:
            wide = data.pivot(index=[*by_names, subject], columns=item, values=score)
        except ValueError:
            raise InputError(
                f"some (subject, item) pairs appear more than once in columns {subject!r}, "
                f"{item!r}: each subject must have at most one score per item"
            ) from None
        cols: list[Hashable] = list(wide.columns) if items is None else list(items)
        wide.columns = list(wide.columns)
        return wide.reset_index(), cols
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame; found {type(data).__name__}")
    return data, resolve_items(data, items, by_names)


def _check(nan_policy: str, ci: float, n_items: int) -> None:
    if nan_policy not in _POLICIES:
        raise InputError(f"nan_policy must be 'pairwise' or 'listwise'; found {nan_policy!r}")
    if not 0.0 < ci < 1.0:
        raise InputError(f"ci must be between 0 and 1 (e.g. 0.95); found {ci!r}")
    if n_items < 2:
        raise InputError(f"Cronbach's alpha needs at least 2 items; found {n_items}")


def _numeric_columns(data: pd.DataFrame, items: Sequence[Hashable]) -> list[np.ndarray]:
    out = []
    for c in items:
        try:
            out.append(data[c].to_numpy(dtype=np.float64, na_value=np.nan))
        except (TypeError, ValueError):
            raise InputError(
                f"column {c!r} is not numeric (e.g. {data[c].dropna().iloc[0]!r}); "
                "Cronbach's alpha needs item scores"
            ) from None
    return out


def _group_moments(
    columns: list[np.ndarray], gcode: np.ndarray, n_groups: int, listwise: bool
) -> dict[str, np.ndarray]:
    """Per-group pairwise counts N, sums S[i, j] = Σ x_i over rows with j answered,
    cross-products P, row counts and complete-row counts; x shifted by its mean.

    Rows are sorted by group once (a radix sort on small integer keys); each group's
    moments are then one BLAS product ``Z Z'`` of a contiguous block of ``Z`` = the
    shifted scores (0 where missing) stacked on the answered mask.
    """
    k = len(columns)
    # a shift near the mean keeps the cross-products well conditioned (cov is shift-free)
    head = [c[:_SHIFT_ROWS][~np.isnan(c[:_SHIFT_ROWS])] for c in columns]
    shift = np.array([h.mean() if len(h) else 0.0 for h in head])
    valid = gcode >= 0
    rows = np.bincount(gcode[valid], minlength=n_groups)[:n_groups]
    kept = valid
    if listwise:
        complete = np.ones(len(gcode), dtype=bool)
        for c in columns:
            complete &= ~np.isnan(c)
        kept = valid & complete
    key_type = np.int16 if n_groups < 2**15 - 1 else np.intp
    key = np.where(kept, gcode, n_groups).astype(key_type)
    order = np.argsort(key, kind="stable")
    sizes = np.bincount(key, minlength=n_groups + 1)[:n_groups]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    order = order[: bounds[-1]]
    masked = not listwise  # listwise: no missing value is left
    gram = np.zeros((n_groups, 2 * k, 2 * k))
    n_complete = sizes.copy()
    buf = np.empty(((2 if masked else 1) * k, int(sizes.max(initial=0))))
    in_order = n_groups == 1 and len(order) == len(gcode)
    if in_order:
        ordered = columns
    else:  # each column gathered whole, in group order: one sweep per column stays in cache
        ordered = [np.take(c, order) for c in columns]
    with _single_blas_thread():
        for g in range(n_groups):  # one group's block into a reused buffer, one BLAS product
            z = buf[:, : sizes[g]]
            x = z[:k]
            for j, c in enumerate(ordered):
                np.subtract(c[bounds[g] : bounds[g + 1]], shift[j], out=x[j])
            if masked:
                miss = np.isnan(x)
                np.copyto(x, 0.0, where=miss)
                np.logical_not(miss, out=z[k:], casting="unsafe")
            if masked:
                gram[g] = z @ z.T
                n_complete[g] = np.count_nonzero(z[k:].all(axis=0))
            else:
                gram[g, :k, :k] = z @ z.T
                gram[g, k:, k:] = sizes[g]
                gram[g, :k, k:] = z.sum(axis=1)[:, None]
    return {
        "P": gram[:, :k, :k],
        "S": gram[:, :k, k:],
        "N": gram[:, k:, k:],
        "rows": rows,
        "complete": n_complete,
        "shift": shift,
    }


def _code_moments(prep: PreparedItems, idx: list[int], listwise: bool) -> dict[str, np.ndarray]:
    """The moments of :func:`_group_moments` from prepared level codes, exactly.

    Scores enter shifted by an integer ``c`` near the middle of the scale, so every
    entry of ``Z = [X, M]`` (or ``[X, 1]`` listwise) is a small integer ``|z| <= h``.
    Rows are visited in group order, ``_GRAM_ROWS`` at a time; each block's ``Z Z'``
    is a sum of at most ``2**24 / h²`` integers below ``2**24``, so float32 BLAS
    computes it exactly (float64 when the scale is too wide for that), and the blocks
    add up in float64 — exact integer counts, sums and cross-products (while
    ``n · h² < 2**53``: any real scale).
    """
    k, n_groups = len(idx), prep.n_groups
    n_levels = len(prep.scores)
    scores = np.asarray(prep.scores, dtype=np.int64)
    shift = int((scores[0] + scores[-1]) // 2)
    h = int(np.abs(scores - shift).max())
    block = _GRAM_ROWS
    dtype: type[np.floating[Any]] = np.float32
    if h * h * block >= _FLOAT32_EXACT:
        dtype = np.float64
    contiguous = int(scores[-1] - scores[0]) == n_levels - 1
    table = np.append(scores - shift, 0).astype(dtype)  # level code -> shifted score

    codes = prep.codes if idx == list(range(len(prep.items))) else prep.codes[idx]
    gcode = prep.group_codes
    kept = gcode >= 0
    if listwise:
        kept = kept & (codes != n_levels).all(axis=0)
    key_type = np.int16 if n_groups < 2**15 - 1 else np.intp
    key = np.where(kept, gcode, n_groups).astype(key_type)
    sizes = np.bincount(key, minlength=n_groups + 1)[:n_groups]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    if not (n_groups == 1 and bool(kept.all())):  # rows in group order, in one gather
        codes = codes.take(np.argsort(key, kind="stable")[: bounds[-1]], axis=1)

    masked = not listwise  # listwise: no missing answer is left
    width = 2 * k if masked else k + 1
    buf = np.empty((width, block), dtype=dtype)
    answered = np.empty((k, block), dtype=bool)
    if not masked:
        buf[k] = 1.0
    acc = np.zeros((n_groups, width, width))
    n_complete = np.zeros(n_groups, dtype=np.int64) if masked else sizes.astype(np.int64)
    with _single_blas_thread():
        for g in range(n_groups):
            for start in range(int(bounds[g]), int(bounds[g + 1]), block):
                stop = min(start + block, int(bounds[g + 1]))
                part = codes[:, start:stop]
                z = buf[:, : stop - start]
                x = z[:k]
                if contiguous:  # code l is score lo + l
                    np.subtract(part, shift - scores[0], out=x, dtype=dtype, casting="unsafe")
                else:
                    np.take(table, part, out=x)
                if masked:
                    m = answered[:, : stop - start]
                    np.not_equal(part, n_levels, out=m)
                    z[k:] = m
                    x *= z[k:]  # a missing answer counts 0
                    n_complete[g] += np.count_nonzero(m.all(axis=0))
                acc[g] += z @ z.T
    gram = np.zeros((n_groups, 2 * k, 2 * k))
    if masked:
        gram[:] = acc
    else:
        gram[:, :k, :k] = acc[:, :k, :k]
        gram[:, :k, k:] = acc[:, :k, k:]  # Σ x_i, the same for every j
        gram[:, k:, k:] = acc[:, k:, k:]  # complete rows
    return {
        "P": _frozen(gram)[:, :k, :k],
        "S": gram[:, :k, k:],
        "N": gram[:, k:, k:],
        "rows": prep.rows_per_group(),
        "complete": _frozen(n_complete),
        "shift": _frozen(np.full(k, float(shift))),
    }


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _prepared_moments(prep: PreparedItems, idx: list[int], listwise: bool) -> dict[str, np.ndarray]:
    """:func:`_code_moments`, computed once per (items, policy) and kept on ``prep``:
    ``cronbach_alpha`` and ``item_analysis`` of the same items share one pass."""
    key = ("moments", tuple(idx), listwise)
    return prep.cached(key, lambda: _code_moments(prep, idx, listwise))


def _single_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """Limit BLAS to one thread: the per-group products are small, and BLAS threads
    spinning on a busy machine made them 3-10x slower in the benchmark."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn/scipy stacks
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _moments_of(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable] | None,
    nan_policy: str,
    ci: float,
    by: Hashable | Sequence[Hashable] | None,
    long_args: tuple[Hashable | None, Hashable | None, Hashable | None] = (None, None, None),
) -> tuple[dict[str, np.ndarray], list[Hashable], pd.Index, list[Hashable], bool]:
    """(moments, item columns, groups, group column names, one result per group?)."""
    listwise = nan_policy == "listwise"
    if isinstance(data, PreparedItems):
        if any(a is not None for a in long_args):
            raise InputError(
                "subject=, item= and score= describe long-format data; prepared data are "
                "already wide: leave them out"
            )
        idx, _, _ = data.resolve(items, by)
        cols = [data.items[j] for j in idx]
        _check(nan_policy, ci, len(cols))
        mom = _prepared_moments(data, idx, listwise)
        return mom, cols, data.groups, data.by, by is not None or bool(data.by)
    by_names = by_list(by)
    wide, cols = _wide(data, items, by_names, *long_args)
    _check(nan_policy, ci, len(cols))
    gcode, groups, names = encode_groups(wide, by)
    mom = _group_moments(_numeric_columns(wide, cols), gcode, len(groups), listwise)
    return mom, cols, groups, names, by is not None


def _covariance(mom: dict[str, np.ndarray]) -> np.ndarray:
    n, s, p = mom["N"], mom["S"], mom["P"]
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = (p - s * np.swapaxes(s, 1, 2) / n) / (n - 1.0)
    return np.where(n > 1, cov, np.nan)


def _alpha(cov: np.ndarray) -> np.ndarray:
    k = cov.shape[-1]
    trace = np.einsum("gii->g", cov)
    total = cov.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return k / (k - 1.0) * (1.0 - trace / total)


def _feldt(alpha: np.ndarray, n: np.ndarray, k: int, ci: float) -> tuple[np.ndarray, np.ndarray]:
    a = 1.0 - ci
    df1 = n - 1.0
    df2 = df1 * (k - 1.0)
    with np.errstate(invalid="ignore"):
        lower = 1.0 - (1.0 - alpha) * stats.f.isf(a / 2.0, df1, df2)
        upper = 1.0 - (1.0 - alpha) * stats.f.isf(1.0 - a / 2.0, df1, df2)
    return lower, upper


def cronbach_alpha(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable] | None = None,
    nan_policy: str = "pairwise",
    ci: float = 0.95,
    by: Hashable | Sequence[Hashable] | None = None,
    *,
    subject: Hashable | None = None,
    item: Hashable | None = None,
    score: Hashable | None = None,
) -> AlphaResult | pd.DataFrame:
    """Cronbach's alpha with a Feldt confidence interval, overall or per group.

    Parameters
    ----------
    data : pandas.DataFrame or PreparedItems
        Wide data (one column per item) or long data (see ``subject``); not modified.
        Or :func:`pmqa_analysis.stats.items.prepare_items` of wide data: scale scores only,
        ``by`` comes from the prepared object, and ``item_analysis`` of the same items
        then reuses this function's pass over the data.
    items : list of str, optional
        Item columns (wide) or item names to keep (long). Default: every numeric
        column except ``by`` and the known profile columns.
    nan_policy : {"pairwise", "listwise"}
        Pairwise: each covariance from the rows answering both items (pandas
        ``DataFrame.cov``, R ``use="pairwise"``). Listwise: only rows answering every
        item (R ``use="complete.obs"``).
    ci : float
        Confidence level of the Feldt interval.
    by : str or list of str, optional
        Grouping column(s): one alpha per group, all groups at once.
    subject, item, score : str, optional
        Column names of long-format data (like pingouin); all three or none.

    Returns
    -------
    AlphaResult or pandas.DataFrame
        An :class:`AlphaResult` when ``by`` is None, else one row per group with the
        group columns, ``alpha``, ``ci_lo``, ``ci_hi``, ``n``, ``n_items``,
        ``n_complete``.

    Notes
    -----
    ``alpha = k / (k - 1) · (1 - Σ σ²_i / Σ_ij C_ij)`` with ``C`` the item covariance
    matrix (Cronbach 1951). Feldt's interval (Feldt, Woodruff & Salih 1987, Appl.
    Psychol. Meas. 11:93-103): ``lower = 1 - (1 - α)·F⁻¹(1 - a/2; n - 1, (n - 1)(k - 1))``,
    ``upper = 1 - (1 - α)·F⁻¹(a/2; n - 1, (n - 1)(k - 1))`` with ``a = 1 - ci``. As in
    pingouin, ``n`` is the number of rows given under both policies (pingouin
    publishes the listwise CI of ``cronbach_wide_missing`` with n = 12 rows, 9 of
    them complete); ``n_complete`` reports the complete rows. The interval is not
    rounded (pingouin rounds it to 3 decimals for display).

    Examples
    --------
    >>> long = pd.DataFrame({"s": [1, 1, 2, 2, 3, 3, 4, 4], "i": ["a", "b"] * 4,
    ...                      "x": [1, 2, 2, 2, 4, 3, 5, 5]})
    >>> res = cronbach_alpha(long, subject="s", item="i", score="x")
    >>> round(res.alpha, 4), tuple(round(v, 3) for v in res.ci)
    (0.9333, (-0.029, 0.996))
    """
    mom, cols, groups, names, grouped = _moments_of(
        data, items, nan_policy, ci, by, (subject, item, score)
    )
    alpha = _alpha(_covariance(mom))
    k = len(cols)
    lower, upper = _feldt(alpha, mom["rows"].astype(np.float64), k, ci)
    if not grouped:
        return AlphaResult(
            alpha=float(alpha[0]),
            ci=(float(lower[0]), float(upper[0])),
            n=int(mom["rows"][0]),
            n_items=k,
            nan_policy=nan_policy,
            n_complete=int(mom["complete"][0]),
        )
    out: dict[Hashable, Any] = group_columns(groups, names, 1)
    out.update(
        alpha=alpha,
        ci_lo=lower,
        ci_hi=upper,
        n=mom["rows"].astype(np.int64),
        n_items=np.full(len(groups), k, dtype=np.int64),
        n_complete=mom["complete"].astype(np.int64),
    )
    return pd.DataFrame(out)


def item_analysis(
    data: pd.DataFrame | PreparedItems,
    items: Sequence[Hashable] | None = None,
    nan_policy: str = "pairwise",
    by: Hashable | Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Item statistics for reliability: alpha if deleted and item-total correlations.

    Parameters
    ----------
    data, items, nan_policy, by
        As in :func:`cronbach_alpha` (wide data, or prepared data).

    Returns
    -------
    pandas.DataFrame
        One row per (group..., item): ``item_code``, ``n``, ``mean``, ``sd``,
        ``item_total_r``, ``item_rest_r``, ``alpha_if_deleted``.

    Notes
    -----
    All figures come from the item covariance matrix ``C`` (pairwise or listwise, as
    for alpha): ``item_total_r = Σ_j C_ij / sqrt(C_ii · Σ C)``; the corrected
    item-rest correlation ``item_rest_r = (Σ_j C_ij - C_ii) / sqrt(C_ii · V_i)`` with
    ``V_i = Σ C - 2 Σ_j C_ij + C_ii`` the variance of the rest score; alpha if item
    ``i`` is deleted applies the alpha formula to ``C`` without row and column ``i``
    (so it equals ``cronbach_alpha`` on the other items). With complete data these
    equal the correlations of the item with the total and rest sum scores (psych
    ``raw.r`` and ``r.drop``). ``n``, ``mean``, ``sd`` (ddof = 1) use
    the item's answered rows (pairwise) or the complete rows (listwise).

    Examples
    --------
    >>> df = pd.DataFrame({"Q1": [1, 2, 3, 4, 5], "Q2": [2, 2, 3, 5, 5], "Q3": [1, 3, 3, 4, 4]})
    >>> item_analysis(df)[["item_code", "item_rest_r", "alpha_if_deleted"]].round(3)
      item_code  item_rest_r  alpha_if_deleted
    0        Q1        0.970             0.882
    1        Q2        0.903             0.933
    2        Q3        0.870             0.968
    """
    mom, cols, groups, names, _ = _moments_of(data, items, nan_policy, 0.95, by)
    cov = _covariance(mom)
    k = len(cols)
    diag = np.einsum("gii->gi", cov)
    rowsum = cov.sum(axis=2)
    total = cov.sum(axis=(1, 2))[:, None]
    rest_var = total - 2.0 * rowsum + diag
    trace = np.einsum("gii->g", cov)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        item_total = rowsum / np.sqrt(diag * total)
        item_rest = (rowsum - diag) / np.sqrt(diag * rest_var)
        alpha_del = (k - 1.0) / (k - 2.0) * (1.0 - (trace - diag) / rest_var)
        n_i = np.einsum("gii->gi", mom["N"])
        mean = np.einsum("gii->gi", mom["S"]) / n_i + mom["shift"][None, :]
    if k < 3:
        alpha_del = np.full_like(alpha_del, np.nan)
    out: dict[Hashable, Any] = group_columns(groups, names, k)
    out["item_code"] = np.tile(np.asarray(cols, dtype=object), len(groups))
    out["n"] = n_i.ravel().astype(np.int64)
    out["mean"] = mean.ravel()
    out["sd"] = np.sqrt(diag).ravel()
    out["item_total_r"] = item_total.ravel()
    out["item_rest_r"] = item_rest.ravel()
    out["alpha_if_deleted"] = alpha_del.ravel()
    return pd.DataFrame(out)
