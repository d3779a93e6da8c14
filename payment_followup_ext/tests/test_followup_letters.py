"""The follow-up letters as real PDFs (wkhtmltopdf), one customer and a batch."""

from datetime import timedelta

from odoo.tests import tagged

from .common import DUE, FollowupCase


@tagged("post_install", "-at_install")
class TestFollowupLetters(FollowupCase):
    def test_letter_of_a_step_lists_the_items_and_how_to_pay(self):
        self.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": self.company.partner_id.id}
        )
        invoice = self.invoice(amount=1000.0)
        step = self.run_followup(DUE + timedelta(days=14 + 3))
        text = self.render_pdf("payment_followup_ext.action_report_followup_letter", step)
        self.assertIn(invoice.name, text)
        self.assertIn("Kunde Eins GmbH", text)
        self.assertIn("DE89", text.replace(" ", ""))

    def test_batch_of_letters_and_statement_in_the_customers_language(self):
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        other = self._make_customer("Zweiter Kunde KG", "zwei@example.com", lang="en_US")
        first = self.invoice()
        second = self.invoice(partner=other)
        steps = self.run_followup(DUE + timedelta(days=5))
        self.assertEqual(len(steps), 2)
        steps.invalidate_recordset()
        action = steps.action_print_letter()
        self.assertEqual(action["report_name"], "payment_followup_ext.report_followup_letter")
        text = self.render_pdf("payment_followup_ext.action_report_followup_letter", steps)
        self.assertIn(first.name, text)
        self.assertIn(second.name, text)
        self.assertIn("Sehr geehrte Damen und Herren", text)  # Kunde Eins GmbH speaks German
        self.assertIn("Dear Sir or Madam", text)  # Zweiter Kunde KG speaks English
        statement = self.render_pdf(
            "payment_followup_ext.action_report_followup_statement", self.customer + other
        )
        self.assertIn("Zweiter Kunde KG", statement)
        self.assertIn(second.name, statement)
