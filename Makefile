# The two commands: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two workers, each taking from the other's queue when it runs dry (the slow tests go first):
# the machine has two cores and the suite waits on subprocesses and a browser.
PYTEST_ARGS ?= -n 2 --dist worksteal
# Run the suite as if today were this London date or time (tests/clock.py), e.g.
# `make test TODAY=2028-02-29` or `TODAY=2026-03-29T01:30`; empty: the fixed default day.
TODAY ?=
# The days `make test-dates` (and CI) runs the calendar-dependent tests on, besides the default;
# any other: `make test-dates DATES="2026-12-01 2027-01-01"`.
DATES ?= real 2028-02-29 2026-10-25T01:30

.PHONY: run test test-dates lint format setup clean bench load

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

run: setup
	$(PY) tools/dev.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 DATABASE_URL=postgres://lint@/lint $(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup lint
	$(VENV)/bin/pytest $(PYTEST_ARGS) $(if $(TODAY),--today=$(TODAY))

# The tests marked `dated` (their outcome depends on the calendar) again, once per day in DATES.
test-dates: setup
	set -e; for day in $(DATES); do $(VENV)/bin/pytest $(PYTEST_ARGS) -q -m dated --today=$$day; done

# Server time, queries and SQL share of the main pages on a 50,000-child database (var/bench/).
bench: setup
	$(PY) tools/bench.py

# 60 s of 50 IVs and 5 coordinators (Locust) against gunicorn on that database (var/load/).
load: setup
	$(PY) tools/load.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache
