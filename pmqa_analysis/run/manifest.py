"""The run folder's bookkeeping: safe unit folder names, fingerprints and ``manifest.json``.

A run folder (``reports/<run-id>/``) holds ``data/`` and ``results/`` (written by the
prepare step), one folder per unit under ``units/`` (named by :func:`unit_slug`, never by
the raw unit code), ``index.html`` and ``manifest.json``.  A unit folder is complete only
when its ``status.json`` exists: it is written last, inside a hidden temporary folder that
is then renamed into place.  The fingerprint stored there decides whether a re-run can skip
the unit.

Examples
--------
>>> unit_slug("U01")
'U01'
>>> unit_slug("../../x")
'------x-...'
>>> "/" in unit_slug("a/b") or unit_slug("a/b") == unit_slug("a-b")
False
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pmqa_analysis.core.files import sha256_file, unit_slug, write_json_atomic, write_text_atomic

__all__ = [
    "STATUS_FILE",
    "combine_hashes",
    "hash_files",
    "read_status",
    "sha256_file",
    "slice_hashes",
    "unit_slug",
    "write_json_atomic",
    "write_text_atomic",
]

#: Written last into a unit folder: its presence (and ``status == "ok"``) marks it complete.
STATUS_FILE = "status.json"


def hash_files(folder: str | Path) -> dict[str, str]:
    """SHA-256 of every regular file under ``folder`` (hidden entries skipped).

    Keys are POSIX paths relative to ``folder``, sorted, so the result does not depend on
    directory listing order.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "b.csv").write_text("x"); _ = (d / ".hidden").write_text("y")
    >>> list(hash_files(d))
    ['b.csv']
    """
    root = Path(folder)
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        out[rel.as_posix()] = sha256_file(path)
    return dict(sorted(out.items()))


#: Libraries whose version can change what a report shows (numbers, charts, HTML).
OUTPUT_LIBRARIES = ("numpy", "pandas", "pyarrow", "scipy", "matplotlib", "nbconvert", "papermill")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """One hash of the code that makes a report: the package's files and library versions.

    A re-run redoes every unit after the package changed, also in an editable install
    where the version number stays the same (a researcher's edit to a chart), or after
    an upgrade of a library in :data:`OUTPUT_LIBRARIES`. The app's files (``app/``: the
    screens of ``pmqa app`` and ``pmqa lab``) make no report and are left out, so a change
    to a screen does not redo every unit. Computed once per process.

    Examples
    --------
    >>> len(code_fingerprint())
    64
    """
    from importlib.metadata import PackageNotFoundError, version

    package = Path(__file__).resolve().parents[1]
    files = {
        k: v for k, v in hash_files(package).items()
        if "__pycache__" not in k and not k.startswith("app/")
    }  # fmt: skip
    versions: dict[str, str] = {}
    for name in OUTPUT_LIBRARIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = ""
    return combine_hashes(files, versions)


def combine_hashes(*parts: object) -> str:
    """One SHA-256 over JSON-serialisable parts (dict keys sorted).

    Examples
    --------
    >>> combine_hashes({"b": 1, "a": 2}) == combine_hashes({"a": 2, "b": 1})
    True
    """
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slice_hashes(
    folders: Iterable[str | Path], codes: Iterable[str], unit_column: str = "unit_code"
) -> dict[str, str]:
    """A hash per unit of the prepared data that unit's report can read.

    Every Parquet file with a ``unit_column`` contributes the hash of that unit's rows
    (row order kept); a file or folder whose name contains the unit's slug contributes to
    that unit only; any other file contributes to every unit.

    Parameters
    ----------
    folders : iterable of path
        Folders written by the prepare step (``data/``, ``results/``).
    codes : iterable of str
        Unit codes.
    unit_column : str, default "unit_code"
        The column naming the unit in Parquet files.

    Returns
    -------
    dict
        unit code -> SHA-256 hex digest.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> d = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"unit_code": ["A", "B"], "x": [1, 2]}).to_parquet(d / "r.parquet")
    >>> h1 = slice_hashes([d], ["A", "B"])
    >>> pd.DataFrame({"unit_code": ["A", "B"], "x": [1, 3]}).to_parquet(d / "r.parquet")
    >>> h2 = slice_hashes([d], ["A", "B"])
    >>> h1["A"] == h2["A"], h1["B"] == h2["B"]
    (True, False)
    """
    import pandas as pd
    import pyarrow.parquet as pq

    code_list = [str(c) for c in codes]
    slugs = {c: unit_slug(c) for c in code_list}
    parts: dict[str, list[str]] = {c: [] for c in code_list}
    for folder in folders:
        root = Path(folder)
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if path.suffix == ".parquet" and unit_column in pq.read_schema(path).names:
                frame = pd.read_parquet(path)
                rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
                key = frame[unit_column].astype("string").to_numpy()
                for c in code_list:
                    digest = hashlib.sha256(rows[key == c].tobytes()).hexdigest()
                    parts[c].append(f"{rel}:{digest}")
                continue
            owners = [c for c in code_list if slugs[c] in Path(rel).parts]
            digest = sha256_file(path)
            for c in owners or code_list:
                parts[c].append(f"{rel}:{digest}")
    return {c: combine_hashes(parts[c]) for c in code_list}


def read_status(unit_dir: str | Path) -> dict[str, Any] | None:
    """The ``status.json`` of a unit folder, or None when the folder is not complete.

    Examples
    --------
    >>> import tempfile
    >>> read_status(tempfile.mkdtemp()) is None
    True
    """
    path = Path(unit_dir) / STATUS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
