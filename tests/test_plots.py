"""Tests for pmqa_analysis.report.plots: Thai font, every chart, export, no pyplot leaks."""

from __future__ import annotations

import base64
import io
import logging
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, fontManager

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.report import plots
from pmqa_analysis.report.plots._common import category_labels, category_title

DPI = 40  # small: fast tests
THAI = re.compile("[\u0e00-\u0e7f]")

LABELS_TH = ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def likert_summary() -> pd.DataFrame:
    # nobody chose level 1 ("น้อยที่สุด"): its column is all 0 %
    return pd.DataFrame(
        {
            "item_code": ["Q1", "Q2", "Q3"],
            "n": [40, 38, 40],
            "pct_1": [0.0, 0.0, 0.0],
            "pct_2": [10.0, 2.6, 5.0],
            "pct_3": [30.0, 21.1, 20.0],
            "pct_4": [40.0, 47.4, 45.0],
            "pct_5": [20.0, 28.9, 30.0],
        }
    )


ITEM_TH = {
    "Q1": "ขั้นตอนการให้บริการไม่ยุ่งยาก",
    "Q2": "เจ้าหน้าที่ให้บริการด้วยความสุภาพ",
    "Q3": "สถานที่สะอาด สะดวก",
}


def _xlabel(ax: Any) -> str:
    """The x axis title: the axis label, or the title of a category axis."""
    title = category_title(ax, "x")
    return str(ax.get_xlabel() if title is None else title.get_text())


def _means() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension_code": ["D1", "D2", "OVERALL"],
            "dimension_th": ["ด้านกระบวนการ", "ด้านเจ้าหน้าที่", "ภาพรวม"],
            "mean": [4.21, 4.45, 4.30],
            "lo": [4.05, 4.30, 4.18],
            "hi": [4.37, 4.60, 4.42],
            "prov": [4.10, 4.30, 4.20],
            "prev": [4.00, 4.50, 4.20],
            "n": [120, 118, 120],
        }
    )


def _trend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fiscal_year": [2565, 2566, 2567, 2565, 2566, 2567],
            "dimension_code": ["D1"] * 3 + ["D2"] * 3,
            "mean": [3.9, 4.1, 4.3, 4.0, 3.95, 4.2],
            "n": [100, 110, 120, 100, 110, 120],
        }
    )


def _matrix() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_code": ["G1", "G1", "G2", "G1"],
            "channel_code": ["walkin", "line", "walkin", "walkin"],
            "source": ["responses", "responses", "responses", "complaints"],
            "n": [10, 4, 7, 2],
        }
    )


def _counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": ["ถนน", "ไฟฟ้า", "น้ำท่วม", "ถนน", "ขยะ"],
            "month": [1, 1, 1, 2, 2],
            "n": [5, 20, 9, 6, 2],
        }
    )


def _complaints() -> pd.DataFrame:
    return pd.DataFrame({"days_to_close": [2.0, 5, 9, 14, 15, 20, np.nan], "category": ["ถนน"] * 7})


def _scorecard() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_code": ["U1", "U1", "U1", "U2", "U2"],
            "activity_code": ["CS1A", "CS1B", "CS2A", "CS1A", "CS1B"],
            "status": ["met", "partly", "not_met", "no_data", "met"],
            "reason": ["", "", "", "", ""],
        }
    )


# (name, builder(frame), frame factory): every chart with Thai labels
CHARTS: list[tuple[str, Callable[[pd.DataFrame], Figure], Callable[[], pd.DataFrame]]] = [
    (
        "likert_bars",
        lambda f: plots.likert_bars(f, labels=LABELS_TH, item_labels=ITEM_TH),
        lambda: pd.DataFrame(
            {
                "item_code": ["Q1", "Q2"],
                "n": [40, 38],
                "pct_1": [0.0, 5.3],
                "pct_2": [10.0, 5.3],
                "pct_3": [30.0, 21.0],
                "pct_4": [40.0, 42.1],
                "pct_5": [20.0, 26.3],
            }
        ),
    ),
    (
        "mean_ci_chart",
        lambda f: plots.mean_ci_chart(
            f,
            label_col="dimension_th",
            lo_col="lo",
            hi_col="hi",
            reference="prov",
            previous="prev",
            target=4.0,
        ),
        _means,
    ),
    (
        "trend_chart",
        lambda f: plots.trend_chart(
            f,
            series_col="dimension_code",
            series_labels={"D1": "ด้านกระบวนการ", "D2": "ด้านเจ้าหน้าที่"},
            target=4.0,
            ylabel="ค่าเฉลี่ย",
        ),
        _trend,
    ),
    (
        "heatmap",
        lambda f: plots.heatmap(
            f,
            row_labels={"G1": "ประชาชนทั่วไป", "G2": "ผู้ประกอบการ"},
            col_labels={"walkin": "ติดต่อด้วยตนเอง", "line": "ไลน์"},
        ),
        _matrix,
    ),
    ("pareto_chart", lambda f: plots.pareto_chart(f, category_col="category"), _counts),
    ("days_to_close_chart", lambda f: plots.days_to_close_chart(f), _complaints),
    (
        "scorecard_grid",
        lambda f: plots.scorecard_grid(f, row_labels={"U1": "สำนักงานจังหวัด", "U2": "อำเภอ"}),
        _scorecard,
    ),
]
CHART_IDS = [c[0] for c in CHARTS]


def _glyph_messages(messages: list[str]) -> list[str]:
    keys = ("missing from font", "glyph", "findfont")
    return [m for m in messages if any(k in m.lower() for k in keys)]


# ----------------------------------------------------------------------------- font


def test_thai_text_resolves_to_sarabun() -> None:
    path = findfont(FontProperties(family=plots.THAI_FONT_NAME), fallback_to_default=False)
    assert "Sarabun" in Path(path).name
    # the default family (no family named) is Sarabun too, after the import
    assert "Sarabun" in Path(findfont(FontProperties())).name


def test_thai_marks_are_shaped_tone_mark_above_upper_vowel() -> None:
    """Thai needs text shaping (matplotlib >= 3.11): in ที่ the tone mark sits above the
    vowel; matplotlib 3.10 draws both at one height, so they collide (hence the pin)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(Figure(dpi=100)).get_renderer()
    prop = FontProperties(family=plots.THAI_FONT_NAME, size=20)

    def height(text: str) -> float:
        return float(renderer.get_text_width_height_descent(text, prop, False)[1])

    assert height("ที่") > height("ที") + 3  # ่ stacked above ี, not on it
    assert height("น้ำ") > height("นำ")


def test_use_thai_font_is_idempotent_and_sets_text_fonttypes() -> None:
    before = len(fontManager.ttflist)
    assert plots.use_thai_font() == plots.THAI_FONT_NAME
    assert plots.use_thai_font() == plots.THAI_FONT_NAME
    assert len(fontManager.ttflist) == before
    rc = plt.rcParams
    assert rc["font.family"][0] == "Sarabun"
    assert rc["font.family"].count("Sarabun") == 1
    assert (rc["pdf.fonttype"], rc["ps.fonttype"], rc["svg.fonttype"]) == (42, 42, "none")


# ----------------------------------------------------------------------------- every chart


@pytest.mark.parametrize(("name", "build", "make"), CHARTS, ids=CHART_IDS)
def test_chart_renders_thai_reproducibly_without_missing_glyphs(
    name: str,
    build: Callable[[pd.DataFrame], Figure],
    make: Callable[[], pd.DataFrame],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    frame = make()
    original = frame.copy(deep=True)
    figs_before = plt.get_fignums()
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = build(frame)
            out = tmp_path / f"{name}.png"
            out.write_bytes(plots.figure_to_png_bytes(fig, dpi=DPI))
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert _glyph_messages(messages) == []
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # a second render of the same figure gives the same bytes (no timestamp, fixed layout)
    assert plots.figure_to_png_bytes(fig, dpi=DPI) == png
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == figs_before  # never registered with pyplot
    pd.testing.assert_frame_equal(frame, original)  # input not mutated
    # a title, axis labels and the note are all present
    assert fig.get_suptitle()
    ax = fig.axes[0]
    assert _xlabel(ax) or ax.get_ylabel() or category_title(ax, "y")
    assert any(t.get_fontsize() <= 7.5 and t.get_text() for t in fig.texts)
    # A4 width, and the Thai text objects use Sarabun
    assert fig.get_figwidth() == pytest.approx(7.0)
    assert "Sarabun" in Path(findfont(fig._suptitle.get_fontproperties())).name  # type: ignore[union-attr]


def test_missing_glyph_check_can_fail(tmp_path: Path) -> None:
    # control for the test above: Thai drawn in DejaVu Sans is reported
    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "ภาษาไทย", family="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "boxes.png", dpi=DPI)
    assert _glyph_messages([str(w.message) for w in caught])


@pytest.mark.parametrize("index", [0, 6], ids=["likert_bars", "scorecard_grid"])
def test_rebuilt_chart_gives_identical_png_bytes(index: int) -> None:
    _, build, make = CHARTS[index]
    first = plots.figure_to_png_bytes(build(make()), dpi=DPI)
    assert plots.figure_to_png_bytes(build(make()), dpi=DPI) == first


@pytest.mark.parametrize(("name", "build", "make"), CHARTS, ids=CHART_IDS)
def test_chart_in_english(
    name: str, build: Callable[[pd.DataFrame], Figure], make: Callable[[], pd.DataFrame]
) -> None:
    import inspect

    fn = getattr(plots, name)
    assert "language" in inspect.signature(fn).parameters
    frame = make()
    kwargs: dict[str, object] = {
        "likert_bars": {"labels": ["1", "2", "3", "4", "5"]},
        "mean_ci_chart": {"label_col": "dimension_code"},
        "pareto_chart": {"category_col": "category"},
        "trend_chart": {"series_col": "dimension_code"},
    }.get(name, {})  # type: ignore[assignment]
    fig = fn(frame, language="en", **kwargs)
    texts = [fig.get_suptitle(), _xlabel(fig.axes[0])]
    assert all(t and not THAI.search(t) for t in texts), texts
    with pytest.raises(InputError, match="language 'de' is not supported"):
        fn(frame, language="de", **kwargs)


# ----------------------------------------------------------------------------- likert


def test_likert_shows_zero_percent_level_in_legend(likert_summary: pd.DataFrame) -> None:
    fig = plots.likert_bars(likert_summary, labels=LABELS_TH, item_labels=ITEM_TH)
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == LABELS_TH  # incl. "น้อยที่สุด" at 0 %
    assert likert_summary["pct_1"].eq(0).all()


def test_likert_items_top_to_bottom_and_n_per_row(likert_summary: pd.DataFrame) -> None:
    fig = plots.likert_bars(likert_summary, labels=LABELS_TH, item_labels=ITEM_TH)
    ax = fig.axes[0]
    ticks = sorted(category_labels(ax, "y"), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in ticks] == list(ITEM_TH.values())
    assert len(ax.get_yticks()) == 0  # the items are plain texts, not ticks
    n_texts = [t.get_text() for t in ax.texts if t.get_text().startswith("n = ")]
    assert n_texts == ["n = 40", "n = 38", "n = 40"]


def _segments(fig: Figure, level: int, n_levels: int, n_items: int) -> list[tuple[float, float]]:
    """(left, width) of one level's filled bars, first item first."""
    levels = [c for c in fig.axes[0].collections if str(c.get_gid()).startswith("level-")]
    assert len(levels) == n_levels  # one collection a level
    out = []
    for path in levels[level].get_paths()[:n_items]:
        xs = path.vertices[:, 0]
        out.append((float(xs.min()), float(xs.max() - xs.min())))
    return out


def test_likert_odd_scale_splits_neutral_across_zero(likert_summary: pd.DataFrame) -> None:
    fig = plots.likert_bars(likert_summary, labels=LABELS_TH)
    neutral = _segments(fig, 2, 5, 3)
    for (left, width), pct in zip(neutral, likert_summary["pct_3"], strict=True):
        assert width == pytest.approx(pct)
        assert left == pytest.approx(-pct / 2)  # half on each side of 0
    lowest = _segments(fig, 0, 5, 3)
    row = likert_summary.iloc[0]
    assert lowest[0][0] == pytest.approx(-(row.pct_1 + row.pct_2 + row.pct_3 / 2))


def test_likert_even_scale_has_no_neutral() -> None:
    s = pd.DataFrame(
        {
            "item_code": ["A"],
            "n": [20],
            "pct_1": [10.0],
            "pct_2": [15.0],
            "pct_3": [45.0],
            "pct_4": [30.0],
        }
    )
    fig = plots.likert_bars(s, labels=["ไม่พอใจเลย", "ไม่ค่อยพอใจ", "ค่อนข้างพอใจ", "พอใจมาก"])
    third = _segments(fig, 2, 4, 1)[0]
    assert third[0] == pytest.approx(0.0)  # the positive side starts at 0
    assert _segments(fig, 0, 4, 1)[0][0] == pytest.approx(-25.0)


def test_likert_writes_percent_only_in_segments_of_5_or_more(likert_summary: pd.DataFrame) -> None:
    fig = plots.likert_bars(likert_summary, labels=LABELS_TH)
    ax = fig.axes[0]
    items = set(category_labels(ax, "y"))
    written = [t.get_text() for t in ax.texts
               if not t.get_text().startswith("n") and t not in items]  # fmt: skip
    expected = [
        f"{v:.0f}"
        for col in ["pct_1", "pct_2", "pct_3", "pct_4", "pct_5"]
        for v in likert_summary[col]
        if v >= 5
    ]
    assert written == expected
    assert "3" not in written  # 2.6 % is too small to label


def test_likert_scale_object_and_errors(likert_summary: pd.DataFrame) -> None:
    from pmqa_analysis.stats.scales import get_scale

    fig = plots.likert_bars(likert_summary, labels=get_scale("th5"), language="en")
    assert len(fig.axes[0].get_legend().get_texts()) == 5
    with pytest.raises(InputError, match="2 label\\(s\\) given for 5 level column"):
        plots.likert_bars(likert_summary, labels=["a", "b"])
    with pytest.raises(InputError, match="item 'Q1' appears more than once"):
        plots.likert_bars(pd.concat([likert_summary] * 2), labels=LABELS_TH)
    with pytest.raises(InputError, match="level column\\(s\\) pct_5 not found"):
        plots.likert_bars(likert_summary.drop(columns="pct_5"), labels={1: "a", 5: "e"})


def test_likert_row_without_answers_is_marked(likert_summary: pd.DataFrame) -> None:
    s = likert_summary.copy()
    s.loc[1, ["pct_1", "pct_2", "pct_3", "pct_4", "pct_5"]] = np.nan
    s.loc[1, "n"] = 3
    fig = plots.likert_bars(s, labels=LABELS_TH)
    assert "ข้อมูลไม่เพียงพอ" in [t.get_text() for t in fig.axes[0].texts]


# ----------------------------------------------------------------------------- other charts


def test_mean_ci_chart_markers_and_alignment_errors() -> None:
    d = _means()
    fig = plots.mean_ci_chart(
        d, label_col="dimension_code", reference="prov", previous="prev", target=4.0
    )
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["หน่วยงาน (ปีนี้)", "ภาพรวมจังหวัด", "ปีที่แล้ว", "เป้าหมาย 4"]
    means = fig.axes[0].lines[0].get_xdata()
    np.testing.assert_allclose(means, d["mean"])
    with pytest.raises(InputError, match="reference has 2 value\\(s\\) for 3 row\\(s\\)"):
        plots.mean_ci_chart(d, label_col="dimension_code", reference=[4.0, 4.1])
    with pytest.raises(InputError, match="column\\(s\\) 'average' not found"):
        plots.mean_ci_chart(d, label_col="dimension_code", mean_col="average")


def test_mean_ci_chart_leaves_a_series_without_values_out_of_the_legend() -> None:
    first_year = _means().assign(prev=float("nan"))  # no survey last year
    fig = plots.mean_ci_chart(first_year, label_col="dimension_code", reference="prov",
                              previous="prev")  # fmt: skip
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["หน่วยงาน (ปีนี้)", "ภาพรวมจังหวัด"]
    assert len(fig.axes[0].lines) == 2  # this unit and the province: no empty series


def test_mean_ci_chart_shows_a_wide_interval_whole() -> None:
    wide = _means().assign(lo=[3.0, 4.3, 3.6], hi=[5.0, 4.6, 4.9])  # n = 14: wide intervals
    ax = plots.mean_ci_chart(wide, label_col="dimension_code", lo_col="lo", hi_col="hi").axes[0]
    left, right = ax.get_xlim()
    assert left < 3.0 and right > 5.0  # both ends (and their caps) inside the axes


def test_mean_ci_chart_rows_are_texts_each_beside_its_marker_with_a_guide_line() -> None:
    d = _means()
    fig = plots.mean_ci_chart(d, label_col="dimension_code", labels={"D1": "กระบวนการ"})
    ax = fig.axes[0]
    fig.canvas.draw()
    assert len(ax.get_yticks()) == 0  # the rows are plain texts, not ticks
    names = category_labels(ax, "y")
    assert [t.get_text() for t in names] == ["กระบวนการ", *map(str, d["dimension_code"][1:])]
    marker_y = ax.transData.transform(ax.lines[0].get_xydata())[:, 1]
    label_y = [t.get_window_extent().y0 + t.get_window_extent().height / 2 for t in names]
    np.testing.assert_allclose(label_y, marker_y, atol=1.0)  # each name level with its mean
    right = max(t.get_window_extent().x1 for t in names)
    assert right < ax.bbox.x0  # beside the axes, never inside them
    (rows,) = [c for c in ax.collections if c.get_gid() == "row-grid"]
    row_lines = ax.transData.transform([seg[0] for seg in rows.get_segments()])
    np.testing.assert_allclose(sorted(row_lines[:, 1]), sorted(marker_y), atol=1e-6)
    assert rows.get_zorder() < ax.lines[0].get_zorder()  # below the markers


def test_trend_chart_labels_years_in_buddhist_era() -> None:
    t = pd.DataFrame({"fiscal_year": [2022, 2023, 2024], "mean": [3.9, 4.0, 4.2]})
    fig = plots.trend_chart(t)
    assert [x.get_text() for x in plots.tick_labels(fig.axes[0], "x")] == ["2565", "2566", "2567"]
    with pytest.raises(InputError, match="several rows for the same fiscal_year"):
        plots.trend_chart(_trend())


def test_trend_chart_axis_label_in_thai_and_small_changes_not_magnified() -> None:
    t = pd.DataFrame({"fiscal_year": [2565, 2566, 2567], "mean": [4.04, 4.08, 4.09]})
    ax = plots.trend_chart(t).axes[0]
    assert ax.get_ylabel() == "ค่าเฉลี่ย"
    assert plots.trend_chart(t, language="en").axes[0].get_ylabel() == "Mean"
    lo, hi = ax.get_ylim()
    assert hi - lo < 0.1  # by default the axis fits the data
    lo, hi = plots.trend_chart(t, min_span=1.0, limits=(1, 5)).axes[0].get_ylim()
    assert hi - lo == pytest.approx(1.0) and lo < 4.04 and hi > 4.09
    high = pd.DataFrame({"fiscal_year": [2566, 2567], "mean": [4.9, 4.95]})
    lo, hi = plots.trend_chart(high, min_span=1.0, limits=(1, 5)).axes[0].get_ylim()
    assert (lo, hi) == pytest.approx((4.0, 5.0))  # kept inside the scale


def test_slanted_category_labels_are_one_line_each() -> None:
    names = ["ตู้รับความคิดเห็น", "ศูนย์ดำรงธรรมจังหวัด", "โทรศัพท์/สายด่วน 1111",
             "LINE/Facebook", "ติดต่อด้วยตนเอง", "เว็บไซต์/อีเมล"]  # fmt: skip
    m = pd.DataFrame({"group_code": "G1", "channel_code": names, "n": range(6)})
    fig = plots.heatmap(m, col_order=names)
    labels = category_labels(fig.axes[0], "x")
    assert [t.get_text() for t in labels] == names  # no line breaks: wrapped + slanted collide
    assert {t.get_rotation() for t in labels} == {45.0}
    few = plots.heatmap(m.head(2), col_order=names[:2])
    assert {t.get_rotation() for t in category_labels(few.axes[0], "x")} == {45.0}  # a long name
    short = plots.heatmap(m.assign(channel_code=["A", "B", "C", "D", "E", "F"]).head(3))
    assert {t.get_rotation() for t in category_labels(short.axes[0], "x")} == {0.0}


@pytest.mark.parametrize("slanted", [False, True])
def test_category_axis_titles_clear_their_labels_inside_the_figure(slanted: bool) -> None:
    names = ["ตู้รับความคิดเห็น", "ศูนย์ดำรงธรรมจังหวัด", "โทรศัพท์/สายด่วน 1111", "LINE/Facebook",
             "ติดต่อด้วยตนเอง", "เว็บไซต์/อีเมล"][: 6 if slanted else 2]  # fmt: skip
    m = pd.DataFrame({"group_code": "กลุ่มผู้รับบริการทั่วไป", "channel_code": names, "n": 3})
    counts = pd.DataFrame({"category": names, "n": range(1, len(names) + 1)})
    scores = pd.DataFrame({"unit_code": "U1", "activity_code": ["CS1A", "CS1B"], "status": "met"})
    for fig in (plots.heatmap(m, col_order=names),
                plots.pareto_chart(counts, category_col="category"),
                plots.scorecard_grid(scores, row_labels={"U1": "สำนักงานจังหวัด"})):  # fmt: skip
        ax = fig.axes[0]
        fig.canvas.draw()
        page = fig.bbox
        for axis in ("x", "y"):
            title, labels = category_title(ax, axis), category_labels(ax, axis)
            if title is None:
                continue
            box = title.get_window_extent()
            assert (
                page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 <= box.y1 <= page.y1
            )
            for label in labels:
                near = label.get_window_extent()
                if axis == "y":
                    assert box.x1 <= near.x0 and near.x1 <= ax.bbox.x0  # title | label | axes
                elif near.y1 <= ax.bbox.y0:  # labels below: the title below them
                    assert box.y1 <= near.y0
                else:  # labels on top (the scorecard): the title above them
                    assert near.y0 >= ax.bbox.y1 and box.y0 >= near.y1


def test_heatmap_sums_sources_and_shows_zero_cells() -> None:
    fig = plots.heatmap(_matrix(), col_order=["walkin", "line", "web"])
    # G1 walkin = 10 + 2 (two sources); G2 line and both web cells are 0
    cells = [t.get_text() for t in fig.axes[0].texts if t.get_gid() is None]
    assert cells == ["12", "4", "0", "7", "0", "0"]
    assert fig.texts[-1].get_text() == "รวม n = 23"


def test_heatmap_of_means_marks_missing_cells_and_takes_a_colour_range() -> None:
    means = pd.DataFrame({"unit_code": ["U1", "U1", "U2"], "dim": ["A", "B", "A"],
                          "mean": [4.2, 3.1, 4.0]})  # fmt: skip
    fig = plots.heatmap(means, row="unit_code", col="dim", value="mean", value_format="{:.2f}",
                        vmin=3, vmax=5)  # fmt: skip
    ax = fig.axes[0]
    # U2 has no mean for B (suppressed): "–", not a mean of 0
    assert [t.get_text() for t in ax.texts if t.get_gid() is None] == ["4.20", "3.10", "4.00", "–"]
    assert ax.images[0].get_clim() == (3.0, 5.0)
    counts = plots.heatmap(_matrix(), col_order=["walkin", "line", "web"])
    assert counts.axes[0].images[0].get_clim() == (0.0, 12.0)  # counts: from 0 to the largest


def test_pareto_sorted_with_cumulative_percent() -> None:
    fig = plots.pareto_chart(_counts(), category_col="category")
    ax, twin = fig.axes
    assert [t.get_text() for t in category_labels(ax, "x")] == ["ไฟฟ้า", "ถนน", "น้ำท่วม", "ขยะ"]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [20, 11, 9, 2]
    np.testing.assert_allclose(twin.lines[0].get_ydata(), np.cumsum(heights) / 42 * 100)
    lumped = plots.pareto_chart(_counts(), category_col="category", max_categories=2)
    assert [t.get_text() for t in category_labels(lumped.axes[0], "x")] == ["ไฟฟ้า", "อื่น ๆ"]
    assert [p.get_height() for p in lumped.axes[0].patches] == [20, 22]


def test_days_to_close_percent_within_standard() -> None:
    # closed: 2, 5, 9, 14, 15 within 15 days, 20 beyond -> 5 of 6 = 83.3 %; one still open
    fig = plots.days_to_close_chart(_complaints(), standard_days=15)
    assert fig.get_suptitle() == ("ระยะเวลาแจ้งผลเรื่องร้องเรียน: ภายใน 15 วัน ร้อยละ 83.3 (n = 6)")
    ax = fig.axes[0]
    assert [ln.get_xdata()[0] for ln in ax.lines] == [15.5]
    assert "ยังไม่ปิด 1 เรื่อง" in fig.texts[-1].get_text()
    # one bar per day that has cases (no empty bars), beyond the standard hatched
    bars = [(p.get_x() + p.get_width() / 2, p.get_y(), p.get_height(), p.get_hatch())
            for p in ax.patches]  # fmt: skip
    assert bars == [(2, 0, 1, None), (5, 0, 1, None), (9, 0, 1, None), (14, 0, 1, None),
                    (15, 0, 1, None), (20, 0, 1, "//")]  # fmt: skip
    assert ax.get_xlim()[0] == -0.5 and ax.get_xlim()[1] > 20.5  # every bin to the last
    # the 4-day bin of days 12-15 straddles a 14-day standard: late cases stack on early
    wide = plots.days_to_close_chart(pd.DataFrame({"days_to_close": [13, 14, 15, 15]}),
                                     standard_days=14, bin_days=4)  # fmt: skip
    assert [(p.get_y(), p.get_height()) for p in wide.axes[0].patches] == [(0, 2), (2, 2)]
    strict = plots.days_to_close_chart(_complaints(), standard_days=7, language="en")
    assert strict.get_suptitle() == "Days to close: 33.3% within 7 days (n = 6)"
    empty = plots.days_to_close_chart(pd.DataFrame({"days_to_close": [np.nan]}))
    assert "ไม่มีเรื่องที่ปิดแล้ว" in [t.get_text() for t in empty.axes[0].texts]
    with pytest.raises(InputError, match="1 case\\(s\\) with negative days_to_close"):
        plots.days_to_close_chart(pd.DataFrame({"days_to_close": [3.0, -2.0]}))


def test_scorecard_grid_statuses_hatches_and_errors() -> None:
    fig = plots.scorecard_grid(_scorecard())
    ax = fig.axes[0]
    # U2 has no row for CS2A: drawn as "no data"
    assert [t.get_text() for t in ax.texts if t.get_gid() is None] == [
        "ผ่าน",
        "ผ่านบางส่วน",
        "ไม่ผ่าน",
        "ไม่มีข้อมูล",
        "ผ่าน",
        "ไม่มีข้อมูล",
    ]
    hatches = [h.get_hatch() or "" for h in ax.get_legend().legend_handles]  # type: ignore[union-attr]
    assert len(set(hatches)) == 4  # one distinct pattern per status for B/W print
    bad = _scorecard().assign(status=["met", "ok", "met", "met", "met"])
    with pytest.raises(InputError, match=r"unknown status 'ok'.*expected one of 'met'"):
        plots.scorecard_grid(bad)
    with pytest.raises(InputError, match="several rows for unit_code='U1', activity_code='CS1A'"):
        plots.scorecard_grid(pd.concat([_scorecard(), _scorecard().head(1)]))


def test_figure_to_data_uri_round_trips() -> None:
    fig = plots.trend_chart(_trend().head(3))
    uri = plots.figure_to_data_uri(fig, dpi=DPI)
    assert uri.startswith("data:image/png;base64,")
    raw = base64.b64decode(uri.split(",", 1)[1])
    assert raw == plots.figure_to_png_bytes(fig, dpi=DPI)
    assert b"Software" not in raw and b"matplotlib" not in raw.lower()
    with pytest.raises(InputError, match="expected a matplotlib Figure, found str"):
        plots.figure_to_png_bytes("chart.png")  # type: ignore[arg-type]


def test_charts_share_text_measurements_and_get_the_same_layout() -> None:
    from matplotlib.backends.backend_agg import RendererAgg

    from pmqa_analysis.report import _mpl_adapter as _common

    frame = _trend().head(3)
    calls: list[str] = []
    real = RendererAgg.get_text_width_height_descent

    def counting(self: RendererAgg, s: str, prop: FontProperties, ismath: object) -> object:
        calls.append(s)
        return real(self, s, prop, ismath)

    _common._MEASURED.clear()
    _common._LAYOUTS.clear()  # a remembered layout measures nothing
    RendererAgg.get_text_width_height_descent = counting  # type: ignore[method-assign]
    try:
        first = plots.trend_chart(frame, title="ค่าเฉลี่ยรายปี")
        measured = len(calls)
        second = plots.trend_chart(frame, title="ค่าเฉลี่ยรายปี")
        assert measured > 5 and len(calls) == measured, calls[measured:]  # all remembered
        bigger = plots.trend_chart(frame, title="ค่าเฉลี่ยรายปี")
        bigger.texts[0].set_fontsize(20)
        bigger.canvas.draw()
        assert "ค่าเฉลี่ยรายปี" in calls[measured:]  # another size is measured anew
    finally:
        RendererAgg.get_text_width_height_descent = real  # type: ignore[method-assign]
    boxes = [ax.get_position().bounds for ax in first.axes]
    assert boxes == [ax.get_position().bounds for ax in second.axes]
    assert plots.figure_to_svg(first, prefix="t") == plots.figure_to_svg(second, prefix="t")


def test_shared_measurements_give_matplotlibs_own_layout_and_svg(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kit's canvas (shared text sizes and font line metrics, its own print_svg) must
    draw exactly what matplotlib's plain Agg canvas and SVG backend draw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_svg import RendererSVG

    from pmqa_analysis.report import _mpl_adapter as _common

    likert = pd.DataFrame({"item_code": ["Q1", "Q2"], "n": [40, 38],
                           "pct_1": [5.0, 0.0], "pct_2": [10.0, 5.0], "pct_3": [25.0, 30.0],
                           "pct_4": [40.0, 40.0], "pct_5": [20.0, 25.0]})  # fmt: skip
    labels = ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]

    def charts() -> list[Figure]:
        return [
            plots.trend_chart(_trend().head(3), title="ค่าเฉลี่ยรายปี\nสองบรรทัด"),
            plots.likert_bars(
                likert,
                labels=labels,
                item_labels=["ข้อหนึ่ง", "ข้อสอง"],
                title="การกระจายของคำตอบ",
                language="en",
            ),
        ]

    _common._MEASURED.clear()
    _common._HEIGHTS.clear()
    _common._LAYOUTS.clear()
    shared = charts()
    again = charts()  # every measurement and text layout now comes from the shared tables
    assert _common._MEASURED and _common._HEIGHTS and _common._LAYOUTS
    svg_measured: list[str] = []
    real = RendererSVG.get_text_width_height_descent

    def counting(self: RendererSVG, s: str, prop: FontProperties, ismath: object) -> object:
        svg_measured.append(s)
        return real(self, s, prop, ismath)

    monkeypatch.setattr(RendererSVG, "get_text_width_height_descent", counting)
    kit = [plots.figure_to_svg(f, prefix="c") for f in shared]
    first = len(svg_measured)
    assert first > 5 and [plots.figure_to_svg(f, prefix="c") for f in again] == kit
    assert len(svg_measured) == first  # the second SVGs measured nothing anew
    monkeypatch.setattr(_common, "_MeasuringCanvas", FigureCanvasAgg)  # matplotlib's own
    plain = charts()
    assert all(type(f.canvas) is FigureCanvasAgg for f in plain)
    for ours, theirs in zip(shared, plain, strict=True):
        assert [a.get_position().bounds for a in ours.axes] == [
            a.get_position().bounds for a in theirs.axes
        ]
    assert [plots.figure_to_svg(f, prefix="c") for f in plain] == kit  # byte for byte

    def saved(fig: Figure) -> bytes:  # a user's own savefig, cropped, to a binary file
        out = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "c"}):
            fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
        return out.getvalue()

    assert saved(shared[1]) == saved(plain[1])


def _pixels(fig: Figure) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]


@pytest.mark.parametrize("index", range(len(CHARTS)), ids=CHART_IDS)
def test_frozen_ticks_draw_the_pixels_of_matplotlibs_own_ticks(
    index: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every chart kind, drawn with its ticks as plain artists, against the same chart with
    matplotlib's live ticks (the layout and every pixel; an axis title, twin axes, a colour
    bar, slanted labels, grid lines clipped to the axes included)."""
    from pmqa_analysis.report.plots import _common

    _, build, frame = CHARTS[index]
    frozen = build(frame())
    monkeypatch.setattr(_common, "freeze_ticks", lambda fig: [])
    live = build(frame())
    assert not any(isinstance(a, plots._ticks.FrozenTicks) for ax in live.axes for a in ax.artists)
    assert [a.get_position().bounds for a in frozen.axes] == [
        a.get_position().bounds for a in live.axes
    ]
    np.testing.assert_array_equal(_pixels(frozen), _pixels(live))


def test_frozen_ticks_are_the_axis_ticks_for_the_final_size_and_can_be_thawed() -> None:
    from pmqa_analysis.report.plots._ticks import FrozenTicks, _shown_locs

    fig = plots.days_to_close_chart(_complaints(), standard_days=15)  # automatic locators
    ax = fig.axes[0]
    items = [a for a in ax.artists if isinstance(a, FrozenTicks)]
    assert sorted(i.name for i in items) == ["x", "y"]
    for item in items:  # the ticks the axis would choose at its laid-out size
        axis = ax.xaxis if item.name == "x" else ax.yaxis
        assert _shown_locs(axis, item.locator)[1] == item.locs
        assert [t.get_text() for t in plots.tick_labels(ax, item.name)] == [
            t.get_text() for t in item.labels
        ]
    assert len(ax.get_xticks()) == 0 and not ax.xaxis.label.get_visible()
    assert plots.axis_title(ax, "y").get_text() == ax.get_ylabel() == "จำนวนเรื่อง"
    before = [t.get_text() for t in plots.tick_labels(ax, "x")]
    assert before[0] == "0" and len(before) > 3
    plots.thaw_ticks(fig)
    assert not any(isinstance(a, FrozenTicks) for a in ax.artists)
    assert ax.xaxis.label.get_visible() and plots.tick_labels(ax, "x") == []
    ax.set_xlim(0, 100)  # a caller's change after thawing: matplotlib's ticks follow it
    assert max(ax.get_xticks()) >= 100


def test_an_axis_with_an_offset_or_minor_ticks_keeps_matplotlibs_ticks() -> None:
    from pmqa_analysis.report.plots._common import finish, new_figure

    fig = new_figure(3.0, None)
    ax = fig.add_subplot()
    ax.plot([1_000_000.0, 1_000_001.0], [1.0, 10.0])  # x: an offset text ("+1e6")
    ax.set_yscale("log")  # y: minor ticks
    finish(fig, "ทดสอบ", None)
    assert plots.tick_labels(ax, "x") == [] and plots.tick_labels(ax, "y") == []
    assert len(ax.get_xticks()) > 0 and len(ax.get_yticks()) > 0


def test_figure_to_svg_is_inline_text_kept_as_text_ids_of_its_own() -> None:
    evil = "<script>alert(1)</script>"
    likert = plots.likert_bars(
        pd.DataFrame({"item_code": ["Q1"], "n": [40], "pct_1": [5.0], "pct_2": [10.0],
                      "pct_3": [25.0], "pct_4": [40.0], "pct_5": [20.0]}),
        labels=["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"],
        item_labels=[evil], title="การกระจายของคำตอบ",
    )  # fmt: skip
    trend = plots.trend_chart(_trend().head(3))
    a = plots.figure_to_svg(likert, alt='ผลรายข้อ "A"', prefix="likert 1")
    b = plots.figure_to_svg(trend, alt="trend", prefix="trend-2")
    # an element to place inside HTML: no XML declaration or DOCTYPE, scaled to its box
    assert a.startswith('<svg role="img" aria-label="ผลรายข้อ &quot;A&quot;" style="max-width:100%')
    assert "<?xml" not in a and "DOCTYPE" not in a and a.rstrip().endswith("</svg>")
    assert "<title>ผลรายข้อ &quot;A&quot;</title>" in a and 'viewBox="0 0 504 ' in a
    # text stays text (the page's Sarabun draws it), the user's label escaped
    assert ">การกระจายของคำตอบ</text>" in a and "font-family: 'Sarabun'" in a
    assert evil not in a and "&lt;script&gt;alert(1)&lt;/script&gt;" in a
    # every id has the chart's prefix, every reference points at an id of the same chart
    for svg, tag in ((a, "likert-1-"), (b, "trend-2-")):
        ids = re.findall(r'id="([^"]+)"', svg)
        refs = re.findall(r'(?:url\(#|href="#)([^"\)]+)', svg)
        assert ids and all(i.startswith(tag) for i in ids), ids[:5]
        assert refs and set(refs) <= set(ids), sorted(set(refs) - set(ids))[:5]
    assert not set(re.findall(r'id="([^"]+)"', a)) & set(re.findall(r'id="([^"]+)"', b))
    # the same chart gives the same markup (no date, no random salt)
    assert a == plots.figure_to_svg(likert, alt='ผลรายข้อ "A"', prefix="likert 1")
    with pytest.raises(InputError, match="expected a matplotlib Figure, found str"):
        plots.figure_to_svg("chart.svg")  # type: ignore[arg-type]


@pytest.mark.parametrize("index", range(len(CHARTS)), ids=CHART_IDS)
def test_figure_to_svg_on_one_line_is_matplotlibs_drawing(
    index: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-line SVG holds matplotlib's elements, attributes and texts unchanged: only
    the line breaks and indentation between and inside them (path data) are gone."""
    import xml.etree.ElementTree as ET

    from pmqa_analysis.report.plots import export

    _, build, frame = CHARTS[index]
    fig = build(frame())
    one_line = plots.figure_to_svg(fig, alt="chart", prefix="c")
    monkeypatch.setattr(export, "_SVG_BREAK", re.compile(r"(?!)"))  # matches nothing
    as_written = plots.figure_to_svg(fig, alt="chart", prefix="c")
    assert "\n" not in one_line and as_written.count("\n") > 50

    def tree(svg: str) -> list[tuple[str, dict[str, str], str, str]]:
        def words(text: str | None) -> str:
            return " ".join((text or "").split())

        return [(e.tag, {k: words(v) for k, v in e.attrib.items()}, words(e.text), words(e.tail))
                for e in ET.fromstring(svg).iter()]  # fmt: skip

    assert tree(one_line) == tree(as_written)


# ----------------------------------------------------------------------------- published data


def test_likert_bars_draws_the_published_math_anxiety_percentages(refdata: Path) -> None:
    # item_summary -> likert_bars on the R likert package's mass data: every segment's
    # width is the published percentage (MathAnxiety.csv), items in questionnaire order
    from conftest import refdata_file

    from pmqa_analysis.stats.item_summary import item_summary

    raw = pd.read_csv(refdata_file(refdata, "likert/mass.csv"))
    published = pd.read_csv(refdata_file(refdata, "likert/MathAnxiety.csv"))
    levels = list(published.columns[1:])
    items = [c for c in raw.columns if c != "Gender"]
    scores = raw[items].apply(lambda col: col.map({lab: i + 1 for i, lab in enumerate(levels)}))
    summary = item_summary(scores, items)
    fig = plots.likert_bars(summary, labels=levels, language="en", wrap_at=0)
    widths = np.array(
        [[w for _, w in _segments(fig, j, 5, len(items))] for j in range(len(levels))]
    ).T
    expected = published.set_index("Item").loc[items, levels].to_numpy()
    np.testing.assert_allclose(widths, expected, rtol=0, atol=1e-9)
    first = widths[0].round().astype(int).tolist()
    assert first == [10, 15, 10, 35, 30]  # "I find math interesting." as published
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == levels
    ticks = sorted(category_labels(fig.axes[0], "y"), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in ticks] == items
