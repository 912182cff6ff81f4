# kommune360 — the two commands: `make run` and `make test`.
# Both install what they need first (`make install`, idempotent).

SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PORT ?= 8000
KOMMUNE360_DATA_DIR ?= $(CURDIR)/data
export KOMMUNE360_DATA_DIR
CHROMIUM ?= /usr/bin/chromium
# Test processes (pytest-xdist); the machines have two cores.
PYTEST_WORKERS ?= 2

.PHONY: install run test lint format bench worker chromium nginx cluster cluster-stop clean-data

# Compiled translations (.mo) are committed, so a machine without gettext works too;
# where msgfmt exists (Debian package gettext) they are rebuilt from changed .po files.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard src/kommune360/locale/*/LC_MESSAGES/django.po \
  src/kommune360/*/locale/*/LC_MESSAGES/django.po))

install: $(VENV)/.installed node_modules/.installed build/fonts/.built $(MO_FILES)

%.mo: %.po
	@if command -v msgfmt >/dev/null 2>&1; then msgfmt --check -o $@ $<; \
	else echo "msgfmt fehlt (Paket gettext): $@ bleibt wie eingecheckt"; touch $@; fi

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# KERN's Fira Sans cut down to the faces and characters the site uses
# (kommune360.core.fonts: four faces of about 17 KB instead of 130-150 KB each).
build/fonts/.built: $(VENV)/.installed node_modules/.installed src/kommune360/core/fonts.py
	$(BIN)/python -m kommune360.core.fonts node_modules/@kern-ux/native/dist/fonts/fira-sans build/fonts >/dev/null
	@touch $@

# Serve the site with the task worker. DEBUG is on unless you say otherwise; the
# data (SQLite database, media, mail as .eml, secret key) lives in $(KOMMUNE360_DATA_DIR).
run: export DEBUG ?= true
# Links the site writes (mails, calendar files, feeds) follow the port it serves on.
run: export PORT := $(PORT)
# The demo logins have no second factor; never turn this off in production.
run: export STAFF_REQUIRE_MFA ?= false
run: install
	$(BIN)/kommune360 migrate --no-input
	$(BIN)/kommune360 collectstatic --no-input --verbosity 0
	$(BIN)/kommune360 load_demo --if-empty
	@echo
	@echo "  kommune360 läuft auf http://127.0.0.1:$(PORT)/  –  Redaktion: http://127.0.0.1:$(PORT)/admin/"
	@$(BIN)/kommune360 demo_logins | sed 's/^/  /'
	@echo "  Versendete E-Mails: $(KOMMUNE360_DATA_DIR)/mail/"
	@echo
	@$(BIN)/kommune360 worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/kommune360 runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/kommune360 worker

# Debian's Chromium for the browser tests (there is no browser download here).
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests …"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx for `make cluster` and the tests behind it (tests/operations). Another
# apt run may hold the lock for a moment: try a few times.
nginx:
	@test -x /usr/sbin/nginx || command -v nginx >/dev/null || { \
	  echo "Installing Debian's nginx for the cluster …"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  for attempt in 1 2 3 4 5 6; do \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light >/dev/null && break; \
	    sleep 10; \
	  done; test -x /usr/sbin/nginx; }

# Several servers on one machine (docs/operations.md, "Beyond one machine"): nginx, two
# gunicorn app servers, two RQ workers, PostgreSQL and Redis (local services), moto's
# S3 server; each with its own data folder under cluster-data/. Starts fresh each time.
cluster: install nginx
	$(BIN)/python ops/cluster.py start

cluster-stop:
	$(BIN)/python ops/cluster.py stop

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install chromium nginx lint
	@# Browser tests run in a session of their own: their serialized rollback must not
	@# meet tables that another transactional test flushed in the same process.
	@# (exit code 5 = a PYTEST_ARGS selection left nothing in one of the two sessions)
	env -u KOMMUNE360_DATA_DIR $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not e2e" $(PYTEST_ARGS) \
	  || [ $$? -eq 5 ]
	env -u KOMMUNE360_DATA_DIR $(BIN)/pytest -n $(PYTEST_WORKERS) -m e2e $(PYTEST_ARGS) \
	  || [ $$? -eq 5 ]

bench: install
	@for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean-data:
	rm -rf $(KOMMUNE360_DATA_DIR)
