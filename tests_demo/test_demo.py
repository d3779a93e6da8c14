"""The demo database of ``make run``, as a new user meets it (``tools/test`` builds it with
tools/demo_db.py, the project's mail catcher running, and runs these tests in it).

What is checked is what the first ten minutes show: every feature in a realistic state, every
mail really sent (SMTP to the mail catcher), everything a German customer or accountant reads in
German.
"""

import re
import subprocess
import tempfile
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import config
from odoo.tools.misc import format_date, formatLang

# Words that give an English text away; the German texts of the add-on use none of them.
ENGLISH = re.compile(
    r"\b(Dear|Kind regards|Payment reminder|reminder|overdue|invoice|Please|amount due|"
    r"Call about|Dunning fee|Late interest|Flat fee|due date|Total)\b",
    re.IGNORECASE,
)


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html or "")).strip()


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.History = cls.env["payment.followup.history"]

    def ref(self, name):
        return self.env.ref(f"payment_followup_ext.{name}")

    def test_every_mail_was_sent_to_the_mail_catcher(self):
        mails = self.env["mail.mail"].search([("model", "=", "res.partner")])
        followup_mails = self.History.search([]).mail_id
        self.assertGreater(len(followup_mails), 20, "the demo's past sends reminders")
        self.assertEqual(
            set((mails | followup_mails).mapped("state")),
            {"sent"},
            "no demo mail may fail or wait: the demo's mail server is the mail catcher",
        )
        steps = self.History.search([("mail_id", "!=", False)])
        self.assertEqual(set(steps.mapped("email_state")), {"sent"})

    def test_mails_to_german_customers_are_german(self):
        steps = self.History.search([("mail_id", "!=", False), ("partner_id.lang", "=", "de_DE")])
        self.assertTrue(steps)
        for step in steps:
            subject, body = step.mail_id.subject, _text(step.mail_id.body_html)
            with self.subTest(step=step.display_name):
                self.assertFalse(ENGLISH.search(subject), subject)
                self.assertFalse(ENGLISH.search(body), body)
                self.assertRegex(body, r"Sehr geehrte|Guten Tag|Hallo")
                self.assertIn("Rechnung", body)
        english = self.History.search(
            [("mail_id", "!=", False), ("partner_id", "=", self.ref("demo_partner_northwind").id)]
        )
        self.assertTrue(english, "the English customer is reminded too")
        self.assertIn("Dear", _text(english[0].mail_id.body_html))

    def test_activities_are_german_and_for_a_person(self):
        customers = self.History.search([]).partner_id
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", customers.ids)]
        )
        self.assertTrue(activities, "the second dunning notice schedules a phone call")
        bot = self.env.ref("base.user_root")
        for activity in activities:
            with self.subTest(activity=activity.summary):
                self.assertNotEqual(activity.user_id, bot, "OdooBot makes no phone calls")
                self.assertFalse(ENGLISH.search(activity.summary or ""), activity.summary)
                self.assertFalse(ENGLISH.search(_text(activity.note)), activity.note)

    def test_charge_documents_are_german(self):
        documents = self.env["account.move"].search(
            [("payment_followup_charge_step_id", "!=", False)]
        )
        self.assertTrue(documents)
        for line in documents.invoice_line_ids:
            with self.subTest(line=line.name):
                self.assertFalse(ENGLISH.search(line.name), line.name)
        self.assertTrue(
            any("Verzugszinsen" in name for name in documents.invoice_line_ids.mapped("name"))
        )

    def test_every_level_of_the_standard_ladder_was_reached(self):
        standard = self.env.ref("payment_followup_ext.payment_followup_policy_standard")
        reached = self.History.search([("level_id.policy_id", "=", standard.id)]).level_id
        self.assertEqual(reached, standard.level_ids, "each level is reached by someone")

    def test_interest_and_flat_fee_booked_on_a_business_customer(self):
        keller = self.ref("demo_partner_keller")
        charges = self.env["payment.followup.charge"].search([("partner_id", "=", keller.id)])
        kinds = set(charges.mapped("kind"))
        self.assertLessEqual({"interest", "flat_fee", "flat_fee_credit"}, kinds)
        self.assertTrue(all(charges.history_id.charge_move_id.mapped("state")))
        interest = sum(charges.filtered(lambda c: c.kind == "interest").mapped("amount"))
        self.assertGreater(interest, 0)
        costs = charges.filtered(lambda c: c.kind in ("fee", "flat_fee", "flat_fee_credit"))
        self.assertEqual(
            sum(costs.mapped("amount")),
            40.0,
            "fees and flat fee come to EUR 40 together (§ 288(5) sentence 3 BGB)",
        )

    def test_plans_promise_dispute_collection(self):
        Plan = self.env["payment.followup.plan"]
        running = Plan.search([("partner_id", "=", self.ref("demo_partner_richter").id)])
        self.assertEqual(running.state, "active")
        self.assertEqual(running.line_ids.sorted("date")[0].state, "paid")
        broken = Plan.search([("partner_id", "=", self.ref("demo_partner_vogel").id)])
        self.assertEqual(broken.state, "broken")
        promise = self.env["payment.followup.promise"].search(
            [("partner_id", "=", self.ref("demo_partner_braun").id)]
        )
        self.assertEqual(promise.state, "open")
        dispute = self.env["payment.followup.dispute"].search(
            [("move_id", "=", self.ref("demo_inv_seeblick_1").id)]
        )
        self.assertEqual(dispute.state, "open")
        case = self.env["payment.followup.collection"].search(
            [("partner_id", "=", self.ref("demo_partner_schneider").id)]
        )
        self.assertEqual(case.state, "handed_over")
        self.assertEqual(case.agency_id, self.ref("demo_partner_inkasso"))
        statement, _format = self.env["ir.actions.report"]._render_qweb_html(
            "payment_followup_ext.action_report_collection_statement", case.ids
        )
        self.assertIn(case.name, statement.decode())

    def test_limitation_monitor_and_court_dunning_sheet(self):
        """Issue 17: Gartenbau Lorenz KG's invoice of three years ago becomes time-barred on 31
        December (worklist, November to-do); Bau Schneider's case prints its court dunning order
        data sheet with the figures of its claim statement."""
        today = fields.Date.context_today(self.env.user)
        year_end = today.replace(month=12, day=31)
        invoice = self.ref("demo_inv_lorenz_1")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.payment_followup_limitation_date, year_end)
        row = self.env["payment.followup.status"].search(
            [("partner_id", "=", self.ref("demo_partner_lorenz").id)]
        )
        self.assertEqual(row.limitation_date, year_end)
        if today.month >= 11:
            todo = self.env["mail.activity"].search(
                [
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("payment_followup_ext.mail_activity_type_limitation").id,
                    ),
                    ("res_id", "=", self.company.partner_id.id),
                ]
            )
            self.assertEqual(len(todo), 1)
            self.assertIn(invoice.name, todo.note)
            self.assertNotEqual(todo.user_id, self.env.ref("base.user_root"))
        case = self.env["payment.followup.collection"].search(
            [("partner_id", "=", self.ref("demo_partner_schneider").id)]
        )
        self.assertEqual(case.court_claim_type, "5")
        sheet = case._court_sheet()
        self.assertAlmostEqual(sheet["total"], case.amount_total, places=2)
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "payment_followup_ext.action_report_court_order_case", case.ids
        )
        self.assertIn(sheet["claims"][0]["invoice"], html.decode())

    def test_customer_answers_of_each_kind(self):
        """Three customers answered their reminder on its reply page: one paid, one disputes an
        invoice, one needs more time; each answer holds back what it should, with a German
        to-do for a person."""
        today = fields.Date.context_today(self.env.user)
        Reply = self.env["payment.followup.reply"]
        Status = self.env["payment.followup.status"]
        expected = {
            "demo_partner_wagner": ("paid", "promise"),
            "demo_partner_schmidt": ("dispute", "dispute"),
            "demo_partner_becker": ("more_time", "promise"),
        }
        bot = self.env.ref("base.user_root")
        for name, (kind, pause) in expected.items():
            customer = self.ref(name)
            with self.subTest(customer=customer.name):
                reply = Reply.search([("partner_id", "=", customer.id)])
                self.assertEqual(reply.kind, kind)
                self.assertEqual(reply.history_id.partner_id, customer)
                status = Status.search([("partner_id", "=", customer.id)])
                self.assertEqual((status.reason, status.pause_reason), ("paused", pause))
                self.assertEqual(len(reply.activity_ids), 1)
                self.assertNotEqual(reply.activity_ids.user_id, bot)
                self.assertFalse(ENGLISH.search(reply.activity_ids.summary))
                answer_note = reply.message_ids.filtered(lambda m: m.message_type == "comment")
                note = customer.message_ids.filtered(
                    lambda message, body=answer_note[:1].body: message.body == body
                )
                self.assertTrue(note, "the answer is noted on the customer's chatter")
                self.assertFalse(ENGLISH.search(_text(note[0].body)), note[0].body)
                if kind != "dispute":
                    self.assertEqual(reply.promise_id.state, "open")
                    self.assertGreater(reply.promise_id.date, today)
        paid = Reply.search([("kind", "=", "paid")])
        self.assertEqual(paid.amount, paid.history_id.amount_due)
        disputed = Reply.search([("kind", "=", "dispute")])
        self.assertEqual(disputed.dispute_id.state, "open")
        self.assertEqual(disputed.dispute_id.move_id, disputed.move_id)

    def test_suspension_credit_checks_prepayment_schedule_postponed_excluded(self):
        schulz = self.ref("demo_partner_schulz")
        self.assertTrue(schulz.with_company(self.company).payment_followup_suspended)
        order = self.env["sale.order"].search([("partner_id", "=", schulz.id)])
        self.assertTrue(order.payment_followup_partner_suspended, "the order shows the banner")
        checks = self.env["payment.followup.credit.check"].search([("state", "=", "approved")])
        today = fields.Date.context_today(self.env.user)
        self.assertTrue(checks.filtered(lambda c: c.valid_until < today), "one check expired")
        self.assertTrue(checks.filtered(lambda c: c.valid_until >= today))
        prepayment = self.env["account.move"].search(
            [("payment_followup_is_prepayment", "=", True), ("state", "=", "posted")]
        )
        self.assertEqual(prepayment.partner_id, self.ref("demo_partner_neumann"))
        self.assertEqual(
            self.ref("demo_partner_lindner").payment_followup_invoicing_schedule, "monthly"
        )
        fischer = self.ref("demo_partner_fischer").with_company(self.company)
        self.assertGreater(fischer.payment_followup_postponed_until, today)
        self.assertTrue(self.ref("demo_partner_stadt").payment_followup_excluded)

    def test_xrechnung_with_leitweg_id_and_early_discount_reminder(self):
        """The public client's invoice went out as XRechnung: its letters quote the Leitweg-ID.
        Bäckerei Sonnenschein got its early-discount reminder yesterday, in German."""
        stadt = self.ref("demo_partner_stadt")
        invoice = self.ref("demo_inv_stadt_1")
        einvoice = invoice._payment_followup_einvoices()[invoice.id]
        self.assertTrue(einvoice.xrechnung)
        self.assertEqual(einvoice.buyer_reference, "12054000-4711-19")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "payment_followup_ext.action_report_followup_statement", stadt.ids
        )
        self.assertIn("Leitweg-ID: 12054000-4711-19", _text(html.decode()))
        today = fields.Date.context_today(self.env.user)
        reminder = self.env["payment.followup.discount.reminder"].search(
            [("partner_id", "=", self.ref("demo_partner_sonnenschein").id)]
        )
        second = self.ref("demo_inv_sonnenschein_2")
        self.assertEqual(reminder.line_ids.move_id, second, "the invoice whose Skonto ends soon")
        self.assertEqual(reminder.date, today - timedelta(days=1))
        term_line = second.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(reminder.discount_date, term_line.discount_date)
        self.assertAlmostEqual(reminder.amount_discounted, term_line.discount_amount_currency)
        body = _text(reminder.mail_id.body_html)
        german = self.env(context={"lang": "de_DE"})
        self.assertIn(formatLang(german, reminder.amount_discounted), body)
        self.assertIn(format_date(german, reminder.discount_date), body)
        self.assertIn("Skonto", body)
        self.assertFalse(ENGLISH.search(body), body)


@tagged("post_install", "-at_install")
class TestDemoTour(HttpCase):
    """An accountant's first ten minutes in the demo, in Chromium: worklist, the customer's row,
    the preview with the mail, sending, the history with the mail sent, the printed letter."""

    def test_worklist_preview_send_history_letter(self):
        customer = self.env.ref("payment_followup_ext.demo_partner_weber")
        status = self.env["payment.followup.status"].search([("partner_id", "=", customer.id)])
        self.assertTrue(status.next_level_id, "the demo customer of the tour is due today")
        level = status.next_level_id
        self.assertTrue(level.send_email and level.send_letter)

        self.start_tour("/odoo", "payment_followup_demo_tour_send", login="admin")

        step = self.env["payment.followup.history"].search(
            [("partner_id", "=", customer.id), ("level_id", "=", level.id)]
        )
        self.assertEqual(len(step), 1, "one step sent from the preview")
        self.assertEqual(step.email_state, "queued", "the mail waits for the mail queue")
        # The mail queue (Odoo's cron "Mail: Email Queue Manager") sends it.
        self.env["mail.mail"].process_email_queue()
        self.assertEqual(step.email_state, "sent")

        self.start_tour("/odoo", "payment_followup_demo_tour_letter", login="admin")
        self.assertEqual(step.letter_state, "printed")

        # wkhtmltopdf loads the letter's style sheets from the test's HTTP server.
        self.env["ir.config_parameter"].set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("payment_followup_ext.action_report_followup_letter", step.ids)
        )
        text = _pdftotext(pdf)
        self.assertIn(format_date(self.env(context={"lang": "de_DE"}), step.payment_deadline), text)
        total = formatLang(
            self.env(context={"lang": "de_DE"}), step.amount_total, currency_obj=step.currency_id
        )
        self.assertIn(total.replace("\xa0", " "), text.replace("\xa0", " "))
        self.assertIn("DE89 3704 0044 0532 0130 00", text)


@tagged("post_install", "-at_install")
class TestDemoStatement(HttpCase):
    """Who receives the reminders and the statement of account (issue 17): Keller's dunning
    contact, Weber's copy address, the statement attached to the final notice and printed."""

    def test_dunning_contact_copy_and_statement_of_account(self):
        keller = self.env.ref("payment_followup_ext.demo_partner_keller")
        weber = self.env.ref("payment_followup_ext.demo_partner_weber")
        contact = keller.child_ids.filtered(lambda child: child.type == "payment_followup")
        self.assertEqual(contact.name, "Buchhaltung Keller")
        self.assertEqual(keller.payment_followup_recipient_id, contact)
        History = self.env["payment.followup.history"]
        steps = History.search([("partner_id", "=", keller.id)])
        self.assertTrue(steps)
        self.assertEqual(steps.recipient_id, contact, "Keller's reminders go to its accounts")
        final = steps.filtered(lambda step: step.level_id.attach_statement)
        self.assertTrue(final.mail_id, "the final notice of the interest ladder was emailed")
        self.assertIn("Kontoauszug", " ".join(final.mail_id.attachment_ids.mapped("name")))
        weber_mails = History.search([("partner_id", "=", weber.id)]).mail_id
        self.assertTrue(weber_mails)
        self.assertEqual(set(weber_mails.mapped("email_cc")), {"inhaber@schreinerei-weber.example"})

        # The statement of account of a customer with open items, as printed today.
        status = self.env["payment.followup.status"].search(
            [("amount_overdue", ">", 0), ("partner_id.lang", "=", "de_DE")],
            order="amount_overdue desc",
            limit=1,
        )
        customer = status.partner_id
        values = (
            self.env["report.payment_followup_ext.report_followup_statement"]
            .with_company(status.company_id)
            ._get_report_values(customer.ids)
        )
        statement = values["statements"][customer.id]
        lines = [row[0] for row in statement["rows"]]
        self.assertAlmostEqual(statement["balance"], sum(line.amount_residual for line in lines))
        self.assertAlmostEqual(sum(statement["buckets"]), statement["balance"])
        today = fields.Date.context_today(customer)
        not_due = [line for line in lines if (line.date_maturity or line.date) >= today]
        self.assertAlmostEqual(
            statement["buckets"][0], sum(line.amount_residual for line in not_due)
        )
        self.env["ir.config_parameter"].set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("payment_followup_ext.action_report_followup_statement", customer.ids)
        )
        text = _pdftotext(pdf)
        self.assertIn("Kontoauszug", text)
        self.assertIn("Offene Posten, Stand", text)
        self.assertIn(customer.name, text)
        for line in lines:
            self.assertIn(line.move_id.name, text)
        balance = formatLang(
            self.env(context={"lang": "de_DE"}),
            statement["balance"],
            currency_obj=status.currency_id,
        )
        self.assertIn(balance.replace("\xa0", " "), text.replace("\xa0", " "))
        self.assertFalse(ENGLISH.search(text), "the statement is German")


def _pdftotext(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        done = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True
        )
    return done.stdout.decode()
