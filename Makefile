# The two commands: `make run` and `make test`. Everything else is a helper they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS_RUN ?= postgres,analysis,assistant
EXTRAS_TEST ?= test,postgres,analysis,assistant
export AITB_DATA_DIR ?= $(CURDIR)/data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv install install-test system-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

venv: $(BIN)/python

install: venv
	$(BIN)/pip install -q -e ".[$(EXTRAS_RUN)]"

install-test: venv system-deps
	$(BIN)/pip install -q -e ".[$(EXTRAS_TEST)]"

system-deps:
	bash scripts/system-deps.sh

run: install
	$(BIN)/ai-toolbox init
	$(BIN)/ai-toolbox demo load
	$(BIN)/ai-toolbox serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check src tests benchmarks

bench: install-test
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
