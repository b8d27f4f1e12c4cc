# Everyday commands. `make run` sets everything up and serves the app with demo data;
# `make test` runs the whole suite (SQLite, PostgreSQL and the browser tests).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/newcomer_kpi

# The first Python 3.12 or newer found: on the PATH, then in pyenv's versions.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; \
	then command -v $$p; break; fi; done)

.PHONY: help setup run demo test test-sqlite test-postgres test-browser lint format \
	messages compilemessages migrations-check guidance-check postgres screenshots clean

help:
	@echo "make run      set up and start the app on SQLite with demo data (http://127.0.0.1:8000)"
	@echo "make test     run the whole test suite: lint, SQLite, PostgreSQL, browser"
	@echo "make messages update the translation catalogues after changing texts"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed and none was found. Install it (for example"; \
		echo "with your package manager or pyenv), or name it: make PYTHON=/path/to/python3.12"; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	@if [ -x "$(PY)" ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); fi
	@[ -x "$(PY)" ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --group test -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets: install Node.js and npm."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed compilemessages

compilemessages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt is needed to compile translations: install gettext."; exit 1; }
	$(PY) manage.py compilemessages --ignore "$(VENV)" --ignore node_modules -v 0

demo: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run -v 1

# Fails when a guide page lacks a source, a checked date or a review date, or is past it.
guidance-check: $(VENV)/.installed
	$(PY) manage.py check_guidance --strict

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr -l nl -l ar -l uk --no-location --no-obsolete \
		--ignore "$(VENV)" --ignore node_modules --ignore staticfiles --ignore "tests/*" \
		--ignore "bench/*" --ignore artifacts -v 0

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1 \
		&& pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n 1) main start; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432."; exit 1; }

test-sqlite: setup
	$(PY) -m pytest -m "not browser" -q -p no:cacheprovider

test-postgres: setup postgres
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" -q -p no:cacheprovider

test-browser: setup
	@[ -x /usr/bin/chromium ] || { echo "Chromium is needed for the browser tests: apt-get install chromium."; exit 1; }
	@command -v pdftotext >/dev/null || { echo "pdftotext is needed for the report tests: apt-get install poppler-utils."; exit 1; }
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q -p no:cacheprovider

test: setup lint migrations-check guidance-check test-sqlite test-postgres test-browser

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 artifacts
