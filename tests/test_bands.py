"""Tests for pmqa_analysis.stats.bands: boundaries exactly as DOMAIN.md."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.stats.bands import (
    band_cut_points,
    band_label,
    band_labels,
    band_presets,
    describe_band_preset,
)

HALF_POINT_TH = [
    (1.00, "น้อยที่สุด"), (1.50, "น้อยที่สุด"), (1.51, "น้อย"), (2.50, "น้อย"),
    (2.51, "ปานกลาง"), (3.50, "ปานกลาง"), (3.51, "มาก"), (4.50, "มาก"),
    (4.51, "มากที่สุด"), (5.00, "มากที่สุด"),
]  # fmt: skip
CLASS_INTERVAL_EN = [
    (1.00, "Lowest"), (1.80, "Lowest"), (1.81, "Low"), (2.60, "Low"), (2.61, "Moderate"),
    (3.40, "Moderate"), (3.41, "High"), (4.20, "High"), (4.21, "Highest"), (5.00, "Highest"),
]  # fmt: skip


@pytest.mark.parametrize(("mean", "label"), HALF_POINT_TH)
def test_half_point_boundaries(mean: float, label: str) -> None:
    assert band_label(mean) == label


@pytest.mark.parametrize(("mean", "label"), CLASS_INTERVAL_EN)
def test_class_interval_boundaries(mean: float, label: str) -> None:
    assert band_label(mean, preset="class_interval", language="en") == label


def test_vectorised_matches_scalar_and_keeps_index() -> None:
    means = pd.Series([m for m, _ in HALF_POINT_TH], index=list("abcdefghij"))
    out = band_label(means)
    assert isinstance(out, pd.Series)
    assert list(out.index) == list("abcdefghij")
    assert out.tolist() == [lab for _, lab in HALF_POINT_TH]


def test_means_rounded_to_two_decimals_before_banding() -> None:
    assert band_label(4.504, language="en") == "High"
    assert band_label(4.506, language="en") == "Highest"
    assert band_label(4.2049, preset="class_interval", language="en") == "High"


def test_missing_means_give_missing_labels() -> None:
    out = band_label([np.nan, 3.0, None])
    assert isinstance(out, pd.Series)
    assert pd.isna(out.iloc[0]) and pd.isna(out.iloc[2])
    assert out.iloc[1] == "ปานกลาง"
    assert pd.isna(band_label(np.nan))


def test_cut_points_generalise_to_other_scales() -> None:
    assert band_cut_points("half_point", [1, 2, 3, 4]).tolist() == [1.5, 2.5, 3.5]
    assert band_cut_points("class_interval", [1, 2, 3, 4]).tolist() == [1.75, 2.5, 3.25]
    assert band_cut_points("class_interval", [0, 1, 2, 3, 4, 5, 6]).tolist() == pytest.approx(
        [6 / 7 * i for i in range(1, 7)]
    )


def test_four_point_scale_labels() -> None:
    out = band_label([1.5, 1.51, 3.5, 3.51, 4.0], scale=[1, 2, 3, 4], language="en")
    assert isinstance(out, pd.Series)
    assert out.tolist() == ["Low", "Fairly low", "Fairly high", "High", "High"]


@dataclass
class _Scale:
    scores: tuple[int, ...]
    labels_th: tuple[str, ...]
    labels_en: tuple[str, ...]


def test_scale_object_with_own_labels() -> None:
    scale = _Scale(
        scores=tuple(range(1, 8)),
        labels_th=tuple(f"ระดับ {i}" for i in range(1, 8)),
        labels_en=tuple(f"L{i}" for i in range(1, 8)),
    )
    assert band_labels(scale, "en") == [f"L{i}" for i in range(1, 8)]
    assert band_label(6.51, scale=scale, language="en") == "L7"
    assert band_label(6.5, scale=scale, language="th") == "ระดับ 6"


def test_errors_name_the_problem() -> None:
    with pytest.raises(InputError, match="outside the scale 1-5"):
        band_label([4.0, 5.3])
    with pytest.raises(InputError, match="unknown band preset 'tercile'"):
        band_label(3.0, preset="tercile")
    with pytest.raises(InputError, match="language must be 'th' or 'en'"):
        band_label(3.0, language="fr")
    with pytest.raises(InputError, match="strictly ascending"):
        band_label(3.0, scale=[5, 4, 3, 2, 1])
    with pytest.raises(InputError, match="no band labels for a 6-point scale"):
        band_label(3.0, scale=[1, 2, 3, 4, 5, 6])


def test_presets_listed_default_first() -> None:
    assert band_presets() == ["half_point", "class_interval"]


def test_describe_states_every_interval() -> None:
    th = describe_band_preset("half_point", "th")
    for part in ("4.51-5.00 มากที่สุด", "3.51-4.50 มาก", "1.00-1.50 น้อยที่สุด", "ทศนิยม 2"):
        assert part in th
    en = describe_band_preset("class_interval", "en")
    for part in ("4.21-5.00 Highest", "1.81-2.60 Low", "1.00-1.80 Lowest", "rounded to 2"):
        assert part in en
