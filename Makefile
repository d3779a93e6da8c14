# payment_followup_ext: see README.md. Odoo 18.0 comes from PYTHON when it imports it, otherwise
# from the project's virtualenv (.venv/), installed from ODOO_SOURCE by tools/odoo-install.
PYTHON ?= python3
export PYTHON

.PHONY: run stop test lint format bench

run:  ## Odoo 18.0 if missing, PostgreSQL, the demo database, Odoo on http://localhost:8069
	tools/run

stop:  ## stop Odoo started by `make run` and the project's PostgreSQL
	tools/stop

test:  ## the whole suite: policy, Odoo tests, browser tours (nothing may be skipped)
	tools/test

bench:  ## timings of the daily run over 10,000 customers / 100,000 open items, beside OCA (JSON)
	@tools/bench

lint:  ## ruff (lint + format check) and pylint-odoo
	tools/lint

format:  ## ruff format and ruff's fixes
	tools/lint --fix
