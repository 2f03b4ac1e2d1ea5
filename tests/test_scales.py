"""Tests of pmqa_analysis.stats.scales: Likert scales as data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file
from hypothesis import given, settings
from hypothesis import strategies as st

from pmqa_analysis.core.errors import CatalogueError, InputError
from pmqa_analysis.stats.scales import (
    Scale,
    get_scale,
    load_scales,
    scale_from_value_labels,
    scale_names,
    scales_table,
)

BUILTIN = scale_names()
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
COMMON_MISSING = ["ไม่มีความเห็น", "ไม่ตอบ", "ยังไม่มีบริการนี้", "ไม่ทราบ", "ไม่ระบุ", "N/A",
                  "NA", "-", "No opinion", "Not answered"]  # fmt: skip


def test_builtin_names() -> None:
    assert BUILTIN == [
        "th5", "th5_quality", "th5_satisfaction", "th4_national",
        "en5_agree", "en5_satisfied", "num5", "num4",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "top_th", "bottom_th", "n"),
    [
        ("th5", "มากที่สุด", "น้อยที่สุด", 5),
        ("th5_quality", "ดีมาก", "ควรปรับปรุง", 5),
        ("th5_satisfaction", "พอใจมากที่สุด", "ไม่พอใจ", 5),
        ("th4_national", "พอใจมาก", "ไม่พอใจเลย", 4),
        ("en5_agree", "เห็นด้วยอย่างยิ่ง", "ไม่เห็นด้วยอย่างยิ่ง", 5),
    ],
)
def test_domain_labels(name: str, top_th: str, bottom_th: str, n: int) -> None:
    s = get_scale(name)
    assert s.n_levels == n
    assert s.label(s.max) == top_th
    assert s.label(s.min) == bottom_th
    assert s.scores == tuple(range(1, n + 1))


def test_properties() -> None:
    s = get_scale("th4_national")
    assert (s.min, s.max, s.top2, s.bottom2) == (1, 4, (3, 4), (1, 2))
    assert get_scale("en5_agree").label(5, "en") == "Strongly agree"
    assert get_scale("en5_satisfied").label(1, "en") == "Very dissatisfied"


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_converts_its_own_labels_aliases_codes(name: str) -> None:
    s = get_scale(name)
    raw: list[object] = []
    expected: list[int] = []
    for score, th, en in zip(s.scores, s.labels_th, s.labels_en, strict=True):
        for value in (th, en, f"  {en.upper()} ", score, float(score), str(score),
                      f" {score} ", str(score).translate(THAI), f"{score} - {th}",
                      f"{th} ({score})"):  # fmt: skip
            raw.append(value)
            expected.append(score)
    for alias, score in s.aliases.items():
        raw.append(alias)
        expected.append(score)
    scores, invalid = s.to_scores(pd.Series(raw, dtype=object))
    assert not invalid.any(), [v for v, b in zip(raw, invalid, strict=True) if b]
    assert scores.dtype == np.float64
    assert scores.tolist() == [float(e) for e in expected]


@pytest.mark.parametrize("name", BUILTIN)
def test_missing_labels_are_nan_not_invalid(name: str) -> None:
    s = get_scale(name)
    values = pd.Series([*COMMON_MISSING, " ไม่มีความเห็น ", "n/a", "", "  ", None, np.nan])
    scores, invalid = s.to_scores(values)
    assert scores.isna().all()
    assert not invalid.any()


def test_invalid_values_flagged() -> None:
    s = get_scale("th5")
    values = pd.Series(["9", 0, 6, 9.0, 5.5, "มากมาย", True, "๙", "5,0"], dtype=object)
    scores, invalid = s.to_scores(values)
    assert invalid.all()
    assert scores.isna().all()


@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "Float64"])
def test_numeric_path(dtype: str) -> None:
    values = pd.Series([1, 5, 0, 6, 3], dtype=dtype, index=list("abcde"), name="Q1")
    scores, invalid = get_scale("num5").to_scores(values)
    assert scores.index.tolist() == list("abcde") and scores.name == "Q1"
    assert scores.tolist()[:2] == [1.0, 5.0] and math.isnan(scores["c"])
    assert invalid.tolist() == [False, False, True, True, False]


@pytest.mark.parametrize("dtype", [object, "string", "category"])
def test_text_dtypes(dtype: object) -> None:
    values = pd.Series(["มาก", None, "๔", "x", "มาก"], dtype=dtype)  # type: ignore[call-overload]
    scores, invalid = get_scale("th5").to_scores(values)
    assert scores.tolist()[0] == 4.0 and math.isnan(scores[1]) and scores[2] == 4.0
    assert invalid.tolist() == [False, False, False, True, False]


def test_input_not_mutated_and_series_required() -> None:
    values = pd.Series(["มาก", "น้อย"])
    before = values.copy()
    get_scale("th5").to_scores(values)
    pd.testing.assert_series_equal(values, before)
    with pytest.raises(InputError, match="pandas Series"):
        get_scale("th5").to_scores(["มาก"])  # type: ignore[arg-type]


def test_reverse() -> None:
    s = get_scale("th5")
    pd.testing.assert_series_equal(
        s.reverse(pd.Series([1.0, 2.0, np.nan, 5.0])), pd.Series([5.0, 4.0, np.nan, 1.0])
    )
    np.testing.assert_array_equal(get_scale("th4_national").reverse(np.array([1, 4])), [4, 1])
    assert s.reverse(s.reverse(3.0)) == 3.0


def test_label_errors() -> None:
    with pytest.raises(InputError, match=r"score 7 is not on scale 'th5'"):
        get_scale("th5").label(7)
    with pytest.raises(InputError, match="language 'fr'"):
        get_scale("th5").label(5, "fr")


def test_get_scale_unknown_lists_known() -> None:
    with pytest.raises(CatalogueError, match=r"unknown scale 'th7'.*th5, th5_quality"):
        get_scale("th7")


def test_scales_table() -> None:
    t = scales_table()
    assert list(t.columns) == ["name", "score", "label", "aliases"]
    assert len(t) == sum(get_scale(n).n_levels for n in BUILTIN)
    row = t[(t.name == "en5_agree") & (t.score == 3)].iloc[0]
    assert row.label == "ไม่แน่ใจ" and "Neither agree nor disagree" in row.aliases
    assert scales_table(language="en").query("name == 'th5' and score == 5").label.item() == (
        "Highest"
    )


# ------------------------------------------------------------------ user scale files

VALID_USER = """
[scales.yesno3]
title_th = "ใช่/ไม่แน่ใจ/ไม่ใช่"
title_en = "Yes / unsure / no"
levels = [
  { score = 3, th = "ใช่", en = "Yes" },
  { score = 2, th = "ไม่แน่ใจ", en = "Unsure" },
  { score = 1, th = "ไม่ใช่", en = "No" },
]
aliases = { "Y" = 3, "N" = 1 }
missing = ["99"]

[scales.th5]
title_th = "ของหน่วยงาน"
title_en = "Unit's own th5"
levels = [
  { score = 1, th = "มากที่สุด", en = "Highest" },
  { score = 2, th = "มาก", en = "High" },
]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my_scales.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_scale_file(tmp_path: Path) -> None:
    scales = load_scales(_write(tmp_path, VALID_USER))
    yn = get_scale("yesno3", scales)
    assert yn.scores == (1, 2, 3) and yn.labels_en == ("No", "Unsure", "Yes")
    scores, invalid = yn.to_scores(pd.Series(["y", "No", "99", 99, "ไม่ตอบ", 4], dtype=object))
    assert scores.tolist()[:2] == [3.0, 1.0] and scores[2:].isna().all()
    assert invalid.tolist() == [False] * 5 + [True]
    # a user scale with a built-in's name replaces it; other built-ins stay
    assert scales["th5"].scores == (1, 2) and scales["th5"].label(1) == "มากที่สุด"
    assert scales["th4_national"] == get_scale("th4_national")
    # the built-ins themselves are unchanged
    assert get_scale("th5").n_levels == 5


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ('levels = [{ score = 1, th = "ก", en = "a" }, { score = 1, th = "ข", en = "b" }]',
         r"scale 'bad', field 'levels': score 1 appears more than once"),
        ('levels = [{ score = 1.5, th = "ก", en = "a" }, { score = 2, th = "ข", en = "b" }]',
         r"scale 'bad', field 'levels' entry 1, field 'score': found 1.5"),
        ('levels = [{ score = 1, th = "ก", en = "a" }, { score = 2, th = "ก", en = "b" }]',
         r"scale 'bad', field 'levels': label 'ก' is used for scores 1 and 2"),
        ('levels = [{ score = 1, th = "ก", en = "a" }, { score = 2, th = "ข", en = "b" }]\n'
         'aliases = { "c" = 3 }',
         r"scale 'bad', field 'aliases': alias 'c' points to 3"),
        ('levels = [{ score = 1, th = "ก", en = "a" }, { score = 2, th = "ข", en = "b" }]\n'
         'missing = ["A"]',
         r"scale 'bad', field 'missing': missing label 'A' is also a label"),
        ('levels = [{ score = 1, th = "ก", en = "a" }, { score = 2, th = "ไม่ตอบ", en = "b" }]',
         r"field 'missing': missing label 'ไม่ตอบ'.*common_missing = false"),
        ('levels = [{ score = 1, th = "ก", en = "a" }]',
         r"field 'levels'.*at least two"),
        ('levels = [{ score = 1, th = "", en = "a" }, { score = 2, th = "ข", en = "b" }]',
         r"entry 1, field 'th': found ''"),
        ('lables = 1\nlevels = [{ score = 1, th = "ก", en = "a" }, '
         '{ score = 2, th = "ข", en = "b" }]',
         r"field 'lables': unknown field"),
    ],
)  # fmt: skip
def test_invalid_user_scale(tmp_path: Path, body: str, match: str) -> None:
    text = f'[scales.bad]\ntitle_th = "ก"\ntitle_en = "bad"\n{body}\n'
    path = _write(tmp_path, text)
    with pytest.raises(CatalogueError, match=match) as info:
        load_scales(path)
    assert str(path) in str(info.value)


def test_invalid_user_file_reports_all_problems(tmp_path: Path) -> None:
    text = """
[scales.a]
title_th = ""
title_en = "A"
levels = [{ score = 1, th = "x", en = "x" }, { score = 1, th = "y", en = "y" }]
[scales.b]
title_th = "B"
title_en = "B"
levels = [{ score = 1, th = "x", en = "x" }, { score = 2, th = "y", en = "y" }]
aliases = { "z" = 5 }
"""
    with pytest.raises(CatalogueError, match=r"^3 problem\(s\)") as info:
        load_scales(_write(tmp_path, text))
    msg = str(info.value)
    assert "scale 'a', field 'title_th'" in msg
    assert "scale 'a', field 'levels': score 1" in msg
    assert "scale 'b', field 'aliases'" in msg


def test_toml_syntax_error_and_missing_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[scales.x]\ntitle_th = "unterminated\n')
    with pytest.raises(CatalogueError, match=r"my_scales.toml is not valid TOML.*line 2"):
        load_scales(path)
    with pytest.raises(CatalogueError, match=r"nope.toml not found"):
        load_scales(tmp_path / "nope.toml")


# ------------------------------------------------------------------------ SPSS


def test_scale_from_spss_value_labels(refdata: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    path = refdata_file(refdata, "spss_saq/SAQ.sav")
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    labels = meta.variable_value_labels["Question_01"]
    scale = scale_from_value_labels("saq", labels, meta.missing_user_values.get("Question_01", ()))
    # codes kept as scores in their own order: 1 = Strongly agree (lowest score)
    assert scale.scores == (1, 2, 3, 4, 5)
    assert scale.label(1, "en") == "Strongly agree" and scale.label(5, "en") == "Strongly disagree"
    assert scale.missing_codes == (9.0,)
    scores, invalid = scale.to_scores(pd.Series([1.0, 5.0, 9.0, 7.0, np.nan]))
    assert scores.tolist()[:2] == [1.0, 5.0] and scores[2:].isna().all()
    assert invalid.tolist() == [False, False, False, True, False]
    # a variable without the 9 label: 9 becomes invalid
    no9 = scale_from_value_labels("saq2", meta.variable_value_labels["Question_02"])
    assert no9.to_scores(pd.Series([9.0]))[1].item() is True
    # declared user-missing codes become missing labels
    declared = scale_from_value_labels("saq3", labels, missing_values=[5])
    assert declared.scores == (1, 2, 3, 4) and "Strongly disagree" in declared.missing


def test_scale_from_value_labels_errors() -> None:
    with pytest.raises(CatalogueError, match=r"code 1.5 .* not a whole number"):
        scale_from_value_labels("x", {1.0: "a", 1.5: "b", 2.0: "c"})
    with pytest.raises(CatalogueError, match=r"label 'agree' is used for scores 1 and 2"):
        scale_from_value_labels("x", {1.0: "Agree", 2.0: "agree"})


# ------------------------------------------------------------------ property test

ANSWERS = st.one_of(
    st.text(max_size=12),
    st.integers(-20, 20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["มาก", "๕", " 3 ", "ไม่ตอบ", "Strongly agree", "5 - มากที่สุด"]),
    st.none(),
)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(ANSWERS, max_size=30), name=st.sampled_from(BUILTIN))
def test_to_scores_never_raises(values: list[object], name: str) -> None:
    scale: Scale = get_scale(name)
    for series in (pd.Series(values, dtype=object), pd.Series([str(v) for v in values])):
        scores, invalid = scale.to_scores(series)
        assert scores.dtype == np.float64 and invalid.dtype == bool
        assert len(scores) == len(series)
        ok = scores.dropna()
        assert ok.isin([float(s) for s in scale.scores]).all()
        assert not (invalid & scores.notna()).any()


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=30))
def test_numeric_path_matches_object_path(values: list[float]) -> None:
    scale = get_scale("th5")
    a = scale.to_scores(pd.Series(values, dtype="float64"))
    b = scale.to_scores(pd.Series(values, dtype=object))
    pd.testing.assert_series_equal(a[0], b[0])
    pd.testing.assert_series_equal(a[1], b[1])


def test_million_values_fast() -> None:
    import time

    scale = get_scale("th5")
    pool = np.array([*scale.labels_th, "5", "๔", "ไม่ตอบ", "", "x"], dtype=object)
    values = pd.Series(pool[np.random.default_rng(1).integers(0, len(pool), 1_000_000)])
    start = time.perf_counter()
    _, invalid = scale.to_scores(values)
    elapsed = time.perf_counter() - start
    assert int(invalid.sum()) == int((values == "x").sum())
    assert elapsed < 2.0, f"to_scores took {elapsed:.2f} s for 1,000,000 values"
