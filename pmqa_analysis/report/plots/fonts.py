"""The Thai font for every chart: Sarabun, registered with matplotlib.

matplotlib's default font (DejaVu Sans) has no Thai glyphs, so Thai labels come
out as boxes with a "missing from font" warning per glyph.  The OFL *Sarabun*
family (the open counterpart of TH Sarabun, the font of Thai government
documents) ships as TTF files in the PyPI package ``fontpkg-sarabun``.  Importing
:mod:`pmqa_analysis.report.plots` registers it with ``matplotlib.font_manager`` and makes
it the default family, so Thai renders with no set-up in every kernel.

Examples
--------
>>> from matplotlib.font_manager import FontProperties, findfont
>>> use_thai_font()
'Sarabun'
>>> "Sarabun" in findfont(FontProperties(family=THAI_FONT_NAME))
True
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager

__all__ = ["THAI_FONT_NAME", "chart_rc", "thai_font_files", "use_thai_font"]

THAI_FONT_NAME = "Sarabun"
"""Family name of the Thai font the charts use."""

# the faces the charts need (regular text, bold titles, italic notes)
_FACES = ("Regular", "Bold", "Italic", "BoldItalic", "Medium")
_registered: list[str] = []


def thai_font_files() -> list[Path]:
    """The Sarabun TTF files shipped by ``fontpkg-sarabun`` (regular first).

    Returns
    -------
    list of pathlib.Path
        Existing files among Regular, Bold, Italic, BoldItalic and Medium; empty
        when the package is not installed.

    Examples
    --------
    >>> thai_font_files()[0].name
    'Sarabun-Regular.ttf'
    """
    try:
        import fontpkg_sarabun
    except ImportError:
        return []
    folder = Path(fontpkg_sarabun.ROOT) / "files"
    return [p for p in (folder / f"Sarabun-{face}.ttf" for face in _FACES) if p.is_file()]


def _register() -> bool:
    """Add the Sarabun files to matplotlib's font manager once; True when available."""
    if _registered:
        return True
    files = thai_font_files()
    if not files:
        warnings.warn(
            "the Thai font Sarabun was not found (package fontpkg-sarabun missing): Thai "
            "labels will show as boxes. Fix: pip install fontpkg-sarabun",
            UserWarning,
            stacklevel=3,
        )
        return False
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in files:
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
        _registered.append(str(path))
    return True


def chart_rc() -> dict[str, Any]:
    """The rcParams every chart of the kit is drawn with (Sarabun first).

    Returns
    -------
    dict
        Settings for :func:`matplotlib.rc_context`: the font family (Sarabun, then
        the generic sans-serif family as a fallback for symbols), TrueType fonts
        embedded in PDF/PS and text kept as text in SVG, and a quiet report style.

    Examples
    --------
    >>> chart_rc()["font.family"]
    ['Sarabun', 'sans-serif']
    """
    _register()
    return {
        "font.family": [THAI_FONT_NAME, "sans-serif"],
        "font.size": 9.0,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "axes.titlesize": 10.0,
        "axes.labelsize": 9.0,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "0.35",
        "axes.linewidth": 0.8,
        "xtick.color": "0.25",
        "ytick.color": "0.25",
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8.5,
        "legend.frameon": False,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "hatch.linewidth": 0.6,
    }


def use_thai_font() -> str:
    """Register Sarabun and make it matplotlib's default family (idempotent).

    Called when :mod:`pmqa_analysis.report.plots` is imported, so a notebook's own
    charts render Thai too. Also sets ``pdf.fonttype``/``ps.fonttype`` to 42
    (TrueType embedded) and ``svg.fonttype`` to ``"none"`` so text stays text.

    Returns
    -------
    str
        The family name, :data:`THAI_FONT_NAME`.

    Examples
    --------
    >>> use_thai_font() == use_thai_font() == THAI_FONT_NAME
    True
    >>> import matplotlib
    >>> matplotlib.rcParams["font.family"][0], matplotlib.rcParams["pdf.fonttype"]
    ('Sarabun', 42)
    """
    if _register():
        family = list(matplotlib.rcParams["font.family"])
        if not family or family[0] != THAI_FONT_NAME:
            matplotlib.rcParams["font.family"] = [
                THAI_FONT_NAME,
                *(f for f in family if f != THAI_FONT_NAME),
            ]
    matplotlib.rcParams["pdf.fonttype"] = 42
    matplotlib.rcParams["ps.fonttype"] = 42
    # the brief asks for "42"; SVG's equivalent (text kept as text) is "none"
    matplotlib.rcParams["svg.fonttype"] = "none"
    return THAI_FONT_NAME
