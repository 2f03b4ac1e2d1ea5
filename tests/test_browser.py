"""The sample batch's reports, checked as a person would, in headless Chromium.

Opens index.html, the province overview and two unit reports of the session's sample
batch (``e2e_support.sample_batch``) in Debian's Chromium driven by Playwright (the Python
package only: its own browser download is never used), and checks that Thai text is drawn
with the embedded Sarabun font (in the text and in the charts' SVG text), every image and
chart is drawn, every link of the index leads to a file of the run folder, nothing is
fetched from the network, a comment's ``<script>`` is shown as text (no dialog pops up),
and saves a full-page screenshot of each page under the test's temporary folder.

Skipped only when no Chromium binary exists (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import e2e_support as support
import pandas as pd
import pytest
from browser_check import chromium_session, ink_fraction, inspect_page, link_target

THAI = re.compile(r"[\u0E00-\u0E7F]")
#: name -> page inside the run folder
PAGES = {
    "index": "index.html",
    "province": "province/overview.html",
    "unit_U01": f"units/{support.EVIL_UNIT}/report.html",
    "unit_U02": "units/U02/report.html",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> support.Batch:
    return support.sample_batch_ok(tmp_path_factory.getbasetemp())


@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_as_a_person_would(
    name: str, browser: Any, batch: support.Batch, tmp_path: Path
) -> None:
    page = batch.run_dir / PAGES[name]
    facts = inspect_page(browser, page, tmp_path / f"{name}.png")

    # offline, quiet, no live script
    assert not facts.blocked, f"the page fetched from the network: {facts.blocked}"
    assert not facts.dialogs, f"a dialog popped up (a script ran): {facts.dialogs}"
    assert not facts.errors, facts.errors

    # Thai text, drawn in the embedded Sarabun
    assert len(THAI.findall(facts.text)) > 20, facts.text[:500]
    assert facts.fonts_check, "document.fonts.check('16px Sarabun', 'ทดสอบ') is false"
    assert "loaded" in facts.sarabun_faces, (
        f"no loaded Sarabun @font-face (statuses {facts.sarabun_faces}); "
        "document.fonts.check alone is also true for a font nobody declared"
    )
    assert "Sarabun" in facts.body_font, facts.body_font
    assert facts.thai_fonts and all("Sarabun" in f for f in facts.thai_fonts), facts.thai_fonts
    drawn = {f["familyName"]: f for f in facts.rendered_fonts}
    assert "Sarabun" in drawn, f"Thai text {facts.probe!r} was drawn with {list(drawn)}"
    assert drawn["Sarabun"]["isCustomFont"], "Sarabun came from the system, not the page"
    assert drawn["Sarabun"]["glyphCount"] > 0

    # every image loaded (a report has none of its own: its charts are inline SVG)
    broken = [i for i in facts.images if not (i["complete"] and i["width"] > 0)]
    assert not broken, f"images not loaded: {broken}"
    # every chart is drawn at a real size, its text kept as text and drawn in Sarabun
    charts = {"index": 0, "province": 1}.get(name, 3)
    assert len(facts.charts) >= charts, f"{name}: {len(facts.charts)} charts, expected {charts}+"
    flat = [c for c in facts.charts if not (c["width"] > 200 and c["height"] > 50)]
    assert not flat, f"charts drawn without a size (viewBox lost?): {flat}"
    assert all(c["texts"] > 5 and c["viewBox"] > 0 for c in facts.charts), facts.charts
    if charts:
        assert facts.chart_probe, "no chart has Thai text"
        in_chart = {f["familyName"]: f for f in facts.chart_fonts}
        assert "Sarabun" in in_chart and in_chart["Sarabun"]["isCustomFont"], (
            f"the chart's Thai {facts.chart_probe!r} was drawn with {list(in_chart)}"
        )

    # the screenshot shows a page, not a blank one
    assert facts.screenshot.stat().st_size > 10_000
    assert ink_fraction(facts.screenshot) > 0.005

    # a unit report names its unit; a comment's <script> is shown, as text
    if name.startswith("unit_"):
        code = name.removeprefix("unit_")
        units = pd.read_csv(batch.workspace / "units.csv", dtype=str, encoding="utf-8-sig")
        unit_name = str(units.set_index("unit_code").loc[code, "unit_name_th"])
        assert code in facts.text and unit_name in facts.text, f"{code} {unit_name} not shown"
    if name == f"unit_{support.EVIL_UNIT}":
        assert support.EVIL in facts.text, "the comment with a script tag is not shown as text"
        assert "alert(" not in facts.scripts

    # no link leaves the run folder for the web
    web = [x["raw"] for x in facts.links if re.match(r"^(https?:)?//", x["raw"] or "")]
    assert not web, f"reports are offline, yet they link to {web}"


def test_every_link_from_the_index_resolves(browser: Any, batch: support.Batch, tmp_path: Path):
    facts = inspect_page(browser, batch.run_dir / "index.html", tmp_path / "index.png")
    assert len(facts.links) >= 1 + 2 * len(batch.units)  # overview + html and xlsx per unit
    for link in facts.links:
        assert not re.match(r"^(https?:)?//", link["raw"]), link
        target = link_target(link["url"])
        assert target is not None, f"{link['raw']} is not a local file link"
        assert target.is_file(), f"{link['raw']} -> {target} does not exist"
        assert batch.run_dir.resolve() in target.resolve().parents, f"{target} is outside"
    targets = {link_target(x["url"]) for x in facts.links}
    for name in ("unit_U01", "unit_U02", "province"):
        assert (batch.run_dir / PAGES[name]).resolve() in targets
