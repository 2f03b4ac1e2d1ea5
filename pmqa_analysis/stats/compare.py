"""Group comparisons: units, respondent groups, channels or years on one score.

Two groups: Welch's t test and the Mann–Whitney U test. More groups: one-way ANOVA,
Welch's ANOVA and the Kruskal–Wallis H test. Post hoc: Games–Howell (with Tukey HSD p
alongside) for the parametric family and Dunn's test for the nonparametric family.
Effect sizes and their sign conventions are stated in :func:`compare_groups`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError

__all__ = ["POSTHOC_COLUMNS", "TEST_COLUMNS", "CompareResult", "compare_groups", "holm"]

TEST_COLUMNS = [
    "test", "statistic", "df1", "df2", "p", "effect_size", "effect_name", "n_groups", "n",
]  # fmt: skip
POSTHOC_COLUMNS = [
    "group_a", "group_b", "mean_a", "mean_b", "diff", "statistic", "p", "p_adj",
    "effect_size", "effect_name", "test", "p_tukey",
]  # fmt: skip

Method = Literal["auto", "parametric", "nonparametric"]
PAdjust = Literal["holm", "bonferroni", "none"]


@dataclass(frozen=True)
class CompareResult:
    """Result of :func:`compare_groups`.

    Attributes
    ----------
    tests : pandas.DataFrame
        One row per omnibus (or two-group) test, columns :data:`TEST_COLUMNS`.
    posthoc : pandas.DataFrame
        One row per pair of groups and post hoc test, columns :data:`POSTHOC_COLUMNS`
        (empty when ``posthoc=False``).
    groups : pandas.DataFrame
        The groups compared, in order: ``group``, ``n``, ``mean``, ``sd``, ``median``,
        ``mean_rank``.
    notes : tuple of str
        What was dropped and why (groups with fewer than 2 values, missing values).
    """

    tests: pd.DataFrame
    posthoc: pd.DataFrame
    groups: pd.DataFrame
    notes: tuple[str, ...] = field(default=())


def holm(pvalues: Any) -> np.ndarray:
    """Holm's step-down adjustment of p-values (NaN kept in place and not counted).

    Parameters
    ----------
    pvalues : array-like
        Raw p-values.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order.

    Notes
    -----
    With the m non-missing p-values sorted, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`,
    :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min(1, (m - j + 1)\\, p_{(j)})`.
    Holm S (1979), A simple sequentially rejective multiple test procedure,
    *Scandinavian Journal of Statistics* 6, 65–70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, np.nan])
    array([0.03, 0.06, 0.06,  nan])
    """
    p = np.asarray(pvalues, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    vals = p[ok]
    order = np.argsort(vals, kind="stable")
    adj = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * vals[order]))
    res = np.empty(m)
    res[order] = adj
    out[ok] = res
    return out


def _adjust(p: np.ndarray, how: str) -> np.ndarray:
    if how == "holm":
        return holm(p)
    if how == "bonferroni":
        return np.minimum(1.0, p * np.sum(~np.isnan(p)))
    return p.copy()


def _tie_term(values: np.ndarray) -> float:
    """Sum of t^3 - t over groups of tied values."""
    _, t = np.unique(values, return_counts=True)
    return float(np.sum(t.astype(np.float64) ** 3 - t))


def _hedges_g(m1: Any, m2: Any, v1: Any, v2: Any, n1: Any, n2: Any) -> Any:
    sp = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (m1 - m2) / sp
    return d * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0))


def _rank_biserial(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """U of ``a`` (ties count 1/2) and r = 2 U / (n_a n_b) - 1 (positive: a tends larger)."""
    b_sorted = np.sort(b)
    less = np.searchsorted(b_sorted, a, side="left")
    less_eq = np.searchsorted(b_sorted, a, side="right")
    u = float(np.sum(less + 0.5 * (less_eq - less)))
    return u, 2.0 * u / (a.size * b.size) - 1.0


def _prepare(
    data: pd.DataFrame, value: str, group: str
) -> tuple[list[Any], list[np.ndarray], list[str]]:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame; found {type(data).__name__}")
    missing = [c for c in (value, group) if c not in data.columns]
    if missing:
        raise InputError(
            f"column {', '.join(map(repr, missing))} not found in data; found columns "
            f"{', '.join(map(str, data.columns))}: pass value= and group= as column names"
        )
    if not pd.api.types.is_numeric_dtype(data[value]):
        raise InputError(
            f"column {value!r} must hold numeric scores; found dtype {data[value].dtype}: "
            "convert labels to scores with pmqa_analysis.stats.scales first"
        )
    notes: list[str] = []
    sub = data[[group, value]]
    n_missing = int(sub.isna().any(axis=1).sum())
    if n_missing:
        notes.append(f"{n_missing} row(s) with a missing {value!r} or {group!r} were left out")
    sub = sub.dropna()
    grouped = sub.groupby(group, sort=True, observed=True)[value]
    labels: list[Any] = []
    samples: list[np.ndarray] = []
    for label, values in grouped:
        arr = values.to_numpy(dtype=np.float64)
        if arr.size < 2:
            notes.append(
                f"group {label!r} was dropped: it has {arr.size} value(s), at least 2 are needed"
            )
            continue
        labels.append(label)
        samples.append(arr)
    if len(labels) < 2:
        raise InputError(
            f"need at least 2 groups of {group!r} with 2 or more values of {value!r}; found "
            f"{len(labels)}: check the grouping column or combine small groups"
        )
    return labels, samples, notes


def _summaries(labels: list[Any], samples: list[np.ndarray]) -> pd.DataFrame:
    pooled = np.concatenate(samples)
    ranks = stats.rankdata(pooled)
    bounds = np.cumsum([0] + [s.size for s in samples])
    return pd.DataFrame(
        {
            "group": labels,
            "n": [s.size for s in samples],
            "mean": [s.mean() for s in samples],
            "sd": [s.std(ddof=1) for s in samples],
            "median": [np.median(s) for s in samples],
            "mean_rank": [ranks[bounds[i] : bounds[i + 1]].mean() for i in range(len(samples))],
        }
    )


def _test_row(
    test: str, stat: float, df1: float, df2: float, p: float, es: float, es_name: str,
    k: int, n: int,
) -> dict[str, Any]:  # fmt: skip
    return dict(zip(TEST_COLUMNS, [test, stat, df1, df2, p, es, es_name, k, n], strict=True))


def _parametric_tests(samples: list[np.ndarray]) -> list[dict[str, Any]]:
    k = len(samples)
    n = np.array([s.size for s in samples], dtype=np.float64)
    m = np.array([s.mean() for s in samples])
    v = np.array([s.var(ddof=1) for s in samples])
    n_tot = int(n.sum())
    if k == 2:
        se2 = v / n
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (m[0] - m[1]) / np.sqrt(se2.sum())
            df = se2.sum() ** 2 / np.sum(se2**2 / (n - 1))
        p = float(2.0 * stats.t.sf(abs(t), df))
        g = float(_hedges_g(m[0], m[1], v[0], v[1], n[0], n[1]))
        return [_test_row("welch_t", t, df, np.nan, p, g, "hedges_g", k, n_tot)]
    grand = np.concatenate(samples).mean()
    ss_between = float(np.sum(n * (m - grand) ** 2))
    ss_within = float(np.sum((n - 1) * v))
    df1, df2 = k - 1, n_tot - k
    with np.errstate(divide="ignore", invalid="ignore"):
        f = (ss_between / df1) / (ss_within / df2)
        eta2 = ss_between / (ss_between + ss_within)
        # Welch (1951), as pingouin.welch_anova
        w = n / v
        adj_mean = np.sum(w * m) / np.sum(w)
        lam = 3.0 * np.sum((1.0 - w / w.sum()) ** 2 / (n - 1)) / (k**2 - 1)
        f_w = (np.sum(w * (m - adj_mean) ** 2) / df1) / (1.0 + 2.0 * lam * (k - 2) / 3.0)
        df2_w = 1.0 / lam
    return [
        _test_row("anova", f, df1, df2, float(stats.f.sf(f, df1, df2)), eta2, "eta2", k, n_tot),
        _test_row(
            "welch_anova", f_w, df1, df2_w, float(stats.f.sf(f_w, df1, df2_w)), eta2, "eta2",
            k, n_tot,
        ),
    ]  # fmt: skip


def _nonparametric_tests(samples: list[np.ndarray]) -> list[dict[str, Any]]:
    k = len(samples)
    pooled = np.concatenate(samples)
    n_tot = pooled.size
    ties = _tie_term(pooled)
    if k == 2:
        a, b = samples
        n1, n2 = a.size, b.size
        u, r = _rank_biserial(a, b)
        mu = n1 * n2 / 2.0
        sigma = np.sqrt(n1 * n2 / 12.0 * ((n_tot + 1) - ties / (n_tot * (n_tot - 1))))
        u_big = max(u, n1 * n2 - u)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (u_big - mu - 0.5) / sigma
        p = float(min(1.0, 2.0 * stats.norm.sf(z))) if sigma > 0 else np.nan
        return [_test_row("mann_whitney_u", u, np.nan, np.nan, p, r, "rank_biserial", k, n_tot)]
    ranks = stats.rankdata(pooled)
    bounds = np.cumsum([0] + [s.size for s in samples])
    h = 0.0
    for i, s in enumerate(samples):
        h += ranks[bounds[i] : bounds[i + 1]].sum() ** 2 / s.size
    h = 12.0 / (n_tot * (n_tot + 1)) * h - 3.0 * (n_tot + 1)
    correction = 1.0 - ties / (n_tot**3 - n_tot)
    h = h / correction if correction > 0 else np.nan
    p = float(stats.chi2.sf(h, k - 1))
    eps2 = h / ((n_tot**2 - 1) / (n_tot + 1))
    return [_test_row("kruskal_wallis", h, k - 1, np.nan, p, eps2, "epsilon2", k, n_tot)]


def _pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.triu_indices(k, k=1)
    return i, j


def _games_howell(labels: list[Any], samples: list[np.ndarray], with_tukey: bool) -> pd.DataFrame:
    k = len(samples)
    n = np.array([s.size for s in samples], dtype=np.float64)
    m = np.array([s.mean() for s in samples])
    v = np.array([s.var(ddof=1) for s in samples])
    i, j = _pairs(k)
    se2 = v / n
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (m[i] - m[j]) / np.sqrt(se2[i] + se2[j])
        df = (se2[i] + se2[j]) ** 2 / (se2[i] ** 2 / (n[i] - 1) + se2[j] ** 2 / (n[j] - 1))
        p = np.clip(stats.studentized_range.sf(np.sqrt(2.0) * np.abs(t), k, df), 0.0, 1.0)
    p_tukey = np.full(i.size, np.nan)
    if with_tukey:
        p_tukey = stats.tukey_hsd(*samples).pvalue[i, j]
    lab = np.empty(k, dtype=object)
    lab[:] = labels
    return pd.DataFrame(
        {
            "group_a": lab[i],
            "group_b": lab[j],
            "mean_a": m[i],
            "mean_b": m[j],
            "diff": m[i] - m[j],
            "statistic": t,
            "p": p,
            "p_adj": p,  # the studentized range already controls the family-wise error
            "effect_size": _hedges_g(m[i], m[j], v[i], v[j], n[i], n[j]),
            "effect_name": "hedges_g",
            "test": "games_howell",
            "p_tukey": p_tukey,
        }
    )


def _dunn(labels: list[Any], samples: list[np.ndarray], p_adjust: str) -> pd.DataFrame:
    k = len(samples)
    pooled = np.concatenate(samples)
    n_tot = pooled.size
    ranks = stats.rankdata(pooled)
    bounds = np.cumsum([0] + [s.size for s in samples])
    n = np.array([s.size for s in samples], dtype=np.float64)
    mean_rank = np.array([ranks[bounds[g] : bounds[g + 1]].mean() for g in range(k)])
    m = np.array([s.mean() for s in samples])
    i, j = _pairs(k)
    var = n_tot * (n_tot + 1) / 12.0 - _tie_term(pooled) / (12.0 * (n_tot - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (mean_rank[i] - mean_rank[j]) / np.sqrt(var * (1.0 / n[i] + 1.0 / n[j]))
    p = 2.0 * stats.norm.sf(np.abs(z))
    r = np.array([_rank_biserial(samples[a], samples[b])[1] for a, b in zip(i, j, strict=True)])
    lab = np.empty(k, dtype=object)
    lab[:] = labels
    return pd.DataFrame(
        {
            "group_a": lab[i],
            "group_b": lab[j],
            "mean_a": m[i],
            "mean_b": m[j],
            "diff": m[i] - m[j],
            "statistic": z,
            "p": p,
            "p_adj": _adjust(p, p_adjust),
            "effect_size": r,
            "effect_name": "rank_biserial",
            "test": "dunn",
            "p_tukey": np.nan,
        }
    )


def compare_groups(
    data: pd.DataFrame,
    value: str,
    group: str,
    *,
    method: Method = "auto",
    posthoc: bool = True,
    p_adjust: PAdjust = "holm",
) -> CompareResult:
    """Compare one score across groups (units, respondent groups, channels, years).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent (e.g. ``Survey.responses`` or a dimension-score frame).
    value : str
        Numeric column to compare (an item code or a dimension score).
    group : str
        Grouping column. Group order: the categories' order for a categorical column,
        otherwise the sorted labels.
    method : {"auto", "parametric", "nonparametric"}, default "auto"
        ``"parametric"``: Welch's t (2 groups) or one-way ANOVA and Welch's ANOVA, post hoc
        Games–Howell with Tukey HSD p. ``"nonparametric"``: Mann–Whitney U (2 groups) or
        Kruskal–Wallis, post hoc Dunn. ``"auto"`` reports both families, so that a reader
        can see whether they agree (recommended for Likert scores).
    posthoc : bool, default True
        Add the pairwise comparisons.
    p_adjust : {"holm", "bonferroni", "none"}, default "holm"
        Adjustment of Dunn's p-values. Games–Howell and Tukey p-values come from the
        studentized range and already control the family-wise error, so their ``p_adj``
        equals ``p``.

    Returns
    -------
    CompareResult
        ``.tests``, ``.posthoc``, ``.groups`` and ``.notes`` (see :class:`CompareResult`).
        In ``.posthoc`` ``diff = mean_a - mean_b`` and ``group_a`` comes first in the
        group order.

    Raises
    ------
    InputError
        Missing or non-numeric columns, or fewer than two groups with 2+ values.

    Notes
    -----
    Sign conventions: every effect size is positive when ``group_a`` (the first group in
    order) has the larger scores.

    - Welch's t: :math:`t = (\\bar x_a - \\bar x_b)/\\sqrt{s_a^2/n_a + s_b^2/n_b}` with
      Welch–Satterthwaite df; Hedges' :math:`g = J (\\bar x_a - \\bar x_b)/s_p`,
      :math:`J = 1 - 3/(4(n_a + n_b) - 9)` (as pingouin).
    - Mann–Whitney: ``statistic`` is :math:`U_a` = number of pairs where a > b plus half
      the ties; p from the tie-corrected normal approximation with continuity correction
      (as ``scipy.stats.mannwhitneyu(method="asymptotic")``); rank-biserial
      :math:`r = 2U_a/(n_a n_b) - 1 = 1 - 2U_b/(n_a n_b)` (Kerby 2014), in [-1, 1].
    - One-way ANOVA: F with :math:`(k-1, n-k)` df, :math:`\\eta^2 = SS_B/SS_T`.
      Welch's ANOVA (Welch 1951) with :math:`w_i = n_i/s_i^2`, as ``pingouin.welch_anova``
      (its effect size is the same :math:`\\eta^2`).
    - Kruskal–Wallis: H divided by :math:`1 - \\sum(t^3 - t)/(n^3 - n)`;
      :math:`\\varepsilon^2 = H/((n^2 - 1)/(n + 1))` (Tomczak & Tomczak 2014).
    - Games–Howell (1976): ``statistic`` is the Welch t of the pair; p from the studentized
      range of :math:`\\sqrt 2 |t|` with k groups and Welch df (as
      ``pingouin.pairwise_gameshowell``). ``p_tukey``: ``scipy.stats.tukey_hsd``.
    - Dunn (1964): :math:`z = (\\bar R_a - \\bar R_b)/\\sqrt{(n(n+1)/12 -
      \\sum(t^3-t)/(12(n-1)))(1/n_a + 1/n_b)}` on the ranks of all groups pooled; effect
      size: rank-biserial r of the pair.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": list("AAAABBBBCCCC"),
    ...                    "score": [5, 4, 5, 4, 3, 3, 4, 2, 2, 1, 2, 3]})
    >>> res = compare_groups(df, "score", "unit")
    >>> res.tests[["test", "statistic", "p"]].round(4)
                 test  statistic       p
    0           anova    11.4000  0.0034
    1     welch_anova    12.1121  0.0084
    2  kruskal_wallis     8.0183  0.0181
    >>> res.posthoc.loc[res.posthoc["test"] == "dunn", ["group_a", "group_b", "p_adj"]].round(4)
      group_a group_b   p_adj
    3       A       B  0.1759
    4       A       C  0.0149
    5       B       C  0.2696
    """
    if method not in ("auto", "parametric", "nonparametric"):
        raise InputError(
            f"unknown method {method!r}; expected 'auto', 'parametric' or 'nonparametric'"
        )
    if p_adjust not in ("holm", "bonferroni", "none"):
        raise InputError(f"unknown p_adjust {p_adjust!r}; expected 'holm', 'bonferroni' or 'none'")
    labels, samples, notes = _prepare(data, value, group)
    rows: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    if method in ("auto", "parametric"):
        rows += _parametric_tests(samples)
        if posthoc:
            frames.append(_games_howell(labels, samples, with_tukey=True))
    if method in ("auto", "nonparametric"):
        rows += _nonparametric_tests(samples)
        if posthoc:
            frames.append(_dunn(labels, samples, p_adjust))
    tests = pd.DataFrame(rows, columns=TEST_COLUMNS)
    for col in ("statistic", "df1", "df2", "p", "effect_size"):
        tests[col] = tests[col].astype(np.float64)
    if frames:
        post = pd.concat(frames, ignore_index=True)[POSTHOC_COLUMNS]
    else:
        post = pd.DataFrame({c: pd.Series(dtype=object) for c in POSTHOC_COLUMNS})
    return CompareResult(
        tests=tests, posthoc=post, groups=_summaries(labels, samples), notes=tuple(notes)
    )
