# pmqa-analysis — every command creates/refreshes the virtual environment itself.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint typecheck unit fuzz bench templates clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pmqa demo --out reports/demo

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

templates: $(STAMP)
	$(BIN)/python -m pmqa_analysis.workspace.templates data_templates

clean:
	rm -rf $(VENV) reports/demo .pytest_cache .mypy_cache .ruff_cache
