"""Optional workspace files left header-only (as ``pmqa init`` writes them) or absent.

A new office starts exactly there: ``pmqa init``, fill in the required files, leave the
optional ones as written.  Every such workspace must validate, and ``pmqa report`` must
exit 0 with a report that says "no data" (ไม่มีข้อมูล) for the section (issue 17).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from e2e_support import isolated_cache, pmqa

from pmqa_analysis.workspace.loader import OPTIONAL_TEMPLATES, load_workspace
from pmqa_analysis.workspace.sample import make_sample_workspace


def _workspace(tmp_path: Path) -> Path:
    return make_sample_workspace(tmp_path / "ws", n_units=2, reach_sample_size=False)


def _leave(ws: Path, name: str, mode: str) -> None:
    path = ws / f"{name}.csv"
    if mode == "absent":
        path.unlink()
    else:  # header only, exactly as the template (and `pmqa init`) writes it
        header = path.read_bytes().split(b"\n", 1)[0]
        path.write_bytes(header + b"\n")


def _text(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(style|svg|script)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


@pytest.mark.parametrize("mode", ["header_only", "absent"])
def test_an_empty_optional_file_loads_with_the_columns_of_a_filled_one(
    tmp_path: Path, mode: str
) -> None:
    ws = _workspace(tmp_path)
    full = load_workspace(ws)
    for name in OPTIONAL_TEMPLATES:
        _leave(ws, name, mode)
    empty = load_workspace(ws)
    for name in OPTIONAL_TEMPLATES:
        got, want = getattr(empty, name), getattr(full, name)
        assert len(got) == 0, name
        assert list(got.columns) == list(want.columns), name
        assert got.dtypes.astype(str).to_dict() == want.dtypes.astype(str).to_dict(), name


@pytest.mark.parametrize("mode", ["header_only", "absent"])
@pytest.mark.parametrize("name", OPTIONAL_TEMPLATES)
def test_report_runs_with_one_optional_file_empty(tmp_path: Path, name: str, mode: str) -> None:
    ws = _workspace(tmp_path)
    _leave(ws, name, mode)
    if name == "service_standards":  # the log's services must have standards (next test)
        _leave(ws, "service_log", mode)
    assert pmqa(["validate", ws]).exit_code == 0
    run = tmp_path / "run"
    with isolated_cache(tmp_path):
        result = pmqa(["report", ws, "--out", run, "--units", "U01", "--workers", "1",
                       "--formats", "html", "--quiet"])  # fmt: skip
    assert result.exit_code == 0, result.stderr[-2000:]
    assert (run / "units" / "U01" / "report.html").exists()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("mode", ["header_only", "absent"])
def test_a_service_log_without_standards_is_an_error(tmp_path: Path, mode: str) -> None:
    ws = _workspace(tmp_path)
    _leave(ws, "service_standards", mode)
    result = pmqa(["--language", "en", "validate", ws])
    assert result.exit_code == 2
    assert "service_log.csv" in result.stdout and "service_standards" in result.stdout


def test_report_with_every_optional_file_empty_says_no_data(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    for name in OPTIONAL_TEMPLATES:
        _leave(ws, name, "header_only" if name in ("complaints", "activities") else "absent")
    run = tmp_path / "run"
    with isolated_cache(tmp_path):
        result = pmqa(["report", ws, "--out", run, "--units", "U01", "--workers", "1",
                       "--formats", "html,xlsx", "--quiet"])  # fmt: skip
    assert result.exit_code == 0, result.stderr[-2000:]
    text = _text(run / "units" / "U01" / "report.html")
    # the CS3-CS5 section (complaints, service standards, activities) says there are no data
    assert re.search(r"\(CS3-CS5\) ไม่มีข้อมูล", text), text[:3000]
