# Claim Tracker: `make run` sets everything up and serves the app as production does (gunicorn,
# WhiteNoise, DEBUG off); `make dev` is the development server; `make test` runs the suite.
# Needs only python3 (3.11 or newer) and make. Everything is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# .installed: everything (the app and the test and development tools, requirements-dev.lock);
# .installed-runtime: only what the app runs on (requirements.lock), all that make run needs.
INSTALLED := $(VENV)/.installed
RUNTIME := $(VENV)/.installed-runtime
HOST ?= 127.0.0.1
PORT ?= 8000
# Only for the test run: tests never read a real secret.
TEST_ENV := SECRET_KEY=test-suite-only-not-a-secret DEBUG=0 AXES_VERBOSE=0

.DEFAULT_GOAL := help
.PHONY: help setup run dev test test-browser lint bench loadtest lock clean

help:
	@echo "make run    set up (.venv, locked dependencies, migrations, seed, first admin) and serve on http://$(HOST):$(PORT)/ as production does"
	@echo "make dev    the same set-up, then Django's development server (auto-reload, DEBUG on)"
	@echo "make test   run the whole test suite (DATABASE_URL=postgres://... to run it on PostgreSQL)"
	@echo "make lint   ruff check and format check"
	@echo "make bench  build a large dataset (once) and measure the API and pages against same-run baselines"
	@echo "make loadtest  Locust against the production server on 127.0.0.1 (figures in the README)"
	@echo "make lock   recompile requirements.lock and requirements-dev.lock from pyproject.toml"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Claim Tracker needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Run: make run PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

# The development lock holds every pin of the runtime lock, the same (make lock checks it).
$(INSTALLED): requirements-dev.lock requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@touch $(RUNTIME) $@

# One Django start-up for the whole set-up (ops/management/commands/prepare.py): migrations, the
# seed, missing independence blocks, the first admin (its password printed once).
setup: $(RUNTIME)
	DEBUG=1 $(BIN)/python manage.py prepare

# A secret key for this machine, made once, only by make run and only when SECRET_KEY is not set.
# var/ is never committed; a real deployment sets SECRET_KEY itself (settings refuse to start
# without one when DEBUG is off: there is no production default).
var/secret-key:
	@mkdir -p var
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "A secret key for this machine is in $@ (made once, never committed)."

# As production serves: gunicorn with workers from the cores, WhiteNoise serving the collected,
# hashed and compressed static files from var/static (collected again only when a source file
# changed), DEBUG off; and beside it the task worker (ops/serve.py runs and watches both). The
# first account's password, when prepare has just made it, is printed once the server is up.
run: $(RUNTIME) $(if $(SECRET_KEY),,var/secret-key)
	DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret-key)}" $(BIN)/python manage.py prepare --static --password-file var/first-admin-password
	DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret-key)}" exec $(BIN)/python -m ops.serve --bind $(HOST):$(PORT) --password-file var/first-admin-password

# The development server (auto-reload, DEBUG on, static files from the source folders) and the
# task worker (reloading too).
dev: $(RUNTIME)
	DEBUG=1 $(BIN)/python manage.py prepare --password-file var/first-admin-password
	DEBUG=1 exec $(BIN)/python -m ops.serve --dev --bind $(HOST):$(PORT) --password-file var/first-admin-password

# Two test processes by default (pytest-xdist; each has its own test database, and the browser
# tests their own live server): the suite is mostly waiting on Chromium, the task worker and the
# database, so two processes halve it on a two-core machine. PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= 2
test: $(INSTALLED)
	$(TEST_ENV) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Only the browser tests (Debian's Chromium: apt-get install chromium; they skip without it).
test-browser: $(INSTALLED)
	$(TEST_ENV) $(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

# Sizes and options: make bench BENCH_ARGS="--articles 2000 --repeat 5" (see python -m bench --help).
bench: $(INSTALLED)
	SECRET_KEY=benchmark-only-not-a-secret $(BIN)/python -m bench $(BENCH_ARGS)

# Locust against the production server on 127.0.0.1 for LOADTEST_SECONDS (30); see
# bench/loadtest/run.sh for LOADTEST_DATABASE_URL (PostgreSQL), LOADTEST_USERS, LOADTEST_KILL=1.
loadtest: $(INSTALLED)
	bash bench/loadtest/run.sh

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# pip-tools runs from a throw-away venv so that it never lands in the app's environment.
lock:
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	var/lock-venv/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe -o requirements-dev.lock pyproject.toml
	# pip-compile keeps the pins it finds in its output file: starting the runtime lock from the
	# development one makes every pin they share the same.
	cp requirements-dev.lock requirements.lock
	var/lock-venv/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements.lock pyproject.toml
	rm -rf var/lock-venv
	@$(PYTHON) -c 'import re, sys; pins = lambda f: set(re.findall(r"^([A-Za-z0-9_.-]+==\S+)", open(f).read(), re.M)); missing = pins("requirements.lock") - pins("requirements-dev.lock"); sys.exit(f"requirements-dev.lock differs from requirements.lock on {sorted(missing)}" if missing else 0)'

clean:
	rm -rf $(VENV) var
