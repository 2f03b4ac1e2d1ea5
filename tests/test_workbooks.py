"""The workbooks a committee opens, read back as Excel would read them (issue 18).

``report.xlsx`` of every unit, ``committee.xlsx`` and the improvement-plan workbooks (the
province's and each unit's) of the session's sample batch (``e2e_support.sample_batch``,
shared with ``test_e2e_report.py`` and ``test_browser.py``), and the English versions of
the same workbooks.  Values are read with python-calamine; formats, frozen panes, filters,
widths and fonts straight from the files' XML (``xl/styles.xml``, ``xl/worksheets/*.xml``),
as Excel reads them.  Checked: Thai-first sheet names and headers, no internal code in any
cell (``not_met``, ``top2_pct``, ``checklist_share``), dates as date cells shown in the
Buddhist Era, counts as whole numbers, a number format on every number, full precision
kept behind a rounded display, a frozen and filtered header row, Sarabun, sensible widths.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import e2e_support as support
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from pmqa_analysis.assessment.scorecard import STATUS_LABELS
from pmqa_analysis.core.workbook import (
    DATE_FORMATS,
    FONT_NAME,
    Formats,
    new_workbook,
    sheet_name,
    visual_width,
    write_sheet,
)

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
THAI = re.compile(r"[\u0E00-\u0E7F]")
#: a snake_case identifier of the kit (top2_pct, not_met, checklist_share, unit_code)
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
#: bare status codes that must be words in a Thai workbook
THAI_BARE_CODES = {"met", "partly", "not_met", "no_data", "draft", "approved", "done",
                   "cancelled", "not_done", "on_track", "late", "no_progress", "warning",
                   "error"}  # fmt: skip
ISO_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}")
NUMBER_TEXT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
#: columns that name a file's own columns (a CSV header is what the office sees in it)
FILE_COLUMNS = {"คอลัมน์ในไฟล์", "Column in the file", "คอลัมน์ในไฟล์ CSV / CSV column"}
#: the bilingual dictionary sheet of the plan workbook
DICTIONARY = "คำอธิบาย - Dictionary"
#: headers of date columns (unit plan table, progress table, plan workbook)
DATE_HEADERS = {"กำหนดเสร็จ", "กำหนดแล้วเสร็จ", "วันที่อนุมัติ", "Due", "Due date",
                "Date approved"}  # fmt: skip
#: headers of count columns
COUNT_HEADERS = {"n", "จำนวนข้อคิดเห็น", "ดำเนินการแล้ว (ข้อ)", "บางส่วน (ข้อ)",
                 "ยังไม่ดำเนินการ (ข้อ)", "ผ่าน", "ผ่านบางส่วน", "ไม่ผ่าน", "ไม่มีข้อมูล",
                 "Done (items)", "Partly (items)", "Not done (items)", "Comments"}  # fmt: skip
INT_FORMATS = {"#,##0", "0"}


# ------------------------------------------------------------------ reading the files


@dataclass
class Sheet:
    """One worksheet as Excel sees it."""

    name: str
    rows: list[list[Any]]  # values (python-calamine)
    formats: dict[tuple[int, int], str]  # (row, col) -> number format code of the cell
    types: dict[tuple[int, int], str]  # (row, col) -> the cell's XML type ("n", "s", ...)
    raw: dict[tuple[int, int], str]  # (row, col) -> the stored <v> text of a number
    frozen_rows: int
    autofilter: str | None
    widths: dict[int, float] = field(default_factory=dict)
    formulas: int = 0

    @property
    def headers(self) -> list[str]:
        return [str(h) for h in self.rows[0]] if self.rows else []

    def column(self, header: str) -> list[tuple[int, Any]]:
        j = self.headers.index(header)
        return [(i, row[j]) for i, row in enumerate(self.rows[1:], start=1) if j < len(row)]


@dataclass
class Book:
    """A workbook: its sheets in order and the font names of its styles."""

    path: Path
    sheets: dict[str, Sheet]
    fonts: list[str]


def _col_index(ref: str) -> tuple[int, int]:
    letters = re.match(r"[A-Z]+", ref)
    assert letters is not None
    col = 0
    for ch in letters.group(0):
        col = col * 26 + ord(ch) - 64
    return int(ref[letters.end() :]) - 1, col - 1


def read_book(path: Path) -> Book:
    """Values with python-calamine; formats, panes, filters, widths from the XML."""
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        codes = {0: "General", 14: "m/d/yyyy", 1: "0", 2: "0.00", 3: "#,##0", 10: "0.00%",
                 9: "0%"}  # fmt: skip
        for nf in styles.iterfind("m:numFmts/m:numFmt", NS):
            codes[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
        xfs = [codes.get(int(xf.get("numFmtId", "0")), "?")
               for xf in styles.iterfind("m:cellXfs/m:xf", NS)]  # fmt: skip
        fonts = [f.find("m:name", NS).get("val", "")  # type: ignore[union-attr]
                 for f in styles.iterfind("m:fonts/m:font", NS)]  # fmt: skip
        wbx = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels.iterfind("rel:Relationship", NS)}
        values = CalamineWorkbook.from_path(str(path))
        sheets: dict[str, Sheet] = {}
        for s in wbx.iterfind("m:sheets/m:sheet", NS):
            name = s.get("name", "")
            rid = s.get(f"{{{NS['r']}}}id")
            xml = ElementTree.fromstring(z.read("xl/" + str(target[rid]).lstrip("/")))
            formats, types, raw = {}, {}, {}
            formulas = 0
            for c in xml.iterfind("m:sheetData/m:row/m:c", NS):
                at = _col_index(c.get("r", "A1"))
                formats[at] = xfs[int(c.get("s", "0"))]
                types[at] = c.get("t", "n")
                v = c.find("m:v", NS)
                if v is not None and types[at] == "n":
                    raw[at] = v.text or ""
                formulas += c.find("m:f", NS) is not None
            pane = xml.find("m:sheetViews/m:sheetView/m:pane", NS)
            frozen = int(float(pane.get("ySplit", "0"))) if pane is not None and pane.get(
                "state") == "frozen" else 0  # fmt: skip
            af = xml.find("m:autoFilter", NS)
            widths = {}
            for col in xml.iterfind("m:cols/m:col", NS):
                for j in range(int(col.get("min", "1")) - 1, int(col.get("max", "1"))):
                    widths[j] = float(col.get("width", "0"))
            sheets[name] = Sheet(
                name, values.get_sheet_by_name(name).to_python(), formats, types, raw, frozen,
                None if af is None else af.get("ref"), widths, formulas,
            )  # fmt: skip
    return Book(path, sheets, fonts)


# ------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with support.isolated_cache(tmp_path_factory.getbasetemp()) as path:
        yield path


@pytest.fixture(scope="session")
def batch(tmp_path_factory: pytest.TempPathFactory) -> support.Batch:
    return support.sample_batch_ok(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def thai_books(batch: support.Batch) -> dict[str, Book]:
    """Every workbook of the Thai sample batch, by its path in the run folder."""
    run = batch.run_dir
    paths = [*sorted(run.glob("units/*/report.xlsx")), run / "assessment" / "committee.xlsx",
             run / "assessment" / "improvement_plan.xlsx",
             *sorted(run.glob("units/*/improvement_plan.xlsx"))]  # fmt: skip
    return {str(p.relative_to(run)): read_book(p) for p in paths}


@pytest.fixture(scope="session")
def english_books(
    batch: support.Batch, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Book]:
    """The same workbooks in English: a unit's report.xlsx, committee and plans."""
    from pmqa_analysis.assessment.committee import write_assessment_outputs
    from pmqa_analysis.report.export import staging_dir, tables_to_xlsx
    from pmqa_analysis.report.unit import SECTIONS, UnitReport
    from pmqa_analysis.workspace.loader import load_workspace

    out = tmp_path_factory.mktemp("english")
    run = out / "run"  # a copy: the report stages its tables inside the run folder
    shutil.copytree(batch.run_dir, run)
    unit = "U04"  # has last year's plan progress, a plan and data-quality warnings
    report = UnitReport(run, unit, "en")
    for name in SECTIONS:
        report.section(name)
    tables = sorted(staging_dir(run, unit).glob("*.parquet"))
    books = {"report.xlsx": read_book(tables_to_xlsx(tables, out / "report.xlsx",
                                                     language="en"))}  # fmt: skip
    paths = write_assessment_outputs(load_workspace(batch.workspace), out / "assessment",
                                     language="en")  # fmt: skip
    for key in ("committee", "plan", f"{unit}/plan"):
        books[key] = read_book(paths[key])
    return books


def _all_sheets(books: dict[str, Book]) -> Iterator[tuple[str, Sheet]]:
    for where, book in books.items():
        for sheet in book.sheets.values():
            yield f"{where}:{sheet.name}", sheet


# ----------------------------------------------------------------------- the checks


def test_the_batch_writes_every_workbook(thai_books: dict[str, Book]) -> None:
    kinds = {Path(k).name for k in thai_books}
    assert kinds == {"report.xlsx", "committee.xlsx", "improvement_plan.xlsx"}
    assert sum(k.endswith("report.xlsx") for k in thai_books) == support.N_UNITS


def test_thai_sheet_names_are_thai_first_and_excel_valid(thai_books: dict[str, Book]) -> None:
    for where, sheet in _all_sheets(thai_books):
        assert THAI.search(sheet.name), f"{where}: English sheet name"
        assert len(sheet.name) <= 31 and not re.search(r"[\[\]:*?/\\]", sheet.name), where
    report = next(b for k, b in thai_books.items() if k.endswith("report.xlsx"))
    assert {"ผลการประเมินตามเกณฑ์", "ความพึงพอใจรายข้อ", "ร่างแผนพัฒนาปรับปรุง"} <= set(report.sheets)
    committee = thai_books["assessment/committee.xlsx"]
    assert next(iter(committee.sheets)) == "สรุป"


def test_thai_headers_are_words_not_column_names(thai_books: dict[str, Book]) -> None:
    for where, sheet in _all_sheets(thai_books):
        assert sheet.headers, f"{where}: no header row"
        assert not [h for h in sheet.headers if "_" in h], f"{where}: {sheet.headers}"
        assert any(THAI.search(h) for h in sheet.headers), f"{where}: {sheet.headers}"


def _codes_in(sheet: Sheet, bare: set[str]) -> list[str]:
    skip = {j for j, h in enumerate(sheet.headers) if h in FILE_COLUMNS}
    if sheet.name == DICTIONARY:
        skip.add(0)  # the CSV column names the dictionary explains
    found = []
    for row in sheet.rows[1:]:
        for j, value in enumerate(row):
            if j in skip or not isinstance(value, str):
                continue
            if SNAKE.search(value) or value.strip() in bare:
                found.append(value)
    return found


def test_no_internal_code_in_any_cell(thai_books: dict[str, Book],
                                      english_books: dict[str, Book]) -> None:  # fmt: skip
    for where, sheet in _all_sheets(thai_books):
        assert not _codes_in(sheet, THAI_BARE_CODES), (
            f"{where}: {_codes_in(sheet, THAI_BARE_CODES)[:5]}"
        )
    for where, sheet in _all_sheets(english_books):
        assert not _codes_in(sheet, set()), f"{where}: {_codes_in(sheet, set())[:5]}"
    # the wording is there instead: statuses and the catalogue's metric names
    report = next(b for k, b in thai_books.items() if k.endswith("U01/report.xlsx"))
    plan = report.sheets["ร่างแผนพัฒนาปรับปรุง"]
    kpis = {v for _, v in plan.column("ตัวชี้วัด") if v}
    assert "ร้อยละของรายการในแบบตรวจที่ดำเนินการแล้ว" in kpis  # was checklist_share
    quality = report.sheets["คุณภาพข้อมูล"]
    assert {v for _, v in quality.column("ระดับ")} == {"คำเตือน"}


def test_the_check_catches_codes() -> None:
    """The code check above can fail: a sheet with codes left in it is caught."""
    sheet = Sheet("x", [["ผล", "ตัวชี้วัด"], ["not_met", "ร้อยละ"], ["ผ่าน", "top2_pct = 80"]],
                  {}, {}, {}, 1, "A1:B3")  # fmt: skip
    assert _codes_in(sheet, THAI_BARE_CODES) == ["not_met", "top2_pct = 80"]


def test_dates_are_date_cells_shown_in_the_buddhist_era(
    thai_books: dict[str, Book], english_books: dict[str, Book]
) -> None:
    for books, lang in ((thai_books, "th"), (english_books, "en")):
        seen = 0
        for where, sheet in _all_sheets(books):
            for j, header in enumerate(sheet.headers):
                if header not in DATE_HEADERS:
                    continue
                for i, value in sheet.column(header):
                    if value in ("", None):
                        continue
                    assert isinstance(value, dt.date), f"{where} {header} row {i}: {value!r}"
                    assert sheet.formats[(i, j)] == DATE_FORMATS[lang], where
                    seen += 1
            iso = [v for row in sheet.rows[1:] for v in row
                   if isinstance(v, str) and ISO_TEXT.match(v)]  # fmt: skip
            assert not iso, f"{where}: dates as text {iso[:3]}"
        assert seen, f"no date cell in the {lang} workbooks"
    assert DATE_FORMATS["th"] == "[$-107041E]d mmm yyyy"  # Thai Buddhist calendar, Thai months


def test_counts_are_whole_numbers_with_a_whole_number_format(
    thai_books: dict[str, Book], english_books: dict[str, Book]
) -> None:
    seen = 0
    for where, sheet in _all_sheets({**thai_books, **english_books}):
        for j, header in enumerate(sheet.headers):
            if header not in COUNT_HEADERS:
                continue
            for i, value in sheet.column(header):
                if value in ("", None):
                    continue
                assert isinstance(value, int | float) and float(value).is_integer(), where
                assert sheet.formats[(i, j)] in INT_FORMATS, f"{where} {header}"
                assert "." not in sheet.raw[(i, j)], f"{where} {header}: {sheet.raw[(i, j)]}"
                seen += 1
    assert seen > 100


def test_every_number_has_a_display_format_and_keeps_its_precision(
    thai_books: dict[str, Book], english_books: dict[str, Book]
) -> None:
    precise = []
    for where, sheet in _all_sheets({**thai_books, **english_books}):
        for (i, j), kind in sheet.types.items():
            value = sheet.rows[i][j] if i < len(sheet.rows) and j < len(sheet.rows[i]) else None
            if kind != "n" or i == 0 or (i, j) not in sheet.raw:
                continue
            fmt = sheet.formats[(i, j)]
            assert fmt != "General", f"{where} {sheet.headers[j] if j < len(sheet.headers) else j}"
            if fmt in ("0.0", "0.00", "0.0%") and len(sheet.raw[(i, j)].partition(".")[2]) > 3:
                precise.append((where, value))
        texts = [v for row in sheet.rows[1:] for v in row
                 if isinstance(v, str) and NUMBER_TEXT.match(v.strip())]  # fmt: skip
        # numbers written as text are numbers again (a unit code such as "01" would be text)
        assert not [t for t in texts if not t.startswith("0") or "." in t], f"{where}: {texts}"
    assert precise, "no full-precision value behind a rounded format"
    committee = thai_books["assessment/committee.xlsx"]
    six = next(s for n, s in committee.sheets.items() if n.startswith("CS6 "))
    j = six.headers.index("แบบตรวจที่ดำเนินการแล้ว (%)")
    shares = [v for _, v in six.column("แบบตรวจที่ดำเนินการแล้ว (%)") if v not in ("", None)]
    assert shares and all(0 <= v <= 1 for v in shares)  # a share, shown as 0.0%
    assert six.formats[(1, j)] == "0.0%"


def test_header_row_is_frozen_and_filtered_and_widths_fit(
    thai_books: dict[str, Book], english_books: dict[str, Book]
) -> None:
    for where, sheet in _all_sheets({**thai_books, **english_books}):
        assert sheet.frozen_rows == 1, f"{where}: header row not frozen"
        assert sheet.autofilter and sheet.autofilter.startswith("A1:"), f"{where}: no filter"
        assert sorted(sheet.widths) == list(range(len(sheet.headers))), where
        assert all(8 <= w <= 61 for w in sheet.widths.values()), f"{where}: {sheet.widths}"
        assert sheet.formulas == 0, f"{where}: formulas"
    # a Thai text column is as wide as its longest text looks (marks take no width)
    items = next(b for k, b in thai_books.items() if k.endswith("U01/report.xlsx")).sheets[
        "ความพึงพอใจรายข้อ"]  # fmt: skip
    j = items.headers.index("ข้อคำถาม")
    longest = max(visual_width(v) for _, v in items.column("ข้อคำถาม"))
    assert items.widths[j] == pytest.approx(min(longest + 2, 60), abs=1)
    assert max(len(v) for _, v in items.column("ข้อคำถาม")) > longest  # marks were not counted


def test_sarabun_is_the_font_of_every_cell(thai_books: dict[str, Book]) -> None:
    for where, book in thai_books.items():
        assert book.fonts and set(book.fonts) == {FONT_NAME}, f"{where}: {book.fonts}"


def test_english_workbooks_are_english(english_books: dict[str, Book]) -> None:
    for where, sheet in _all_sheets(english_books):
        if sheet.name == DICTIONARY:  # bilingual on purpose
            continue
        assert not THAI.search(sheet.name), where
        assert not [h for h in sheet.headers if THAI.search(h)], f"{where}: {sheet.headers}"
    summary = english_books["committee"].sheets["Summary"]
    assert summary.headers[:2] == ["Unit code", "Unit"]
    words = {v for row in summary.rows[1:] for v in row[2:] if isinstance(v, str) and v}
    assert words and words <= set(STATUS_LABELS["en"].values())


def test_plan_workbook_reads_back_as_codes_and_dates(batch: support.Batch) -> None:
    """The committee's copy shows names and BE dates; read_plan gets codes and dates back."""
    from pmqa_analysis.workspace.criteria import KNOWN_METRICS
    from pmqa_analysis.workspace.plan_file import PLAN_KPI_WORDS, read_plan

    folder = batch.run_dir / "assessment"
    back = read_plan(folder / "improvement_plan.xlsx")
    draft = pd.concat([pd.read_csv(p, encoding="utf-8-sig", dtype={"unit_code": str},
                                   parse_dates=["due_date"])
                       for p in sorted(folder.glob("*/improvement_plan.csv"))])  # fmt: skip
    assert len(back) == len(draft) > 0
    assert set(back["kpi"]) <= {*KNOWN_METRICS, *PLAN_KPI_WORDS}
    assert sorted(back["plan_id"]) == sorted(draft["plan_id"])
    merged = back.merge(draft, on="plan_id", suffixes=("", "_csv"))
    assert (merged["kpi"] == merged["kpi_csv"]).all()
    assert (merged["due_date"] == merged["due_date_csv"]).all()
    assert (merged["baseline"] - merged["baseline_csv"]).abs().max() < 1e-9  # full precision


# ----------------------------------------------------------------- the writer itself


def test_write_sheet_keeps_text_as_text_and_numbers_as_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "รหัส": ["01", "02"],  # codes with a leading zero stay text
        "รหัสหน่วยงาน": ["1001", "1002"],  # and codes under a code header
        "ข้อคิดเห็น": ["=HYPERLINK(\"http://x\")", "+1"],  # never a formula
        "ค่า": ["1,234", "87.5"],  # figures formatted for a page: numbers again
        "วันที่": ["2025-03-31", None],  # ISO text: a date
        "ผ่าน": [True, False],
        "n": [163.0, 2.0],
    })  # fmt: skip
    path = tmp_path / "t.xlsx"
    wb = new_workbook(path, "t")
    write_sheet(Formats(wb, "th"), "ตาราง", frame, used=set())
    wb.close()
    sheet = read_book(path).sheets["ตาราง"]
    assert sheet.rows[1] == ["01", "1001", "=HYPERLINK(\"http://x\")", 1234.0,
                             dt.date(2025, 3, 31), "ใช่", 163.0]  # fmt: skip
    assert sheet.formulas == 0 and sheet.types[(1, 2)] != "str"
    assert (sheet.formats[(1, 3)], sheet.formats[(2, 3)]) == ("#,##0", "0.0")
    assert sheet.formats[(1, 4)] == DATE_FORMATS["th"] and sheet.formats[(1, 6)] == "#,##0"
    assert sheet.raw[(1, 6)] == "163"


def test_sheet_names_are_valid_unique_and_short() -> None:
    used: set[str] = set()
    names = [sheet_name(t, used) for t in ("ผล: รายข้อ/ด้าน", "ผล- รายข้อ-ด้าน", "history",
                                             "CS1A จำแนกกลุ่มผู้รับบริการและผู้มีส่วนได้ส่วนเสีย")]  # fmt: skip
    assert names[:3] == ["ผล- รายข้อ-ด้าน", "ผล- รายข้อ-ด้าน (2)", "History-"]
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == 4
