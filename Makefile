# socialkit — the few targets people expect. Everything runs inside .venv, which `setup` creates.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
CATALOG ?= catalogs/demo.yaml

.PHONY: setup system-deps reports test serve lint format bench constraints clean help

help:
	@echo "make setup    - create .venv and install socialkit (pinned by constraints.txt)"
	@echo "make reports  - demo data -> one PDF per municipality and report under reports/"
	@echo "make test     - the whole test suite (notebooks, PDFs, browser tests included)"
	@echo "make serve    - serve the dashboards on http://localhost:5006"
	@echo "make lint     - ruff (code and notebooks)"
	@echo "make bench    - performance benchmarks (not part of the tests)"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) scripts/check_python.py
	$(PYTHON) -m venv $(VENV)
	@echo "Installing socialkit and its pinned dependencies into $(VENV) (log: $(VENV)/pip-install.log)"
	@{ $(BIN)/python -m pip install --upgrade pip && \
	   $(BIN)/python -m pip install -c constraints.txt -e '.[test,bench]'; } > $(VENV)/pip-install.log 2>&1 \
	  || { echo "pip could not install socialkit's dependencies; the end of its log ($(VENV)/pip-install.log):" >&2; \
	       grep -v "^WARNING: Location" $(VENV)/pip-install.log | tail -n 40 >&2; exit 1; }
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

setup: $(STAMP) system-deps

# Debian packages some steps need (PDF rendering, PDF checks, browser tests).
system-deps:
	@bash scripts/system-deps.sh

# Every report for every municipality, in English and Ukrainian. --resume skips what is
# already up to date (same parameters, data and socialkit version), so a re-run is quick.
reports: setup
	$(BIN)/socialkit report all --catalog $(CATALOG) --lang en --workers $(WORKERS) --resume
	$(BIN)/socialkit report all --catalog $(CATALOG) --lang uk --workers $(WORKERS) --resume

# Every test must run here: a test skipped for want of a package, program or data fails.
test: setup
	SOCIALKIT_TEST_NO_SKIP=1 $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --durations=25

serve: setup
	$(BIN)/socialkit serve --catalog $(CATALOG)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check socialkit tests benchmarks || true

bench: setup
	$(BIN)/python benchmarks/run_all.py

# Re-pin the dependency versions after changing pyproject.toml; the new pins must install on
# every Python the README supports (3.11.2 of Debian 12 up to 3.13), which the check proves.
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^socialkit' > constraints.new
	$(BIN)/python scripts/check_constraints.py constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf reports/* test-artifacts .pytest_cache
