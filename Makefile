# pmqa-analysis — every command creates/refreshes the virtual environment itself.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo lab app test lint typecheck unit fuzz bench templates clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	$(BIN)/python -m ipykernel install --sys-prefix --name pmqa-analysis \
	  --display-name 'Python 3 (pmqa-analysis)' >/dev/null
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pmqa demo --out reports/demo

# JupyterLab on copies of the kit's notebooks (reports/lab/notebooks) with the sample ready
lab: $(STAMP)
	$(BIN)/pmqa lab reports/lab

# the no-code browser app on the sample workspace (reports/app)
app: $(STAMP)
	@test -d reports/app/sample-workspace || $(BIN)/pmqa init reports/app/sample-workspace --sample
	$(BIN)/pmqa app reports/app

lint: $(STAMP)
	$(BIN)/ruff check pmqa_analysis tests benchmarks
	$(BIN)/ruff format --check pmqa_analysis tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy pmqa_analysis
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck unit

# random exploration of the property tests (`make test` runs them derandomised: same examples
# every time); failing examples are printed with a blob to reproduce them.
fuzz: $(STAMP)
	PMQA_HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider \
	  $$(grep -l "@given" tests/*.py)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_stats.py
	$(BIN)/python benchmarks/bench_prepare.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_noop.py

templates: $(STAMP)
	$(BIN)/python -m pmqa_analysis.workspace.templates data_templates

clean:
	rm -rf $(VENV) reports/demo .pytest_cache .mypy_cache .ruff_cache
