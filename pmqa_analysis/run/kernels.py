"""The report kernels: start, prime, reset, reuse and stop them; run a notebook on one.

Kernel start-up is the cost floor of papermill (about 1 s a run here), so each worker
thread keeps one warm kernel (:func:`warm_kernel`) and reuses it for up to
``kernel_reuse`` units.  Between units the kernel's namespace is cleared and a new history
session started (``shell.reset(new_session=True)``, which also resets the execution counter
to 1), matplotlib figures closed and rcParams restored to the values recorded when the
kernel started (:func:`prime_kernel`), and warning registries cleared, so a warm run gives
the same outputs as a fresh kernel (tested); any failure recycles the kernel
(:func:`release_kernel`).  ``kernel_reuse=1`` gives a fresh kernel per unit.

Fixed waits are kept out of a unit's time: the reset awaits only its shell reply, the
notebook client connects without ``wait_for_ready``'s 0.2 s wait for IOPub silence
(:mod:`pmqa_analysis.run._jupyter_client_adapter`), the reset freezes what survives it
(``gc.freeze()``) so the next reset's full collection does not walk pandas and matplotlib
again, and a replaced kernel is killed in the background.  The kernels keep their input
history in memory (``HistoryManager.hist_file=:memory:``): a batch does not write the
user's IPython history, and parallel workers do not share its SQLite lock.  They keep no
output cache either (``InteractiveShell.cache_size=0``: no ``_`` or ``Out[n]``), which
spares each reset a full garbage collection.

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
import shutil
import tempfile
import threading
from multiprocessing import util
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_KERNEL_REUSE",
    "KERNEL_NAME",
    "execute_notebook",
    "execute_once",
    "prime_kernel",
    "release_kernel",
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

#: Run in a warm kernel before each unit (silently, so the execution counter is untouched).
#: Entering and leaving ``catch_warnings`` leaves the filters as they were and marks them
#: changed, which invalidates any warning registry the loop did not reach.
_RESET_CODE = """
import sys as _pmqa_sys, warnings as _pmqa_warnings
for _pmqa_m in list(_pmqa_sys.modules.values()):
    _pmqa_r = getattr(_pmqa_m, "__warningregistry__", None)
    if isinstance(_pmqa_r, dict):
        _pmqa_r.clear()
with _pmqa_warnings.catch_warnings():
    pass
if "matplotlib.pyplot" in _pmqa_sys.modules:
    _pmqa_sys.modules["matplotlib.pyplot"].close("all")
if hasattr(get_ipython(), "_pmqa_rc"):  # the fresh kernel's rcParams (_PRIME_CODE)
    dict.update(_pmqa_sys.modules["matplotlib"].rcParams, get_ipython()._pmqa_rc)
get_ipython().reset(new_session=True)  # namespace, history session, execution_count = 1
# collect what the namespace held, then freeze the survivors (modules, caches) so that later
# full collections (IPython's reset runs one) skip them; no name is left in the namespace
__import__("gc").collect()
__import__("gc").freeze()
"""

#: Run once in a new kernel, before its first unit: matplotlib's settings as a fresh kernel
#: has them, which each reset restores (a unit may change rcParams without pyplot).
_PRIME_CODE = """
import matplotlib as _pmqa_mpl
get_ipython()._pmqa_rc = dict(_pmqa_mpl.rcParams)
del _pmqa_mpl
"""


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
        self.sockets = tempfile.mkdtemp(prefix="pmqa-kernel-") if os.name == "posix" else ""
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
        """Record the new kernel's matplotlib settings for the resets (before any unit)."""
        return self._run_silently(_PRIME_CODE, timeout)

    def _run_silently(self, code: str, timeout: float) -> bool:
        kc = self.km.blocking_client()
        try:
            kc.start_channels()
            reply = kc.execute(code, silent=True, store_history=False, reply=True, timeout=timeout)
            return bool(reply["content"]["status"] == "ok")
        except Exception:
            return False
        finally:
            kc.stop_channels()

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
