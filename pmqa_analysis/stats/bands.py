"""Interpretation bands: turn mean scores into labels such as มาก / High.

Two presets are shipped as package data (``data/bands.toml``):

``half_point`` (default)
    cut points halfway between adjacent scores; on a five-point scale
    1.00-1.50 น้อยที่สุด, 1.51-2.50 น้อย, 2.51-3.50 ปานกลาง, 3.51-4.50 มาก,
    4.51-5.00 มากที่สุด.
``class_interval``
    ``k`` equal-width intervals of ``(max - min) / k``; on a five-point scale
    width 0.8 and cut points 1.80, 2.60, 3.40, 4.20.

Means are rounded to 2 decimals before banding (the precision reports show), and
intervals are closed on the right: under ``half_point`` 4.50 is มาก and 4.51 is
มากที่สุด.

Examples
--------
>>> band_label(4.5)
'มาก'
>>> band_label(4.506, language="en")
'Highest'
>>> band_label([1.5, 3.41, None], preset="class_interval", language="en").tolist()
['Lowest', 'High', nan]
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.data_files import package_toml
from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.labels import check_language

__all__ = [
    "DEFAULT_PRESET",
    "band_cut_points",
    "band_label",
    "band_labels",
    "band_presets",
    "describe_band_preset",
]

DEFAULT_PRESET = "half_point"
_DEFAULT_SCORES = (1, 2, 3, 4, 5)


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    return package_toml("bands.toml")


def scale_scores(scale: Any = None) -> tuple[int, ...]:
    """The ascending integer scores of ``scale`` (a sequence or an object with ``.scores``)."""
    if scale is None:
        return _DEFAULT_SCORES
    raw = getattr(scale, "scores", scale)
    try:
        values = [float(v) for v in raw]
    except (TypeError, ValueError):
        raise InputError(
            f"scale must be a sequence of integer scores such as [1, 2, 3, 4, 5] or a Scale "
            f"object with .scores; found {scale!r}"
        ) from None
    if len(values) < 2 or any(v != int(v) for v in values):
        raise InputError(
            f"a scale needs at least two integer scores; found {list(raw)!r}: "
            "use e.g. [1, 2, 3, 4, 5]"
        )
    scores = tuple(int(v) for v in values)
    if any(b <= a for a, b in itertools.pairwise(scores)):
        raise InputError(
            f"scale scores must be strictly ascending; found {list(scores)!r}: "
            "list them from lowest to highest, e.g. [1, 2, 3, 4, 5]"
        )
    return scores


def _check_preset(preset: str) -> dict[str, Any]:
    presets: dict[str, Any] = _config()["presets"]
    if preset not in presets:
        raise InputError(
            f"unknown band preset {preset!r}; expected one of {sorted(presets)}: "
            "set band_preset in settings.toml to one of these"
        )
    return dict(presets[preset])


def band_presets() -> list[str]:
    """The names of the shipped band presets, the default first.

    Examples
    --------
    >>> band_presets()
    ['half_point', 'class_interval']
    """
    names = list(_config()["presets"])
    return sorted(names, key=lambda n: n != DEFAULT_PRESET)


def band_cut_points(preset: str = DEFAULT_PRESET, scale: Any = None) -> np.ndarray:
    """The ``k - 1`` cut points of ``preset`` on a ``k``-point ``scale``, ascending.

    A rounded mean ``m`` falls in band ``i`` (0 = lowest) where ``i`` is the number of
    cut points strictly below ``m``.

    Examples
    --------
    >>> band_cut_points("half_point").tolist()
    [1.5, 2.5, 3.5, 4.5]
    >>> band_cut_points("class_interval").tolist()
    [1.8, 2.6, 3.4, 4.2]
    >>> band_cut_points("class_interval", [1, 2, 3, 4]).tolist()
    [1.75, 2.5, 3.25]
    """
    rule = _check_preset(preset)["rule"]
    scores = np.asarray(scale_scores(scale), dtype=np.float64)
    k = len(scores)
    if rule == "midpoint":
        cuts = (scores[:-1] + scores[1:]) / 2.0
    else:
        width = (scores[-1] - scores[0]) / k
        cuts = scores[0] + width * np.arange(1, k)
    return np.round(cuts, 10)


def band_labels(scale: Any = None, language: str = "th") -> list[str]:
    """The band labels for a scale, lowest band first.

    Five-, four- and three-point scales use the labels in ``data/bands.toml``; other
    scales use their own labels (``.labels_th`` / ``.labels_en``).

    Examples
    --------
    >>> band_labels(language="en")
    ['Lowest', 'Low', 'Moderate', 'High', 'Highest']
    """
    check_language(language)
    k = len(scale_scores(scale))
    table = _config()["labels"]
    if str(k) in table:
        return list(table[str(k)][language])
    own = getattr(scale, f"labels_{language}", None)
    if own is not None and len(own) == k:
        return [str(x) for x in own]
    raise InputError(
        f"no band labels for a {k}-point scale: bands.toml has labels for "
        f"{sorted(int(x) for x in table)}-point scales; pass a Scale with labels_{language}"
    )


def band_label(
    means: Any,
    preset: str = DEFAULT_PRESET,
    scale: Any = None,
    language: str = "th",
) -> pd.Series | str | float:
    """Interpretation label of each mean (vectorised).

    Parameters
    ----------
    means : float or array-like or pandas.Series
        Mean scores on ``scale``. Missing values give NaN.
    preset : {"half_point", "class_interval"}
        The band convention (see the module docstring).
    scale : sequence of int or Scale, optional
        The scale the means are on; default 1-5.
    language : {"th", "en"}
        Language of the labels.

    Returns
    -------
    str or pandas.Series
        A label for a scalar (NaN for a missing scalar), else a Series of labels
        (object dtype, NaN where the mean is missing) keeping a Series' index.

    Notes
    -----
    Each mean is rounded to 2 decimals and placed with ``np.searchsorted`` on the cut
    points of :func:`band_cut_points` (``side="left"``, so a mean equal to a cut point
    belongs to the lower band). A rounded mean outside ``[min, max]`` of the scale is
    an error: the means are not on that scale.

    Examples
    --------
    >>> band_label(pd.Series([4.51, 4.50, 1.0]), language="en").tolist()
    ['Highest', 'High', 'Lowest']
    >>> band_label(4.21, preset="class_interval")
    'มากที่สุด'
    """
    cuts = band_cut_points(preset, scale)
    labels = np.asarray(band_labels(scale, language), dtype=object)
    scores = scale_scores(scale)
    scalar = np.ndim(means) == 0 and not isinstance(means, pd.Series)
    index = means.index if isinstance(means, pd.Series) else None
    values = pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(means, dtype=object))))
    arr = np.round(values.to_numpy(dtype=np.float64, na_value=np.nan), 2)
    missing = np.isnan(arr)
    bad = ~missing & ((arr < scores[0]) | (arr > scores[-1]))
    if bad.any():
        found = arr[bad][0]
        raise InputError(
            f"mean {found:g} is outside the scale {scores[0]}-{scores[-1]}: check that the "
            "scale passed matches the items' scale"
        )
    pos = np.searchsorted(cuts, np.where(missing, scores[0], arr), side="left")
    out = labels[pos]
    out[missing] = np.nan
    if scalar:
        return out[0]  # type: ignore[no-any-return]
    return pd.Series(out, index=index, dtype=object, name="band")


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def describe_band_preset(
    preset: str = DEFAULT_PRESET, language: str = "th", scale: Any = None
) -> str:
    """A sentence for the report's methods section describing the bands used.

    Examples
    --------
    >>> print(describe_band_preset("half_point", "en"))
    Mean scores are rounded to 2 decimals and interpreted with equal 0.5 steps (midpoints
    between adjacent scores): 4.51-5.00 Highest; 3.51-4.50 High; 2.51-3.50 Moderate;
    1.51-2.50 Low; 1.00-1.50 Lowest.
    >>> print(describe_band_preset("class_interval", "th"))
    ค่าเฉลี่ยปัดเป็นทศนิยม 2 ตำแหน่ง แล้วแปลผลตามเกณฑ์อันตรภาคชั้น ...: 4.21-5.00 มากที่สุด;
    3.41-4.20 มาก; 2.61-3.40 ปานกลาง; 1.81-2.60 น้อย; 1.00-1.80 น้อยที่สุด
    """
    info = _check_preset(preset)
    check_language(language)
    cuts = band_cut_points(preset, scale)
    labels = band_labels(scale, language)
    scores = scale_scores(scale)
    lows = [float(scores[0]), *(np.round(cuts + 0.01, 2).tolist())]
    highs = [*cuts.tolist(), float(scores[-1])]
    parts = [
        f"{_fmt(lo)}-{_fmt(hi)} {lab}"
        for lo, hi, lab in reversed(list(zip(lows, highs, labels, strict=True)))
    ]
    title = info[f"title_{language}"]
    if language == "th":
        return f"ค่าเฉลี่ยปัดเป็นทศนิยม 2 ตำแหน่ง แล้วแปลผลตาม{title}: " + "; ".join(parts)
    first = title[0].lower() + title[1:]
    return (
        f"Mean scores are rounded to 2 decimals and interpreted with {first}: "
        + "; ".join(parts)
        + "."
    )
