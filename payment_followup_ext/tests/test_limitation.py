"""The limitation monitor (Verjährung, §§ 195, 199, 202, 204, 212 BGB): the date each open
invoice becomes time-barred, the worklist's year-end filter, the November to-do."""

from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from .common import FollowupCase

TODAY = date(2026, 11, 30)


@tagged("post_install", "-at_install")
class TestLimitation(FollowupCase):
    def old_invoice(self, partner=None, due=date(2023, 5, 15), amount=1000.0):
        return self.claim_without_tax(partner, amount=amount, due=due)

    def pay(self, invoice, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day, "amount": amount})._create_payments()

    def limitation(self, invoice):
        invoice.invalidate_recordset(
            ["payment_followup_limitation_date", "payment_followup_limitation_state"]
        )
        return invoice.payment_followup_limitation_date, invoice.payment_followup_limitation_state

    def row(self, partner):
        return self.env["payment.followup.status"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    # ------------------------------------------------------------------ the date of a claim

    @freeze_time(TODAY)
    def test_invoice_due_in_2023_is_time_barred_after_31_december_2026(self):
        invoice = self.old_invoice()
        self.assertEqual(self.limitation(invoice), (date(2026, 12, 31), "running"))
        with freeze_time(date(2027, 1, 1)):
            self.assertEqual(self.limitation(invoice), (date(2026, 12, 31), "time_barred"))

    @freeze_time(TODAY)
    def test_part_payment_restarts_the_period_three_years_to_the_day(self):
        invoice = self.old_invoice()
        self.pay(invoice, 100.0, date(2025, 3, 15))
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(self.limitation(invoice), (date(2028, 3, 15), "running"))

    @freeze_time(TODAY)
    def test_credit_note_is_no_part_payment(self):
        invoice = self.old_invoice()
        credit = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": date(2025, 3, 15),
                "date": date(2025, 3, 15),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Gutschrift", "price_unit": 100.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        credit.action_post()
        (credit | invoice).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.amount_residual, 900.0)
        self.assertEqual(self.limitation(invoice), (date(2026, 12, 31), "running"))

    @freeze_time(TODAY)
    def test_acknowledgement_recorded_by_the_accountant_restarts_the_period(self):
        invoice = self.old_invoice()
        action = invoice.with_user(self.accountant).action_payment_followup_acknowledge()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({"date": date(2026, 11, 20), "note": "Saldenbestätigung unterschrieben"})
        )
        wizard.action_confirm()
        self.assertEqual(invoice.payment_followup_acknowledged_on, date(2026, 11, 20))
        self.assertEqual(self.limitation(invoice), (date(2029, 11, 20), "running"))
        message = invoice.message_ids[:1]
        self.assertIn("Saldenbestätigung unterschrieben", message.body)
        self.assertIn("11/20/2029", message.body, "the new limitation date, in English")

    @freeze_time(TODAY)
    def test_agreed_limitation_date_replaces_the_statutory_one(self):
        invoice = self.old_invoice()
        invoice.payment_followup_limitation_agreed = date(2027, 6, 30)
        self.assertEqual(self.limitation(invoice), (date(2027, 6, 30), "running"))
        with self.assertRaisesRegex(ValidationError, "before its due date"):
            invoice.payment_followup_limitation_agreed = date(2023, 5, 1)

    @freeze_time(TODAY)
    def test_court_dunning_order_suspends_and_the_worklist_leaves_it_out(self):
        invoice = self.old_invoice()
        younger = self.old_invoice(due=date(2024, 2, 1))
        case = self.env["payment.followup.collection"].create(
            {
                "partner_id": self.customer.id,
                "item_ids": [
                    Command.set(
                        invoice.line_ids.filtered(
                            lambda line: line.account_type == "asset_receivable"
                        ).ids
                    )
                ],
            }
        )
        self.run_followup(TODAY)
        self.assertEqual(self.row(self.customer).limitation_date, date(2026, 12, 31))
        case.court_order_date = date(2026, 11, 25)
        self.assertEqual(self.limitation(invoice), (date(2026, 12, 31), "suspended"))
        self.assertEqual(self.limitation(younger), (date(2027, 12, 31), "running"))
        self.run_followup(TODAY)
        self.assertEqual(self.row(self.customer).limitation_date, date(2027, 12, 31))

    # ------------------------------------------------------------------ the worklist

    def year_end_filter(self):
        """The domain of the worklist's filter as the browser evaluates it."""
        arch = self.env["payment.followup.status"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        node = etree.fromstring(arch).xpath("//filter[@name='filter_time_barred_year_end']")[0]
        self.assertEqual(node.get("string"), "becomes time-barred on 31 December")
        return safe_eval(
            node.get("domain"),
            {"context_today": lambda: safe_datetime.date(2026, 11, 30)},
        )

    @freeze_time(TODAY)
    def test_worklist_filter_lists_the_customers_whose_claims_become_time_barred(self):
        barred = self._make_customer("Altkunde AG")
        later = self._make_customer("Jungkunde AG")
        paid = self._make_customer("Teilzahler AG")
        self.old_invoice(barred)
        self.old_invoice(barred, due=date(2025, 1, 10))
        self.old_invoice(later, due=date(2024, 1, 10))
        self.pay(self.old_invoice(paid), 100.0, date(2025, 3, 15))
        self.run_followup(TODAY)
        rows = self.env["payment.followup.status"].search(
            [("company_id", "=", self.company.id), *self.year_end_filter()]
        )
        self.assertEqual(rows.partner_id, barred)
        self.assertEqual(rows.limitation_date, date(2026, 12, 31), "the earliest of its claims")
        self.assertEqual(self.row(later).limitation_date, date(2027, 12, 31))
        self.assertEqual(self.row(paid).limitation_date, date(2028, 3, 15))

    # ------------------------------------------------------------------ the November to-do

    def todos(self):
        return self.env["mail.activity"].search(
            [
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("payment_followup_ext.mail_activity_type_limitation").id,
                ),
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.company.partner_id.id),
            ]
        )

    def test_november_to_do_lists_the_claims_once(self):
        invoice = self.old_invoice(amount=1234.5)
        self.old_invoice(self._make_customer("Zweitkunde AG"), due=date(2023, 8, 1), amount=100.0)
        self.old_invoice(self._make_customer("Jungkunde AG"), due=date(2024, 8, 1))
        Run = self.env["payment.followup.run"]
        Run._warn_limitation(self.company, date(2026, 10, 31))
        self.assertFalse(self.todos(), "not before 1 November")
        Run._warn_limitation(self.company, date(2026, 11, 1))
        todo = self.todos()
        self.assertEqual(len(todo), 1)
        manager = self.env["payment.followup.history"]._payment_followup_manager(self.company)
        self.assertEqual(todo.user_id, manager)
        self.assertEqual(todo.date_deadline, date(2026, 12, 31))
        self.assertEqual(todo.summary, "Claims becoming time-barred on 31 December 2026: 2")
        self.assertIn(invoice.name, todo.note)
        self.assertIn("Kunde Eins GmbH", todo.note)
        self.assertIn("1,334.50", todo.note, "the total of both claims")
        self.assertNotIn("Jungkunde", todo.note)
        self.assertIn("court dunning order", todo.note)
        Run._warn_limitation(self.company, date(2026, 11, 2))
        self.assertEqual(len(self.todos()), 1, "never a second while the year's one is open")

    def test_november_to_do_in_the_managers_language(self):
        self.old_invoice()
        manager = self.env["payment.followup.history"]._payment_followup_manager(self.company)
        manager.lang = "de_DE"
        self.env["payment.followup.run"]._warn_limitation(self.company, date(2026, 11, 1))
        todo = self.todos()
        self.assertIn("1.000,00", todo.note)
        self.assertIn("31.12.2026", todo.note)

    def test_daily_run_makes_the_to_do(self):
        self.old_invoice()
        with freeze_time(date(2026, 11, 3)):
            self.env["payment.followup.run"]._run_daily()
        self.assertEqual(len(self.todos()), 1)
