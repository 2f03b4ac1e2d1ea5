"""Small file helpers every layer uses: safe folder names, hashes, atomic writes.

They sit in ``core`` because the report builders, the scorecard and the run engine all
write files; keeping them here lets each of those import them without importing the run
engine (:mod:`pmqa_analysis.run.manifest` re-exports them for the bookkeeping there).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pmqa_analysis.core.errors import InputError

__all__ = [
    "check_run_dir",
    "pid_alive",
    "sha256_file",
    "unit_slug",
    "write_json_atomic",
    "write_text_atomic",
]

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_MAX_SLUG = 60


def unit_slug(code: object) -> str:
    """A folder name for a unit code: safe on every file system, never a path.

    Characters other than ``[A-Za-z0-9_-]`` become ``-``; when that changed anything (or
    the code is very long), the first 8 hex digits of the code's SHA-256 are appended, so
    two different codes never share a folder.

    Parameters
    ----------
    code : object
        The unit code (converted with ``str``).

    Returns
    -------
    str
        The slug.

    Raises
    ------
    InputError
        When the code is empty, ``.`` or ``..``.

    Examples
    --------
    >>> unit_slug("U-07")
    'U-07'
    >>> unit_slug("สำนักงาน 1")
    '---------1-23082271'
    >>> unit_slug("..")
    Traceback (most recent call last):
    ...
    pmqa_analysis.core.errors.InputError: unit code '..' cannot be used ...
    """
    text = str(code)
    if text.strip() in ("", ".", ".."):
        raise InputError(
            f"unit code {text!r} cannot be used as a report folder; expected a non-empty "
            "code such as 'U01'. Fix the unit_code in units.csv "
            "/ รหัสหน่วยงานว่างหรือไม่ถูกต้อง แก้ไข unit_code ใน units.csv"
        )
    slug = _UNSAFE.sub("-", text)
    if slug != text or len(slug) > _MAX_SLUG:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug[:_MAX_SLUG]}-{digest}"
    return slug


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's bytes.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text to a temporary file beside ``path``, then rename it into place.

    Examples
    --------
    >>> import tempfile
    >>> p = write_text_atomic(Path(tempfile.mkdtemp()) / "x.txt", "สวัสดี")
    >>> p.read_text(encoding="utf-8")
    'สวัสดี'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_json_atomic(path: str | Path, data: Mapping[str, Any]) -> Path:
    """Write ``data`` as indented, key-sorted JSON, atomically.

    Examples
    --------
    >>> import tempfile
    >>> p = write_json_atomic(Path(tempfile.mkdtemp()) / "m.json", {"b": 1, "a": "ก"})
    >>> print(p.read_text(encoding="utf-8"))
    {
      "a": "ก",
      "b": 1
    }
    """
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return write_text_atomic(path, text + "\n")


def check_run_dir(run_dir: str | Path, language: str = "th") -> Path:
    """Check a report notebook's ``run_dir`` and ``language`` parameters (fail fast).

    Raises
    ------
    ValueError
        An unknown language or a folder that is not a prepared run.

    Examples
    --------
    >>> check_run_dir("/nonexistent", "fr")
    Traceback (most recent call last):
    ...
    ValueError: language must be 'th' or 'en', not 'fr'
    """
    if language not in ("th", "en"):
        raise ValueError(f"language must be 'th' or 'en', not {language!r}")
    if not run_dir or not (Path(run_dir) / "results" / "meta.json").exists():
        raise ValueError(
            f"run_dir {str(run_dir)!r} is not a prepared run folder (no results/meta.json); "
            "pass the folder written by `pmqa report`, or leave it empty for the sample"
        )
    return Path(run_dir)


def pid_alive(pid: int) -> bool:
    """Is a process with this pid running (another user's live process counts as running)?

    Used to tell a killed run's leftovers (lock, socket and render folders named by pid)
    from a live run's.

    >>> pid_alive(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's live process
        return True
    return True
