# Cyswllt: `make run` sets everything up and starts the site; `make test` runs every test.
# Each step is idempotent: running a target twice changes nothing the second time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
BASE_URL ?= http://$(HOST):$(PORT)
export BASE_URL

.PHONY: help run setup venv dev-venv assets translations messages db demo test test-fast lint chromium bench bench-site bench-load bench-pages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/\1\t\2/' | expand -t 16

run: setup ## Set up and start the site with demo data at http://127.0.0.1:5000
	CYSWLLT_ENV=development ./scripts/run-dev.sh $(HOST) $(PORT)

setup: venv assets translations db demo ## Everything `make run` needs, without starting the site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed

dev-venv: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/site.css: node_modules/.package-lock.json static/scss/site.scss
	mkdir -p static/vendor/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
	rm -rf static/vendor/govuk/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/assets
	rm -rf static/vendor/govuk/assets/fonts
	node_modules/.bin/sass --no-source-map --load-path=node_modules --style=compressed --quiet-deps static/scss/site.scss $@

static/dist/manifest.json: static/vendor/site.css $(wildcard static/js/*.js static/images/*) matchmaker/web/assets.py
	$(BIN)/python -m matchmaker.web.assets

assets: static/vendor/site.css static/dist/manifest.json ## GOV.UK Frontend compiled into static/vendor; fingerprinted, compressed copies in static/dist

translations: venv ## Compile the Welsh catalogue
	$(BIN)/pybabel -q compile -d translations

messages: dev-venv ## Extract every message and add the new ones to the Welsh catalogue (then translate them)
	mkdir -p translations
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location -o translations/messages.pot matchmaker templates
	@if [ -f translations/cy/LC_MESSAGES/messages.po ]; then \
	  $(BIN)/pybabel -q update -i translations/messages.pot -d translations -l cy --no-fuzzy-matching --ignore-obsolete; \
	else $(BIN)/pybabel -q init -i translations/messages.pot -d translations -l cy; fi

db: venv ## Run the database migrations
	CYSWLLT_ENV=development $(FLASK) db upgrade

demo: venv ## Load the demo data (idempotent)
	CYSWLLT_ENV=development $(FLASK) demo load

chromium: ## Debian's Chromium for the browser tests (installed only when missing)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: dev-venv assets translations chromium lint ## Run the whole suite: SQLite, then PostgreSQL when TEST_DATABASE_URL is set
	$(BIN)/pytest -n 2 tests
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
	  CYSWLLT_TEST_BACKEND=postgresql $(BIN)/pytest -n 2 tests --ignore=tests/solver --ignore=tests/architecture; \
	else echo "TEST_DATABASE_URL is not set: the PostgreSQL pass was skipped."; fi

test-fast: dev-venv assets translations lint ## Everything but the browser tests, on SQLite (a quick check before committing)
	$(BIN)/pytest -n 2 tests -m "not browser"

lint: dev-venv ## ruff, and import-linter's layer contracts (.importlinter)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: dev-venv ## Solver benchmark: prints a table per problem
	$(BIN)/python bench/solver.py

bench-site: dev-venv ## Site benchmark on an L-sized round: problem building, progress page, publishing, the reach report (BENCH_SITE_ARGS=...)
	$(BIN)/python bench/site.py $(BENCH_SITE_ARGS)
	$(BIN)/python bench/reach.py $(BENCH_REACH_ARGS)

bench-load: dev-venv ## Load benchmark: gunicorn (4 workers) on an L-sized PostgreSQL round, Locust headless (BENCH_LOAD_ARGS=...)
	$(BIN)/python bench/load.py $(BENCH_LOAD_ARGS)

bench-pages: dev-venv ## Every GET page timed on an L-sized round, one user at a time (BENCH_PAGES_ARGS=...)
	$(BIN)/python bench/pages.py $(BENCH_PAGES_ARGS)

clean: ## Remove the virtual environment, node_modules and built assets
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
