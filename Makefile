# The two commands: `make run` and `make test`. Everything else is a helper they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS_RUN ?= postgres,analysis,ocr,assistant
EXTRAS_TEST ?= test,postgres,analysis,ocr,assistant,llm
export AITB_DATA_DIR ?= $(CURDIR)/data
# llama-cpp-python builds from source; the native build crashes on CPUs with AMX, so build portably.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv install install-test system-deps lint bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

venv: $(BIN)/python

install: venv
	$(BIN)/pip install -q -c constraints.txt -e ".[$(EXTRAS_RUN)]"

install-test: venv system-deps
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -c constraints.txt -e ".[$(EXTRAS_TEST)]"

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

# Pin what is installed now (after a deliberate upgrade that `make test` passed).
lock: venv
	{ sed -n 1,2p constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^ai[-_]toolbox'; } > constraints.tmp && mv constraints.tmp constraints.txt

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
