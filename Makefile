# Two commands: `make run` serves the demo site, `make test` runs the whole suite.
# Each sets up what it needs (virtualenv, packages, Debian's chromium) by itself.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run serve varnish editor bench test install install-dev chromium java varnish-packages lint format migrations-check check-deploy clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(PIP) install --quiet -e '.[dev]'
	touch $@

NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's nodejs and npm for the test tools..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --silent

install: $(STAMP)
install-dev: $(DEV_STAMP) $(NODE_STAMP) chromium java varnish-packages

## Set up and serve the site on SQLite with the demo content and an editor account, with
## the background worker (photo sizes; e-mail, printed here) beside it; Ctrl-C stops both.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_editor
	$(PY) manage.py ensure_editor --role contributor
	$(PY) manage.py ensure_editor --role reviewer
	@echo "Site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	$(PY) bin/run_dev.py $(HOST):$(PORT)

## The production settings under gunicorn (reads DATABASE_URL, REDIS_URL, ...; see README).
serve: install
	$(PY) bin/serve.py

## Varnish (Debian's, with the xkey module) in front of `make serve`: deploy/varnish/site.vcl.
## Environment: VARNISH_LISTEN (:6081), VARNISH_BACKENDS (host:port,... default the serve
## port), VARNISH_PURGERS and VARNISH_UPSTREAM (IPs/CIDRs allowed to purge, or to forward the
## viewer's address and scheme), VARNISH_PROBE_HOST, VARNISH_MEMORY (256m). Run the app with
## DJANGO_HTTP_CACHE_PURGE_URLS=http://127.0.0.1:6081/ and DJANGO_TRUSTED_PROXIES=127.0.0.1
## so it purges this Varnish and sees viewers' addresses through it.
varnish: varnish-packages
	VARNISH_BACKENDS="$${VARNISH_BACKENDS:-$(HOST):$(PORT)}" $(PYTHON) deploy/varnish/run.py

## Make (or refresh) an editor account in the same environment as `make serve`, and print its
## password; EDITOR_USERNAME=NAME for another account than "editor".
editor: install
	$(PY) bin/manage_prod.py ensure_editor $(if $(EDITOR_USERNAME),--username "$(EDITOR_USERNAME)")

## Benchmarks (never part of make test): load, growth to 100,000 interviews, Lighthouse.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk redis-tools >/dev/null; }
	$(PIP) install --quiet -e '.[dev,bench]'
	cd bench && npm ci --no-audit --no-fund --silent
	$(PY) bench/run.py

## Install Debian's chromium for the browser tests, if it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Install Debian's varnish and its xkey module (varnish-modules), if either is missing.
varnish-packages:
	@[ -x /usr/sbin/varnishd ] && [ -n "$$(find /usr/lib -name libvmod_xkey.so -print -quit)" ] || { \
		echo "Installing Debian's varnish and varnish-modules for the HTTP cache tests..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq varnish varnish-modules >/dev/null; }

## Install Debian's Java runtime for the Nu HTML Checker, if it is missing.
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "Installing Debian's Java runtime for the HTML checker..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

## Lint, check the layers (import-linter), check migrations, then run the suite on SQLite and (when it answers) PostgreSQL.
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(MAKE) --no-print-directory migrations-check
	$(PY) bin/run_tests.py

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

lint: install-dev
	$(VENV)/bin/ruff check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=example.org DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 \
	$(PY) manage.py check --deploy --fail-level WARNING

## Remove everything `make run`, `make test`, `make serve` and `make bench` made; nothing tracked.
clean:
	rm -rf $(VENV) node_modules bench/node_modules bench/.wagtail-venv db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles var \
		.pytest_cache .ruff_cache .hypothesis .import_linter_cache test-artifacts .coverage build \
		*.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
