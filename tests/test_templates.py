"""Tests of pmqa_analysis.workspace.templates: spec ↔ blank templates ↔ data dictionary."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.workspace import templates
from pmqa_analysis.workspace.templates import (
    COLUMN_TYPES,
    load_template_specs,
    render_data_dictionary,
    template_names,
    write_blank_templates,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data_templates"
TOML = ROOT / "pmqa_analysis" / "data" / "templates.toml"


def test_specs_mirror_the_toml_file() -> None:
    raw = tomllib.loads(TOML.read_text("utf-8"))["templates"]
    specs = load_template_specs()
    assert list(specs) == list(raw)
    for name, body in raw.items():
        spec = specs[name]
        assert spec.column_names == tuple(c["name"] for c in body["columns"])
        assert spec.required_columns == tuple(c["name"] for c in body["columns"] if c["required"])
        assert spec.key == tuple(body["key"])
        assert spec.required is body["required"]


def test_aliases_are_split_into_header_and_value_aliases() -> None:
    specs = load_template_specs()
    status = specs["complaints"].column("status")
    assert status.header_aliases == ()
    assert status.value_aliases["เสร็จสิ้น"] == "closed"
    assert specs["responses"].column("response_date").header_aliases == ("ประทับเวลา", "Timestamp")
    assert dict(specs["responses"].column("unit_code").value_aliases) == {}
    for spec in specs.values():
        for col in spec.columns:
            assert col.type in COLUMN_TYPES
            assert set(col.value_aliases.values()) <= set(col.choices)


def test_unknown_column_names_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"no column 'nope'.*unit_code, unit_name_th"):
        load_template_specs()["units"].column("nope")


def test_specs_are_frozen_and_cached() -> None:
    spec = load_template_specs()["units"]
    with pytest.raises(AttributeError):
        spec.name = "x"  # type: ignore[misc]
    assert load_template_specs() is load_template_specs()


def test_template_names() -> None:
    assert template_names()[:5] == template_names(required_only=True)
    assert "checklist" in template_names() and "checklist" not in template_names(True)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Blank templates written once for the module."""
    out = tmp_path_factory.mktemp("templates")
    write_blank_templates(out)
    return out


@pytest.mark.parametrize("name", template_names())
def test_committed_templates_equal_freshly_generated(name: str, fresh: Path) -> None:
    for ext in ("csv", "xlsx"):
        committed = COMMITTED / f"{name}.{ext}"
        assert committed.exists(), (
            f"{committed} missing: run python -m pmqa_analysis.workspace.templates"
        )
        assert committed.read_bytes() == (fresh / f"{name}.{ext}").read_bytes(), (
            f"{committed.name} is stale: run "
            "`python -m pmqa_analysis.workspace.templates data_templates`"
        )


def test_committed_dictionary_equals_rendered() -> None:
    committed = (COMMITTED / "DATA_DICTIONARY.md").read_text("utf-8")
    assert committed == render_data_dictionary(), "run python -m pmqa_analysis.workspace.templates"


def test_blank_templates_hold_the_spec_header_only(tmp_path: Path) -> None:
    paths = write_blank_templates(tmp_path)
    assert paths == sorted(paths)
    assert {p.name for p in paths} == {
        f"{n}.{e}" for n in template_names() for e in ("csv", "xlsx")
    }
    for spec in load_template_specs().values():
        raw = (tmp_path / f"{spec.name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel shows Thai
        csv = pd.read_csv(tmp_path / f"{spec.name}.csv", encoding="utf-8-sig")
        assert tuple(csv.columns) == spec.column_names and len(csv) == 0
        sheets = pd.read_excel(tmp_path / f"{spec.name}.xlsx", sheet_name=None, engine="calamine")
        assert list(sheets) == [spec.name, "คำอธิบาย - Dictionary"]
        assert tuple(sheets[spec.name].columns) == spec.column_names
        assert len(sheets[spec.name]) == 0
        described = sheets["คำอธิบาย - Dictionary"]
        assert tuple(described.iloc[:, 0]) == spec.column_names
        assert tuple(described.iloc[:, 3]) == tuple(c.th for c in spec.columns)


def test_write_is_deterministic_and_sorted(tmp_path: Path, fresh: Path) -> None:
    paths = write_blank_templates(tmp_path, formats=["xlsx", "csv"])
    assert paths == sorted(paths) and len(paths) == 2 * len(template_names())
    assert [p.read_bytes() for p in paths] == [(fresh / p.name).read_bytes() for p in paths]


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\['pdf'\] not supported; expected 'csv'"):
        write_blank_templates(tmp_path, formats=["csv", "pdf"])


def test_dictionary_names_every_column_of_every_template() -> None:
    md = render_data_dictionary()
    for spec in load_template_specs().values():
        section = md.split(f"## `{spec.name}` — ", 1)[1].split("\n## ", 1)[0]
        assert f"## `{spec.name}` — {spec.title_th} / {spec.title_en}\n" in md
        rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "---" not in ln]
        assert [r.split(" | ")[0][2:] for r in rows[1:]] == list(spec.column_names)
        for col in spec.columns:
            assert f"| {col.name} | " in section
            assert col.th in section and col.en in section
            for choice in col.choices:
                assert choice in section
    for ctype in COLUMN_TYPES:
        assert f"`{ctype}`" in md
    for topic in ("พ.ศ.", "cp874", "ไม่มีความเห็น", "column_header", "ประทับเวลา"):
        assert topic in md


def test_main_writes_templates_and_dictionary(tmp_path: Path, capsys) -> None:
    assert templates.main([str(tmp_path)]) == 0  # the script entry point
    assert (tmp_path / "DATA_DICTIONARY.md").read_text("utf-8") == render_data_dictionary()
    assert "units.xlsx" in capsys.readouterr().out
