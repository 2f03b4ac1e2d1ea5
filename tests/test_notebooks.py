"""The notebooks in notebooks/: they run, stay paired, stay clean and stay thin.

Every notebook is executed by papermill: ``explore_survey`` with its own defaults (the
bundled sample, cached under ``$PMQA_CACHE``, which points into pytest's temporary
folder), the ones declaring ``run_dir`` on a run folder prepared from a small sample.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import e2e_support as support
import jupytext
import nbformat
import papermill
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "pmqa_analysis" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
#: the only package a notebook cell may import: the logic lives there
ALLOWED_IMPORT = "pmqa_analysis"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with support.isolated_cache(tmp_path_factory.getbasetemp()) as path:
        yield path


def _code_cells(nb: Any) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_three_notebooks_are_there() -> None:
    assert {"unit_assessment", "province_overview", "explore_survey"} <= set(IDS)


# ----------------------------------------------------------------------------- execution


def _parameters(path: Path, run_dir: Path) -> dict[str, str]:
    """Notebooks that read a run folder get the prepared one; the others keep their defaults."""
    declared = papermill.inspect_notebook(str(path))
    if "run_dir" not in declared:
        return {}
    params = {"run_dir": str(run_dir)}
    if "unit_code" in declared:
        params["unit_code"] = "U02"
    return params


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_under_papermill(
    path: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    run_dir = support.prepared_run(tmp_path_factory.getbasetemp())
    out = tmp_path / path.name
    params = _parameters(path, run_dir)
    try:
        papermill.execute_notebook(
            str(path), str(out), parameters=params, kernel_name="python3",
            progress_bar=False, request_save_on_cell_execute=False, execution_timeout=300,
            shutdown_kernel="immediate",
        )  # fmt: skip
    except papermill.PapermillExecutionError as exc:
        pytest.fail(
            f"{path.name} failed with parameters {params} in cell {exc.exec_count}: "
            f"{exc.ename}: {exc.evalue}"
        )
    executed = nbformat.read(out, as_version=4)
    outputs = [o for c in _code_cells(executed) for o in c.get("outputs", [])]
    assert outputs, f"{path.name} produced no output at all"
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "missing from" not in stderr and "Glyph" not in stderr, stderr[:2000]


def test_unit_notebook_in_english(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    run_dir = support.prepared_run(tmp_path_factory.getbasetemp())
    out = tmp_path / "unit_en.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "unit_assessment.ipynb"), str(out),
        parameters={"run_dir": str(run_dir), "unit_code": "U03", "language": "en"},
        kernel_name="python3", progress_bar=False, request_save_on_cell_execute=False,
        execution_timeout=300, shutdown_kernel="immediate",
    )  # fmt: skip
    executed = nbformat.read(out, as_version=4)
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in _code_cells(executed)
        for o in c.get("outputs", [])
    )
    assert "U03" in html and "Satisf" in html


# ----------------------------------------------------------------------------- storage


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_in_sync_with_its_py_pair(path: Path) -> None:
    pair = path.with_suffix(".py")
    assert pair.is_file(), f"{path.name} has no jupytext pair {pair.name}"
    nb = nbformat.read(path, as_version=4)
    assert "py:percent" in nb.metadata.get("jupytext", {}).get("formats", ""), (
        f"{path.name} is not paired with py:percent (jupytext formats metadata)"
    )
    text = jupytext.read(pair)
    ipynb_cells = [(c.cell_type, c.source.strip()) for c in nb.cells]
    py_cells = [(c.cell_type, c.source.strip()) for c in text.cells]
    ipynb_code = [s for t, s in ipynb_cells if t == "code"]
    py_code = [s for t, s in py_cells if t == "code"]
    assert ipynb_code == py_code, (
        f"{path.name} and {pair.name} differ: run `jupytext --sync {path}`"
    )
    tags = [tuple(c.metadata.get("tags", [])) for c in _code_cells(nb)]
    py_tags = [tuple(c.metadata.get("tags", [])) for c in _code_cells(text)]
    assert tags == py_tags


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]  # fmt: skip
    assert not dirty, f"{path.name}: cells {dirty} keep outputs; strip them before committing"
    assert "papermill" not in nb.metadata


# ----------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_parameter_is_typed_and_commented(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in _code_cells(nb) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    declared = papermill.inspect_notebook(str(path))
    assert declared, f"{path.name} declares no parameters"
    for name, info in declared.items():
        assert info["help"].strip(), f"{path.name}: parameter {name} has no comment"
        assert info["inferred_type_name"] not in ("", "None"), f"{name} has no type"


def test_papermill_help_notebook_documents_parameters() -> None:
    for path in NOTEBOOKS:
        proc = subprocess.run(
            [sys.executable, "-m", "papermill", "--help-notebook", str(path)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        for name, info in papermill.inspect_notebook(str(path)).items():
            assert name in proc.stdout and info["help"].strip() in proc.stdout, proc.stdout


# ----------------------------------------------------------------------------- thin cells

_FORBIDDEN: dict[type, str] = {
    ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.Lambda: "lambda",
    ast.ClassDef: "class", ast.For: "for loop", ast.AsyncFor: "for loop",
    ast.While: "while loop", ast.comprehension: "comprehension (for)",
}  # fmt: skip


def _logic_in(source: str) -> list[str]:
    """What in a cell belongs in the package rather than the notebook."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        for kind, label in _FORBIDDEN.items():
            if isinstance(node, kind):
                found.append(f"{label} at line {getattr(node, 'lineno', '?')}")
        if isinstance(node, ast.Import):
            found += [
                f"import {a.name}" for a in node.names if a.name.split(".")[0] != ALLOWED_IMPORT
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").split(".")[0] != ALLOWED_IMPORT:
                found.append(f"from {node.module} import ...")
    return found


def test_logic_check_catches_what_it_should() -> None:
    assert _logic_in("import pmqa_analysis as pa\nfrom pmqa_analysis.x import y") == []
    bad = "import pandas\nfrom os import path\ndef f(): pass\nclass A: pass\n"
    bad += "for i in x: pass\n[j for j in x]\n"
    assert len(_logic_in(bad)) == 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_cells_only_call_the_package(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    problems = {
        i: found
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (found := _logic_in(cell.source))
    }
    assert not problems, (
        f"{path.name}: logic belongs in pmqa_analysis, the notebook only calls it: {problems}"
    )
