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

.PHONY: help setup run demo test test-sqlite test-postgres test-browser test-cluster lint format \
	messages compilemessages migrations-check guidance-check postgres screenshots clean lock upgrade

help:
	@echo "make run      set up and start the app on SQLite with demo data (http://127.0.0.1:8000)"
	@echo "make test     run the whole test suite: lint, SQLite, PostgreSQL, browser"
	@echo "make messages update the translation catalogues after changing texts"
	@echo "make upgrade  refresh the lock files with the newest versions pyproject.toml allows"

# The lock files pin every package with its hashes: requirements.lock is what production runs
# (the Dockerfile installs it), requirements-dev.lock adds the test and dev groups (make run,
# make test and CI install it). `make lock` after editing pyproject.toml; `make upgrade` for
# newer versions. Both use uv, which the dev group installs.
UV_COMPILE = SSL_CERT_FILE=$${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt} $(VENV)/bin/uv pip compile \
	pyproject.toml --universal --python-version 3.12 --generate-hashes --quiet \
	--custom-compile-command "make lock"

$(VENV)/.installed: requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed and none was found. Install it (for example"; \
		echo "with your package manager or pyenv), or name it: make PYTHON=/path/to/python3.12"; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	@if [ -x "$(PY)" ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); fi
	@[ -x "$(PY)" ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

lock: $(VENV)/.installed
	$(UV_COMPILE) $(UV_FLAGS) -o requirements.lock
	$(UV_COMPILE) $(UV_FLAGS) --group test --group dev -o requirements-dev.lock

upgrade:
	$(MAKE) lock UV_FLAGS=--upgrade
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock

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
	$(VENV)/bin/mypy

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

# Two processes each. SQLite and the local-memory caches keep each worker's tests apart; on
# PostgreSQL each worker has a test database and Redis databases of its own (tests/conftest.py).
test-sqlite: setup
	$(PY) -m pytest -m "not browser and not cluster" -q -p no:cacheprovider -n 2

# The PostgreSQL run uses a private Redis for the caches and sessions, as production does.
test-postgres: setup postgres
	DATABASE_URL=$(PG_URL) .ci/with-redis $(PY) -m pytest -m "not browser and not cluster" -q \
		-p no:cacheprovider -n 2

# Two gunicorn servers on a private PostgreSQL cluster and Redis (started by the tests).
test-cluster: setup
	$(PY) -m pytest -m cluster -q -p no:cacheprovider

test-browser: setup
	@[ -x /usr/bin/chromium ] || { echo "Chromium is needed for the browser tests: apt-get install chromium."; exit 1; }
	@command -v pdftotext >/dev/null || { echo "pdftotext is needed for the report tests: apt-get install poppler-utils."; exit 1; }
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q -p no:cacheprovider -n 2

test: setup lint migrations-check guidance-check test-sqlite test-postgres test-cluster test-browser

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 artifacts
