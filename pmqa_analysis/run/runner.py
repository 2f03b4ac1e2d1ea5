"""Execute the unit notebook once per unit with papermill, in parallel, atomically.

:func:`run_unit` is the job for one unit, the same on every backend (in-process, a process
pool, or a Dask distributed cluster): it executes the notebook with
``papermill.execute_notebook`` into ``units/.<slug>.tmp-<pid>/``, exports HTML/XLSX/PDF
there, writes ``status.json`` last and renames the folder to ``units/<slug>/``.  A failure
(a cell error, a timeout, a dead kernel, an export error) is recorded, never raised: the
executed notebook is kept as ``report.failed.ipynb`` and the other units go on.

For the package's own notebook (``UnitJob.render_ahead``) the worker draws the unit's
report sections itself (:func:`pmqa_analysis.report.unit.render_sections`) right after
starting or resetting the kernel, so a new kernel boots on one core while the charts are
drawn on the other; the kernel then shows those sections, imports neither pandas nor
matplotlib, and its executed notebook, HTML and workbook are what it would have drawn
itself (tested).  The rendered copy is removed once the unit has run.

Local worker processes can be started ahead (:class:`Workers`):
:func:`pmqa_analysis.run.batch.run_report` starts them before its prepare step, which runs on
one core, so their start and imports (:func:`warm_up`) happen meanwhile on the others.

Kernel start-up is the cost floor of papermill (about 1 s a run here), so each worker keeps
one warm kernel and reuses it for up to ``kernel_reuse`` units.  Between units the kernel's
namespace is cleared and a new history session started (``shell.reset(new_session=True)``,
which also resets the execution counter to 1), matplotlib figures
closed and rcParams restored to the values recorded when the kernel started, and warning
registries cleared, so a warm run gives the same
outputs as a fresh kernel (tested); any failure recycles the kernel.  ``kernel_reuse=1``
gives a fresh kernel per unit.

Fixed waits are kept out of a unit's time: the reset awaits only its shell reply, the
notebook client connects with :func:`_await_ready` (``wait_for_ready`` without its 0.2 s
wait for IOPub silence, which papermill would otherwise pay on every run), the reset
freezes what survives it (``gc.freeze()``) so the next reset's full collection does not
walk pandas and matplotlib again, and a replaced kernel is killed in the background.  The
kernels keep their input history in memory (``HistoryManager.hist_file=:memory:``): a batch
does not write the user's IPython history, and parallel workers do not share its SQLite lock.
They keep no output cache either (``InteractiveShell.cache_size=0``: no ``_`` or ``Out[n]``),
which spares each reset a full garbage collection.

Examples
--------
>>> from pmqa_analysis.run.runner import UnitJob
>>> UnitJob(unit_code="U01", slug="U01", run_dir="/r", notebook="/n.ipynb").formats
('html', 'xlsx')
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
)
from dataclasses import dataclass, field
from multiprocessing import get_context, util
from pathlib import Path
from typing import Any

from pmqa_analysis.report.export import (
    find_chromium,
    html_to_pdf,
    notebook_to_html,
    staging_dir,
    tables_to_xlsx,
)
from pmqa_analysis.run.manifest import STATUS_FILE, read_status, write_json_atomic

__all__ = [
    "DEFAULT_KERNEL_REUSE",
    "KERNEL_NAME",
    "UnitJob",
    "clean_stale",
    "execute_jobs",
    "execute_once",
    "previous_record",
    "run_unit",
    "shutdown_kernels",
]

KERNEL_NAME = "python3"
#: Units one warm kernel serves before it is replaced by a fresh one.
DEFAULT_KERNEL_REUSE = 20
_ENGINE = "pmqa-reuse"
_NO_HISTORY_FILE = "--HistoryManager.hist_file=:memory:"
#: no output cache (``_``, ``Out[n]``): a report needs none, and IPython's reset flushes a
#: full cache with an extra full garbage collection, before the namespace is even cleared
_NO_OUTPUT_CACHE = "--InteractiveShell.cache_size=0"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TMP = re.compile(r"^\.(?P<slug>.+)\.(?:tmp|old|sections)-(?P<pid>\d+)$")
_LOCAL = threading.local()
_ALL_KERNELS: set[Any] = set()
#: kernels being stopped in the background (joined by :func:`shutdown_kernels`)
_STOPPING: list[threading.Thread] = []
_LOCK = threading.Lock()
_RENDER_LOCK = threading.Lock()

#: Run in a warm kernel before each unit (silently, so the execution counter is untouched).
_RESET_CODE = """
import sys as _pmqa_sys, warnings as _pmqa_warnings
for _pmqa_m in list(_pmqa_sys.modules.values()):
    _pmqa_r = getattr(_pmqa_m, "__warningregistry__", None)
    if isinstance(_pmqa_r, dict):
        _pmqa_r.clear()
_pmqa_warnings._filters_mutated()
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


@dataclass(frozen=True)
class UnitJob:
    """Everything one unit's run needs (picklable, absolute paths only)."""

    unit_code: str
    slug: str
    run_dir: str
    notebook: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    fingerprint: str = ""
    formats: tuple[str, ...] = ("html", "xlsx")
    timeout_per_cell: float = 600.0
    kernel_reuse: int = DEFAULT_KERNEL_REUSE
    title: str = ""
    #: render the package's report sections in this process while the kernel starts
    #: (:func:`pmqa_analysis.report.unit.render_sections`; ``execute_units`` sets it for the
    #: default notebook on a process pool or in-process, one unit per process at a time)
    render_ahead: bool = False


# --------------------------------------------------------------------------- kernels


async def _await_ready(kc: Any, timeout: float) -> None:
    """Wait until the kernel answers on shell and its IOPub reaches this client.

    What ``wait_for_ready`` checks, without its fixed 0.2 s wait for IOPub silence at
    the end (paid twice per unit otherwise): a ``kernel_info`` request is answered on
    shell, and the kernel's ``idle`` status for that request arrives on IOPub, which
    proves the subscription is live before a cell runs.  Older IOPub messages that may
    still arrive belong to other requests; nbclient only reads the ones of its cells.
    """
    from queue import Empty

    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + timeout
    sent: set[str] = set()
    while True:
        sent.add(kc.kernel_info())
        try:
            reply = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except Empty:
            reply = None
        if reply is not None and reply["parent_header"].get("msg_id") in sent:
            handle = getattr(kc, "_handle_kernel_info_reply", None)
            if handle is not None:
                handle(reply)
            try:
                while True:  # this request's busy/idle on IOPub: the channel is live
                    msg = await ensure_async(kc.iopub_channel.get_msg(timeout=0.2))
                    parent = msg["parent_header"].get("msg_id")
                    if (
                        msg["msg_type"] == "status"
                        and msg["content"].get("execution_state") == "idle"
                        and parent in sent
                    ):
                        return
            except Empty:
                pass  # IOPub not connected yet: ask again
        if not await ensure_async(kc.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


def _register_engine() -> None:
    from nbclient.util import ensure_async, run_hook, run_sync
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    if _ENGINE in papermill_engines._engines:
        return

    class QuickStartClient(PapermillNotebookClient):  # type: ignore[misc]
        """papermill's client, connecting to the (running) kernel with :func:`_await_ready`."""

        async def async_start_new_kernel_client(self) -> Any:
            self.kc = self.km.client()
            try:
                await ensure_async(self.kc.start_channels())
                await _await_ready(self.kc, self.startup_timeout)
            except Exception:
                await self._async_cleanup_kernel()
                raise
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    class ReusingEngine(NBClientEngine):  # type: ignore[misc]
        """papermill's nbclient engine, closing its kernel client after each run.

        With a kernel manager passed in (``km=``), nbclient keeps the kernel alive but also
        leaves its client's channels open; this engine closes them.
        """

        @classmethod
        def execute_managed_notebook(  # type: ignore[no-untyped-def]
            cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
            start_timeout=60, execution_timeout=None, **kwargs,
        ):  # fmt: skip
            kwargs = remove_args(["input_path"], **kwargs)
            safe = remove_args(["timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                safe, timeout=execution_timeout or kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            )  # fmt: skip
            client = QuickStartClient(nb_man, **final)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(_ENGINE, ReusingEngine)


class _Kernel:
    """One kernel process owned by this worker thread."""

    def __init__(self, log_path: Path, *, one_off: bool = False) -> None:
        from jupyter_client.manager import KernelManager

        #: started for one notebook by its caller, who stops it (``execute_once``); a
        #: batch's ``shutdown_kernels(one_off=False)`` leaves it alone
        self.one_off = one_off

        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(log_path, "ab")
        # the kernel's sockets are files in a folder only this user can open: over TCP on
        # loopback any local user could subscribe to its output (the respondents' data)
        self.sockets = tempfile.mkdtemp(prefix="pmqa-kernel-") if os.name == "posix" else ""
        transport = {"transport": "ipc", "ip": os.path.join(self.sockets, "k")}
        # nbclient needs an asynchronous client (a blocking one ignores cell timeouts)
        self.km = KernelManager(
            kernel_name=KERNEL_NAME, client_class="jupyter_client.asynchronous.AsyncKernelClient",
            **(transport if self.sockets else {}),
        )  # fmt: skip
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


def _kernel_for(job: UnitJob) -> _Kernel:
    kernel: _Kernel | None = getattr(_LOCAL, "kernel", None)
    if kernel is not None and (kernel.used >= max(job.kernel_reuse, 1) or not kernel.km.is_alive()):
        kernel.shutdown(background=True)
        kernel = None
    if kernel is not None and kernel.used > 0 and not kernel.reset():
        kernel.shutdown(background=True)
        kernel = None
    if kernel is None:
        log = Path(job.run_dir) / "logs" / f"kernel-{os.getpid()}-{threading.get_ident()}.log"
        kernel = _Kernel(log)  # starting: the caller may work while it boots
        _LOCAL.kernel = kernel
    return kernel


def _prime(kernel: _Kernel, job: UnitJob) -> None:
    """Before a new kernel's first unit: the snapshot its resets restore (waits for boot)."""
    if not kernel.primed and job.kernel_reuse > 1:  # only a kernel that will be reset
        kernel.prime()
    kernel.primed = True


def _render_ahead(job: UnitJob) -> Path | None:
    """The unit's sections rendered in this process for its kernel, or None (it draws)."""
    if not job.render_ahead:
        return None
    from pmqa_analysis.report.unit import render_sections

    try:
        with _RENDER_LOCK:  # matplotlib is not thread-safe: one drawing per process at a time
            return render_sections(
                job.run_dir, job.unit_code, str(job.parameters.get("language", "th"))
            )
    except Exception:  # the kernel draws every section and reports any error in its cell
        return None


def _release(kernel: _Kernel, job: UnitJob, ok: bool) -> None:
    kernel.used += 1
    if not ok or kernel.used >= max(job.kernel_reuse, 1):
        kernel.shutdown(background=True)
        _LOCAL.kernel = None


# --------------------------------------------------------------------------- one unit


def _error_summary(exc: BaseException) -> tuple[str, str]:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        message = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
        lines = "\n".join(_ANSI.sub("", str(t)) for t in exc.traceback)
    else:
        message = f"{type(exc).__name__}: {exc}"
        lines = "".join(traceback.format_exception(exc))
    tail = "\n".join(lines.strip().splitlines()[-25:])
    return message[:2000], tail


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's live process
        return True
    return True


def clean_stale(units_dir: str | Path) -> list[str]:
    """Remove temporary unit folders left by killed runs (their process is gone).

    Returns the names removed.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / ".U01.tmp-999999999").mkdir()
    >>> clean_stale(d)
    ['.U01.tmp-999999999']
    """
    root = Path(units_dir)
    removed: list[str] = []
    if not root.is_dir():
        return removed
    live_slugs: set[str] = set()
    for path in sorted(root.iterdir()):
        match = _TMP.match(path.name)
        if match is None:
            continue
        if _pid_alive(int(match["pid"])):
            live_slugs.add(match["slug"])
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for path in sorted(root.glob(".*.tables")):
        if path.name[1 : -len(".tables")] not in live_slugs:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _export(job: UnitJob, tmp: Path, notes: list[str]) -> None:
    import nbformat

    assessed = Path(job.run_dir) / "assessment" / job.slug
    if assessed.is_dir():  # scorecard.json, self_assessment.html, improvement_plan.xlsx
        for path in sorted(assessed.iterdir()):
            if path.is_file():
                shutil.copy2(path, tmp / path.name)

    executed = nbformat.read(tmp / "report.ipynb", as_version=4)
    for cell in executed.cells:  # papermill gives this cell a random id: keep HTML stable
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    if "html" in job.formats or "pdf" in job.formats:
        page = notebook_to_html(
            executed, title=job.title or job.unit_code,
            lang=str(job.parameters.get("language", "th")),
        )  # fmt: skip
        (tmp / "report.html").write_text(page, encoding="utf-8")
    if "xlsx" in job.formats:
        tables = sorted((tmp / "tables").glob("*.parquet")) if (tmp / "tables").is_dir() else []
        tables_to_xlsx(tables, tmp / "report.xlsx", title=job.title or job.unit_code)
    if "pdf" in job.formats:
        if find_chromium() is None:
            notes.append("pdf not written: no Chromium found (install chromium for PDF)")
        else:
            html_to_pdf(tmp / "report.html", tmp / "report.pdf")
        if "html" not in job.formats:
            (tmp / "report.html").unlink()


def _swap_into_place(tmp: Path, final: Path) -> None:
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def execute_once(
    notebook: str | Path, output: str | Path, parameters: dict[str, Any], log_path: Path,
    *, timeout_per_cell: float = 600.0,
) -> None:  # fmt: skip
    """Execute one notebook on a fresh kernel whose own output goes to ``log_path``.

    For the one-off province overview: same engine and kernel handling as the unit runs,
    so nothing from the kernel process reaches the console (quiet cron runs).
    """
    import papermill

    _register_engine()
    kernel = _Kernel(log_path, one_off=True)
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters,
            engine_name=_ENGINE, kernel_name=KERNEL_NAME, language="python", km=kernel.km,
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout_per_cell, start_timeout=60, cwd=None,
        )  # fmt: skip
    finally:
        kernel.shutdown()


def run_unit(job: UnitJob) -> dict[str, Any]:
    """Execute and export one unit; never raises for a unit's own failure.

    Parameters
    ----------
    job : UnitJob
        The unit, its parameters and options.

    Returns
    -------
    dict
        The unit's record: unit_code, slug, status ("ok" or "failed"), fingerprint,
        duration_s, outputs (file names in the unit folder), error, traceback, notes.
    """
    import papermill

    _register_engine()
    started = time.perf_counter()
    units = Path(job.run_dir) / "units"
    units.mkdir(parents=True, exist_ok=True)
    tmp = units / f".{job.slug}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    staged = staging_dir(job.run_dir, job.unit_code)
    shutil.rmtree(staged, ignore_errors=True)
    error, trace = "", ""
    notes: list[str] = []
    kernel = _kernel_for(job)
    rendered = _render_ahead(job)  # while a new kernel boots, on another core
    ok = False
    try:
        _prime(kernel, job)
        papermill.execute_notebook(
            job.notebook, str(tmp / "report.ipynb"), parameters=dict(job.parameters),
            engine_name=_ENGINE, kernel_name=KERNEL_NAME, language="python", km=kernel.km,
            progress_bar=False,
            log_output=False, request_save_on_cell_execute=False,
            execution_timeout=job.timeout_per_cell, start_timeout=60, cwd=None,
        )  # fmt: skip
        ok = True
    except Exception as exc:
        error, trace = _error_summary(exc)
    finally:
        _release(kernel, job, ok)
        if rendered is not None:
            shutil.rmtree(rendered, ignore_errors=True)
    if staged.is_dir():
        os.replace(staged, tmp / "tables")
    if ok:
        try:
            _export(job, tmp, notes)
        except Exception as exc:
            ok = False
            error, trace = _error_summary(exc)
            error = f"export failed: {error}"
    if not ok and (tmp / "report.ipynb").exists():
        os.replace(tmp / "report.ipynb", tmp / "report.failed.ipynb")
    record: dict[str, Any] = {
        "unit_code": job.unit_code,
        "slug": job.slug,
        "status": "ok" if ok else "failed",
        "fingerprint": job.fingerprint,
        "outputs": sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()),
        "error": error,
        "traceback": trace,
        "notes": notes,
    }
    record["duration_s"] = round(time.perf_counter() - started, 3)
    write_json_atomic(tmp / STATUS_FILE, record)
    _swap_into_place(tmp, units / job.slug)
    return record


# --------------------------------------------------------------------------- many units


def _failed(job: UnitJob, exc: BaseException) -> dict[str, Any]:
    error, trace = _error_summary(exc)
    return {
        "unit_code": job.unit_code, "slug": job.slug, "status": "failed",
        "fingerprint": job.fingerprint, "outputs": [], "error": f"worker failed: {error}",
        "traceback": trace, "notes": [], "duration_s": 0.0,
    }  # fmt: skip


def _progress(total: int, disable: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, disable=disable, file=sys.stderr, unit="unit", desc="reports")


def _worker_init() -> None:
    """A pool worker leaves Ctrl-C to the batch: the parent stops the run and reports it.

    (A terminal's SIGINT reaches every process of the group; without this each worker
    would print its own KeyboardInterrupt traceback.)
    """
    import logging
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


def _process_pool(n: int) -> ProcessPoolExecutor:
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["pmqa_analysis.run.runner"])
    return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_worker_init)


def warm_up() -> int:
    """Load what a unit's run needs in this process, once; returns the process id.

    The imports (papermill, jupyter_client, nbconvert, pandas, matplotlib, the package's
    report modules), the HTML exporter with its templates and the embedded font, and
    matplotlib's Sarabun glyphs (a tiny Thai chart drawn to SVG).  A pool worker runs it
    when :class:`Workers` starts, so a batch's first units cost what the later ones do.

    Examples
    --------
    >>> warm_up() == os.getpid()
    True
    """
    import io

    import jupyter_client.manager  # noqa: F401
    import nbformat.v4
    import papermill  # noqa: F401
    from matplotlib.figure import Figure

    import pmqa_analysis.report.plots  # registers Sarabun
    import pmqa_analysis.report.unit  # noqa: F401
    from pmqa_analysis.report.export import notebook_to_html

    notebook_to_html(nbformat.v4.new_notebook(), title="warm-up")
    figure = Figure(figsize=(1, 1))
    figure.text(0.1, 0.5, "ความพึงพอใจ")
    figure.savefig(io.BytesIO(), format="svg")
    return os.getpid()


class Workers:
    """Worker processes started ahead of a batch, warming up while the caller goes on.

    :func:`pmqa_analysis.run.batch.run_report` starts them before its prepare step, which
    runs on one core, so the pool's start (the forkserver, each worker's imports) and
    :func:`warm_up` happen on the others; :func:`execute_jobs` then uses them when it runs
    that many workers, and starts its own otherwise.  Usable as a context manager;
    :meth:`close` stops processes nobody used.

    Examples
    --------
    >>> with Workers(2) as workers:
    ...     len(workers.warming)
    2
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.executor: ProcessPoolExecutor | None = _process_pool(n)
        # one task per worker: each starts a process (they are spawned as tasks wait)
        self.warming = [self.executor.submit(warm_up) for _ in range(n)]

    def take(self, n: int) -> ProcessPoolExecutor | None:
        """The started pool if it has ``n`` workers and none failed (then the caller's)."""
        executor, self.executor = self.executor, None
        failed = any(
            f.done() and not f.cancelled() and f.exception() is not None for f in self.warming
        )
        if executor is not None and (n != self.n or failed):
            executor.shutdown(wait=False, cancel_futures=True)
            return None
        return executor

    def close(self) -> None:
        """Stop the workers unless a batch took them (it stops them itself)."""
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _run_local(
    jobs: Sequence[UnitJob], workers: int, bar: Any, pool_kind: str, started: Workers | None
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    n = min(workers, len(jobs))
    warm = started.take(n) if started is not None and pool_kind != "thread" else None
    if n <= 1:
        if warm is not None:
            warm.shutdown(wait=False, cancel_futures=True)
        try:
            for job in jobs:
                records.append(run_unit(job))
                bar.update(1)
        finally:
            shutdown_kernels(one_off=False)
        return records
    executor: Executor
    if pool_kind == "thread":
        executor = ThreadPoolExecutor(max_workers=n, thread_name_prefix="pmqa-unit")
    else:
        executor = warm or _process_pool(n)
    with executor as pool:
        futures: dict[Future[dict[str, Any]], UnitJob] = {
            pool.submit(run_unit, job): job for job in jobs
        }
        try:
            for fut in as_completed(futures):
                try:
                    records.append(fut.result())
                except Exception as exc:  # a worker process died (BrokenProcessPool)
                    records.append(_failed(futures[fut], exc))
                bar.update(1)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            if pool_kind == "thread":
                pool.shutdown(wait=True)
                shutdown_kernels(one_off=False)
    return records


def _run_dask(jobs: Sequence[UnitJob], scheduler: str, bar: Any) -> list[dict[str, Any]]:
    from distributed import Client

    records: list[dict[str, Any]] = []
    with Client(scheduler, set_as_default=False) as client:
        futures = client.map(run_unit, list(jobs), pure=False)
        try:
            for fut, job in zip(futures, jobs, strict=True):
                try:
                    records.append(fut.result())
                except Exception as exc:  # the worker died or could not import the job
                    records.append(_failed(job, exc))
                bar.update(1)
        finally:
            client.run(shutdown_kernels)
    return records


def execute_jobs(
    jobs: Sequence[UnitJob],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    quiet: bool = False,
    done: int = 0,
    pool: str = "process",
    started: Workers | None = None,
) -> list[dict[str, Any]]:
    """Run :func:`run_unit` for every job; records come back in the jobs' order.

    Parameters
    ----------
    jobs : sequence of UnitJob
        The units to run.
    workers : int, optional
        Worker processes (default ``os.cpu_count()``); 1 runs in this process.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:8786``); the jobs then run on that cluster.
    progress, quiet : bool
        A tqdm bar on stderr unless ``quiet`` or not ``progress``.
    done : int
        Units already complete (skipped), shown as the bar's starting point.
    pool : {"process", "thread"}
        Local workers as processes (default) or threads of this process (each worker
        thread drives its own kernel process).
    started : Workers, optional
        Worker processes started ahead (:class:`Workers`), used if there are as many as
        this batch runs; the batch then stops them.
    """
    bar = _progress(len(jobs) + done, disable=quiet or not progress)
    bar.update(done)
    try:
        if not jobs:
            return []
        if scheduler:
            records = _run_dask(jobs, scheduler, bar)
        else:
            records = _run_local(jobs, workers or os.cpu_count() or 1, bar, pool, started)
    finally:
        bar.close()
    order = {job.slug: i for i, job in enumerate(jobs)}
    return sorted(records, key=lambda r: order[r["slug"]])


def previous_record(units_dir: Path, job: UnitJob) -> dict[str, Any] | None:
    """The completed record of a unit when it can be skipped (ok and same fingerprint)."""
    status = read_status(units_dir / job.slug)
    if status and status.get("status") == "ok" and status.get("fingerprint") == job.fingerprint:
        return status
    return None
