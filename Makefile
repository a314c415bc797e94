# Hanout: `make run` starts the product with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test lint demo clean-venv

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Hanout needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

## run: install into .venv, migrate, load demo data on first start, serve on http://127.0.0.1:8000
run: $(VENV)/.installed-run
	$(BIN)/hanout serve

## test: install the test tools (and Debian's chromium when root), run the whole suite
test: $(VENV)/.installed-test
	@scripts/system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

demo: $(VENV)/.installed-run
	$(BIN)/hanout demo

clean-venv:
	rm -rf $(VENV)
