"""The theme lexicon of the open comments: the built-in ``data/themes.toml`` and a user's.

Each theme maps Thai keywords to a questionnaire dimension (PROCESS, STAFF, FACILITIES,
INFORMATION, QUALITY) and the PMQA code it is evidence for (waiting time -> CS4,
complaint handling -> CS3, channels -> CS2, ...). :func:`load_themes` reads and checks
the files, reporting every problem with the file, the theme and the field; keywords are
kept in the :func:`normalise` form that :mod:`pmqa_analysis.cs.comments` matches them in.

Examples
--------
>>> normalise("ที่จอด รถ, ไม่พอ!")
'ที่จอดรถไม่พอ'
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from pmqa_analysis.core.data_files import package_toml
from pmqa_analysis.core.errors import CatalogueError
from pmqa_analysis.core.labels import THEME_DIMENSIONS

__all__ = ["DIMENSIONS", "DROP_CHARS", "load_themes", "normalise"]

#: Dimension codes a theme may carry: the lexicon's own fixed set, which need not match
#: a questionnaire's ``dimension_code`` (those are each workspace's choice).
#: Their report wording is :data:`pmqa_analysis.core.labels.THEME_DIMENSIONS`.
DIMENSIONS = tuple(THEME_DIMENSIONS)
_POLARITIES = ("positive", "negative", "neutral")
_THEME_COLUMNS = [
    "code",
    "th",
    "en",
    "dimension",
    "cs_code",
    "polarity",
    "keywords",
    "exclude",
    "source",
]
#: Everything but Latin letters, digits and Thai letters/marks/digits (ๆ and ฯ dropped).
DROP_CHARS = re.compile(r"[^0-9a-z\u0e01-\u0e2e\u0e30-\u0e45\u0e47-\u0e4e\u0e50-\u0e59]+")
_CS_CODE = re.compile(r"^CS[1-7][A-Z]?$")


def _read_toml(path: Path | str, label: str) -> dict[str, Any]:
    try:
        if isinstance(path, Path) or not str(path).startswith("<"):
            with open(path, "rb") as fh:
                return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise CatalogueError(
            f"theme file {label}: not found; expected a TOML file with [[themes]] entries. "
            "Check the path passed to load_themes(extra=...)."
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(
            f"theme file {label}: not valid TOML ({exc}); fix the syntax (see "
            "pmqa_analysis/data/themes.toml for the format)."
        ) from exc
    raise CatalogueError(f"theme file {label}: cannot be read")  # pragma: no cover


def _validate(data: dict[str, Any], label: str) -> pd.DataFrame:
    entries = data.get("themes")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(
            f"theme file {label}: no [[themes]] entries found; expected at least one "
            "[[themes]] table with code, th, en, dimension, cs_code, polarity, keywords."
        )
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        where = f"theme file {label}, theme {code or f'#{i}'}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a table, found {type(entry).__name__}")
            continue
        for fld in ("code", "th", "en", "dimension", "cs_code"):
            if not str(entry.get(fld, "")).strip():
                problems.append(f"{where}, field {fld}: missing or empty; expected text")
        if code and code in seen:
            problems.append(f"{where}, field code: duplicate code {code!r}; codes must be unique")
        seen.add(code)
        dim = str(entry.get("dimension", "")).strip().upper()
        if dim and dim not in DIMENSIONS:
            problems.append(
                f"{where}, field dimension: unknown dimension {entry.get('dimension')!r}; "
                f"expected one of {list(DIMENSIONS)}"
            )
        cs = str(entry.get("cs_code", "")).strip().upper()
        if cs and not _CS_CODE.match(cs):
            problems.append(
                f"{where}, field cs_code: {entry.get('cs_code')!r} is not a CS code; "
                "expected CS1-CS7 (optionally with a letter, e.g. CS2A)"
            )
        pol = str(entry.get("polarity", "neutral")).strip().lower()
        if pol not in _POLARITIES:
            problems.append(
                f"{where}, field polarity: {entry.get('polarity')!r}; expected one of "
                f"{list(_POLARITIES)}"
            )
        words = _phrases(entry.get("keywords"))
        if not words:
            problems.append(
                f"{where}, field keywords: empty; expected a list of Thai words or phrases"
            )
        rows.append(
            {
                "code": code,
                "th": str(entry.get("th", "")).strip(),
                "en": str(entry.get("en", "")).strip(),
                "dimension": dim,
                "cs_code": cs,
                "polarity": pol,
                "keywords": words,
                "exclude": _phrases(entry.get("exclude")),
                "source": label,
            }
        )
    if problems:
        raise CatalogueError("invalid theme lexicon:\n" + "\n".join(problems))
    return pd.DataFrame(rows, columns=_THEME_COLUMNS)


def _phrases(value: Any) -> tuple[str, ...]:
    if value is None or isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list):
        return ()
    out = (normalise(str(v)) for v in value if v is not None)
    return tuple(dict.fromkeys(p for p in out if p))


@lru_cache(maxsize=1)
def _builtin() -> pd.DataFrame:
    data = package_toml("themes.toml")
    return _validate(data, "themes.toml (built-in)")


def load_themes(extra: str | Path | None = None) -> pd.DataFrame:
    """The theme lexicon: the built-in themes, merged with a user's TOML file.

    Parameters
    ----------
    extra : str or Path, optional
        A TOML file in the format of ``pmqa_analysis/data/themes.toml``. Its themes are
        added; one whose code already exists replaces the built-in theme.

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``code``, ``th``, ``en``, ``dimension``, ``cs_code``,
        ``polarity``, ``keywords`` and ``exclude`` (tuples of normalised phrases: lower
        case, no spaces or punctuation), ``source`` (the file it came from).

    Raises
    ------
    pmqa_analysis.core.errors.CatalogueError
        Naming the file, the theme and the field: unreadable file, duplicate codes in one
        file, empty keyword list, unknown dimension, bad CS code or polarity.

    Examples
    --------
    >>> themes = load_themes()
    >>> themes.set_index("code").loc["waiting", ["dimension", "cs_code"]].tolist()
    ['PROCESS', 'CS4']
    >>> sorted(themes["dimension"].unique())
    ['FACILITIES', 'INFORMATION', 'PROCESS', 'QUALITY', 'STAFF']
    """
    base = _builtin().copy()
    if extra is None:
        return base
    path = Path(extra)
    user = _validate(_read_toml(path, str(path)), str(path))
    merged = pd.concat([base[~base["code"].isin(user["code"])], user], ignore_index=True)
    return merged


def normalise(text: str) -> str:
    """Lower case, NFC, spaces/punctuation/ๆ removed: the form keywords are matched in.

    Parameters
    ----------
    text : str
        Any text (a keyword of the lexicon, a comment).

    Returns
    -------
    str
        The text with everything but Latin letters, digits and Thai letters, marks and
        digits removed (:data:`DROP_CHARS`).

    Examples
    --------
    >>> normalise("Call  Centre 1111 ๆ")
    'callcentre1111'
    """
    return DROP_CHARS.sub("", unicodedata.normalize("NFC", text).lower())
