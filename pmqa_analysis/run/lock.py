"""One run at a time on a run folder: a lock that names its holder and dies with it.

Two scheduled runs (cron, Airflow) that overlap on one run folder would write the same
unit folders. :class:`RunLock` takes an exclusive lock on ``<run>/.pmqa.lock`` with
`filelock <https://py-filelock.readthedocs.io/>`_ (an ``fcntl.flock`` on Linux), so the
kernel releases it when the holder dies, however it dies (``kill -9``, the OOM killer): a
stale lock from a killed run is simply taken over by the next one. Beside it,
``.pmqa.lock.json`` records who holds it (pid, host, start time, command) so that the
second run can say whom it is waiting for.

Examples
--------
>>> import tempfile
>>> run = Path(tempfile.mkdtemp())
>>> with RunLock(run) as lock:
...     sorted(lock.holder())[:3]
['argv', 'host', 'pid']
>>> RunLock(run).holder() is None  # released: no holder recorded any more
True
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import socket
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from filelock import FileLock, Timeout

from pmqa_analysis.core.errors import InputError

__all__ = ["LOCK_FILE", "RunLock", "RunLocked"]

LOCK_FILE = ".pmqa.lock"
_HOLDER_FILE = ".pmqa.lock.json"


class RunLocked(InputError):
    """Another run holds the run folder (a user's situation, exit code 2)."""


class RunLock:
    """An exclusive lock on a run folder for the duration of a ``with`` block.

    Parameters
    ----------
    run_dir : str or Path
        The run folder (created when missing).
    timeout : float, default 0
        Seconds to wait for the holder to finish; 0 fails at once.
    """

    def __init__(self, run_dir: str | Path, timeout: float = 0.0) -> None:
        self.run_dir = Path(run_dir)
        self.timeout = timeout
        self._lock = FileLock(str(self.run_dir / LOCK_FILE), timeout=timeout)

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock, as recorded by the holder (None when nobody does)."""
        try:
            data = json.loads((self.run_dir / _HOLDER_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def __enter__(self) -> RunLock:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise RunLocked(self._message()) from None
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "argv": " ".join(sys.argv),
        }
        (self.run_dir / _HOLDER_FILE).write_text(json.dumps(info), encoding="utf-8")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        (self.run_dir / _HOLDER_FILE).unlink(missing_ok=True)
        self._lock.release()

    def _message(self) -> str:
        who = self.holder() or {}
        held = "another process"
        if who:
            held = f"pid {who.get('pid', '?')} on {who.get('host', '?')}"
            held += f", started {who.get('started', '?')}"
        return (
            f"{self.run_dir} is in use by another pmqa run ({held}); wait for it to finish or "
            f"use another --out folder / โฟลเดอร์ผลลัพธ์นี้กำลังถูกใช้โดยการประมวลผลอื่น "
            f"({held}) รอให้เสร็จก่อน หรือใช้ --out โฟลเดอร์อื่น"
        )
