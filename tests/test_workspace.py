"""Workspace loading and validation: a small valid workspace, then one malformation at a time.

Every malformed input must be reported with the file, the row as Excel shows it
(header = row 1) and the column, without a traceback and without touching the
input files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmqa_analysis.core.errors import InputError, ValidationError
from pmqa_analysis.workspace.loader import load_workspace, validate_workspace

FILES: dict[str, str] = {
    "units.csv": (
        "unit_code,unit_name_th,unit_name_en,service_population\n"
        "U01,สำนักงานจังหวัด,Provincial Office,100\n"
        "U02,สำนักงานเกษตรจังหวัด,Agriculture Office,50\n"
    ),
    "groups.csv": (
        "group_code,group_name_th,kind,mission\n"
        "G1,ประชาชนทั่วไป,recipient,บริการข้อมูล\n"
        "G2,ผู้ประกอบการ,ผู้มีส่วนได้ส่วนเสีย,ส่งเสริมการค้า\n"
    ),
    "channels.csv": ("channel_code,channel_name_th\nWALKIN,ติดต่อด้วยตนเอง\nWEB,เว็บไซต์\n"),
    "questionnaire.csv": (
        "item_code,dimension_code,dimension_th,item_th,scale,reverse,column_header\n"
        "Q1,PROC,ด้านกระบวนการ,ขั้นตอนไม่ยุ่งยาก,th5,no,ขั้นตอนไม่ยุ่งยาก\n"
        "Q2,PROC,ด้านกระบวนการ,ระยะเวลาเหมาะสม,th5,no,\n"
        "Q3,STAFF,ด้านเจ้าหน้าที่,ต้องรอนานเกินไป,th5,yes,\n"
    ),
    "responses.csv": (
        "respondent_id,unit_code,ประทับเวลา,group_code,channel_code,sex,weight,"
        "ขั้นตอนไม่ยุ่งยาก,Q2,Q3,comment_improve\n"
        'R1,U01,"15/3/2567, 10:22:01",G1,WALKIN,หญิง,1,มากที่สุด,4,ปานกลาง,โทร 081-234-5678\n'
        'R2,U01,"16/3/2567, 09:00:00",G2,WEB,ชาย,1,มาก,5,น้อย,\n'
        'R3,U01,"2/9/2566, 11:00:00",G1,WEB,ชาย,1,ปานกลาง,ไม่มีความเห็น,มาก,\n'
        'R4,U02,"20/3/2567, 14:05:00",G1,WALKIN,หญิง,1,น้อย,2,มากที่สุด,รอนาน\n'
        'R5,U02,"21/3/2567, 14:05:00",G2,WALKIN,หญิง,1,น้อยที่สุด,1,,\n'
        'R6,U02,"22/3/2567, 14:05:00",G2,WEB,ชาย,1,มาก,๔,น้อย,\n'
    ),
    "complaints.csv": (
        "complaint_id,unit_code,received_date,channel_code,category,status,closed_date\n"
        "C1,U01,2 ต.ค. 2566,WALKIN,การให้บริการ,เสร็จสิ้น,10 ต.ค. 2566\n"
        "C2,U02,2024-01-05,WEB,สถานที่,open,\n"
    ),
    "service_standards.csv": (
        "unit_code,service_code,service_name_th,standard_minutes\n"
        "U01,S01,ขอข้อมูลข่าวสาร,30\nU02,S01,ขึ้นทะเบียนเกษตรกร,60\n"
    ),
    "service_log.csv": (
        "transaction_id,unit_code,service_code,service_date,actual_minutes\n"
        "T1,U01,S01,2023-11-01,25\nT2,U02,S01,2023-11-02,75\n"
    ),
    "activities.csv": (
        "activity_id,unit_code,activity_date,activity_name,group_code,participants\n"
        "A1,U01,15 ม.ค. 67,ประชุมเครือข่าย,G2,40\n"
    ),
    "checklist.csv": (
        "unit_code,fiscal_year,activity_code,check_code,status,evidence_ref\n"
        "U01,2567,CS1A,CS1A.1,ดำเนินการแล้ว,คำสั่งที่ 1/2567\n"
        "U02,2567,CS1A,CS1A.1,not_done,\n"
    ),
    "settings.toml": '[survey]\nprovince = "ทดสอบ"\nfiscal_year = 2567\n',
}


def write_ws(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    """Write the small workspace with some files replaced (None = file removed)."""
    root.mkdir(parents=True, exist_ok=True)
    files = {**FILES, **(changes or {})}
    for name, text in files.items():
        if text is not None:
            (root / name).write_text(text, encoding="utf-8")
    return root


def edit(name: str, old: str, new: str) -> dict[str, str | None]:
    """A change to one file: replace ``old`` (which must occur) by ``new``."""
    assert old in FILES[name], (name, old)
    return {name: FILES[name].replace(old, new, 1)}


def errors_of(ws: Path) -> pd.DataFrame:
    table = validate_workspace(ws, language="en")
    return table[table["severity"] == "error"]


# ---------------------------------------------------------------- valid input


def test_small_workspace_loads_with_types(tmp_path: Path) -> None:
    s = load_workspace(write_ws(tmp_path / "ws"))
    r = s.responses
    assert list(s.items) == ["Q1", "Q2", "Q3"]
    assert r.loc[0, "response_date"] == pd.Timestamp("2024-03-15 10:22:01")
    assert list(r["fiscal_year"]) == [2567, 2567, 2566, 2567, 2567, 2567]
    assert r["half"].tolist()[:3] == [1, 1, 2]
    assert r["Q1"].tolist() == [5, 4, 3, 2, 1, 4]
    assert np.isnan(r.loc[2, "Q2"])  # ไม่มีความเห็น is missing, not a score
    assert r.loc[5, "Q2"] == 4  # Thai digit
    assert r["Q3"].tolist()[:2] == [3, 4]  # reverse-coded: ปานกลาง 3 -> 3, น้อย 2 -> 4
    assert "081" not in str(r.loc[0, "comment_improve"])  # phone masked at load
    assert s.groups.loc[1, "kind"] == "stakeholder"  # Thai alias
    assert s.complaints.loc[0, "status"] == "closed"
    assert s.complaints.loc[0, "days_to_close"] == 8
    assert s.checklist.loc[0, "status"] == "done"
    assert s.catalogue.name


def test_codes_keep_leading_zeros_past_the_first_megabyte(tmp_path: Path) -> None:
    # numeric respondent ids; the last one differs from the first only by a leading zero
    header = "respondent_id,unit_code,response_date,group_code,Q1,Q2,Q3\n"
    rows = [f"{100000 + i},U01,2024-03-{i % 28 + 1:02d},G1,{i % 5 + 1},4,3" for i in range(60_000)]
    rows.append("0100000,U02,2024-03-01,G2,5,5,5")
    ws = write_ws(tmp_path / "ws", {"responses.csv": header + "\n".join(rows) + "\n"})
    assert (ws / "responses.csv").stat().st_size > 1 << 20
    s = load_workspace(ws)
    ids = s.responses["respondent_id"]
    assert ids.iloc[0] == "100000" and ids.iloc[-1] == "0100000"  # not a duplicate of 100000
    assert s.responses["unit_code"].iloc[-1] == "U02"


def test_warning_for_small_samples_is_kept_not_fatal(tmp_path: Path) -> None:
    s = load_workspace(write_ws(tmp_path / "ws"))
    assert (s.warnings["kind"] == "sample_below_required").sum() == 2


def test_a_blank_population_warning_names_the_unit_not_a_found_value(tmp_path: Path) -> None:
    from pmqa_analysis.core.problems import format_problems

    blank = edit("units.csv", "Agriculture Office,50", "Agriculture Office,")
    ws = write_ws(tmp_path / "ws", blank)
    s = load_workspace(ws)
    row = s.warnings[s.warnings["kind"] == "unknown_population"]
    assert len(row) == 1 and pd.isna(row["value"].iloc[0])  # nothing was found in the cell
    text = format_problems(row, "th")
    assert "หน่วยงาน U02" in text and "ช่องนี้ว่าง" in text and "พบ" not in text


def test_cp874_and_bom_files_load(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws")
    (ws / "units.csv").write_bytes(FILES["units.csv"].encode("cp874"))
    (ws / "groups.csv").write_bytes(FILES["groups.csv"].encode("utf-8-sig"))
    s = load_workspace(ws)
    assert s.units.loc[0, "unit_name_th"] == "สำนักงานจังหวัด"
    assert s.groups.loc[0, "group_name_th"] == "ประชาชนทั่วไป"


def test_xlsx_responses_load(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws", {"responses.csv": None})
    raw = pd.read_csv(pd.io.common.StringIO(FILES["responses.csv"]), dtype=str)
    raw.to_excel(ws / "responses.xlsx", index=False, engine="xlsxwriter")
    s = load_workspace(ws)
    assert s.responses["Q1"].tolist() == [5, 4, 3, 2, 1, 4]


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws", edit("units.csv", ",100\n", ",abc\n"))
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ws.iterdir()}
    with pytest.raises(ValidationError):
        load_workspace(ws)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ws.iterdir()}
    assert before == after


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="pmqa init"):
        load_workspace(tmp_path / "nope")


# ------------------------------------------------------------ malformed input

CASES: list[tuple[str, dict[str, str | None], str, int | None, str, str]] = [
    # id, change, file, row, column, kind
    ("units-number", edit("units.csv", ",100\n", ",abc\n"),
     "units.csv", 2, "service_population", "not_a_number"),
    ("units-negative", edit("units.csv", ",50\n", ",-5\n"),
     "units.csv", 3, "service_population", "negative_number"),
    ("units-fraction", edit("units.csv", ",50\n", ",12.5\n"),
     "units.csv", 3, "service_population", "not_a_number"),
    ("units-duplicate", edit("units.csv", "U02,", "U01,"),
     "units.csv", 3, "unit_code", "duplicate_key"),
    ("units-blank-name", edit("units.csv", "สำนักงานเกษตรจังหวัด", ""),
     "units.csv", 3, "unit_name_th", "required_value_missing"),
    ("units-thai-digits-bad", edit("units.csv", ",100\n", ",๑๐o\n"),
     "units.csv", 2, "service_population", "not_a_number"),
    ("groups-kind", edit("groups.csv", ",recipient,", ",citizen,"),
     "groups.csv", 2, "kind", "bad_choice"),
    ("channels-duplicate", edit("channels.csv", "WEB,", "WALKIN,"),
     "channels.csv", 3, "channel_code", "duplicate_key"),
    ("questionnaire-scale", edit("questionnaire.csv", ",th5,no,\n", ",th7,no,\n"),
     "questionnaire.csv", 3, "scale", "unknown_scale"),
    ("questionnaire-reverse", edit("questionnaire.csv", ",th5,yes,", ",th5,maybe,"),
     "questionnaire.csv", 4, "reverse", "bad_yes_no"),
    ("questionnaire-duplicate", edit("questionnaire.csv", "Q2,", "Q1,"),
     "questionnaire.csv", 3, "item_code", "duplicate_key"),
    ("questionnaire-reserved-code", edit("questionnaire.csv", "Q1,PROC", "weight,PROC"),
     "questionnaire.csv", 2, "item_code", "reserved_item_code"),
    ("questionnaire-derived-code", edit("questionnaire.csv", "Q2,PROC", "fiscal_year,PROC"),
     "questionnaire.csv", 3, "item_code", "reserved_item_code"),
    ("questionnaire-blank-scale", edit("questionnaire.csv", ",th5,yes,", ",,yes,"),
     "questionnaire.csv", 4, "scale", "required_value_missing"),
    ("responses-label", edit("responses.csv", "หญิง,1,มากที่สุด", "หญิง,1,ดีเยี่ยม"),
     "responses.csv", 2, "ขั้นตอนไม่ยุ่งยาก", "bad_score"),
    ("responses-out-of-range", edit("responses.csv", "มาก,5,น้อย", "มาก,7,น้อย"),
     "responses.csv", 3, "Q2", "bad_score"),
    ("responses-unit", edit("responses.csv", "R4,U02", "R4,U99"),
     "responses.csv", 5, "unit_code", "unknown_unit_code"),
    ("responses-group", edit("responses.csv", "G2,WEB,ชาย,1,มาก,5", "G9,WEB,ชาย,1,มาก,5"),
     "responses.csv", 3, "group_code", "unknown_group_code"),
    ("responses-channel", edit("responses.csv", "G1,WALKIN,หญิง,1,น้อย", "G1,FAX,หญิง,1,น้อย"),
     "responses.csv", 5, "channel_code", "unknown_channel_code"),
    ("responses-duplicate-id", edit("responses.csv", "R6,", "R5,"),
     "responses.csv", 7, "respondent_id", "duplicate_key"),
    ("responses-date", edit("responses.csv", "2/9/2566, 11:00:00", "32/13/2566, 11:00:00"),
     "responses.csv", 4, "ประทับเวลา", "bad_date"),
    ("responses-blank-unit", edit("responses.csv", "R2,U01,", "R2,,"),
     "responses.csv", 3, "unit_code", "required_value_missing"),
    ("responses-weight", edit("responses.csv", "ชาย,1,มาก,5", "ชาย,หนัก,มาก,5"),
     "responses.csv", 3, "weight", "not_a_number"),
    ("responses-sex", edit("responses.csv", "WALKIN,หญิง,1,มากที่สุด", "WALKIN,ม,1,มากที่สุด"),
     "responses.csv", 2, "sex", "bad_choice"),
    ("complaints-closed-before", edit("complaints.csv", "10 ต.ค. 2566", "1 ต.ค. 2566"),
     "complaints.csv", 2, "closed_date", "closed_before_received"),
    ("complaints-status", edit("complaints.csv", ",open,", ",maybe,"),
     "complaints.csv", 3, "status", "bad_choice"),
    ("complaints-date", edit("complaints.csv", "2024-01-05", "2024-02-30"),
     "complaints.csv", 3, "received_date", "bad_date"),
    ("complaints-channel", edit("complaints.csv", ",WEB,สถานที่", ",LINE,สถานที่"),
     "complaints.csv", 3, "channel_code", "unknown_channel_code"),
    ("standards-minutes", edit("service_standards.csv", ",30\n", ",ครึ่งชั่วโมง\n"),
     "service_standards.csv", 2, "standard_minutes", "not_a_number"),
    ("service-log-unknown", edit("service_log.csv", "T2,U02,S01", "T2,U02,S09"),
     "service_log.csv", 3, "service_code", "unknown_service"),
    ("service-log-negative", edit("service_log.csv", ",25\n", ",-25\n"),
     "service_log.csv", 2, "actual_minutes", "negative_number"),
    ("activities-participants", edit("activities.csv", ",40\n", ",สี่สิบ\n"),
     "activities.csv", 2, "participants", "not_a_number"),
    ("activities-group", edit("activities.csv", ",G2,40", ",G7,40"),
     "activities.csv", 2, "group_code", "unknown_group_code"),
    ("checklist-status", edit("checklist.csv", ",not_done,", ",ok,"),
     "checklist.csv", 3, "status", "bad_choice"),
    ("checklist-activity", edit("checklist.csv", "U02,2567,CS1A,", "U02,2567,CS9Z,"),
     "checklist.csv", 3, "activity_code", "unknown_activity_code"),
    ("checklist-year", edit("checklist.csv", "U02,2567,", "U02,๒๕๖x,"),
     "checklist.csv", 3, "fiscal_year", "not_a_number"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "file", "row", "column", "kind"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_malformed_input_names_file_row_and_column(
    tmp_path: Path, change: dict[str, str | None], file: str, row: int, column: str, kind: str
) -> None:
    ws = write_ws(tmp_path / "ws", change)
    errs = errors_of(ws)
    hit = errs[(errs["file"] == file) & (errs["row"] == row) & (errs["column"] == column)]
    assert len(hit), f"no error at {file} row {row} column {column}:\n{errs.to_string()}"
    assert kind in set(hit["kind"])
    with pytest.raises(ValidationError, match="error"):
        load_workspace(ws)


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_count_beyond_a_64_bit_integer_is_reported_not_a_crash(
    tmp_path: Path, as_xlsx: bool
) -> None:
    # found by the property test: 2**63 as a whole number cell of an integer column
    ws = write_ws(tmp_path / "ws", edit("activities.csv", ",G2,40\n", ",G2,9223372036854775808\n"))
    if as_xlsx:
        raw = pd.read_csv(ws / "activities.csv", dtype=str)
        raw["participants"] = [2.0**63]
        (ws / "activities.csv").unlink()
        raw.to_excel(ws / "activities.xlsx", index=False, engine="xlsxwriter")
    errs = errors_of(ws)
    hit = errs[(errs["column"] == "participants") & (errs["row"] == 2)]
    assert "not_a_number" in set(hit["kind"]), errs.to_string()


def test_at_least_thirty_distinct_malformations() -> None:
    assert len({c[0] for c in CASES}) >= 30
    assert len({(c[2], c[4], c[5]) for c in CASES}) >= 30


FILE_CASES: list[tuple[str, dict[str, str | None], str, str | None, str]] = [
    ("missing-required-column", edit("groups.csv", ",kind,", ",type,"),
     "groups.csv", "kind", "missing_column"),
    ("missing-item-column", {"responses.csv": FILES["responses.csv"].replace(",Q2,", ",QX,", 1)},
     "responses.csv", "Q2", "missing_item_column"),
    ("missing-file", {"groups.csv": None}, "groups.csv", None, "missing_file"),
    ("duplicate-header", edit("channels.csv", "channel_code,channel_name_th",
                              "channel_code,channel_code"),
     "channels.csv", "channel_code", "duplicate_column"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "file", "column", "kind"),
    [c[1:] for c in FILE_CASES],
    ids=[c[0] for c in FILE_CASES],
)
def test_file_level_problems(
    tmp_path: Path, change: dict[str, str | None], file: str, column: str | None, kind: str
) -> None:
    errs = errors_of(write_ws(tmp_path / "ws", change))
    hit = errs[(errs["file"] == file) & (errs["kind"] == kind)]
    assert len(hit), errs.to_string()
    if column is not None:
        assert column in set(hit["column"])


def test_undecodable_file_is_reported_with_its_name(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws")
    (ws / "channels.csv").write_bytes(b"channel_code,channel_name_th\nW,\xdb\xdc\xfc\xff\n")
    errs = errors_of(ws)
    assert (errs["file"] == "channels.csv").any()
    assert "unreadable_file" in set(errs["kind"])


def test_two_files_for_one_template(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws")
    pd.read_csv(ws / "units.csv").to_excel(ws / "units.xlsx", index=False)
    errs = errors_of(ws)
    assert "several_files" in set(errs["kind"])


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    changes: dict[str, str | None] = {}
    for _id, change, *_ in CASES:
        for name, text in change.items():
            base = changes.get(name, FILES[name])
            assert text is not None
            # re-apply each edit on top of the previous ones of the same file
            old_new = [(o, n) for o, n in zip(FILES[name].splitlines(), text.splitlines(),
                                               strict=False) if o != n]  # fmt: skip
            for o, n in old_new:
                base = base.replace(o, n, 1) if o in base else base
            changes[name] = base
    errs = errors_of(write_ws(tmp_path / "ws", changes))
    files_with_errors = set(errs["file"])
    assert {"units.csv", "responses.csv", "complaints.csv", "checklist.csv"} <= files_with_errors
    assert len(errs) >= 20


def test_messages_in_thai_by_default(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws", edit("units.csv", ",100\n", ",abc\n"))
    table = validate_workspace(ws)
    row = table[table["kind"] == "not_a_number"].iloc[0]
    assert "จำนวนเต็ม" in row["expected"]


# ------------------------------------------------- property: random cell values

_CELL_TEXT = st.text(
    alphabet=st.sampled_from(list("0123456789๐๑๒๕ abcUGQR-_./:,;\"'\n\t+eE%ก่าไม่มีความเห็นมากที่สุด")),
    max_size=12,
)
_CELL_ANY = st.one_of(
    _CELL_TEXT,
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2600, 12, 31)),
)
_TEMPLATE_FILES = sorted(n for n in FILES if n.endswith(".csv"))


def _cells(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(FILES[name])))


def test_questionnaire_rows_without_item_code_are_reported_not_a_traceback(
    tmp_path: Path,
) -> None:
    """Found by the random-cells test: two blank item codes, one with a column header."""
    q = (
        FILES["questionnaire.csv"]
        .replace("\nQ1,PROC,", "\n,PROC,")
        .replace("\nQ2,PROC,", "\n,PROC,")
    )
    errors = errors_of(write_ws(tmp_path, {"questionnaire.csv": q}))
    assert list(errors["kind"]) == ["required_value_missing"] * 2
    assert list(errors["row"]) == [2, 3] and set(errors["column"]) == {"item_code"}


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_dates_centuries_away_are_reported_not_an_overflow(tmp_path: Path, as_xlsx: bool) -> None:
    """Found by the random-cells test: a received date in 2263 overflowed days_to_close."""
    rows: list[list[object]] = [list(r) for r in _cells("complaints.csv")]
    rows[1][2] = dt.datetime(2263, 1, 1) if as_xlsx else "2263-01-01"
    rows[2][2] = "1720-01-05"
    ws = write_ws(tmp_path)
    (ws / "complaints.csv").unlink()
    if as_xlsx:
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        frame.to_excel(ws / "complaints.xlsx", index=False, engine="xlsxwriter")
    else:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        (ws / "complaints.csv").write_text(buf.getvalue(), encoding="utf-8")
    errors = errors_of(ws)
    assert set(errors["column"]) == {"received_date"}, errors
    assert list(errors["row"]) == [2, 3]
    # beyond pandas' dates, the text "2263-01-01" does not parse at all; an Excel date does
    first = "date_out_of_range" if as_xlsx else "bad_date"
    assert list(errors["kind"]) == [first, "date_out_of_range"]
    assert "BE 2500-2643" in errors["expected"].iloc[1]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), name=st.sampled_from(_TEMPLATE_FILES), as_xlsx=st.booleans())
def test_random_cell_values_load_or_report(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, name: str, as_xlsx: bool
) -> None:
    """Any value in any cell: the workspace loads, or ValidationError lists the problems."""
    rows = _cells(name)
    n_changes = data.draw(st.integers(min_value=1, max_value=6))
    for _ in range(n_changes):
        r = data.draw(st.integers(min_value=1, max_value=len(rows) - 1))
        c = data.draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
        rows[r][c] = data.draw(_CELL_ANY if as_xlsx else _CELL_TEXT)
    ws = write_ws(tmp_path_factory.mktemp("ws"))
    (ws / name).unlink()
    if as_xlsx:
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        frame.to_excel(ws / name.replace(".csv", ".xlsx"), index=False, engine="xlsxwriter")
    else:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        (ws / name).write_text(buf.getvalue(), encoding="utf-8")
    try:
        survey = load_workspace(ws, language="en")
    except ValidationError as err:
        problems = err.problems
        assert len(problems) and (problems["severity"] == "error").any()
        assert problems["file"].notna().all()
        return
    assert len(survey.units) >= 1
