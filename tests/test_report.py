"""Plan, folder names, fingerprints, escaping and exports of the report batch (no kernels)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import nbformat.v4 as v4
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmqa_analysis.core.errors import InputError, ValidationError
from pmqa_analysis.report import export
from pmqa_analysis.run.batch import default_prepare, plan_run, prepare
from pmqa_analysis.run.manifest import (
    hash_files,
    read_status,
    slice_hashes,
    unit_slug,
    write_json_atomic,
)
from pmqa_analysis.run.unit_job import clean_stale
from pmqa_analysis.workspace.sample_broken import make_broken_workspace

NOTEBOOK = Path(__file__).parent / "notebooks" / "unit_light.ipynb"


# ----------------------------------------------------------------------------- slugs


@pytest.mark.parametrize("code", ["", " ", ".", ".."])
def test_unit_slug_refuses_empty_and_dots(code: str) -> None:
    with pytest.raises(InputError, match="cannot be used as a report folder"):
        unit_slug(code)


@pytest.mark.parametrize("code", ["../../x", "/etc/passwd", "a/../../b", "..\\..\\x", "~", "\x00"])
def test_unit_slug_never_escapes(tmp_path: Path, code: str) -> None:
    slug = unit_slug(code)
    units = tmp_path / "units"
    target = (units / slug).resolve()
    assert target.parent == units.resolve()
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def test_unit_slug_keeps_safe_codes_and_tags_changed_ones() -> None:
    assert unit_slug("U01") == "U01"
    assert unit_slug(123) == "123"
    assert unit_slug("a b") != unit_slug("a-b")
    assert unit_slug("a b").startswith("a-b-") and len(unit_slug("a b")) == len("a-b-") + 8


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_unit_slug_distinct_codes_never_collide(a: str, b: str) -> None:
    if a == b or a.strip() in ("", ".", "..") or b.strip() in ("", ".", ".."):
        return
    assert unit_slug(a) != unit_slug(b)


# ----------------------------------------------------------------------------- plan


def test_plan_run_units_slugs_and_deterministic_id(workspace: Path, tmp_path: Path) -> None:
    p1 = plan_run(workspace, tmp_path / "a", notebook=NOTEBOOK)
    p2 = plan_run(workspace, tmp_path / "b", notebook=NOTEBOOK, units=["U02"])
    assert p1.units == ("U01", "U02", "U03")
    assert p2.units == ("U02",)
    assert p1.run_id == p2.run_id and p1.run_id.startswith("FY")
    assert p1.parameters == ("unit_code", "run_dir", "language")
    assert p1.unit_dir("U01") == (tmp_path / "a" / "units" / "U01").resolve()
    assert not (tmp_path / "a").exists()  # planning writes nothing


def test_plan_run_default_folder_is_reports_run_id(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = plan_run(workspace, notebook=NOTEBOOK)
    assert plan.run_dir == (tmp_path / "reports" / plan.run_id).resolve()


def test_run_id_changes_with_inputs(workspace: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(workspace, copy)
    before = plan_run(copy, tmp_path / "r", notebook=NOTEBOOK).run_id
    with open(copy / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert plan_run(copy, tmp_path / "r", notebook=NOTEBOOK).run_id != before


def test_fingerprint_follows_the_code_and_output_libraries(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pmqa_analysis.run.manifest as manifest
    import pmqa_analysis.run.plan as report  # plan_run's module (issue 20 split batch.py)

    before = plan_run(workspace, tmp_path / "r", notebook=NOTEBOOK).base_fingerprint
    # an edited module in an editable install: same version number, other code
    monkeypatch.setattr(report, "code_fingerprint", lambda: "edited")
    assert plan_run(workspace, tmp_path / "r", notebook=NOTEBOOK).base_fingerprint != before
    # the real fingerprint covers the package's files and the output libraries' versions
    monkeypatch.undo()
    manifest.code_fingerprint.cache_clear()
    real = manifest.code_fingerprint()
    manifest.code_fingerprint.cache_clear()
    files = manifest.hash_files
    monkeypatch.setattr(manifest, "hash_files", lambda d: {**files(d), "plots/new.py": "x"})
    assert manifest.code_fingerprint() != real
    manifest.code_fingerprint.cache_clear()
    monkeypatch.setattr(manifest, "hash_files", files)
    import importlib.metadata as md

    monkeypatch.setattr(md, "version", lambda name: "9.9" if name == "matplotlib" else "1")
    assert manifest.code_fingerprint() != real
    manifest.code_fingerprint.cache_clear()
    monkeypatch.undo()
    assert manifest.code_fingerprint() == real


def test_plan_run_unknown_units_lists_known_codes(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(
        InputError, match=r"unknown unit code\(s\): 'U99'; known codes: U01, U02, U03"
    ):
        plan_run(workspace, tmp_path / "r", notebook=NOTEBOOK, units=["U01", "U99"])


def test_plan_run_unknown_format(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown report format.*docx.*expected some of html"):
        plan_run(workspace, tmp_path / "r", notebook=NOTEBOOK, formats=("html", "docx"))


def test_notebook_without_parameters_is_refused(workspace: Path, tmp_path: Path) -> None:
    nb = v4.new_notebook(cells=[v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})])
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(InputError, match=r"does not declare unit_code, run_dir.*found: x"):
        plan_run(workspace, tmp_path / "r", notebook=path)
    with pytest.raises(InputError, match="notebook not found"):
        plan_run(workspace, tmp_path / "r", notebook=tmp_path / "missing.ipynb")


def test_invalid_workspace_raises_and_writes_nothing(workspace: Path, tmp_path: Path) -> None:
    from pmqa_analysis.run.batch import run_report

    broken = tmp_path / "broken"
    make_broken_workspace(workspace, broken)
    out = tmp_path / "out"
    with pytest.raises(ValidationError):
        run_report(broken, out, notebook=NOTEBOOK, quiet=True)
    assert not out.exists()


def test_traversal_unit_code_stays_inside_run_folder(workspace: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(workspace, ws)
    for name in ("units.csv", "responses.csv", "complaints.csv", "service_standards.csv",
                 "service_log.csv", "activities.csv", "checklist.csv", "groups.csv"):  # fmt: skip
        path = ws / name
        path.write_text(path.read_text(encoding="utf-8").replace("U01", "../../x"), "utf-8")
    try:
        plan = plan_run(ws, tmp_path / "run", notebook=NOTEBOOK)
    except ValidationError:  # refusing the code is as good as slugging it
        return
    target = plan.unit_dir("../../x").resolve()
    assert target.parent == (tmp_path / "run" / "units").resolve()


# ----------------------------------------------------------------------------- prepare


def test_default_prepare_writes_filterable_parquet(workspace: Path, tmp_path: Path) -> None:
    plan = prepare(plan_run(workspace, tmp_path / "run", notebook=NOTEBOOK))
    path = plan.run_dir / "data" / "responses.parquet"
    u2 = pd.read_parquet(path, filters=[("unit_code", "==", "U02")])
    full = pd.read_parquet(path)
    assert len(u2) == int((full["unit_code"] == "U02").sum()) > 0
    assert set(u2["unit_code"]) == {"U02"}
    assert set(plan.fingerprints) == {"U01", "U02", "U03"}
    assert len(set(plan.fingerprints.values())) == 3
    again = prepare(plan)
    assert again.fingerprints == plan.fingerprints  # deterministic


@pytest.mark.parametrize("order", ["shuffled", "already sorted"])
def test_responses_are_written_unit_by_unit_keeping_row_order(
    workspace: Path, tmp_path: Path, order: str
) -> None:
    import dataclasses

    from pmqa_analysis.run.prepare import write_data
    from pmqa_analysis.workspace.loader import load_workspace

    survey = load_workspace(workspace)
    resp = survey.responses.sample(frac=1.0, random_state=3)
    if order == "already sorted":
        resp = resp.sort_values("unit_code", kind="stable")
    write_data(dataclasses.replace(survey, responses=resp), tmp_path / "data")
    out = pd.read_parquet(tmp_path / "data" / "responses.parquet")
    expected = resp.sort_values("unit_code", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(out, expected, check_dtype=False)


def test_prepare_fn_must_cover_planned_units(workspace: Path, tmp_path: Path) -> None:
    plan = plan_run(workspace, tmp_path / "run", notebook=NOTEBOOK)
    with pytest.raises(InputError, match=r"no data for unit.*U03.*returned U01, U02"):
        prepare(plan, lambda ws, run: ["U01", "U02"])


def test_fingerprint_changes_only_for_the_changed_unit(workspace: Path, tmp_path: Path) -> None:
    def tweaked(ws: Path, run: Path) -> list[str]:
        codes = default_prepare(ws, run)
        path = run / "data" / "responses.parquet"
        frame = pd.read_parquet(path)
        first = frame.index[frame["unit_code"] == "U03"][0]
        frame.loc[first, "weight"] = 2.0
        frame.to_parquet(path, index=False)
        return codes

    plan = plan_run(workspace, tmp_path / "run", notebook=NOTEBOOK)
    a = prepare(plan).fingerprints
    b = prepare(plan, tweaked).fingerprints
    assert a["U01"] == b["U01"] and a["U02"] == b["U02"] and a["U03"] != b["U03"]


def test_slice_hashes_per_unit_files(tmp_path: Path) -> None:
    (tmp_path / "U01").mkdir()
    (tmp_path / "U01" / "plan.json").write_text("{}")
    (tmp_path / "all.json").write_text("{}")
    h1 = slice_hashes([tmp_path], ["U01", "U02"])
    (tmp_path / "U01" / "plan.json").write_text('{"a": 1}')
    h2 = slice_hashes([tmp_path], ["U01", "U02"])
    assert h1["U02"] == h2["U02"] and h1["U01"] != h2["U01"]
    (tmp_path / "all.json").write_text("[]")
    h3 = slice_hashes([tmp_path], ["U01", "U02"])
    assert h3["U02"] != h2["U02"] and h3["U01"] != h2["U01"]


def test_hash_files_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("1")
    (tmp_path / "a.csv").write_text("2")
    (tmp_path / ".lock").write_text("3")
    assert list(hash_files(tmp_path)) == ["a.csv", "b.csv"]


# ----------------------------------------------------------------------------- files


def test_write_json_atomic_leaves_no_temp_and_is_readable(tmp_path: Path) -> None:
    path = write_json_atomic(tmp_path / "status.json", {"status": "ok", "n": 1})
    assert json.loads(path.read_text()) == {"n": 1, "status": "ok"}
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]
    assert read_status(tmp_path) == {"n": 1, "status": "ok"}
    (tmp_path / "status.json").write_text("{trunc")
    assert read_status(tmp_path) is None


def test_clean_stale_keeps_live_and_complete_folders(tmp_path: Path) -> None:
    import os

    (tmp_path / "U01").mkdir()
    (tmp_path / ".U02.tmp-999999999").mkdir()
    (tmp_path / ".U03.old-999999999").mkdir()
    (tmp_path / f".U04.tmp-{os.getpid()}").mkdir()
    (tmp_path / ".U02.tables").mkdir()
    (tmp_path / ".U04.tables").mkdir()
    removed = clean_stale(tmp_path)
    assert sorted(removed) == [".U02.tables", ".U02.tmp-999999999", ".U03.old-999999999"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".U04.tables",
        f".U04.tmp-{os.getpid()}",
        "U01",
    ]


# ----------------------------------------------------------------------------- export


def test_safe_html_and_html_table_escape_everything() -> None:
    evil = '<script>alert("x")</script>'
    assert "<script>" not in export.safe_html(evil)
    table = export.html_table(pd.DataFrame({evil: [evil, None]}))
    assert "<script>" not in table and table.count("&lt;script&gt;") == 2


def test_html_table_keeps_short_text_columns_on_one_line() -> None:
    frame = pd.DataFrame({"ผล": ["ผ่านบางส่วน", None], "เหตุผล": ["ก" * 15, "ข"], "n": [1, 2]})
    cells = re.findall(r'<td class="([^"]*)">', export.html_table(frame))
    assert cells == ["pmqa-text pmqa-short", "pmqa-text"] * 2
    assert "td.pmqa-short { white-space: nowrap; }" in export.font_css()


def test_html_table_shows_every_missing_cell_as_na_rep() -> None:
    frame = pd.DataFrame({
        "rank": pd.array([1, None], dtype="Int64"), "mean": [4.25, np.nan],
        "band": pd.array(["มาก", None], dtype="string"), "note": ["ok", None],
        "day": pd.to_datetime(["2024-10-01", None]),
        "at": pd.to_datetime(["2024-10-01 10:30", None]),
    })  # fmt: skip
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", export.html_table(frame, na_rep="–"))
    assert cells == ["1", "4.25", "มาก", "ok", "2024-10-01", "2024-10-01 10:30:00",
                     "–", "–", "–", "–", "–", "–"]  # fmt: skip
    bare = export.html_table(frame)
    assert "&lt;NA&gt;" not in bare and "None" not in bare and "NaT" not in bare
    assert frame["rank"].dtype == "Int64" and frame["note"].isna().sum() == 1  # not modified


def test_notebook_to_html_hides_code_embeds_font_and_escapes_text() -> None:
    nb = v4.new_notebook(cells=[
        v4.new_code_cell("secret_code = 1", outputs=[
            v4.new_output("stream", name="stdout", text="<script>alert(1)</script>"),
            v4.new_output("display_data", data={"text/html": export.safe_html("<img onerror=x>")}),
        ]),
    ])  # fmt: skip
    page = export.notebook_to_html(nb, title="U01")
    assert "secret_code" not in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img onerror" not in page
    assert "@font-face" in page and "font-family: Sarabun" in page
    assert "cdnjs" not in page  # self-contained: no remote scripts
    assert page.index("@font-face") < page.index("</head>")


def test_notebook_to_html_keeps_inline_svg_as_written() -> None:
    """The page comes straight from nbconvert's template: an inline chart keeps SVG's
    mixed-case names (nbconvert's own BeautifulSoup pass would lower-case them)."""
    svg = (
        '<svg role="img" aria-label="chart" viewBox="0 0 10 10" '
        'xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c-p1">'
        '<rect width="5" height="5"/></clipPath></defs>'
        '<text clip-path="url(#c-p1)">ทดสอบ</text></svg>'
    )
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("## หัวข้อ"),
        v4.new_code_cell("x", outputs=[v4.new_output("display_data", data={"text/html": svg})]),
    ])  # fmt: skip
    page = export.notebook_to_html(nb, title="U01")
    assert svg in page and "<h2" in page and "หัวข้อ" in html.unescape(page)
    assert "viewbox=" not in page and "<clippath" not in page


def test_save_table_numbers_and_xlsx_is_byte_identical(tmp_path: Path) -> None:
    frame = pd.DataFrame({"item": ["Q1", "Q2"], "mean": [4.25, 3.5]})
    t1 = export.save_table(tmp_path, "U 1", "ความพึงพอใจ: รายข้อ/ด้าน", frame)
    t2 = export.save_table(tmp_path, "U 1", "ความพึงพอใจ: รายข้อ/ด้าน", frame.iloc[:1])
    assert [t1.name[:3], t2.name[:3]] == ["01_", "02_"]
    assert t1.parent == export.staging_dir(tmp_path, "U 1")
    a = export.tables_to_xlsx([t1, t2], tmp_path / "a.xlsx")
    b = export.tables_to_xlsx([t1, t2], tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    sheets = pd.read_excel(a, sheet_name=None, engine="calamine")
    assert list(sheets) == ["ความพึงพอใจ- รายข้อ-ด้าน", "ความพึงพอใจ- รายข้อ-ด้าน (2)"]
    pd.testing.assert_frame_equal(sheets["ความพึงพอใจ- รายข้อ-ด้าน"], frame)


def test_save_table_refuses_non_frames(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expects a pandas DataFrame, found list"):
        export.save_table(tmp_path, "U01", "x", [1, 2])  # type: ignore[arg-type]


def test_pdf_without_chromium_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    assert export.find_chromium() is None
    with pytest.raises(InputError, match="PDF needs Chromium: none found"):
        export.html_to_pdf("a.html", "a.pdf")


@pytest.mark.skipif(export.find_chromium() is None, reason="no Chromium installed")
def test_pdf_with_chromium(tmp_path: Path) -> None:  # pragma: no cover - needs a browser
    html = tmp_path / "r.html"
    html.write_text(export.html_page("ทดสอบ", "<p>สวัสดี</p>"), encoding="utf-8")
    pdf = export.html_to_pdf(html, tmp_path / "r.pdf")
    assert pdf.read_bytes()[:4] == b"%PDF"
