"""`pmqa lab`: a real JupyterLab server on the work folder answers, lists the notebooks,
shows a jupytext pair as one notebook and runs a notebook through its kernel API.

The server is the one `pmqa lab DIR --no-browser` starts (on a free port, token from
``$JUPYTER_TOKEN``); the kernel is the named ``pmqa-analysis`` kernelspec; the notebook's
cells go over the kernel's websocket (``/api/kernels/<id>/channels``), as Lab sends them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmqa_analysis.app.lab import KERNEL_NAME
from pmqa_analysis.run.batch import NOTEBOOKS_DIR

TOKEN = "pmqa-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str) -> Any:
        req = urllib.request.Request(self.base + path, headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(req, timeout=20) as resp:
            return json.loads(resp.read())

    def post(self, path: str, body: dict[str, Any]) -> Any:
        req = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=20) as resp:
            return json.loads(resp.read())


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    from pmqa_analysis.workspace.sample import make_sample_workspace

    root = tmp_path_factory.mktemp("lab") / "pmqa-lab"
    # a small sample (the real start copies the bundled one: same files, more rows)
    make_sample_workspace(root / "sample-workspace", n_units=3, reach_sample_size=False)
    port = free_port()
    env = {**os.environ, "JUPYTER_TOKEN": TOKEN, "PMQA_CACHE": str(root.parent / "cache")}
    log = (root.parent / "lab.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pmqa_analysis.cli", "lab", str(root), "--no-browser",
         "--port", str(port), "--no-warm"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )  # fmt: skip
    server = Lab(root, port)
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                server.get("/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "JupyterLab did not start:\n" + (root.parent / "lab.log").read_text()
                    )
                time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_lab_answers_and_lists_the_notebooks_pairs(lab: Lab) -> None:
    page = urllib.request.urlopen(f"{lab.base}/lab?token={TOKEN}", timeout=20).read().decode()
    assert "JupyterLab" in page
    listing = lab.get("/api/contents/notebooks")
    names = {c["name"] for c in listing["content"]}
    for stem in ("unit_assessment", "province_overview", "explore_survey"):
        assert {f"{stem}.ipynb", f"{stem}.py"} <= names, names
    # the package's own notebooks are untouched package data
    assert not (NOTEBOOKS_DIR / ".ipynb_checkpoints").exists()
    spec = lab.get("/api/kernelspecs")
    assert KERNEL_NAME in spec["kernelspecs"], spec["kernelspecs"].keys()
    assert spec["default"] == KERNEL_NAME
    settings = lab.get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # overrides.json of the work folder's settings: the schema's default is changed
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers["python"] == "Jupytext Notebook", viewers


def test_a_py_and_its_ipynb_open_as_the_same_notebook(lab: Lab) -> None:
    """jupytext's contents manager: the percent script is served as a notebook."""
    as_py = lab.get("/api/contents/notebooks/explore_survey.py?type=notebook&content=1")
    as_ipynb = lab.get("/api/contents/notebooks/explore_survey.ipynb?content=1")
    assert as_py["type"] == "notebook"
    cells_py = [(c["cell_type"], c["source"]) for c in as_py["content"]["cells"]]
    cells_nb = [(c["cell_type"], c["source"]) for c in as_ipynb["content"]["cells"]]
    assert len(cells_py) > 3
    assert cells_py == cells_nb
    assert as_py["content"]["metadata"]["kernelspec"]["name"] == KERNEL_NAME


async def _execute(lab: Lab, kernel_id: str, sources: list[str]) -> list[dict[str, Any]]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel_id}/channels"
    req = HTTPRequest(url, headers={"Authorization": f"token {TOKEN}"})
    conn = await websocket_connect(req)
    session = uuid.uuid4().hex
    results = []
    for source in sources:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                  "username": "test", "version": "5.3", "date": ""}  # fmt: skip
        content = {"code": source, "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}  # fmt: skip
        await conn.write_message(json.dumps({
            "header": header, "parent_header": {}, "metadata": {}, "content": content,
            "channel": "shell", "buffers": [],
        }))  # fmt: skip
        outputs: list[dict[str, Any]] = []
        reply: dict[str, Any] = {}
        idle = False
        while not (reply and idle):
            raw = await asyncio.wait_for(conn.read_message(), timeout=90)
            assert raw is not None, "the kernel websocket closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "execute_reply":
                reply = msg["content"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(msg)
        results.append({"reply": reply, "outputs": outputs})
        if reply["status"] != "ok":
            break
    conn.close()
    return results


def test_a_notebook_runs_through_the_kernel_api(lab: Lab) -> None:
    """explore_survey, cell by cell, on the lab folder's sample workspace (as a parameter)."""
    t0 = time.perf_counter()
    nb = lab.get("/api/contents/notebooks/explore_survey.ipynb?content=1")["content"]
    sources = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = cell["source"]
        if "parameters" in cell["metadata"].get("tags", []):
            assert re.search(r"^workspace\s*:", src, flags=re.M), src
            src += f"\nworkspace = {str(lab.root / 'sample-workspace')!r}\nunit_code = 'U02'"
        sources.append(src)
    kernel = lab.post("/api/kernels", {"name": KERNEL_NAME})
    assert kernel["name"] == KERNEL_NAME
    results = asyncio.run(_execute(lab, kernel["id"], sources))
    failed = [r for r in results if r["reply"]["status"] != "ok"]
    assert not failed, [o["content"] for r in failed for o in r["outputs"]]
    assert len(results) == len(sources)
    shown = [o for r in results for o in r["outputs"]]
    images = [o for o in shown if "image/png" in o["content"].get("data", {})
              or "image/svg+xml" in o["content"].get("data", {})]  # fmt: skip
    tables = [o for o in shown if "text/html" in o["content"].get("data", {})]
    assert tables, "no table was shown"
    text = json.dumps([o["content"] for o in shown], ensure_ascii=False)
    assert "U02" in text
    # the kernel really ran in this venv, with the package importable
    assert images or tables
    assert time.perf_counter() - t0 < 60
