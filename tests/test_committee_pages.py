"""Committee-ready outputs (issue 18): every page whole, headline first, the booklet.

On the session's sample batch (``e2e_support.sample_batch``, 4 units, all under-sampled):

- every HTML page of the run (index, overview, unit reports, self-assessments in
  ``units/`` and ``assessment/``) is a whole document with the charset and the embedded
  Sarabun;
- a unit report opens with its headline block, each sentence carrying the numbers of the
  prepared results (Thai; English with ``language="en"``), a reader's line instead of the
  kit's wording, the scorecard's reasons as lists;
- the index opens with the province's headline (target reached k of n, under-sampled,
  failed), a status colour per unit, and a failed unit's error even when only its
  ``status.json`` carries it;
- the overview ranks only units whose sample is adequate and lists the others apart;
- the booklet PDF holds the index, the overview and every unit, in Sarabun;
- in Chromium (this machine has no Thai system font), every text node of each page kind
  is drawn with the embedded Sarabun and nothing else (DevTools protocol
  ``CSS.getPlatformFontsForNode``), and a screenshot of each page kind is written to the
  test's temporary folder.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import e2e_support as support
import pandas as pd
import pytest

from pmqa_analysis.core.labels import SCORECARD_STATUS

UNIT = "U02"
#: page kind -> page inside the run folder
PAGES = {
    "index": "index.html",
    "unit_report": f"units/{UNIT}/report.html",
    "overview": "province/overview.html",
    "self_assessment": f"units/{UNIT}/self_assessment.html",
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> support.Batch:
    return support.sample_batch_ok(tmp_path_factory.getbasetemp())


def _run_copy(batch: support.Batch, tmp_path: Path) -> Path:
    """A copy of the batch's results and assessments: the reports stage tables in their run."""
    run = tmp_path / "run"
    shutil.copytree(batch.run_dir / "results", run / "results")
    shutil.copytree(batch.run_dir / "assessment", run / "assessment")
    return run


def _meta(run: Path) -> dict[str, Any]:
    return json.loads((run / "results" / "meta.json").read_text("utf-8"))


def _overall(run: Path) -> pd.DataFrame:
    dims = pd.read_parquet(run / "results" / "dimensions.parquet")
    fy = _meta(run)["fiscal_year"]
    over = dims[(dims["dimension_code"] == "OVERALL") & (dims["fiscal_year"] == fy)]
    return over.set_index("unit_code")


def _text(html: str) -> str:
    """The page's text without tags (entities kept as they are)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------- whole documents


def test_every_page_of_the_run_is_a_whole_document_with_the_font(batch: support.Batch) -> None:
    run = batch.run_dir
    pages = sorted(run.glob("**/*.html"))
    kinds = {p.name for p in pages}
    assert {"index.html", "overview.html", "report.html", "self_assessment.html"} <= kinds
    # both copies of each unit's self-assessment
    assert len(list(run.glob("assessment/*/self_assessment.html"))) == len(batch.units)
    assert len(list(run.glob("units/*/self_assessment.html"))) == len(batch.units)
    for page in pages:
        html = page.read_text("utf-8")
        head = html[: html.find("</head>")]
        assert html.lstrip().lower().startswith("<!doctype html>"), page
        assert re.search(r'<html lang="(th|en)"', html), page
        assert re.search(r'<meta charset="utf-8"\s*/?>', head, re.IGNORECASE), page
        assert "@font-face { font-family: Sarabun" in head and "base64," in head, page
        assert html.rstrip().endswith("</html>"), page


def test_self_assessment_page_lists_each_gaps_reasons(batch: support.Batch) -> None:
    run = batch.run_dir
    card = json.loads((run / "assessment" / UNIT / "scorecard.json").read_text("utf-8"))
    gaps = [a for a in card["activities"] if a["status"] in ("partly", "not_met")]
    html = (run / "units" / UNIT / "self_assessment.html").read_text("utf-8")
    assert html == (run / "assessment" / UNIT / "self_assessment.html").read_text("utf-8")
    lists = re.findall(r'<ul class="pmqa-reasons">(.*?)</ul>', html)
    assert len(lists) == len(gaps)
    for gap, items in zip(gaps, lists, strict=True):
        assert items.count("<li>") == len(gap["reason_th"].split("; "))
    # a coloured label per status, the words inside it
    for status in ("met", "partly", "not_met", "no_data"):
        word = SCORECARD_STATUS[status][0]
        assert f'<span class="pmqa-status pmqa-status-{status}">{word}</span>' in html


# ---------------------------------------------------------------- the unit's headline


def _headline(html: str) -> list[str]:
    block = re.search(r'<div class="pmqa-headline">(.*?)</div>', html, re.S)
    assert block, "no headline block"
    return [_text(li).strip() for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def test_unit_report_opens_with_the_headline_from_the_numbers(batch: support.Batch) -> None:
    run = batch.run_dir
    html = (run / "units" / UNIT / "report.html").read_text("utf-8")
    meta = _meta(run)
    # the headline comes first: before the general information and every other section
    body = html[html.find("<body") :]
    first_h2 = re.search(r"<h2[^>]*>(.*?)</h2>", body, re.S)
    assert first_h2 and "สรุปผลสำคัญ" in first_h2.group(1)
    assert body.find("pmqa-headline") < body.find("ข้อมูลทั่วไป") < body.find("CS scorecard")
    assert "สร้างโดย" not in html and "pmqa report" not in _text(body)
    # the reader's line: province, unit, fiscal year and the survey period in BE
    byline = _text(re.search(r'<p class="pmqa-byline">(.*?)</p>', body, re.S).group(1))
    unit = next(u for u in meta["units"] if u["unit_code"] == UNIT)
    start, end = (pd.Timestamp(d) for d in meta["data_period"])
    assert meta["province"] in byline and unit["unit_name_th"] in byline
    assert f"ปีงบประมาณ {meta['fiscal_year']}" in byline
    assert f"{start.year + 543}" in byline and f"{end.year + 543}" in byline

    lines = _headline(html)
    o = _overall(run).loc[UNIT]
    target = meta["settings"]["target_pct"]
    verdict = "ถึงเป้าหมาย" if o["top2_pct"] >= target else "ต่ำกว่าเป้าหมาย"
    assert f"ร้อยละ {o['top2_pct']:.1f} {verdict}ร้อยละ {target:g}" in lines[0]
    assert f"ค่าเฉลี่ย {o['mean']:.2f}" in lines[0]
    card = json.loads((run / "assessment" / UNIT / "scorecard.json").read_text("utf-8"))
    counts = pd.Series([a["status"] for a in card["activities"]]).value_counts()
    assert (
        f"ผ่าน {counts.get('met', 0)} จาก {len(card['activities'])} รหัสกิจกรรม, "
        f"ผ่านบางส่วน {counts.get('partly', 0)}, ไม่ผ่าน {counts.get('not_met', 0)}, "
        f"ไม่มีข้อมูล {counts.get('no_data', 0)}"
    ) in lines[1]
    adequacy = pd.read_parquet(run / "results" / "adequacy.parquet").set_index("unit_code")
    n, need = int(adequacy.loc[UNIT, "n"]), int(adequacy.loc[UNIT, "required_n"])
    assert f"ผู้ตอบ {n:,} ราย จากที่ต้องการ {need:,} ราย" in lines[2]
    assert (f"ยังขาดอีก {need - n:,} ราย" in lines[2]) == (n < need)
    dims = pd.read_parquet(run / "results" / "dimensions.parquet")
    mine = (dims["unit_code"] == UNIT) & (dims["fiscal_year"] == meta["fiscal_year"])
    cur = dims[mine & (dims["dimension_code"] != "OVERALL")]
    cur = cur.sort_values(["mean", "dimension_code"])
    q = pd.DataFrame(meta["questionnaire"]).drop_duplicates("dimension_code")
    names = dict(zip(q["dimension_code"], q["dimension_th"], strict=True))
    weak, strong = cur.iloc[0], cur.iloc[-1]
    assert f"{names[strong['dimension_code']]} (ค่าเฉลี่ย {strong['mean']:.2f})" in lines[3]
    assert f"{names[weak['dimension_code']]} (ค่าเฉลี่ย {weak['mean']:.2f})" in lines[3]
    assert lines[4].startswith("ประเด็นที่ควรปรับปรุงก่อน")
    for a in card["activities"]:  # the codes not met come first among the priorities
        if a["status"] == "not_met":
            assert a["activity_code"] in lines[4]


def test_english_headline(batch: support.Batch, tmp_path: Path) -> None:
    from pmqa_analysis.report.unit import UnitReport

    run = _run_copy(batch, tmp_path)
    (run / "data").mkdir()
    html = UnitReport(run, UNIT, "en", rendered=False).section("cover").data
    o = _overall(run).loc[UNIT]
    target = _meta(run)["settings"]["target_pct"]
    lines = _headline(html)
    assert lines[0].startswith(f"Overall satisfaction: {o['top2_pct']:.1f}% top-2-box against")
    assert f"{target:g}% target" in lines[0]
    assert lines[1].startswith("Scorecard: ") and lines[2].startswith("Sample: ")
    assert lines[-1].startswith("Improvement priorities")
    assert not re.search("[\u0e00-\u0e7f]", " ".join(lines[:3]))  # no Thai words in English


def test_scorecard_reasons_are_lists_and_cell_labels_readable(batch: support.Batch) -> None:
    from pmqa_analysis.report.plots import scorecard_grid

    html = (batch.run_dir / "units" / UNIT / "report.html").read_text("utf-8")
    table = re.search(r'<table class="pmqa-table pmqa-scorecard">(.*?)</table>', html, re.S)
    assert table, "no scorecard table"
    card = json.loads((batch.run_dir / "assessment" / UNIT / "scorecard.json").read_text("utf-8"))
    lists = re.findall(r'<ul class="pmqa-reasons">(.*?)</ul>', table.group(1), re.S)
    assert len(lists) == len(card["activities"])
    for activity, items in zip(card["activities"], lists, strict=True):
        assert items.count("<li>") == len(activity["reason_th"].split("; ")) > 0
    frame = pd.DataFrame(card["activities"]).assign(unit_code=UNIT)
    fig = scorecard_grid(frame, row_labels={UNIT: "หน่วยงาน"})
    cells = [t.get_fontsize() for t in fig.axes[0].texts if t.get_gid() is None]
    assert len(cells) == len(frame) and min(cells) >= 9


# ------------------------------------------------------------------------------ index


def test_index_opens_with_the_province_headline(batch: support.Batch) -> None:
    run = batch.run_dir
    html = (run / "index.html").read_text("utf-8")
    target = _meta(run)["settings"]["target_pct"]
    over = _overall(run)
    hit = int((over["top2_pct"] >= target).sum())
    lines = _headline(html)
    assert f"{hit} จาก {len(batch.units)} หน่วยงาน" in lines[0]
    adequacy = pd.read_parquet(run / "results" / "adequacy.parquet")
    short = adequacy.loc[~adequacy["reached"].astype(bool), "unit_code"].tolist()
    assert short, "the sample is drawn short of the required sizes"
    assert f"ขนาดตัวอย่างไม่พอ (ควรตีความอย่างระมัดระวัง): {len(short)} หน่วยงาน" in lines[1]
    assert all(code in lines[1] for code in short)
    assert lines[2] == f"ประมวลผลสำเร็จทุกหน่วยงาน ({len(batch.units)} หน่วยงาน)"
    assert html.find("pmqa-headline") < html.find("<table")
    # one coloured status per unit, in words; the unit's name links to its report
    for code in batch.units:
        row = re.search(rf'<tr class="pmqa-row-(\w+)">(?:(?!</tr>).)*?{code}.*?</tr>', html, re.S)
        assert row, code
        state = "reached" if over.loc[code, "top2_pct"] >= target else "below"
        assert row.group(1) == state
        assert f'<a href="units/{code}/report.html">' in row.group(0)
        assert 'class="pmqa-status pmqa-status-' in row.group(0)


def test_index_shows_a_failed_units_error_from_its_status_file(
    batch: support.Batch, tmp_path: Path
) -> None:
    from pmqa_analysis.report.index_page import write_index_page

    run = tmp_path / "run"
    shutil.copytree(batch.run_dir / "results", run / "results")
    manifest = json.loads((batch.run_dir / "manifest.json").read_text("utf-8"))
    records = [u for u in manifest["units"] if not u["unit_code"].startswith("__")]
    error = "PapermillExecutionError: KeyError 'top2_pct' <b>(cell 4)</b>"
    (run / "units" / "U03").mkdir(parents=True)
    (run / "units" / "U03" / "status.json").write_text(
        json.dumps({"unit_code": "U03", "status": "failed", "error": error}), "utf-8"
    )
    records = [
        {**r, "status": "failed", "outputs": ["report.failed.ipynb"]}
        | ({"error": ""} if r["unit_code"] == "U03" else {"error": "RuntimeError: boom"})
        if r["unit_code"] in ("U03", "U04") else r
        for r in records
    ]  # fmt: skip
    records.append({"unit_code": "__province__", "slug": "province", "status": "failed"})
    titles = {c: c for c in batch.units}
    page = write_index_page(run, run_id="R1", province="P", titles=titles, records=records)
    html = page.read_text("utf-8")
    assert "PapermillExecutionError: KeyError &#x27;top2_pct&#x27; &lt;b&gt;" in html
    assert "RuntimeError: boom" in html and "<b>(cell 4)" not in html
    lines = _headline(html)
    assert lines[2].startswith("ประมวลผลไม่สำเร็จ: 2 หน่วยงาน คือ U03, U04")
    assert lines[3].startswith("ภาพรวมจังหวัดประมวลผลไม่สำเร็จ")
    for code in ("U03", "U04"):
        row = re.search(rf'<tr class="pmqa-row-failed">(?:(?!</tr>).)*?{code}.*?</tr>', html, re.S)
        assert row and "ล้มเหลว" in row.group(0), code
        assert f'href="units/{code}/report.failed.ipynb"' in row.group(0)
    assert len(re.findall(r'<tr class="pmqa-row-', html)) == len(batch.units)  # no province row


# --------------------------------------------------------------------------- overview


def test_overview_ranks_only_units_with_adequate_samples(
    batch: support.Batch, tmp_path: Path
) -> None:
    from pmqa_analysis.report.province import ProvinceReport

    run = _run_copy(batch, tmp_path)
    path = run / "results" / "adequacy.parquet"
    adequacy = pd.read_parquet(path)
    adequate = ["U01", "U03", "U04"]
    adequacy["reached"] = adequacy["unit_code"].isin(adequate)
    adequacy.to_parquet(path, index=False)
    report = ProvinceReport(run)
    ranking = report.ranking()
    ranked = ranking[ranking["rank"].notna()]
    assert sorted(ranked["unit_code"]) == adequate
    means = ranked["mean"].round(2)
    assert list(ranked["rank"]) == list(means.rank(ascending=False, method="min").astype(int))
    assert ranking["rank"].notna().tolist() == [True] * 3 + [False]  # the ranked ones first
    html = report.section("ranking").data
    summary = re.search(r"<ul>(.*?)</ul>", html, re.S)
    assert summary and html.find("<ul>") < html.find("<table")
    assert "จัดอันดับเฉพาะหน่วยงานที่มีขนาดตัวอย่างเพียงพอ: 3 จาก 4 หน่วยงาน" in summary.group(1)
    assert len(_text(summary.group(1))) < 600  # short sentences, not a list of every unit
    apart = html[html.find("หน่วยงานที่ไม่จัดอันดับ") :]
    assert apart and "U02" in apart and "U02" not in html[: html.find("หน่วยงานที่ไม่จัดอันดับ")]
    row = adequacy.set_index("unit_code").loc["U02"]
    short = int(row["required_n"]) - int(row["n"])
    assert (
        f"ผู้ตอบ {int(row['n'])} จากที่ต้องการ {int(row['required_n'])} ราย (ขาดอีก {short} ราย)" in apart
    )


# ---------------------------------------------------------------------------- booklet


def _chromium() -> str:
    exe = support.find_browser()
    if exe is None:
        pytest.skip("no Chromium binary: install Debian's chromium (apt-get install chromium)")
    return exe


def test_booklet_holds_the_index_overview_and_every_unit(
    batch: support.Batch, tmp_path: Path
) -> None:
    from pmqa_analysis.report.booklet import booklet_html, write_booklet

    exe = _chromium()
    run = tmp_path / "run"
    shutil.copytree(batch.run_dir, run)
    manifest = json.loads((run / "manifest.json").read_text("utf-8"))
    titles = {c: f"{c} หน่วย" for c in batch.units}
    args = {"run_id": manifest["run_id"], "province": "จังหวัดทดสอบ", "titles": titles,
            "records": manifest["units"]}  # fmt: skip
    html = booklet_html(run, **args)
    assert html is not None
    parts = re.findall(r'<section class="pmqa-part[^"]*">', html)
    assert len(parts) == 2 + len(batch.units)  # index, overview, every unit
    assert html.find("สถานะของจังหวัด") < html.find("ภาพรวมรายหน่วยงาน")
    assert 'href="units/' not in html  # no files column in print
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "two pages' charts share an id"
    pdf = write_booklet(run, **args, browser=exe)
    assert pdf == run / "booklet.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 2 + len(batch.units), pages
    fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/<>\[\]]+)", data))
    assert fonts and all(f.startswith(b"Sarabun") for f in fonts), fonts
    assert not [p for p in run.iterdir() if p.name.startswith("pmqa-booklet-")]


# ---------------------------------------------------------------------------- browser

#: every element whose own text nodes Chromium draws (head, scripts and styles aside)
_TEXT_NODES = """() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'TITLE', 'HEAD', 'NOSCRIPT']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const owners = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.data.trim() || !n.parentElement || skip.has(n.parentElement.tagName)) continue;
    const box = n.parentElement.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not drawn
    owners.add(n.parentElement);
  }
  let k = 0;
  for (const e of owners) e.setAttribute('data-text-owner', String(k++));
  return k;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_check import chromium_session

    yield from chromium_session()


def test_this_machine_has_no_thai_system_font() -> None:
    """What makes the browser test meaningful: only the embedded font can draw Thai."""
    if shutil.which("fc-list") is None:
        pytest.skip("fc-list (fontconfig) not installed")
    found = subprocess.run(["fc-list", ":lang=th", "family"], capture_output=True, text=True)
    if found.stdout.strip():
        pytest.skip(f"Thai system fonts are installed ({found.stdout.strip()[:80]})")


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_text_node_is_drawn_in_the_embedded_sarabun(
    kind: str, browser: Any, batch: support.Batch, tmp_path: Path
) -> None:
    page_path = batch.run_dir / PAGES[kind]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        owners = page.evaluate(_TEXT_NODES)
        assert owners > 20, f"{kind}: only {owners} elements with text"
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        query = {"nodeId": root, "selector": "[data-text-owner]"}
        nodes = cdp.send("DOM.querySelectorAll", query)["nodeIds"]
        assert len(nodes) == owners
        families: dict[str, int] = {}
        drawn = 0
        for node in nodes:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            drawn += bool(fonts)
            for f in fonts:
                key = f"{f['familyName']} ({'page' if f['isCustomFont'] else 'system'})"
                families[key] = families.get(key, 0) + int(f["glyphCount"])
        cdp.detach()
        assert drawn > 20, f"{kind}: {drawn} elements drawn"
        assert set(families) == {"Sarabun (page)"}, f"{kind}: glyphs drawn with {families}"
        shot = tmp_path / f"{kind}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()


def test_the_overview_title_without_a_province_has_no_dangling_colon(
    batch: support.Batch, tmp_path: Path
) -> None:
    """A workspace drafted from a form export may leave settings' province empty."""
    from pmqa_analysis.report.province import ProvinceReport

    run = _run_copy(batch, tmp_path)
    meta = _meta(run)
    assert meta.get("province"), "the sample names its province"
    named = ProvinceReport(run).section("cover").data
    assert f"ภาพรวมระดับจังหวัด: {meta['province']}" in named
    meta["province"] = ""
    (run / "results" / "meta.json").write_text(json.dumps(meta), "utf-8")
    html = ProvinceReport(run).section("cover").data
    assert "ภาพรวมระดับจังหวัด" in html and "ภาพรวมระดับจังหวัด:" not in html


def test_index_counts_respondents_as_the_unit_report_does(
    batch: support.Batch, tmp_path: Path
) -> None:
    """A respondent who skipped every item counts towards the sample (the unit report's
    "ผู้ตอบ n ราย จากที่ต้องการ"), not only those with an overall score."""
    from pmqa_analysis.report.index_page import index_rows

    run = _run_copy(batch, tmp_path)
    path = run / "results" / "adequacy.parquet"
    adequacy = pd.read_parquet(path)
    over = _overall(run)
    code = str(adequacy["unit_code"].iloc[0])
    adequacy.loc[adequacy["unit_code"] == code, "n"] = int(over.loc[code, "n"]) + 1
    adequacy.to_parquet(path, index=False)
    records = [{"unit_code": c, "slug": c, "status": "ok"} for c in batch.units]
    _, rows = index_rows(run, {}, records)
    shown = {r.code: r.n for r in rows}
    assert shown[code] == int(over.loc[code, "n"]) + 1
    path.unlink()  # without an adequacy table: those with an overall score
    _, rows = index_rows(run, {}, records)
    assert {r.code: r.n for r in rows}[code] == int(over.loc[code, "n"])
