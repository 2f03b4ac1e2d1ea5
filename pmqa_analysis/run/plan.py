"""The plan of a report run: which units, which run folder, which notebook (writes nothing).

:func:`plan_run` checks the ``--out`` folder (:func:`check_out_dir`), the formats and the
notebook's ``parameters`` cell, validates the workspace (a
:class:`~pmqa_analysis.core.errors.ValidationError` propagates), and fingerprints the run:
the inputs' bytes, the settings, the code (:func:`~pmqa_analysis.run.manifest.code_fingerprint`)
and the notebook.  The workspace is loaded once per process (:func:`load_survey`): the
prepare step and the index reuse it.

Examples
--------
>>> import tempfile
>>> from pmqa_analysis.workspace.sample import make_sample_workspace
>>> ws = make_sample_workspace(Path(tempfile.mkdtemp()) / "ws", n_units=3)
>>> plan = plan_run(ws, Path(tempfile.mkdtemp()) / "run", notebook=demo_notebook())
>>> plan.units, plan.slugs["U01"]
(('U01', 'U02', 'U03'), 'U01')
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.run.manifest import (
    code_fingerprint,
    combine_hashes,
    hash_files,
    sha256_file,
    unit_slug,
)

__all__ = [
    "DEFAULT_NOTEBOOK",
    "FORMATS",
    "KERNEL",
    "NOTEBOOKS_DIR",
    "RunPlan",
    "check_out_dir",
    "demo_notebook",
    "load_survey",
    "plan_run",
]

#: the notebooks ship inside the package (package data), so a non-editable install has them
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
#: The package's unit notebook (written with the statistics; ``--notebook`` overrides it).
DEFAULT_NOTEBOOK = NOTEBOOKS_DIR / "unit_assessment.ipynb"
FORMATS = ("html", "xlsx", "pdf")
REQUIRED_PARAMETERS = ("unit_code", "run_dir")
OPTIONAL_PARAMETERS = ("language",)
KERNEL = "python3"
_CACHE: dict[str, Any] = {}


@dataclass(frozen=True)
class RunPlan:
    """What a run will do; built by :func:`plan_run`, fingerprinted by ``prepare``."""

    workspace_dir: Path
    run_dir: Path
    run_id: str
    notebook: Path
    units: tuple[str, ...]
    slugs: Mapping[str, str]
    titles: Mapping[str, str]
    formats: tuple[str, ...]
    parameters: tuple[str, ...]
    settings: Mapping[str, Any]
    inputs: Mapping[str, str]
    base_fingerprint: str
    force: bool = False
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    #: the no-op key of the run (:func:`pmqa_analysis.run.noop.noop_key`), kept in the manifest
    noop_key: str = ""

    def unit_dir(self, code: str) -> Path:
        """The unit's final folder (inside ``run_dir/units``)."""
        return self.run_dir / "units" / self.slugs[code]


def load_survey(workspace_dir: Path) -> Any:
    """``load_workspace`` with a one-entry cache (plan, prepare and index load the same)."""
    from pmqa_analysis.workspace.loader import load_workspace

    key = combine_hashes(str(workspace_dir), hash_files(workspace_dir))
    if _CACHE.get("key") != key:
        _CACHE.clear()
        _CACHE["survey"] = load_workspace(workspace_dir)
        _CACHE["key"] = key
    return _CACHE["survey"]


def check_out_dir(out_dir: str | Path) -> Path:
    """The ``--out`` folder, absolute, if it can be a run folder; else an InputError.

    A run folder is a folder (existing or to be made): a path naming a file, or under a
    file, or in a folder this user cannot write to is the user's mistake (exit code 2),
    found before anything is read or written.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "report.html"
    >>> _ = f.write_text("x")
    >>> check_out_dir(f)
    Traceback (most recent call last):
    ...
    pmqa_analysis.core.errors.InputError: --out ...report.html เป็นไฟล์ ไม่ใช่โฟลเดอร์ ...
    >>> check_out_dir(f.parent / "run") == (f.parent / "run").resolve()
    True
    """
    path = Path(out_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise InputError(
            f"--out {path} เป็นไฟล์ ไม่ใช่โฟลเดอร์ ให้ระบุโฟลเดอร์ผลลัพธ์ (ใหม่หรือที่มีอยู่) / "
            f"--out {path} is a file, not a folder; expected a run folder (new or existing). "
            "Choose another --out path; nothing was changed"
        )
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise InputError(
            f"--out {path} อยู่ใต้ไฟล์ {parent} ซึ่งไม่ใช่โฟลเดอร์ ให้ระบุ --out ที่อื่น / "
            f"--out {path} is under {parent}, which is a file, not a folder; expected a "
            "path whose parents are folders. Choose another --out path; nothing was changed"
        )
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK | os.X_OK):
        raise InputError(
            f"ไม่มีสิทธิ์เขียนใน {target} ให้ระบุ --out ที่เขียนได้ / cannot write to {target} "
            f"(permission denied) for --out {path}; choose a folder you can write to"
        )
    return path.resolve()


def _check_notebook(notebook: Path) -> tuple[str, ...]:
    import nbformat
    import papermill

    if not notebook.is_file():
        raise InputError(
            f"notebook not found: {notebook}; expected a parameterized .ipynb file. "
            "Pass --notebook PATH / ไม่พบไฟล์ notebook"
        )
    try:
        nb = nbformat.read(notebook, as_version=4)
        # the batch always runs the "python3" kernel
        nb.metadata["kernelspec"] = {"name": KERNEL, "language": "python", "display_name": ""}
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / notebook.name
            nbformat.write(nb, copy)
            declared = papermill.inspect_notebook(str(copy))
    except Exception as exc:
        raise InputError(f"cannot read notebook {notebook}: {exc}") from exc
    missing = [p for p in REQUIRED_PARAMETERS if p not in declared]
    if missing:
        found = ", ".join(declared) or "no parameters cell"
        raise InputError(
            f"notebook {notebook.name} does not declare {', '.join(missing)} in its "
            f"parameters cell (found: {found}); expected a cell tagged 'parameters' defining "
            "unit_code = '' and run_dir = ''. Add them and tag the cell 'parameters'"
        )
    return tuple(p for p in (*REQUIRED_PARAMETERS, *OPTIONAL_PARAMETERS) if p in declared)


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The formats, checked against :data:`FORMATS` (an InputError names the unknown ones)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(
            f"unknown report format(s) {', '.join(map(str, bad))}; expected some of "
            f"{', '.join(FORMATS)}, e.g. --formats html,xlsx"
        )
    return tuple(formats)


def plan_run(
    workspace_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    units: Iterable[str] | None = None,
    formats: Sequence[str] = ("html", "xlsx"),
    notebook: str | Path | None = None,
    force: bool = False,
) -> RunPlan:
    """Validate the inputs and decide the run folder, units, folder names and notebook.

    Writes nothing.

    Parameters
    ----------
    workspace_dir : path
        The workspace folder (validated with ``load_workspace``).
    out_dir : path, optional
        The run folder; default ``reports/<run-id>`` under the current directory, the run id
        being derived from the inputs, settings, package version and notebook.
    units : iterable of str, optional
        Unit codes to report on (default all, in the units file's order).
    formats : sequence of str
        Among "html", "xlsx", "pdf" (the executed ``report.ipynb`` is always kept).
    notebook : path, optional
        A parameterized notebook declaring ``unit_code`` and ``run_dir``.
    force : bool
        Redo units even when their fingerprint is unchanged.

    Raises
    ------
    ValidationError
        When the workspace has errors.
    InputError
        Unknown unit codes or formats, a notebook without the required parameters, an
        ``out_dir`` that is a file or under one.
    """
    ws = Path(workspace_dir)
    check_formats(formats)
    if out_dir is not None:
        check_out_dir(out_dir)
    nb = Path(notebook).resolve() if notebook is not None else DEFAULT_NOTEBOOK
    declared = _check_notebook(nb)
    survey = load_survey(ws.resolve() if ws.is_dir() else ws)
    known = [str(c) for c in survey.unit_codes()]
    chosen = known if units is None else [str(u) for u in units]
    unknown = [u for u in chosen if u not in known]
    if unknown or not chosen:
        raise InputError(
            f"unknown unit code(s): {', '.join(map(repr, unknown)) or 'none given'}; "
            f"known codes: {', '.join(known)}. Use codes from units.csv "
            "/ ไม่พบรหัสหน่วยงาน ใช้รหัสจาก units.csv"
        )
    chosen = list(dict.fromkeys(chosen))
    slugs = {c: unit_slug(c) for c in chosen}
    if len(set(slugs.values())) != len(slugs):
        raise InputError(f"two unit codes give the same folder name: {slugs}; rename one")
    names = dict(
        zip(survey.units["unit_code"].astype(str), survey.units["unit_name_th"], strict=True)
    )
    settings = {**survey.settings.as_dict(), "formats": list(formats)}
    inputs = hash_files(survey.path)
    base = combine_hashes(inputs, settings, code_fingerprint(), sha256_file(nb), declared)
    run_id = f"FY{survey.fiscal_year}-{base[:10]}"
    run_dir = Path(out_dir) if out_dir is not None else Path.cwd() / "reports" / run_id
    return RunPlan(
        workspace_dir=survey.path, run_dir=run_dir.resolve(), run_id=run_id, notebook=nb,
        units=tuple(chosen), slugs=slugs,
        titles={c: f"{c} {names.get(c, '')}".strip() for c in chosen},
        formats=tuple(formats), parameters=declared, settings=settings, inputs=inputs,
        base_fingerprint=base, force=force,
    )  # fmt: skip


def demo_notebook() -> Path:
    """A minimal parameterized notebook (for the examples)."""
    import nbformat
    import nbformat.v4 as v4

    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell("unit_code = ''\nrun_dir = ''", metadata={"tags": ["parameters"]}),
            v4.new_code_cell("print(unit_code)"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path = Path(tempfile.mkdtemp()) / "demo.ipynb"
    nbformat.write(nb, path)
    return path
