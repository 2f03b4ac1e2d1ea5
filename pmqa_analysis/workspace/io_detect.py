"""What a file is, from its bytes: its format, its text encoding, its delimiter.

The name of a file does not always say what it holds: an Excel workbook saved as
``.csv``, a PDF or a web page under a ``.csv`` or ``.xls`` name, a password-protected
workbook. :func:`sniff_format` looks at the first bytes (the "magic numbers") so that the
reader can read the content as what it is, or say exactly what the file is.

Text files are decoded in the order UTF-8 with BOM, UTF-8, cp874 (Windows Thai, a superset
of TIS-620) -- never latin-1, which would turn Thai into mojibake without an error -- and
the whole file must decode, not just its first kilobytes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

__all__ = [
    "ENCODINGS_TRIED",
    "csv_records",
    "decode_error_message",
    "detect_encoding",
    "is_encrypted_workbook",
    "sniff_delimiter",
    "sniff_format",
    "zip_members",
]

ENCODINGS_TRIED = ("utf-8-sig", "utf-8", "cp874")
"""Text encodings tried, in order, when none is given."""

_DELIMITERS = (",", ";", "\t", "|")
_SAVE_AS_HINT = (
    "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)', "
    "or pass encoding= with the file's real encoding"
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")


def detect_encoding(data: bytes) -> str:
    """The encoding a text file's bytes decode with: utf-8-sig, utf-8 or cp874.

    The whole content must decode. latin-1 is never guessed (it decodes anything).

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    str
        ``"utf-8-sig"`` (UTF-8 with a byte order mark), ``"utf-8"`` or ``"cp874"``.

    Raises
    ------
    UnicodeDecodeError
        When none of them decodes the whole content (raised for the UTF-8 attempt, whose
        position is the most useful to a user).

    Examples
    --------
    >>> detect_encoding("ชื่อ".encode("utf-8"))
    'utf-8'
    >>> detect_encoding(b"\\xef\\xbb\\xbfa,b")
    'utf-8-sig'
    >>> detect_encoding("ชื่อ".encode("cp874"))
    'cp874'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        check_utf8(data[3:])
        return "utf-8-sig"
    try:
        check_utf8(data)
        return "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            data.decode("cp874")
        except UnicodeDecodeError:
            raise utf8_error from None
        return "cp874"


def check_utf8(data: bytes) -> None:
    """Validate UTF-8 in C++ (Arrow); on failure find the position with Python's codec."""
    if data.isascii():  # one fast pass; ASCII is valid UTF-8
        return
    try:
        pa.array([data], pa.binary()).cast(pa.string())
    except pa.ArrowInvalid:
        data.decode("utf-8")  # raises with the exact position
        raise UnicodeDecodeError("utf-8", data, 0, 1, "invalid UTF-8") from None


def decode_error_message(data: bytes, err: UnicodeDecodeError) -> str:
    """Where the first undecodable byte is (line, byte, offset) and how to fix the file."""
    pos = err.start
    line = data.count(b"\n", 0, pos) + 1
    col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    bad = data[pos : pos + 1].hex()
    return (
        f"cannot decode the text: tried {', '.join(ENCODINGS_TRIED)}; none reads the whole "
        f"file. The first invalid byte (0x{bad}) is at line {line}, byte {col} "
        f"(offset {pos}). {_SAVE_AS_HINT}"
    )


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter among , ; tab | whose count per line is the most consistent.

    Lines without the delimiter (a title above the header) do not count against it.

    Examples
    --------
    >>> sniff_delimiter("แบบสำรวจ ปี 2567\\n\\na;b;c\\n1;2;3\\n")
    ';'
    >>> sniff_delimiter('a;b\\n"1,5";2\\n')
    ';'
    """
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    lines = [re.sub(r'"[^"]*"', "", ln) for ln in lines]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts = [c for c in (ln.count(delim) for ln in lines) if c]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


@contextlib.contextmanager
def _no_field_limit() -> Iterator[None]:
    """Let the csv module read a cell of any size (its default limit is 128 KiB)."""
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def csv_records(text: str, delim: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """Records of a CSV text with the line each starts on (1-based); blank lines give ``[]``.

    A cell may be of any size. Reading stops after ``limit`` records, or where the text
    stops parsing (e.g. a quoted cell cut at the end of a file's first block).

    Examples
    --------
    >>> csv_records('a,b\\n\\n1,"x\\ny"\\n2,z\\n', ",")
    [(1, ['a', 'b']), (2, []), (3, ['1', 'x\\ny']), (5, ['2', 'z'])]
    """
    out: list[tuple[int, list[str]]] = []
    with _no_field_limit():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        while limit is None or len(out) < limit:
            start = reader.line_num + 1
            try:
                rec = next(reader)
            except (StopIteration, csv.Error):
                break
            out.append((start, rec))
    return out


def sniff_format(head: bytes) -> str:
    """What a file's first bytes say it is.

    Returns
    -------
    str
        ``"zip"`` (XLSX, ODS or another ZIP archive), ``"ole2"`` (an old .xls, or a
        password-protected workbook), ``"pdf"``, ``"html"``, ``"parquet"``, ``"sav"``,
        ``"empty"`` or ``"text"``.

    Examples
    --------
    >>> sniff_format(b"PK\\x03\\x04..."), sniff_format(b"%PDF-1.7"), sniff_format(b"a,b\\n")
    ('zip', 'pdf', 'text')
    >>> sniff_format(b"\\xef\\xbb\\xbf <!DOCTYPE html><html>"), sniff_format(b" \\r\\n")
    ('html', 'empty')
    """
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith((b"$FL2", b"$FL3")):
        return "sav"
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        return "empty"
    if start[:16].lower().startswith(_HTML_STARTS):
        return "html"
    return "text"


def zip_members(path: Path) -> tuple[str, list[str]]:
    """A ZIP file's kind (``"xlsx"``, ``"ods"``, ``"zip"``; ``"bad"``) and its member names.

    ``"bad"`` is a damaged archive (e.g. a workbook cut short by an interrupted copy).
    The archive is only listed, never extracted.
    """
    try:
        with path.open("rb") as fh, zipfile.ZipFile(fh) as archive:
            names = archive.namelist()
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                return "ods", names
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
        return "bad", []
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx", names
    return "zip", names


#: the stream name an encrypted (password-protected) Office file holds, in UTF-16LE
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def is_encrypted_workbook(path: Path) -> bool:
    """True for an OLE2 file holding an ``EncryptedPackage``: a password-protected workbook.

    Excel saves a workbook with a password to open as an OLE2 container (the format of an
    old .xls) whose directory names that stream; the file is scanned, never changed.
    """
    with path.open("rb") as fh:
        return _ENCRYPTED_PACKAGE in fh.read()
