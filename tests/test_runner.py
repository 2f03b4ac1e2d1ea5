"""The papermill batch end to end on tiny notebooks: failures, resume, kills, warm kernels."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from pmqa_analysis.run.batch import RunResult, default_prepare, run_report
from pmqa_analysis.run.manifest import read_status, sha256_file

NOTEBOOK = Path(__file__).parent / "notebooks" / "unit_light.ipynb"
EVIL = '<script>alert("x")</script>'


def _prepare_with_evil_comment(ws: Path, run: Path) -> list[str]:
    """The default prepare, then a hostile comment for every U01 respondent."""
    codes = default_prepare(ws, run)
    path = run / "data" / "responses.parquet"
    frame = pd.read_parquet(path)
    frame.loc[frame["unit_code"] == "U01", "comment_improve"] = EVIL
    frame.to_parquet(path, index=False)
    return codes


@pytest.fixture(scope="module")
def batch(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """One batch, 2 workers, U02 broken on purpose."""
    run = tmp_path_factory.mktemp("batch") / "run"
    (run / "results").mkdir(parents=True)
    (run / "results" / "fail_U02").write_text("")
    return run_report(
        workspace, run, workers=2, notebook=NOTEBOOK, quiet=True,
        prepare_fn=_prepare_with_evil_comment,
    )  # fmt: skip


def _outputs(path: Path) -> list[tuple[object, list[dict]]]:
    nb = nbformat.read(path, as_version=4)
    return [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if tag == "a" and k == "href" and v]


def test_one_failing_unit_does_not_stop_the_others(batch: RunResult) -> None:
    assert batch.exit_code == 1
    assert list(batch.units["status"]) == ["ok", "failed", "ok"]
    assert batch.failed == ["U02"]
    units = batch.run_dir / "units"
    for code in ("U01", "U03"):
        names = {p.name for p in (units / code).iterdir()}
        assert {"report.html", "report.xlsx", "report.ipynb", "status.json"} <= names
    failed = units / "U02"
    assert sorted(p.name for p in failed.iterdir()) == ["report.failed.ipynb", "status.json"]
    nb = nbformat.read(failed / "report.failed.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]  # fmt: skip
    assert errors and errors[0].evalue == "deliberate failure for U02"
    assert not [p for p in units.iterdir() if p.name.startswith(".")]


def test_manifest_records_inputs_versions_and_units(batch: RunResult, workspace: Path) -> None:
    manifest = json.loads(batch.manifest_path.read_text(encoding="utf-8"))
    assert manifest["run_id"] == batch.run_id and manifest["exit_code"] == 1
    assert manifest["summary"] == {"failed": 1, "ok": 2, "skipped": 0}
    inputs = {i["file"]: i["sha256"] for i in manifest["inputs"]}
    assert inputs["responses.csv"] == sha256_file(workspace / "responses.csv")
    assert {"python", "papermill", "nbconvert", "pmqa_analysis"} <= set(manifest["versions"])
    u02 = manifest["units"][1]
    assert u02["unit_code"] == "U02" and u02["status"] == "failed"
    assert "RuntimeError: deliberate failure for U02" in u02["error"]
    assert "deliberate failure" in u02["traceback"]
    u01 = manifest["units"][0]
    assert u01["outputs"] == [
        "improvement_plan.csv", "improvement_plan.xlsx", "report.html", "report.ipynb",
        "report.xlsx", "scorecard.json", "self_assessment.html", "tables/01_groups.parquet",
    ]  # fmt: skip
    assert len(u01["fingerprint"]) == 64 and u01["duration_s"] > 0


def test_index_links_resolve_and_text_is_escaped(batch: RunResult) -> None:
    page = batch.index_path.read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    assert (
        "units/U01/report.html" in parser.hrefs and "units/U02/report.failed.ipynb" in parser.hrefs
    )
    for href in parser.hrefs:
        assert (batch.run_dir / href).is_file(), href
    assert "ล้มเหลว" in page and "deliberate failure for U02" in page
    assert "@font-face" in page


def test_unit_html_escapes_comments_and_hides_code(batch: RunResult) -> None:
    page = (batch.run_dir / "units" / "U01" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "read_parquet" not in page  # no code cells
    assert "font-family: Sarabun" in page and "base64," in page


def test_xlsx_holds_the_registered_table(batch: RunResult) -> None:
    run = batch.run_dir
    sheets = pd.read_excel(run / "units/U03/report.xlsx", sheet_name=None, engine="calamine")
    assert len(sheets) == 1  # the one registered table (its sheet named in the report language)
    sheets = {"groups": next(iter(sheets.values()))}
    data = pd.read_parquet(run / "data/responses.parquet", filters=[("unit_code", "==", "U03")])
    expected = data.groupby("group_code").size()
    got = sheets["groups"].set_index("group_code")["n"]
    assert got.to_dict() == expected.to_dict()


def test_rerun_skips_done_units_and_force_redoes_them(batch: RunResult, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(batch.run_dir, run)
    (run / "results" / "fail_U02").unlink()
    html = run / "units" / "U01" / "report.html"
    before = html.stat().st_mtime_ns
    manifest = json.loads(batch.manifest_path.read_text(encoding="utf-8"))
    again = run_report(
        manifest["workspace"], run, workers=1, notebook=NOTEBOOK, quiet=True,
        prepare_fn=_prepare_with_evil_comment,
    )  # fmt: skip
    # removing fail_U02 changed every unit's prepared results, so all re-run
    assert list(again.units["status"]) == ["ok", "ok", "ok"] and again.exit_code == 0
    third = run_report(
        manifest["workspace"], run, workers=1, notebook=NOTEBOOK, quiet=True,
        prepare_fn=_prepare_with_evil_comment,
    )  # fmt: skip
    assert list(third.units["status"]) == ["skipped"] * 3
    mtime = html.stat().st_mtime_ns
    assert mtime != before
    forced = run_report(
        manifest["workspace"], run, units=["U03"], workers=1, notebook=NOTEBOOK, quiet=True,
        force=True, prepare_fn=_prepare_with_evil_comment,
    )  # fmt: skip
    assert list(forced.units["status"]) == ["ok"] and html.stat().st_mtime_ns == mtime


def test_warm_kernel_gives_the_same_outputs_as_fresh_kernels(workspace: Path, tmp_path: Path):
    warm = run_report(workspace, tmp_path / "run", workers=1, notebook=NOTEBOOK, quiet=True,
                      kernel_reuse=20)  # fmt: skip
    units = tmp_path / "run" / "units"
    saved = {
        c: (_outputs(units / c / "report.ipynb"), (units / c / "report.html").read_bytes(),
            (units / c / "report.xlsx").read_bytes())
        for c in ("U01", "U02", "U03")
    }  # fmt: skip
    cold = run_report(workspace, tmp_path / "run", workers=1, notebook=NOTEBOOK, quiet=True,
                      kernel_reuse=1, force=True)  # fmt: skip
    assert warm.exit_code == cold.exit_code == 0
    for code, (outputs, html, xlsx) in saved.items():
        assert _outputs(units / code / "report.ipynb") == outputs, code
        assert (units / code / "report.html").read_bytes() == html, code
        assert (units / code / "report.xlsx").read_bytes() == xlsx, code
        assert outputs[2][1][0]["text"] == "clean\n"  # nothing leaked from the previous unit
        assert [n for n, _ in outputs] == [1, 2, 3, 4, 5, 6]
        assert outputs[5][1][0]["text"] == "font.size 10.0\n"  # rcParams restored too


def test_timeout_fails_the_unit_and_pdf_without_browser_is_a_note(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    (run / "results").mkdir(parents=True)
    (run / "results" / "sleep_U02.txt").write_text("30")
    result = run_report(workspace, run, units=["U02", "U03"], workers=1, notebook=NOTEBOOK,
                        formats=("html", "pdf"), timeout_per_cell=2)  # fmt: skip
    assert list(result.units["status"]) == ["failed", "ok"]
    assert "Timeout" in result.units.loc[0, "error"] or "timed out" in result.units.loc[0, "error"]
    status = read_status(run / "units" / "U03")
    assert status is not None
    from pmqa_analysis.report.export import find_chromium

    if find_chromium() is None:
        assert status["notes"] == ["pdf not written: no Chromium found (install chromium for PDF)"]
        assert "report.pdf" not in status["outputs"] and "report.html" in status["outputs"]
        assert "no Chromium found" in capsys.readouterr().err
        manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
        assert manifest["notes"] == ["pdf not written: no Chromium"]
    else:  # pragma: no cover - with a browser
        assert "report.pdf" in status["outputs"]


_CHILD = """
import sys
from pmqa_analysis.run.batch import run_report
run_report(sys.argv[1], sys.argv[2], notebook=sys.argv[3], workers=1, quiet=True)
"""


def test_sigkill_leaves_nothing_complete_looking_and_rerun_finishes(
    workspace: Path, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    (run / "results").mkdir(parents=True)
    for code in ("U01", "U02", "U03"):
        (run / "results" / f"sleep_{code}.txt").write_text("1.5")
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(workspace), str(run), str(NOTEBOOK)],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    try:
        while not (run / "units" / "U01" / "status.json").exists():
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "the batch never finished a unit"
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    units = run / "units"
    visible = [p for p in units.iterdir() if not p.name.startswith(".")]
    assert visible, "U01 was complete before the kill"
    for folder in visible:  # anything that looks like a unit is complete
        status = read_status(folder)
        assert status is not None and status["status"] == "ok", folder.name
    assert not (run / "manifest.json").exists()
    done_before = {p.name for p in visible}
    result = run_report(workspace, run, notebook=NOTEBOOK, workers=1, quiet=True)
    assert result.exit_code == 0
    statuses = dict(zip(result.units["unit_code"], result.units["status"], strict=True))
    assert {c for c, s in statuses.items() if s == "skipped"} == done_before
    assert all(s in ("ok", "skipped") for s in statuses.values())
    assert not [p for p in units.iterdir() if p.name.startswith(".")]


def test_dask_local_cluster_runs_the_same_jobs(workspace: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    ) as cluster:  # fmt: skip
        result = run_report(
            workspace, tmp_path / "run", units=["U01", "U03"], scheduler=cluster.scheduler_address,
            notebook=NOTEBOOK, quiet=True,
        )  # fmt: skip
    assert result.exit_code == 0 and list(result.units["status"]) == ["ok", "ok"]
    assert (tmp_path / "run" / "units" / "U03" / "report.html").is_file()


def _kernel_pids(run: Path) -> set[int]:
    """The worker processes that ran units (each names its kernel's log after itself)."""
    return {int(p.name.split("-")[1]) for p in (run / "logs").glob("kernel-*.log")}


@pytest.mark.parametrize("started", [2, 3], ids=["as-many", "too-many"])
def test_workers_started_ahead_run_the_batch_they_match(
    workspace: Path, tmp_path: Path, started: int
) -> None:
    from pmqa_analysis.run.batch import execute_units, plan_run, prepare
    from pmqa_analysis.run.workers import Workers

    run = tmp_path / "run"
    plan = plan_run(workspace, run, notebook=NOTEBOOK)
    with Workers(started) as workers:
        plan = prepare(plan)  # what run_report does while they warm up
        warm = {f.result(timeout=120) for f in workers.warming}
        records = execute_units(plan, workers=2, quiet=True, started=workers)
        assert workers.executor is None  # taken (and stopped) by the batch, or stopped
    assert [r["status"] for r in records] == ["ok", "ok", "ok"]
    ran = _kernel_pids(run)
    assert len(ran) == 2
    if started == 2:
        assert ran == warm  # the warmed processes ran the units
    else:
        assert not ran & warm  # a pool of another size is not used: the batch starts its own


def _kernel_children(parents: set[int]) -> set[int]:
    """The ipykernel processes whose parent is one of ``parents`` (Linux /proc)."""
    found: set[int] = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) in parents and b"ipykernel" in cmdline:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_workers_given_the_run_folder_boot_their_kernels_during_the_prepare_step(
    workspace: Path, tmp_path: Path
) -> None:
    from pmqa_analysis.run.batch import execute_units, plan_run, prepare
    from pmqa_analysis.run.workers import Workers

    run = tmp_path / "run"
    plan = plan_run(workspace, run, notebook=NOTEBOOK)
    with Workers(2, run_dir=run) as workers:
        warm = {f.result(timeout=120) for f in workers.warming}
        booted = _kernel_children(warm)  # started (and primed) before any unit
        assert len(booted) == len(warm) and _kernel_pids(run) == warm
        plan = prepare(plan)
        records = execute_units(plan, workers=2, quiet=True, started=workers)
    assert [r["status"] for r in records] == ["ok", "ok", "ok"]
    firsts = [r for r in records if r["kernel"]["unit"] == 1]
    assert firsts and {r["kernel"]["pid"] for r in firsts} <= booted  # the booted kernels ran
    for r in records:  # each unit says where its time went
        assert set(r["phases_s"]) == {"draw", "kernel", "execute", "export"}
        assert sum(r["phases_s"].values()) <= r["duration_s"] + 0.01


def test_workers_started_ahead_are_stopped_when_the_batch_runs_in_process(
    workspace: Path, tmp_path: Path
) -> None:
    from pmqa_analysis.run.batch import execute_units, plan_run, prepare
    from pmqa_analysis.run.workers import Workers

    plan = prepare(plan_run(workspace, tmp_path / "run", units=["U01"], notebook=NOTEBOOK))
    with Workers(2) as workers:
        records = execute_units(plan, workers=2, quiet=True, started=workers)
        assert workers.executor is None
    assert _kernel_pids(tmp_path / "run") == {os.getpid()}  # one unit: run in this process
    assert records[0]["status"] == "ok"


@pytest.mark.skipif(os.name != "posix", reason="unix sockets: POSIX only (TCP elsewhere)")
def test_kernels_listen_on_sockets_only_this_user_can_open(tmp_path: Path) -> None:
    import stat

    from pmqa_analysis.run.kernels import _Kernel

    kernel = _Kernel(tmp_path / "logs" / "kernel.log")
    try:
        assert kernel.km.transport == "ipc"  # not TCP on loopback, which any local user reaches
        folder = Path(kernel.sockets)
        assert Path(kernel.km.ip).parent == folder
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert kernel.prime() and kernel.reset()  # the kernel answers over those sockets
        assert any(p.is_socket() for p in folder.iterdir())
    finally:
        kernel.shutdown()
    assert not folder.exists()
    assert "without encryption" not in (tmp_path / "logs" / "kernel.log").read_text()


def test_workers_whose_warm_up_failed_are_not_used() -> None:
    from concurrent.futures import Future

    from pmqa_analysis.run.workers import Workers

    workers = Workers(2)
    for future in workers.warming:
        future.result(timeout=120)
    assert workers.take(3) is None  # another size: stopped, not used
    workers = Workers(2)
    failed: Future[int] = Future()
    failed.set_exception(ImportError("a worker could not import nbconvert"))
    workers.warming.append(failed)
    assert workers.take(2) is None and workers.executor is None  # the batch starts its own
    workers.close()  # nothing left to stop


def test_a_batch_ending_leaves_a_one_off_kernel_running(tmp_path: Path) -> None:
    """The province overview runs on a one-off kernel beside an in-process batch: the
    batch's end stops its own warm kernels, not that one (it died mid-notebook before)."""
    from pmqa_analysis.run.kernels import _Kernel, shutdown_kernels

    one_off = _Kernel(tmp_path / "logs" / "one-off.log", one_off=True)
    warm = _Kernel(tmp_path / "logs" / "warm.log")
    try:
        shutdown_kernels(one_off=False)
        assert one_off.km.is_alive()
        assert not warm.km.is_alive()
    finally:
        one_off.shutdown()
        warm.shutdown()
    assert not one_off.km.is_alive()
