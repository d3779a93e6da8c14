"""Create or update the demo database of ``make run``.

A missing database is created like Odoo's database manager does it (German company, language
German, demo data, login ``admin``/``admin``); the add-on is then installed, which brings the
German chart of accounts (SKR03) for the company and the add-on's demo customers and invoices.
An existing database gets the add-on upgraded.

With an SMTP port (``make run`` passes its mail catcher's), the database's outgoing mail server
is pointed at 127.0.0.1:<port> and the mails the demo queued are sent there at once, so the
demo's follow-up history shows them sent and the mails can be read under ``.run/mail/``.

The German chart is installed in a run of its own: Odoo loads a localisation's chart template
on the main company only when the registry has finished loading, and the add-on's demo
invoices need it.
"""

import logging
import os
import re
import subprocess
import sys

import odoo
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.service import server as odoo_server
from odoo.tools import config

MODULE = "payment_followup_ext"
# The sale bridge: the suspension banner on quotations and orders of the demo.
MODULES = (MODULE, "payment_followup_ext_sale")
MAIL_SERVER = "Mail-Catcher (make run)"
# Odoo reports failed demo data only as a warning; any warning fails the set-up.
PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)


def module_state(db_name, module):
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
        row = cr.fetchone()
    return row and row[0]


def main(conf, db_name, smtp_port=None):
    config.parse_config(["-c", conf, "--log-level=warn"])
    created = db_name not in db_service.list_dbs(force=True)
    if created:
        print(f"Creating database {db_name} (German company, demo data)", flush=True)
        db_service.exp_create_database(db_name, True, "de_DE", "admin", "admin", "DE")
    steps = []
    if module_state(db_name, "l10n_de") != "installed":
        steps.append(("-i", "l10n_de"))
    for module in MODULES:
        steps.append(("-u" if module_state(db_name, module) == "installed" else "-i", module))
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
    play_scenario(db_name)
    if smtp_port:
        send_to_catcher(db_name, int(smtp_port))


def play_scenario(db_name):
    """The months before today, once per database (tools/demo_scenario.py). Odoo's HTTP
    server runs meanwhile: wkhtmltopdf loads the styles of the PDFs the past sends (invoices
    attached to final notices) from it."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import demo_scenario

    # An unpatched wkhtmltopdf warns of the header switches it ignores on every PDF (tools/test
    # says it once); the past renders dozens.
    logging.getLogger("odoo.addons.base.models.ir_actions_report").setLevel(logging.ERROR)
    config["dbfilter"] = f"^{re.escape(db_name)}$"
    server = odoo_server.ThreadedServer(odoo.http.root)
    server.http_spawn()
    try:
        registry = Registry.new(db_name)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            print(f"Playing the demo's past in {db_name}", flush=True)
            if not demo_scenario.play(env, report_url=f"http://127.0.0.1:{server.port}"):
                print("  (played before, or the database has a follow-up history)", flush=True)
            cr.commit()
    finally:
        server.httpd.shutdown()


def send_to_catcher(db_name, port):
    """Point the outgoing mail server at the mail catcher and send what the demo queued."""
    registry = Registry.new(db_name)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        servers = env["ir.mail_server"].with_context(active_test=False)
        server = servers.search([("name", "=", MAIL_SERVER)], limit=1)
        values = {
            "name": MAIL_SERVER,
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_encryption": "none",
            "smtp_authentication": "login",
            "smtp_user": False,
            "smtp_pass": False,
            "active": True,
            "sequence": 1,
        }
        if server:
            server.write(values)
        else:
            servers.create(values)
        cr.commit()
        # Mails that failed before the catcher was the mail server (no server at all) go again.
        env["mail.mail"].search([("state", "=", "exception")]).mark_outgoing()
        queued = env["mail.mail"].search_count([("state", "=", "outgoing")])
        env["mail.mail"].process_email_queue()
        failed = env["mail.mail"].search_count([("state", "=", "exception")])
        cr.commit()
    print(f"Sent {queued} queued mails to the mail catcher on 127.0.0.1:{port}", flush=True)
    if failed:
        sys.exit(f"{failed} mails of {db_name} failed to send: see Settings > Technical > Emails")


if __name__ == "__main__":
    main(*sys.argv[1:4])
