"""A Traffy Fondue export as the complaint file (pmqa_analysis.workspace.traffy).

The figures are checked against plain pandas on the real export
(``../shared/refdata/complaints_traffy/fondue.csv``, 1,000 tickets of 14-16 May 2023);
the workspace tests run on a slice of it and, without the reference data, on a hand-made
five-ticket file written here.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import refdata_dir
from e2e_support import pmqa

from pmqa_analysis.core.errors import InputError, ValidationError
from pmqa_analysis.cs.complaints import complaint_counts, complaint_indicators, complaint_states
from pmqa_analysis.cs.indicators import unit_metrics
from pmqa_analysis.workspace.config import Settings, TraffySettings, load_settings
from pmqa_analysis.workspace.loader import load_workspace, validate_workspace
from pmqa_analysis.workspace.sample import make_sample_workspace
from pmqa_analysis.workspace.traffy import (
    NO_CATEGORY,
    NO_DISTRICT,
    TRAFFY_STATES,
    from_traffy,
    is_traffy,
    split_labels,
)

CLOSED = "เสร็จสิ้น"
DISTRICT = r"(?:^|\s)เขต\s*([\u0e01-\u0e4e]+)"
#: the channel every Traffy ticket gets (added to the sample's channels.csv)
CHANNEL_ROW = "TRAFFY,ทราฟฟี่ฟองดูว์,Traffy Fondue\n"

#: five tickets shaped like the export: multi-label types (both spellings), no type, a
#: forwarded and a finished ticket, reopen counts, a blank ticket_id, an address without a
#: district, and a UTC time that is already the next fiscal year in Bangkok
HAND_MADE = """\
type,org,description,ticket_id,coords,photo_url,after_photo,address,timestamp,\
problem_type_abdul,star,count_reopen,note,state,last_activity
"ทางเท้า,สายไฟ",กรุงเทพมหานคร,สายไฟห้อยลงมา โทร 0812345678,2023-AAA001,"['100.5', '13.7']",,,\
แขวงตลาดพลู เขตธนบุรี กรุงเทพมหานคร 10600,2023-09-30 18:00:00.5+00,"['ทางเท้า', 'สายไฟ']",\
4,2,,เสร็จสิ้น,2023-10-02 06:00:00.5+00
"{ถนน,ทางเท้า}",สำนักการโยธา กทม.,ถนนพัง,2023-AAA002,,,,\
แขวงวัดเทพศิรินทร์ เขต ป้อมปราบศัตรูพ่าย กรุงเทพมหานคร,2023-05-15 10:00:00+00,[''],\
,0,เขตป้อมปราบศัตรูพ่าย ส่งต่อไปยัง สำนักการโยธา กทม.,ส่งต่อ(ใหม่),2023-05-16 10:00:00+00
,กรุงเทพมหานคร,ไม่มีประเภท,2023-AAA003,,,,ซอย อ่อนนุช แขวงสวนหลวง กรุงเทพมหานคร,\
2023-05-14 01:00:00+00,[''],,1,,กำลังดำเนินการ,2023-05-14 02:00:00+00
ความสะอาด,กรุงเทพมหานคร,ขยะล้น,,,,,เขตธนบุรี กรุงเทพมหานคร,2023-05-14 03:00:00+00,[''],\
,0,,รอรับเรื่อง,2023-05-14 03:00:00+00
"ถนน,ร้องเรียน,ถนน",กรุงเทพมหานคร,ทางชำรุด,2023-AAA005,,,,เขตธนบุรี,\
2023-05-14 04:00:00+00,[''],5,0,,ของบประมาณ,2023-05-15 04:00:00+00
"""


@pytest.fixture(scope="module")
def fondue() -> Path:
    """The real export; skips with the reason when the reference data are absent."""
    path = refdata_dir() / "complaints_traffy" / "fondue.csv"
    if not path.is_file():
        pytest.skip(
            "../shared/refdata/complaints_traffy absent: the Traffy Fondue reference export "
            f"(fondue.csv) was not found at {path}; set PMQA_REFDATA or place shared/refdata "
            "beside the project"
        )
    return path


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _labels(types: pd.Series) -> pd.Series:
    """Plain pandas: the ``type`` labels of each ticket, repeats dropped."""
    split = types.str.strip().str.strip("{}").str.split(",")
    return split.map(lambda xs: list(dict.fromkeys(x.strip() for x in xs if x.strip())))


def _district_code(address: pd.Series, codes: dict[str, str]) -> pd.Series:
    district = address.str.extract(DISTRICT, expand=False)
    return ("เขต" + district).fillna(NO_DISTRICT).map(codes)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _workspace(tmp_path: Path, names: tuple[str, str] | None = None) -> Path:
    """The 2-unit sample with a TRAFFY channel and, optionally, units named like districts."""
    ws = make_sample_workspace(tmp_path / "ws", n_units=2, reach_sample_size=False)
    with (ws / "channels.csv").open("a", encoding="utf-8") as f:
        f.write(CHANNEL_ROW)
    if names is not None:
        units = pd.read_csv(ws / "units.csv", dtype=str, encoding="utf-8-sig")
        units["unit_name_th"] = list(names)
        units.to_csv(ws / "units.csv", index=False, encoding="utf-8-sig")
    return ws


def _settings(ws: Path, text: str) -> None:
    path = ws / "settings.toml"
    path.write_text(path.read_text("utf-8") + "\n" + text, encoding="utf-8")


# -- recognising and converting --------------------------------------------------------


def test_recognised_by_its_header() -> None:
    header = HAND_MADE.splitlines()[0].split(",")
    assert is_traffy(header) and is_traffy([h.upper() + " " for h in header])
    assert not is_traffy(["complaint_id", "unit_code", "received_date", "state"])
    assert split_labels(
        pd.Series(["{ถนน,ทางเท้า}", "ทางเท้า, สายไฟ", "['ป้าย', 'สอบถาม']", ""])
    ).tolist() == [
        ("ถนน", "ทางเท้า"),
        ("ทางเท้า", "สายไฟ"),
        ("ป้าย", "สอบถาม"),
        (),
    ]


def test_from_traffy_hand_made(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(HAND_MADE, encoding="utf-8")
    raw = _read(tmp_path / "t.csv")
    before = raw.copy()
    out = from_traffy(raw)
    pd.testing.assert_frame_equal(raw, before)
    first = out.iloc[0]
    # 18:00 UTC on 30 Sep is 01:00 on 1 Oct in Bangkok: the next fiscal year
    assert first["received_date"] == pd.Timestamp("2023-10-01 01:00:00.5")
    assert first["fiscal_year"] == 2567
    assert (first["unit_code"], first["category"], first["categories"]) == (
        "เขตธนบุรี",
        "ทางเท้า",
        "ทางเท้า, สายไฟ",
    )
    assert (first["status"], first["state"], first["reopened"], first["reopen_count"]) == (
        "closed",
        CLOSED,
        True,
        2,
    )
    assert first["days_to_close"] == pytest.approx(1 + 12 / 24)
    assert "0812345678" not in first["description"]  # masked like every text column
    assert list(out["unit_code"]) == ["เขตธนบุรี", "เขตป้อมปราบศัตรูพ่าย", NO_DISTRICT] + ["เขตธนบุรี"] * 2
    assert list(out["category"]) == ["ทางเท้า", "ถนน", NO_CATEGORY, "ความสะอาด", "ถนน"]
    assert out.loc[4, "categories"] == "ถนน, ร้องเรียน"  # a repeated label counted once
    assert list(out["forwarded"]) == [False, True, False, False, False]
    assert list(out["status"]) == ["closed", "open", "open", "open", "open"]
    assert out["closed_date"].notna().tolist() == [True, False, False, False, False]
    assert out.loc[3, "complaint_id"] == "TRAFFY-ROW3"
    assert out["rating"].tolist()[0] == 4 and np.isnan(out["rating"].tolist()[1])
    by_org = from_traffy(raw, unit="org", lookup={"กรุงเทพมหานคร": "U01"})
    assert list(by_org["unit_code"]) == ["U01", "สำนักการโยธา กทม.", "U01", "U01", "U01"]
    looked = from_traffy(raw, lookup={"ธนบุรี": "U01", NO_DISTRICT: "U02"})
    assert list(looked["unit_code"]) == ["U01", "เขตป้อมปราบศัตรูพ่าย", "U02", "U01", "U01"]


def test_from_traffy_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(HAND_MADE, encoding="utf-8")
    raw = _read(tmp_path / "t.csv")
    bad = raw.assign(state=raw["state"].replace("ของบประมาณ", "ปิดงาน"))
    with pytest.raises(InputError, match=r"state.*'ปิดงาน'.*rows \[4\].*states="):
        from_traffy(bad)
    assert from_traffy(bad, states={"ปิดงาน": "closed"})["status"].iloc[4] == "closed"
    with pytest.raises(InputError, match=r"\['timestamp'\] not found"):
        from_traffy(raw.drop(columns="timestamp"))
    with pytest.raises(InputError, match="unit 'เขต' is not known"):
        from_traffy(raw, unit="เขต")
    with pytest.raises(InputError, match=r"row 3.*count_reopen.*whole number"):
        from_traffy(raw.assign(count_reopen=["0", "หนึ่ง", "0", "0", "0"]))


# -- (a) the figures against pandas on the real export ----------------------------------


def test_figures_match_pandas(fondue: Path) -> None:
    raw = _read(fondue)
    out = from_traffy(raw)
    assert len(out) == len(raw) == 1000
    # counts by state
    states = complaint_states(out, by="channel_code").set_index("state")
    assert states["n"].to_dict() == raw["state"].value_counts().to_dict()
    assert set(raw["state"]) <= set(TRAFFY_STATES)
    assert (states.loc[CLOSED, "status"], set(states.drop(index=CLOSED)["status"])) == (
        "closed",
        {"open"},
    )
    # tickets per label of the multi-label type (split on commas)
    labels = _labels(raw["type"])
    per_label = labels.explode().dropna().value_counts().to_dict()
    per_label[NO_CATEGORY] = int((labels.map(len) == 0).sum())
    cats = complaint_counts(out, by="channel_code", dimension="category")
    assert cats.set_index("category")["n"].to_dict() == per_label
    assert set(cats["n_complaints"]) == {1000} and cats["multi_label"].all()
    road = cats.set_index("category").loc["ถนน"]
    assert road["pct"] == pytest.approx(100 * labels.map(lambda xs: "ถนน" in xs).mean())
    # the first label stays the category
    first = complaint_counts(out, by="channel_code", dimension="category", labels="first")
    expected_first = labels.map(lambda xs: xs[0] if xs else NO_CATEGORY).value_counts()
    assert first.set_index("category")["n"].to_dict() == expected_first.to_dict()
    # reopenings and the closed share
    count = raw["count_reopen"].astype(int)
    ind = complaint_indicators(out, by="channel_code").iloc[0]
    assert (ind["n_reopened"], ind["n_reopenings"]) == (int((count > 0).sum()), int(count.sum()))
    assert ind["reopen_rate_pct"] == pytest.approx(100 * (count > 0).mean())
    assert ind["n_closed"] == int((raw["state"] == CLOSED).sum())
    assert 100 * ind["n_closed"] / ind["n"] == pytest.approx(100 * (raw["state"] == CLOSED).mean())
    assert states.loc[CLOSED, "pct"] == pytest.approx(100 * (raw["state"] == CLOSED).mean())
    forwarded = raw["state"].str.startswith("ส่งต่อ") | raw["note"].str.contains("ส่งต่อ|เชิญร่วม")
    assert ind["forwarded_pct"] == pytest.approx(100 * forwarded.mean())
    # UTC -> Bangkok, closed tickets only have a closing date
    utc = pd.to_datetime(raw["timestamp"], utc=True, format="mixed")
    assert ((out["received_date"] - utc.dt.tz_localize(None)) == pd.Timedelta(hours=7)).all()
    assert out["days_to_close"].notna().sum() == ind["n_closed"]
    ids = raw["ticket_id"]
    assert (
        out["complaint_id"].is_unique and (out["complaint_id"][ids != ""] == ids[ids != ""]).all()
    )


# -- (b) the workspace's complaint file is a Traffy export -------------------------------


def _slice(raw: pd.DataFrame, districts: tuple[str, str]) -> pd.DataFrame:
    district = "เขต" + raw["address"].str.extract(DISTRICT, expand=False)
    return raw[district.isin(districts)].reset_index(drop=True)


def _check_loaded(ws: Path, part: pd.DataFrame, codes: dict[str, str]) -> None:
    c = load_workspace(ws).complaints
    assert len(c) == len(part)
    assert list(c["unit_code"]) == list(_district_code(part["address"], codes))
    labels = _labels(part["type"])
    assert list(c["categories"].fillna("")) == [", ".join(xs) for xs in labels]
    assert list(c["category"]) == [xs[0] if xs else NO_CATEGORY for xs in labels]
    assert list(c["state"]) == list(part["state"])
    assert list(c["status"]) == ["closed" if s == CLOSED else "open" for s in part["state"]]
    assert list(c["reopen_count"]) == list(part["count_reopen"].astype(int))
    assert list(c["reopened"]) == list(part["count_reopen"].astype(int) > 0)
    assert set(c["channel_code"]) == {"TRAFFY"}


def test_slice_with_units_named_like_districts(tmp_path: Path, fondue: Path) -> None:
    districts = ("เขตจตุจักร", "เขตบางกะปิ")
    part = _slice(_read(fondue), districts)
    ws = _workspace(tmp_path, names=districts)
    part.to_csv(ws / "complaints.csv", index=False, encoding="utf-8")
    digest = _sha(ws / "complaints.csv")
    run = pmqa(["--language", "en", "validate", ws])
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    _check_loaded(ws, part, dict(zip(districts, ["U01", "U02"], strict=True)))
    assert _sha(ws / "complaints.csv") == digest


def test_slice_with_a_lookup_and_a_named_file(tmp_path: Path, fondue: Path) -> None:
    districts = ("เขตวัฒนา", "เขตบางรัก")
    part = _slice(_read(fondue), districts)
    ws = _workspace(tmp_path)
    (ws / "complaints.csv").unlink()
    part.to_csv(ws / "traffy_export.csv", index=False, encoding="utf-8")
    (ws / "traffy_units.csv").write_text("traffy,unit_code\nวัฒนา,U01\nเขตบางรัก,U02\n", "utf-8")
    _settings(ws, '[files]\ncomplaints = "traffy_export.csv"\n\n[traffy]\nunit = "district"\n'
              'lookup = "traffy_units.csv"\n')  # fmt: skip
    digest = _sha(ws / "traffy_export.csv")
    run = pmqa(["--language", "en", "validate", ws])
    assert run.exit_code == 0, run.stdout + run.stderr
    _check_loaded(ws, part, dict(zip(districts, ["U01", "U02"], strict=True)))
    assert _sha(ws / "traffy_export.csv") == digest


def test_hand_made_file_without_refdata(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, names=("เขตธนบุรี", "เขตป้อมปราบศัตรูพ่าย"))
    (ws / "complaints.csv").write_text(HAND_MADE, encoding="utf-8")
    (ws / "units_from_traffy.csv").write_text(f"value,code\n{NO_DISTRICT},U02\n", "utf-8")
    _settings(ws, '[traffy]\nlookup = "units_from_traffy.csv"\n')
    digest = _sha(ws / "complaints.csv")
    run = pmqa(["--language", "en", "validate", ws])
    assert run.exit_code == 0, run.stdout + run.stderr
    s = load_workspace(ws)
    c = s.complaints
    assert list(c["unit_code"]) == ["U01", "U02", "U02", "U01", "U01"]
    assert list(c["complaint_id"]) == [
        "2023-AAA001",
        "2023-AAA002",
        "2023-AAA003",
        "TRAFFY-ROW5",  # the spreadsheet row of the ticket without an id
        "2023-AAA005",
    ]
    assert list(c["categories"].fillna("")) == [
        "ทางเท้า, สายไฟ",
        "ถนน, ทางเท้า",
        "",
        "ความสะอาด",
        "ถนน, ร้องเรียน",
    ]
    assert list(c["state"]) == [CLOSED, "ส่งต่อ(ใหม่)", "กำลังดำเนินการ", "รอรับเรื่อง", "ของบประมาณ"]
    assert list(c["reopen_count"]) == [2, 0, 1, 0, 0]
    assert list(c["reopened"]) == [True, False, True, False, False]
    assert list(c["fiscal_year"]) == [2567, 2566, 2566, 2566, 2566]
    assert c.loc[0, "days_to_close"] == pytest.approx(1.5)
    assert "0812345678" not in str(c.loc[0, "description"])
    ind = complaint_indicators(c).set_index("unit_code")
    figures = ["n", "n_closed", "n_reopened", "n_reopenings"]
    assert ind[figures][ind.index == "U01"].to_numpy().tolist() == [[3, 1, 1, 2]]
    st = complaint_states(c).set_index(["unit_code", "state"])["n"]
    assert st.loc[("U02", "ส่งต่อ(ใหม่)")] == 1 and st.loc[("U01", CLOSED)] == 1
    assert not s.warnings["file"].eq("complaints.csv").any()  # no unused-column warnings
    # a ticket without a type is not "analysed": U02 has 1 of 2 typed in 2566 (< 90 %)
    m = unit_metrics(s, 2566)
    analysed = m[m["metric"] == "complaints_analysed"].set_index("unit_code")
    assert analysed["value"].to_dict() == {"U01": 1.0, "U02": 0.0}
    assert analysed["n"].to_dict() == {"U01": 2, "U02": 2}
    assert _sha(ws / "complaints.csv") == digest


# -- (c) clear errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[traffy]\nunit = "เขต"\n', "[traffy] unit = 'เขต': expected \"district\""),
        ('[traffy]\nunit = "column: "\n', "[traffy] unit = 'column:'"),
        ("[traffy]\nlookup = 5\n", "[traffy] lookup = 5: expected text in quotes"),
        ('[traffy]\nunits = "org"\n', "[traffy] units: unknown key; expected one of unit,"),
        ('[traffy.states]\n"ปิดงาน" = "done"\n', "[traffy.states] \"ปิดงาน\" = 'done'"),
        ('[traffy]\nchannel = ""\n', '[traffy] channel = "": expected a channel code'),
    ],
)
def test_bad_settings(tmp_path: Path, text: str, message: str) -> None:
    ws = _workspace(tmp_path)
    _settings(ws, text)
    with pytest.raises(InputError) as exc:
        load_settings(ws / "settings.toml")
    assert message in str(exc.value)
    run = pmqa(["validate", ws])
    assert run.exit_code == 2 and message in run.stderr and "Traceback" not in run.stderr


def test_settings_round_trip(tmp_path: Path) -> None:
    assert "traffy" not in Settings().as_dict()  # the default keeps old fingerprints
    path = tmp_path / "settings.toml"
    path.write_text(
        '[traffy]\nunit = "column:หน่วยงาน"\nlookup = "x.csv"\nchannel = "WEB"\n'
        '[traffy.states]\n"ปิดงาน" = "closed"\n',
        "utf-8",
    )
    s = load_settings(path)
    assert s.traffy == TraffySettings("column:หน่วยงาน", "x.csv", "WEB", {"ปิดงาน": "closed"})
    assert s.as_dict()["traffy"]["states"] == {"ปิดงาน": "closed"}


def _problems(ws: Path) -> pd.DataFrame:
    table = validate_workspace(ws, language="en")
    return table[table["severity"] == "error"]


def test_settings_that_do_not_fit_the_file(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, names=("เขตธนบุรี", "เขตป้อมปราบศัตรูพ่าย"))
    (ws / "complaints.csv").write_text(HAND_MADE, encoding="utf-8")
    _settings(ws, '[traffy]\nunit = "column:orgs"\n')
    errors = _problems(ws)
    assert len(errors) == 1  # one problem, not one per ticket
    e = errors.iloc[0]
    assert (e["kind"], e["file"], e["column"]) == (
        "traffy_unit_column",
        "settings.toml",
        "[traffy]",
    )
    assert "orgs" in e["value"] and 'column:org"?' in e["hint"]
    with pytest.raises(ValidationError):
        load_workspace(ws)

    text = (
        (ws / "settings.toml")
        .read_text("utf-8")
        .replace('unit = "column:orgs"', 'lookup = "none.csv"')
    )
    (ws / "settings.toml").write_text(text, "utf-8")
    e = _problems(ws).iloc[0]
    assert (e["kind"], e["file"], e["value"]) == (
        "missing_mapped_file",
        "settings.toml",
        'lookup = "none.csv"',
    )

    (ws / "none.csv").write_text("traffy,unit_code\nธนบุรี,U01\n ธนบุรี ,U02\nx,\n", "utf-8")
    errors = _problems(ws)
    assert sorted(errors[["kind", "file", "row"]].values.tolist()) == [
        ["traffy_lookup_blank", "none.csv", 4],
        ["traffy_lookup_duplicate", "none.csv", 3],
    ]


def test_unknown_state_in_the_problems_table(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, names=("เขตธนบุรี", "เขตป้อมปราบศัตรูพ่าย"))
    _settings(ws, '[traffy]\nlookup = "lk.csv"\n')
    (ws / "lk.csv").write_text(f"v,c\n{NO_DISTRICT},U02\n", "utf-8")
    (ws / "complaints.csv").write_text(HAND_MADE.replace("ของบประมาณ", "ปิดงาน"), "utf-8")
    run = pmqa(["--language", "en", "validate", ws])
    assert run.exit_code == 2 and "Traceback" not in run.stdout + run.stderr
    errors = _problems(ws)
    assert len(errors) == 1
    e = errors.iloc[0]
    assert (e["kind"], e["file"], e["row"], e["column"], e["value"]) == (
        "unknown_traffy_state",
        "complaints.csv",
        6,
        "state",
        "ปิดงาน",
    )
    assert '[traffy.states] "ปิดงาน" = "open"' in e["hint"]
    _settings(ws, '[traffy.states]\n"ปิดงาน" = "closed"\n')
    assert pmqa(["validate", ws]).exit_code == 0
    c = load_workspace(ws).complaints
    assert (c.loc[4, "state"], c.loc[4, "status"]) == ("ปิดงาน", "closed")


def test_bad_cells_named_by_the_exports_columns(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, names=("เขตธนบุรี", "เขตป้อมปราบศัตรูพ่าย"))
    _settings(ws, '[traffy]\nlookup = "lk.csv"\n')
    (ws / "lk.csv").write_text(f"v,c\n{NO_DISTRICT},U02\n", "utf-8")
    frame = pd.read_csv(io.StringIO(HAND_MADE), dtype=str, keep_default_na=False)
    frame.loc[1, "timestamp"] = "yesterday"
    frame.loc[2, "count_reopen"] = "-1"
    frame.loc[3, "address"] = "เขตบางนา"
    frame.to_csv(ws / "complaints.csv", index=False, encoding="utf-8")
    errors = _problems(ws)
    found = {(r.kind, r.row, r.column) for r in errors.itertuples()}
    assert found == {
        ("bad_date", 3, "timestamp"),
        ("negative_number", 4, "count_reopen"),
        ("unknown_unit_code", 5, "address"),
    }


def test_the_unit_report_shows_states_reopenings_and_multi_label_counts(tmp_path: Path) -> None:
    from pmqa_analysis.report.unit import UnitReport
    from pmqa_analysis.run.prepare import prepare

    ws = _workspace(tmp_path, names=("เขตธนบุรี", "เขตป้อมปราบศัตรูพ่าย"))
    (ws / "complaints.csv").write_text(HAND_MADE, encoding="utf-8")
    (ws / "units_from_traffy.csv").write_text(f"value,code\n{NO_DISTRICT},U02\n", "utf-8")
    _settings(ws, '[traffy]\nlookup = "units_from_traffy.csv"\n')
    run = tmp_path / "run"
    prepare(ws, run)
    html = UnitReport(run, "U01", "en", rendered=False).section("complaints").data
    # U01's one complaint of FY2567: closed, reopened twice, two categories
    assert CLOSED in html and "Closed?" in html
    assert re.search(r"Complaints reopened</td>\s*<td[^>]*>1<", html), html[-3000:]
    assert re.search(r"Reopenings</td>\s*<td[^>]*>2<", html)
    assert "2 mentions in 1 complaints" in html
