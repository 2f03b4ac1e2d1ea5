"""Shared set-up of the end-to-end tests: one small sample batch for the whole session.

``test_notebooks.py``, ``test_e2e_report.py`` and ``test_browser.py`` all need a small
sample workspace, and the last two the same finished batch.  Building the batch costs
about half a minute (one papermill kernel per worker), so it is built once per test
session: every module asks :func:`sample_batch` for it with the session's base temporary
folder, and the result is cached on that folder.

Nothing here writes outside pytest's temporary folder: :func:`isolated_cache` points
``$PMQA_CACHE`` (where the kit caches its bundled sample) into it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: the unit whose respondents' comments carry a script tag
EVIL_UNIT = "U01"
#: appended to that unit's comments before the run
EVIL = "<script>alert(1)</script>"
#: the comment columns that get :data:`EVIL` (comment_improve first, as the issue asks;
#: the others too, so the escaping is seen whichever column the report quotes from)
EVIL_COLUMNS = ("comment_improve", "comment_dissatisfied", "comment_praise")
#: units in the small sample (enough for two workers, a failure in the middle, a ranking)
N_UNITS = 4
#: flags for headless Chromium as root in a container, offline
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_browser() -> str | None:
    """The Chromium to test with: ``$PMQA_CHROMIUM``, Debian's ``/usr/bin/chromium``, or PATH."""
    from pmqa_analysis.report.export import find_chromium

    env = os.environ.get("PMQA_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return find_chromium()


def cache_root(basetemp: Path) -> Path:
    """The ``$PMQA_CACHE`` of the test session (inside pytest's temporary folder)."""
    return basetemp / "pmqa-cache"


@contextlib.contextmanager
def isolated_cache(basetemp: Path) -> Iterator[Path]:
    """Point ``$PMQA_CACHE`` into the session's temporary folder while the block runs."""
    import pytest

    path = cache_root(basetemp)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PMQA_CACHE", str(path))
        yield path


def add_script_comment(
    workspace: Path,
    unit: str = EVIL_UNIT,
    text: str = EVIL,
    columns: Sequence[str] = EVIL_COLUMNS,
) -> int:
    """Append ``text`` to every non-empty comment of ``unit`` in ``columns``.

    The theme words stay in the comment, so the comment is still tagged with a theme and
    quoted among the unit's examples.  Returns the number of ``comment_improve`` answers
    changed.
    """
    path = workspace / "responses.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    changed = {}
    for column in columns:
        rows = (frame["unit_code"] == unit) & (frame[column].str.strip() != "")
        frame.loc[rows, column] = frame.loc[rows, column] + " " + text
        changed[column] = int(rows.sum())
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return changed.get("comment_improve", 0)


@functools.cache
def sample_workspace(basetemp: Path) -> Path:
    """A small sample workspace (:data:`N_UNITS` units) with a hostile comment in U01."""
    from pmqa_analysis.workspace.sample import make_sample_workspace

    root = basetemp / "pmqa-e2e"
    shutil.rmtree(root / "workspace", ignore_errors=True)
    ws = make_sample_workspace(root / "workspace", n_units=N_UNITS, reach_sample_size=False)
    if add_script_comment(ws) == 0:  # pragma: no cover - the sample always has comments
        raise AssertionError(f"the sample has no comment_improve answers for {EVIL_UNIT}")
    return ws


@functools.cache
def prepared_run(basetemp: Path) -> Path:
    """A run folder prepared (``run.prepare.prepare``) from :func:`sample_workspace`."""
    from pmqa_analysis.run.prepare import prepare

    run = basetemp / "pmqa-e2e" / "prepared"
    shutil.rmtree(run, ignore_errors=True)
    prepare(sample_workspace(basetemp), run)
    return run


@dataclass(frozen=True)
class CliRun:
    """One ``pmqa`` command: its exit code and what it printed."""

    exit_code: int
    stdout: str
    stderr: str


def pmqa(args: Sequence[str | Path]) -> CliRun:
    """Run ``pmqa ARGS`` in this process (``cli.main``), capturing what it prints."""
    from pmqa_analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliRun(code, out.getvalue(), err.getvalue())


@dataclass(frozen=True)
class Batch:
    """The session's finished sample batch."""

    workspace: Path
    run_dir: Path
    cli: CliRun

    @property
    def units(self) -> list[str]:
        """The sample's unit codes."""
        return [f"U{i:02d}" for i in range(1, N_UNITS + 1)]


@functools.cache
def sample_batch(basetemp: Path) -> Batch:
    """``pmqa report WORKSPACE --out RUN --workers 2`` on :func:`sample_workspace`, once."""
    ws = sample_workspace(basetemp)
    run = basetemp / "pmqa-e2e" / "run"
    shutil.rmtree(run, ignore_errors=True)
    with isolated_cache(basetemp):
        cli = pmqa(["report", ws, "--out", run, "--workers", "2", "--quiet"])
    return Batch(ws, run, cli)


def sample_batch_ok(basetemp: Path) -> Batch:
    """:func:`sample_batch`, failing the test (with the CLI's stderr) when it did not exit 0."""
    built = sample_batch(basetemp)
    assert built.cli.exit_code == 0, built.cli.stderr
    return built
