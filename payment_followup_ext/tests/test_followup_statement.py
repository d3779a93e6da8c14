"""The statement of account (Kontoauszug) and who receives the reminders: figures and age
buckets, the printed PDF of one and of two customers, the level that attaches it to its email,
the dunning contact, the copy addresses and the warning when the recipient has no email."""

import io
import subprocess
import tempfile
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.service import server
from odoo.tests import tagged
from odoo.tools import config
from odoo.tools.pdf import PdfFileReader

from .common import DUE, FollowupCase

DAY = date(2026, 6, 1)  # the day of the statements
REPORT = "payment_followup_ext.action_report_followup_statement"


@tagged("post_install", "-at_install")
class TestFollowupStatement(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.ref = "K-1001"

    def open_items(self):
        """Five invoices of every age on ``DAY``, a credit note and a payment not applied."""
        self.not_due = self.claim_without_tax(amount=1000.0, due=date(2026, 6, 15))
        self.overdue_20 = self.claim_without_tax(amount=500.0, due=date(2026, 5, 12))
        self.overdue_60 = self.claim_without_tax(amount=300.0, due=date(2026, 4, 2))
        self.overdue_90 = self.claim_without_tax(amount=238.0, due=date(2026, 3, 3))
        self.overdue_151 = self.claim_without_tax(amount=100.0, due=date(2026, 1, 1))
        self.refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": date(2026, 5, 22),
                "invoice_date_due": date(2026, 5, 22),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Gutschrift", "price_unit": 119.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        self.refund.action_post()
        self.payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 200.0,
                "date": date(2026, 4, 1),
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        self.payment.action_post()
        self.assertTrue(self.payment.move_id, "the payment is booked on the receivable account")

    def statement(self, customer=None, overdue_only=False, day=DAY):
        customer = customer or self.customer
        return self.env["report.payment_followup_ext.report_followup_statement"]._statements(
            customer, self.company, day, overdue_only
        )[customer.id]

    def pdf_text(self, records, **data):
        """The text layer of the printed statements (pdftotext, as the letter tests)."""
        if server.server:
            self.env["ir.config_parameter"].set_param(
                "report.url", f"http://127.0.0.1:{config['http_port']}"
            )
        with self.printing():
            content, kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(REPORT, records.ids, data=data)
            )
        self.assertEqual(kind, "pdf")
        return self.text_of(content)

    def text_of(self, content):
        self.pages = len(PdfFileReader(io.BytesIO(content)).pages)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            done = subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True
            )
        return " ".join(done.stdout.decode().replace("\u200b", "").split())

    # ------------------------------------------------------------------ the statement

    def test_statement_buckets_credits_negative_and_balance(self):
        self.open_items()
        result = self.statement()
        rows = {
            row[0].move_id: (row[0].amount_residual, row[1].days_overdue, row[2])
            for row in result["rows"]
        }
        self.assertEqual(rows[self.not_due], (1000.0, 0, "invoice"))
        self.assertEqual(rows[self.overdue_20], (500.0, 20, "invoice"))
        self.assertEqual(rows[self.overdue_151], (100.0, 151, "invoice"))
        self.assertEqual(rows[self.refund], (-119.0, 0, "refund"))
        self.assertEqual(rows[self.payment.move_id], (-200.0, 0, "payment"))
        # not due | 1-30: 500 - 119 | 31-60 | 61-90: 238 - 200 | > 90
        self.assertEqual(result["buckets"], [1000.0, 381.0, 300.0, 38.0, 100.0])
        self.assertEqual(result["balance"], 1819.0)

    def test_overdue_only_leaves_out_items_not_due(self):
        self.open_items()
        result = self.statement(overdue_only=True)
        moves = [row[0].move_id for row in result["rows"]]
        self.assertNotIn(self.not_due, moves)
        self.assertIn(self.refund, moves)
        self.assertEqual(result["buckets"], [0.0, 381.0, 300.0, 38.0, 100.0])
        self.assertEqual(result["balance"], 819.0)

    def test_paid_items_are_not_listed(self):
        invoice = self.claim_without_tax(amount=400.0, due=date(2026, 5, 1))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": date(2026, 5, 10)})._create_payments()
        result = self.statement()
        self.assertEqual(result["rows"], [])
        self.assertEqual(result["balance"], 0.0)

    def test_printed_statement_shows_items_buckets_and_balance(self):
        self.open_items()
        text = self.pdf_text(self.customer, date="2026-06-01")
        self.assertIn("Statement of Account", text)
        self.assertIn("Kunde Eins GmbH", text)
        self.assertIn("Customer number K-1001", text)
        self.assertIn("Open items as of 01.06.2026", text)  # the customer's German date
        for move in (self.not_due, self.overdue_20, self.refund, self.payment.move_id):
            self.assertIn(move.name, text)
        self.assertIn(
            f"{self.refund.name} Credit note 22.05.2026 22.05.2026 \u2013 -119,00 €", text
        )
        self.assertIn(f"{self.payment.move_id.name} Payment", text)
        self.assertIn(f"{self.overdue_20.name} Invoice 12.05.2026 12.05.2026 20 500,00 €", text)
        self.assertIn(
            "Not due 1-30 days 31-60 days 61-90 days Over 90 days Balance "
            "1.000,00 € 381,00 € 300,00 € 38,00 € 100,00 € 1.819,00 €",
            text,
        )
        overdue = self.pdf_text(self.customer, date="2026-06-01", overdue_only=True)
        self.assertIn("(overdue items only)", overdue)
        self.assertNotIn(f" {self.not_due.name} ", overdue)
        self.assertNotIn("1.000,00", overdue)
        self.assertIn("0,00 € 381,00 € 300,00 € 38,00 € 100,00 € 819,00 €", overdue)

    def test_batch_print_from_the_worklist_one_statement_per_customer(self):
        other = self._make_customer("Zweiter Kunde KG", "zwei@example.com")
        first = self.claim_without_tax(amount=700.0, due=date(2026, 5, 1))
        second = self.claim_without_tax(partner=other, amount=250.0, due=date(2026, 5, 20))
        self.run_followup(DAY)
        rows = self.env["payment.followup.status"].search(
            [("partner_id", "in", (self.customer | other).ids)]
        )
        self.assertEqual(len(rows), 2)
        action = rows.with_user(self.accountant).action_print_letter()
        wizard = self.env[action["res_model"]].with_user(self.accountant).browse(action["res_id"])
        self.assertEqual(wizard.partner_ids, self.customer | other)
        self.assertFalse(wizard.overdue_only, "every open item by default")
        report_action = wizard.action_print()
        self.assertEqual(
            report_action["report_name"], "payment_followup_ext.report_followup_statement"
        )
        self.assertEqual(report_action["context"]["active_ids"], (self.customer | other).ids)
        self.assertEqual(report_action["data"], {"overdue_only": False})
        # As the web client prints it with the dialog's option: the ids in the data's context.
        text = self.pdf_text(
            self.env["res.partner"],
            **report_action["data"],
            date="2026-06-01",
            context=report_action["context"],
        )
        self.assertGreaterEqual(self.pages, 2)
        self.assertIn(first.name, text)
        self.assertIn(second.name, text)
        self.assertIn("Zweiter Kunde KG", text)
        self.assertLess(text.index(first.name), text.index("Zweiter Kunde KG"))

    def test_level_attaches_the_statement_to_its_email(self):
        self.friendly.attach_statement = True
        invoice = self.claim_without_tax(amount=800.0)
        step = self.run_followup(DUE + timedelta(days=3))
        self.assertEqual(step.level_id, self.friendly)
        mail = step.mail_id
        self.assertTrue(mail)
        pdf = mail.attachment_ids
        self.assertEqual(len(pdf), 1)
        self.assertEqual(pdf.mimetype, "application/pdf")
        self.assertIn("Kunde Eins GmbH", pdf.name)
        self.assertTrue(pdf.name.endswith("2026-03-05.pdf"))
        text = self.text_of(pdf.raw)
        self.assertIn("Statement of Account", text)
        self.assertIn(invoice.name, text)
        self.assertIn("Open items as of 05.03.2026", text)
        # The next level does not attach it.
        step = self.run_followup(DUE + timedelta(days=14))
        self.assertEqual(step.level_id, self.first)
        self.assertFalse(step.mail_id.attachment_ids)

    # ------------------------------------------------------------------ who receives reminders

    def contact(self, name, kind, email=False):
        return self.env["res.partner"].create(
            {"name": name, "parent_id": self.customer.id, "type": kind, "email": email}
        )

    def test_dunning_contact_comes_before_invoicing_contact_and_customer(self):
        Run = self.env["payment.followup.run"]
        self.assertEqual(Run._recipients(self.customer)[self.customer.id], self.customer)
        invoicing = self.contact("Rechnungseingang", "invoice", "rechnung@kunde-eins.example")
        self.assertEqual(Run._recipients(self.customer)[self.customer.id], invoicing)
        dunning = self.contact("Frau Mahn", "payment_followup", "mahnung@kunde-eins.example")
        self.assertEqual(Run._recipients(self.customer)[self.customer.id], dunning)
        # Invoices still go to the invoicing contact.
        self.assertEqual(Run._recipients(self.customer, dunning=False)[self.customer.id], invoicing)
        self.assertEqual(self.customer.payment_followup_invoice_contact_id, invoicing)
        self.assertEqual(self.customer.payment_followup_recipient_id, dunning)
        self.claim_without_tax(amount=800.0)
        step = self.run_followup(DUE + timedelta(days=3))
        self.assertEqual(step.recipient_id, dunning)
        self.assertEqual(step.mail_id.recipient_ids, dunning)

    def test_copy_addresses_on_the_sent_mail(self):
        self.customer.payment_followup_cc_emails = (
            "Einkauf@Kunde-Eins.example; chef@kunde-eins.example"
        )
        self.claim_without_tax(amount=800.0)
        mail = self.run_followup(DUE + timedelta(days=3)).mail_id
        self.assertEqual(mail.email_cc, "einkauf@kunde-eins.example, chef@kunde-eins.example")
        # Odoo sends the copy to the copy addresses, then the reminder to the recipient.
        outgoing = mail._prepare_outgoing_list()
        self.assertEqual(
            [(values["email_to"], values["email_cc"]) for values in outgoing],
            [
                ([], ["einkauf@kunde-eins.example", "chef@kunde-eins.example"]),
                (['"Kunde Eins GmbH" <buchhaltung@kunde-eins.example>'], []),
            ],
        )

    def test_preview_shows_recipient_and_copy(self):
        dunning = self.contact("Frau Mahn", "payment_followup", "mahnung@kunde-eins.example")
        self.customer.payment_followup_cc_emails = "chef@kunde-eins.example"
        self.claim_without_tax(amount=800.0)
        preview = (
            self.env["payment.followup.preview.wizard"]
            .with_user(self.accountant)
            .create(
                {
                    "partner_ids": [Command.set(self.customer.ids)],
                    "date": DUE + timedelta(days=3),
                }
            )
        )
        line = preview.line_ids
        self.assertEqual(line.recipient_id, dunning)
        self.assertEqual(line.mail_to, '"Frau Mahn" <mahnung@kunde-eins.example>')
        self.assertEqual(line.mail_cc, "chef@kunde-eins.example")

    def test_invalid_copy_address_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.customer.payment_followup_cc_emails = "chef@kunde-eins.example, einkauf@"
        self.assertIn("einkauf@ is not a valid email address", str(caught.exception))
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.payment_followup_cc_emails)

    def test_warning_when_the_dunning_contact_has_no_email(self):
        self.assertFalse(self.customer.payment_followup_recipient_warning)
        self.contact("Herr Ohnemail", "payment_followup")
        self.customer.invalidate_recordset()
        self.assertEqual(
            self.customer.payment_followup_recipient_warning,
            "The dunning contact Herr Ohnemail has no email address: reminders are printed as "
            "letters instead of being emailed.",
        )
        self.claim_without_tax(amount=800.0)
        step = self.run_followup(DUE + timedelta(days=3))
        self.assertTrue(step.no_email)
        self.assertFalse(step.mail_id)
        self.assertEqual(step.letter_state, "to_print")
        row = self.env["payment.followup.status"].search([("partner_id", "=", self.customer.id)])
        self.assertIn("Herr Ohnemail has no email address", row.recipient_warning)
