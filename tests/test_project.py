"""Project-level promises: environment.yml matches pyproject, notebooks stored clean."""

from __future__ import annotations

import json
import re
import tomllib

from conftest import ROOT

#: conda-forge names that differ from PyPI's
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def _spec(text: str) -> tuple[str, str]:
    """``"pandas>=2.2,<3"`` -> ("pandas", ">=2.2,<3"): a normalised name and its bounds."""
    name, bounds = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$", text.strip()).groups()
    name = re.sub(r"[-_.]+", "-", name).lower()
    return CONDA_NAMES.get(name, name), ",".join(sorted(bounds.replace(" ", "").split(",")))


def _environment_specs(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The conda and pip sections of environment.yml, as name -> bounds."""
    conda_block, pip_block = text.split("- pip:", 1)
    conda_block = conda_block.split("dependencies:", 1)[1]
    line = r"^\s+- ([A-Za-z][^\s#]*)\s*(?:#.*)?$"
    conda = dict(_spec(s) for s in re.findall(line, conda_block, flags=re.M))
    pip = dict(_spec(s) for s in re.findall(line, pip_block, flags=re.M))
    conda.pop("pip", None)
    conda.pop("python", None)
    return conda, pip


def test_environment_yml_names_the_same_dependencies_as_pyproject() -> None:
    """Each dependency once, in the conda-forge or the pip section, with pyproject's bounds."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = dict(_spec(s) for s in [*project["dependencies"], *extras["dev"], *extras["dask"]])
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    conda, pip = _environment_specs(text)
    assert re.search(r"^\s+- python=3\.11\s*$", text, flags=re.M)
    assert re.search(r"^\s+- -e \.\s*$", text.split("- pip:", 1)[1], flags=re.M)
    assert not set(conda) & set(pip), f"listed twice: {set(conda) & set(pip)}"
    listed = {**conda, **pip}
    assert set(listed) == set(wanted), (
        f"missing from environment.yml: {sorted(set(wanted) - set(listed))}; "
        f"not in pyproject: {sorted(set(listed) - set(wanted))}"
    )
    differ = {k: (wanted[k], listed[k]) for k in wanted if wanted[k] != listed[k]}
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"
    # conda users get conda-forge's builds of the scientific stack and of Jupyter
    for name in ("numpy", "pandas", "scipy", "matplotlib", "pyarrow", "dask", "jupyterlab",
                 "papermill", "ipykernel", "jupytext", "voila", "pytest"):  # fmt: skip
        assert name in conda, f"{name} should come from conda-forge"


def test_environment_spec_parser_sees_a_changed_bound() -> None:
    """The check above can fail: a bound changed in one file is a difference."""
    base = "dependencies:\n  - python=3.11\n  - pandas>=2.2,<3\n  - pip:\n      - -e .\n"
    conda, pip = _environment_specs(base)
    assert conda == {"pandas": "<3,>=2.2"} and pip == {}
    conda, _ = _environment_specs(base.replace("<3", "<4"))
    assert conda["pandas"] != _spec("pandas>=2.2,<3")[1]
    assert _spec("matplotlib-base>=3.11,<3.12") == _spec("matplotlib>=3.11,<3.12")
    assert _spec("jupyter_client>=8,<9")[0] == _spec("jupyter-client>=8,<9")[0]


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
