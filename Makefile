# Claim Tracker: `make run` sets everything up and serves the app; `make test` runs the suite.
# Needs only python3 (3.11 or newer) and make. Everything is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Only for the test run: tests never read a real secret.
TEST_ENV := SECRET_KEY=test-suite-only-not-a-secret DEBUG=0

.DEFAULT_GOAL := help
.PHONY: help setup run test test-browser lint bench lock clean

help:
	@echo "make run    set up (.venv, locked dependencies, migrations, seed, first admin) and serve on http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite (DATABASE_URL=postgres://... to run it on PostgreSQL)"
	@echo "make lint   ruff check and format check"
	@echo "make bench  build a large dataset (once) and measure the API and pages against same-run baselines"
	@echo "make lock   recompile requirements.lock from pyproject.toml"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Claim Tracker needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Run: make run PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

setup: $(INSTALLED)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed
	DEBUG=1 $(BIN)/python manage.py create_first_admin

run: setup
	@echo "Claim Tracker: http://$(HOST):$(PORT)/ (status pages), http://$(HOST):$(PORT)/admin/ (workspace), http://$(HOST):$(PORT)/api/docs/ (API). Ctrl-C to stop."
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED)
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# Only the browser tests (Debian's Chromium: apt-get install chromium; they skip without it).
test-browser: $(INSTALLED)
	$(TEST_ENV) $(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

# Sizes and options: make bench BENCH_ARGS="--articles 2000 --repeat 5" (see python -m bench --help).
bench: $(INSTALLED)
	SECRET_KEY=benchmark-only-not-a-secret $(BIN)/python -m bench $(BENCH_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# pip-tools runs from a throw-away venv so that it never lands in the app's environment.
lock:
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	var/lock-venv/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe -o requirements.lock pyproject.toml
	rm -rf var/lock-venv

clean:
	rm -rf $(VENV) var
