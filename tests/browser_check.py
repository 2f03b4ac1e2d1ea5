"""Look at a report page in headless Chromium the way a reader would.

Driven with Playwright's Python package against Debian's own ``/usr/bin/chromium``
(``executable_path``): Playwright's browser download (``playwright install``) is never
used. :func:`inspect_page` loads one page with every non-file request blocked and
recorded (the reports must work offline), then measures what a person would notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

#: Thai text used for the font check (``document.fonts.check``)
THAI_SAMPLE = "ทดสอบ"

_PAGE_FACTS = """(sample) => {
  const thai = /[\\u0E00-\\u0E7F]/;
  const body = document.body;
  const textNodes = [...document.querySelectorAll('h1, h2, p, td, th, li, a')]
    .filter(e => thai.test(e.textContent || ''));
  const own = e => [...e.childNodes].some(n => n.nodeType === 3 && thai.test(n.data));
  const probe = [...document.querySelectorAll('body *')].find(own);
  if (probe) probe.setAttribute('data-thai-probe', '');
  const chartText = [...document.querySelectorAll('svg[role=img] text')]
    .find(e => thai.test(e.textContent || ''));
  if (chartText) chartText.setAttribute('data-chart-probe', '');
  return {
    probe: probe ? probe.tagName + ': ' + probe.textContent.slice(0, 60) : null,
    fontsCheck: document.fonts.check('16px Sarabun', sample),
    sarabunFaces: [...document.fonts]
      .filter(f => f.family.replace(/["']/g, '') === 'Sarabun')
      .map(f => f.status),
    bodyFont: getComputedStyle(body).fontFamily,
    thaiFonts: textNodes.slice(0, 50).map(e => getComputedStyle(e).fontFamily),
    images: [...document.images].map(i => ({
      src: (i.currentSrc || i.src).slice(0, 80), complete: i.complete,
      width: i.naturalWidth,
    })),
    charts: [...document.querySelectorAll('svg[role=img]')].map(c => {
      const box = c.getBoundingClientRect();
      return {label: c.getAttribute('aria-label'), width: box.width, height: box.height,
              texts: c.querySelectorAll('text').length,
              viewBox: c.viewBox.baseVal ? c.viewBox.baseVal.width : 0};
    }),
    chartProbe: chartText ? chartText.textContent.slice(0, 60) : null,
    links: [...document.querySelectorAll('a[href]')]
      .map(a => ({raw: a.getAttribute('href'), url: a.href})),
    text: body.innerText,
    scripts: [...document.scripts].map(s => s.textContent || '').join('\\n'),
  };
}"""


@dataclass
class PageFacts:
    """What the reader's browser saw on one page."""

    url: str
    fonts_check: bool
    sarabun_faces: list[str]
    body_font: str
    thai_fonts: list[str]
    probe: str | None
    rendered_fonts: list[dict[str, Any]]
    images: list[dict[str, Any]]
    charts: list[dict[str, Any]]
    chart_probe: str | None
    chart_fonts: list[dict[str, Any]]
    links: list[dict[str, str]]
    text: str
    scripts: str
    screenshot: Path
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def launch(playwright: Any, executable: str) -> Any:
    """Headless Chromium from ``executable`` with the offline, root-friendly flags."""
    from e2e_support import CHROMIUM_ARGS

    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
    )


def chromium_session() -> Iterator[Any]:
    """A headless Chromium for a module's tests (a fixture's body: ``yield from`` it).

    Skips with the reason when this machine has no Chromium binary; a missing playwright
    package (a dev dependency) is a broken set-up, so it fails instead.
    """
    import pytest
    from e2e_support import find_browser

    executable = find_browser()
    if executable is None:
        pytest.skip(
            "no Chromium binary (chromium, chromium-browser, google-chrome or $PMQA_CHROMIUM): "
            "install Debian's chromium (apt-get install chromium; .ci/run does it on CI)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright Python package is missing: pip install -e '.[dev]'")
    with sync_playwright() as pw:
        chromium = launch(pw, executable)
        try:
            yield chromium
        finally:
            chromium.close()


def _rendered_fonts(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium actually drew the ``selector`` element's own text with (CDP)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            return []
        return list(cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"])
    finally:
        cdp.detach()


def inspect_page(browser: Any, path: Path, screenshot: Path) -> PageFacts:
    """Open ``path`` (a local HTML file), gather :class:`PageFacts`, save a screenshot."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    blocked: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    def on_dialog(d: Any) -> None:
        dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.route("**/*", route)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
        facts = page.evaluate(_PAGE_FACTS, THAI_SAMPLE)
        fonts = _rendered_fonts(page, "[data-thai-probe]")
        chart_fonts = _rendered_fonts(page, "[data-chart-probe]") if facts["chartProbe"] else []
        page.screenshot(path=str(screenshot), full_page=True)
    finally:
        context.close()
    return PageFacts(
        url=path.resolve().as_uri(), fonts_check=bool(facts["fontsCheck"]),
        sarabun_faces=list(facts["sarabunFaces"]), body_font=str(facts["bodyFont"]),
        thai_fonts=list(facts["thaiFonts"]), probe=facts["probe"], rendered_fonts=fonts,
        images=list(facts["images"]), charts=list(facts["charts"]),
        chart_probe=facts["chartProbe"], chart_fonts=chart_fonts,
        links=list(facts["links"]), text=str(facts["text"]),
        scripts=str(facts["scripts"]), screenshot=screenshot, blocked=blocked,
        dialogs=dialogs, errors=errors,
    )  # fmt: skip


def link_target(url: str) -> Path | None:
    """The local file a resolved ``file:`` link points to (None for any other scheme)."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def ink_fraction(png: Path) -> float:
    """Share of the screenshot's pixels that are not (near) white: 0 means a blank page."""
    from PIL import Image

    with Image.open(png) as im:
        grey = im.convert("L")
        hist = grey.histogram()
    total = sum(hist)
    return sum(hist[:240]) / total if total else 0.0
