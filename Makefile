# `make run` serves the demo; `make test` runs every test. Both set up everything they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
export SURVEYAPP_PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run test bench bench-exports translations static messages clean-db

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

run: export SURVEYAPP_ORGANISATION ?= NSR-sygehusene
run: translations static
	@if [ -z "$$DATABASE_URL" ] && [ ! -f instance/surveyapp.db ]; then \
		$(FLASK) init-db && $(FLASK) seed-demo | tee instance/demo-login.txt; \
	else \
		$(FLASK) init-db >/dev/null; \
	fi
	@echo; echo "surveyapp: http://$(HOST):$(PORT)/"; grep 'demo login' instance/demo-login.txt || true; echo
	@# No access log: it would pair an IP address and a time with /s/<slug> (anonymity).
	$(VENV)/bin/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) app:app

test: $(VENV)/.installed-dev translations static
	bash .ci/system-deps
	bash .ci/with-postgres $(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev translations static
	$(PY) -m bench $(BENCH_ARGS)

# Large downloads with 10 000 and 100 000 responses (docs/benchmarks.md); about 5 minutes.
bench-exports: $(VENV)/.installed-dev translations
	$(PY) -m bench.exports $(BENCH_ARGS)

# Extract the strings into the template and merge them into every catalog. `--ignore-dirs` is set because
# Babel's default also skips folders starting with "_", i.e. templates/_partials and templates/_macros.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext -k _n:1,2 --no-location \
		--ignore-dirs ".* __pycache__ node_modules instance" \
		--sort-output --project surveyapp --copyright-holder surveyapp -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations \
		--ignore-obsolete --width 120

clean-db:
	rm -f instance/surveyapp.db instance/surveyapp.db-wal instance/surveyapp.db-shm instance/demo-login.txt
