"""The report kernels: start, prime, reset, reuse and stop them; run a notebook on one.

Kernel start-up is the cost floor of papermill (about 1 s a run here), so each worker
thread keeps one warm kernel (:func:`warm_kernel`) and reuses it for up to
``kernel_reuse`` units.  Between units the kernel resets itself
(:mod:`pmqa_analysis.run.kernel_state`, imported in the kernel): the namespace, history
session and execution counter, matplotlib's figures and rcParams, the working directory,
environment, ``sys.path`` and warning filters are put back as the fresh kernel had them
(recorded by :func:`prime_kernel`), and anything it cannot put back (a notebook's own
module in ``sys.modules``, a monkeypatched library function, a changed pandas option) makes it
refuse, so the worker starts a fresh kernel instead; so does a unit's failure
(:func:`release_kernel`).  A warm run gives the same outputs as a fresh kernel (tested).
``kernel_reuse=1`` gives a fresh kernel per unit.

Fixed waits are kept out of a unit's time: the reset awaits only its shell reply, the
notebook client connects without ``wait_for_ready``'s 0.2 s wait for IOPub silence
(:mod:`pmqa_analysis.run._jupyter_client_adapter`), the reset freezes what survives it
(``gc.freeze()``) so the next reset's full collection does not walk pandas and matplotlib
again, and a replaced kernel is killed in the background.  The kernels keep their input
history in memory (``HistoryManager.hist_file=:memory:``): a batch does not write the
user's IPython history, and parallel workers do not share its SQLite lock.  They keep no
output cache either (``InteractiveShell.cache_size=0``: no ``_`` or ``Out[n]``), which
spares each reset a full garbage collection.

A kernel dies with the process that started it: jupyter_client passes that process's pid
as ``JPY_PARENT_PID``, which ipykernel's parent poller watches (it exits within a second
of its parent).  Each kernel's sockets live in a private ``pmqa-kernel-<pid>-*`` folder
(``<pid>``: the process that started it); :func:`remove_stale_kernel_dirs` removes those
of processes that are gone (a killed run), at the next run's start.

A notebook runs on a kernel with papermill's own ``nbclient`` engine
(:func:`execute_notebook`), given the kernel's manager (``km=``); the notebook client's
channels are closed afterwards, the kernel stays up.

Examples
--------
>>> KERNEL_NAME, DEFAULT_KERNEL_REUSE
('python3', 20)
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import tempfile
import threading
from multiprocessing import util
from pathlib import Path
from typing import Any

from pmqa_analysis.core.files import pid_alive

__all__ = [
    "DEFAULT_KERNEL_REUSE",
    "KERNEL_NAME",
    "execute_notebook",
    "execute_once",
    "kill_kernels_now",
    "prime_kernel",
    "release_kernel",
    "remove_stale_kernel_dirs",
    "shutdown_kernels",
    "warm_kernel",
]

KERNEL_NAME = "python3"
#: Units one warm kernel serves before it is replaced by a fresh one.
DEFAULT_KERNEL_REUSE = 20
#: papermill's own engine (nbclient); the kernel is passed in as ``km=``
_ENGINE = "nbclient"
_NO_HISTORY_FILE = "--HistoryManager.hist_file=:memory:"
#: no output cache (``_``, ``Out[n]``): a report needs none, and IPython's reset flushes a
#: full cache with an extra full garbage collection, before the namespace is even cleared
_NO_OUTPUT_CACHE = "--InteractiveShell.cache_size=0"
_LOCAL = threading.local()
_ALL_KERNELS: set[Any] = set()
#: kernels being stopped in the background (joined by :func:`shutdown_kernels`)
_STOPPING: list[threading.Thread] = []
_LOCK = threading.Lock()

#: the package's folder: its modules are the library's own for the kernel's reset
_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])
#: Run in a warm kernel before each unit (silently, so the execution counter is untouched).
_RESET_CODE = '__import__("pmqa_analysis.run.kernel_state", fromlist=["_"]).reset(get_ipython())'
#: Run once in a new kernel, before its first unit: the state each reset puts back.
_PRIME_CODE = (
    '__import__("pmqa_analysis.run.kernel_state", fromlist=["_"])'
    f".prime(get_ipython(), {_PACKAGE_DIR!r})"
)
#: the private folder of a kernel's sockets: ``pmqa-kernel-<pid of its starter>-<random>``
KERNEL_DIR_PREFIX = "pmqa-kernel-"
_KERNEL_DIR = re.compile(rf"^{KERNEL_DIR_PREFIX}(?P<pid>\d+)-")


class _Kernel:
    """One kernel process owned by this worker thread."""

    def __init__(self, log_path: Path, *, one_off: bool = False) -> None:
        from pmqa_analysis.run._jupyter_client_adapter import ReportKernelManager

        #: started for one notebook by its caller, who stops it (``execute_once``); a
        #: batch's ``shutdown_kernels(one_off=False)`` leaves it alone
        self.one_off = one_off

        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(log_path, "ab")
        # the kernel's sockets are files in a folder only this user can open: over TCP on
        # loopback any local user could subscribe to its output (the respondents' data)
        self.sockets = (
            tempfile.mkdtemp(prefix=f"{KERNEL_DIR_PREFIX}{os.getpid()}-")
            if os.name == "posix"
            else ""
        )
        transport = {"transport": "ipc", "ip": os.path.join(self.sockets, "k")}
        # nbclient needs an asynchronous client (a blocking one ignores cell timeouts): the
        # manager's clients are the adapter's ReadyClient, an AsyncKernelClient
        self.km = ReportKernelManager(
            kernel_name=KERNEL_NAME, **(transport if self.sockets else {})
        )
        # the input history stays in memory: report kernels do not write the user's IPython
        # history file (nor wait on its SQLite lock, which parallel workers would share)
        self.km.start_kernel(
            stdout=self.log, stderr=self.log, extra_arguments=[_NO_HISTORY_FILE, _NO_OUTPUT_CACHE]
        )
        self.used = 0
        self.primed = False
        #: why the last reset refused (a fresh kernel replaced this one), for the logs
        self.doubt = ""
        _register_exit_hook()
        with _LOCK:
            _ALL_KERNELS.add(self)

    def reset(self, timeout: float = 60) -> bool:
        """Clear the namespace between units; False when the kernel did not answer well.

        The reset runs silently and only its shell reply is awaited (no IOPub), so it
        needs no ``wait_for_ready`` (and none of its 0.2 s wait for IOPub silence).
        """
        return self._run_silently(_RESET_CODE, timeout)

    def prime(self, timeout: float = 60) -> bool:
        """Record the new kernel's state for the resets to put back (before any unit)."""
        return self._run_silently(_PRIME_CODE, timeout)

    @property
    def pid(self) -> int | None:
        """The kernel process's id (None before it started or after it stopped)."""
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        return int(pid) if pid else None

    def _run_silently(self, code: str, timeout: float) -> bool:
        kc = self.km.blocking_client()
        try:
            kc.start_channels()
            reply = kc.execute(code, silent=True, store_history=False, reply=True, timeout=timeout)
            content = reply["content"]
            if content["status"] != "ok":
                self.doubt = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:1000]
                self.log.write(f"pmqa: fresh kernel instead: {self.doubt}\n".encode())
                self.log.flush()
            return bool(content["status"] == "ok")
        except Exception as exc:
            self.doubt = f"{type(exc).__name__}: {exc}"[:1000]
            return False
        finally:
            kc.stop_channels()

    def kill_now(self) -> None:
        """Kill the kernel's process group at once and remove its sockets (parent died)."""
        pid = self.pid
        try:
            if pid is not None:
                os.killpg(pid, signal.SIGKILL)  # jupyter_client starts it in its own session
        except OSError:
            pass
        if self.sockets:
            shutil.rmtree(self.sockets, ignore_errors=True)

    def shutdown(self, background: bool = False) -> None:
        """Kill the kernel process; ``background`` does it in a thread.

        jupyter_client polls for the killed process every 0.1 s; a worker replacing its
        kernel between units need not wait for that (``shutdown_kernels`` joins).
        """
        with _LOCK:
            _ALL_KERNELS.discard(self)
            if background:
                thread = threading.Thread(target=self._stop, name="pmqa-kernel-stop")
                _STOPPING[:] = [t for t in _STOPPING if t.is_alive()]
                _STOPPING.append(thread)
                thread.start()
                return
        self._stop()

    def _stop(self) -> None:
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # pragma: no cover - best effort at exit
            pass
        self.log.close()
        if self.sockets:
            shutil.rmtree(self.sockets, ignore_errors=True)


def shutdown_kernels(*, one_off: bool = True) -> None:
    """Stop every kernel this process started (called at exit and after a batch).

    ``one_off=False`` (after a batch) keeps the kernels of :func:`execute_once` calls:
    the province overview may still be running on one in another thread.

    Examples
    --------
    >>> shutdown_kernels()
    """
    with _LOCK:
        kernels = [k for k in _ALL_KERNELS if one_off or not k.one_off]
    for kernel in kernels:
        kernel.shutdown()
    with _LOCK:
        stopping = list(_STOPPING)
        _STOPPING.clear()
    for thread in stopping:
        thread.join()
    _LOCAL.__dict__.clear()


atexit.register(shutdown_kernels)


def kill_kernels_now() -> None:
    """Kill every kernel this process started, without waiting (its parent died).

    Safe from a signal handler or another thread: no kernel message, no lock wait.
    """
    for kernel in list(_ALL_KERNELS):
        kernel.kill_now()


def remove_stale_kernel_dirs(root: str | Path | None = None) -> list[str]:
    """Remove the socket folders of kernels whose starting process is gone (killed runs).

    Only this user's ``pmqa-kernel-<pid>-*`` folders in the temporary folder (or
    ``root``) whose ``<pid>`` is no live process; returns the names removed.

    Examples
    --------
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "pmqa-kernel-999999999-abc").mkdir(); (d / f"pmqa-kernel-{os.getpid()}-x").mkdir()
    >>> remove_stale_kernel_dirs(d)
    ['pmqa-kernel-999999999-abc']
    """
    folder = Path(root if root is not None else tempfile.gettempdir())
    removed: list[str] = []
    try:
        entries = list(folder.glob(f"{KERNEL_DIR_PREFIX}*"))
    except OSError:  # pragma: no cover - an unreadable temporary folder
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for path in sorted(entries):
        match = _KERNEL_DIR.match(path.name)
        if match is None or pid_alive(int(match["pid"])):
            continue
        try:
            if uid is not None and path.lstat().st_uid != uid:
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    return removed


_FINALIZER_PID: list[int] = []


def _register_exit_hook() -> None:
    """Stop kernels when a pool worker exits (multiprocessing skips atexit; forks clear hooks)."""
    if _FINALIZER_PID != [os.getpid()]:
        util.Finalize(None, shutdown_kernels, exitpriority=10)
        _FINALIZER_PID[:] = [os.getpid()]


def warm_kernel(run_dir: str | Path, reuse: int) -> _Kernel:
    """This thread's kernel, reset for a new unit, or a new one (starting: not waited for).

    A kernel that served ``reuse`` units, died or did not reset well is replaced; a new
    one logs to ``run_dir/logs/kernel-<pid>-<thread>.log``.
    """
    kernel: _Kernel | None = getattr(_LOCAL, "kernel", None)
    if kernel is not None and (kernel.used >= max(reuse, 1) or not kernel.km.is_alive()):
        kernel.shutdown(background=True)
        kernel = None
    if kernel is not None and kernel.used > 0 and not kernel.reset():
        kernel.shutdown(background=True)
        kernel = None
    if kernel is None:
        log = Path(run_dir) / "logs" / f"kernel-{os.getpid()}-{threading.get_ident()}.log"
        kernel = _Kernel(log)  # starting: the caller may work while it boots
        _LOCAL.kernel = kernel
    return kernel


def prime_kernel(kernel: _Kernel, reuse: int) -> None:
    """Before a new kernel's first unit: the snapshot its resets restore (waits for boot)."""
    if not kernel.primed and reuse > 1:  # only a kernel that will be reset
        kernel.prime()
    kernel.primed = True


def release_kernel(kernel: _Kernel, reuse: int, ok: bool) -> None:
    """After a unit: count it; a kernel that failed or served ``reuse`` units is stopped."""
    kernel.used += 1
    if not ok or kernel.used >= max(reuse, 1):
        kernel.shutdown(background=True)
        _LOCAL.kernel = None


def execute_notebook(
    kernel: _Kernel, notebook: str | Path, output: str | Path, parameters: dict[str, Any],
    *, timeout_per_cell: float,
) -> None:  # fmt: skip
    """Execute a notebook on ``kernel`` with papermill; the kernel stays up.

    Raises what papermill raises (``PapermillExecutionError`` for a cell's error, a
    timeout, a dead kernel); the notebook client's channels are closed in any case.
    """
    import papermill

    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters,
            engine_name=_ENGINE, kernel_name=KERNEL_NAME, language="python", km=kernel.km,
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout_per_cell, start_timeout=60, cwd=None,
        )  # fmt: skip
    finally:
        kernel.km.close_clients()


def execute_once(
    notebook: str | Path, output: str | Path, parameters: dict[str, Any], log_path: Path,
    *, timeout_per_cell: float = 600.0,
) -> None:  # fmt: skip
    """Execute one notebook on a fresh kernel whose own output goes to ``log_path``.

    For the one-off province overview: same engine and kernel handling as the unit runs,
    so nothing from the kernel process reaches the console (quiet cron runs).
    """
    kernel = _Kernel(log_path, one_off=True)
    try:
        execute_notebook(kernel, notebook, output, parameters, timeout_per_cell=timeout_per_cell)
    finally:
        kernel.shutdown()
