"""Regenerate the README's screenshots (``docs/img/*.png``), one per page kind.

Usage::

    .venv/bin/python docs/make_screenshots.py            # runs the demo into a temporary folder
    .venv/bin/python docs/make_screenshots.py RUN_DIR    # or shoots a finished run folder

Opens the index, a unit report, the province overview and a unit's self-assessment in
headless Chromium (Debian's ``/usr/bin/chromium`` or ``$PMQA_CHROMIUM``, driven by the
Playwright Python package of the dev dependencies), photographs the top of each page and
writes it as a small palette PNG (under 200 KB) to ``docs/img/``.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

IMG = Path(__file__).resolve().parent / "img"
#: file name -> (page in the run folder, height of the shot in CSS pixels)
SHOTS = {
    "index.png": ("index.html", 760),
    "unit_report.png": ("units/U04/report.html", 900),
    "overview.png": ("province/overview.html", 900),
    "self_assessment.png": ("units/U04/self_assessment.html", 760),
}
WIDTH = 1100
#: the PNGs must stay small (README images)
MAX_BYTES = 200_000


def _browser() -> str:
    env = os.environ.get("PMQA_CHROMIUM")
    for exe in (env, "/usr/bin/chromium", shutil.which("chromium")):
        if exe and Path(exe).is_file():
            return exe
    sys.exit("no Chromium found: install Debian's chromium or set PMQA_CHROMIUM")


def _small_png(png: bytes) -> bytes:
    """The screenshot halved in size-on-disk: 2/3 scale, a 64-colour palette."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        im = im.convert("RGB")
        im = im.resize((im.width * 2 // 3, im.height * 2 // 3), Image.Resampling.LANCZOS)
        for colours in (64, 32, 16):
            out = io.BytesIO()
            im.quantize(colours, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
            if out.tell() < MAX_BYTES:
                return out.getvalue()
    raise SystemExit("a screenshot stays over 200 KB even with 16 colours")


def shoot(run_dir: Path, out_dir: Path = IMG) -> list[Path]:
    """Photograph the page kinds of ``run_dir`` into ``out_dir``; returns the files."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_browser(), headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        try:
            for name, (page_path, height) in SHOTS.items():
                page = browser.new_page(viewport={"width": WIDTH, "height": height})
                page.goto((run_dir / page_path).resolve().as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                target = out_dir / name
                target.write_bytes(_small_png(page.screenshot()))
                written.append(target)
                page.close()
        finally:
            browser.close()
    return written


def main(argv: list[str]) -> int:
    if argv:
        run = Path(argv[0])
        for path in shoot(run):
            print(f"{path} ({path.stat().st_size:,} bytes)")
        return 0
    from pmqa_analysis.cli import main as pmqa

    with tempfile.TemporaryDirectory(prefix="pmqa-shots-") as tmp:
        os.environ.setdefault("PMQA_CACHE", str(Path(tmp) / "cache"))
        code = pmqa(["demo", "--out", str(Path(tmp) / "demo"), "--quiet"])
        if code != 0:
            return code
        for path in shoot(Path(tmp) / "demo" / "run"):
            print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
