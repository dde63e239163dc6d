# Accord: `make demo` sets up and serves the demo workspace; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export ACCORD_DATA_DIR ?= $(CURDIR)/data

.PHONY: demo test test-fast test-semantic lint install browser format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/accord demo --host $(HOST) --port $(PORT)

# The browser tests need Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`);
# without it they skip with that reason, except in CI, where .ci/run installs it.
test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2

# Similar practices need the optional extra accord[semantic]: its tests (marked `semantic`) run
# in a venv of their own with it, beside the pages that show them, so that .venv stays without it.
# torch first, pinned: the CPU build on disk, not the multi-GB CUDA one an unpinned torch brings.
SEMANTIC_VENV ?= .venv-semantic

$(SEMANTIC_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(SEMANTIC_VENV)
	$(SEMANTIC_VENV)/bin/python -m pip install --quiet torch==2.13.0
	$(SEMANTIC_VENV)/bin/python -m pip install --quiet -e '.[test,semantic]'
	touch $@

test-semantic: $(SEMANTIC_VENV)/.installed
	$(SEMANTIC_VENV)/bin/python -m pytest -q -p no:cacheprovider -n 2 -m semantic
	$(SEMANTIC_VENV)/bin/python -m pytest -q -p no:cacheprovider -n 2 -m "not semantic" \
		accord/knowledge/tests/test_practice_pages.py accord/knowledge/tests/test_request_pages.py \
		accord/knowledge/tests/test_services.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=accord.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=accord.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(SEMANTIC_VENV) data
