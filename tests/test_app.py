"""`pmqa app`: the no-code page in a real browser (Debian's Chromium through Playwright).

The server is the one `pmqa app HOME` starts (Voilà on a free port, token from
``$PMQA_APP_TOKEN``). Two walks through the four steps, as an analyst clicks them, each
step's screenshot kept in the test's temporary folder:

- the sample workspace: open, validate (filter the problems, download them), run two of
  three units, re-run (both skipped), open a unit report;
- a Google-Forms-shaped export (Thai headers, "ประทับเวลา", Likert labels), in English:
  open, correct one mapping (a column's role) and a unit's code and English name, save
  (the export untouched), validate, run two units, open a unit report.

Plus, without a browser: the steps the buttons call (corrections, stop).
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from app_support import google_forms_csv

from pmqa_analysis.app import steps
from pmqa_analysis.run.manifest import code_fingerprint

TOKEN = "pmqa-app-test"
THAI = re.compile(r"[\u0E00-\u0E7F]")
RUN_TIMEOUT_MS = 240_000


def code_now() -> str:
    """The package's code fingerprint now (not the per-process cached one)."""
    return str(code_fingerprint.__wrapped__())  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, home: Path, port: int, log: Path) -> None:
        self.home, self.port, self.log = home, port, log
        self.url = f"http://127.0.0.1:{port}/?token={TOKEN}"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pmqa_analysis.workspace.sample import make_sample_workspace

    root = tmp_path_factory.mktemp("app") / "office"
    make_sample_workspace(root / "sample-workspace", n_units=3, reach_sample_size=False)
    google_forms_csv(root / "แบบสำรวจความพึงพอใจ.csv")
    return root


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[Server]:
    port = _free_port()
    log = home.parent / "app-server.log"
    env = {**os.environ, "PMQA_APP_TOKEN": TOKEN, "PMQA_CACHE": str(home.parent / "cache")}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pmqa_analysis.cli", "app", str(home), "--port", str(port),
             "--no-browser"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    srv = Server(home, port, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/", timeout=5)
            break
        except urllib.error.HTTPError:
            break  # the server answers
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("pmqa app did not start:\n" + log.read_text())
            time.sleep(0.3)
    try:
        yield srv
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_check import chromium_session

    yield from chromium_session()


class Walk:
    """One browser page on the app, with a screenshot per step."""

    def __init__(self, browser: Any, server: Server, shots: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 2000})
        self.outside: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.shots, self.n = shots, 0
        self.page.goto(server.url)
        self.page.wait_for_selector(".pmqa-app .pmqa-open", timeout=90_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def shot(self, name: str, page: Any = None) -> Path:
        self.n += 1
        path = self.shots / f"{self.n:02d}-{name}.png"
        (page or self.page).screenshot(path=str(path), full_page=True)
        return path

    def text(self, selector: str) -> str:
        return str(self.page.locator(selector).first.inner_text())

    def wait_text(self, selector: str, pattern: str, timeout: float = 60_000) -> str:
        self.page.wait_for_function(
            "([sel, pat]) => { const e = document.querySelector(sel);"
            " return e && new RegExp(pat).test(e.innerText); }",
            arg=[selector, pattern], timeout=timeout,
        )  # fmt: skip
        return self.text(selector)

    def open(self, path: Path) -> None:
        box = self.page.locator(".pmqa-source input")
        box.fill(str(path))
        box.press("Enter")
        self.page.locator("button.pmqa-open").click()

    def run_units(self, keep: list[str]) -> str:
        self.page.wait_for_selector(".pmqa-unit input")
        for box in self.page.locator(".pmqa-unit").all():
            code = box.inner_text().split()[0]
            checkbox = box.locator("input")
            if (code in keep) != checkbox.is_checked():
                checkbox.click()
        self.page.wait_for_selector("button.pmqa-run:not([disabled])")
        before = self.text(".pmqa-run-msg")
        self.page.locator("button.pmqa-run").click()
        self.page.wait_for_function(
            "old => document.querySelector('.pmqa-run-msg').innerText !== old", arg=before
        )
        self.page.wait_for_selector(".pmqa-unit-progress", timeout=30_000)
        return self.wait_text(".pmqa-run-msg", "(done|เสร็จแล้ว|refused|ไม่ทำงาน)", RUN_TIMEOUT_MS)

    def open_output(self, data_path: str) -> Any:
        link = self.page.locator(f"a.pmqa-output[data-path='{data_path}']")
        with self.context.expect_page(timeout=30_000) as popup:
            link.click()
        report = popup.value
        report.wait_for_load_state("load")
        return report

    def close(self) -> None:
        self.context.close()


def test_sample_workspace_validate_run_two_units_open_a_report(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    walk = Walk(browser, server, tmp_path)
    try:
        assert "PMQA" in walk.text(".pmqa-app")
        walk.shot("start")
        ws = server.home / "sample-workspace"
        walk.open(ws)
        summary = walk.wait_text(".pmqa-summary", "คำเตือน")
        assert "ข้อผิดพลาด 0 รายการ" in summary, summary
        walk.shot("validated")
        # the problems table: every problem of `pmqa validate`, filterable
        expected = steps.validate(ws, "th")
        rows = walk.page.locator(".pmqa-problems tr")
        assert rows.count() == len(expected) + 1
        walk.page.locator(".pmqa-search input").fill("U02")
        walk.page.locator(".pmqa-search input").press("Enter")
        n_u02 = int(expected.astype(str).agg(" ".join, axis=1).str.contains("U02").sum())
        walk.page.wait_for_function(
            f"document.querySelectorAll('.pmqa-problems tr').length === {n_u02 + 1}"
        )
        walk.shot("problems-filtered")
        with walk.page.expect_download() as download:
            walk.page.locator("a.pmqa-download-csv").click()
        saved = tmp_path / "problems.csv"
        download.value.save_as(saved)
        downloaded = pd.read_csv(saved, encoding="utf-8-sig")
        assert len(downloaded) == len(expected)
        assert list(downloaded.columns) == list(expected.columns)
        # run two of the three units
        code = code_now()
        message = walk.run_units(["U01", "U02"])
        walk.shot("ran-two-units")
        assert "เสร็จ 2" in message, (message, walk.text(".pmqa-progress"))
        run_dir = server.home / "reports" / "sample-workspace"
        assert (run_dir / "units" / "U01" / "report.html").is_file()
        assert not (run_dir / "units" / "U03").exists()
        # a re-run skips what is unchanged
        message = walk.run_units(["U01", "U02"])
        if code_now() == code:  # (the package's own files are part of "unchanged")
            assert "(ข้าม) 2" in message and "เสร็จ" not in message.split(":", 1)[1], message
        else:  # pragma: no cover - the package was edited during the test
            assert "เสร็จ 2" in message, message
        walk.shot("re-run-skipped")
        # open the outputs: the index and a unit report
        outputs = walk.text(".pmqa-outputs")
        assert "หน้ารวม" in outputs and "U01" in outputs and "U03" not in outputs, outputs
        report = walk.open_output("units/U02/report.html")
        body = report.locator("body").inner_text()
        assert len(THAI.findall(body)) > 50 and "U02" in body
        walk.shot("unit-report", report)
        assert not walk.outside, f"the app fetched from outside this computer: {walk.outside}"
        assert not walk.errors, walk.errors
    finally:
        walk.close()


def test_form_export_correct_validate_run_open_in_english(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    export = server.home / "แบบสำรวจความพึงพอใจ.csv"
    before = hashlib.sha256(export.read_bytes()).hexdigest()
    walk = Walk(browser, server, tmp_path)
    try:
        walk.page.get_by_text("English", exact=True).click()
        walk.wait_text(".pmqa-app", "Choose the data")
        walk.open(export)
        walk.page.wait_for_selector(".pmqa-mapping-row", timeout=60_000)
        assert "form export" in walk.text(".pmqa-source-msg")
        walk.shot("export-drafted")
        # correct one mapping: the sex question is not to be used; a unit's code and name
        row = walk.page.locator(".pmqa-mapping-row", has_text="เพศ")
        assert row.locator(".pmqa-role select").input_value() == "sex"
        row.locator(".pmqa-role select").select_option(label="not used")
        first = walk.page.locator(".pmqa-unit-code input").first
        assert first.input_value() == "U01"
        first.fill("MUEANG")
        walk.page.locator(".pmqa-unit-en input").first.fill("Mueang District Office")
        walk.page.locator(".pmqa-unit-en input").first.press("Tab")
        walk.shot("mapping-corrected")
        walk.page.locator("button.pmqa-save").click()
        walk.wait_text(".pmqa-save-msg", "saved|cannot|ไม่")
        assert "saved" in walk.text(".pmqa-save-msg"), walk.text(".pmqa-save-msg")
        target = server.home / export.stem
        settings = tomllib.loads((target / "settings.toml").read_text(encoding="utf-8"))
        assert "sex" not in settings["columns"]["responses"]
        assert settings["columns"]["responses"]["unit_code"] == "หน่วยงานที่ท่านมารับบริการ"
        units = pd.read_csv(target / "units.csv", encoding="utf-8-sig")
        assert units.loc[0, "unit_code"] == "MUEANG"
        assert units.loc[0, "unit_name_en"] == "Mueang District Office"
        assert hashlib.sha256(export.read_bytes()).hexdigest() == before, "export changed"
        assert (target / export.name).read_bytes() == export.read_bytes()
        # validated at once, in English
        summary = walk.wait_text(".pmqa-summary", "error")
        assert summary.startswith("0 error(s)"), summary
        walk.shot("export-validated")
        message = walk.run_units(["MUEANG", "U02"])
        walk.shot("export-ran-two-units")
        assert "done 2" in message, (message, walk.text(".pmqa-progress"))
        report = walk.open_output("units/MUEANG/report.html")
        body = report.locator("body").inner_text()
        assert "MUEANG" in body
        walk.shot("export-unit-report", report)
        assert not walk.outside, walk.outside
        assert not walk.errors, walk.errors
    finally:
        walk.close()


# ----------------------------------------------------------------------- without a browser


def test_corrections_move_a_role_and_rebuild_its_reference_table(tmp_path: Path) -> None:
    export = google_forms_csv(tmp_path / "export.csv")
    draft = steps.draft_export(export)
    # the group question made the channel question: a channels table from its answers
    fixed = steps.correct_draft(
        draft, roles={"ท่านเป็น": "channel_code"}, scales={"Q05": "th5_satisfaction"}
    )
    assert "group_code" not in fixed.column_map
    assert fixed.column_map["channel_code"] == "ท่านเป็น"
    assert list(fixed.channels["channel_name_th"]) == ["ประชาชนทั่วไป", "ผู้ประกอบการ",
                                                       "หน่วยงานภาครัฐ"]  # fmt: skip
    assert fixed.questionnaire.set_index("item_code").loc["Q05", "scale"] == "th5_satisfaction"
    assert draft.questionnaire.set_index("item_code").loc["Q05", "scale"] == "th5"  # untouched
    # an item dropped, a comment made an item
    fixed = steps.correct_draft(draft, roles={ITEM_1: "unused"})
    assert ITEM_1 not in set(fixed.questionnaire["column_header"])
    with pytest.raises(steps.InputError):
        steps.correct_draft(draft, roles={"เพศ": "no such role"})


ITEM_1 = "1.1 ความสะดวกของขั้นตอนการให้บริการ"


def test_a_broken_workspace_cannot_run_and_stop_interrupts_a_run(tmp_path: Path) -> None:
    import shutil

    from pmqa_analysis.workspace.sample import make_sample_workspace

    source = make_sample_workspace(tmp_path / "ws", n_units=3, reach_sample_size=False)
    shutil.copytree(source, tmp_path / "broken")
    units = tmp_path / "broken" / "units.csv"
    lines = units.read_text(encoding="utf-8-sig").splitlines()
    units.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8-sig")  # U01 twice
    problems = steps.validate(tmp_path / "broken", "en")
    assert (problems["severity"] == "error").any() and "units.csv" in set(problems["file"])
    run = steps.ReportRun(tmp_path / "broken", tmp_path / "out-broken", ["U01"]).start()
    assert run.proc is not None and run.proc.wait(120) == 2  # the command's own refusal
    assert "U01" not in {p.name for p in (tmp_path / "out-broken").glob("units/*")}
    # a run stopped at once: exit 130 (Ctrl-C), no unit left half-written
    run = steps.ReportRun(source, tmp_path / "out", ["U01", "U02", "U03"]).start()
    time.sleep(3)
    run.stop()
    assert run.exit_code in (130, -signal.SIGINT, 1, 0)
    states = run.poll()
    assert set(states) == {"U01", "U02", "U03"}
    leftovers = list((tmp_path / "out").glob("units/.*.tmp-*"))
    assert not leftovers, leftovers


class _ScriptedRun(steps.ReportRun):
    """A ReportRun whose child writes what ``pmqa report`` writes, without the notebooks."""

    script = ""

    def command(self) -> list[str]:
        return [sys.executable, "-c", self.script]


def test_progress_shows_a_failed_unit_with_its_reason(tmp_path: Path) -> None:
    out = tmp_path / "run"
    script = f"""
import json, pathlib, time
out = pathlib.Path({str(out)!r})
(out / "units" / ".U02.tmp-1").mkdir(parents=True)
time.sleep(1.5)
(out / "units" / "U01").mkdir()
(out / "units" / "U01" / "status.json").write_text(json.dumps(
    {{"unit_code": "U01", "status": "ok", "duration_s": 3.0}}))
time.sleep(1.0)
err = "KeyError: 'Q05' (cell 7)"
(out / "manifest.json").write_text(json.dumps({{"units": [
    {{"unit_code": "U01", "status": "ok", "duration_s": 3.0}},
    {{"unit_code": "U02", "status": "failed", "error": err, "duration_s": 1.0}}]}}))
raise SystemExit(1)
"""
    run = _ScriptedRun(tmp_path / "ws", out, ["U01", "U02", "U03"])
    run.script = script
    run.start()
    seen: set[tuple[str, str]] = set()
    while run.running:
        seen |= {(c, s.status) for c, s in run.poll().items()}
        time.sleep(0.1)
    states = run.poll()
    assert ("U02", "running") in seen and ("U03", "waiting") in seen
    assert states["U01"].status == "ok" and states["U01"].duration_s == 3.0
    assert states["U02"].status == "failed" and "KeyError" in states["U02"].error
    assert run.exit_code == 1


def test_pmqa_app_on_a_missing_folder_says_so_without_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pmqa_analysis.cli", "app", str(tmp_path / "nowhere"),
         "--no-browser"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "nowhere" in proc.stderr and "not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_served_notebook_holds_no_logic_and_no_outputs() -> None:
    import json

    from pmqa_analysis.app.server import APP_NOTEBOOK, TEMPLATES

    cells = json.loads(APP_NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(code) == 1 and not code[0]["outputs"]
    lines = [ln for ln in "".join(code[0]["source"]).splitlines() if ln and ln[0] != "#"]
    assert lines == ["from pmqa_analysis.app.ui import App", "App.from_environment().show()"]
    page = (TEMPLATES / "voila" / "templates" / "pmqa" / "index.html.j2").read_text()
    assert "http" not in page  # the page's template fetches nothing from outside
