"""Upgrade, uninstall and reinstall of the add-on in a database of its own, through Odoo's
command line, with nothing above INFO in the log.

``make test`` creates that database (PFX_LIFECYCLE_DB) next to the test database.
"""

import os
import re
import subprocess
import sys

import pytest

from odoo.sql_db import db_connect

MODULE = "payment_followup_ext"
PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)


@pytest.fixture(scope="module")
def lifecycle():
    conf = os.environ.get("PFX_ODOO_CONF")
    db_name = os.environ.get("PFX_LIFECYCLE_DB")
    if not (conf and db_name):
        pytest.fail("PFX_ODOO_CONF and PFX_LIFECYCLE_DB are unset: run this through `make test`.")
    return conf, db_name


def _odoo(conf, db_name, *args, stdin=None):
    command = [sys.executable, "-m", "odoo", *args[:1], "-c", conf, "-d", db_name, *args[1:]]
    done = subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=900, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    problems = [m.group(0) + output[m.end() :].split("\n", 1)[0] for m in PROBLEM.finditer(output)]
    assert not problems, "\n".join(problems)
    return output


def _state(db_name):
    with db_connect(db_name).cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [MODULE])
        state = cr.fetchone()[0]
        cr.execute("SELECT to_regclass('payment_followup_base_rate') IS NOT NULL")
        has_table = cr.fetchone()[0]
    return state, has_table


def test_upgrade_uninstall_reinstall(lifecycle):
    conf, db_name = lifecycle
    assert _state(db_name) == ("installed", True)

    _odoo(conf, db_name, "server", "-u", MODULE, "--stop-after-init", "--no-http")
    assert _state(db_name) == ("installed", True)

    uninstall = (
        f"module = env['ir.module.module'].search([('name', '=', '{MODULE}')])\n"
        "module.button_immediate_uninstall()\n"
        "env.cr.commit()\n"
    )
    _odoo(conf, db_name, "shell", "--no-http", stdin=uninstall)
    assert _state(db_name) == ("uninstalled", False)

    _odoo(conf, db_name, "server", "-i", MODULE, "--stop-after-init", "--no-http")
    assert _state(db_name) == ("installed", True)
    with db_connect(db_name).cursor() as cr:
        cr.execute("SELECT count(*) FROM payment_followup_base_rate")
        assert cr.fetchone()[0] == 49
