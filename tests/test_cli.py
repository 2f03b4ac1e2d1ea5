"""The ``pmqa`` command: exit codes, messages without tracebacks, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_workspace import edit, write_ws

from pmqa_analysis.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmqa_analysis.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_validate_valid_workspace_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write_ws(tmp_path / "ws")
    assert main(["--language", "en", "validate", str(ws)]) == 0
    assert "0 error(s)" in capsys.readouterr().out


def test_validate_broken_workspace_exits_2_and_lists_problems(tmp_path: Path) -> None:
    change = edit("units.csv", ",100\n", ",abc\n") | edit("checklist.csv", ",not_done,", ",ok,")
    ws = write_ws(tmp_path / "ws", change)
    before = sorted(p.name for p in ws.iterdir())
    res = run("--language", "en", "validate", str(ws))
    assert res.returncode == 2
    assert "Traceback" not in res.stdout + res.stderr
    assert "units.csv" in res.stdout and "row 2" in res.stdout
    assert "checklist.csv" in res.stdout and "column status" in res.stdout
    assert sorted(p.name for p in ws.iterdir()) == before  # nothing written


def test_init_broken_then_validate_lists_every_seeded_problem(tmp_path: Path) -> None:
    ws = tmp_path / "broken"
    made = run("init", str(ws), "--broken")
    assert made.returncode == 0, made.stderr
    seeded = [ln.strip() for ln in made.stdout.splitlines() if ln.startswith("  ")]
    assert len(seeded) == 16
    out = tmp_path / "problems.csv"
    res = run("--language", "en", "validate", str(ws), "--problems-csv", str(out))
    assert res.returncode == 2
    assert "Traceback" not in res.stdout + res.stderr
    found = pd.read_csv(out, encoding="utf-8-sig", dtype={"row": "Int64"})
    errors = found[found["severity"] == "error"]
    for line in seeded:  # "file row N, column C: kind ('value')"
        where, what = line.split(": ", 1)
        file, _, rest = where.partition(" ")
        file = file.rstrip(",")
        kind = what.split(" ")[0]
        column = rest.split("column ", 1)[1]
        hit = errors[(errors["file"] == file) & (errors["column"] == column)]
        assert kind in set(hit["kind"]), f"{line} not reported:\n{errors.to_string()}"
        if "row " in rest:
            assert int(rest.split("row ")[1].split(",")[0]) in set(hit["row"].dropna()), line
    assert len(errors) == len(seeded)  # nothing else


def test_validate_writes_problems_csv_on_request(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws", edit("units.csv", ",100\n", ",abc\n"))
    out = tmp_path / "problems.csv"
    assert main(["validate", str(ws), "--problems-csv", str(out)]) == 2
    assert "service_population" in out.read_text(encoding="utf-8-sig")


def test_missing_folder_is_exit_2_without_traceback(tmp_path: Path) -> None:
    res = run("validate", str(tmp_path / "nope"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "pmqa init" in res.stderr


def test_bad_settings_file_is_reported(tmp_path: Path) -> None:
    ws = write_ws(tmp_path / "ws", {"settings.toml": '[survey]\nlanguage = "fr"\nfoo = 1\n'})
    res = run("validate", str(ws))
    assert res.returncode == 2
    assert "language" in res.stderr and "foo" in res.stderr
    assert "Traceback" not in res.stderr


def test_init_blank_then_validate_reports_empty_templates(tmp_path: Path) -> None:
    ws = tmp_path / "new"
    assert main(["init", str(ws)]) == 0
    assert (ws / "settings.toml").exists() and (ws / "responses.csv").exists()
    assert main(["init", str(ws)]) == 2  # refuses a non-empty folder


def test_init_sample_validates_clean(tmp_path: Path) -> None:
    ws = tmp_path / "sample"
    assert main(["init", str(ws), "--sample"]) == 0
    assert main(["validate", str(ws)]) == 0


def test_demo_prints_a_summary_per_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the summary only: the whole batch is exercised by tests/test_e2e_report.py
    out_dir = str(tmp_path / "demo")
    assert main(["--language", "en", "demo", "--out", out_dir, "--summary-only"]) == 0
    out = capsys.readouterr().out
    assert "summary per unit" in out
    assert out.count("\nU") >= 12 or out.count(" U") >= 12


def test_sigint_stops_report_cleanly_and_rerun_finishes(tmp_path: Path) -> None:
    """Ctrl-C in `pmqa report`: exit 130, no traceback, no half-written unit; re-run completes."""
    import os
    import signal
    import time

    from pmqa_analysis.run.manifest import read_status
    from pmqa_analysis.workspace.sample import make_sample_workspace

    ws = make_sample_workspace(tmp_path / "ws", n_units=3, reach_sample_size=False)
    notebook = Path(__file__).parent / "notebooks" / "unit_light.ipynb"
    run_dir = tmp_path / "run"
    (run_dir / "results").mkdir(parents=True)
    for code in ("U01", "U02", "U03"):  # the light notebook sleeps when asked to
        (run_dir / "results" / f"sleep_{code}.txt").write_text("1.5")
    args = [sys.executable, "-m", "pmqa_analysis.cli", "report", str(ws), "--out", str(run_dir),
            "--notebook", str(notebook), "--workers", "2", "--quiet"]  # fmt: skip
    # its own process group, as a terminal's: Ctrl-C reaches the workers and kernels too
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while not (run_dir / "units" / "U01" / "status.json").exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch never finished a unit"
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in out + err
    assert "interrupted" in err
    visible = [p for p in (run_dir / "units").iterdir() if not p.name.startswith(".")]
    for folder in visible:  # whatever looks like a unit report is a complete one
        status = read_status(folder)
        assert status is not None and status["status"] == "ok", folder.name
    assert not (run_dir / "manifest.json").exists()
    again = run("report", str(ws), "--out", str(run_dir), "--notebook", str(notebook),
                "--workers", "1", "--quiet")  # fmt: skip
    assert again.returncode == 0, again.stderr
    for code in ("U01", "U02", "U03"):
        assert (run_dir / "units" / code / "report.html").is_file()
    assert not [p for p in (run_dir / "units").iterdir() if p.name.startswith(".")]
