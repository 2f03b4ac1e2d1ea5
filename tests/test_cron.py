"""A scheduled ``pmqa report`` (issue 20): nothing left behind when killed, one run per folder,
output-path mistakes, an instant no-op re-run, pooled kernels that leak nothing."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import nbformat.v4 as v4
import pytest

from pmqa_analysis.run.batch import run_report

NOTEBOOK = Path(__file__).parent / "notebooks" / "unit_light.ipynb"
PMQA = [sys.executable, "-m", "pmqa_analysis.cli"]
HEAVY = ("scipy", "pythainlp", "matplotlib", "nbformat", "papermill", "nbconvert")


def _pmqa(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PMQA, *args], capture_output=True, text=True, timeout=600,
                          **kwargs)  # type: ignore[call-overload]  # fmt: skip


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc: no psutil needed)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has exited; only its parent's wait is missing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait_for(condition: object, seconds: float, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert proc.poll() is None, f"the run ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture()
def slow_run(workspace: Path, tmp_path: Path) -> Path:
    """A run folder whose units each sleep 2 s (the light notebook reads sleep_<unit>.txt)."""
    run = tmp_path / "run"
    (run / "results").mkdir(parents=True)
    for code in ("U01", "U02", "U03"):
        (run / "results" / f"sleep_{code}.txt").write_text("2")
    return run


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_an_overlapping_run_is_refused_and_a_killed_run_leaves_no_process(
    workspace: Path, slow_run: Path
) -> None:
    run = slow_run
    proc = subprocess.Popen(
        [*PMQA, "report", str(workspace), "--out", str(run), "--workers", "2", "--quiet",
         "--notebook", str(NOTEBOOK)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(lambda: (run / ".pmqa.lock.json").exists(), 120, "the lock", proc)
        # a second run on the same folder: refused at once, naming the holder
        start = time.monotonic()
        second = _pmqa("report", str(workspace), "--out", str(run), "--json")
        assert second.returncode == 2, second.stderr
        assert time.monotonic() - start < 30  # no validation, no prepare: the lock comes first
        assert f"pid {proc.pid} on" in second.stderr and "started 20" in second.stderr
        assert "Traceback" not in second.stderr
        doc = json.loads(second.stdout)
        assert doc["exit_code"] == 2 and doc["kind"] == "RunLocked"
        # mid-batch: both workers are running units (their kernels have logs)
        _wait_for(lambda: len(list((run / "logs").glob("kernel-*-*.log"))) >= 2, 180,
                  "two workers running units", proc)  # fmt: skip
        time.sleep(0.5)
        family = _descendants(proc.pid)
        assert len(family) >= 5, family  # forkserver, 2 workers, their 2 kernels (+ overview)
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, as the OOM killer would
        proc.wait()
        deadline = time.monotonic() + 10
        while [p for p in family if _running(p)] and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [p for p in family if _running(p)]
        assert not left, f"still running 10 s after the kill: {left}"
    finally:
        if proc.poll() is None:  # pragma: no cover - only when an assertion failed early
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # the killed run's lock is taken over; its kernels' socket folders go at this start
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    stale = [p for p in tmp.glob("pmqa-kernel-*-*")
             if p.name.split("-")[2].isdigit() and int(p.name.split("-")[2]) in family]  # fmt: skip
    for path in run.glob("results/sleep_*.txt"):
        path.unlink()
    again = _pmqa("report", str(workspace), "--out", str(run), "--workers", "2", "--quiet",
                  "--notebook", str(NOTEBOOK), "--json")  # fmt: skip
    assert again.returncode == 0, again.stderr
    doc = json.loads(again.stdout)
    statuses = [u["status"] for u in doc["units"]]
    assert set(statuses) <= {"ok", "skipped"} and "ok" in statuses, statuses  # killed ones redone
    assert not [p for p in stale if p.exists()], "stale kernel folders left"
    assert not [p for p in (run / "units").iterdir() if p.name.startswith(".")]


def test_out_naming_a_file_is_a_users_mistake_and_changes_nothing(
    workspace: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"<html>last year's report</html>")
    before = target.stat().st_mtime_ns
    for out in (target, target / "run"):
        done = _pmqa("report", str(workspace), "--out", str(out))
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and "Error:" not in done.stderr
        assert str(target) in done.stderr and "--out" in done.stderr
        assert re.search(r"[\u0e00-\u0e7f]", done.stderr)  # Thai first, English beside it
    as_json = _pmqa("report", str(workspace), "--out", str(target), "--json")
    assert as_json.returncode == 2 and json.loads(as_json.stdout)["kind"] == "InputError"
    assert target.read_bytes() == b"<html>last year's report</html>"
    assert target.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_report_help_documents_the_exit_codes() -> None:
    done = _pmqa("report", "--help")
    assert done.returncode == 0
    for code, words in (("0", "ok"), ("1", "failed"), ("2", "mistake"), ("130", "interrupted")):
        assert re.search(rf"^\s+{code}\s+.*{words}", done.stdout, re.M), (code, done.stdout)
    assert "--json" in done.stdout


@pytest.fixture(scope="module")
def complete_run(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete run (light notebook, province overview) through the command line."""
    run = tmp_path_factory.mktemp("complete") / "run"
    done = _pmqa("report", str(workspace), "--out", str(run), "--workers", "1", "--quiet",
                 "--notebook", str(NOTEBOOK))  # fmt: skip
    assert done.returncode == 0, done.stderr
    return run


#: ``pmqa`` as the console script runs it, then the modules it imported, into $PMQA_PROBE
_IMPORTS = """
import os, sys
from pmqa_analysis.cli import main
code = main(sys.argv[1:])
with open(os.environ["PMQA_PROBE"], "w") as fh:
    fh.write("\\n".join(sorted(sys.modules)))
sys.exit(code)
"""


def test_a_noop_rerun_says_what_it_skipped_without_heavy_imports(
    workspace: Path, complete_run: Path, tmp_path: Path
) -> None:
    run = complete_run
    mtimes = {p: p.stat().st_mtime_ns for p in run.rglob("*") if p.is_file()}
    probe = tmp_path / "probe"
    env = {**os.environ, "PMQA_PROBE": str(probe)}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS, "report", str(workspace), "--out", str(run),
         "--notebook", str(NOTEBOOK), "--json"],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["noop"] is True and doc["exit_code"] == 0
    assert [u["status"] for u in doc["units"]] == ["skipped"] * 3
    assert doc["province"]["status"] == "skipped"
    assert doc["units"][0]["path"] == str(run / "units" / "U01")
    assert "nothing changed" in done.stderr and "skipped 3 unit report(s)" in done.stderr
    modules = set(probe.read_text().split())
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, heavy
    # no report was written; the manifest records this run: every unit skipped
    after = {p: p.stat().st_mtime_ns for p in run.rglob("*") if p.is_file()}
    manifest = run / "manifest.json"
    assert {p: t for p, t in after.items() if p != manifest} == {
        p: t for p, t in mtimes.items() if p != manifest
    }
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    assert recorded["noop"] is True and recorded["summary"]["skipped"] == 4  # 3 + overview


def test_a_noop_needs_the_same_inputs_and_complete_outputs(
    workspace: Path, complete_run: Path, tmp_path: Path
) -> None:
    from pmqa_analysis.run.noop import check_noop, noop_key

    def key(ws: Path, **kw: object) -> str:
        options = {"units": None, "formats": ("html", "xlsx"), "notebook": NOTEBOOK, **kw}
        return noop_key(ws, **options)  # type: ignore[arg-type]

    assert check_noop(complete_run, key(workspace)) is not None
    ws = tmp_path / "ws"
    shutil.copytree(workspace, ws)
    with open(ws / "complaints.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert key(ws) != key(workspace)  # one byte of one input
    assert key(workspace, units=["U01"]) != key(workspace)
    assert key(workspace, formats=("html",)) != key(workspace)
    assert key(workspace, notebook=None) != key(workspace)
    run = tmp_path / "run"
    shutil.copytree(complete_run, run)
    assert check_noop(run, key(workspace)) is not None  # copied with its times: still current
    (run / "units" / "U02" / "status.json").unlink()  # a report gone
    assert check_noop(run, key(workspace)) is None
    shutil.copytree(complete_run, run, dirs_exist_ok=True)
    with open(run / "results" / "meta.json", "a", encoding="utf-8") as fh:
        fh.write(" ")  # the prepared data touched
    assert check_noop(run, key(workspace)) is None


# ----------------------------------------------------------------------------- pooled kernels

#: what one unit leaves behind -> whether the same kernel serves the next unit (put back)
#: or a fresh one does (the reset cannot put it back: a reason for doubt)
LEAKS = {
    "global": True, "rcParam": True, "cwd": True, "environ": True, "sys.path": True,
    "warnings": True, "pandas option": False, "sys.modules": False, "monkeypatch": False,
    "monkeypatch-new-module": False, "failure": False, "": True,
}  # fmt: skip

_CHECK = """
import os, string, sys, warnings
import matplotlib
found = []
if "LEAKED_GLOBAL" in globals():
    found.append("global")
if "pmqa_leaked_module" in sys.modules:
    found.append("sys.modules")
if getattr(string.capwords, "leaked", False):
    found.append("monkeypatch")
if getattr(sys.modules.get("fractions"), "Fraction", None).__module__ == "__main__":
    found.append("monkeypatch-new-module")
if matplotlib.rcParams["lines.linewidth"] == 7.5:
    found.append("rcParam")
if os.getcwd() != start_cwd:
    found.append("cwd")
if "PMQA_LEAKED" in os.environ:
    found.append("environ")
if "/pmqa-leaked" in sys.path:
    found.append("sys.path")
if any("pmqa-leaked" in str(f[1]) for f in warnings.filters):
    found.append("warnings")
if "pandas" in sys.modules and sys.modules["pandas"].get_option("display.max_rows") == 3:
    found.append("pandas option")
print("FOUND", ",".join(found) or "-", os.getpid())
"""

_LEAK = """
import fractions, types
if leak == "global":
    LEAKED_GLOBAL = 1
elif leak == "rcParam":
    matplotlib.rcParams["lines.linewidth"] = 7.5
elif leak == "cwd":
    os.chdir(elsewhere)
elif leak == "environ":
    os.environ["PMQA_LEAKED"] = "1"
elif leak == "sys.path":
    sys.path.insert(0, "/pmqa-leaked")
elif leak == "warnings":
    warnings.filterwarnings("error", message="pmqa-leaked")
elif leak == "pandas option":
    import pandas
    pandas.set_option("display.max_rows", 3)
elif leak == "sys.modules":
    sys.modules["pmqa_leaked_module"] = types.ModuleType("pmqa_leaked_module")
elif leak == "monkeypatch":
    def fake(*args, **kwargs):
        return ""
    fake.leaked = True
    string.capwords = fake
elif leak == "monkeypatch-new-module":
    class Fraction:
        pass
    fractions.Fraction = Fraction
elif leak == "failure":
    raise RuntimeError("deliberate")
"""


def _leaky_notebook(path: Path) -> Path:
    params = v4.new_code_cell(
        "unit_code = ''\nrun_dir = ''\nleak = ''\nstart_cwd = ''\nelsewhere = ''",
        metadata={"tags": ["parameters"]},
    )
    nb = v4.new_notebook(cells=[params, v4.new_code_cell(_CHECK), v4.new_code_cell(_LEAK)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, path)
    return path


def _found(notebook: Path) -> tuple[str, int]:
    nb = nbformat.read(notebook, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    for output in outputs:
        if output.get("name") == "stdout" and output["text"].startswith("FOUND"):
            _, found, pid = output["text"].split()
            return found, int(pid)
    raise AssertionError(f"no FOUND line in {notebook}")


def test_nothing_one_unit_sets_reaches_the_next_on_a_pooled_kernel(tmp_path: Path) -> None:
    from pmqa_analysis.run.kernels import shutdown_kernels
    from pmqa_analysis.run.unit_job import UnitJob, run_unit

    notebook = _leaky_notebook(tmp_path / "leaky.ipynb")
    run = tmp_path / "run"
    (tmp_path / "elsewhere").mkdir()
    run.mkdir()
    leaks = list(LEAKS)
    records = []
    try:
        for i, leak in enumerate(leaks):
            code = f"U{i:02d}"
            params = {
                "unit_code": code,
                "run_dir": str(run),
                "leak": leak,
                "start_cwd": os.getcwd(),
                "elsewhere": str(tmp_path / "elsewhere"),
            }
            records.append(run_unit(UnitJob(code, code, str(run), str(notebook),
                                            parameters=params, kernel_reuse=20)))  # fmt: skip
    finally:
        shutdown_kernels(one_off=False)
    assert os.getcwd() != str(tmp_path / "elsewhere")
    seen = []
    for i, leak in enumerate(leaks):
        name = "report.failed.ipynb" if leak == "failure" else "report.ipynb"
        found, pid = _found(run / "units" / f"U{i:02d}" / name)
        assert pid == records[i]["kernel"]["pid"]
        seen.append((leak, found, pid))
    for (leak, _, pid), (_, found_next, pid_next) in itertools.pairwise(seen):
        assert found_next == "-", f"{found_next!r} reached the unit after the one that set {leak}"
        same = pid_next == pid
        assert same == LEAKS[leak], f"after {leak!r}: same kernel {same}, expected {LEAKS[leak]}"
    reused = [r["kernel"]["unit"] for r in records]
    assert max(reused) >= 7  # the put-back traces: one kernel served them all in a row


def test_pooled_kernels_give_byte_identical_reports(workspace: Path, tmp_path: Path) -> None:
    """The package's own notebook: a warm kernel's report.html/report.xlsx are a fresh one's."""
    from pmqa_analysis.run.prepare_step import default_prepare

    run = tmp_path / "run"
    names = ("report.html", "report.xlsx")
    pooled = run_report(workspace, run, workers=1, quiet=True, kernel_reuse=20,
                        prepare_fn=default_prepare)  # fmt: skip
    assert pooled.exit_code == 0, pooled.records
    kernels = [r["kernel"] for r in pooled.records]
    assert len({k["pid"] for k in kernels}) == 1 and [k["unit"] for k in kernels] == [1, 2, 3]
    saved = {(c, n): (run / "units" / c / n).read_bytes() for c in ("U01", "U02", "U03")
             for n in names}  # fmt: skip
    fresh = run_report(workspace, run, workers=1, quiet=True, kernel_reuse=1, force=True,
                       prepare_fn=default_prepare)  # fmt: skip
    assert fresh.exit_code == 0
    assert len({r["kernel"]["pid"] for r in fresh.records}) == 3
    for (code, name), data in saved.items():
        assert (run / "units" / code / name).read_bytes() == data, (code, name)


def test_stale_kernel_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    from pmqa_analysis.run.kernels import remove_stale_kernel_dirs

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    gone = tmp_path / f"pmqa-kernel-{dead.stdout.strip()}-abc"
    live = tmp_path / f"pmqa-kernel-{os.getpid()}-def"
    other = tmp_path / "pmqa-kernel-notapid"
    for path in (gone, live, other):
        path.mkdir()
    (gone / "k-shell").write_text("")
    assert remove_stale_kernel_dirs(tmp_path) == [gone.name]
    assert live.exists() and other.exists() and not gone.exists()


def test_the_apps_screens_are_not_part_of_the_code_fingerprint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A change to a screen of `pmqa app` must not redo every unit; a change to a chart must."""
    from pmqa_analysis.run import manifest

    files = {"report/plots/likert.py": "a", "app/ui.py": "b"}

    def fingerprint(changed: dict[str, str]) -> str:
        monkeypatch.setattr(manifest, "hash_files", lambda _: {**files, **changed})
        manifest.code_fingerprint.cache_clear()
        return manifest.code_fingerprint()

    try:
        base = fingerprint({})
        assert fingerprint({"app/ui.py": "c"}) == base
        assert fingerprint({"report/plots/likert.py": "c"}) != base
    finally:
        manifest.code_fingerprint.cache_clear()


def test_a_report_kernel_imports_neither_the_prepare_step_nor_scipy() -> None:
    """The unit notebook's import cell, in a new interpreter as in a new kernel: the
    prepare step (SciPy, pandera, the statistics) is 2.7 s a kernel would pay for nothing."""
    nb = nbformat.read(Path(__file__).parents[1] / "pmqa_analysis" / "notebooks"
                       / "unit_assessment.ipynb", as_version=4)  # fmt: skip
    imports = "\n".join(
        line for cell in nb.cells if cell.cell_type == "code"
        for line in cell.source.splitlines() if line.startswith(("from ", "import "))
    )  # fmt: skip
    assert "resolve_run_dir" in imports and "UnitReport" in imports
    probe = imports + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    loaded = {m.split(".")[0] for m in done.stdout.split()} | set(done.stdout.split())
    for heavy in ("scipy", "pandera", "pythainlp", "matplotlib", "pandas",
                  "pmqa_analysis.run.prepare", "pmqa_analysis.stats"):  # fmt: skip
        assert heavy not in loaded, f"the report kernel's imports load {heavy}"
