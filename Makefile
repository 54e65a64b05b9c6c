# The two set-up commands: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
PGTEST_DB := cia_test_$(shell echo $$$$)

.PHONY: run test bench assets install install-dev browser office pdf pdf-test lint test-sqlite test-postgres clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend's fonts, images and JavaScript, and our CSS compiled from its Sass.
static/css/app.css: node_modules/.installed assets/scss/app.scss assets/scss/print.scss
	rm -rf static/govuk && mkdir -p static/govuk
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/govuk/assets
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/govuk/
	npm run --silent build:css

assets: static/css/app.css

install: $(VENV)/.installed assets pdf
install-dev: $(VENV)/.installed-dev assets pdf

# Debian's chromium for the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# Debian's LibreOffice (Writer and Calc, no GUI): the tests open every Word and Excel export with it,
# as a council officer's office suite would, and count the pages it lays them out on. With it the fonts
# the exports name or fall back to (Liberation Sans for Arial, Carlito for Calibri), metric-compatible,
# so page counts are the same on every machine. Installs only what is missing (dpkg -s).
OFFICE_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 fonts-crosextra-carlito
office:
	@missing=$$(for p in $(OFFICE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's LibreOffice and fonts for the export tests: "$$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $$missing >/dev/null; fi

# The PDF exports (WeasyPrint) need Pango and fonts from Debian: Liberation Sans stands in for Arial,
# so the PDF embeds a local font and nothing is fetched. Installed only when missing.
pdf:
	@{ ldconfig -p | grep -q libpangoft2-1.0.so.0 && fc-list | grep -q LiberationSans; } || { \
	  echo "Installing Debian's Pango and Liberation fonts for the PDF exports..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-liberation2 >/dev/null; }

# poppler-utils' pdftotext: the tests read each page of the PDFs back as text.
pdf-test:
	@command -v pdftotext >/dev/null || { \
	  echo "Installing Debian's poppler-utils for the PDF tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    poppler-utils >/dev/null; }

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask cia seed --demo-accounts
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: install-dev
	$(BIN)/ruff check cia tests bench wsgi.py
	$(BIN)/bandit -q -c pyproject.toml -r cia -ll
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

test: install-dev browser office pdf-test lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== Test suite on SQLite"
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)
	@echo "== Ran on: SQLite"

# On PostgreSQL when one is reachable (always in CI, where not reaching it fails the run).
test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== Test suite on PostgreSQL ($(PGTEST_DB))"; \
	  psql "$(PG_URL)" -qc "DROP DATABASE IF EXISTS $(PGTEST_DB)" -c "CREATE DATABASE $(PGTEST_DB)" >/dev/null && \
	  CIA_TEST_DATABASE_URL="$(dir $(PG_URL))$(PGTEST_DB)" $(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS); \
	  status=$$?; psql "$(PG_URL)" -qc "DROP DATABASE IF EXISTS $(PGTEST_DB)" >/dev/null; \
	  [ $$status -eq 0 ] && echo "== Ran on: SQLite and PostgreSQL"; exit $$status; \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL is not reachable at $(PG_URL): CI must run the suite on it."; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_URL): ran on SQLite only"; fi

# The dashboards and the second HTTP run need PostgreSQL (BENCH_PG_URL, default the local server).
bench: install-dev
	$(BIN)/python -m bench $(ONLY)

clean:
	rm -rf $(VENV) node_modules static/govuk static/css
