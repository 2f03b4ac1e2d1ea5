"""Required sample size per unit (Yamane, Krejcie–Morgan, Cochran) and whether it was reached.

Reports state, for each unit, the number of respondents required for its yearly service
population N and whether the survey reached it (DOMAIN.md, "Sample size").
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from pmqa_analysis.core.errors import InputError

__all__ = ["LARGE_POPULATION", "SAMPLE_SIZE_METHODS", "sample_adequacy", "sample_size"]

#: The population used when a unit's ``service_population`` is blank (not known): large
#: enough that every method gives its limit for an infinite population (Yamane: 1/e^2).
LARGE_POPULATION = 1e12

SizeMethod = Literal["yamane", "krejcie_morgan", "cochran"]
SAMPLE_SIZE_METHODS: tuple[str, ...] = ("yamane", "krejcie_morgan", "cochran")

# Guard against float noise such as 80.00000000000001 being rounded up to 81.
_EPS = 1e-9


def _check_fraction(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise InputError(f"{name} must be between 0 and 1 (e.g. 0.05); found {value!r}")


def sample_size(
    N: Any,
    method: SizeMethod = "yamane",
    e: float = 0.05,
    p: float = 0.5,
    confidence: float = 0.95,
    rounding: Literal["ceil", "nearest"] = "ceil",
) -> Any:
    """Required sample size for a population of ``N`` (service recipients a year).

    Parameters
    ----------
    N : int, array-like or pandas.Series
        Population size(s), whole numbers >= 0.
    method : {"yamane", "krejcie_morgan", "cochran"}, default "yamane"
        Formula (see Notes).
    e : float, default 0.05
        Margin of error (Yamane's e, Krejcie–Morgan's d, Cochran's e).
    p : float, default 0.5
        Expected proportion (Krejcie–Morgan's P, Cochran's p); 0.5 is the most conservative.
        Yamane's formula has no p.
    confidence : float, default 0.95
        Confidence level (Krejcie–Morgan and Cochran). Yamane's formula assumes 95 %.
    rounding : {"ceil", "nearest"}, default "ceil"
        ``"ceil"`` rounds up (the usual rule: never fewer than required). ``"nearest"``
        reproduces the printed Krejcie & Morgan (1970) table, which mostly rounds to the
        nearest integer (e.g. N = 50 gives 44.34: table 44, rounded up 45).

    Returns
    -------
    int or numpy.ndarray of int64
        An ``int`` for a scalar ``N``, otherwise an integer array of the same length.

    Notes
    -----
    - Yamane (1967): :math:`n = N / (1 + N e^2)`.
    - Krejcie & Morgan (1970): :math:`s = \\chi^2 N P(1-P) / (d^2 (N-1) + \\chi^2 P(1-P))`
      with :math:`\\chi^2` the 1-df chi-square quantile at the confidence level, rounded to 3
      decimals as in the paper (3.841 at 95 %).
    - Cochran (1977) with finite population correction: :math:`n_0 = z^2 p(1-p)/e^2`,
      :math:`n = n_0 / (1 + (n_0 - 1)/N)`.

    The result never exceeds N. References: Yamane T (1967), *Statistics: An Introductory
    Analysis*; Krejcie RV & Morgan DW (1970), Determining sample size for research
    activities, *Educational and Psychological Measurement* 30, 607–610; Cochran WG (1977),
    *Sampling Techniques*, 3rd ed.

    Examples
    --------
    >>> sample_size(1000)
    286
    >>> sample_size([100, 1_000, 10_000, 1_000_000], method="krejcie_morgan")
    array([ 80, 278, 370, 384])
    >>> sample_size(50, method="krejcie_morgan", rounding="nearest")
    44
    """
    if method not in SAMPLE_SIZE_METHODS:
        raise InputError(
            f"unknown sample-size method {method!r}; expected one of "
            f"{', '.join(SAMPLE_SIZE_METHODS)} (setting analysis.sample_size_method)"
        )
    if rounding not in ("ceil", "nearest"):
        raise InputError(f"rounding must be 'ceil' or 'nearest'; found {rounding!r}")
    _check_fraction("margin of error e", e)
    _check_fraction("expected proportion p", p)
    _check_fraction("confidence", confidence)
    scalar = np.ndim(N) == 0
    try:
        pop = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(N)), errors="raise"), float)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"population size N must be numeric; found {N!r}: use whole numbers such as 12000"
        ) from exc
    bad = np.isnan(pop) | (pop < 0)
    if np.any(bad):
        raise InputError(
            f"population size N must be a number >= 0; found {pop[bad][0]:g}: fill "
            "service_population with the unit's yearly number of service recipients"
        )
    if method == "yamane":
        n = pop / (1.0 + pop * e**2)
    elif method == "krejcie_morgan":
        chi2 = round(float(stats.chi2.ppf(confidence, 1)), 3)
        pq = p * (1.0 - p)
        n = chi2 * pop * pq / (e**2 * (pop - 1.0) + chi2 * pq)
    else:
        z = float(stats.norm.ppf(0.5 + confidence / 2.0))
        n0 = z**2 * p * (1.0 - p) / e**2
        with np.errstate(divide="ignore", invalid="ignore"):
            n = n0 / (1.0 + (n0 - 1.0) / pop)
    n = np.where(pop == 0, 0.0, n)
    rounded = np.ceil(n - _EPS) if rounding == "ceil" else np.floor(n + 0.5)
    rounded = np.minimum(rounded, pop)
    out = rounded.astype(np.int64)
    if scalar:
        return int(out[0])
    return out


def sample_adequacy(
    responses: pd.DataFrame,
    units: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    method: SizeMethod = "yamane",
    e: float = 0.05,
    unit_col: str = "unit_code",
) -> pd.DataFrame:
    """Did each unit reach its required sample size?

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent with ``unit_col`` and, when ``fiscal_year`` is given,
        ``fiscal_year`` (``Survey.responses``).
    units : pandas.DataFrame
        One row per unit with ``unit_col`` and ``service_population`` (``Survey.units``).
    fiscal_year : int, optional
        Count only responses of this fiscal year (BE). Required when ``responses`` spans
        more than one fiscal year.
    method : {"yamane", "krejcie_morgan", "cochran"}, default "yamane"
        See :func:`sample_size`.
    e : float, default 0.05
        Margin of error.
    unit_col : str, default "unit_code"
        Column that identifies the unit in both frames.

    Returns
    -------
    pandas.DataFrame
        One row per unit of ``units`` (in its order, also units with no responses):
        ``unit_col``, ``service_population``, ``required_n``, ``n``, ``reached`` (bool),
        ``shortfall`` (``max(required_n - n, 0)``), ``pct_of_required``
        (``100 n / required_n``; NaN when nothing is required). A blank
        ``service_population`` (not known) gets the sample size of a large population
        (:data:`LARGE_POPULATION`; Yamane at e = 0.05: 400).

    Examples
    --------
    >>> units = pd.DataFrame({"unit_code": ["U01", "U02"], "service_population": [1000, 50]})
    >>> resp = pd.DataFrame({"unit_code": ["U01"] * 300 + ["U02"] * 10, "fiscal_year": 2567})
    >>> print(sample_adequacy(resp, units, fiscal_year=2567).to_string())
      unit_code  service_population  required_n    n  reached  shortfall  pct_of_required
    0       U01                1000         286  300     True          0       104.895105
    1       U02                  50          45   10    False         35        22.222222
    """
    for frame, name, needed in (
        (units, "units", [unit_col, "service_population"]),
        (responses, "responses", [unit_col] + (["fiscal_year"] if fiscal_year else [])),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise InputError(
                f"{name} has no column {', '.join(missing)}; found columns "
                f"{', '.join(map(str, frame.columns))}: load the data with "
                "pmqa_analysis.workspace.loader or rename the columns"
            )
    resp = responses
    if fiscal_year is not None:
        resp = responses.loc[responses["fiscal_year"] == fiscal_year]
    elif "fiscal_year" in responses.columns and responses["fiscal_year"].nunique() > 1:
        years = sorted(responses["fiscal_year"].dropna().unique().tolist())
        raise InputError(
            f"responses span several fiscal years ({', '.join(map(str, years))}); "
            "pass fiscal_year=... to count one year against its service population"
        )
    counts = resp.groupby(unit_col, sort=False).size()
    pop = units["service_population"].astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
    # a blank population means "not known": the sample size of a large population
    required = sample_size(np.where(np.isnan(pop), LARGE_POPULATION, pop), method=method, e=e)
    n = units[unit_col].map(counts).fillna(0).to_numpy(dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(required > 0, 100.0 * n / required, np.nan)
    return pd.DataFrame(
        {
            unit_col: units[unit_col].to_numpy(),
            "service_population": units["service_population"].to_numpy(),
            "required_n": required,
            "n": n,
            "reached": n >= required,
            "shortfall": np.maximum(required - n, 0),
            "pct_of_required": pct,
        }
    )
