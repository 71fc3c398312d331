# consult: two commands. `make run` serves the site with demo content; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
DEV_ENV := CONSULT_ENV=development
# pytest-xdist workers: one per core by default (TEST_WORKERS=0 runs in one process).
TEST_WORKERS ?= auto

.PHONY: run worker test setup check-tools db lint bench bench-tools clean help

help:
	@echo "make run   - set everything up and serve consult with demo content on http://$(HOST):$(PORT)"
	@echo "make test  - set everything up and run the whole test suite (SQLite; TEST_DATABASE_URL for PostgreSQL)"
	@echo "make worker - only the background job worker (make run starts one already)"
	@echo "make lint  - ruff and mypy"
	@echo "make bench - every benchmark in tests/bench (BENCH=name runs one)"

check-tools:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "ERROR: $(PYTHON) not found. Install Python 3.11 or newer."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { echo "ERROR: Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@command -v node >/dev/null 2>&1 || { echo "ERROR: Node.js not found. Install Node.js 18 or newer (it builds the GOV.UK Frontend assets)."; exit 1; }
	@command -v npm >/dev/null 2>&1 || { echo "ERROR: npm not found. Install npm with Node.js."; exit 1; }

$(VENV)/.installed: pyproject.toml
	@echo "==> Creating the Python environment in $(VENV) and installing consult"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> Installing front-end packages from npm (GOV.UK Frontend, axe-core)"
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

consult/static/css/app.css: node_modules/.installed consult/assets/app.scss scripts/build-assets.mjs
	@echo "==> Building the stylesheet and copying GOV.UK Frontend assets"
	@node scripts/build-assets.mjs

setup: check-tools $(VENV)/.installed consult/static/css/app.css

db: setup
	@echo "==> Migrating the embedded SQLite database (instance/consult.sqlite3)"
	@$(DEV_ENV) $(VENV)/bin/flask --app consult migrate
	@echo "==> Loading content pages and demo data"
	@$(DEV_ENV) $(VENV)/bin/flask --app consult load-content
	@$(DEV_ENV) $(VENV)/bin/flask --app consult seed-demo

run: db
	@echo "==> Demo accounts: admin@demo.example.org, facilitator@..., officer@..., board@..., campaigner@..."
	@echo "    password: $$(cat instance/demo-password.txt)"
	@echo "==> Daily notification digests go out from the worker's hourly job. To send the ones due now, run in"
	@echo "    another terminal: CONSULT_ENV=development $(VENV)/bin/flask --app consult notifications send-digests"
	@echo "==> Serving consult on http://$(HOST):$(PORT) with a job worker beside it (Ctrl+C stops both)"
	@$(DEV_ENV) FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start

worker: db
	@$(DEV_ENV) $(VENV)/bin/flask --app consult worker

test: setup
	@echo "==> Running the test suite on $${TEST_DATABASE_URL:-SQLite} ($(TEST_WORKERS) workers; the slowest tests are listed at the end)"
	@$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/mypy

# The page benchmark loads the site with wrk: installed here when missing (Debian's package, as root or with sudo).
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { echo "==> Installing wrk (the page benchmark's load generator)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get install -y -q wrk >/dev/null; \
	  else echo "ERROR: wrk not found: apt-get install wrk (as root)"; exit 1; fi; }

bench: setup $(if $(filter-out pages,$(BENCH)),,bench-tools)
	@set -e; for b in tests/bench/$${BENCH:-[a-z]*}.py; do m=$${b%.py}; echo "==> $${m//\//.}"; $(VENV)/bin/python -m $${m//\//.}; done

clean:
	rm -rf $(VENV) node_modules consult/static/css consult/static/govuk .pytest_cache
