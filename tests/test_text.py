"""Tests for pmqa_analysis.cs.comments and cs.themes (Thai open comments, lexicon)."""

from __future__ import annotations

import socket
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import CatalogueError, InputError
from pmqa_analysis.cs.comments import (
    example_comments,
    tag_themes,
    theme_counts,
    tokenize,
    top_words,
)
from pmqa_analysis.cs.themes import DIMENSIONS, load_themes


@pytest.fixture
def fake_mask(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A recording stand-in for pmqa_analysis.workspace.privacy.mask_pii."""
    calls: list[list[str]] = []

    def mask_pii(texts: pd.Series) -> pd.Series:
        calls.append(list(texts))
        return texts.str.replace(r"0\d{8,9}", "[โทรศัพท์]", regex=True)

    module = types.ModuleType("pmqa_analysis.workspace.privacy")
    module.mask_pii = mask_pii  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pmqa_analysis.workspace.privacy", module)
    return calls


def _themes_of(text: str) -> set[str]:
    return set(tag_themes(pd.Series([text]))["theme_code"])


def _responses(n: int = 90, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    praise = ["เจ้าหน้าที่ยิ้มแย้ม", "บริการรวดเร็ว", "ไม่มี", None, "เจ้าหน้าที่สุภาพมาก"]
    improve = ["ที่จอดรถไม่พอ", "ห้องน้ำสกปรก", "ควรมีบริการออนไลน์", "", "-", "ป้ายบอกทางไม่ชัด"]
    dissat = ["รอนานมาก คิวยาว", "โทรไม่ติด", "เจ้าหน้าที่พูดจาไม่ดี", None, "ขั้นตอนยุ่งยาก"]
    return pd.DataFrame(
        {
            "respondent_id": [f"R{i:03d}" for i in range(n)],
            "unit_code": rng.choice(["U1", "U2", "U3"], n),
            "fiscal_year": rng.choice([2566, 2567], n),
            "comment_praise": rng.choice(np.array(praise, dtype=object), n),
            "comment_improve": rng.choice(np.array(improve, dtype=object), n),
            "comment_dissatisfied": rng.choice(np.array(dissat, dtype=object), n),
        }
    )


def test_thai_sentences_tagged() -> None:
    assert {"staff-polite", "waiting"} <= _themes_of("เจ้าหน้าที่พูดจาสุภาพ แต่รอนานมาก")
    assert "staff-polite" not in _themes_of("เจ้าหน้าที่ไม่ค่อยสุภาพ")
    assert "staff-rude" in _themes_of("เจ้าหน้าที่ไม่ค่อยสุภาพ")
    # split by spaces or a filler word still matches the phrase
    assert "waiting" in _themes_of("รอ นาน")
    assert "waiting" in _themes_of("รอค่อนข้างนาน")
    assert _themes_of("ที่จอดรถน้อย ห้องน้ำไม่สะอาด") >= {"parking", "toilets"}
    assert _themes_of("โทรไม่ติดเลย ข้อมูลไม่ชัดเจน") >= {"phone", "unclear-info"}
    assert "online" in _themes_of("อยากให้มีบริการผ่าน LINE")
    assert _themes_of("ไม่มี") == set() and _themes_of("   ") == set()


def test_tokenize_removes_stopwords_punctuation_digits() -> None:
    s = pd.Series(["ห้องน้ำ สกปรก และ ที่จอดรถ ไม่พอ!!! ๑๒ 34", np.nan, ""], index=[5, 6, 7])
    out = tokenize(s)
    assert list(out.index) == [5, 6, 7]
    words = out[5]
    assert "ห้องน้ำ" in words and "ที่จอดรถ" in words
    assert "และ" not in words  # a PyThaiNLP stop word
    assert not any(w.strip() == "" or w.isdigit() or "!" in w for w in words)
    assert out[6] == [] and out[7] == []


def test_theme_counts_against_direct_count() -> None:
    r = _responses()
    t = theme_counts(r)
    assert len(t) == 3 * 3 * len(load_themes())
    row = t[(t.unit_code == "U1") & (t.column == "improve") & (t.theme_code == "parking")]
    sel = r.loc[r.unit_code == "U1", "comment_improve"]
    assert row["n_comments"].item() == (sel == "ที่จอดรถไม่พอ").sum()
    n_total = sel.notna().sum() - sel.isin(["", "-"]).sum()
    assert row["n_total_comments"].item() == n_total
    assert row["pct_of_comments"].item() == pytest.approx(100 * row["n_comments"].item() / n_total)
    assert set(t["column"]) == {"praise", "improve", "dissatisfied"}
    assert set(t["dimension"]) <= set(DIMENSIONS)


def test_all_units_equal_one_at_a_time() -> None:
    r = _responses()
    before = r.copy()
    by = ["unit_code", "fiscal_year"]
    whole = theme_counts(r, by=by)
    parts = pd.concat(
        [theme_counts(r[r.unit_code == u], by=by) for u in ["U1", "U2", "U3"]],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(whole, parts)
    pd.testing.assert_frame_equal(r, before)


def test_empty_and_nan_comments() -> None:
    r = pd.DataFrame(
        {
            "unit_code": ["U1", "U1"],
            "comment_praise": [None, ""],
            "comment_improve": [np.nan, "ไม่มี"],
            "comment_dissatisfied": [pd.NA, "-"],
        }
    )
    t = theme_counts(r)
    assert (t["n_total_comments"] == 0).all() and (t["n_comments"] == 0).all()
    assert t["pct_of_comments"].isna().all()
    assert tag_themes(r["comment_praise"]).empty


def test_example_comments_masked_and_deterministic(fake_mask: list[list[str]]) -> None:
    r = _responses()
    r.loc[0, ["unit_code", "comment_dissatisfied"]] = ["U1", "รอนานมาก โทร 0812345678"]
    ex = example_comments(r, "waiting", k=2, seed=0)
    assert fake_mask, "example_comments must pass comments through mask_pii"
    assert not ex["comment"].str.contains("0812345678").any()
    assert ex.groupby("unit_code").size().max() <= 2
    assert ex.equals(example_comments(r, "waiting", k=2, seed=0))
    shuffled = r.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(ex, example_comments(shuffled, "waiting", k=2, seed=0))
    one = example_comments(r[r.unit_code == "U2"], "waiting", k=2, seed=0)
    pd.testing.assert_frame_equal(ex[ex.unit_code == "U2"].reset_index(drop=True), one)
    assert set(ex.columns) == {"unit_code", "column", "respondent_id", "comment"}
    with pytest.raises(InputError, match="theme 'nope' not found"):
        example_comments(r, "nope")


def test_top_words_masked(fake_mask: list[list[str]]) -> None:
    r = pd.DataFrame(
        {
            "unit_code": ["U1", "U1", "U2"],
            "comment_improve": ["ห้องน้ำสกปรก", "ห้องน้ำน้อย ห้องน้ำ", "โทร 0812345678"],
        }
    )
    w = top_words(r, columns=["comment_improve"], k=2)
    assert fake_mask
    top = w[(w.unit_code == "U1") & (w["rank"] == 1)]
    assert top[["word", "n", "n_comments"]].values.tolist() == [["ห้องน้ำ", 3, 2]]
    assert not w["word"].str.contains("0812345678").any()
    assert w.groupby("unit_code").size().max() <= 2


def test_example_comments_with_real_masker() -> None:
    pytest.importorskip(
        "pmqa_analysis.workspace.privacy", reason="privacy module not integrated yet"
    )
    r = pd.DataFrame({"unit_code": ["U1"], "comment_improve": ["รอนาน ติดต่อ 0812345678"]})
    ex = example_comments(r, "waiting", columns=["comment_improve"])
    assert len(ex) == 1 and "0812345678" not in ex.loc[0, "comment"]


def test_no_network_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert "waiting" in _themes_of("คิวยาวมาก")
    assert tokenize(pd.Series(["เว็บไซต์ใช้งานยาก"]))[0]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    return path


THEME = """
[[themes]]
code = "{code}"
th = "ไฟดับ"
en = "Power cuts"
dimension = "{dim}"
cs_code = "CS6"
polarity = "negative"
keywords = {kw}
"""


def test_user_lexicon_merge(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        THEME.format(code="power", dim="FACILITIES", kw='["ไฟดับ"]')
        + THEME.format(code="parking", dim="FACILITIES", kw='["ลานจอด"]'),
    )
    themes = load_themes(path)
    assert len(themes) == len(load_themes()) + 1
    assert themes.set_index("code").loc["parking", "keywords"] == ("ลานจอด",)
    assert themes.set_index("code").loc["power", "source"] == str(path)
    tags = tag_themes(pd.Series(["ไฟดับบ่อย", "ที่จอดรถเต็ม"]), themes)
    assert tags["theme_code"].tolist() == ["power"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (THEME.format(code="x", dim="STAFF", kw='["a"]') * 2, r"theme x, field code: duplicate"),
        (THEME.format(code="x", dim="STAFF", kw="[]"), r"theme x, field keywords: empty"),
        (
            THEME.format(code="x", dim="PARKING", kw='["a"]'),
            r"theme x, field dimension: unknown dimension 'PARKING'",
        ),
        ("[[themes]\n", r"not valid TOML"),
        ("[meta]\n", r"no \[\[themes\]\] entries"),
    ],
)
def test_user_lexicon_invalid(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(CatalogueError, match=message) as info:
        load_themes(path)
    assert "mine.toml" in str(info.value)


def test_user_lexicon_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not found"):
        load_themes(tmp_path / "absent.toml")


def test_builtin_lexicon_shape() -> None:
    themes = load_themes()
    assert 15 <= len(themes) <= 25 and themes["code"].is_unique
    assert set(themes["dimension"]) == set(DIMENSIONS)
    assert {"CS2", "CS3", "CS4"} <= set(themes["cs_code"])
    assert themes["keywords"].map(len).gt(0).all()
