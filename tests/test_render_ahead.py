"""Sections rendered ahead by the batch worker give exactly what the kernel would draw."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import matplotlib
import nbformat
import pyarrow.parquet as pq
import pytest

from pmqa_analysis.report.export import staging_dir
from pmqa_analysis.report.unit import SECTIONS, UnitReport, render_sections, rendered_dir
from pmqa_analysis.run import runner, unit_job
from pmqa_analysis.run.batch import run_report

UNIT = "U01"


@pytest.fixture(scope="module")
def run(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pmqa_analysis.run.prepare import prepare

    folder = tmp_path_factory.mktemp("prepared") / "run"
    prepare(workspace, folder)
    return folder


@pytest.fixture
def as_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process plays the kernel of the worker that rendered (the worker is itself)."""
    monkeypatch.setattr(os, "getppid", os.getpid)


def _tables(run: Path) -> dict[str, Any]:
    """The unit's staged tables (file name -> rows), then an empty staging folder."""
    folder = staging_dir(run, UNIT)
    found = {p.name: pq.read_table(p).to_pylist() for p in sorted(folder.glob("*.parquet"))}
    shutil.rmtree(folder, ignore_errors=True)
    return found


def _drawn_here(run: Path, names: list[str]) -> tuple[list[str], dict[str, Any]]:
    shutil.rmtree(staging_dir(run, UNIT), ignore_errors=True)
    report = UnitReport(run, UNIT, "th", rendered=False)
    return [report.section(n).data for n in names], _tables(run)


def test_rendered_sections_are_what_the_kernel_draws(run: Path, as_kernel: None) -> None:
    names = list(SECTIONS)
    expected_html, expected_tables = _drawn_here(run, names)
    render_sections(run, UNIT, "th")
    report = UnitReport(run, UNIT, "th")
    assert report._ahead is not None and [s["name"] for s in report._ahead] == names
    html = [report.section(n).data for n in names]
    assert html == expected_html
    assert _tables(run) == expected_tables
    assert len(expected_tables) >= 6 and report._charts >= 6
    assert list((rendered_dir(run, UNIT, os.getpid()) / "tables").iterdir()) == []  # all moved


def test_a_section_out_of_order_is_drawn_here_and_so_is_every_later_one(
    run: Path, as_kernel: None
) -> None:
    names = ["cover", "scorecard", "satisfaction", "respondents", "methods"]
    expected_html, expected_tables = _drawn_here(run, names)
    render_sections(run, UNIT, "th")
    report = UnitReport(run, UNIT, "th")
    html = [report.section(n).data for n in names[:2]]
    assert report._ahead is not None and report._charts == 1  # the rendered copy's
    html += [report.section(n).data for n in names[2:]]  # charts numbered on from there
    assert report._ahead is None
    assert html == expected_html
    assert _tables(run) == expected_tables  # no table of a skipped section slipped in


def test_rendered_sections_serve_only_their_kernel_unit_and_language(run: Path) -> None:
    render_sections(run, UNIT, "th")
    assert UnitReport(run, UNIT, "th")._ahead is None  # this process did not start a kernel
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "getppid", os.getpid)
        assert UnitReport(run, UNIT, "en")._ahead is None
        assert UnitReport(run, UNIT, "th", rendered=False)._ahead is None
        assert UnitReport(run, UNIT, "th")._ahead is not None


def test_warnings_of_the_drawing_reach_the_kernel(
    run: Path, as_kernel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = UnitReport._methods

    def warning_methods(self: UnitReport) -> str:
        warnings.warn("a warning from drawing", FutureWarning, stacklevel=1)
        return original(self)

    monkeypatch.setattr(UnitReport, "_methods", warning_methods)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # recorded while rendering, never raised there
        render_sections(run, UNIT, "th")
    report = UnitReport(run, UNIT, "th")
    for name in list(SECTIONS)[:-1]:
        report.section(name)
    with pytest.warns(FutureWarning, match="a warning from drawing"):
        report.section("methods")


def test_a_section_that_fails_while_rendering_fails_in_the_kernel(
    run: Path, as_kernel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: UnitReport) -> str:
        raise KeyError("complaint_counts_category")

    monkeypatch.setattr(UnitReport, "_complaints", broken)
    render_sections(run, UNIT, "th")
    report = UnitReport(run, UNIT, "th")
    assert report._ahead is not None
    assert [s["name"] for s in report._ahead] == ["cover", "scorecard", "respondents",
                                                  "satisfaction"]  # fmt: skip
    for name in ["cover", "scorecard", "respondents", "satisfaction"]:
        report.section(name)
    with pytest.raises(KeyError, match="complaint_counts_category"):
        report.section("complaints")
    assert report._ahead is None


def test_rendering_that_cannot_start_leaves_nothing(run: Path) -> None:
    with pytest.raises(ValueError, match="not in this run"):
        render_sections(run, "NOPE", "th")
    assert not rendered_dir(run, "NOPE", os.getpid()).exists()


def test_rendering_ignores_and_keeps_the_callers_matplotlib_settings(
    run: Path, as_kernel: None
) -> None:
    render_sections(run, UNIT, "th")
    plain = [s["html"] for s in UnitReport(run, UNIT, "th")._ahead or []]
    with matplotlib.rc_context({"axes.grid": True, "font.size": 23.0, "lines.linewidth": 9.0}):
        render_sections(run, UNIT, "th")
        assert matplotlib.rcParams["font.size"] == 23.0 and matplotlib.rcParams["axes.grid"]
    assert [s["html"] for s in UnitReport(run, UNIT, "th")._ahead or []] == plain


def test_clean_stale_removes_a_dead_workers_rendered_sections(tmp_path: Path) -> None:
    (tmp_path / ".U01.sections-999999999").mkdir()
    (tmp_path / f".U02.sections-{os.getpid()}").mkdir()
    assert unit_job.clean_stale(tmp_path) == [".U01.sections-999999999"]


def _outputs(path: Path) -> list[tuple[object, list[dict]]]:
    nb = nbformat.read(path, as_version=4)
    return [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]


def test_batch_with_sections_rendered_ahead_equals_the_kernel_drawing_them(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = run_report(workspace, tmp_path / "ahead", workers=1, quiet=True)
    monkeypatch.setattr(unit_job, "_render_ahead", lambda job: None)
    here = run_report(workspace, tmp_path / "here", workers=1, quiet=True)
    assert ahead.exit_code == here.exit_code == 0
    assert len(ahead.units) == 3
    for code in ahead.units["unit_code"]:
        a, h = tmp_path / "ahead" / "units" / code, tmp_path / "here" / "units" / code
        outputs = _outputs(a / "report.ipynb")
        assert outputs == _outputs(h / "report.ipynb"), code
        assert not any(o.get("name") == "stderr" for _, outs in outputs for o in outs)
        for name in ("report.html", "report.xlsx"):
            assert (a / name).read_bytes() == (h / name).read_bytes(), (code, name)
    assert [p.name for p in (tmp_path / "ahead" / "units").glob(".*")] == []


@pytest.mark.parametrize(
    ("notebook", "options", "expected"),
    [
        (None, {}, True),
        (None, {"pool": "thread"}, False),
        (None, {"scheduler": "tcp://127.0.0.1:1"}, False),
        (Path(__file__).parent / "notebooks" / "unit_light.ipynb", {}, False),
    ],
    ids=["default-notebook", "threads", "dask", "own-notebook"],
)
def test_only_the_default_notebook_on_worker_processes_is_rendered_ahead(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    notebook: Path | None, options: dict[str, Any], expected: bool,
) -> None:  # fmt: skip
    from pmqa_analysis.run.batch import execute_units, plan_run, prepare

    plan = prepare(plan_run(workspace, tmp_path / "run", notebook=notebook))
    seen: list[unit_job.UnitJob] = []

    class Stop(Exception):
        pass

    def capture(jobs: list[unit_job.UnitJob], **kwargs: Any) -> list[dict[str, Any]]:
        seen.extend(jobs)
        raise Stop

    monkeypatch.setattr(runner, "execute_jobs", capture)
    with pytest.raises(Stop):
        execute_units(plan, quiet=True, **options)
    assert seen and {job.render_ahead for job in seen} == {expected}


def test_a_units_tables_are_the_filtered_reads_and_follow_a_replaced_file(
    run: Path, tmp_path: Path
) -> None:
    import pandas as pd

    report = UnitReport(run, UNIT, "th", rendered=False)
    names = sorted(p.stem for p in (run / "results").glob("*.parquet"))
    assert len(names) > 10
    for name in names:
        path = run / "results" / f"{name}.parquet"
        for code in (UNIT, "U02", "no-such-unit"):
            direct = pd.read_parquet(path, filters=[("unit_code", "==", code)])
            pd.testing.assert_frame_equal(report.table(name, code), direct)
    mine = report.table("adequacy")
    mine.loc[:, "unit_code"] = "changed"  # a caller's change stays in its copy
    assert report.table("adequacy")["unit_code"].tolist() == [UNIT]
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    again = UnitReport(copy, UNIT, "th", rendered=False)
    before = again.table("adequacy")
    path = copy / "results" / "adequacy.parquet"
    whole = pd.read_parquet(path)
    whole.loc[whole["unit_code"] == UNIT, "n"] = 999
    fresh = path.with_suffix(".new")
    whole.to_parquet(fresh)
    os.replace(fresh, path)  # as the prepare step replaces its files
    assert again.table("adequacy")["n"].tolist() == [999] != before["n"].tolist()
