"""``pmqa init DIR --from-export FILE``: a form export as downloaded -> a workspace (issue 17).

The exports are built by ``form_export_support`` the way Google Forms and Microsoft Forms
write them (and as Thai Excel re-saves them); the expected figures are counted by hand there
from the answers, not with the kit. One test runs ``pmqa report`` end to end; the others stop
at ``validate`` / the loaded survey.
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import form_export_support as fx
import pandas as pd
import pytest
from e2e_support import CliRun, isolated_cache, pmqa

from pmqa_analysis.workspace.form_export import infer_export
from pmqa_analysis.workspace.loader import load_workspace

GOOGLE = "แบบสำรวจความพึงพอใจ 2567 (การตอบกลับ).csv"  # as Google names the download


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def init(ws: Path, export: Path, *extra: str, language: str = "th") -> CliRun:
    return pmqa(["--language", language, "init", ws, "--from-export", export, *extra])


def unit_codes(ws: Path) -> dict[str, str]:
    units = read_csv(ws / "units.csv")
    return dict(zip(units["unit_name_th"], units["unit_code"], strict=True))


def item_codes(ws: Path) -> dict[str, str]:
    q = read_csv(ws / "questionnaire.csv")
    return dict(zip(q["column_header"], q["item_code"], strict=True))


def row(output: str, header: str) -> str:
    """The printed table's line of the column headed ``header`` (cut headers end in …)."""
    start = re.compile(r"\d+\s+" + re.escape(header[:12]))
    return next(ln for ln in output.splitlines() if start.match(ln))


def check_survey(ws: Path, want: fx.Expected) -> None:
    """The loaded survey's n per unit and item means equal the hand count."""
    survey = load_workspace(ws)
    codes, items = unit_codes(ws), item_codes(ws)
    assert len(survey.responses) == want.n_rows
    n = survey.responses["unit_code"].value_counts().to_dict()
    assert n == {codes[u]: k for u, k in want.n_per_unit.items()}
    for header, per_unit in want.item_means.items():
        means = survey.responses.groupby("unit_code")[items[header]].mean()
        for unit, mean in per_unit.items():
            assert means[codes[unit]] == pytest.approx(mean), (header, unit)


# ----------------------------------------------------------------------------- Google Forms


def test_google_csv_drafts_a_workspace_that_validates(tmp_path: Path) -> None:
    export = tmp_path / GOOGLE
    want = fx.write_google_csv(export)
    before = sha256(export)
    ws = tmp_path / "ws"
    made = init(ws, export)
    assert made.exit_code == 0, made.stderr
    assert pmqa(["validate", ws]).exit_code == 0
    # the export: untouched, and copied byte for byte under its own name
    assert sha256(export) == before
    assert sha256(ws / GOOGLE) == before
    settings = tomllib.loads((ws / "settings.toml").read_text(encoding="utf-8"))
    assert settings["files"] == {"responses": GOOGLE}
    assert settings["survey"]["fiscal_year"] == 2567  # 1/11/2566 - 21/6/2567
    assert settings["survey"]["round"] == "12m"
    assert settings["columns"]["responses"] == {
        "response_date": "ประทับเวลา",
        "unit_code": f"1. {fx.UNIT_Q}",
        "group_code": f"2. {fx.GROUP_Q}",
        "channel_code": f"3. {fx.CHANNEL_Q}",
        "sex": "เพศ",
        "age_band": "อายุ",
        "comment_praise": fx.PRAISE_Q,
        "comment_improve": fx.IMPROVE_Q,
    }
    # reference tables: the answers as written, codes in order of first appearance
    units = read_csv(ws / "units.csv")
    assert list(units["unit_code"]) == ["U01", "U02", "U03"]
    assert list(units["unit_name_th"]) == list(fx.UNITS)
    groups = read_csv(ws / "groups.csv")
    assert sorted(groups["group_name_th"]) == sorted(fx.GROUPS)
    assert set(groups["kind"]) == {"recipient"}
    assert sorted(read_csv(ws / "channels.csv")["channel_name_th"]) == sorted(fx.CHANNELS)
    q = read_csv(ws / "questionnaire.csv")
    assert list(q["column_header"]) == list(fx.ITEMS)
    assert list(q["item_code"]) == ["Q01", "Q02", "Q03", "Q04", "Q05"]
    assert list(q["dimension_code"]) == ["D1", "D1", "D2", "D2", "D3"]
    assert q["item_th"].iloc[0] == "ความสะดวกในการติดต่อ"
    assert set(q["scale"]) == {"th5"}
    # ไม่แน่ใจ is not a th5 label: the workspace's scales.toml counts it as no answer
    scales = tomllib.loads((ws / "scales.toml").read_text(encoding="utf-8"))
    assert fx.UNSURE in scales["scales"]["th5"]["missing"]
    check_survey(ws, want)


def test_cp874_resave_gives_the_same_draft(tmp_path: Path) -> None:
    utf8, thai = tmp_path / "utf8" / "survey.csv", tmp_path / "cp874" / "survey.csv"
    utf8.parent.mkdir()
    thai.parent.mkdir()
    fx.write_google_csv(utf8)
    want = fx.write_google_csv(thai, encoding="cp874")
    assert not thai.read_bytes().startswith(b"\xef\xbb\xbf")
    thai.read_bytes().decode("cp874")  # really Windows Thai
    before = sha256(thai)
    a, b = tmp_path / "ws_utf8", tmp_path / "ws_cp874"
    assert init(a, utf8).exit_code == 0
    made = init(b, thai)
    assert made.exit_code == 0, made.stderr
    assert "cp874" in made.stdout
    for name in ("units.csv", "groups.csv", "channels.csv", "questionnaire.csv", "settings.toml"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert sha256(b / "survey.csv") == before == sha256(thai)
    assert pmqa(["validate", b]).exit_code == 0
    check_survey(b, want)


def test_the_table_lists_every_column_and_the_ambiguous_one(tmp_path: Path) -> None:
    export = tmp_path / "survey.csv"
    fx.write_google_csv(export)
    made = init(tmp_path / "ws", export)
    for k, header in enumerate(fx.GOOGLE_HEADERS):  # one row per export column, in order
        assert row(made.stdout, header).startswith(f"{k + 1} "), header
    news = row(made.stdout, fx.NEWS_Q)
    assert "ไม่แน่ชัด" in news and "3. ช่องทาง" in news
    channel = row(made.stdout, f"3. {fx.CHANNEL_Q}")
    assert "คอลัมน์อื่นอาจเป็นคำถามช่องทาง" in channel
    # the ambiguous column is not used: not in the column map
    settings = tomllib.loads((tmp_path / "ws" / "settings.toml").read_text(encoding="utf-8"))
    assert fx.NEWS_Q not in settings["columns"]["responses"].values()
    assert "ข้อมูลส่วนบุคคล" in row(made.stdout, "ที่อยู่อีเมล")
    english = init(tmp_path / "ws_en", export, language="en")
    news_en = row(english.stdout, fx.NEWS_Q)
    assert "ambiguous" in news_en and "could be the channel question" in news_en
    assert "units 3 · groups 3 · channels 3 · items 5 (th5) · fiscal year 2567" in english.stdout


def test_us_locale_google_form_month_first_dates(tmp_path: Path) -> None:
    """An English (US) Google form: ``Timestamp``, ``3/15/2024 10:21:33``, ``Email Address``."""
    rows = fx.google_rows(n=24)
    for i, r in enumerate(rows):
        day = 1 + (i * 5) % 28
        month = (10, 11, 12, 1, 2, 3, 4, 5)[i % 8]
        year = 2023 if month >= 10 else 2024
        r["Timestamp"] = f"{month}/{day}/{year} {9 + i % 8}:{(7 * i) % 60:02d}:33"
        r["Email Address"] = r["ที่อยู่อีเมล"]
    rows[0]["Timestamp"] = "3/15/2024 10:21:33"  # one day above 12: month/day is certain
    headers = ("Timestamp", "Email Address", *fx.GOOGLE_HEADERS[2:])
    export = tmp_path / "Customer survey (Responses).csv"
    want = fx.write_google_csv(export, rows, headers=headers)
    ws = tmp_path / "ws"
    made = init(ws, export, language="en")
    assert made.exit_code == 0, made.stderr
    assert "month/day/year" in row(made.stdout, "Timestamp")
    settings = tomllib.loads((ws / "settings.toml").read_text(encoding="utf-8"))
    assert settings["survey"]["fiscal_year"] == 2567 and settings["survey"]["round"] == "12m"
    assert pmqa(["validate", ws]).exit_code == 0
    survey = load_workspace(ws)
    assert survey.responses["response_date"].iloc[0] == pd.Timestamp("2024-03-15 10:21:33")
    check_survey(ws, want)


def test_grid_sections_free_text_stakeholders_and_personal_answers(tmp_path: Path) -> None:
    """A Google grid (``Title [row]``), an unnamed comment box, a stakeholder group."""
    rows = fx.google_rows(n=12)
    grid = ("ด้านกระบวนการ [ความสะดวก]", "ด้านกระบวนการ [ความรวดเร็ว]",
            "ด้านเจ้าหน้าที่ [ความสุภาพ]")  # fmt: skip
    for i, r in enumerate(rows):
        for k, h in enumerate(grid):
            r[h] = r[fx.ITEMS[k]]
        r[f"2. {fx.GROUP_Q}"] = ("ประชาชนทั่วไป", "ผู้นำชุมชน/เครือข่าย")[i % 2]
        r["อื่น ๆ"] = f"ความเห็นที่ {i}: อยากให้เปิดบริการวันเสาร์ด้วย"
        r["ติดต่อกลับได้ที่"] = f"08{i % 10}-555-12{i:02d}"
    headers = ("ประทับเวลา", f"1. {fx.UNIT_Q}", f"2. {fx.GROUP_Q}", *grid, "อื่น ๆ",
               "ติดต่อกลับได้ที่")  # fmt: skip
    export = tmp_path / "grid.csv"
    fx.write_google_csv(export, rows, headers=headers)
    draft = infer_export(export)
    q = draft.questionnaire
    assert list(q["dimension_th"]) == ["ด้านกระบวนการ", "ด้านกระบวนการ", "ด้านเจ้าหน้าที่"]
    assert list(q["item_th"]) == ["ความสะดวก", "ความรวดเร็ว", "ความสุภาพ"]
    assert list(q["column_header"]) == list(grid)
    assert draft.role_of("อื่น ๆ").role == "comment_improve"
    assert "comment_improve" in draft.role_of("อื่น ๆ").check_en
    assert draft.role_of("ติดต่อกลับได้ที่").role == "personal"
    kinds = dict(zip(draft.groups["group_name_th"], draft.groups["kind"], strict=True))
    assert kinds == {"ประชาชนทั่วไป": "recipient", "ผู้นำชุมชน/เครือข่าย": "stakeholder"}
    ws = tmp_path / "ws"
    assert init(ws, export).exit_code == 0
    assert pmqa(["validate", ws]).exit_code == 0


# --------------------------------------------------------------------------- Microsoft Forms


def test_ms_forms_xlsx(tmp_path: Path) -> None:
    export = tmp_path / "แบบประเมินความพึงพอใจ(1-20).xlsx"
    want = fx.write_ms_forms_xlsx(export)
    before = sha256(export)
    ws = tmp_path / "ws"
    made = init(ws, export, language="en")
    assert made.exit_code == 0, made.stderr
    draft = infer_export(export)
    assert draft.role_of("Completion time").role == "response_date"
    assert draft.role_of("Start time").role == "unused"
    assert draft.role_of("ID").role == "unused"
    assert draft.role_of("Email").role == draft.role_of("Name").role == "personal"
    assert draft.role_of(fx.MS_UNIT_Q).role == "unit_code"
    assert draft.role_of("ประเภทผู้รับบริการ").role == "group_code"
    assert draft.role_of("ความคิดเห็นเพิ่มเติม").role == "comment_improve"
    rating = draft.role_of(fx.MS_RATING)  # number cells 1-5: scores of a five-level scale
    assert rating.role == "item" and "th5" in rating.detail and "5" in rating.check_en
    settings = tomllib.loads((ws / "settings.toml").read_text(encoding="utf-8"))
    assert settings["files"]["responses"] == {"path": export.name, "sheet": "Sheet1"}
    assert settings["survey"]["fiscal_year"] == 2567
    assert settings["survey"]["round"] == "6m"  # October 2023 - March 2024
    assert pmqa(["validate", ws]).exit_code == 0
    assert sha256(ws / export.name) == before == sha256(export)
    check_survey(ws, want)


def test_sheet_chooses_the_worksheet_and_a_bad_one_names_the_sheets(tmp_path: Path) -> None:
    export = tmp_path / "forms.xlsx"
    want = fx.write_ms_forms_xlsx(export, cover=True)  # a cover sheet first
    ws = tmp_path / "ws"
    made = init(ws, export, "--sheet", "Sheet1")
    assert made.exit_code == 0, made.stderr
    settings = tomllib.loads((ws / "settings.toml").read_text(encoding="utf-8"))
    assert settings["files"]["responses"]["sheet"] == "Sheet1"
    assert pmqa(["validate", ws]).exit_code == 0
    check_survey(ws, want)
    bad = tmp_path / "bad"
    res = init(bad, export, "--sheet", "Form1")
    assert res.exit_code == 2
    assert "Form1" in res.stderr and "คำอธิบาย" in res.stderr and "Sheet1" in res.stderr
    assert not bad.exists()


def test_without_sheet_the_sheet_holding_the_timestamp_is_found(tmp_path: Path) -> None:
    export = tmp_path / "forms.xlsx"
    want = fx.write_ms_forms_xlsx(export, cover=True)  # a cover sheet first, no --sheet
    digest = sha256(export)
    ws = tmp_path / "ws"
    made = init(ws, export, language="en")
    assert made.exit_code == 0, made.stderr
    assert "read sheet 'Sheet1'" in made.stdout + made.stderr
    settings = tomllib.loads((ws / "settings.toml").read_text(encoding="utf-8"))
    assert settings["files"]["responses"]["sheet"] == "Sheet1"
    assert pmqa(["validate", ws]).exit_code == 0
    check_survey(ws, want)
    assert sha256(export) == digest


def test_a_title_row_above_the_header_of_a_google_csv(tmp_path: Path) -> None:
    """An office that pasted a title above the downloaded header (then saved as CSV)."""
    export = tmp_path / GOOGLE
    want = fx.write_google_csv(export)
    titled = "แบบสำรวจความพึงพอใจ ปีงบประมาณ 2567,,\r\n,,\r\n".encode("utf-8-sig")
    export.write_bytes(titled + export.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    digest = sha256(export)
    ws = tmp_path / "ws"
    made = init(ws, export, language="en")
    assert made.exit_code == 0, made.stderr
    assert "the header is on row 3" in made.stdout + made.stderr
    assert pmqa(["validate", ws]).exit_code == 0
    check_survey(ws, want)
    assert sha256(export) == digest and sha256(ws / GOOGLE) == digest


# ------------------------------------------------------------------------------------ errors


def test_errors_exit_2_and_write_nothing(tmp_path: Path) -> None:
    export = tmp_path / "survey.csv"
    fx.write_google_csv(export)
    target = tmp_path / "ws"
    cases: dict[str, tuple[list[str | Path], str]] = {
        "missing file": (["init", target, "--from-export", tmp_path / "nope.csv"], "nope.csv"),
        "sheet alone": (["init", target, "--sheet", "Sheet1"], "--from-export"),
        "sheet on a csv": (["init", target, "--from-export", export, "--sheet", "A"], "--sheet"),
        "with --sample": (["init", target, "--from-export", export, "--sample"], "--sample"),
    }
    for name, (args, word) in cases.items():
        res = pmqa(args)
        assert res.exit_code == 2, name
        assert word in res.stderr, (name, res.stderr)
        assert not target.exists(), name
    # not a spreadsheet inside
    fake = tmp_path / "export.xlsx"
    fake.write_bytes(b"not a workbook")
    res = pmqa(["init", target, "--from-export", fake])
    assert res.exit_code == 2 and "export.xlsx" in res.stderr
    assert not target.exists()
    # DIR not empty: left as it was
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    res = pmqa(["init", target, "--from-export", export])
    assert res.exit_code == 2 and str(target) in res.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    # nothing beside the target either (no temporary folder left)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.xlsx", "survey.csv", "ws"]


def test_no_unit_question_exit_2_with_the_table(tmp_path: Path) -> None:
    headers = tuple(h for h in fx.GOOGLE_HEADERS if fx.UNIT_Q not in h)
    export = tmp_path / "survey.csv"
    fx.write_google_csv(export, headers=headers)
    before = sha256(export)
    target = tmp_path / "ws"
    res = subprocess.run(
        [sys.executable, "-m", "pmqa_analysis.cli", "--language", "en", "init", str(target),
         "--from-export", str(export)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert res.returncode == 2
    assert "Traceback" not in res.stdout + res.stderr
    assert "no unit question" in res.stderr
    assert "ประทับเวลา" in res.stdout  # the table still shows what was found
    assert not target.exists()
    assert sha256(export) == before


# ------------------------------------------------------------------------------ end to end


def _texts(run: Path) -> dict[Path, str]:
    """Every output of a run folder as text (HTML, CSV, JSON, XLSX XML, Parquet cells)."""
    out: dict[Path, str] = {}
    for p in run.rglob("*"):
        if not p.is_file():
            continue
        if p.suffix == ".parquet":
            out[p] = pd.read_parquet(p).astype(str).to_csv()
        elif p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                out[p] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            out[p] = p.read_bytes().decode("utf-8", "replace")
    return out


def test_google_export_end_to_end_report_matches_hand_count_and_masks_pii(
    tmp_path: Path,
) -> None:
    export = tmp_path / GOOGLE
    want = fx.write_google_csv(export)
    before = sha256(export)
    ws, run = tmp_path / "ws", tmp_path / "run"
    assert init(ws, export).exit_code == 0
    assert pmqa(["validate", ws]).exit_code == 0
    with isolated_cache(tmp_path):
        result = pmqa(["report", ws, "--out", run, "--workers", "2", "--formats", "html,xlsx",
                       "--quiet"])  # fmt: skip
    assert result.exit_code == 0, result.stderr[-2000:]
    codes, items = unit_codes(ws), item_codes(ws)
    # n per unit and every item's mean and n, from the prepared results
    adequacy = pd.read_parquet(run / "results" / "adequacy.parquet").set_index("unit_code")
    assert adequacy["n"].to_dict() == {codes[u]: n for u, n in want.n_per_unit.items()}
    table = pd.read_parquet(run / "results" / "items.parquet").set_index(["unit_code", "item_code"])
    for header, per_unit in want.item_means.items():
        for unit, mean in per_unit.items():
            assert table.loc[(codes[unit], items[header]), "mean"] == pytest.approx(mean)
    n_item = table.groupby(level="item_code")["n"].sum()
    assert {h: int(n_item[items[h]]) for h in want.item_n} == want.item_n
    # personal data of the export: in no output; the <script> comment never raw in a page
    texts = _texts(run)
    assert any(p.suffix == ".html" for p in texts) and any(p.suffix == ".xlsx" for p in texts)
    others = [r["ชื่อ-นามสกุล"] for r in fx.google_rows()] + [r["ที่อยู่อีเมล"] for r in
                                                              fx.google_rows()]  # fmt: skip
    for path, text in texts.items():
        for secret in (*want.personal, *others):
            assert secret not in text, (path, secret)
        if path.suffix == ".html":
            assert "<script>alert(1)" not in text, path
    pages = [t for p, t in texts.items() if p.suffix == ".html" and "units" in p.parts]
    assert any("[อีเมล]" in html.unescape(re.sub(r"<[^>]+>", " ", t)) for t in pages)
    assert sha256(export) == before == sha256(ws / GOOGLE)


# -------------------------------------------------------------------------- smaller rules


def _small_export(path: Path, headers: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    fx.write_google_csv(path, rows, headers=headers)
    return path


def test_dates_readable_both_ways_are_flagged_and_day_month_used(tmp_path: Path) -> None:
    rows = fx.google_rows(n=12)
    for i, r in enumerate(rows):  # every day <= 12: 3/4/2567 is 3 April or 4 March
        r["ประทับเวลา"] = f"{1 + i % 12}/{(3, 4, 5)[i % 3]}/2567, 10:00:00"
    export = _small_export(
        tmp_path / "s.csv", ("ประทับเวลา", f"1. {fx.UNIT_Q}", f"2. {fx.GROUP_Q}", *fx.ITEMS), rows
    )
    draft = infer_export(export)
    stamp = draft.role_of("ประทับเวลา")
    assert "day/month is used" in stamp.check_en
    assert stamp.detail.startswith("1/3/2567–")  # read as day/month: 1 March first
    assert draft.fiscal_year == 2567 and draft.round == "12m"


def test_section_columns_and_thai_digit_numbering(tmp_path: Path) -> None:
    rows = fx.google_rows(n=10)
    items = ("๑.๑ ความสะดวก", "๑.๒ ความรวดเร็ว", "๒.๑ ความสุภาพ")
    for r in rows:
        for k, h in enumerate(items):
            r[h] = r[fx.ITEMS[k]]
    headers = ("ประทับเวลา", f"1. {fx.UNIT_Q}", f"2. {fx.GROUP_Q}", "๑. ด้านกระบวนการ",
               items[0], items[1], "๒. ด้านเจ้าหน้าที่", items[2])  # fmt: skip
    draft = infer_export(_small_export(tmp_path / "s.csv", headers, rows))
    q = draft.questionnaire
    assert list(q["dimension_code"]) == ["D1", "D1", "D2"]
    assert list(q["dimension_th"]) == ["ด้านกระบวนการ", "ด้านกระบวนการ", "ด้านเจ้าหน้าที่"]
    assert list(q["item_th"]) == ["ความสะดวก", "ความรวดเร็ว", "ความสุภาพ"]
    assert draft.role_of("๒. ด้านเจ้าหน้าที่").detail == "D2"


def test_an_empty_existing_folder_is_used_and_a_template_name_refused(tmp_path: Path) -> None:
    export = tmp_path / "survey.csv"
    want = fx.write_google_csv(export)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert init(empty, export).exit_code == 0
    check_survey(empty, want)
    clash = tmp_path / "units.csv"  # would be read as the units file
    clash.write_bytes(export.read_bytes())
    res = init(tmp_path / "ws", clash)
    assert res.exit_code == 2 and "units.csv" in res.stderr
    assert not (tmp_path / "ws").exists()
