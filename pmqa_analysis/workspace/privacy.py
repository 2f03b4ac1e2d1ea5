"""Personal data (PDPA): mask it in free text, suppress figures from small cells.

Under the Personal Data Protection Act B.E. 2562 (พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล) national
ID numbers, phone numbers, e-mail addresses and names that respondents write into comment
boxes are personal data. :func:`mask_pii` replaces them with a label before anything is
written; when in doubt it masks (any run of 13 digits is masked, checksum or not).

Small cells: a figure computed from fewer than ``min_cell`` respondents can identify them,
so :func:`suppress_small` blanks it and reports "n < 5" instead.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.thai import THAI_DIGITS

__all__ = [
    "IDENTIFIER_COLUMNS",
    "MASKS",
    "PII_PATTERNS",
    "SUPPRESSED_LABEL",
    "find_pii",
    "is_valid_thai_id",
    "mask_pii",
    "mask_text",
    "suppress_small",
    "suppressed_label",
]

_DIGITS = str.maketrans(THAI_DIGITS, "0123456789")
_SEP = r"[-\s.]?"
_THAI_WORD_EXCEPTIONS = (
    # words that start with an honorific but are not one (คุณภาพ = quality, นายก = mayor)
    "ภาพ|ค่า|สมบัติ|ธรรม|ประโยชน์|ลักษณะ|วุฒิ|ูปการ|งามความดี|"
    "ก|อำเภอ|จ้าง|ทะเบียน|หน้า|ช่าง|ทุน|ประกัน|ตรวจ|ท่า|สิบ|ร้อย|พัน|พล|"
    "พยาบาล|งาน|ฟ้า|ไม้"
)

PII_PATTERNS: dict[str, str] = {
    "national_id": r"(?<![\d])\d(?:" + _SEP + r"\d){12}(?![\d])",
    "phone": (
        r"(?<![\d+])(?:(?:\+66|66)"
        + _SEP
        + r"(?:[689](?:"
        + _SEP
        + r"\d){8}|[2-7](?:"
        + _SEP
        + r"\d){7})|0[689](?:"
        + _SEP
        + r"\d){8}|0[2-7](?:"
        + _SEP
        + r"\d){7})(?![\d])"
    ),
    "email": r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
    "name": (
        r"(?P<title>นางสาว|นาย|นาง|น\.ส\.|(?<!ขอบ)คุณ|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)"
        r"(?!(?:" + _THAI_WORD_EXCEPTIONS + r"))(?P<sep>\s?)"
        r"(?P<who>[\u0e01-\u0e4eA-Za-z]+(?:[ \t]+[\u0e01-\u0e4eA-Za-z]+)?)"
        r"|\b(?P<title_en>Mrs|Mr|Ms|Miss|Dr)\b(?P<sep_en>\.?\s*)"
        r"(?P<who_en>[A-Za-z\u0e01-\u0e4e]+(?:[ \t]+[A-Za-z\u0e01-\u0e4e]+)?)"
    ),
}
"""Regular expressions (Python ``re``) of the personal data found, applied to the text
with Thai digits read as Arabic ones, in this order of priority:

``national_id``
    13 digits, optionally separated by single dashes, spaces or dots (1-2345-67890-12-3);
    masked as a national ID when the checksum holds, otherwise as a 13-digit number.
``phone``
    Thai mobiles (10 digits starting 06/08/09) and fixed lines (9 digits starting 02-07),
    with dashes or spaces, or in the +66 / 66 form that drops the leading 0.
``email``
    An e-mail address.
``name``
    A name after a Thai or English honorific (นาย, นาง, นางสาว, น.ส., คุณ, ด.ช., ด.ญ., Mr,
    Mrs, Ms, Miss, Dr): the next word and one following word (the surname) are masked.
    Common words that begin like an honorific (คุณภาพ, นายก, นายอำเภอ ...) and ขอบคุณ are
    not names.
"""

MASKS: dict[str, str] = {
    "national_id": "[เลขประจำตัวประชาชน]",
    "digits13": "[ตัวเลข 13 หลัก]",
    "phone": "[เบอร์โทรศัพท์]",
    "email": "[อีเมล]",
    "name": "[ชื่อ]",
}
"""The label written in place of each kind of personal data."""

_COMBINED = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in PII_PATTERNS.items()))

IDENTIFIER_COLUMNS = ("fiscal_year", "year", "half", "quarter", "round", "level", "score", "order")
"""Numeric columns :func:`suppress_small` treats as labels, not figures (also ``*_code``,
``*_id``)."""


def suppressed_label(min_cell: int = 5) -> str:
    """The text shown in place of a suppressed figure.

    Examples
    --------
    >>> suppressed_label(10)
    'n < 10'
    """
    return f"n < {min_cell}"


SUPPRESSED_LABEL = suppressed_label(5)
"""The label for the default ``min_cell`` of 5."""


def is_valid_thai_id(value: str) -> bool:
    """Whether a Thai national ID number (เลขประจำตัวประชาชน) passes its checksum.

    Parameters
    ----------
    value : str
        13 digits, Arabic or Thai, optionally with dashes or spaces (1-2345-67890-12-1).

    Returns
    -------
    bool

    Notes
    -----
    With digits d1..d13: ``check = (11 - sum(d_i * (14 - i) for i in 1..12) mod 11) mod 10``
    and the ID is valid when ``check == d13`` (weights 13 down to 2; กรมการปกครอง).

    Examples
    --------
    >>> is_valid_thai_id("1-1017-00230-70-8"), is_valid_thai_id("1101700230709")
    (True, False)
    >>> is_valid_thai_id("๑๑๐๑๗๐๐๒๓๐๗๐๘")
    True
    """
    if not isinstance(value, str):
        return False
    digits = re.sub(r"[-\s.]", "", value.translate(_DIGITS))
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:12], range(13, 1, -1), strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def _matches(text: str) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, replacement) for every piece of personal data in ``text``."""
    normal = text.translate(_DIGITS)  # same length: spans map back to the original
    found = []
    for m in _COMBINED.finditer(normal):
        kind = m.lastgroup or ""
        start, end = m.span()
        if kind == "national_id":
            if not is_valid_thai_id(m.group()):
                kind = "digits13"
            found.append((kind, start, end, MASKS[kind]))
        elif kind == "name":
            if m.group("title") is not None:
                repl = text[m.start("title") : m.end("sep")] + MASKS["name"]
            else:
                repl = text[m.start("title_en") : m.end("sep_en")] + MASKS["name"]
            found.append((kind, start, end, repl))
        else:
            found.append((kind, start, end, MASKS[kind]))
    return found


def mask_text(text: str) -> str:
    """Mask national IDs, 13-digit numbers, phones, e-mails and names in one text.

    Non-strings (NaN, None, numbers) are returned unchanged.

    Examples
    --------
    >>> mask_text("นายสมชาย ใจดี โทร 081-234-5678 อีเมล somchai@example.com")
    'นาย[ชื่อ] โทร [เบอร์โทรศัพท์] อีเมล [อีเมล]'
    >>> mask_text("เลขบัตร 1-1017-00230-70-8 มาเมื่อ 15/3/2567 จ่าย 1,500 บาท")
    'เลขบัตร [เลขประจำตัวประชาชน] มาเมื่อ 15/3/2567 จ่าย 1,500 บาท'
    >>> mask_text("คุณภาพการบริการดีมาก")
    'คุณภาพการบริการดีมาก'
    """
    if not isinstance(text, str):
        return text
    found = _matches(text)
    if not found:
        return text
    parts, pos = [], 0
    for _, start, end, repl in found:
        parts.append(text[pos:start])
        parts.append(repl)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def mask_pii(texts: pd.Series) -> pd.Series:
    """Vectorised :func:`mask_text` over a column (each distinct text is masked once).

    Parameters
    ----------
    texts : pandas.Series
        Free text; non-strings and missing values pass through.

    Returns
    -------
    pandas.Series
        A new series with the same index, name and dtype; the input is not modified.

    Examples
    --------
    >>> mask_pii(pd.Series(["โทร ๐๘๑๒๓๔๕๖๗๘", None, "ดีมาก"])).tolist()
    ['โทร [เบอร์โทรศัพท์]', None, 'ดีมาก']
    """
    if len(texts) == 0:
        return texts.copy()
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    masked = np.array([mask_text(u) for u in np.asarray(uniques, dtype=object)], dtype=object)
    values = texts.to_numpy(dtype=object).copy()
    ok = codes >= 0
    values[ok] = masked[codes[ok]]
    return pd.Series(values, index=texts.index, name=texts.name, dtype=texts.dtype)


def find_pii(texts: pd.Series) -> pd.DataFrame:
    """Where personal data occurs, for audits (the data itself is not copied).

    Returns
    -------
    pandas.DataFrame
        Columns ``index`` (the row label), ``kind`` (national_id, digits13, phone, email,
        name), ``start`` and ``end`` (character offsets in the text).

    Examples
    --------
    >>> find_pii(pd.Series(["ติดต่อ a@b.co", "ไม่มี"], index=[10, 11]))
       index   kind  start  end
    0     10  email      7   13
    """
    records: list[dict[str, Any]] = []
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    per_unique = [_matches(u) if isinstance(u, str) else [] for u in uniques]
    for label, code in zip(texts.index, codes, strict=True):
        if code < 0:
            continue
        for kind, start, end, _ in per_unique[code]:
            records.append({"index": label, "kind": kind, "start": start, "end": end})
    return pd.DataFrame(records, columns=["index", "kind", "start", "end"])


def _is_identifier(name: Any) -> bool:
    text = str(name)
    return text in IDENTIFIER_COLUMNS or text.endswith(("_code", "_id"))


def suppress_small(
    table: pd.DataFrame,
    *,
    n_col: str = "n",
    min_cell: int = 5,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Blank every figure based on fewer than ``min_cell`` respondents.

    Parameters
    ----------
    table : pandas.DataFrame
        A results table with one count column.
    n_col : str, default "n"
        The column holding the number of respondents behind each row.
    min_cell : int, default 5
        Rows with ``n < min_cell`` (or a missing n) are suppressed; ``n == min_cell`` is kept.
    columns : list of str, optional
        The figure columns to blank; by default every numeric column except ``n_col``,
        booleans and identifiers (:data:`IDENTIFIER_COLUMNS`, ``*_code``, ``*_id``).

    Returns
    -------
    pandas.DataFrame
        A copy with the figures set to NaN on suppressed rows and a boolean
        ``suppressed`` column; ``n`` itself is kept. The input is not modified.

    Examples
    --------
    >>> t = pd.DataFrame({"unit_code": ["U1", "U2"], "n": [4, 5], "mean": [4.2, 3.9]})
    >>> suppress_small(t)
      unit_code  n  mean  suppressed
    0        U1  4   NaN        True
    1        U2  5   3.9       False
    """
    if n_col not in table.columns:
        raise InputError(
            f"suppress_small: no count column {n_col!r}; columns found: "
            f"{', '.join(map(str, table.columns))}. Pass n_col= with the column holding n"
        )
    if isinstance(min_cell, bool) or not isinstance(min_cell, int | np.integer) or min_cell < 1:
        raise InputError(f"min_cell must be a whole number >= 1, got {min_cell!r}")
    if columns is None:
        figures = [
            c
            for c in table.columns
            if c != n_col
            and c != "suppressed"
            and pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])
            and not _is_identifier(c)
        ]
    else:
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise InputError(
                f"suppress_small: columns not in the table: {', '.join(map(str, missing))}; "
                f"columns found: {', '.join(map(str, table.columns))}"
            )
        figures = list(columns)
    n = pd.to_numeric(table[n_col], errors="coerce")
    small = (n.isna() | (n < min_cell)).to_numpy(dtype=bool)
    out = table.copy()
    for col in figures:
        if small.any():
            values = out[col]
            if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
                values = values.astype("float64")
            elif not pd.api.types.is_numeric_dtype(values):
                values = values.astype(object)
            out[col] = values.mask(small)
    out["suppressed"] = small
    return out
