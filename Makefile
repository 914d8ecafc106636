# Acopagro: `make run` to try it, `make test` to check it. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# make test's parallel workers: one per core (TEST_WORKERS=0 runs the suite in one process).
TEST_WORKERS ?= auto
export DEBUG ?= 1
# The browser tests' Chromium: Debian's, or whichever `chromium` is on PATH.
export CHROMIUM ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)

.PHONY: run test test-fast lint messages makemessages assets screenshots bench clean help
.PHONY: system-packages
.PHONY: backup restore bench-load audit

help:
	@echo "make run    - install, migrate, load demo data, serve on http://127.0.0.1:$(PORT) with a job worker"
	@echo "make test   - install dev tools and run the whole test suite"
	@echo "make bench  - full-scale benchmarks on PostgreSQL (see bench/README.md)"
	@echo "make backup / make restore FILE=... - back up or restore the database"
	@echo "make bench-load - load and fault benchmark with Locust (see bench/README.md)"
	@echo "make audit  - known vulnerabilities of the pinned Python and npm packages (needs network)"

# The virtualenv is rebuilt when a requirements file changes.
$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -qq --upgrade pip
	$(PIP) install -qq -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -qq -r requirements-dev.txt
	touch $@

# Front-end assets (Bootstrap...) from npm, at the versions of package-lock.json, served locally.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

messages: $(VENV)/.installed
	cd $(CURDIR) && $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l es -l fr --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench

run: $(VENV)/.installed assets messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py create_demo_accounts
	@echo ""
	@echo "Acopagro is served on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it and its job worker)"
	@# Background jobs (imports, big exports, verification packages) run in a worker beside the
	@# server, as in production.
	$(PY) manage.py db_worker --interval 1 --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Chromium and msgfmt from Debian when missing (bin/system-packages says what to run if it can't).
system-packages:
	@bash bin/system-packages

test: system-packages $(VENV)/.installed-dev assets messages
	DEBUG=0 $(PY) manage.py makemigrations --check --dry-run --settings=acopagro.settings_test
	$(VENV)/bin/ruff check .
	@# Every core (pytest-xdist, a test database per worker), then by themselves the tests that
	@# stop a server the others use (exit code 5: none of those among PYTEST_ARGS).
	DEBUG=0 $(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not alone" $(PYTEST_ARGS)
	DEBUG=0 $(VENV)/bin/pytest -m alone $(PYTEST_ARGS) || [ $$? -eq 5 ]

# PNGs of the main staff pages (laptop and phone sizes) into docs/screenshots/, from a throwaway
# demo database served by runserver and Debian's Chromium.
screenshots: $(VENV)/.installed-dev assets messages
	$(PY) tests/e2e/take_screenshots.py

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Full-scale benchmark on a throwaway PostgreSQL (several minutes; see bench/README.md).
bench: $(VENV)/.installed assets
	bash bench/run.sh

# Backups of the database in use (DATABASE_URL): pg_dump for PostgreSQL, the SQLite backup API
# otherwise. `make restore FILE=backups/acopagro-....dump` replaces the whole database with one.
backup: $(VENV)/.installed
	$(PY) manage.py backup

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/acopagro-<time>.dump"; exit 1; }
	$(PY) manage.py restore "$(FILE)" --yes

# Load and fault benchmark (Locust, full demo scale, PostgreSQL + gunicorn; ~15 minutes).
# Locust comes from bench/requirements-load.txt into its own virtualenv, never the app's.
bench-load: $(VENV)/.installed assets
	bash bench/load/run.sh

# Known vulnerabilities of the pinned packages: pip-audit (PyPI's advisory data, OSV) and npm audit
# (the npm registry). Both need network access to those databases; without it they cannot check
# anything, and this target fails saying so instead of reporting "no known vulnerabilities".
# `--strict` makes pip-audit fail when any package could not be looked up. docs/security.md keeps
# the date of the last run with network access.
audit: $(VENV)/.installed-dev
	@echo "== pip-audit (requirements-dev.txt, which includes requirements.txt)"
	@$(VENV)/bin/pip-audit --strict --progress-spinner off -r requirements-dev.txt || { \
	  echo ""; \
	  echo "make audit: pip-audit found vulnerabilities, or could not reach its advisory database"; \
	  echo "(no network access?): the Python packages are NOT audited. See docs/security.md."; \
	  exit 1; }
	@echo "== npm audit (package-lock.json)"
	@npm audit --audit-level=low || { \
	  echo ""; \
	  echo "make audit: npm audit found vulnerabilities, or could not reach the registry's audit"; \
	  echo "endpoint (no network access?): the npm packages are NOT audited. See docs/security.md."; \
	  exit 1; }
	@echo "make audit: no known vulnerabilities. Record today's date in docs/security.md."

clean:
	rm -rf $(VENV) node_modules staticfiles
