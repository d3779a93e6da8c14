"""Shared set-up of the Odoo tests: a German company with a follow-up ladder and customers."""

import io
import uuid
from contextlib import contextmanager
from datetime import date, timedelta

import lxml.html

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.pdf import PdfFileReader

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

DUE = date(2026, 3, 2)  # a Monday
AGREED_ON = date(2025, 1, 2)  # the payment contract of the test customers
# The day and the number of customers of the committed runs (CommittedRunsCase).
TODAY = date(2026, 5, 4)
CUSTOMERS = 24


@contextmanager
def registry_lock_released():
    """Threads of a test may open environments (``Registry(dbname)``): Odoo's own test runner
    holds the registry lock while it runs the tests, and they would wait for it forever. As
    Odoo's test mode does, the lock is replaced by a dummy meanwhile (the registry is loaded;
    nothing loads another one)."""
    saved = Registry._lock
    Registry._lock = DummyRLock()
    try:
        yield
    finally:
        Registry._lock = saved


class FollowupCase(AccountTestInvoicingCommon):
    # Odoo 18 makes the second company (``company_data_2``) only for the tests that ask for it.
    with_other_company = False

    @classmethod
    @AccountTestInvoicingCommon.setup_country("de")
    @AccountTestInvoicingCommon.setup_chart_template("de_skr03")
    def setUpClass(cls):
        super().setUpClass()
        if cls.with_other_company:
            cls.company_data_2 = cls.setup_other_company()
        cls.company = cls.company_data["company"]
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.user.company_id = cls.company
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.template = cls._make_template("Reminder")
        cls.policy = cls.env["payment.followup.policy"].create(
            {
                "name": "Standard B2B",
                "company_id": cls.company.id,
                "is_default": True,
                "level_ids": [
                    Command.create(cls._level_vals("Payment reminder", -3)),
                    Command.create(cls._level_vals("Friendly reminder", 3)),
                    Command.create(
                        cls._level_vals("First notice", 14, send_letter=True, interval=7)
                    ),
                    Command.create(
                        cls._level_vals(
                            "Second notice",
                            28,
                            interval=7,
                            min_amount=100,
                            schedule_activity=True,
                            activity_type_id=cls.env.ref("mail.mail_activity_data_call").id,
                            activity_deadline_days=2,
                        )
                    ),
                    Command.create(
                        cls._level_vals(
                            "Final notice",
                            42,
                            interval=7,
                            min_amount=100,
                            manual_review=True,
                            send_letter=True,
                        )
                    ),
                ],
            }
        )
        cls.pre_due, cls.friendly, cls.first, cls.second, cls.last = cls.policy.level_ids
        cls.customer = cls._make_customer("Kunde Eins GmbH", "buchhaltung@kunde-eins.example")
        cls.accountant = new_test_user(
            cls.env,
            login="pfx_accountant",
            name="Erika Buchhalterin",
            email="erika@example.com",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _make_template(cls, subject):
        return cls.env["mail.template"].create(
            {
                "name": f"Follow-up {subject}",
                "model_id": cls.env["ir.model"]._get_id("payment.followup.history"),
                "subject": f"{subject} {{{{ object.partner_id.name }}}}",
                "lang": "{{ object.recipient_id.lang }}",
                "body_html": (
                    '<p>Level <t t-out="object.level_id.name"/></p>'
                    '<ul><li t-foreach="object.line_ids" t-as="line">'
                    '<t t-out="line.move_id.name"/></li></ul>'
                ),
            }
        )

    @classmethod
    def _level_vals(cls, name, offset, interval=0, min_amount=0, **values):
        return {
            "name": name,
            "offset_days": offset,
            "min_days_since_previous": interval,
            "min_amount": min_amount,
            "send_email": True,
            "mail_template_id": cls.template.id,
            **values,
        }

    @classmethod
    def _make_customer(cls, name, email=False, agreed=True, **values):
        """A customer of the test company (its notes and emails go to its chatter; a contact
        shared by companies: ``company_id=False``); ``agreed``: with payment terms signed before
        every invoice of the tests, so that default starts the day after the due date
        (§ 286(2) no. 1 BGB)."""
        values.setdefault("company_id", cls.company.id)
        if agreed:
            values.setdefault("payment_followup_contract_date", AGREED_ON)
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "email": email, "lang": "de_DE", **values}
        )

    def invoice(self, partner=None, amount=500.0, due=DUE, post=True, taxed=True):
        """A customer invoice due on ``due``; with ``taxed``, the company's default sales tax."""
        line = {"name": "Wartung", "quantity": 1, "price_unit": amount}
        if not taxed:
            line["tax_ids"] = [Command.clear()]
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        if post:
            move.action_post()
        return move

    def claim_without_tax(self, partner=None, amount=10000.0, due=DUE):
        """A posted invoice without tax: the claim is exactly ``amount``."""
        return self.invoice(partner, amount, due, taxed=False)

    def run_followup(self, today, partners=None, manual=False, company=None):
        Run = self.env["payment.followup.run"]
        return Run._process(
            company or self.company,
            today,
            partner_ids=partners.ids if partners else None,
            manual=manual,
        )

    @contextmanager
    def printing(self):
        """The block prints real PDFs: wkhtmltopdf loads the report's style sheets and fonts
        from Odoo's HTTP server. The registry is put in test mode meanwhile, as Odoo's
        ``HttpCase`` does: the server then answers on this test's cursor instead of waiting for
        the registry lock, which Odoo's own test runner holds while it runs the tests."""
        if self.registry.in_test_mode():
            yield
            return
        self.registry.enter_test_mode(self.cr)
        try:
            yield
        finally:
            self.registry.leave_test_mode()

    def render_pdf(self, report, records):
        """Print ``report`` for ``records`` as the user does and return the document's text.

        The PDF is real (see ``printing``), a page at least for each record. The text is that
        of the HTML that wkhtmltopdf prints: Debian's wkhtmltopdf (unpatched Qt) draws web fonts
        as outlines, so its PDFs have no text to extract.
        """
        with self.printing():
            content, kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, records.ids)
            )
        self.assertEqual(kind, "pdf")
        self.assertGreaterEqual(len(PdfFileReader(io.BytesIO(content)).pages), len(records))
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(report, records.ids)
        return " ".join(lxml.html.fromstring(html).text_content().split())

    def histories(self, partner=None):
        return self.env["payment.followup.history"].search(
            [("partner_id", "=", (partner or self.customer).id)], order="date, id"
        )

    def mails(self, partner=None):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", (partner or self.customer).id)],
            order="id",
        )


class CommittedRunsCase(TransactionCase):
    """Runs on their own cursors with real commits, as cron and job workers do: a company of its
    own with 24 customers, each with one invoice 10 days overdue; every test starts from
    unreminded customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            # A company of its own: committed journal items must not touch the main company,
            # whose currency AccountTestInvoicingCommon changes.
            company = env["res.company"].create(
                {
                    "name": f"Parallel GmbH {uuid.uuid4().hex[:8]}",
                    "country_id": env.ref("base.de").id,
                }
            )
            env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            template = env["mail.template"].create(
                {
                    "name": "Reliability reminder",
                    "model_id": env["ir.model"]._get_id("payment.followup.history"),
                    "subject": "Reminder",
                    "body_html": "<p>Please pay.</p>",
                }
            )
            policy = env["payment.followup.policy"].create(
                {
                    "name": "Reliability",
                    "company_id": company.id,
                    "sequence": 0,
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Reminder",
                                "offset_days": 3,
                                "send_email": True,
                                "mail_template_id": template.id,
                            }
                        )
                    ],
                }
            )
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Parallel {index:02d}",
                        "email": f"p{index}@example.com",
                        "company_id": company.id,
                        "payment_followup_policy_id": policy.id,
                    }
                    for index in range(CUSTOMERS)
                ]
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "invoice_date": TODAY - timedelta(days=10),
                        "invoice_date_due": TODAY - timedelta(days=10),
                        "invoice_line_ids": [Command.create({"name": "X", "price_unit": 100.0})],
                    }
                    for partner in partners
                ]
            )
            moves.action_post()
            # A cursor of its own, as a cron worker commits.
            cr.commit()  # pylint: disable=invalid-commit
            cls.company_id = company.id
            cls.partner_ids = partners.ids
            cls.move_ids = moves.ids

    def setUp(self):
        super().setUp()
        self.addCleanup(self._forget_runs)

    def _forget_runs(self):
        """Each test starts from unreminded customers. The company and its posted invoices
        stay: the German audit trail forbids deleting them (make test recreates the database)."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            histories = env["payment.followup.history"].search(
                [("partner_id", "in", self.partner_ids)]
            )
            histories.mail_id.unlink()
            histories.unlink()
            lines = env["account.move"].browse(self.move_ids).line_ids
            lines.write({"payment_followup_level_id": False, "payment_followup_date": False})
            env["payment.followup.status"].search([("partner_id", "in", self.partner_ids)]).unlink()
            env["res.company"].search(
                [("payment_followup_run_progress", "!=", False)]
            ).payment_followup_run_progress = False

    def _run(self, batch_size=5):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return (
                env["payment.followup.run"]
                ._process(
                    env["res.company"].browse(self.company_id),
                    TODAY,
                    partner_ids=self.partner_ids,
                    commit=True,
                    batch_size=batch_size,
                )
                .ids
            )

    def _count(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            histories = env["payment.followup.history"].search(
                [("partner_id", "in", self.partner_ids)]
            )
            per_partner = {}
            for history in histories:
                per_partner[history.partner_id.id] = per_partner.get(history.partner_id.id, 0) + 1
            mails = env["mail.mail"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", self.partner_ids)]
            )
            return per_partner, mails

    def _run_cron_job(self):
        """The daily cron as Odoo's cron runner executes it: the job's server action called on
        a cursor of its own while it reports batches left, 10 calls at most
        (``ir.cron._run_job``); returns the progress of every call."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron = env.ref("payment_followup_ext.ir_cron_payment_followup")
            job = {
                "id": cron.id,
                "cron_name": cron.cron_name,
                "user_id": cron.user_id.id,
                "lastcall": cron.lastcall,
                "ir_actions_server_id": cron.ir_actions_server_id.id,
                "timed_out_counter": 0,
                "active": True,
            }
            before = env["ir.cron.progress"].search([("cron_id", "=", cron.id)]).ids
        status = type(env["ir.cron"])._run_job(job)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            progress = env["ir.cron.progress"].search(
                [("cron_id", "=", job["id"]), ("id", "not in", before)], order="id"
            )
            return status, [(call.done, call.remaining) for call in progress]

    def _reset_batch_params(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].search(
                [
                    (
                        "key",
                        "in",
                        [
                            "payment_followup_ext.batch_size",
                            "payment_followup_ext.batches_per_call",
                        ],
                    )
                ]
            ).unlink()
