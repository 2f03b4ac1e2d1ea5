"""Project-level promises: environment.yml matches pyproject, notebooks stored clean."""

from __future__ import annotations

import json
import re
import tomllib

from conftest import ROOT


def _names(specs: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[ ]", s.strip(), maxsplit=1)[0].lower() for s in specs}


def test_environment_yml_names_the_same_dependencies_as_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = _names(project["dependencies"]) | _names(extras["dev"]) | _names(extras["dask"])
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    pip_block = text.split("- pip:", 1)[1]
    pip_lines = re.findall(r"^\s+- ([A-Za-z][^\s#]*)\s*$", pip_block, flags=re.M)
    listed = _names(pip_lines)
    assert wanted == listed


def test_notebooks_are_stored_without_outputs() -> None:
    for nb in (ROOT / "pmqa_analysis" / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code"), nb.name


def test_property_tests_are_derandomised_unless_fuzzing() -> None:
    """`make test` means the same thing every run; `make fuzz` explores (issue 20)."""
    import os

    from hypothesis import settings

    if os.environ.get("PMQA_HYPOTHESIS_PROFILE", "ci") == "ci":
        assert settings.default.derandomize is True
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PMQA_HYPOTHESIS_PROFILE=fuzz" in makefile
