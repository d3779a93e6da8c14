"""Payment contracts on the customer: monthly invoicing schedule and early payment incentives."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestInvoicingSchedule(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Berlin"
        cls.monthly = cls._make_customer(
            "Monatskunde AG",
            "rechnung@monatskunde.example",
            payment_followup_invoicing_schedule="monthly",
            payment_followup_invoicing_day=31,
            payment_followup_invoicing_time=8.5,
        )
        cls.skonto_term = cls.env["account.payment.term"].create(
            {
                "name": "14 Tage netto, 10 Tage 2 % Skonto",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 100, "nb_days": 14})
                ],
            }
        )

    def skonto_invoice(self, partner, invoice_date, amount=1000.0):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_payment_term_id": self.skonto_term.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Wartung", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def send_due(self):
        self.env["res.partner"]._cron_payment_followup_invoicing_send()

    def invoice_mails(self, move):
        return self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", move.id)]
        )

    def test_day_31_sends_on_the_last_day_of_shorter_months_from_the_slot_time(self):
        february = self.invoice(self.monthly, due=date(2027, 2, 10))
        other = self.invoice(self.customer, due=date(2027, 2, 10))  # invoiced immediately
        with freeze_time("2027-02-27 10:00:00"):
            self.send_due()
        self.assertFalse(february.is_move_sent)
        with freeze_time("2027-02-28 07:15:00"):  # 08:15 in Berlin, slot 08:30
            self.send_due()
        self.assertFalse(february.is_move_sent)
        with freeze_time("2027-02-28 07:45:00"):  # 08:45 in Berlin
            self.send_due()
        self.assertTrue(february.is_move_sent)
        self.assertEqual(self.invoice_mails(february).state, "outgoing", "the mail is queued")
        self.assertFalse(other.is_move_sent, "an immediately invoiced customer is not touched")
        self.assertFalse(self.invoice_mails(other))

        april = self.invoice(self.monthly, due=date(2027, 4, 5))
        with freeze_time("2027-04-29 12:00:00"):
            self.send_due()
        self.assertFalse(april.is_move_sent)
        with freeze_time("2027-04-30 12:00:00"):
            self.send_due()
        self.assertTrue(april.is_move_sent)
        self.assertEqual(len(self.invoice_mails(february)), 1, "a sent invoice is not sent again")

    def test_contacts_follow_their_company_schedule(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Frau Rechnung",
                "parent_id": self.monthly.id,
                "email": "r@monatskunde.example",
            }
        )
        self.assertEqual(contact.payment_followup_invoicing_schedule, "monthly")
        move = self.invoice(contact, due=date(2027, 5, 3))
        with freeze_time("2027-05-31 09:00:00"):
            self.send_due()
        self.assertTrue(move.is_move_sent)

    def test_bad_slot_is_refused_and_nothing_written(self):
        for values in (
            {"payment_followup_invoicing_day": 0},
            {"payment_followup_invoicing_day": 32},
            {"payment_followup_invoicing_time": 25.0},
            {"payment_followup_invoicing_time": 24.0},
            {"payment_followup_invoicing_time": -1.0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.monthly.write(values)
            self.monthly.invalidate_recordset()
            self.assertEqual(self.monthly.payment_followup_invoicing_day, 31)
            self.assertEqual(self.monthly.payment_followup_invoicing_time, 8.5)
        with self.assertRaises(ValidationError):
            self._make_customer("Falsch GmbH", payment_followup_invoicing_day=32)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Falsch GmbH")]))

    def test_discount_available_until_the_discount_date(self):
        move = self.skonto_invoice(self.customer, date(2027, 3, 1))
        line = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(line.discount_date, date(2027, 3, 11))
        offer = line._payment_followup_early_discount(date(2027, 3, 11))
        self.assertEqual(offer["percentage"], 2)
        self.assertEqual(offer["date"], date(2027, 3, 11))
        self.assertAlmostEqual(offer["amount"], 980.0)
        self.assertAlmostEqual(offer["discount"], 20.0)
        self.assertFalse(line._payment_followup_early_discount(date(2027, 3, 12)))
        plain = self.invoice(self.customer, due=date(2027, 3, 1))
        self.assertFalse(
            plain.line_ids.filtered("date_maturity")._payment_followup_early_discount(
                date(2027, 2, 1)
            )
        )

    def test_pre_due_reminder_shows_the_discount(self):
        self.customer.payment_followup_incentive_text = (
            "Bei Zahlung innerhalb von 10 Tagen 2 % Skonto."
        )
        self.template.body_html = (
            '<p>Erinnerung</p><t t-call="payment_followup_ext.mail_followup_discounts"/>'
        )
        self.skonto_term.discount_days = 13
        self.customer.lang = "en_US"
        self.skonto_invoice(self.customer, date(2027, 3, 1))  # due 15 March, discount 14 March
        self.run_followup(date(2027, 3, 12))  # pre-due level: 3 days before the due date
        body = "\n".join(self.mails().mapped("body_html"))
        self.assertIn("2 % discount until", body)
        self.assertIn("980", body)
        self.assertIn("Bei Zahlung innerhalb von 10 Tagen", body)

    def test_discounts_granted_and_missed(self):
        early = self.skonto_invoice(self.customer, date(2027, 3, 1))
        late = self.skonto_invoice(self.customer, date(2027, 3, 2))
        unrelated = self._make_customer("Andere GmbH")
        self.skonto_invoice(unrelated, date(2027, 3, 1))
        for move, paid_on in ((early, date(2027, 3, 5)), (late, date(2027, 4, 20))):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"payment_date": paid_on})._create_payments()
        self.assertEqual(early.payment_state, "paid")
        self.assertEqual(late.payment_state, "paid")
        with freeze_time("2027-05-01"):
            partners = (self.customer | unrelated).with_company(self.company)
            partners.invalidate_recordset()
            self.assertAlmostEqual(self.customer.payment_followup_discount_granted, 20.0)
            self.assertAlmostEqual(self.customer.payment_followup_discount_missed, 20.0)
            self.assertAlmostEqual(unrelated.payment_followup_discount_granted, 0.0)
            self.assertAlmostEqual(unrelated.payment_followup_discount_missed, 20.0)
        with freeze_time("2028-06-01"):  # out of the 12 months
            self.customer.invalidate_recordset()
            self.assertAlmostEqual(self.customer.payment_followup_discount_missed, 0.0)
