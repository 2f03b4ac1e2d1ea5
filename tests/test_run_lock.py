"""The run-folder lock: a second run exits at once naming the holder; a killed holder's
lock is taken over (issue 20)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pmqa_analysis.run.lock import RunLock, RunLocked

HOLD = textwrap.dedent(
    """
    import sys, time
    from pmqa_analysis.run.lock import RunLock
    with RunLock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(60)
    """
)


def _holder(run: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(run)], stdout=subprocess.PIPE,
                            text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_run_is_refused_at_once_and_names_the_holder(tmp_path: Path) -> None:
    proc = _holder(tmp_path)
    try:
        start = time.monotonic()
        with pytest.raises(RunLocked, match=rf"pid {proc.pid} on .*started"):
            with RunLock(tmp_path):
                pass
        assert time.monotonic() - start < 2
    finally:
        proc.kill()
        proc.wait()


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    proc = _holder(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with RunLock(tmp_path) as lock:  # the kernel released the dead holder's lock
        holder = lock.holder()
        assert holder is not None and holder["pid"] == os.getpid()
    assert RunLock(tmp_path).holder() is None


def test_the_lock_is_released_when_the_block_fails(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        with RunLock(tmp_path):
            raise ValueError("boom")
    with RunLock(tmp_path):
        pass
