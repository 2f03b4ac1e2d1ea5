"""The local backend: units on worker processes (or threads) of this machine.

:func:`run_local` runs :func:`~pmqa_analysis.run.unit_job.run_unit` for every job, in this
process for one worker, else on a process pool (forkserver) or a thread pool; each worker
keeps its own warm kernel.  A worker process that dies is recorded as the unit's failure.

A worker dies with the batch: :func:`watch_parent` (the pool's initializer) asks Linux to
send it SIGTERM when the process that forked it goes (``PR_SET_PDEATHSIG``), and a thread
checks every half second that the batch's process is still there (the forkserver is the
workers' parent, the batch is not; and other systems have no parent-death signal).  Either
way the worker kills its kernels and exits; ipykernel's own parent poller is the kernels'
second line.

Worker processes can be started ahead (:class:`Workers`):
:func:`pmqa_analysis.run.batch.run_report` starts them before its prepare step, which runs on
one core, so their start and imports (:func:`warm_up`, with what the caller adds for its
report) happen meanwhile on the others.

Examples
--------
>>> with Workers(1) as workers:
...     workers.warming[0].result(timeout=120) > 0
True
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
)
from multiprocessing import get_context
from typing import Any

from pmqa_analysis.run.kernels import (
    DEFAULT_KERNEL_REUSE,
    kill_kernels_now,
    prime_kernel,
    shutdown_kernels,
    warm_kernel,
)
from pmqa_analysis.run.unit_job import UnitJob, failed_record, run_unit

__all__ = ["Workers", "process_pool", "run_local", "warm_up", "watch_parent"]

#: imported by the forkserver before it forks a worker (this module imports the runner's)
_PRELOAD = (__name__,)


#: Linux prctl option: the signal this process gets when the thread that forked it ends
_PR_SET_PDEATHSIG = 1
#: seconds between two checks that the batch's process is alive
_WATCH_INTERVAL = 0.5


def _die(*_: object) -> None:
    """The batch is gone: kill this worker's kernels, exit at once (no cleanup to wait on)."""
    kill_kernels_now()
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's process took the pid
        return False
    return True


def _set_parent_death_signal(signum: int) -> bool:
    """Linux: get ``signum`` when the parent goes (``prctl(PR_SET_PDEATHSIG)``); else False."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
        return False


def watch_parent(batch_pid: int) -> None:
    """In a worker: exit (its kernels killed) as soon as the batch's process is gone.

    The pool's initializer.  Also leaves Ctrl-C to the batch: the parent stops the run and
    reports it (a terminal's SIGINT reaches every process of the group; without this each
    worker would print its own KeyboardInterrupt traceback).

    Examples
    --------
    >>> import subprocess
    >>> code = "import os, time; from pmqa_analysis.run.workers import watch_parent; "
    >>> code += "watch_parent(os.getpid()); time.sleep(0.1); print('alive')"
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    'alive\\n'
    """
    import logging

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    parent = os.getppid()
    signal.signal(signal.SIGTERM, _die)
    _set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent or not _alive(batch_pid):  # gone before the signal was set
        _die()

    def watch() -> None:
        while True:
            time.sleep(_WATCH_INTERVAL)
            if os.getppid() != parent or not _alive(batch_pid):
                _die()

    threading.Thread(target=watch, name="pmqa-parent-watch", daemon=True).start()


def process_pool(n: int, preload: Iterable[str] = ()) -> ProcessPoolExecutor:
    """``n`` worker processes forked from a forkserver that imported ``preload`` first."""
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(list(dict.fromkeys([*_PRELOAD, *preload])))
    return ProcessPoolExecutor(
        max_workers=n, mp_context=ctx, initializer=watch_parent, initargs=(os.getpid(),)
    )


def _modules(functions: Iterable[Callable[..., Any] | None]) -> list[str]:
    """The modules defining ``functions`` (what a worker imports to unpickle them)."""
    return list(dict.fromkeys(f.__module__ for f in functions if f is not None))


def warm_up(extra: Callable[[], object] | None = None, kernel_dir: str | None = None) -> int:
    """Load what a unit's run needs in this process, once; returns the process id.

    The imports (papermill, jupyter_client, nbformat), then ``extra()``: what the caller's
    report needs (the batch's adds the report modules, the HTML exporter, the fonts).  A
    pool worker runs it when :class:`Workers` starts, so a batch's first units cost what
    the later ones do.  What is loaded then lives as long as the process: it is frozen
    out of the garbage collector (``gc.freeze()``), so the full collections that a unit's
    drawing triggers do not walk pandas' and matplotlib's objects again and again (they
    took about 0.09 s a unit, 0.04 s frozen).  With ``kernel_dir`` (the run folder, for
    its log) the worker's kernel is started and primed last: it boots while the caller's
    prepare step runs, instead of during the worker's first unit.

    Examples
    --------
    >>> import gc
    >>> warm_up() == os.getpid() and gc.get_freeze_count() > 0
    True
    """
    import nbformat.v4  # noqa: F401
    import papermill  # noqa: F401

    import pmqa_analysis.run._jupyter_client_adapter  # noqa: F401  (jupyter_client, nbclient)

    if extra is not None:
        extra()
    gc.collect()
    gc.freeze()
    if kernel_dir is not None:  # this thread's kernel (the units' thread), booted and primed
        prime_kernel(warm_kernel(kernel_dir, DEFAULT_KERNEL_REUSE), DEFAULT_KERNEL_REUSE)
    return os.getpid()


class Workers:
    """Worker processes started ahead of a batch, warming up while the caller goes on.

    :func:`pmqa_analysis.run.batch.run_report` starts them before its prepare step, which
    runs on one core, so the pool's start (the forkserver, each worker's imports) and
    :func:`warm_up` (with ``warm``, a module-level function) happen on the others;
    :func:`run_local` then uses them when it runs that many workers, and starts its own
    otherwise.  Usable as a context manager; :meth:`close` stops processes nobody used.

    Examples
    --------
    >>> with Workers(2) as workers:
    ...     len(workers.warming)
    2
    """

    def __init__(
        self, n: int, *, warm: Callable[[], object] | None = None,
        run_dir: str | os.PathLike[str] | None = None,
    ) -> None:  # fmt: skip
        self.n = n
        self.executor: ProcessPoolExecutor | None = process_pool(n, _modules([warm]))
        kernel_dir = None if run_dir is None else os.fspath(run_dir)
        # one task per worker: each starts a process (they are spawned as tasks wait)
        self.warming = [self.executor.submit(warm_up, warm, kernel_dir) for _ in range(n)]

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


def run_local(
    jobs: Sequence[UnitJob], workers: int, bar: Any, pool_kind: str, started: Workers | None
) -> list[dict[str, Any]]:
    """Run the jobs here (``workers`` 1) or on ``workers`` processes or threads.

    ``started`` workers are used when there are as many, else stopped; ``bar`` (tqdm)
    advances once a unit; records come back in completion order.
    """
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
        hooks = _modules(f for job in jobs for f in (job.export, job.pre_render))
        executor = warm or process_pool(n, hooks)
    with executor as pool:
        futures: dict[Future[dict[str, Any]], UnitJob] = {
            pool.submit(run_unit, job): job for job in jobs
        }
        try:
            for fut in as_completed(futures):
                try:
                    records.append(fut.result())
                except Exception as exc:  # a worker process died (BrokenProcessPool)
                    records.append(failed_record(futures[fut], exc))
                bar.update(1)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            if pool_kind == "thread":
                pool.shutdown(wait=True)
                shutdown_kernels(one_off=False)
    return records
