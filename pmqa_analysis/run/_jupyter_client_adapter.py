"""The report kernels' client: jupyter_client's, connecting without its fixed wait.

The one place that relies on how jupyter_client's kernel clients and nbclient's notebook
client work together, beyond calling them (public names only, no private attribute):

- :class:`ReadyClient` is jupyter_client's ``AsyncKernelClient`` whose ``wait_for_ready``
  is :func:`await_ready`: the same checks without the fixed 0.2 s wait for IOPub silence
  at the end (measured here: 0.205 s a connection with jupyter_client's, 0.004 s with
  this one; nbclient connects once per notebook, so once per unit).  nbclient calls it in
  ``NotebookClient.async_start_new_kernel_client``, right after ``km.client()``.
- :class:`ReportKernelManager` is jupyter_client's ``KernelManager`` remembering the
  clients its ``client()`` made, so that :meth:`~ReportKernelManager.close_clients` stops
  their channels after a notebook: nbclient leaves them open when the kernel manager is the
  caller's (papermill's ``km=``), and a warm kernel serves many notebooks.

Written against jupyter_client 8.10, nbclient 0.11 and papermill 2.7; :data:`TESTED` gives
the versions where :class:`ReadyClient` uses :func:`await_ready`.  With another version
installed it falls back to jupyter_client's own ``wait_for_ready`` (the public path: the
same result, 0.2 s slower a unit) and ``tests/test_adapters_run.py`` fails, asking for
this module to be checked against the new version.

Examples
--------
>>> sorted(TESTED)
['jupyter_client', 'nbclient']
"""

from __future__ import annotations

import functools
import re
import time
from queue import Empty
from typing import Any

import jupyter_client
import nbclient
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import KernelManager
from jupyter_core.utils import ensure_async

__all__ = [
    "TESTED",
    "ReadyClient",
    "ReportKernelManager",
    "await_ready",
    "installed",
    "supported",
]

#: library -> (lowest tested version, first untested version)
TESTED: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "jupyter_client": ((8, 0), (9, 0)),
    "nbclient": ((0, 10), (0, 12)),
}
_READY_CLIENT = f"{__name__}.ReadyClient"


def installed() -> dict[str, tuple[int, int]]:
    """The installed (major, minor) of each library in :data:`TESTED`.

    Examples
    --------
    >>> sorted(installed()) == sorted(TESTED)
    True
    """
    found = {}
    for module in (jupyter_client, nbclient):
        parts = re.findall(r"\d+", str(module.__version__))[:2]
        found[module.__name__] = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
    return found


@functools.cache
def supported() -> bool:
    """Whether the installed versions are the tested ones (then the quick wait is used)."""
    versions = installed()
    return all(low <= versions[name] < high for name, (low, high) in TESTED.items())


async def await_ready(kc: Any, timeout: float | None) -> None:
    """Wait until the kernel answers on shell and its IOPub reaches this client.

    What ``wait_for_ready`` checks, without its fixed 0.2 s wait for IOPub silence at
    the end: a ``kernel_info`` request is answered on shell, and the kernel's ``idle``
    status for that request arrives on IOPub, which proves the subscription is live before
    a cell runs.  Older IOPub messages that may still arrive belong to other requests;
    nbclient only reads the ones of its cells.
    """
    deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
    sent: set[str] = set()
    while True:
        sent.add(kc.kernel_info())
        try:
            reply = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except Empty:
            reply = None
        if reply is not None and reply["parent_header"].get("msg_id") in sent:
            _adapt_protocol(kc, reply)
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


def _adapt_protocol(kc: Any, reply: dict[str, Any]) -> None:
    """What jupyter_client does with a kernel_info reply: speak the kernel's protocol."""
    major = int(reply["content"]["protocol_version"].split(".")[0])
    if major != jupyter_client.protocol_version_info[0]:
        kc.session.adapt_version = major


class ReadyClient(AsyncKernelClient):  # type: ignore[misc]
    """jupyter_client's asynchronous client, ready without a fixed wait (:func:`await_ready`)."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """:func:`await_ready`; jupyter_client's own wait outside the :data:`TESTED` versions."""
        if supported():
            await await_ready(self, timeout)
        else:
            await super().wait_for_ready(timeout=timeout)


class ReportKernelManager(KernelManager):  # type: ignore[misc]
    """A kernel manager whose clients are :class:`ReadyClient` and can all be closed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("client_class", _READY_CLIENT)
        super().__init__(**kwargs)
        #: the clients :meth:`client` made and :meth:`close_clients` has not closed yet
        self.open_clients: list[Any] = []

    def client(self, **kwargs: Any) -> Any:
        """A client of this kernel (nbclient makes one per notebook), remembered."""
        kc = super().client(**kwargs)
        self.open_clients.append(kc)
        return kc

    def close_clients(self) -> None:
        """Stop the channels of every client made since the last call (idempotent)."""
        while self.open_clients:
            self.open_clients.pop().stop_channels()
