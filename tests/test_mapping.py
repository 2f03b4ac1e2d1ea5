"""A responses file as an office has it: its own name, its own headers, names in code columns.

``[files]`` and ``[columns.responses]`` in settings.toml map the file; unit, group and
channel answers may be the names of ``units.csv`` / ``groups.csv`` / ``channels.csv``;
``respondent_id`` may be left out (issue 17).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from e2e_support import pmqa

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.workspace.config import load_settings
from pmqa_analysis.workspace.loader import load_workspace, validate_workspace
from pmqa_analysis.workspace.sample import make_sample_workspace

EXPORT = "แบบสำรวจความพึงพอใจ 2567.csv"
HEADERS = {
    "response_date": "ประทับเวลา",
    "unit_code": "1. หน่วยงานที่ท่านรับบริการ",
    "group_code": "2. ท่านเป็น",
    "channel_code": "3. ช่องทางที่ท่านติดต่อ",
}
MAP = "\n".join(f'{col} = "{header}"' for col, header in HEADERS.items())
SETTINGS = f'[files]\nresponses = "{EXPORT}"\n\n[columns.responses]\n{MAP}\n'


def _office_workspace(tmp_path: Path, *, english: bool = False) -> tuple[Path, pd.DataFrame]:
    """The sample with responses.csv rewritten as an office's export of it."""
    ws = make_sample_workspace(tmp_path / "ws", n_units=2, reach_sample_size=False)
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
    resp = pd.read_csv(ws / "responses.csv", **read)
    names = {}
    for ref, code, name in (("units", "unit_code", "unit_name_th"),
                            ("groups", "group_code", "group_name_th"),
                            ("channels", "channel_code", "channel_name_th")):  # fmt: skip
        table = pd.read_csv(ws / f"{ref}.csv", **read)
        if english and f"{name[:-3]}_en" in table and table[f"{name[:-3]}_en"].ne("").all():
            name = f"{name[:-3]}_en"
        names[code] = dict(zip(table[code], table[name], strict=True))
    export = resp.drop(columns=["respondent_id"])
    for code, lookup in names.items():
        # as a form gives them: the name, with stray spaces and another letter case
        export[code] = export[code].map(lambda c, lk=lookup: f" {lk.get(c, c)}  ".upper()
                                        if english else f"{lk.get(c, c)} ")  # fmt: skip
    export = export.rename(columns=HEADERS)
    (ws / "responses.csv").unlink()
    export.to_csv(ws / EXPORT, index=False, encoding="utf-8-sig")
    settings = (ws / "settings.toml").read_text(encoding="utf-8")
    (ws / "settings.toml").write_text(settings + "\n" + SETTINGS, encoding="utf-8")
    return ws, resp


@pytest.mark.parametrize("english", [False, True])
def test_an_export_with_names_and_its_own_headers_loads_as_the_template_would(
    tmp_path: Path, english: bool
) -> None:
    ws, original = _office_workspace(tmp_path, english=english)
    before = hashlib.sha256((ws / EXPORT).read_bytes()).hexdigest()
    problems = validate_workspace(ws, language="en")
    assert not (problems["severity"] == "error").any(), problems.to_string()
    survey = load_workspace(ws)
    r = survey.responses
    assert len(r) == len(original)
    for col in ("unit_code", "group_code", "channel_code"):
        assert list(r[col].astype(str)) == list(original[col]), col
    # no id column: file stem + row as a spreadsheet numbers it (header = row 1)
    stem = Path(EXPORT).stem
    assert list(r["respondent_id"][:2]) == [f"{stem}:2", f"{stem}:3"]
    assert r["respondent_id"].is_unique
    assert hashlib.sha256((ws / EXPORT).read_bytes()).hexdigest() == before


def test_an_unknown_unit_name_lists_the_nearest_names(tmp_path: Path) -> None:
    ws, _ = _office_workspace(tmp_path)
    units = pd.read_csv(ws / "units.csv", dtype=str, encoding="utf-8-sig")
    first = units["unit_name_th"].iloc[0]
    frame = pd.read_csv(ws / EXPORT, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[0, HEADERS["unit_code"]] = first[:-1]  # a typo: the last letter dropped
    frame.to_csv(ws / EXPORT, index=False, encoding="utf-8-sig")
    problems = validate_workspace(ws, language="en")
    hit = problems[problems["kind"] == "unknown_unit_code"]
    assert len(hit) == 1, problems.to_string()
    assert hit["row"].iloc[0] == 2 and hit["column"].iloc[0] == HEADERS["unit_code"]
    assert first in hit["hint"].iloc[0]  # "did you mean <the name>?"


def test_a_mapped_header_missing_from_the_file_is_reported_with_the_nearest(
    tmp_path: Path,
) -> None:
    ws, _ = _office_workspace(tmp_path)
    text = (ws / "settings.toml").read_text(encoding="utf-8")
    (ws / "settings.toml").write_text(text.replace("2. ท่านเป็น", "2. ท่านคือ"), "utf-8")
    result = pmqa(["--language", "en", "validate", ws])
    assert result.exit_code == 2
    assert "mapped_header_missing" in result.stdout or "settings.toml" in result.stdout
    assert "2. ท่านเป็น" in result.stdout  # the nearest header of the file


def test_unknown_template_and_column_names_in_the_maps_are_errors(tmp_path: Path) -> None:
    ws, _ = _office_workspace(tmp_path)
    text = (ws / "settings.toml").read_text(encoding="utf-8")
    text += '\n[columns.respones]\nunit_code = "x"\n'
    text = text.replace("group_code = ", "grup_code = ")
    (ws / "settings.toml").write_text(text, encoding="utf-8")
    problems = validate_workspace(ws, language="en")
    kinds = set(problems["kind"])
    assert {"unknown_template", "unknown_mapped_column"} <= kinds, problems.to_string()
    hints = " ".join(problems["hint"].astype(str))
    assert "responses" in hints and "group_code" in hints


def test_a_file_named_in_files_that_is_not_there(tmp_path: Path) -> None:
    ws, _ = _office_workspace(tmp_path)
    (ws / EXPORT).rename(ws / "other.csv")
    problems = validate_workspace(ws, language="en")
    assert "missing_mapped_file" in set(problems["kind"]), problems.to_string()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[files]\nresponses = 3\n", "expected a file name in quotes"),
        ('[files.responses]\npath = "a.xlsx"\ntab = "x"\n', "unknown key"),
        ('[columns]\nresponses = "x"\n', r"expected a table \[columns\.responses\]"),
        ("[columns.responses]\nunit_code = 5\n", "expected the header of a column"),
    ],
)
def test_malformed_maps_in_settings_are_clear_errors(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_settings(path)


def test_a_sheet_in_files_is_read(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('[files.responses]\npath = "export.xlsx"\nsheet = "Form1"\n', "utf-8")
    assert load_settings(settings).files == {"responses": ("export.xlsx", "Form1")}


def test_sex_answers_forms_offer_are_read_as_other(tmp_path: Path) -> None:
    """Forms offer more answers than ชาย/หญิง: each known one is read as "other", not an error."""
    ws = make_sample_workspace(tmp_path / "ws", n_units=2, reach_sample_size=False)
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
    resp = pd.read_csv(ws / "responses.csv", **read)
    offered = ["เพศทางเลือก", "LGBTQ+", "lgbtqia+", "ไม่ประสงค์ระบุ", "Prefer not to say"]
    resp.loc[: len(offered) - 1, "sex"] = offered
    resp.to_csv(ws / "responses.csv", index=False, encoding="utf-8-sig")
    survey = load_workspace(ws)
    assert list(survey.responses["sex"].iloc[: len(offered)]) == ["other"] * len(offered)
    resp.loc[0, "sex"] = "ชายหญิง"  # not an answer we know: still an error naming the choices
    resp.to_csv(ws / "responses.csv", index=False, encoding="utf-8-sig")
    problems = validate_workspace(ws)
    bad = problems[problems["column"] == "sex"]
    assert len(bad) == 1 and "ชายหญิง" in bad["value"].iloc[0]


def test_a_repeated_header_is_an_error_only_when_the_kit_reads_it(tmp_path: Path) -> None:
    """Forms repeat question titles (two "หมายเหตุ" boxes): ambiguous only if the kit reads them."""
    ws = make_sample_workspace(tmp_path / "ws", n_units=2, reach_sample_size=False)
    path = ws / "responses.csv"
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
    resp = pd.read_csv(path, **read)
    resp.insert(len(resp.columns), "หมายเหตุ", "")
    resp.insert(len(resp.columns), "หมายเหตุ ", "ก")  # the same title once cleaned
    resp.to_csv(path, index=False, encoding="utf-8-sig")
    problems = validate_workspace(ws)
    dup = problems[problems["kind"] == "duplicate_column"]
    assert dup[["column", "severity"]].values.tolist() == [["หมายเหตุ", "warning"]]
    assert not (problems["severity"] == "error").any()
    assert not (problems["kind"] == "unknown_column").any()  # one note, not three
    item = str(resp.columns[10])  # the first item, by its question text
    text = path.read_text(encoding="utf-8-sig").replace("หมายเหตุ ", item, 1)
    path.write_text(text, encoding="utf-8-sig")
    dup = validate_workspace(ws)
    dup = dup[dup["kind"] == "duplicate_column"]
    assert dup[["column", "severity"]].values.tolist() == [[item, "error"]]
