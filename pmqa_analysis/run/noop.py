"""The no-op re-run: stop at once when nothing a run depends on has changed.

A scheduled ``pmqa report`` mostly finds nothing to do.  Before any heavy import (pandas,
SciPy, PyThaiNLP, matplotlib, nbconvert, papermill) and before the prepare step,
:func:`noop_key` fingerprints what the run depends on: every workspace file's bytes (the
settings among them), the code (:func:`~pmqa_analysis.run.manifest.code_fingerprint`: the
package's files and the versions of the libraries that draw the report), the notebook's
bytes and the options that change outputs (units, formats, PDF browser present).
:func:`check_noop` then accepts the run folder's last run as current when

- its ``manifest.json`` holds the same key, and that run ended with no failure;
- every unit it recorded is still complete there, with the same fingerprint (its
  ``status.json``), and so is the province overview;
- the prepared data (``data/``, ``results/``, ``assessment/``) and ``index.html`` are as
  that run left them (same files, sizes and modification times).

Anything else (a changed byte, ``--force``, a failed or killed run, a deleted report) means
the full run, which itself skips the units whose fingerprint is unchanged.

Examples
--------
>>> import tempfile
>>> ws = Path(tempfile.mkdtemp())
>>> _ = (ws / "settings.toml").write_text("province = 'x'")
>>> key = noop_key(ws, units=None, formats=("html",), notebook=None)
>>> len(key), check_noop(Path(tempfile.mkdtemp()), key) is None
(64, True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pmqa_analysis.run.manifest import (
    code_fingerprint,
    combine_hashes,
    hash_files,
    read_status,
    sha256_file,
)

__all__ = ["PREPARED", "check_noop", "find_noop", "noop_key", "prepared_stamp"]

#: the run folder's parts a no-op re-run requires unchanged (stat only: sizes and times)
PREPARED = ("data", "results", "assessment", "index.html")
_MANIFEST = "manifest.json"
_PROVINCE_KEY = "__province__"


def noop_key(
    workspace_dir: str | Path,
    *,
    units: Iterable[str] | None,
    formats: Sequence[str],
    notebook: str | Path | None,
) -> str:
    """One hash of what a run depends on, computed without loading the workspace.

    Parameters
    ----------
    workspace_dir : path
        The workspace folder (every non-hidden file's bytes are hashed).
    units : iterable of str or None
        The units asked for (None: all).
    formats : sequence of str
        The output formats (with "pdf": whether a Chromium is found).
    notebook : path or None
        The unit notebook (None: the package's, covered by the code fingerprint).
    """
    from pmqa_analysis.report.export import find_chromium

    nb = "" if notebook is None else sha256_file(Path(notebook).resolve())
    chosen = None if units is None else [str(u) for u in units]
    pdf = "pdf" in formats and find_chromium() is not None
    return combine_hashes(
        hash_files(Path(workspace_dir)), code_fingerprint(), nb, chosen, list(formats), pdf
    )


def prepared_stamp(run_dir: Path) -> dict[str, list[int]]:
    """Size and modification time of every file of :data:`PREPARED` in a run folder."""
    out: dict[str, list[int]] = {}
    for name in PREPARED:
        root = run_dir / name
        paths = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in paths:
            if path.is_file():
                st = path.stat()
                out[path.relative_to(run_dir).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def _read_manifest(run_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((run_dir / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_noop(run_dir: Path, key: str) -> dict[str, Any] | None:
    """The last run's manifest when it is current for ``key`` (see the module), else None."""
    manifest = _read_manifest(run_dir)
    if manifest is None or manifest.get("noop_key") != key or manifest.get("exit_code") != 0:
        return None
    records = manifest.get("units")
    if not isinstance(records, list) or not records:
        return None
    for record in records:
        if not isinstance(record, dict) or record.get("status") not in ("ok", "skipped"):
            return None
        if record.get("unit_code") == _PROVINCE_KEY:
            stamp = run_dir / "province" / ".fingerprint"
            try:
                if stamp.read_text() != record.get("fingerprint"):
                    return None
            except OSError:
                return None
            continue
        status = read_status(run_dir / "units" / str(record.get("slug", "")))
        if status is None or status.get("status") != "ok":
            return None
        if status.get("fingerprint") != record.get("fingerprint"):
            return None
    if manifest.get("prepared") != prepared_stamp(run_dir):
        return None
    return manifest


def find_noop(out_dir: str | Path | None, key: str) -> tuple[Path, dict[str, Any]] | None:
    """The run folder whose last run is current for ``key``, with its manifest, or None.

    With no ``out_dir`` the run folder is ``reports/<run-id>`` under the current
    directory: the folder there whose manifest holds ``key`` (the run id follows from the
    same inputs).
    """
    if out_dir is not None:
        folder = Path(out_dir).resolve()
        manifest = check_noop(folder, key)
        return None if manifest is None else (folder, manifest)
    reports = Path.cwd() / "reports"
    if not reports.is_dir():
        return None
    for path in sorted(reports.glob(f"*/{_MANIFEST}")):
        manifest = check_noop(path.parent, key)
        if manifest is not None:
            return path.parent, manifest
    return None
