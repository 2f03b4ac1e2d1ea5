"""Design-based weighted estimates (means, proportions, totals) with linearisation SEs.

A :class:`SurveyDesign` names the columns that describe how the sample was drawn
(weights, strata, clusters, finite population correction). Standard errors follow the
Taylor linearisation used by R's survey package (``svymean``, ``svytotal``, ``svyby``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError

__all__ = [
    "ESTIMATE_COLUMNS",
    "SurveyDesign",
    "weighted_mean",
    "weighted_proportion",
    "weighted_total",
]

# after the ``by`` columns; the first is named after the estimate: mean, proportion or total
ESTIMATE_COLUMNS = ["se", "ci_lo", "ci_hi", "deff", "n", "sum_w"]


@dataclass(frozen=True)
class SurveyDesign:
    """Column names describing a survey design (like R's ``svydesign``).

    Parameters
    ----------
    weights : str
        Sampling weights (inverse inclusion probabilities), > 0.
    strata : str, optional
        Stratum of each row; ``None`` = one stratum.
    clusters : str, optional
        Primary sampling unit (cluster) of each row; ``None`` = every row is its own PSU.
        Cluster labels are read within strata.
    fpc : str, optional
        Finite population correction, constant within a stratum: either the population
        size (number of PSUs in the stratum's population, any value > 1) or the sampling
        fraction (values in (0, 1]), as R's survey package accepts. ``None`` = sampling
        with replacement (no correction).
    """

    weights: str
    strata: str | None = None
    clusters: str | None = None
    fpc: str | None = None

    def columns(self) -> list[str]:
        """The design columns in use."""
        return [c for c in (self.weights, self.strata, self.clusters, self.fpc) if c]


def _check(data: pd.DataFrame, design: SurveyDesign, needed: Sequence[str]) -> None:
    if not isinstance(design, SurveyDesign):
        raise InputError(
            f"design must be a SurveyDesign; found {type(design).__name__}: "
            "use SurveyDesign(weights='weight', strata=..., clusters=..., fpc=...)"
        )
    missing = [c for c in [*design.columns(), *needed] if c not in data.columns]
    if missing:
        raise InputError(
            f"column {', '.join(map(repr, missing))} not found in data; found columns "
            f"{', '.join(map(str, data.columns))}"
        )
    w = pd.to_numeric(data[design.weights], errors="coerce")
    if w.isna().any() or (w <= 0).any():
        bad = data.loc[w.isna() | (w <= 0), design.weights].iloc[0]
        raise InputError(
            f"weights in {design.weights!r} must be numbers > 0; found {bad}: drop the row "
            "from the design or give it its sampling weight"
        )


def _design_arrays(data: pd.DataFrame, design: SurveyDesign) -> tuple[np.ndarray, ...]:
    """Stratum codes, PSU codes (unique across strata), PSU count and (1 - f) per stratum."""
    n_rows = len(data)
    if design.strata:
        strata = pd.factorize(data[design.strata], sort=True)[0]
    else:
        strata = np.zeros(n_rows, dtype=np.int64)
    if design.clusters:
        psu = pd.MultiIndex.from_arrays([strata, data[design.clusters].to_numpy()])
        psu_codes = pd.factorize(psu, sort=True)[0]
    else:
        psu_codes = np.arange(n_rows)
    n_strata = int(strata.max()) + 1 if n_rows else 0
    psu_stratum = np.zeros(int(psu_codes.max()) + 1 if n_rows else 0, dtype=np.int64)
    psu_stratum[psu_codes] = strata
    n_h = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    if np.any(n_h < 2):
        h = int(np.flatnonzero(n_h < 2)[0])
        label = (
            data[design.strata].iloc[int(np.flatnonzero(strata == h)[0])] if design.strata else h
        )
        raise InputError(
            f"stratum {label!r} has only one primary sampling unit, so its variance cannot be "
            "estimated: merge it with a similar stratum"
        )
    one_minus_f = np.ones(n_strata)
    if design.fpc:
        fpc = pd.to_numeric(data[design.fpc], errors="coerce").to_numpy(dtype=np.float64)
        per_h = pd.Series(fpc).groupby(strata).agg(["min", "max"])
        if per_h.isna().any().any() or (per_h["min"] != per_h["max"]).any():
            raise InputError(
                f"fpc column {design.fpc!r} must hold one number per stratum; found missing "
                "or differing values within a stratum"
            )
        val = per_h["min"].to_numpy()
        frac = np.where(val <= 1.0, val, n_h / val)
        if np.any(frac > 1.0) or np.any(val <= 0):
            raise InputError(
                f"fpc column {design.fpc!r}: the population size is smaller than the number "
                "of sampled units in a stratum; give population sizes or fractions in (0, 1]"
            )
        one_minus_f = 1.0 - frac
    return strata, psu_codes, psu_stratum, n_h, one_minus_f


def _linearised_var(
    z: np.ndarray, psu: np.ndarray, psu_stratum: np.ndarray, n_h: np.ndarray, omf: np.ndarray
) -> np.ndarray:
    """Σ_h (1 - f_h) n_h/(n_h - 1) Σ_i (z_hi - z̄_h)² for each column of ``z``."""
    n_psu = psu_stratum.size
    totals = np.zeros((n_psu, z.shape[1]))
    np.add.at(totals, psu, z)
    h_sum = np.zeros((n_h.size, z.shape[1]))
    np.add.at(h_sum, psu_stratum, totals)
    centred = totals - (h_sum / n_h[:, None])[psu_stratum]
    ss = np.zeros_like(h_sum)
    np.add.at(ss, psu_stratum, centred**2)
    factor = omf * n_h / (n_h - 1.0)
    return np.asarray((factor[:, None] * ss).sum(axis=0))


def _domains(data: pd.DataFrame, by: str | Sequence[str] | None) -> tuple[np.ndarray, pd.Index]:
    if by is None:
        return np.zeros(len(data), dtype=np.int64), pd.Index(["all"], name="domain")
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in data.columns]
    if missing:
        raise InputError(f"by column {', '.join(map(repr, missing))} not found in data")
    grouped = data.groupby(keys, sort=True, observed=True, dropna=True)
    codes = grouped.ngroup().to_numpy()
    index = pd.MultiIndex.from_frame(grouped.size().reset_index()[keys])
    if len(keys) == 1:
        index = pd.Index(index.get_level_values(0), name=keys[0])
    return codes, index


def _estimate(
    data: pd.DataFrame,
    y: np.ndarray,
    design: SurveyDesign,
    by: str | Sequence[str] | None,
    ci: float,
    kind: str,
    name: str,
) -> pd.DataFrame:
    """Ratio-mean (``kind="mean"``) or total of ``y`` (NaN = outside the domain) per domain."""
    if not 0.0 < ci < 1.0:
        raise InputError(f"ci must be between 0 and 1 (e.g. 0.95); found {ci!r}")
    w = data[design.weights].to_numpy(dtype=np.float64)
    _, psu, psu_stratum, n_h, omf = _design_arrays(data, design)
    dom, index = _domains(data, by)
    n_dom = len(index)
    member = np.zeros((len(data), n_dom))
    ok = (dom >= 0) & ~np.isnan(y)
    member[np.flatnonzero(ok), dom[ok]] = 1.0
    y0 = np.where(np.isnan(y), 0.0, y)
    wi = w[:, None] * member
    sum_w = wi.sum(axis=0)
    n_obs = member.sum(axis=0)
    wy = (wi * y0[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = wy / sum_w
        resid = y0[:, None] - mean[None, :]
        z_mean = wi * resid / sum_w[None, :]
        z_mean = np.where(member > 0, z_mean, 0.0)
        var_mean = _linearised_var(z_mean, psu, psu_stratum, n_h, omf)
        # SRS variance as R's survey package (deff = TRUE, without replacement):
        # s² = Σw(y - ȳ)²/Σw · n/(n - 1); var_srs = s² (1 - n/Σw) / n
        s2 = (wi * np.where(member > 0, resid, 0.0) ** 2).sum(axis=0) / sum_w
        s2 = s2 * n_obs / (n_obs - 1.0)
        var_srs = s2 * (sum_w - n_obs) / (sum_w * n_obs)
        if kind == "total":
            est = wy
            z_tot = wi * y0[:, None]
            var = _linearised_var(z_tot, psu, psu_stratum, n_h, omf)
            var_srs = var_srs * sum_w**2
        else:
            est = mean
            var = var_mean
        se = np.sqrt(var)
        deff = np.where(var_srs > 0, var / var_srs, np.nan)
    q = float(stats.norm.ppf(0.5 + ci / 2.0))
    out = pd.DataFrame(
        {
            name: est,
            "se": se,
            "ci_lo": est - q * se,
            "ci_hi": est + q * se,
            "deff": deff,
            "n": n_obs.astype(np.int64),
            "sum_w": sum_w,
        },
        index=index,
    )
    if by is None:
        return out.reset_index(drop=True)
    return out.reset_index()


def _values(data: pd.DataFrame, value: str) -> np.ndarray:
    if value not in data.columns:
        raise InputError(
            f"column {value!r} not found in data; found columns {', '.join(map(str, data.columns))}"
        )
    if not pd.api.types.is_numeric_dtype(data[value]):
        raise InputError(f"column {value!r} must be numeric; found dtype {data[value].dtype}")
    return data[value].to_numpy(dtype=np.float64)


def weighted_mean(
    data: pd.DataFrame,
    value: str,
    design: SurveyDesign,
    by: str | Sequence[str] | None = None,
    *,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Design-based weighted mean of ``value`` (overall or per domain), like ``svymean``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent with the value and design columns.
    value : str
        Numeric column; missing values are treated as outside the domain (R's
        ``na.rm = TRUE``, which keeps the full design).
    design : SurveyDesign
        Weights, strata, clusters and fpc column names.
    by : str or list of str, optional
        Domain columns (units, groups, years). Each domain is estimated with the whole
        design, the variable zeroed outside the domain (as ``svyby``).
    ci : float, default 0.95
        Level of the normal-theory interval ``estimate ± z se``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns (if any), then ``mean``, ``se``, ``ci_lo``,
        ``ci_hi``, ``deff``, ``n`` (respondents in the domain with a value), ``sum_w``.

    Notes
    -----
    :math:`\\hat{\\bar y} = \\sum w_i y_i / \\sum w_i`; linearised variable
    :math:`z_i = w_i (y_i - \\hat{\\bar y}) / \\sum w` (0 outside the domain); with
    :math:`z_{hi}` the total of z in PSU i of stratum h, :math:`n_h` PSUs and sampling
    fraction :math:`f_h`,
    :math:`\\hat V = \\sum_h (1 - f_h) \\frac{n_h}{n_h - 1} \\sum_i (z_{hi} - \\bar z_h)^2`.
    Design effect as R's ``svymean(deff = TRUE)``: :math:`\\hat V / V_{srs}` with
    :math:`V_{srs} = (1 - n/\\sum w)\\, s^2 / n` and the weighted
    :math:`s^2 = \\frac{n}{n-1} \\sum w (y - \\hat{\\bar y})^2 / \\sum w`.
    Reference: Lumley T (2010), *Complex Surveys: A Guide to Analysis Using R*, Wiley;
    Wolter KM (2007), *Introduction to Variance Estimation*, 2nd ed.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [4.0, 5, 3, 4, 2, 5], "w": [10.0, 10, 20, 20, 10, 10],
    ...                    "stratum": ["a", "a", "a", "b", "b", "b"]})
    >>> weighted_mean(df, "y", SurveyDesign(weights="w", strata="stratum")).round(4)
       mean      se   ci_lo   ci_hi    deff  n  sum_w
    0  3.75  0.4529  2.8624  4.6376  1.1824  6   80.0
    """
    _check(data, design, [value])
    return _estimate(data, _values(data, value), design, by, ci, "mean", "mean")


def weighted_total(
    data: pd.DataFrame,
    value: str,
    design: SurveyDesign,
    by: str | Sequence[str] | None = None,
    *,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Design-based weighted total of ``value`` (like ``svytotal``).

    Same parameters and columns as :func:`weighted_mean`, with ``total``
    :math:`\\sum w_i y_i` over the domain, linearised variable :math:`z_i = w_i y_i`.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, 0, 1, 1], "w": [10.0, 10, 20, 20]})
    >>> weighted_total(df, "y", SurveyDesign(weights="w"))[["total", "n", "sum_w"]]
       total  n  sum_w
    0   50.0  4   60.0
    """
    _check(data, design, [value])
    return _estimate(data, _values(data, value), design, by, ci, "total", "total")


def weighted_proportion(
    data: pd.DataFrame,
    value: str,
    levels: Any,
    design: SurveyDesign,
    by: str | Sequence[str] | None = None,
    *,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Weighted share of respondents whose ``value`` is one of ``levels`` (e.g. top-2-box).

    Parameters
    ----------
    data, value, design, by, ci
        As in :func:`weighted_mean`. Missing values are excluded from the base.
    levels : scalar or list
        The answers that count, e.g. ``[4, 5]`` for top-2-box on a 5-point scale.

    Returns
    -------
    pandas.DataFrame
        As :func:`weighted_mean`, with ``proportion`` (0–1) instead of ``mean``; the interval is
        the Wald interval on the linearised SE (R's ``confint(svymean(...))``).

    Examples
    --------
    >>> df = pd.DataFrame({"q1": [5, 4, 2, 3, 5, None], "w": [1.0, 1, 2, 2, 1, 1]})
    >>> weighted_proportion(df, "q1", [4, 5], SurveyDesign(weights="w"))[["proportion", "n"]]
       proportion  n
    0    0.428571  5
    """
    _check(data, design, [value])
    lv = (
        list(levels) if isinstance(levels, list | tuple | set | np.ndarray | pd.Index) else [levels]
    )
    col = data[value]
    y = np.where(col.isna(), np.nan, col.isin(lv).astype(np.float64))
    return _estimate(data, y, design, by, ci, "mean", "proportion")
