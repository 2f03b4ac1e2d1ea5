"""``pmqa report`` end to end, with the package's own notebooks, on a small sample workspace.

One batch (4 units, 2 workers) is run once per session (``e2e_support.sample_batch``) and
shared with ``test_browser.py``; the tests that need another run (re-run, ``--force``, a
broken unit, ``--units``, PDF, a hostile unit code) work on copies or on new run folders.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import e2e_support as support
import nbformat
import pandas as pd
import pytest

from pmqa_analysis.cli import main
from pmqa_analysis.core.errors import ValidationError
from pmqa_analysis.report.export import find_chromium
from pmqa_analysis.run.batch import run_report
from pmqa_analysis.workspace.sample_broken import make_broken_workspace

NOTEBOOK = (
    Path(__file__).resolve().parents[1] / "pmqa_analysis" / "notebooks" / "unit_assessment.ipynb"
)
UNIT_FILES = ("report.html", "report.xlsx", "report.ipynb", "scorecard.json", "status.json")


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with support.isolated_cache(tmp_path_factory.getbasetemp()) as path:
        yield path


@pytest.fixture(scope="session")
def batch(tmp_path_factory: pytest.TempPathFactory) -> support.Batch:
    return support.sample_batch(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return support.sample_workspace(tmp_path_factory.getbasetemp())


def _manifest(run: Path) -> dict[str, Any]:
    return json.loads((run / "manifest.json").read_text(encoding="utf-8"))


def _statuses(run: Path) -> dict[str, str]:
    return {u["unit_code"]: u["status"] for u in _manifest(run)["units"]}


def _mtimes(run: Path, codes: list[str]) -> dict[str, int]:
    return {c: (run / "units" / c / "report.html").stat().st_mtime_ns for c in codes}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if tag == "a" and k == "href" and v]


def _hrefs(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# ----------------------------------------------------------------------------- one batch


def test_batch_exits_0_and_writes_every_output(batch: support.Batch) -> None:
    assert batch.cli.exit_code == 0, batch.cli.stderr
    run = batch.run_dir
    for name in ("index.html", "manifest.json", "province/overview.html"):
        assert (run / name).is_file(), name
    for code in batch.units:
        unit = run / "units" / code
        missing = [n for n in UNIT_FILES if not (unit / n).is_file()]
        assert not missing, f"{code} lacks {missing}"
        sheets = pd.read_excel(unit / "report.xlsx", sheet_name=None, engine="calamine")
        assert sheets and all(len(s.columns) for s in sheets.values())
        card = json.loads((unit / "scorecard.json").read_text(encoding="utf-8"))
        assert card, f"{code}: empty scorecard.json"
        executed = nbformat.read(unit / "report.ipynb", as_version=4)
        errors = [o for c in executed.cells if c.cell_type == "code"
                  for o in c.get("outputs", []) if o.output_type == "error"]  # fmt: skip
        assert not errors
    html = (run / "units" / batch.units[0] / "report.html").read_text(encoding="utf-8")
    charts = set(re.findall(r'<svg role="img" aria-label="([^"]+)"', html))
    # every chart of issue 4 that the sample's data allows, in the unit report
    assert {"scorecard", "group by channel", "likert", "means", "trend", "pareto",
            "days to close"} <= charts, charts  # fmt: skip
    # Thai report: Thai table headers and wording, not the result files' column names
    headers = set(re.findall(r"<th[^>]*>([^<]+)</th>", html))
    assert {"ค่าเฉลี่ย", "มาก–มากที่สุด (%)", "มากที่สุด (%)", "รหัสกิจกรรม", "ผล"} <= headers
    assert not headers & {"mean", "top2_pct", "pct_5", "activity_code", "n_closed", "column"}
    assert "รอบ 12 เดือน" in html and ">partly<" not in html
    assert not [p.name for p in (run / "units").iterdir() if p.name.startswith(".")]


def test_manifest_says_every_unit_is_ok(batch: support.Batch) -> None:
    manifest = _manifest(batch.run_dir)
    assert manifest["exit_code"] == 0
    assert manifest["summary"] == {"ok": len(batch.units) + 1, "failed": 0, "skipped": 0}
    statuses = _statuses(batch.run_dir)
    assert [c for c in statuses if not c.startswith("__")] == batch.units
    assert set(statuses.values()) == {"ok"}, statuses
    inputs = {i["file"] for i in manifest["inputs"]}
    assert {"responses.csv", "units.csv", "settings.toml"} <= inputs


def test_index_links_every_unit_and_the_overview(batch: support.Batch) -> None:
    hrefs = _hrefs(batch.run_dir / "index.html")
    assert "province/overview.html" in hrefs
    for code in batch.units:
        assert f"units/{code}/report.html" in hrefs and f"units/{code}/report.xlsx" in hrefs
    for href in hrefs:
        assert not href.startswith(("http:", "https:", "//")), href
    # each unit's headline figures, as its report computed them
    page = (batch.run_dir / "index.html").read_text("utf-8")
    dims = pd.read_parquet(batch.run_dir / "results" / "dimensions.parquet")
    fy = json.loads((batch.run_dir / "results" / "meta.json").read_text("utf-8"))["fiscal_year"]
    over = dims[(dims["dimension_code"] == "OVERALL") & (dims["fiscal_year"] == fy)]
    assert "ค่าเฉลี่ยรวม" in page
    for r in over.itertuples():
        assert f'<td class="num">{r.mean:.2f}</td>' in page, r.unit_code
        assert (batch.run_dir / href).is_file(), href


def test_comment_with_script_tag_is_text_in_the_html(batch: support.Batch) -> None:
    page = (batch.run_dir / "units" / support.EVIL_UNIT / "report.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, "the comment is not quoted at all"
    assert "<script>alert(1)" not in page
    for code in batch.units:  # nor anywhere else
        html = (batch.run_dir / "units" / code / "report.html").read_text("utf-8")
        assert "<script>alert(" not in html
    assert "<script>alert(" not in (batch.run_dir / "province/overview.html").read_text("utf-8")


def test_english_unit_report_has_english_headers(batch: support.Batch, tmp_path: Path) -> None:
    from pmqa_analysis.report.unit import SECTIONS, UnitReport

    run = tmp_path / "run"  # a copy: the report stages its tables inside the run folder
    shutil.copytree(batch.run_dir, run)
    report = UnitReport(run, batch.units[0], "en")
    html = "".join(report.section(name).data for name in SECTIONS)
    headers = set(re.findall(r"<th[^>]*>([^<]+)</th>", html))
    assert {"Mean", "Top two (%)", "Item code", "Activity code"} <= headers
    assert not [h for h in headers if "_" in h or re.search("[\u0e00-\u0e7f]", h)], headers


def test_overview_ranking_flags_units_below_their_sample_size(batch: support.Batch) -> None:
    page = (batch.run_dir / "province/overview.html").read_text("utf-8")
    headers = set(re.findall(r"<th[^>]*>([^<]+)</th>", page))
    assert {"หน่วยงาน", "ค่าเฉลี่ย", "ตัวอย่างเพียงพอ", "เหตุที่ไม่จัดอันดับ"} <= headers
    # the sample is drawn short of the required sizes: no unit is ranked, and it says why
    assert "อันดับ" not in headers  # (issue 18: only units with adequate samples are ranked)
    assert "ขนาดตัวอย่างยังไม่ถึงที่กำหนด" in page and ">ไม่พอ<" in page


def test_overview_cs_coverage_counts_every_status_in_legend_order(batch: support.Batch) -> None:
    page = (batch.run_dir / "province/overview.html").read_text("utf-8")
    heads = [
        re.findall(r"<th[^>]*>([^<]*)</th>", t)
        for t in re.findall(r"<thead>.*?</thead>", page, re.S)
    ]
    coverage = [h for h in heads if "ผ่านบางส่วน" in h]
    assert coverage == [["รหัสกิจกรรม", "ผ่าน", "ผ่านบางส่วน", "ไม่ผ่าน", "ไม่มีข้อมูล"]], heads


class _Quotes(HTMLParser):
    """The items of the list that follows the 'examples' paragraph of the comments section."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker, self.armed, self.inside = marker, False, False
        self.quotes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li" and self.armed:
            self.inside = True
            self.quotes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.inside = False
        elif tag == "ul":
            self.armed = False

    def handle_data(self, data: str) -> None:
        if self.marker in data:
            self.armed = True
        elif self.inside:
            self.quotes[-1] += data


def test_quoted_comment_examples_are_distinct(batch: support.Batch) -> None:
    """A reader sees each example comment once (not once per theme it was picked for)."""
    for code in batch.units:
        parser = _Quotes("ตัวอย่างข้อคิดเห็น")
        parser.feed((batch.run_dir / "units" / code / "report.html").read_text("utf-8"))
        assert parser.quotes, f"{code}: no example comments quoted"
        repeated = sorted({q for q in parser.quotes if parser.quotes.count(q) > 1})
        assert not repeated, f"{code}: quoted more than once: {repeated}"


def test_comment_themes_name_their_dimension_in_thai(batch: support.Batch) -> None:
    """The themes table says "ด้านสิ่งอำนวยความสะดวก", not the lexicon's code FACILITIES."""
    from pmqa_analysis.core.labels import THEME_DIMENSIONS

    thai = {th for th, _ in THEME_DIMENSIONS.values()}
    for code in batch.units:
        book = batch.run_dir / "units" / code / "report.xlsx"
        themes = pd.read_excel(book, sheet_name="ประเด็นข้อคิดเห็น", engine="calamine")
        shown = set(themes["ด้าน"])
        assert shown and shown <= thai, f"{code}: {sorted(shown - thai)}"
        page = (batch.run_dir / "units" / code / "report.html").read_text("utf-8")
        assert not any(f">{c}<" in page for c in ("FACILITIES", "INFORMATION")), code


def test_short_thai_cells_such_as_a_status_stay_on_one_line(batch: support.Batch) -> None:
    page = (batch.run_dir / "units" / batch.units[0] / "report.html").read_text("utf-8")
    assert ".pmqa-table td.pmqa-short { white-space: nowrap; }" in page
    statuses = re.findall(r'<td class="([^"]*)">(ผ่าน|ผ่านบางส่วน|ไม่ผ่าน)</td>', page)
    assert all("pmqa-short" in cls.split() for cls, _ in statuses)
    # the scorecard shows its results as coloured labels (issue 18), kept on one line too
    chips = re.findall(r'<span class="pmqa-status [^"]*">(ผ่าน|ผ่านบางส่วน|ไม่ผ่าน)</span>', page)
    assert chips and re.search(r"\.pmqa-status \{[^}]*white-space: nowrap", page)


# ----------------------------------------------------------------------------- re-runs


def test_rerun_skips_every_unit(batch: support.Batch, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(batch.run_dir, run)
    before = _mtimes(run, batch.units)
    (run / ".province.tmp-999999999").mkdir()  # a killed run's half-written overview
    again = support.pmqa(["report", batch.workspace, "--out", run, "--workers", "2", "--quiet"])
    assert again.exit_code == 0, again.stderr
    assert not list(run.glob(".province.tmp-*"))
    statuses = _statuses(run)
    assert {c: statuses[c] for c in batch.units} == dict.fromkeys(batch.units, "skipped")
    assert _mtimes(run, batch.units) == before
    assert _manifest(run)["summary"]["skipped"] >= len(batch.units)


def test_force_redoes_an_unchanged_unit_and_units_selects_it(
    batch: support.Batch, tmp_path: Path
) -> None:
    """``--force --units U01`` on a finished run: U01 is redone, the others are not touched."""
    run = tmp_path / "run"
    shutil.copytree(batch.run_dir, run)
    before = _mtimes(run, batch.units)
    forced = support.pmqa(
        ["report", batch.workspace, "--out", run, "--units", "U01", "--force", "--quiet"]
    )
    assert forced.exit_code == 0, forced.stderr
    statuses = _statuses(run)
    assert statuses["U01"] == "ok"
    assert all(statuses.get(c, "skipped") == "skipped" for c in batch.units[1:]), statuses
    after = _mtimes(run, batch.units)
    assert after["U01"] != before["U01"], "--force did not redo U01"
    assert {c: after[c] for c in batch.units[1:]} == {c: before[c] for c in batch.units[1:]}


# ----------------------------------------------------------------------------- failures


def _broken_notebook(tmp_path: Path, unit: str) -> Path:
    """The package's unit notebook plus a cell that raises for ``unit`` only."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    at = 1 + next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    cell = nbformat.v4.new_code_cell(f'assert unit_code != "{unit}", "deliberately broken"')
    nb.cells.insert(at + 1, cell)  # after the parameters and the first package call
    path = tmp_path / "unit_assessment_broken.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_broken_unit_fails_alone_with_exit_code_1(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = _broken_notebook(tmp_path, "U02")
    run = tmp_path / "run"
    codes = ["U02", "U03"]  # two workers: both at once
    exit_code = main(
        ["report", str(workspace), "--out", str(run), "--notebook", str(notebook),
         "--units", ",".join(codes), "--workers", "2"]
    )  # fmt: skip
    printed = capsys.readouterr()
    assert exit_code == 1, printed.err
    assert "FAILED U02" in printed.out and "deliberately broken" in printed.out

    manifest = _manifest(run)
    assert manifest["exit_code"] == 1 and manifest["summary"]["failed"] == 1
    by_code = {u["unit_code"]: u for u in manifest["units"]}
    assert by_code["U02"]["status"] == "failed"
    assert "AssertionError" in by_code["U02"]["error"]
    assert "deliberately broken" in by_code["U02"]["error"]
    assert by_code["U03"]["status"] == "ok" and by_code["__province__"]["status"] == "ok"
    assert all((run / "units" / "U03" / n).is_file() for n in UNIT_FILES)
    failed = run / "units" / "U02"
    assert not (failed / "report.html").exists()  # nothing that looks complete
    kept = nbformat.read(failed / "report.failed.ipynb", as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.output_type == "error"]  # fmt: skip
    assert errors and errors[0].ename == "AssertionError"

    index = (run / "index.html").read_text(encoding="utf-8")
    assert "units/U02/report.failed.ipynb" in _hrefs(run / "index.html")
    assert "deliberately broken" in index
    assert sorted(p.name for p in (run / "units").iterdir()) == codes


def test_invalid_workspace_exits_2_and_writes_nothing(workspace: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    make_broken_workspace(workspace, broken)
    out = tmp_path / "out"
    result = support.pmqa(["report", broken, "--out", out, "--quiet"])
    assert result.exit_code == 2
    assert result.stderr.strip() and "Traceback" not in result.stderr
    assert not out.exists()
    with pytest.raises(ValidationError):
        run_report(broken, out, quiet=True)
    assert not out.exists()


# ----------------------------------------------------------------------------- paths, PDF


def test_a_unit_coded_dot_dot_slash_stays_inside_and_gets_its_pdf(
    workspace: Path, tmp_path: Path
) -> None:
    """A unit coded ``../../x``, run alone with ``--units`` and ``--formats html,xlsx,pdf``.

    One run checks three things: the code never reaches a path raw, ``--units`` runs that
    unit only, and ``report.pdf`` is written when a Chromium is installed.
    """
    evil = "../../x"
    ws = tmp_path / "ws"
    shutil.copytree(workspace, ws)
    for path in ws.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace("U01", evil), "utf-8")
    outer = tmp_path / "a" / "b"
    outer.mkdir(parents=True)
    run = outer / "run"
    before = _tree(tmp_path)

    result = support.pmqa(
        ["report", ws, "--out", run, "--units", evil, "--formats", "html,xlsx,pdf", "--quiet"]
    )

    escaped = {p for p in _tree(tmp_path) - before if not p.startswith("a/b/run")}
    assert not escaped, f"written outside the run folder: {sorted(escaped)}"
    if result.exit_code == 2:  # refusing the code is as good as slugging it
        assert evil in result.stderr, result.stderr
        return
    assert result.exit_code == 0, result.stderr
    (record,) = [u for u in _manifest(run)["units"] if u["unit_code"] == evil]
    slug = record["slug"]
    assert "/" not in slug and ".." not in slug
    unit = run / "units" / slug
    assert unit.resolve().parent == (run / "units").resolve()
    assert all((unit / n).is_file() for n in UNIT_FILES)
    assert f"units/{slug}/report.html" in _hrefs(run / "index.html")
    assert [c for c in _statuses(run) if not c.startswith("__")] == [evil]
    assert {p.name for p in (run / "units").iterdir()} == {slug}  # --units: that unit only

    pdf = unit / "report.pdf"
    if find_chromium() is None:
        assert not pdf.exists()
        assert any("pdf" in n for n in _manifest(run)["notes"])
        return
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
    assert f"units/{slug}/report.pdf" in _hrefs(run / "index.html")
    # with pdf, the batch also prints the committee's booklet (issue 18)
    assert (run / "booklet.pdf").read_bytes()[:5] == b"%PDF-"
