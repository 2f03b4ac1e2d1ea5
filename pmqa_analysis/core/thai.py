"""Thai data conventions: digits, month names, encodings and the time zone.

The conventions the rest of the kit builds on (see ``DOMAIN.md``); reading dates is
:mod:`pmqa_analysis.core.thai_dates`, the BE and fiscal calendar
:mod:`pmqa_analysis.core.thai_calendar`.

* Thai digits ``๐``-``๙`` (U+0E50-U+0E59) are read as ``0``-``9`` everywhere.
* Thai month names and abbreviations, January first.
* Legacy Thai encoding names (``windows-874``, ``TIS-620``) mean ``cp874``.
* Thai local time is Asia/Bangkok (UTC+7, no daylight saving).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = [
    "BANGKOK",
    "THAI_DIGITS",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "normalize_digits",
    "normalize_encoding_name",
    "to_arabic_digits",
]

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
"""The Thai digits ๐-๙ in order (U+0E50-U+0E59)."""

_DIGIT_TABLE = str.maketrans(THAI_DIGITS, "0123456789")

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
"""Full Thai month names, January first."""

THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
"""Standard Thai month abbreviations, January first."""

_ENCODING_ALIASES = {
    "windows874": "cp874",
    "xwindows874": "cp874",
    "ms874": "cp874",
    "cp874": "cp874",
    "tis620": "cp874",
    "tis6200": "cp874",
    "iso885911": "cp874",
    "thai": "cp874",
}

BANGKOK = "Asia/Bangkok"
"""The time zone of Thai local time (UTC+7, no daylight saving)."""


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits ``๐``-``๙`` with ``0``-``9``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The same text with Arabic digits.

    Examples
    --------
    >>> to_arabic_digits("๑๕/๓/๒๕๖๗")
    '15/3/2567'
    """
    return text.translate(_DIGIT_TABLE)


def normalize_digits(s: pd.Series) -> pd.Series:
    """Vectorised :func:`to_arabic_digits`: strings are converted, other values pass through.

    Parameters
    ----------
    s : pandas.Series
        Any series; only its string values change.

    Returns
    -------
    pandas.Series
        A new series (the input is not modified), same index and name.

    Examples
    --------
    >>> normalize_digits(pd.Series(["๔", "5", None, 3])).tolist()
    ['4', '5', None, 3]
    """
    if len(s) == 0 or not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
        return s.copy()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    conv = np.array(
        [to_arabic_digits(u) if isinstance(u, str) else u for u in uniques], dtype=object
    )
    out = np.empty(len(s), dtype=object)
    ok = codes >= 0
    out[ok] = conv[codes[ok]]
    out[~ok] = s.to_numpy(dtype=object)[~ok]
    return pd.Series(out, index=s.index, name=s.name, dtype=s.dtype)


def normalize_encoding_name(name: str) -> str:
    """Map an encoding name to one Python knows, Thai legacy names to ``cp874``.

    Python does not know ``windows-874`` or ``ms874``; TIS-620 is a subset of cp874, so
    cp874 reads both. Other names are returned lower-cased and otherwise unchanged.

    Parameters
    ----------
    name : str
        An encoding name as written by a user or a tool.

    Returns
    -------
    str
        The normalised name.

    Examples
    --------
    >>> normalize_encoding_name("Windows-874"), normalize_encoding_name("TIS-620")
    ('cp874', 'cp874')
    >>> normalize_encoding_name("UTF-8-SIG")
    'utf-8-sig'
    """
    cleaned = name.strip().lower()
    key = re.sub(r"[-_\s]", "", cleaned)
    return _ENCODING_ALIASES.get(key, cleaned)
