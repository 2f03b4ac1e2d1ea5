"""``pmqa app [DIR]``: Voilà serving the app's notebook, on localhost, with a token.

Voilà runs ``app.ipynb`` (package data: one cell calling :class:`~pmqa_analysis.app.ui.App`;
the code is hidden, only the widgets show) in a kernel per page, and this module adds one
route to it: ``/pmqa/files/<path>`` serves the files under the app's home folder (the run
folders' reports and workbooks, the problems tables to download) behind the same token,
hidden files refused (jupyter_server's ``AuthenticatedFileHandler``).

``DIR`` may be a folder (the home; its workspaces and exports are offered), a workspace
(opened at once; its parent is the home) or a form export (drafted at once; likewise).
Reports go to ``<home>/reports/<workspace name>``.

Examples
--------
>>> import tempfile
>>> home, source = app_home(Path(tempfile.mkdtemp()))
>>> source is None
True
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from pmqa_analysis.core.errors import InputError

__all__ = ["APP_NOTEBOOK", "app_command", "app_home", "run_app"]

APP_NOTEBOOK = Path(__file__).resolve().parent / "app.ipynb"
#: a Jupyter data folder holding the page's Voila template ``pmqa``
TEMPLATES = Path(__file__).resolve().parent / "jupyter"


def app_home(target: str | Path) -> tuple[Path, Path | None]:
    """``(home, source)`` for ``pmqa app TARGET`` (see the module's docstring).

    Raises
    ------
    InputError
        ``TARGET`` does not exist.
    """
    from pmqa_analysis.app.steps import kind_of

    path = Path(target).expanduser().absolute()
    if not path.exists():
        raise InputError(
            f"ไม่พบ {path} ระบุโฟลเดอร์ พื้นที่ทำงาน หรือไฟล์คำตอบที่มีอยู่ / {path} not found: "
            "give an existing folder, workspace or form export"
        )
    kind = kind_of(path)
    if kind == "folder" and path.is_dir():
        return path, None
    if kind == "folder":
        raise InputError(
            f"{path} ไม่ใช่โฟลเดอร์ พื้นที่ทำงาน หรือไฟล์ CSV/XLSX / {path} is not a folder, "
            "a workspace or a CSV/XLSX form export"
        )
    return path.parent, path


def app_command(
    home: Path,
    *,
    port: int = 8866,
    token: str,
    open_browser: bool = False,
) -> list[str]:
    """The command line of the Voilà server (``python -m pmqa_analysis.app.server``)."""
    argv = [sys.executable, "-m", "pmqa_analysis.app.server", str(APP_NOTEBOOK),
            f"--port={port}", "--Voila.ip=127.0.0.1", f"--Voila.token={token}",
            f"--Voila.open_browser={open_browser}", "--VoilaConfiguration.show_tracebacks=False",
            "--VoilaConfiguration.template=pmqa",
            f"--PmqaVoila.home={home}"]  # fmt: skip
    return argv


def _voila_class() -> Any:
    from jupyter_server.base.handlers import AuthenticatedFileHandler
    from traitlets import Unicode
    from voila.app import Voila

    class PmqaVoila(Voila):  # type: ignore[misc]
        """Voilà with the home folder's files behind the token."""

        home = Unicode("", config=True, help="the folder served under /pmqa/files/")

        def init_handlers(self) -> list[Any]:
            handlers = super().init_handlers()
            route = (r"/pmqa/files/(.*)", AuthenticatedFileHandler, {"path": self.home})
            # before Voilà's catch-all route of the single-notebook mode
            return [route, *handlers]

    return PmqaVoila


def run_app(
    target: str | Path = ".",
    *,
    port: int | None = None,
    open_browser: bool = True,
    language: str | None = None,
    token: str | None = None,
) -> int:
    """Start the app on localhost, print its address, serve until Ctrl-C; returns 0."""
    import socket
    import subprocess

    home, source = app_home(target)
    if port is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
    token = token or os.environ.get("PMQA_APP_TOKEN") or secrets.token_urlsafe(16)
    env = {**os.environ, "PMQA_APP_HOME": str(home), "PMQA_APP_SOURCE": str(source or ""),
           "PMQA_APP_LANGUAGE": language or "th",
           # the page's template (app/jupyter/voila/templates/pmqa: no CDN stylesheet)
           "JUPYTER_PATH": os.pathsep.join(p for p in (str(TEMPLATES), os.environ.get(
               "JUPYTER_PATH", "")) if p)}  # fmt: skip
    url = f"http://127.0.0.1:{port}/?token={token}"
    print(
        f"pmqa app: {url}\n"
        f"เปิดที่อยู่นี้ในเบราว์เซอร์ (เฉพาะเครื่องนี้) / open this address in a browser "
        f"(this computer only)\nโฟลเดอร์ / folder: {home}\nหยุดด้วย Ctrl-C / stop with Ctrl-C",
        flush=True,
    )
    argv = app_command(home, port=port, token=token, open_browser=open_browser)
    try:
        return subprocess.call(argv, env=env)
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> None:
    """Entry point of the server process (``python -m pmqa_analysis.app.server``)."""
    _voila_class().launch_instance(argv)


if __name__ == "__main__":  # pragma: no cover
    main()
