"""The data of ``make bench``: customers with open invoices and a follow-up history, fast.

Usage: ``bench_data.py CONF DB FLAVOUR [ADDONS_PATH]``, FLAVOUR ``pfx`` (this add-on) or ``oca``
(OCA ``account_credit_control``). Both flavours get the same customers and invoices (same seed)
and the same 4-level ladder (+3, +14, +28, +42 days after the due date, email on every level);
the history each flavour keeps (``payment.followup.history`` and the items' level, or
``credit.control.line``) says which levels every item already reached.

Accounting data is written in plain SQL, as posted invoices look after ``action_post()``: one
customer invoice per open item without tax, a revenue line and a receivable line (the open item)
with its due date, balanced, sequence numbers per year in invoice date order, and the access token
of the portal link a sent invoice has.

Every item reached the highest level whose offset lies before today, so a customer has a step
due today exactly when one of its items is exactly 3, 14, 28 or 42 days late: a fifth of the
customers get one such item, the other items avoid these days.

Environment: ``PFX_BENCH_CUSTOMERS`` (10000), ``PFX_BENCH_ITEMS`` (100000), ``PFX_BENCH_DATE``
(today, ISO), ``PFX_BENCH_SEED`` (17).
"""

import csv
import io
import os
import random
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL, config
from odoo.tools.sql import column_exists

OFFSETS = (3, 14, 28, 42)  # the ladder, days after the due date
LEVEL_NAMES = ("Reminder", "First notice", "Second notice", "Final notice")
POLICY_NAME = "Bench B2B"
# The add-on's mail templates of the same rungs, used where they exist.
SHIPPED_TEMPLATES = tuple(
    f"payment_followup_ext.mail_template_followup_{rung}"
    for rung in ("friendly", "first", "second", "last")
)
DUE_SHARE = 0.2  # customers with a step due today
NO_EMAIL_SHARE = 0.05  # customers without an email address (letter instead)
PAYMENT_DAYS = 30  # invoice date to due date
LATE_RANGE = (-29, 120)  # days late of the other items (negative: not due yet)


@dataclass(frozen=True)
class Settings:
    customers: int
    items: int
    today: date
    seed: int

    @classmethod
    def from_env(cls):
        settings = cls(
            customers=int(os.environ.get("PFX_BENCH_CUSTOMERS", 10_000)),
            items=int(os.environ.get("PFX_BENCH_ITEMS", 100_000)),
            today=date.fromisoformat(os.environ.get("PFX_BENCH_DATE") or date.today().isoformat()),
            seed=int(os.environ.get("PFX_BENCH_SEED", 17)),
        )
        if not 0 < settings.customers <= settings.items:
            sys.exit("PFX_BENCH_ITEMS must be at least PFX_BENCH_CUSTOMERS (and both above 0).")
        return settings


@dataclass(frozen=True)
class Customer:
    index: int
    name: str
    email: str | None


@dataclass(frozen=True)
class Invoice:
    customer: int  # index into the customers
    invoice_date: date
    due: date
    amount: Decimal
    reached: int  # number of levels the item already reached (0 to 4)

    def climbs(self):
        """``(rung index, day)`` of every level the item reached, in order."""
        return [(rung, self.due + timedelta(days=OFFSETS[rung])) for rung in range(self.reached)]


def open_env(conf, db_name, addons_path=None, context=None):
    """A superuser environment on ``db_name`` (the cursor is the caller's to close)."""
    args = ["-c", conf, "--log-level=warn"]
    if addons_path:
        args += ["--addons-path", addons_path]
    config.parse_config(args)
    registry = odoo.modules.registry.Registry(db_name)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, context or {})


def dataset(settings):
    """The customers and invoices, the same for every flavour (pure, seeded)."""
    rng = random.Random(settings.seed)
    customers = [
        Customer(
            index,
            f"Bench Kunde {index + 1:05d} GmbH",
            None if rng.random() < NO_EMAIL_SHARE else f"buchhaltung{index + 1:05d}@kunde.example",
        )
        for index in range(settings.customers)
    ]
    due_today = set(rng.sample(range(settings.customers), round(settings.customers * DUE_SHARE)))
    counts = [1] * settings.customers
    for _extra in range(settings.items - settings.customers):
        counts[rng.randrange(settings.customers)] += 1
    invoices = []
    for customer in customers:
        for number in range(counts[customer.index]):
            if number == 0 and customer.index in due_today:
                late = rng.choice(OFFSETS)
            else:
                late = rng.randint(*LATE_RANGE)
                while late in OFFSETS:
                    late = rng.randint(*LATE_RANGE)
            due = settings.today - timedelta(days=late)
            invoices.append(
                Invoice(
                    customer=customer.index,
                    invoice_date=due - timedelta(days=PAYMENT_DAYS),
                    due=due,
                    amount=Decimal(rng.randint(5_000, 500_000)) / 100,
                    reached=sum(1 for offset in OFFSETS if offset < late),
                )
            )
    invoices.sort(key=lambda invoice: (invoice.invoice_date, invoice.customer))
    return customers, invoices


# ---------------------------------------------------------------------- SQL helpers


def next_ids(cr, table, count):
    cr.execute(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"{table}_id_seq", count))
    return [row[0] for row in cr.fetchall()]


def insert(cr, table, rows, audited=True):
    """Insert ``rows`` (dicts with the same keys) into ``table`` with ``COPY``.

    With ``audited`` the creation and write user and dates are set too, as the ORM sets them.
    """
    columns = list(rows[0])
    extra = []
    if audited:
        columns += ["create_uid", "write_uid", "create_date", "write_date"]
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        extra = [SUPERUSER_ID, SUPERUSER_ID, now, now]
    data = io.StringIO()
    writer = csv.writer(data)
    for row in rows:
        writer.writerow([*row.values(), *extra])
    data.seek(0)
    copy = SQL(
        "COPY %s (%s) FROM STDIN WITH (FORMAT csv)",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(name) for name in columns),
    )
    cr.copy_expert(copy.code, data)


# ---------------------------------------------------------------------- configuration


def configure_pfx(env, company):
    """The company's default follow-up policy; returns it and its level ids, lowest first.

    Each level sends the add-on's own template of the same rung where the add-on ships one
    (``SHIPPED_TEMPLATES``), else a small template listing the items.
    """
    simple = env["mail.template"].create(
        {
            "name": "Bench follow-up",
            "model_id": env["ir.model"]._get_id("payment.followup.history"),
            "subject": "{{ object.level_id.name }}: {{ object.partner_id.name }}",
            "lang": "{{ object.recipient_id.lang }}",
            "body_html": """
<p>Dear <t t-out="object.recipient_id.name"/>,</p>
<p><t t-out="object.level_id.name"/>: our records show these items as open.</p>
<table>
    <tr t-foreach="object.line_ids" t-as="line">
        <td t-out="line.move_id.name"/>
        <td t-out="format_date(line.date_maturity)"/>
        <td t-out="format_amount(line.amount_residual, object.currency_id)"/>
    </tr>
</table>
<p>Total due: <t t-out="format_amount(object.amount_due, object.currency_id)"/></p>
""",
        }
    )
    Policy = env["payment.followup.policy"]
    Policy.search([("company_id", "=", company.id), ("is_default", "=", True)]).is_default = False
    policy = Policy.create(
        {
            "name": POLICY_NAME,
            "company_id": company.id,
            "is_default": True,
            "level_ids": [
                Command.create(
                    {
                        "name": name,
                        "offset_days": offset,
                        "send_email": True,
                        "mail_template_id": (env.ref(xmlid, raise_if_not_found=False) or simple).id,
                    }
                )
                for name, offset, xmlid in zip(LEVEL_NAMES, OFFSETS, SHIPPED_TEMPLATES, strict=True)
            ],
        }
    )
    return policy, policy.level_ids.sorted("offset_days").ids


def configure_oca(env, company, receivable):
    """The same ladder as an OCA credit control policy, the company's default."""
    template = env.ref("account_credit_control.email_template_credit_control_base")
    policy = env["credit.control.policy"].create(
        {
            "name": POLICY_NAME,
            "company_id": company.id,
            "account_ids": [Command.set(receivable.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": name,
                        "level": number,
                        "computation_mode": "net_days",
                        "delay_days": offset,
                        "email_template_id": template.id,
                        "channel": "email",
                        "custom_text": f"{name}: please pay the items below.",
                        "custom_mail_text": f"<p>{name}: please pay the items below.</p>",
                        "mail_show_invoice_detail": True,
                    }
                )
                for number, (name, offset) in enumerate(zip(LEVEL_NAMES, OFFSETS, strict=True), 1)
            ],
        }
    )
    company.credit_policy_id = policy
    return policy, policy.level_ids.sorted("level").ids


# ---------------------------------------------------------------------- data


def insert_partners(cr, customers):
    ids = next_ids(cr, "res_partner", len(customers))
    rows = [
        {
            "id": pid,
            "name": customer.name,
            "complete_name": customer.name,
            "commercial_partner_id": pid,
            "commercial_company_name": customer.name,
            "email": customer.email,
            "email_normalized": customer.email,
            "lang": "en_US",
            "type": "contact",
            "is_company": True,
            "active": True,
            "partner_share": True,
            "customer_rank": 1,
            "supplier_rank": 0,
            "color": 0,
            "message_bounce": 0,
            "invoice_warn": "no-message",
            "autopost_bills": "ask",  # NOT NULL since Odoo 18
        }
        for pid, customer in zip(ids, customers, strict=True)
    ]
    # NOT NULL in this add-on
    if column_exists(cr, "res_partner", "payment_followup_invoicing_schedule"):
        for row in rows:
            row["payment_followup_invoicing_schedule"] = "immediate"
    insert(cr, "res_partner", rows)
    return ids


def insert_invoices(cr, invoices, partner_ids, customers, accounts, level_ids=None):
    """One posted customer invoice per item, without tax; returns the receivable line ids.

    With ``level_ids`` (this add-on) the receivable lines carry the level they reached.
    """
    company, journal, currency, receivable, income = accounts
    move_ids = next_ids(cr, "account_move", len(invoices))
    line_ids = next_ids(cr, "account_move_line", 2 * len(invoices))
    numbers = defaultdict(int)
    moves, lines = [], []
    for move_id, invoice, income_line, receivable_line in zip(
        move_ids, invoices, line_ids[0::2], line_ids[1::2], strict=True
    ):
        year = invoice.invoice_date.year
        numbers[year] += 1
        prefix = f"INV/{year}/"
        name = f"{prefix}{numbers[year]:05d}"
        partner = partner_ids[invoice.customer]
        amount = invoice.amount
        moves.append(
            {
                "id": move_id,
                "name": name,
                "sequence_prefix": prefix,
                "sequence_number": numbers[year],
                "journal_id": journal.id,
                "company_id": company.id,
                "partner_id": partner,
                "commercial_partner_id": partner,
                "partner_shipping_id": partner,
                "currency_id": currency.id,
                "invoice_user_id": SUPERUSER_ID,
                "state": "posted",
                "move_type": "out_invoice",
                "auto_post": "no",
                "payment_reference": name,
                # Sent invoices carry the token of their portal link.
                "access_token": str(uuid.uuid4()),
                "payment_state": "not_paid",
                "invoice_partner_display_name": customers[invoice.customer].name,
                "date": invoice.invoice_date,
                "invoice_date": invoice.invoice_date,
                "invoice_date_due": invoice.due,
                "delivery_date": invoice.invoice_date,
                "amount_untaxed": amount,
                "amount_tax": 0,
                "amount_total": amount,
                "amount_residual": amount,
                "amount_untaxed_signed": amount,
                "amount_tax_signed": 0,
                "amount_total_signed": amount,
                "amount_total_in_currency_signed": amount,
                "amount_residual_signed": amount,
                "is_storno": False,
                "always_tax_exigible": False,
                "posted_before": True,
            }
        )
        common = {
            "move_id": move_id,
            "journal_id": journal.id,
            "company_id": company.id,
            "company_currency_id": currency.id,
            "currency_id": currency.id,
            "partner_id": partner,
            "move_name": name,
            "parent_state": "posted",
            "date": invoice.invoice_date,
            "invoice_date": invoice.invoice_date,
            "discount": 0,
            "tax_tag_invert": False,
            "reconciled": False,
            "payment_followup_blocked": False,  # the add-on's own flag (Odoo 18 has none)
        }
        lines.append(
            common
            | {
                "id": income_line,
                "sequence": 100,
                "account_id": income.id,
                "name": "Leistung",
                "display_type": "product",
                "date_maturity": None,
                "debit": 0,
                "credit": amount,
                "balance": -amount,
                "amount_currency": -amount,
                "amount_residual": 0,
                "amount_residual_currency": 0,
                "quantity": 1,
                "price_unit": amount,
                "price_subtotal": amount,
                "price_total": amount,
                "payment_followup_level_id": None,
                "payment_followup_date": None,
            }
        )
        reached = invoice.climbs()[-1] if invoice.reached else None
        lines.append(
            common
            | {
                "id": receivable_line,
                "sequence": 12000,
                "account_id": receivable.id,
                "name": name,
                "display_type": "payment_term",
                "date_maturity": invoice.due,
                "debit": amount,
                "credit": 0,
                "balance": amount,
                "amount_currency": amount,
                "amount_residual": amount,
                "amount_residual_currency": amount,
                "quantity": 0,
                "price_unit": 0,
                "price_subtotal": 0,
                "price_total": 0,
                "payment_followup_level_id": level_ids[reached[0]]
                if level_ids and reached
                else None,
                "payment_followup_date": reached[1] if level_ids and reached else None,
            }
        )
    insert(cr, "account_move", moves)
    if not level_ids:
        for line in lines:
            del line["payment_followup_level_id"], line["payment_followup_date"]
            del line["payment_followup_blocked"]
    insert(cr, "account_move_line", lines)
    return line_ids[1::2]


def climbs_by_day(invoices, receivable_lines):
    """``{(customer, day): [(rung, line id, amount)]}``: the levels reached in the past."""
    days = defaultdict(list)
    for invoice, line_id in zip(invoices, receivable_lines, strict=True):
        for rung, day in invoice.climbs():
            days[invoice.customer, day].append((rung, line_id, invoice.amount))
    return days


def insert_history(cr, company, policy, level_ids, invoices, receivable_lines, partners, emails):
    """One ``payment.followup.history`` per customer and day some item climbed a level."""
    days = climbs_by_day(invoices, receivable_lines)
    history_ids = next_ids(cr, "payment_followup_history", len(days))
    rows, escalated = [], []
    for history_id, ((customer, day), climbs) in zip(
        history_ids, sorted(days.items()), strict=True
    ):
        no_email = not emails[customer]
        rows.append(
            {
                "id": history_id,
                "partner_id": partners[customer],
                "company_id": company.id,
                "level_id": level_ids[max(rung for rung, _line, _amount in climbs)],
                "policy_id": policy.id,
                "date": day,
                "user_id": SUPERUSER_ID,
                "amount_due": sum(amount for _rung, _line, amount in climbs),
                "recipient_id": partners[customer],
                "no_email": no_email,
                "letter_state": "printed" if no_email else "none",
            }
        )
        escalated += [
            {"history_id": history_id, "line_id": line_id} for _rung, line_id, _amount in climbs
        ]
    insert(cr, "payment_followup_history", rows)
    insert(
        cr,
        "payment_followup_history_escalated_rel",
        escalated,
        audited=False,
    )
    return len(rows)


def insert_credit_lines(
    cr, accounts, policy, level_ids, invoices, receivable_lines, partners, emails
):
    """One sent ``credit.control.line`` per level every item reached, oldest first (OCA takes
    the newest line of an item as the level it reached)."""
    company, _journal, currency, receivable, _income = accounts
    cr.execute(
        SQL("SELECT id, move_id FROM account_move_line WHERE id = ANY(%s)", receivable_lines)
    )
    move_of = dict(cr.fetchall())
    climbs = sorted(
        (day, rung, line_id, invoice)
        for invoice, line_id in zip(invoices, receivable_lines, strict=True)
        for rung, day in invoice.climbs()
    )
    ids = next_ids(cr, "credit_control_line", len(climbs))
    rows = [
        {
            "id": line,
            "date": day,
            "date_due": invoice.due,
            "date_entry": invoice.invoice_date,
            "date_sent": day,
            "state": "sent",
            "channel": "email" if emails[invoice.customer] else "letter",
            "invoice_id": move_of[line_id],
            "partner_id": partners[invoice.customer],
            "commercial_partner_id": partners[invoice.customer],
            "amount_due": invoice.amount,
            "balance_due": invoice.amount,
            "move_line_id": line_id,
            "account_id": receivable.id,
            "currency_id": currency.id,
            "company_id": company.id,
            "policy_level_id": level_ids[rung],
            "policy_id": policy.id,
            "level": rung + 1,
            "manually_overridden": False,
            "manual_followup": False,
        }
        for line, (day, rung, line_id, invoice) in zip(ids, climbs, strict=True)
    ]
    insert(cr, "credit_control_line", rows)
    return len(rows)


def main(conf, db_name, flavour, addons_path=None):
    settings = Settings.from_env()
    started = time.perf_counter()
    customers, invoices = dataset(settings)
    env = open_env(conf, db_name, addons_path, {"tracking_disable": True})
    cr = env.cr
    try:
        company = env.ref("base.main_company")
        if not company.chart_template:
            env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
        company.email = "forderungen@bench.example"
        env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": company.partner_id.id}
        )
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        Partner = env["res.partner"].with_company(company)
        receivable = Partner._fields[
            "property_account_receivable_id"
        ].get_company_dependent_fallback(Partner)
        accounts = (company, journal, company.currency_id, receivable, journal.default_account_id)
        if flavour == "pfx":
            policy, level_ids = configure_pfx(env, company)
        else:
            policy, level_ids = configure_oca(env, company, receivable)
        env.flush_all()
        cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cr.fetchone()[0]:
            # Bulk load: the rows reference records just made or read, so the foreign key
            # triggers (most of the time of the inserts) are skipped for this transaction.
            cr.execute("SET LOCAL session_replication_role = replica")
        partners = insert_partners(cr, customers)
        emails = [customer.email for customer in customers]
        receivable_lines = insert_invoices(
            cr, invoices, partners, customers, accounts, level_ids if flavour == "pfx" else None
        )
        args = (policy, level_ids, invoices, receivable_lines, partners, emails)
        if flavour == "pfx":
            history = insert_history(cr, company, *args)
        else:
            history = insert_credit_lines(cr, accounts, *args)
        cr.commit()
        cr.execute(
            SQL(
                "ANALYZE res_partner, account_move, account_move_line, %s",
                SQL.identifier(
                    "payment_followup_history" if flavour == "pfx" else "credit_control_line"
                ),
            )
        )
        cr.commit()
    finally:
        cr.close()
    print(
        f"{db_name}: {len(customers)} customers, {len(invoices)} open items, "
        f"{history} history records, generated in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
