"""Service suspension until paid: set by a level under strict criteria, lifted once everything
overdue (fee documents included) is paid, set and lifted by hand by managers only."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DUE, FollowupCase

FRIENDLY_DAY = DUE + timedelta(days=3)
FIRST_DAY = DUE + timedelta(days=14)
SECOND_DAY = DUE + timedelta(days=28)  # the suspending level
PAY_DAY = DUE + timedelta(days=30)


@tagged("post_install", "-at_install")
class TestFollowupSuspension(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second.write(
            {
                "suspend_service": True,
                "suspend_min_amount": 300.0,
                "suspend_min_days": 20,
                "fee_type": "fixed",
                "fee_fixed": 5.0,
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="pfx_manager",
            name="Martin Leiter",
            email="martin@example.com",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def claim(self, amount=500.0, due=DUE, partner=None):
        return self.claim_without_tax(partner, amount, due)

    def escalate(self, user=None):
        """Run the ladder up to the suspending level; returns its step."""
        self.run_followup(FRIENDLY_DAY)
        self.run_followup(FIRST_DAY)
        Run = self.env["payment.followup.run"].with_user(user or self.env.user)
        return Run._process(self.company, SECOND_DAY, partner_ids=self.customer.ids)

    def pay(self, move, amount=None, day=PAY_DAY):
        with freeze_time(day):
            values = {"payment_date": day}
            if amount is not None:
                values["amount"] = amount
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create(values)._create_payments()

    def wizard(self, action, reason):
        """The wizard ``action`` opens, as the manager fills it in."""
        return (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": reason})
        )

    def notes(self, partner=None):
        return (partner or self.customer).message_ids.mapped("body")

    def test_level_suspends_when_criteria_hold(self):
        self.claim()
        # Started by an accountant, who may not edit contacts.
        self.assertFalse(self.env["res.partner"].with_user(self.accountant).has_access("write"))
        step = self.escalate(user=self.accountant)
        self.assertEqual(step.level_id, self.second)
        customer = self.customer
        self.assertTrue(customer.payment_followup_suspended)
        self.assertEqual(customer.payment_followup_suspended_date, SECOND_DAY)
        self.assertEqual(customer.payment_followup_suspension_level_id, self.second)
        self.assertIn("Second notice", customer.payment_followup_suspension_reason)
        self.assertTrue(customer._payment_followup_is_suspended())
        self.assertTrue(any("Service suspended by follow-up level" in b for b in self.notes()))
        self.assertTrue(
            step.charge_move_id.payment_followup_partner_suspended, "banner on its invoices"
        )

    def test_level_keeps_a_suspension_set_by_hand(self):
        self.customer._payment_followup_suspend("Vertragsbruch")
        self.claim()
        self.escalate()
        self.assertTrue(self.customer.payment_followup_suspended)
        self.assertEqual(self.customer.payment_followup_suspension_reason, "Vertragsbruch")
        self.assertFalse(
            self.customer.payment_followup_suspension_level_id, "still lifted by hand only"
        )

    def test_no_suspension_below_the_minimum_amount(self):
        self.claim(amount=250.0)
        step = self.escalate()
        self.assertEqual(step.level_id, self.second, "the level runs, the suspension does not")
        self.assertFalse(self.customer.payment_followup_suspended)
        self.assertFalse(self.customer._payment_followup_is_suspended())

    def test_no_suspension_below_the_minimum_days(self):
        self.second.suspend_min_days = 29
        self.claim()
        self.assertEqual(self.escalate().level_id, self.second)
        self.assertFalse(self.customer.payment_followup_suspended)

    def test_blocked_items_do_not_count(self):
        disputed = self.claim(amount=400.0)
        self.claim(amount=200.0)
        self.run_followup(FRIENDLY_DAY)
        disputed.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).payment_followup_blocked = True
        self.run_followup(FIRST_DAY)
        self.run_followup(SECOND_DAY)
        self.assertFalse(self.customer.payment_followup_suspended, "200 undisputed: below 300")

    def test_lifted_by_the_last_payment_including_the_fee_document(self):
        # The payments settle what they are matched with: without § 367 allocation the fee
        # document stays open after the invoice is paid (with it, see the next test).
        self.company.payment_followup_costs_first = False
        invoice = self.claim()
        step = self.escalate()
        fee_document = step.charge_move_id
        self.assertAlmostEqual(fee_document.amount_total, 5.0)
        self.claim(amount=900.0, due=PAY_DAY + timedelta(days=10))  # not due yet: no obstacle
        self.pay(invoice, amount=200.0)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertTrue(self.customer.payment_followup_suspended, "a partial payment lifts nothing")
        self.pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(self.customer.payment_followup_suspended, "the fee document is still open")
        self.pay(fee_document)
        self.assertFalse(self.customer.payment_followup_suspended)
        self.assertFalse(self.customer.payment_followup_suspended_date)
        self.assertFalse(self.customer.payment_followup_suspension_level_id)
        self.assertTrue(any("Service suspension lifted" in b for b in self.notes()))

    def test_with_costs_first_a_payment_settles_the_fee_document_before_the_invoice(self):
        invoice = self.claim()
        fee_document = self.escalate().charge_move_id
        self.pay(invoice, amount=200.0)
        self.assertEqual(fee_document.payment_state, "paid", "§ 367 BGB: costs first")
        self.assertTrue(self.customer.payment_followup_suspended, "the invoice is still open")
        self.pay(invoice)
        self.assertFalse(self.customer.payment_followup_suspended)

    def test_daily_run_lifts_when_nothing_counts_any_more(self):
        self.second.fee_type = "none"
        invoice = self.claim()
        self.escalate()
        self.assertTrue(self.customer.payment_followup_suspended)
        invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).payment_followup_blocked = True
        cursor = type(self.env.cr)
        # The cron commits every batch: here the test's transaction must stay open.
        with freeze_time(PAY_DAY), patch.object(cursor, "commit"), patch.object(cursor, "rollback"):
            self.env["payment.followup.run"]._run_daily()
        self.assertFalse(self.customer.payment_followup_suspended)

    def test_manual_suspension_and_lift_by_managers_only(self):
        accountant_partner = self.customer.with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            accountant_partner.action_payment_followup_suspend()
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            accountant_partner.action_payment_followup_suspend(reason="Vertragsbruch")
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            self.env["payment.followup.suspension.wizard"].with_user(self.accountant).create(
                {"partner_ids": [Command.set(self.customer.ids)], "reason": "x"}
            )
        self.assertFalse(self.customer.payment_followup_suspended)

        action = self.customer.with_user(self.manager).action_payment_followup_suspend()
        wizard = self.wizard(action, "  ")
        self.assertEqual(wizard.mode, "suspend")
        self.assertEqual(wizard.partner_ids, self.customer)
        with self.assertRaisesRegex(UserError, "Enter the reason"):
            wizard.action_apply()
        wizard.reason = "Insolvenzantrag gestellt"
        wizard.action_apply()
        self.assertTrue(self.customer.payment_followup_suspended)
        self.assertEqual(
            self.customer.payment_followup_suspension_reason, "Insolvenzantrag gestellt"
        )
        self.assertFalse(self.customer.payment_followup_suspension_level_id)
        # Set by hand: the daily check does not lift it although nothing is overdue.
        self.env["res.partner"]._payment_followup_suspension_lift_paid()
        self.assertTrue(self.customer.payment_followup_suspended)

        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            accountant_partner.action_payment_followup_lift()
        action = self.customer.with_user(self.manager).action_payment_followup_lift()
        wizard = self.wizard(action, "Vergleich geschlossen")
        self.assertEqual(wizard.mode, "lift")
        wizard.action_apply()
        self.assertFalse(self.customer.payment_followup_suspended)
        self.assertTrue(any("Vergleich geschlossen" in b for b in self.notes()))

    def test_server_action_from_an_automation_acts_at_once(self):
        action = self.env.ref("payment_followup_ext.action_partner_payment_followup_suspend")
        context = {"active_model": "res.partner", "active_ids": self.customer.ids}
        # As an automation runs it: superuser, marked by base_automation's context key.
        action.sudo().with_context(**context, __action_done={}).run()
        self.assertTrue(self.customer.payment_followup_suspended)
        lift = self.env.ref("payment_followup_ext.action_partner_payment_followup_lift")
        lift.sudo().with_context(**context, __action_done={}).run()
        self.assertFalse(self.customer.payment_followup_suspended)

    def test_child_contact_and_its_documents_see_the_suspension(self):
        contact = self.env["res.partner"].create(
            {"name": "Einkauf Kunde Eins", "parent_id": self.customer.id, "type": "contact"}
        )
        self.assertFalse(contact._payment_followup_is_suspended())
        self.customer._payment_followup_suspend("Test")
        self.assertTrue(contact._payment_followup_is_suspended())
        self.assertFalse(contact.payment_followup_suspended, "stored on the commercial entity only")
        self.assertTrue(contact.payment_followup_partner_suspended)
        self.assertEqual(contact.payment_followup_partner_suspension_reason, "Test")
        invoice = self.claim(partner=contact)
        self.assertTrue(invoice.payment_followup_partner_suspended)

    def test_level_criteria_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "few cents"):
            self.first.suspend_service = True
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.second.suspend_min_days = -1
