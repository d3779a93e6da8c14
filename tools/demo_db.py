"""Create or update the demo database of ``make run``.

A missing database is created like Odoo's database manager does it (German company, language
German, demo data, login ``admin``/``admin``); the add-on is then installed, which brings the
German chart of accounts (SKR03) for the company and the add-on's demo customers and invoices.
An existing database gets the add-on upgraded.

The German chart is installed in a run of its own: Odoo loads a localisation's chart template
on the main company only when the registry has finished loading, and the add-on's demo
invoices need it.
"""

import re
import subprocess
import sys

import odoo
from odoo.service import db as db_service
from odoo.tools import config

MODULE = "payment_followup_ext"
# Odoo reports failed demo data only as a warning; any warning fails the set-up.
PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)


def module_state(db_name, module):
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
        row = cr.fetchone()
    return row and row[0]


def main(conf, db_name):
    config.parse_config(["-c", conf, "--log-level=warn"])
    if db_name not in db_service.list_dbs(force=True):
        print(f"Creating database {db_name} (German company, demo data)", flush=True)
        db_service.exp_create_database(db_name, True, "de_DE", "admin", "admin", "DE")
    steps = []
    if module_state(db_name, "l10n_de") != "installed":
        steps.append(("-i", "l10n_de"))
    steps.append(("-u" if module_state(db_name, MODULE) == "installed" else "-i", MODULE))
    odoo.sql_db.close_all()
    for option, module in steps:
        print(
            f"{'Upgrading' if option == '-u' else 'Installing'} {module} in {db_name}", flush=True
        )
        command = [sys.executable, "-m", "odoo", "-c", conf, "-d", db_name, option, module]
        done = subprocess.run(
            [*command, "--stop-after-init", "--log-level=warn"],
            capture_output=True,
            text=True,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode or PROBLEM.search(output):
            sys.exit(f"{option} {module} failed in {db_name}:\n{output}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
