"""Confidence intervals for proportions and the two-proportion test.

Used for top-2-box and bottom-2-box shares (``k`` respondents of ``n`` answered 4-5)
and for their year-on-year change. Every function is vectorised: ``k`` and ``n`` may
be scalars, NumPy arrays or pandas Series.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError

__all__ = ["CI_METHODS", "proportion_ci", "two_proportion_test"]

CIMethod = Literal[
    "wilson", "wilson_cc", "clopper_pearson", "jeffreys", "wald", "wald_cc", "agresti_coull",
    "plus_four",
]  # fmt: skip

CI_METHODS: tuple[str, ...] = (
    "wilson",
    "wilson_cc",
    "clopper_pearson",
    "jeffreys",
    "wald",
    "wald_cc",
    "agresti_coull",
    "plus_four",
)


def _z(ci: float) -> float:
    if not 0.0 < ci < 1.0:
        raise InputError(f"ci must be between 0 and 1 (e.g. 0.95); found {ci!r}")
    return float(stats.norm.ppf(0.5 + ci / 2.0))


def _as_counts(k: Any, n: Any) -> tuple[np.ndarray, np.ndarray]:
    k_arr = np.asarray(k, dtype=np.float64)
    n_arr = np.asarray(n, dtype=np.float64)
    k_arr, n_arr = np.broadcast_arrays(k_arr, n_arr)
    bad = (k_arr < 0) | (n_arr < 0) | (k_arr > n_arr)
    if np.any(bad):
        i = int(np.flatnonzero(bad.ravel())[0])
        raise InputError(
            f"successes k must satisfy 0 <= k <= n; found k={k_arr.ravel()[i]:g}, "
            f"n={n_arr.ravel()[i]:g}: check that k counts a subset of the n answers"
        )
    return k_arr, n_arr


def _wald(k: np.ndarray, n: np.ndarray, z: float, cc: bool) -> tuple[np.ndarray, np.ndarray]:
    p = k / n
    half = z * np.sqrt(p * (1.0 - p) / n)
    if cc:
        half = half + 0.5 / n
    return np.clip(p - half, 0.0, 1.0), np.clip(p + half, 0.0, 1.0)


def _wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    p = k / n
    z2 = z * z
    centre = (k + z2 / 2.0) / (n + z2)
    half = z * np.sqrt(n) / (n + z2) * np.sqrt(p * (1.0 - p) + z2 / (4.0 * n))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def _wilson_cc(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    p = k / n
    z2 = z * z
    den = 2.0 * (n + z2)
    with np.errstate(invalid="ignore"):
        lo_root = np.sqrt(np.maximum(z2 - 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) + 1.0), 0))
        hi_root = np.sqrt(np.maximum(z2 + 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) - 1.0), 0))
    lo = (2.0 * n * p + z2 - 1.0 - z * lo_root) / den
    hi = (2.0 * n * p + z2 + 1.0 + z * hi_root) / den
    lo = np.where(k == 0, 0.0, lo)
    hi = np.where(k == n, 1.0, hi)
    return np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)


def proportion_ci(k: Any, n: Any, method: CIMethod = "wilson", ci: float = 0.95) -> tuple[Any, Any]:
    """Confidence interval for a binomial proportion ``k / n``.

    Parameters
    ----------
    k : int, array-like or pandas.Series
        Number of successes (e.g. respondents answering 4 or 5).
    n : int, array-like or pandas.Series
        Number of trials (the item's non-missing n). ``n == 0`` gives NaN limits.
    method : str, default "wilson"
        ``"wilson"`` (score), ``"wilson_cc"`` (score with continuity correction),
        ``"clopper_pearson"`` (exact), ``"jeffreys"``, ``"wald"``, ``"wald_cc"``,
        ``"agresti_coull"`` (adds z²/2 successes and z²/2 failures) or ``"plus_four"``
        (adds 2 successes and 2 failures whatever the level, the Agresti–Coull variant
        of Fagerland, Lydersen & Laake).
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    (lo, hi)
        Two floats when ``k`` and ``n`` are scalars, otherwise two NumPy arrays
        (broadcast shape of ``k`` and ``n``). Limits lie in [0, 1].

    Raises
    ------
    InputError
        Unknown method, a level outside (0, 1) or counts with ``k > n`` or negative.

    Notes
    -----
    With :math:`\\hat p = k/n` and :math:`z = \\Phi^{-1}(1 - \\alpha/2)`:

    - Wilson: :math:`\\frac{k + z^2/2}{n + z^2} \\pm \\frac{z\\sqrt n}{n + z^2}
      \\sqrt{\\hat p(1-\\hat p) + z^2/(4n)}` (Wilson 1927); the continuity-corrected form
      is Newcombe (1998), method 4.
    - Clopper–Pearson: :math:`B^{-1}(\\alpha/2; k, n-k+1)` to
      :math:`B^{-1}(1-\\alpha/2; k+1, n-k)`, 0 when k = 0 and 1 when k = n.
    - Jeffreys: quantiles of :math:`B(k + 1/2, n - k + 1/2)` (no boundary modification,
      as in the contingencytables R package).
    - Wald: :math:`\\hat p \\pm z\\sqrt{\\hat p(1-\\hat p)/n}` (plus :math:`1/(2n)` with
      ``wald_cc``), truncated to [0, 1].
    - Agresti–Coull (1998): Wald interval around :math:`\\tilde p = (k + z^2/2)/(n + z^2)`
      with :math:`\\tilde n = n + z^2`; ``plus_four`` uses ``(k + 2)/(n + 4)``.

    Reference values: Fagerland, Lydersen & Laake (2017), *Statistical Analysis of
    Contingency Tables*, chapter 2 (R package contingencytables).

    Examples
    --------
    >>> lo, hi = proportion_ci(13, 16)
    >>> round(lo, 4), round(hi, 4)
    (0.5699, 0.9341)
    >>> lo, hi = proportion_ci([13, 0], [16, 0], method="clopper_pearson")
    >>> lo.round(4), hi.round(4)
    (array([0.5435,    nan]), array([0.9595,    nan]))
    """
    if method not in CI_METHODS:
        raise InputError(
            f"unknown confidence-interval method {method!r}; expected one of "
            f"{', '.join(CI_METHODS)}"
        )
    z = _z(ci)
    alpha = 1.0 - ci
    scalar = np.ndim(k) == 0 and np.ndim(n) == 0
    k_arr, n_arr = _as_counts(k, n)
    empty = n_arr == 0
    n_safe = np.where(empty, 1.0, n_arr)
    k_safe = np.where(empty, 0.0, k_arr)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            lo, hi = _wilson(k_safe, n_safe, z)
        elif method == "wilson_cc":
            lo, hi = _wilson_cc(k_safe, n_safe, z)
        elif method == "wald":
            lo, hi = _wald(k_safe, n_safe, z, cc=False)
        elif method == "wald_cc":
            lo, hi = _wald(k_safe, n_safe, z, cc=True)
        elif method == "agresti_coull":
            lo, hi = _wald(k_safe + z * z / 2.0, n_safe + z * z, z, cc=False)
        elif method == "plus_four":
            lo, hi = _wald(k_safe + 2.0, n_safe + 4.0, z, cc=False)
        elif method == "clopper_pearson":
            lo = np.where(k_safe == 0, 0.0, stats.beta.ppf(alpha / 2, k_safe, n_safe - k_safe + 1))
            hi = np.where(
                k_safe == n_safe, 1.0, stats.beta.ppf(1 - alpha / 2, k_safe + 1, n_safe - k_safe)
            )
        else:  # jeffreys
            lo = stats.beta.ppf(alpha / 2, k_safe + 0.5, n_safe - k_safe + 0.5)
            hi = stats.beta.ppf(1 - alpha / 2, k_safe + 0.5, n_safe - k_safe + 0.5)
    lo = np.where(empty, np.nan, lo).astype(np.float64)
    hi = np.where(empty, np.nan, hi).astype(np.float64)
    if scalar:
        return float(lo), float(hi)
    return lo, hi


def two_proportion_test(k1: Any, n1: Any, k2: Any, n2: Any, ci: float = 0.95) -> pd.DataFrame:
    """Compare two proportions: pooled z test and Newcombe's hybrid score CI of the change.

    Typical use: top-2-box last year (``k1`` of ``n1``) against this year (``k2`` of ``n2``).

    Parameters
    ----------
    k1, n1 : int or array-like
        Successes and trials in the first (earlier / reference) sample.
    k2, n2 : int or array-like
        Successes and trials in the second (later) sample.
    ci : float, default 0.95
        Level of the interval for the difference.

    Returns
    -------
    pandas.DataFrame
        One row per comparison: ``p1``, ``p2``, ``diff`` (``p2 - p1``, as a proportion),
        ``z``, ``p`` (two-sided), ``ci_lo``, ``ci_hi`` (Newcombe hybrid score interval of
        ``diff``). Rows with ``n1 == 0`` or ``n2 == 0`` are NaN; ``z`` and ``p`` are NaN
        when the pooled proportion is 0 or 1 (no variation to test).

    Notes
    -----
    Pooled z test: :math:`\\bar p = (k_1 + k_2)/(n_1 + n_2)`,
    :math:`z = (\\hat p_2 - \\hat p_1) / \\sqrt{\\bar p(1-\\bar p)(1/n_1 + 1/n_2)}`,
    :math:`p = 2\\,(1 - \\Phi(|z|))` (equal to Pearson's chi-square test without
    continuity correction). Newcombe (1998, method 10): with Wilson limits
    :math:`(l_i, u_i)` of each proportion and :math:`d = \\hat p_2 - \\hat p_1`,
    :math:`[d - \\sqrt{(\\hat p_2 - l_2)^2 + (u_1 - \\hat p_1)^2},\\;
    d + \\sqrt{(u_2 - \\hat p_2)^2 + (\\hat p_1 - l_1)^2}]`.

    Reference: Newcombe RG (1998), Interval estimation for the difference between
    independent proportions, *Statistics in Medicine* 17, 873–890.

    Examples
    --------
    >>> two_proportion_test(56, 70, 48, 80).round(4)
        p1   p2  diff       z      p   ci_lo   ci_hi
    0  0.8  0.6  -0.2 -2.6502  0.008 -0.3339 -0.0524
    """
    k1a, n1a = _as_counts(k1, n1)
    k2a, n2a = _as_counts(k2, n2)
    k1a, n1a, k2a, n2a = np.broadcast_arrays(k1a, n1a, k2a, n2a)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = k1a / n1a
        p2 = k2a / n2a
        pooled = (k1a + k2a) / (n1a + n2a)
        se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1a + 1.0 / n2a))
        z = np.where(se > 0, (p2 - p1) / se, np.nan)
        pval = 2.0 * stats.norm.sf(np.abs(z))
    l1, u1 = proportion_ci(k1a, n1a, "wilson", ci)
    l2, u2 = proportion_ci(k2a, n2a, "wilson", ci)
    diff = p2 - p1
    lo = diff - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    hi = diff + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return pd.DataFrame(
        {
            "p1": np.ravel(p1),
            "p2": np.ravel(p2),
            "diff": np.ravel(diff),
            "z": np.ravel(z),
            "p": np.ravel(pval),
            "ci_lo": np.ravel(lo),
            "ci_hi": np.ravel(hi),
        }
    )
