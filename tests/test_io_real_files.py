"""Files as offices really have them, through `pmqa validate` (issue 17).

Each test copies the sample workspace, breaks (or reshapes) one file the way an office's
file comes, runs ``pmqa validate`` and checks the exit code and the problem's file, row,
column, what was found and the fix. Every file of the workspace must be byte-for-byte the
same afterwards.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pmqa_analysis.cli import main
from pmqa_analysis.workspace.io import read_table

TITLE = "แบบสำรวจความพึงพอใจ ปีงบประมาณ 2567"
ITEM = "ขั้นตอนการให้บริการไม่ยุ่งยากซับซ้อน"  # the first item column of the sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workspace, made once; each test breaks a copy of it."""
    from pmqa_analysis.workspace.sample import make_sample_workspace

    return make_sample_workspace(
        tmp_path_factory.mktemp("sample") / "ws", n_units=3, reach_sample_size=False
    )


@pytest.fixture
def ws(sample: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(sample, tmp_path / "ws"))


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def validate(ws: Path, language: str = "en") -> tuple[int, pd.DataFrame, str]:
    """Run `pmqa validate`; the exit code, the problems table (--problems-csv), the output."""
    before = hashes(ws)
    out = ws.parent / "problems.csv"
    text = io.StringIO()
    with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
        code = main(["--language", language, "validate", str(ws), "--problems-csv", str(out)])
    assert hashes(ws) == before, "validate changed a file of the workspace"
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return code, table, text.getvalue()


def only(table: pd.DataFrame, kind: str) -> pd.Series:
    hit = table[table["kind"] == kind]
    assert len(hit) == 1, f"expected one {kind!r} problem, got:\n{table.to_string()}"
    return hit.iloc[0]


def records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = True) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)  # as Excel writes a CSV
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode())


def responses_frame(ws: Path) -> pd.DataFrame:
    return read_table(ws / "responses.csv", text_columns=lambda _h: True).frame


def errors(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["severity"] == "error"]


# --------------------------------------------------------------------------- title rows


@pytest.mark.parametrize("padded", [True, False], ids=["excel_padded", "bare_title"])
def test_csv_title_rows_above_the_header(ws: Path, padded: bool) -> None:
    rows = records(ws / "responses.csv")
    width = len(rows[0])
    rows[5][rows[0].index(ITEM)] = "ดีมาก"  # not a label of the scale: file row 6 + 2 titles
    title = [[TITLE, *[""] * (width - 1)], [""] * width] if padded else [[TITLE], []]
    write_csv(ws / "responses.csv", [*title, *rows])
    code, table, _ = validate(ws)
    assert code == 2
    note = only(table, "header_row_found")
    assert note["severity"] == "warning" and note["file"] == "responses.csv"
    assert note["row"] == "3" and note["value"] == TITLE
    assert "row 3" in note["expected"] and "nothing to fix" in note["hint"]
    bad = only(errors(table), "bad_score")  # the only error: rows are numbered as in the file
    assert (bad["row"], bad["column"], bad["value"]) == ("8", ITEM, "ดีมาก")


def test_xlsx_title_rows_above_the_header(ws: Path) -> None:
    frame = responses_frame(ws)
    (ws / "responses.csv").unlink()
    with pd.ExcelWriter(ws / "responses.xlsx", engine="xlsxwriter") as writer:
        frame.to_excel(writer, index=False, sheet_name="Sheet1", startrow=3)
        writer.sheets["Sheet1"].write(0, 0, TITLE)
        writer.sheets["Sheet1"].write(1, 0, "จัดทำโดย สำนักงานจังหวัดตัวอย่าง")
    code, table, _ = validate(ws)
    assert code == 0, table.to_string()
    note = only(table, "header_row_found")
    assert note["file"] == "responses.xlsx" and note["row"] == "4"
    assert note["value"] == f"{TITLE} / จัดทำโดย สำนักงานจังหวัดตัวอย่าง"


def test_title_row_note_in_thai(ws: Path) -> None:
    rows = records(ws / "units.csv")
    write_csv(ws / "units.csv", [["รายชื่อหน่วยงาน"], *rows])
    code, table, out = validate(ws, language="th")
    assert code == 0
    note = only(table, "header_row_found")
    assert note["file"] == "units.csv" and note["row"] == "2"
    assert "พบที่แถว 2" in note["expected"] and "ไม่ต้องแก้ไข" in note["hint"]
    assert "units.csv" in out and "แถว 2" in out


# --------------------------------------------------------------------------- worksheets


def write_cover_and_data(path: Path, frame: pd.DataFrame, data_sheet: str = "ข้อมูล") -> None:
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        cover = pd.DataFrame({TITLE: ["สำนักงานจังหวัดตัวอย่าง", None, "ผู้จัดทำ: กลุ่มงานยุทธศาสตร์"]})
        cover.to_excel(writer, index=False, sheet_name="ปก")
        frame.to_excel(writer, index=False, sheet_name=data_sheet)


def test_xlsx_cover_sheet_first_reads_the_sheet_holding_the_header(ws: Path) -> None:
    frame = responses_frame(ws)
    (ws / "responses.csv").unlink()
    write_cover_and_data(ws / "responses.xlsx", frame)
    code, table, _ = validate(ws)
    assert code == 0, table.to_string()
    note = only(table, "sheet_chosen")
    assert note["severity"] == "warning" and note["file"] == "responses.xlsx"
    assert note["column"] == "ข้อมูล" and "ปก, ข้อมูล" in note["value"]
    assert "[sheets] responses" in note["hint"]
    assert "header_row_found" not in set(table["kind"])


def test_xlsx_no_sheet_holds_the_header_names_the_sheets(ws: Path) -> None:
    frame = responses_frame(ws)
    frame.columns = [f"คำถามที่ {i}" for i in range(len(frame.columns))]
    (ws / "responses.csv").unlink()
    write_cover_and_data(ws / "responses.xlsx", frame, data_sheet="Form1")
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert err["file"] == "responses.xlsx"
    assert "sheets seen: 'ปก', 'Form1'" in err["value"]
    assert '[sheets] responses = "<sheet>"' in err["hint"]


def test_sheet_named_in_settings(ws: Path) -> None:
    frame = responses_frame(ws)
    (ws / "responses.csv").unlink()
    write_cover_and_data(ws / "responses.xlsx", frame)
    settings = ws / "settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + '\n[sheets]\nresponses = "ข้อมูล"\n')
    code, table, _ = validate(ws)
    assert code == 0 and "sheet_chosen" not in set(table["kind"])  # chosen by the user
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('= "ข้อมูล"', '= "Sheet9"'), encoding="utf-8"
    )
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert "sheet 'Sheet9' not found" in err["value"] and "ปก, ข้อมูล" in err["value"]
    assert "[sheets]" in err["hint"]


def test_sheets_section_checked(ws: Path) -> None:
    settings = ws / "settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + '\n[sheets]\nrespones = "x"\n')
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unknown_template")
    assert err["column"] == "[sheets]" and "responses" in err["hint"]


# --------------------------------------------------------------------------- ragged rows


def test_ragged_row_names_its_row(ws: Path) -> None:
    rows = records(ws / "responses.csv")
    width = len(rows[0])
    rows[6] = rows[6][:4]  # file row 7
    rows[9] = [*rows[9], "x"]  # file row 10
    write_csv(ws / "responses.csv", rows)
    code, table, out = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert err["file"] == "responses.csv" and err["row"] == "7"
    assert f"a row has 4 cells but the header has {width} columns: row 7" in err["value"]
    assert f"10 ({width + 1} cells)" in err["value"]
    assert "double quotes" in err["hint"]
    assert "row 7" in out


def test_ragged_row_below_a_title_counts_the_title(ws: Path) -> None:
    rows = records(ws / "units.csv")
    rows[2] = rows[2][:2]  # file row 3, row 5 once two title rows are above
    write_csv(ws / "units.csv", [["รายชื่อหน่วยงาน"], [], *rows])
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert err["row"] == "5" and "row 5" in err["value"]


# --------------------------------------------------------------------------- formats


def test_xlsx_saved_as_csv_is_read_as_xlsx(ws: Path) -> None:
    frame = responses_frame(ws)
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, engine="xlsxwriter")
    (ws / "responses.csv").write_bytes(buf.getvalue())
    code, table, _ = validate(ws)
    assert code == 0, table.to_string()
    note = only(table, "format_differs")
    assert note["severity"] == "warning" and note["file"] == "responses.csv"
    assert "Excel workbook (XLSX)" in note["value"] and "responses.xlsx" in note["hint"]


def test_text_export_named_xls_is_read_as_text(ws: Path) -> None:
    rows = records(ws / "channels.csv")
    (ws / "channels.csv").unlink()
    (ws / "channels.xls").write_text("\n".join("\t".join(r) for r in rows) + "\n", "utf-8")
    code, table, _ = validate(ws)
    assert code == 0, table.to_string()
    note = only(table, "format_differs")
    assert note["file"] == "channels.xls" and "text (CSV)" in note["value"]


def test_three_megabyte_cell_loads(ws: Path) -> None:
    rows = records(ws / "responses.csv")
    col = rows[0].index("comment_praise")
    big = "บริการดีมาก เจ้าหน้าที่ใส่ใจ\n" * 100_000  # ~3.8 MB, with line breaks
    rows[1][col] = big
    rows[40][col] = "ดี," * 1_000_000  # ~3 MB with the delimiter inside (quoted)
    write_csv(ws / "responses.csv", rows)
    assert (ws / "responses.csv").stat().st_size > 6_000_000
    code, table, _ = validate(ws)
    assert code == 0, table.to_string()
    raw = read_table(ws / "responses.csv", text_columns=["comment_praise"])
    assert raw.frame["comment_praise"].iloc[0] == big.strip()
    assert len(raw.frame) == len(rows) - 1
    # the record after the huge cell keeps its own row number (Excel counts one row)
    assert raw.rows[:3].tolist() == [2, 3, 4]


def test_cp874_resave_by_thai_excel(ws: Path) -> None:
    for name in ("responses.csv", "units.csv"):
        text = (ws / name).read_bytes().decode("utf-8-sig")
        (ws / name).write_bytes(text.encode("cp874"))
    code, table, _ = validate(ws)
    assert code == 0, table.to_string()
    assert read_table(ws / "units.csv").encoding == "cp874"


def test_undecodable_text_asks_for_csv_utf8(ws: Path) -> None:
    data = (ws / "units.csv").read_bytes()
    (ws / "units.csv").write_bytes(data + "U09,หน่วย".encode("cp874") + "ทดสอบ\n".encode())
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert err["file"] == "units.csv" and "cannot decode" in err["value"]
    assert "line 5" in err["value"]
    assert "CSV UTF-8" in err["hint"]


def test_empty_required_file(ws: Path) -> None:
    (ws / "responses.csv").write_bytes(b"")
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert err["file"] == "responses.csv" and "the file is empty (0 bytes)" in err["value"]
    assert "export it again" in err["hint"] and "header row" in err["hint"]


def test_empty_optional_file_is_no_data(ws: Path) -> None:
    (ws / "complaints.csv").write_bytes(b"")
    code, table, _ = validate(ws)
    assert code == 0, table.to_string()
    note = only(table, "empty_file")
    assert note["severity"] == "warning" and note["file"] == "complaints.csv"
    assert "no data" in note["expected"]


@pytest.mark.parametrize(
    ("name", "content", "found", "fix"),
    [
        ("responses.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document", "export"),
        (
            "responses.csv",
            b"\xef\xbb\xbf<!DOCTYPE html><html><body><table><tr><td>a</td></tr></table>",
            "a web page (HTML)",
            "web page",
        ),
        ("responses.xls", b"<html><table><tr><td>x</td></tr></table></html>", "HTML", "web"),
        ("responses.csv", b"PK\x03\x04" + b"\x00" * 60, "damaged Excel workbook", "Save As"),
        ("responses.xlsx", b"PK\x03\x04" + b"\x00" * 60, "cannot open the workbook", "Save As"),
        (
            "responses.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 504
            + "EncryptedPackage".encode("utf-16-le"),
            "protected by a password",
            "Encrypt with Password",
        ),
        ("responses.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "workbook", "xlsx"),
    ],
    ids=["pdf_as_csv", "html_as_csv", "html_as_xls", "zip_cut_csv", "zip_cut", "encrypted", "xls"],
)
def test_file_that_is_not_a_table(
    ws: Path, name: str, content: bytes, found: str, fix: str
) -> None:
    (ws / "responses.csv").unlink()
    (ws / name).write_bytes(content)
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert err["file"] == name
    assert found in err["value"] and fix in err["hint"], err.to_dict()


def test_zip_archive_lists_what_it_holds(ws: Path) -> None:
    import zipfile

    (ws / "responses.csv").unlink()
    with zipfile.ZipFile(ws / "responses.csv", "w") as archive:
        archive.writestr("แบบสำรวจ.csv", "a,b\n1,2\n")
    code, table, _ = validate(ws)
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert "ZIP archive (แบบสำรวจ.csv)" in err["value"] and "extract" in err["hint"]


def test_hint_in_thai_fits_the_case(ws: Path) -> None:
    (ws / "responses.csv").write_bytes(b"%PDF-1.4\n")
    code, table, _ = validate(ws, language="th")
    assert code == 2
    err = only(errors(table), "unreadable_file")
    assert "PDF" in err["hint"] and "ส่งออกข้อมูล" in err["hint"]
