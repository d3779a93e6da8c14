# payment_followup_ext: see README.md. Odoo 17 must be importable by python3.
PYTHON ?= python3
export PYTHON

.PHONY: run stop test lint format bench

run:  ## PostgreSQL, the demo database, Odoo on http://localhost:8069
	tools/run

stop:  ## stop Odoo started by `make run` and the project's PostgreSQL
	tools/stop

test:  ## the whole suite: policy, Odoo tests, browser tours (nothing may be skipped)
	tools/test

bench:  ## timings of the daily run over 10,000 customers / 100,000 open items, beside OCA (JSON)
	@tools/bench

lint:  ## ruff (lint + format check) and pylint-odoo
	tools/lint

format:
	$(PYTHON) -m ruff format payment_followup_ext tests tools setup.py
	$(PYTHON) -m ruff check --fix payment_followup_ext tests tools setup.py
