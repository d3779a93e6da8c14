"""The early-discount (Skonto) reminder: N days before the discount date, with the discounted
amount, once per invoice, never for a paid, blocked or expired discount."""

from datetime import date, timedelta

import lxml.html

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.misc import format_amount, format_date

from .common import FollowupCase

INVOICED = date(2026, 3, 2)
DISCOUNT_DATE = INVOICED + timedelta(days=10)  # 2026-03-12
REMIND_ON = DISCOUNT_DATE - timedelta(days=3)  # 2026-03-09


@tagged("post_install", "-at_install")
class TestFollowupDiscountReminder(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.skonto = cls.env["account.payment.term"].create(
            {
                "name": "2 % Skonto 10 Tage, 30 Tage netto",
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 10,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})
                ],
            }
        )
        cls.policy.discount_reminder_days = 3
        cls.buyer = cls._make_customer("Bäckerei Sommer", "einkauf@sommer.example", lang="en_US")
        cls.Reminder = cls.env["payment.followup.discount.reminder"]

    def skonto_invoice(self, partner=None, amount=1000.0):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.buyer).id,
                "invoice_date": INVOICED,
                "invoice_payment_term_id": self.skonto.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Brotautomat",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def send(self, day):
        return self.Reminder._send_for_company(self.company, day)

    def test_reminded_n_days_before_with_the_discounted_amount_once(self):
        first = self.skonto_invoice(amount=1000.0)
        second = self.skonto_invoice(amount=500.0)
        term_line = first.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(term_line.discount_date, DISCOUNT_DATE)
        self.assertFalse(self.send(REMIND_ON - timedelta(days=1)), "not before its day")
        reminder = self.send(REMIND_ON)
        self.assertEqual(len(reminder), 1, "one mail for the customer's two invoices")
        self.assertEqual(reminder.partner_id, self.buyer)
        self.assertEqual(reminder.line_ids.move_id, first | second)
        self.assertEqual(reminder.discount_date, DISCOUNT_DATE)
        self.assertAlmostEqual(reminder.amount_total, 1500.0)
        self.assertAlmostEqual(reminder.amount_discounted, 1470.0)
        self.assertAlmostEqual(reminder.amount_saving, 30.0)
        env = self.env(context={"lang": "en_US"})
        body = " ".join(lxml.html.fromstring(reminder.mail_id.body_html).text_content().split())
        currency = self.company.currency_id
        expected = (
            f"If you pay {format_amount(env, 1470.0, currency)} by "
            f"{format_date(env, DISCOUNT_DATE)}, you save {format_amount(env, 30.0, currency)}."
        )
        self.assertIn(" ".join(expected.split()), body)
        # the first invoice: its amount, what settles it, what it saves
        row = " ".join(
            f"{first.name} {format_date(env, DISCOUNT_DATE)} (2 %) "
            f"{format_amount(env, 1000.0, currency)} {format_amount(env, 980.0, currency)} "
            f"{format_amount(env, 20.0, currency)}".split()
        )
        self.assertIn(row, body)
        self.assertEqual(reminder.mail_id.recipient_ids, self.buyer)
        self.assertIn(str(DISCOUNT_DATE.day), reminder.mail_id.subject)
        # A rerun the same day and the next days: nothing more.
        self.assertFalse(self.send(REMIND_ON))
        self.assertFalse(self.send(REMIND_ON + timedelta(days=1)))
        self.assertEqual(self.Reminder.search_count([("partner_id", "=", self.buyer.id)]), 1)

    def test_a_missed_day_is_caught_up_but_not_after_the_discount_date(self):
        self.skonto_invoice()
        self.assertFalse(self.send(DISCOUNT_DATE + timedelta(days=1)), "the discount has passed")
        self.assertTrue(self.send(DISCOUNT_DATE), "the last day of the discount still counts")

    def test_paid_blocked_excluded_and_other_customers(self):
        paid = self.skonto_invoice()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({"payment_date": INVOICED + timedelta(days=5)})._create_payments()
        self.assertEqual(paid.payment_state, "paid")  # Skonto taken: paid in full
        blocked_customer = self._make_customer("Streit GmbH", "streit@example.com")
        blocked = self.skonto_invoice(blocked_customer)
        blocked.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).payment_followup_blocked = True
        excluded_customer = self._make_customer("Amt Beispiel", "amt@example.com")
        excluded_customer.with_company(self.company).payment_followup_excluded = True
        self.skonto_invoice(excluded_customer)
        net = self._make_customer("Netto AG", "netto@example.com")
        self.invoice(net, amount=1000.0)  # no early discount on its terms
        self.assertFalse(self.send(REMIND_ON))

    def test_independent_of_the_ladder_and_from_the_daily_run(self):
        invoice = self.skonto_invoice()
        self.assertFalse(self.run_followup(REMIND_ON), "no ladder step: nothing is due yet")
        self.env["payment.followup.run"]._run_daily_finish(REMIND_ON)
        reminder = self.Reminder.search([("partner_id", "=", self.buyer.id)])
        self.assertEqual(reminder.line_ids.move_id, invoice)
        self.assertEqual(reminder.date, REMIND_ON)
        # Switched off on the policy: no reminder for a new invoice.
        self.policy.discount_reminder_days = 0
        self.skonto_invoice(self._make_customer("Neu KG", "neu@example.com"))
        self.assertFalse(self.send(REMIND_ON))
        with self.assertRaises(ValidationError):
            self.policy.discount_reminder_days = -1
