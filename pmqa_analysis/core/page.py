"""A whole HTML page as every output of the kit writes it: charset, language, embedded font.

Every page a committee opens (``index.html``, a unit's ``report.html``, the province
overview, ``self_assessment.html``) is a whole document (``<!DOCTYPE html>``, ``<meta
charset="utf-8">``, ``<html lang>``) that carries the Sarabun font as a base64
``@font-face``: a machine without Thai fonts still draws the Thai text.  The page shell
lives here, below every room that writes a page (the assessment writes
``self_assessment.html``, the report the other pages), and
:mod:`pmqa_analysis.report.export` re-exports it.

:func:`font_css` also carries the few rules the kit's pages share: text columns of tables,
the headline block of a report, status colours (met / partly / not met / no data, a
failed unit) and the print layout (each unit of the booklet on a new page).

Examples
--------
>>> page = html_page("ทดสอบ", "<p>สวัสดี</p>")
>>> page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
True
>>> "@font-face { font-family: Sarabun" in page
True
"""

from __future__ import annotations

import base64
import functools
import html
from pathlib import Path

__all__ = ["STATUS_COLOURS", "font_css", "html_page", "reasons_html", "status_chip"]

#: status -> (background, text colour): the scorecard's four statuses and the run's states
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "met": ("#d8efd3", "#1e5c1a"),
    "partly": ("#fbe8b5", "#6b4a00"),
    "not_met": ("#f7d0cd", "#8a1c13"),
    "no_data": ("#e8e8e8", "#444444"),
    "failed": ("#f7d0cd", "#8a1c13"),
}


@functools.cache
def _font_bytes(style: str = "Regular") -> bytes:
    try:
        import fontpkg_sarabun
    except ImportError:  # pragma: no cover - a declared dependency
        return b""
    path = Path(fontpkg_sarabun.ROOT) / "files" / f"Sarabun-{style}.ttf"
    return path.read_bytes() if path.is_file() else b""


def _status_rules() -> str:
    return "".join(
        f".pmqa-status-{key} {{ background: {bg}; color: {fg}; }}\n"
        for key, (bg, fg) in STATUS_COLOURS.items()
    )


@functools.cache
def font_css() -> str:
    """A ``<style>`` block embedding Sarabun (base64 TTF) and the kit's shared page rules.

    Examples
    --------
    >>> css = font_css()
    >>> "font-family: Sarabun" in css and "base64," in css
    True
    >>> ".pmqa-status-not_met" in css
    True
    """
    faces = "".join(
        "@font-face { font-family: Sarabun; font-style: normal; "
        f"font-weight: {weight}; src: url(data:font/ttf;base64,"
        f"{base64.b64encode(_font_bytes(style)).decode('ascii')}) format('truetype'); }}\n"
        for weight, style in ((400, "Regular"), (700, "Bold"))
    )
    return (
        f"<style>\n{faces}"
        ":root { --jp-content-font-family: Sarabun, sans-serif; "
        "--jp-ui-font-family: Sarabun, sans-serif; "
        "--jp-code-font-family: Sarabun, sans-serif; }\n"
        "body, .jp-RenderedHTMLCommon, .jp-RenderedText pre, table, pre, code, kbd, samp "
        "{ font-family: Sarabun, sans-serif; }\n"
        ".pmqa-table td.pmqa-text, .pmqa-table th.pmqa-text { text-align: left; }\n"
        ".pmqa-table td.pmqa-short { white-space: nowrap; }\n"
        ".pmqa-byline { color: #444; font-size: 1.05em; margin-top: 0; }\n"
        ".pmqa-headline { border: 1px solid #b9c6d6; border-left: 6px solid #2f5d8a; "
        "background: #f4f7fb; padding: 0.6em 1.2em; margin: 1em 0 1.5em 0; max-width: 60em; }\n"
        ".pmqa-headline h2 { margin-top: 0.3em; }\n"
        ".pmqa-headline ul { margin: 0.3em 0; padding-left: 1.3em; }\n"
        ".pmqa-headline li { margin: 0.35em 0; font-size: 1.08em; line-height: 1.55; }\n"
        ".pmqa-reasons { margin: 0; padding-left: 1.1em; }\n"
        ".pmqa-reasons li { margin: 0.15em 0; }\n"
        ".pmqa-status { display: inline-block; padding: 0.05em 0.6em; border-radius: 0.8em; "
        "white-space: nowrap; font-weight: bold; }\n"
        f"{_status_rules()}"
        "@media print { .pmqa-break { break-before: page; } "
        "body { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }\n"
        "</style>\n"
    )


_PAGE_RULES = (
    "body { margin: 1.5em 2em; line-height: 1.5; color: #1a1a1a; }\n"
    "table { border-collapse: collapse; margin: 0.5em 0 1em 0; }\n"
    "th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }\n"
    "th { background: #eef2f7; }\n"
    "td.num { text-align: right; white-space: nowrap; }\n"
    ".failed { color: #8a1c13; font-weight: bold; }\n"
)


def html_page(title: str, body_html: str, *, lang: str = "th", css: str = "") -> str:
    """A whole self-contained page (charset, language, Sarabun); ``body_html`` must be escaped.

    Parameters
    ----------
    title : str
        The page title (escaped here).
    body_html : str
        The page's body, already escaped HTML.
    lang : {"th", "en"}
        ``<html lang>``.
    css : str, optional
        More CSS rules for this page.

    Examples
    --------
    >>> page = html_page("<Index>", "<p>ok</p>", lang="en")
    >>> "<title>&lt;Index&gt;</title>" in page and '<html lang="en">' in page
    True
    """
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang, quote=True)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title, quote=True)}</title>\n{font_css()}"
        f"<style>\n{_PAGE_RULES}{css}</style>\n</head>\n<body>\n"
        f"{body_html}\n</body>\n</html>\n"
    )


def reasons_html(text: object) -> str:
    """A scorecard reason ("checklist ...; indicator ...; ...") as an escaped list, one per part.

    The scorecard joins its reasons with ``"; "``; a committee reads them as a list.

    Examples
    --------
    >>> print(reasons_html("แบบตรวจ CS6: ครบ; ตัวชี้วัด <K1> ต่ำกว่าเป้าหมาย"))
    <ul class="pmqa-reasons"><li>แบบตรวจ CS6: ครบ</li><li>ตัวชี้วัด &lt;K1&gt; ต่ำกว่าเป้าหมาย</li></ul>
    >>> reasons_html(None)
    ''
    """
    parts = [p.strip() for p in ("" if text is None else str(text)).split("; ")]
    parts = [p for p in parts if p and p.lower() != "nan"]
    if not parts:
        return ""
    items = "".join(f"<li>{html.escape(p, quote=True)}</li>" for p in parts)
    return f'<ul class="pmqa-reasons">{items}</ul>'


def status_chip(status: str, label: str) -> str:
    """A status as a coloured label (the colour never alone: the words are in it).

    Examples
    --------
    >>> status_chip("not_met", "ไม่ผ่าน")
    '<span class="pmqa-status pmqa-status-not_met">ไม่ผ่าน</span>'
    """
    key = status if status in STATUS_COLOURS else "no_data"
    return f'<span class="pmqa-status pmqa-status-{key}">{html.escape(label, quote=True)}</span>'
