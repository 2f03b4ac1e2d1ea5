"""Tests of pmqa_analysis.workspace.io: reading CSV, XLSX, SAV and Parquet read-only."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmqa_analysis.core.errors import PMQAError, ReadError
from pmqa_analysis.workspace.io import SUPPORTED_EXTENSIONS, detect_encoding, read_table

THAI_CSV = "unit_code,ชื่อหน่วยงาน,service_population\nU01,สำนักงานจังหวัด,12000\nU02, ที่ว่าการอำเภอ ,800\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def check_thai(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["unit_code", "ชื่อหน่วยงาน", "service_population"]
    assert frame["ชื่อหน่วยงาน"].tolist() == ["สำนักงานจังหวัด", "ที่ว่าการอำเภอ"]
    assert frame["service_population"].tolist() == [12000, 800]
    assert frame["service_population"].dtype == "int64"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp874", "cp874")],
)
def test_csv_encodings(tmp_path: Path, encoding: str, expected: str) -> None:
    path = write(tmp_path / "units.csv", THAI_CSV, encoding)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    table = read_table(path)
    check_thai(table.frame)
    assert table.encoding == expected
    assert table.file == "units.csv" and table.path == path
    assert table.rows.tolist() == [2, 3]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # read-only


def test_explicit_windows_874(tmp_path: Path) -> None:
    path = write(tmp_path / "units.csv", THAI_CSV, "cp874")
    table = read_table(path, encoding="windows-874")
    assert table.encoding == "cp874"
    check_thai(table.frame)
    with pytest.raises(ReadError, match="does not decode as utf-8"):
        read_table(path, encoding="UTF-8")
    with pytest.raises(ReadError, match="unknown encoding"):
        read_table(path, encoding="klingon")


def test_detect_encoding() -> None:
    assert detect_encoding("ก".encode()) == "utf-8"
    assert detect_encoding("\ufeffก".encode()) == "utf-8-sig"
    assert detect_encoding("ภาษาไทย".encode("cp874")) == "cp874"
    with pytest.raises(UnicodeDecodeError):
        detect_encoding(b"ok\xff\xfe")


@pytest.mark.parametrize("delim", [";", "\t", "|"])
def test_delimiters(tmp_path: Path, delim: str) -> None:
    text = THAI_CSV.replace(",", delim)
    table = read_table(write(tmp_path / "units.txt", text))
    check_thai(table.frame)


def test_semicolon_with_decimal_commas_in_quotes(tmp_path: Path) -> None:
    text = 'a;b;c\n"1,5";x;2\n"2,5";y;3\n'
    table = read_table(write(tmp_path / "t.csv", text))
    assert table.frame["a"].tolist() == ["1,5", "2,5"]
    assert table.frame["c"].tolist() == [2, 3]


def test_header_normalised_and_duplicates(tmp_path: Path) -> None:
    text = "\ufeff Q01\u00a0,Q02,Q01,ค\u0e4dา\n1,2,3,x\n"  # last header is not NFC
    table = read_table(write(tmp_path / "r.csv", text))
    assert table.duplicate_headers == ("Q01",)
    assert list(table.frame.columns)[:3] == ["Q01", "Q02", "Q01.1"]
    assert list(table.frame.columns)[3] == "คํา"
    assert table.frame.iloc[0, :3].tolist() == [1, 2, 3]


def test_row_numbers_with_blank_rows(tmp_path: Path) -> None:
    text = 'id,comment\n1,ดี\n,\n\n2,"สอง\nบรรทัด"\n  ,  \n3,ok\n'
    table = read_table(write(tmp_path / "r.csv", text))
    assert table.frame["id"].tolist() == [1, 2, 3]
    assert table.frame["id"].dtype == "int64"
    assert table.frame["comment"].tolist() == ["ดี", "สอง\nบรรทัด", "ok"]
    assert table.rows.tolist() == [2, 5, 7]


def test_leading_zero_codes_kept(tmp_path: Path) -> None:
    text = "unit_code,phone,score\n01,0812345678,5\n02,0891234567,4\n"
    frame = read_table(write(tmp_path / "u.csv", text)).frame
    assert frame["unit_code"].tolist() == ["01", "02"]
    assert frame["phone"].tolist() == ["0812345678", "0891234567"]
    assert frame["score"].tolist() == [5, 4]


def test_text_columns_keep_leading_zeros_anywhere(tmp_path: Path) -> None:
    # the only code with a leading zero is far past the first megabyte Arrow samples
    n = 150_000
    lines = [f"{100000 + i},{i % 5 + 1}" for i in range(n)]
    lines.append("007,3")
    path = write(tmp_path / "r.csv", "respondent_id,score\n" + "\n".join(lines) + "\n")
    assert path.stat().st_size > 1 << 20
    frame = read_table(path, text_columns=["respondent_id"]).frame
    assert frame["respondent_id"].iloc[-1] == "007"
    assert frame["respondent_id"].iloc[0] == "100000"
    assert frame["score"].dtype == "int64"  # other columns are still typed by content
    by_predicate = read_table(path, text_columns=lambda header: header == "respondent_id")
    assert by_predicate.frame["respondent_id"].iloc[-1] == "007"


def test_iso_dates_in_csv_are_datetimes_not_objects(tmp_path: Path) -> None:
    frame = read_table(write(tmp_path / "d.csv", "d\n2024-03-21\n\n2023-10-01\n")).frame
    assert frame["d"].dtype.kind == "M"
    assert frame["d"].tolist() == [pd.Timestamp("2024-03-21"), pd.Timestamp("2023-10-01")]


def test_xlsx_column_types(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "whole": [1, None, 3, 4],
            "all_whole": [1, 2, 3, 4],
            "fraction": [1.5, 2.0, None, 4.0],
            "text": [" ก ", "  ", "ข", None],
            "mixed": [1, "สอง", None, 4.5],
            "empty": [None, None, None, None],
            "when": [dt.datetime(2024, 1, 1), None, dt.datetime(2024, 1, 2), None],
        }
    )
    path = tmp_path / "t.xlsx"
    df.to_excel(path, index=False, engine="xlsxwriter")
    frame = read_table(path).frame
    assert frame["all_whole"].dtype == "int64"
    assert frame["whole"].dtype == "float64"
    assert frame["whole"].isna().tolist() == [False, True, False, False]
    assert frame["fraction"].tolist()[:2] == [1.5, 2.0]
    assert frame["text"].tolist()[0] == "ก" and frame["text"].isna().tolist()[1:] == [
        True,
        False,
        True,
    ]
    assert frame["mixed"].tolist()[:2] == [1, "สอง"] and frame["mixed"].tolist()[3] == 4.5
    assert frame["empty"].isna().all()
    assert frame["when"].tolist()[0] == dt.datetime(2024, 1, 1)


def test_xlsx_numbers_typed_together_yet_a_late_word_keeps_its_column_mixed(
    tmp_path: Path,
) -> None:
    # the sheet's number columns are cast in one block; a word below the first 1,000
    # rows in one of them must not be coerced (nor crash the block)
    n = 1500
    df = pd.DataFrame({"a": np.arange(n, dtype=float), "b": np.full(n, 2.5), "c": ["x"] * n})
    df.loc[3, "a"] = np.nan
    path = tmp_path / "ok.xlsx"
    df.to_excel(path, index=False, engine="xlsxwriter")
    frame = read_table(path).frame
    assert frame["a"].dtype == "float64" and frame["a"].isna().sum() == 1
    assert frame["b"].dtype == "float64" and frame["c"].tolist()[0] == "x"
    late = df.astype({"b": object})
    late.loc[1200, "b"] = "ไม่ทราบ"
    late.to_excel(path, index=False, engine="xlsxwriter")
    frame = read_table(path).frame
    assert frame["b"].tolist()[1200] == "ไม่ทราบ" and frame["b"].tolist()[0] == 2.5
    assert frame["a"].dtype == "float64"


def test_xlsx_dates_and_thai(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            " หน่วยงาน ": ["สำนักงานจังหวัด ", None, "อำเภอ"],
            "วันที่": [dt.datetime(2024, 3, 15, 10, 22), None, dt.datetime(2023, 10, 1)],
            "score": [5, None, 4],
        }
    )
    path = tmp_path / "responses.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        df.to_excel(writer, index=False, sheet_name="ข้อมูล")
        pd.DataFrame({"x": [1]}).to_excel(writer, index=False, sheet_name="other")
    table = read_table(path)
    assert table.sheet == "ข้อมูล"
    assert list(table.frame.columns) == ["หน่วยงาน", "วันที่", "score"]
    assert table.frame["หน่วยงาน"].tolist() == ["สำนักงานจังหวัด", "อำเภอ"]
    assert table.frame["วันที่"].tolist() == [
        dt.datetime(2024, 3, 15, 10, 22),
        dt.datetime(2023, 10, 1),
    ]
    assert table.frame["score"].tolist() == [5, 4]
    assert table.rows.tolist() == [2, 4]
    assert read_table(path, sheet="other").frame["x"].tolist() == [1]
    assert read_table(path, sheet=1).sheet == "other"
    with pytest.raises(ReadError, match=r"sheet 'nope' not found.*ข้อมูล, other"):
        read_table(path, sheet="nope")
    with pytest.raises(ReadError, match="sheet number 5 not found"):
        read_table(path, sheet=5)


def test_xlsx_header_not_on_first_row(tmp_path: Path) -> None:
    path = tmp_path / "u.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame({"a": ["x", "y"]}).to_excel(writer, index=False, startrow=2)
    table = read_table(path)
    assert table.frame["a"].tolist() == ["x", "y"]
    assert table.rows.tolist() == [4, 5]


def test_saq_sav(refdata: Path) -> None:
    path = refdata_file(refdata, "spss_saq/SAQ.sav")
    table = read_table(path)
    assert table.frame.shape == (2571, 23)
    assert table.value_labels["Question_01"][1.0] == "Strongly agree"
    assert table.value_labels["Question_01"][9.0] == "Not answered"
    assert table.missing_values["Question_01"] == [9.0]
    assert table.column_labels["Question_01"] == "Statistics makes me cry"
    assert table.frame["Question_01"].isin([1, 2, 3, 4, 5, 9]).all()  # codes, not labels
    assert table.rows[0] == 2 and table.rows[-1] == 2572


def test_small_sav_round_trip(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"q1": [1.0, 2.0, 9.0], "unit": ["U1", " U2 ", ""]})
    path = tmp_path / "small.sav"
    pyreadstat.write_sav(
        df,
        str(path),
        column_labels={"q1": "ความพึงพอใจ", "unit": "หน่วยงาน"},
        variable_value_labels={"q1": {1.0: "น้อยที่สุด", 2.0: "น้อย", 9.0: "ไม่ตอบ"}},
        missing_ranges={"q1": [9.0]},
    )
    table = read_table(path)
    assert table.frame["q1"].tolist() == [1.0, 2.0, 9.0]
    assert table.frame["unit"].tolist() == ["U1", "U2", None]
    assert table.value_labels["q1"][9.0] == "ไม่ตอบ"
    assert table.column_labels == {"q1": "ความพึงพอใจ", "unit": "หน่วยงาน"}
    assert table.missing_values == {"q1": [9.0]}


def test_parquet(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [" x ", None, "z"], "b": [1, 2, 3], "c": [None, None, None]})
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    table = read_table(path)
    assert table.frame["a"].tolist() == ["x", None, "z"]
    assert table.frame["b"].tolist() == [1, 2, 3]
    assert table.rows.tolist() == [2, 3, 4]


@pytest.mark.parametrize(
    ("name", "content", "pattern"),
    [
        ("missing.csv", None, "missing.csv: file not found"),
        ("data.json", b"{}", r"unsupported file type '\.json'.*\.csv, \.txt, \.xlsx"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("blank.csv", b"\xef\xbb\xbf \r\n", "the file is empty"),
        ("bad.xlsx", b"not a zip", "bad.xlsx: cannot open the workbook"),
        ("bad.sav", b"$FL2 garbage", "bad.sav: cannot read the SPSS file"),
        ("bad.parquet", b"PAR1xxxx", "bad.parquet: cannot read the Parquet file"),
        ("ragged.csv", b"a,b\n1,2,3\n", "ragged.csv: a row has 3 cells but the header has 2"),
    ],
)
def test_errors(tmp_path: Path, name: str, content: bytes | None, pattern: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ReadError, match=pattern) as info:
        read_table(path)
    assert info.value.file == name


def test_undecodable_names_line_and_byte(tmp_path: Path) -> None:
    data = "a,b\n1,ก\n".encode() + b"2,\x81\xff\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        read_table(path)
    msg = str(info.value)
    assert "utf-8-sig, utf-8, cp874" in msg
    assert "line 3, byte 3" in msg and "0x81" in msg
    assert "CSV UTF-8" in msg


def test_empty_sheet(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame().to_excel(writer, index=False, sheet_name="s")
    with pytest.raises(ReadError, match="sheet 's' is empty"):
        read_table(path)


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "x.csv"
    folder.mkdir()
    with pytest.raises(ReadError, match="is a folder"):
        read_table(folder)


def test_supported_extensions_listed() -> None:
    assert {".csv", ".xlsx", ".sav", ".parquet"} <= set(SUPPORTED_EXTENSIONS)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(alphabet=st.sampled_from(list(',;\t|"\n\r ab1ก๑.\ufeff')), max_size=200).map(
            str.encode
        ),
    ),
    ext=st.sampled_from([".csv", ".xlsx", ".sav", ".parquet"]),
)
def test_random_bytes_read_or_pmqa_error(tmp_path: Path, data: bytes, ext: str) -> None:
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(data)
    try:
        table = read_table(path)
    except PMQAError as err:
        assert "fuzz" in str(err)
        return
    assert isinstance(table.frame, pd.DataFrame)
    assert len(table.rows) == len(table.frame)
    assert np.all(np.diff(table.rows) > 0)


def test_title_rows_skipped_without_and_with_a_hint(tmp_path: Path) -> None:
    from pmqa_analysis.workspace.io_table import FileReadError

    text = "รายงานผล ปี 2567,,\n,,\nunit_code,name,n\nU01,ก,1\n\nU02,ข,2\n"
    table = read_table(write(tmp_path / "t.csv", text, "cp874"))
    assert table.header_row == 3 and table.skipped == ("รายงานผล ปี 2567",)
    assert table.frame["unit_code"].tolist() == ["U01", "U02"]
    assert table.rows.tolist() == [4, 6]
    # a hint wins over the width rule: a two-cell title is as wide as the header
    path = write(tmp_path / "h.csv", "รายงาน,2567\nid,unit_code\n1,U01\n")
    assert read_table(path).header_row == 1  # no hint: the first wide row
    hinted = read_table(path, header_hint=["unit_code"])
    assert hinted.header_row == 2 and list(hinted.frame.columns) == ["id", "unit_code"]
    # a one-column file keeps its first row as the header
    single = read_table(write(tmp_path / "s.csv", "comment\nดี\nควรปรับปรุง\n"))
    assert single.header_row == 1 and single.frame["comment"].tolist() == ["ดี", "ควรปรับปรุง"]
    # a ragged row below a title is numbered as the file shows it
    with pytest.raises(FileReadError) as info:
        read_table(write(tmp_path / "r.csv", "หัวเรื่อง\nid,unit_code\n1,U01\n2\n"))
    assert info.value.row == 4 and info.value.case == "ragged"


def test_workbook_saved_as_csv_and_cover_sheet(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame({"ชื่อเรื่อง": ["ปก"]}).to_excel(writer, index=False, sheet_name="ปก")
        pd.DataFrame({"unit_code": ["U01"], "n": [3]}).to_excel(
            writer, index=False, sheet_name="data", startrow=1
        )
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    plain = read_table(path)  # no hint: the first sheet, as always
    assert plain.read_as == "xlsx" and plain.sheet == "ปก" and plain.sheets == ("ปก", "data")
    hinted = read_table(path, header_hint=lambda h: h in {"unit_code", "n"})
    assert hinted.sheet == "data" and hinted.header_row == 2 and hinted.rows.tolist() == [3]
    assert hinted.frame.to_dict("list") == {"unit_code": ["U01"], "n": [3]}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
