# Osservatorio CX — `make run` starts the app on the embedded sample; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/cx.duckdb
PORT ?= 8501
WORKERS ?= 2

.PHONY: help run serve nginx chromium test test-fast bench bench-load lint sample clean fuzz

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.run: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.run requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.run
	$(PY) -m cx init --db $(DB)

run: $(VENV)/.run $(DB)  ## set up and start the app on http://localhost:8501
	$(PY) -m streamlit run app.py --server.port $(PORT)

serve: $(VENV)/.run $(DB) nginx  ## an event: WORKERS app processes (default 2) behind nginx on PORT (default 8500)
	$(PY) -m cx serve --workers $(WORKERS) --port $(if $(filter command line environment,$(origin PORT)),$(PORT),8500) --db $(DB)

nginx:  ## Debian's nginx for `make serve` and its tests (installed only if missing)
	@command -v nginx >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx >/dev/null; }

chromium:  ## Debian's Chromium for the browser tests (never Playwright's own download)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(VENV)/.dev chromium nginx  ## set up and run the whole test suite (browser tests included)
	$(PY) -m pytest

test-fast: $(VENV)/.dev  ## the suite without the browser tests
	$(PY) -m pytest -m "not e2e"

fuzz: $(VENV)/.dev  ## long fuzzing run (not part of make test)
	CX_FUZZ_PROFILE=fuzz $(PY) -m pytest tests/test_fuzz_ingest.py -q

bench: $(VENV)/.dev  ## benchmarks (prints a table; not a test)
	$(PY) -m bench

bench-load: $(VENV)/.dev  ## load bench: simulated viewers, 1 and N processes (ARGS="--configs app1,bare1")
	$(PY) -m bench.load $(ARGS)

lint: $(VENV)/.dev  ## ruff, and mypy (strict on cx/, as configured in pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m mypy

sample: $(VENV)/.run  ## regenerate the embedded sample (deterministic)
	$(PY) -m cx synth --out data/sample/responses.csv
	$(PY) -m cx synth --after 2027 --out data/sample/responses_2027.csv

clean:  ## remove the virtual environment and the local database
	rm -rf $(VENV) $(DB) $(DB).wal $(DB).snapshots
