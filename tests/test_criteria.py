"""Tests of pmqa_analysis.workspace.criteria: the CS catalogue as data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from pmqa_analysis.core.errors import CatalogueError, InputError
from pmqa_analysis.core.problems import PROBLEM_COLUMNS
from pmqa_analysis.workspace.criteria import (
    KNOWN_METRICS,
    ActivityCode,
    Catalogue,
    Requirement,
    Scoring,
    ScoringRule,
    get_code,
    list_codes,
    load_catalogue,
    validate_catalogue,
)

# ------------------------------------------------------------------- built-in example


def test_builtin_structure() -> None:
    cat = load_catalogue()
    assert cat.name and cat.version
    assert cat.fiscal_year == 2553
    assert "EXAMPLE" in cat.note
    assert cat.list_codes("requirement") == [f"CS{i}" for i in range(1, 8)]
    assert cat.list_codes() == [
        "CS1A", "CS1B", "CS2A", "CS2B", "CS3A", "CS3B", "CS4", "CS5", "CS6", "CS7",
    ]  # fmt: skip
    # every requirement has at least one activity code, every activity maps to one
    assert {a.requirement for a in cat.activities} == set(cat.list_codes("requirement"))
    for act in cat.activities:
        assert 3 <= len(act.checklist) <= 5, act.code
        assert len(act.indicators) >= 1, act.code
        assert act.steps and act.title_th and act.title_en
        assert [c.code for c in act.checklist] == [
            f"{act.code}.{i}" for i in range(1, len(act.checklist) + 1)
        ]
        for ind in act.indicators:
            assert ind.metric in KNOWN_METRICS and ind.direction in (">=", "<=")
    for req in cat.requirements:
        assert req.title_th and req.title_en and req.description_th and req.description_en


def test_builtin_cs1a_steps_and_scoring() -> None:
    act = get_code("CS1A")
    assert isinstance(act, ActivityCode)
    assert act.steps[0].th == "1.1 ระบุพันธกิจของหน่วยงาน"
    assert act.steps[1].th == "1.2 วิเคราะห์กลุ่มผู้รับบริการตามพันธกิจ"
    assert "คำสั่งแต่งตั้งคณะทำงาน" in act.checklist[0].th
    cat = load_catalogue()
    assert cat.scoring == Scoring(ScoringRule(1.0, "all"), ScoringRule(0.5, "any"))
    # an activity's scoring overrides the defaults rule by rule
    assert act.scoring == Scoring(ScoringRule(1.0, "all"), ScoringRule(0.5, "none"))
    assert get_code("CS6").scoring == cat.scoring  # type: ignore[union-attr]


def test_bottom2_is_lower_is_better() -> None:
    t = load_catalogue().indicators_table()
    assert t.loc[t.metric == "bottom2_pct", "direction"].tolist() == ["<="]
    assert set(t.loc[t.metric != "bottom2_pct", "direction"]) == {">="}


def test_get_code_and_list_codes() -> None:
    assert isinstance(get_code("CS3"), Requirement)
    assert get_code(" cs 1 a ").code == "CS1A"
    assert len(list_codes("checklist")) == len(set(list_codes("checklist")))
    assert list_codes("indicator")[0] == "CS1A.K1"
    with pytest.raises(CatalogueError, match=r"unknown code 'CS8'.*CS1A, CS1B.*CS1, CS2"):
        get_code("CS8")
    with pytest.raises(InputError, match="unknown kind 'x'"):
        list_codes("x")


def test_tables() -> None:
    cat = load_catalogue()
    chk = cat.checklist_table()
    assert list(chk.columns) == [
        "requirement", "activity_code", "check_code", "order", "text_th", "text_en",
    ]  # fmt: skip
    assert len(chk) == sum(len(a.checklist) for a in cat.activities)
    assert chk.check_code.is_unique and (chk.text_th != "").all() and (chk.text_en != "").all()
    ind = cat.indicators_table()
    assert ind.target.dtype == "float64" and ind.indicator_code.is_unique
    assert (ind.unit != "").all()
    acts = cat.activities_table("en")
    assert acts.activity_code.tolist() == cat.list_codes()
    assert acts.loc[acts.activity_code == "CS6", "requirement_title"].item() == (
        "Measuring satisfaction and dissatisfaction"
    )
    assert (acts.n_checklist >= 3).all()
    th = cat.activities_table("th")
    assert th.loc[0, "title"] == cat.activities[0].title_th
    with pytest.raises(InputError, match="language 'fr'"):
        cat.activities_table("fr")


def test_indicator_meets() -> None:
    ind = {i.metric: i for a in load_catalogue().activities for i in a.indicators}
    assert ind["top2_pct"].meets(80.0) and not ind["top2_pct"].meets(79.9)
    assert ind["bottom2_pct"].meets(10.0) and not ind["bottom2_pct"].meets(10.1)
    assert not ind["top2_pct"].meets(None)


def test_builtin_validates_clean() -> None:
    table = validate_catalogue()
    assert list(table.columns) == PROBLEM_COLUMNS and table.empty


# ------------------------------------------------------------------- user catalogues

USER = """
[catalogue]
name = "เกณฑ์จังหวัดตัวอย่าง"
version = "2567.1"
source = "คู่มือจังหวัด 2567"
fiscal_year = 2567
note = "another fiscal year"

[scoring]
met = { checklist_min = 0.9, indicators = "any" }

[[requirements]]
code = "CS1"
title_th = "กลุ่มผู้รับบริการ"
title_en = "Groups"

[[requirements]]
code = "CS6"
title_th = "ความพึงพอใจ"
title_en = "Satisfaction"

[[activities]]
code = "CS1A"
requirement = "CS1"
title_th = "จำแนกกลุ่ม"
title_en = "Classify groups"
steps = [{ th = "1.1 ระบุพันธกิจ", en = "1.1 State missions" }]

[[activities.checklist]]
code = "CS1A.1"
th = "คำสั่ง"
en = "Order"

[[activities.indicators]]
code = "CS1A.K1"
metric = "missions_mapped_pct"
target = 100
direction = ">="
th = "ร้อยละ"
en = "percent"

[[activities]]
code = "CS6"
requirement = "CS6"
title_th = "วัดความพึงพอใจ"
title_en = "Measure satisfaction"

[[activities.checklist]]
code = "CS6.1"
th = "รายงาน"
en = "Report"

[[activities.indicators]]
code = "CS6.K1"
metric = "top2_pct"
target = 85.5
direction = ">="
th = "ร้อยละพอใจ"
en = "% satisfied"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue_2567.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_catalogue_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, USER)
    cat = load_catalogue(path)
    assert isinstance(cat, Catalogue)
    assert (cat.name, cat.version, cat.fiscal_year) == ("เกณฑ์จังหวัดตัวอย่าง", "2567.1", 2567)
    assert cat.path == str(path)
    assert cat.list_codes() == ["CS1A", "CS6"]
    # defaults: the file's [scoring] replaces key by key, the rest from the kit
    assert cat.scoring == Scoring(ScoringRule(0.9, "any"), ScoringRule(0.5, "any"))
    assert cat.get_code("CS6").indicators[0].target == 85.5  # type: ignore[union-attr]
    assert validate_catalogue(path).empty
    # module functions take a catalogue too; the built-in one is untouched
    assert list_codes(catalogue=cat) == ["CS1A", "CS6"]
    assert len(list_codes()) == 10


def test_user_catalogue_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(USER.encode("utf-8-sig"))
    assert load_catalogue(path).version == "2567.1"


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ('requirement = "CS6"', 'requirement = "CS9"',
         r"activities\[CS6\]\.requirement: found 'CS9'; expected one of the requirements CS1, CS6"),
        ('code = "CS6"\nrequirement', 'code = "CS1A"\nrequirement',
         r"activities\[CS1A\]\.code: found 'CS1A'; expected a unique activity code"),
        ('code = "CS6.1"', 'code = "CS1A.1"',
         r"checklist\[CS1A\.1\]\.code: found 'CS1A\.1'; expected a unique checklist code"),
        ('code = "CS6.K1"', 'code = "CS1A.K1"',
         r"indicators\[CS1A\.K1\]\.code: found 'CS1A\.K1'; expected a unique indicator code"),
        ('title_en = "Measure satisfaction"\n', "\n",
         r"activities\[CS6\]\.title_en: found '\(missing\)'; expected non-empty text"),
        ('title_th = "ความพึงพอใจ"', 'title_th = ""',
         r"requirements\[CS6\]\.title_th: found ''; expected non-empty text"),
        ('th = "รายงาน"', 'th = " "',
         r"checklist\[CS6\.1\]\.th: found ' '; expected non-empty text"),
        ('metric = "top2_pct"', 'metric = "happiness"',
         r"indicators\[CS6\.K1\]\.metric: found 'happiness'; expected a known metric: "
         r"missions_mapped_pct, groups_with_responses_pct"),
        ('direction = ">="\nth = "ร้อยละพอใจ"', 'direction = ">"\nth = "ร้อยละพอใจ"',
         r"indicators\[CS6\.K1\]\.direction: found '>'; expected '>=' .* or '<='"),
        ("target = 85.5", 'target = "85%"',
         r"indicators\[CS6\.K1\]\.target: found '85%'; expected a number"),
        ("target = 85.5", "target = nan",
         r"indicators\[CS6\.K1\]\.target: found 'nan'; expected a number"),
        ('met = { checklist_min = 0.9, indicators = "any" }',
         'met = { checklist_min = 90, indicators = "any" }',
         r"scoring\.met\.checklist_min: found '90'; expected a number from 0 to 1"),
        ('met = { checklist_min = 0.9, indicators = "any" }',
         'met = { checklist_min = 0.9, indicators = "most" }',
         r"scoring\.met\.indicators: found 'most'; expected one of all, any, none"),
        ('met = { checklist_min = 0.9, indicators = "any" }',
         'met = { checklist_min = 0.4, indicators = "any" }',
         r"scoring\.partly\.checklist_min: found '0\.5'; expected at most met\.checklist_min"),
        ('steps = [{ th = "1.1 ระบุพันธกิจ", en = "1.1 State missions" }]',
         'steps = [{ th = "1.1 ระบุพันธกิจ", en = "1.1 State missions" }]\n'
         'scoring = { partly = { checklist_min = -0.1 } }',
         r"activities\[CS1A\]\.scoring\.partly\.checklist_min: found '-0\.1'"),
        ('version = "2567.1"\n', "\n",
         r"catalogue\.version: found '\(missing\)'; expected a version"),
        ('name = "เกณฑ์จังหวัดตัวอย่าง"', 'name = ""',
         r"catalogue\.name: found ''; expected non-empty text"),
        ("fiscal_year = 2567", "fiscal_year = 2024",
         r"catalogue\.fiscal_year: found '2024'; expected a Buddhist Era year"),
        ('[[activities.checklist]]\ncode = "CS6.1"\nth = "รายงาน"\nen = "Report"', "",
         r"activities\[CS6\]\.checklist: found '\(none\)'; expected at least one"),
        ("[[requirements]]\ncode = \"CS1\"", "[[requirement]]\ncode = \"CS1\"",
         r"requirement: found '\(table\)'; expected only \[catalogue\]"),
    ],
)  # fmt: skip
def test_invalid_catalogue(tmp_path: Path, old: str, new: str, match: str) -> None:
    assert old in USER
    path = _write(tmp_path, USER.replace(old, new, 1))
    with pytest.raises(CatalogueError, match=match) as info:
        load_catalogue(path)
    assert str(path) in str(info.value)
    problems = validate_catalogue(path, "en")
    assert (problems.severity == "error").any() and (problems.file == str(path)).all()


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = (
        USER.replace('requirement = "CS6"', 'requirement = "CS9"')
        .replace('metric = "top2_pct"', 'metric = "happiness"')
        .replace('direction = ">="\nth = "ร้อยละ"', 'direction = "=>"\nth = "ร้อยละ"')
        .replace('title_en = "Groups"', 'title_en = ""')
        .replace("target = 85.5", 'target = "x"')
    )
    path = _write(tmp_path, text)
    with pytest.raises(CatalogueError, match=r"^5 problem\(s\) in criteria catalogue") as info:
        load_catalogue(path)
    msg = str(info.value)
    for where in (
        "activities[CS6].requirement",
        "indicators[CS6.K1].metric",
        "indicators[CS1A.K1].direction",
        "requirements[CS1].title_en",
        "indicators[CS6.K1].target",
    ):
        assert where in msg
    table = validate_catalogue(path, "en")
    assert len(table) == 5 and set(table.kind) == {"catalogue"}


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    line = USER.splitlines().index('title_en = "Groups"') + 1
    path = _write(tmp_path, USER.replace('title_en = "Groups"', 'title_en = "Groups'))
    with pytest.raises(CatalogueError, match=rf"catalogue_2567\.toml.*row {line}.*at line {line}"):
        load_catalogue(path)
    table = validate_catalogue(path, "en")
    assert table.kind.tolist() == ["toml_syntax"] and table.row.tolist() == [line]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"nope\.toml not found"):
        load_catalogue(tmp_path / "nope.toml")


def test_example_file_marked_as_example() -> None:
    text = resources.files("pmqa_analysis").joinpath("data", "catalogue_example.toml")
    head = text.read_text("utf-8")[:600]
    assert "EXAMPLE" in head and "could" in head and "not be retrieved" in head


def test_tables_are_new_frames() -> None:
    cat = load_catalogue()
    a = cat.checklist_table()
    a.loc[0, "text_en"] = "changed"
    assert cat.checklist_table().loc[0, "text_en"] != "changed"
    assert isinstance(a, pd.DataFrame)
