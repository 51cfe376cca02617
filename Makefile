# `make run` serves the demo; `make test` runs every test. Both set up everything they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# gunicorn's concurrency; the app sizes its connection pool and SQLite's busy timeout from the same numbers.
# `make run` has no nginx in front: a client that trickles its request holds a gthread thread until it is
# done, so it runs 16 threads a worker (32 requests at once) where a few slow phones leave room for the rest.
export SURVEYAPP_WORKERS ?= 2
export SURVEYAPP_THREADS ?= 16

.PHONY: run run-preflight test bench bench-results bench-exports translations static messages clean-db

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Compiled catalogs are built, never committed.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -d translations 2>&1 | grep -v '^compiling' || true

# Brotli and gzip copies of the static files for WhiteNoise, built, never committed.
static: $(VENV)/.installed
	$(PY) -m surveyapp.staticfiles

# Before anything is installed or started: a taken port, or no address phones can reach on HOST=0.0.0.0, is
# one line and exit 1 (tools/run_preflight.py; system python3, as .venv may not exist yet).
# $(error) keeps it one line: a failing recipe line would add make's own "*** Error 1" line.
run-preflight:
	$(eval PREFLIGHT_ERROR := $(shell python3 tools/run_preflight.py "$(HOST)" "$(PORT)" 2>&1 >/dev/null))
	$(if $(PREFLIGHT_ERROR),$(error $(PREFLIGHT_ERROR)))

run: export SURVEYAPP_ORGANISATION ?= NSR-sygehusene
run: run-preflight translations static
	@bash .ci/system-deps runtime
	@if [ -z "$$DATABASE_URL" ] && [ ! -f instance/surveyapp.db ]; then \
		$(FLASK) init-db && $(FLASK) seed-demo > instance/demo-login.txt && grep -v 'demo login' instance/demo-login.txt; \
	else \
		$(FLASK) init-db >/dev/null; \
	fi
	@# The public URL in QR codes and links: SURVEYAPP_PUBLIC_URL, else on 0.0.0.0 the machine's primary IP
	@# address (never its host name, which phones cannot resolve), else http://HOST:PORT.
	@url=$$(python3 tools/run_preflight.py "$(HOST)" "$(PORT)") || exit 1; export SURVEYAPP_PUBLIC_URL=$$url; \
	echo; echo "surveyapp: serving on $(HOST):$(PORT); public URL (QR codes, links): $$url/"; \
	echo "  (set SURVEYAPP_PUBLIC_URL to change it)"; grep 'demo login' instance/demo-login.txt 2>/dev/null || true; echo; \
	exec $(VENV)/bin/gunicorn --workers $(SURVEYAPP_WORKERS) --threads $(SURVEYAPP_THREADS) --bind $(HOST):$(PORT) \
		--control-socket instance/gunicorn-$(PORT).ctl app:app

test: $(VENV)/.installed-dev translations static
	bash .ci/system-deps
	bash .ci/with-postgres $(PY) -m pytest $(PYTEST_ARGS)

# The respondent flow on SQLite and a throwaway PostgreSQL, against a bare Flask app (docs/benchmarks.md).
bench: $(VENV)/.installed-dev translations static
	bash .ci/system-deps
	command -v wrk >/dev/null || { SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends wrk; }
	bash .ci/with-postgres $(PY) -m bench $(BENCH_ARGS)

# Results pages at 100 000 (and with BENCH_ARGS="--large" 1 000 000) responses, cold and warm, both databases.
bench-results: $(VENV)/.installed-dev translations static
	bash .ci/system-deps
	bash .ci/with-postgres $(PY) -m bench.results $(BENCH_ARGS)

# Large downloads with 10 000 and 100 000 responses (docs/benchmarks.md); about 5 minutes.
bench-exports: $(VENV)/.installed-dev translations
	$(PY) -m bench.exports $(BENCH_ARGS)

# Extract the strings into the template and merge them into every catalog. `--ignore-dirs` is set because
# Babel's default also skips folders starting with "_", i.e. templates/_partials and templates/_macros.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F translations/babel.cfg -k _l -k N_ -k lazy_gettext -k _n:1,2 --no-location \
		--ignore-dirs ".* __pycache__ node_modules instance" \
		--sort-output --project surveyapp --copyright-holder surveyapp -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations \
		--ignore-obsolete --no-fuzzy-matching --width 120

clean-db:
	rm -f instance/surveyapp.db instance/surveyapp.db-wal instance/surveyapp.db-shm instance/demo-login.txt
