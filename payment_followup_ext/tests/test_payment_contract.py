"""The payment contract on the customer: grace days, fee override, signed contract, the texts
on the printed invoice (§ 286(3) BGB) and the invoicing contact's email address."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AGREED_ON, DUE, FollowupCase


def on(days):
    return DUE + timedelta(days=days)


@tagged("post_install", "-at_install")
class TestPaymentContract(FollowupCase):
    with_other_company = True

    def claim(self, partner=None, amount=1000.0, payment_term=None, post=True):
        values = {
            "move_type": "out_invoice",
            "partner_id": (partner or self.customer).id,
            "invoice_date": DUE,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Wartung",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        if payment_term:
            values["invoice_payment_term_id"] = payment_term.id
        else:
            values["invoice_date_due"] = DUE
        move = self.env["account.move"].create(values)
        if post:
            move.action_post()
        return move

    # ------------------------------------------------------------------ grace days

    def test_grace_days_delay_the_levels_after_the_due_date(self):
        self.customer.payment_followup_grace_days = 4
        self.claim()
        self.assertEqual(self.run_followup(on(-3)).level_id, self.pre_due, "before: no grace")
        self.assertFalse(self.run_followup(on(3)), "the friendly reminder waits 4 more days")
        self.assertFalse(self.run_followup(on(6)))
        self.assertEqual(self.run_followup(on(7)).level_id, self.friendly)
        self.assertFalse(self.run_followup(on(14)))
        self.assertEqual(self.run_followup(on(18)).level_id, self.first)

    def test_grace_days_are_per_company(self):
        shared = self._make_customer("Geteilt GmbH", company_id=False)
        shared.payment_followup_grace_days = 10
        other = shared.with_company(self.company_data_2["company"])
        self.assertEqual(other.payment_followup_grace_days, 0)

    def test_negative_grace_days_are_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.customer.payment_followup_grace_days = -1
        self.assertEqual(self.customer.payment_followup_grace_days, 0)

    # ------------------------------------------------------------------ signed contract

    def test_contract_signed_in_the_future_is_refused(self):
        today = fields.Date.context_today(self.customer)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.customer.payment_followup_contract_date = today + timedelta(days=1)
        self.assertEqual(self.customer.payment_followup_contract_date, AGREED_ON, "unchanged")
        attachment = self.env["ir.attachment"].create(
            {"name": "Vertrag.pdf", "raw": b"%PDF-1.4 signed"}
        )
        self.customer.write(
            {
                "payment_followup_contract_date": today,
                "payment_followup_contract_attachment_ids": [Command.set(attachment.ids)],
                "payment_followup_special_agreements": "60 Tage Zahlungsziel für Projekt X",
            }
        )
        self.assertEqual(self.customer.payment_followup_contract_date, today)
        self.assertEqual(self.customer.payment_followup_contract_attachment_ids, attachment)

    def test_contract_page_in_the_customer_form(self):
        arch = self.env["res.partner"].with_user(self.accountant).get_view(view_type="form")["arch"]
        for name in (
            'name="payment_contract"',
            "payment_followup_grace_days",
            "payment_followup_fee_override",
            "payment_followup_contract_attachment_ids",
            "No signed payment terms:",
            "payment_followup_invoice_contact_id",
        ):
            self.assertIn(name, arch)

    # ------------------------------------------------------------------ fee override

    def fee_step(self):
        self.first.write({"fee_type": "fixed", "fee_fixed": 5.0, "charge_interest": False})
        self.claim()
        self.run_followup(on(3))
        return self.run_followup(on(14))

    def test_level_fee_by_default(self):
        step = self.fee_step()
        self.assertEqual(step.level_id, self.first)
        self.assertEqual(
            step.charge_ids.filtered(lambda c: c.kind == "fee").mapped("amount"), [5.0]
        )

    def test_no_fees_override(self):
        self.customer.payment_followup_fee_override = "none"
        step = self.fee_step()
        self.assertEqual(step.level_id, self.first)
        self.assertFalse(step.charge_ids.filtered(lambda c: c.kind == "fee"))

    def test_fixed_fee_override(self):
        self.customer.write(
            {"payment_followup_fee_override": "fixed", "payment_followup_fee_amount": 2.5}
        )
        step = self.fee_step()
        self.assertEqual(
            step.charge_ids.filtered(lambda c: c.kind == "fee").mapped("amount"), [2.5]
        )

    def test_fixed_fee_override_needs_an_amount(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.customer.payment_followup_fee_override = "fixed"

    # ------------------------------------------------------------------ printed invoice

    def render_invoice(self, move):
        return self.render_pdf("account.account_invoices", move)

    def charge_on_the_levels(self):
        self.first.write(
            {
                "fee_type": "fixed",
                "fee_fixed": 5.0,
                "fee_not_first": True,
                "charge_interest": True,
            }
        )
        self.second.charge_flat_fee = True

    def test_invoice_says_in_german_what_the_policy_charges(self):
        self.charge_on_the_levels()
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        text = self.render_invoice(self.claim(payment_term=self.pay_terms_a))
        self.assertIn(
            "Bei Zahlungsverzug berechnen wir Verzugszinsen in gesetzlicher Höhe (§ 288 BGB); "
            "eine Mahngebühr ab der zweiten Mahnung; die Verzugspauschale von 40 EUR "
            "(§ 288 Abs. 5 BGB), auf die die Mahngebühren angerechnet werden.",
            text,
        )
        self.assertNotIn("§ 286 Abs. 3 BGB", text, "a business gets no consumer notice")
        self.assertNotIn("late interest", text, "nothing English on a German invoice")
        # A customer without fees, an English invoice.
        self.customer.write({"payment_followup_fee_override": "none", "lang": "en_US"})
        text = self.render_invoice(self.claim(payment_term=self.pay_terms_a))
        self.assertIn(
            "If payment is late, we charge late interest at the statutory rate (§ 288 BGB); "
            "the flat fee of EUR 40 for late payment (§ 288(5) BGB), against which the dunning "
            "fees are credited.",
            text,
        )

    def test_company_wording_and_no_texts_at_all(self):
        self.charge_on_the_levels()
        self.company.payment_followup_late_clause = "Late payers pay interest (§ 288 BGB)."
        text = self.render_invoice(self.claim(payment_term=self.pay_terms_a))
        self.assertIn("Late payers pay interest (§ 288 BGB).", text)
        self.company.payment_followup_invoice_texts = False
        text = self.render_invoice(self.claim(payment_term=self.pay_terms_a))
        self.assertNotIn("§ 288 BGB", text)

    def test_invoice_to_a_consumer_prints_the_notice_in_its_language(self):
        self.charge_on_the_levels()
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        consumer = self._make_customer("Max Mustermann", "max@mustermann.example")
        consumer.is_company = False
        text = self.render_invoice(self.claim(consumer, payment_term=self.pay_terms_a))
        self.assertIn(
            "Bei Zahlungsverzug berechnen wir Verzugszinsen in gesetzlicher Höhe (§ 288 BGB); "
            "eine Mahngebühr ab der zweiten Mahnung.",
            text,
        )
        self.assertNotIn("Verzugspauschale", text, "no flat fee from consumers")
        self.assertIn(
            "Hinweis gemäß § 286 Abs. 3 BGB: Sie kommen in Zahlungsverzug, wenn Sie nicht "
            "innerhalb von 30 Tagen nach Fälligkeit und Zugang dieser Rechnung zahlen.",
            text,
        )
        consumer.lang = "en_US"
        text = self.render_invoice(self.claim(consumer, payment_term=self.pay_terms_a))
        self.assertIn("Notice under § 286(3) BGB", text)
        self.assertIn("within 30 days after the due date and receipt of this invoice", text)

    def test_invoice_without_payment_term_has_no_clause(self):
        text = self.render_invoice(self.claim())
        self.assertNotIn("§ 288 BGB", text)

    # ------------------------------------------------------------------ invoice recipient

    def test_invoicing_contact_and_email_warning(self):
        self.assertFalse(self.customer.payment_followup_invoice_contact_id)
        self.assertFalse(self.customer.payment_followup_invoice_email_missing)
        contact = self.env["res.partner"].create(
            {"name": "Rechnungsstelle", "type": "invoice", "parent_id": self.customer.id}
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.payment_followup_invoice_contact_id, contact)
        self.assertTrue(self.customer.payment_followup_invoice_email_missing)
        contact.email = "rechnung@kunde-eins.example"
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.payment_followup_invoice_email_missing)

        no_email = self._make_customer("Ohne Mail GmbH")
        self.assertFalse(no_email.payment_followup_invoice_contact_id)
        self.assertTrue(no_email.payment_followup_invoice_email_missing)

    def notes(self, move):
        return move.message_ids.filtered(lambda m: "No email address" in (m.body or ""))

    def test_posting_without_email_warns_in_the_chatter(self):
        self.env["res.partner"].create(
            {"name": "Rechnungsstelle", "type": "invoice", "parent_id": self.customer.id}
        )
        move = self.claim(post=False)
        move.with_user(self.accountant).action_post()
        self.assertEqual(move.state, "posted", "posting goes on")
        note = self.notes(move)
        self.assertEqual(len(note), 1)
        self.assertIn("Rechnungsstelle", note.body)

    def test_posting_with_email_does_not_warn(self):
        move = self.claim()
        self.assertEqual(move.state, "posted")
        self.assertFalse(self.notes(move))


@tagged("post_install", "-at_install")
class TestInvoiceRecipient(FollowupCase):
    def test_invoices_are_sent_to_the_invoicing_contact(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Buchhaltung",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "rechnungen@kunde-eins.example",
            }
        )
        template = self.env.ref("account.email_template_edi_invoice")
        Send = self.env["account.move.send"]
        move = self.invoice()
        self.assertEqual(Send._get_default_mail_partner_ids(move, template, "de_DE"), contact)
        other = self._make_customer("Ohne Kontakt AG", "info@ohne-kontakt.example")
        self.assertEqual(
            Send._get_default_mail_partner_ids(self.invoice(other), template, "de_DE"),
            other,
            "without an invoicing contact: the customer",
        )
