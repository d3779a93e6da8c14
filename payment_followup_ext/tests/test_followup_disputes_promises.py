"""Disputed invoices and promises to pay: both take items out of the follow-up for a while."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DUE, FollowupCase


def on(days):
    return DUE + timedelta(days=days)


def receivable(move):
    return move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")


@tagged("post_install", "-at_install")
class TestFollowupDisputesPromises(FollowupCase):
    with_other_company = True

    # ------------------------------------------------------------------ helpers

    def dispute(self, move, reason="quality", note="Ware beschädigt geliefert"):
        action = move.with_user(self.accountant).action_payment_followup_dispute()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({"reason": reason, "note": note})
        )
        wizard.action_confirm()
        return move.payment_followup_dispute_id

    def resolve(self, move, resolution="rejected", note="Lieferung war vollständig"):
        action = move.with_user(self.accountant).action_payment_followup_resolve_dispute()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({"resolution": resolution, "note": note})
        )
        wizard.action_confirm()

    def promise(self, target, date, amount=0.0, note="Zusage am Telefon"):
        action = target.with_user(self.accountant).action_payment_followup_promise()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({"date": date, "amount": amount, "note": note})
        )
        wizard.action_confirm()
        return self.env["payment.followup.promise"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )

    def pay(self, move, day, amount=None):
        vals = {"payment_date": day}
        if amount is not None:
            vals["amount"] = amount
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(vals)._create_payments()

    def evaluate(self, day):
        return self.env["payment.followup.promise"]._evaluate_due_promises(self.company, day)

    def last_note(self, record):
        return record.message_ids[0].body

    # ------------------------------------------------------------------ disputes

    def test_disputed_invoice_is_not_reminded_the_other_one_is(self):
        disputed = self.invoice(amount=800.0)
        other = self.invoice(amount=200.0)
        with freeze_time(on(1)):
            dispute = self.dispute(disputed, reason="wrong_amount")
        self.assertEqual(dispute.state, "open")
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertEqual(dispute.user_id, self.accountant)
        self.assertEqual(str(dispute.date), str(on(1)))
        self.assertTrue(all(receivable(disputed).mapped("payment_followup_blocked")))
        self.assertFalse(any(receivable(other).mapped("payment_followup_blocked")))
        # the banner of the invoice form
        self.assertTrue(disputed.payment_followup_disputed)
        self.assertEqual(disputed.payment_followup_dispute_reason, "wrong_amount")
        self.assertEqual(disputed.payment_followup_dispute_note, "Ware beschädigt geliefert")
        self.assertIn(
            disputed, self.env["account.move"].search([("payment_followup_disputed", "=", True)])
        )
        # logged on the invoice and on the customer
        for record in (disputed, self.customer):
            self.assertIn("disputed", self.last_note(record))
            self.assertIn("Ware beschädigt geliefert", self.last_note(record))

        step = self.run_followup(on(5))
        self.assertEqual(step.level_id, self.friendly)
        self.assertEqual(step.line_ids.move_id, other)
        self.assertNotIn(disputed.name, step.mail_id.body_html)
        with self.assertRaisesRegex(UserError, "already disputed"):
            disputed.with_user(self.accountant).action_payment_followup_dispute()

    def test_resolved_dispute_is_reminded_again_and_restores_blocked(self):
        invoice = self.invoice()
        self.dispute(invoice)
        self.assertFalse(self.run_followup(on(5)))
        self.resolve(invoice, resolution="rejected")
        dispute = invoice.payment_followup_dispute_ids
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.resolution, "rejected")
        self.assertEqual(dispute.resolved_user_id, self.accountant)
        self.assertFalse(invoice.payment_followup_disputed)
        self.assertFalse(any(receivable(invoice).mapped("payment_followup_blocked")))
        for record in (invoice, self.customer):
            self.assertIn("resolved", self.last_note(record))
        self.assertEqual(self.run_followup(on(6)).line_ids.move_id, invoice)
        with self.assertRaisesRegex(UserError, "no open dispute"):
            invoice.with_user(self.accountant).action_payment_followup_resolve_dispute()

    def test_resolving_keeps_an_exclusion_made_before_the_dispute(self):
        invoice = self.invoice()
        receivable(invoice).payment_followup_blocked = True
        dispute = self.dispute(invoice)
        self.assertFalse(dispute.blocked_line_ids)
        self.resolve(invoice, resolution="withdrawn")
        self.assertTrue(
            all(receivable(invoice).mapped("payment_followup_blocked")), "it was blocked before"
        )
        self.assertFalse(self.run_followup(on(20)))

    def test_only_posted_customer_invoices_can_be_disputed(self):
        draft = self.invoice(post=False)
        with self.assertRaisesRegex(UserError, "not a posted customer invoice"):
            draft.with_user(self.accountant).action_payment_followup_dispute()
        with self.assertRaisesRegex(ValidationError, "not a posted customer invoice"):
            self.env["payment.followup.dispute"].create({"move_id": draft.id, "reason": "other"})

    def test_readonly_user_cannot_dispute(self):
        invoice = self.invoice()
        reader = new_test_user(
            self.env,
            login="pfx_reader",
            groups="base.group_user,account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.env["payment.followup.dispute"].with_user(reader).create(
                {"move_id": invoice.id, "reason": "other"}
            )

    # ------------------------------------------------------------------ promises

    def test_kept_promise_pauses_until_the_date(self):
        invoice = self.invoice()
        with freeze_time(on(2)):
            promise = self.promise(self.customer, on(10))
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.line_ids, receivable(invoice))
        self.assertEqual(promise.amount_open, invoice.amount_total)
        self.assertFalse(promise.move_id)
        self.assertIn("Promise to pay", self.last_note(self.customer))
        self.assertEqual(self.customer.payment_followup_promise_ids, promise)
        for day in (3, 5, 10):
            self.assertFalse(self.run_followup(on(day)), f"paused on day {day}")
        self.pay(invoice, on(9))
        self.assertFalse(self.evaluate(on(10)), "the promised day itself is not over yet")
        self.assertEqual(self.evaluate(on(11)), promise)
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise.outcome_date, on(11))
        self.assertAlmostEqual(promise.amount_received, invoice.amount_total)
        self.assertIn("kept", self.last_note(self.customer))
        self.assertFalse(self.customer.payment_followup_promise_ids)
        self.assertFalse(self.run_followup(on(20)))

    def test_broken_promise_resumes_the_day_after(self):
        invoice = self.invoice()
        with freeze_time(on(2)):
            promise = self.promise(self.customer, on(10))
        self.assertFalse(self.run_followup(on(10)))
        with freeze_time(on(11)):
            self.env["payment.followup.promise"]._cron_evaluate()
        self.assertEqual(promise.state, "broken")
        self.assertEqual(promise.amount_received, 0)
        self.assertIn("broken", self.last_note(self.customer))
        step = self.run_followup(on(11))
        self.assertEqual(step.level_id, self.friendly)
        self.assertEqual(step.line_ids.move_id, invoice)
        with freeze_time(on(11)):
            self.assertFalse(self.customer.payment_followup_status_ids.promise_date)

    def test_daily_cron_records_the_outcome_then_reminds(self):
        invoice = self.invoice()
        with freeze_time(on(2)):
            promise = self.promise(self.customer, on(10))
        cursor = type(self.env.cr)
        # The cron commits every batch: here the test's transaction must stay open.
        with (
            patch.object(cursor, "commit"),
            patch.object(cursor, "rollback"),
            freeze_time(on(11)),
        ):
            self.env["payment.followup.run"]._run_daily()
        self.assertEqual(promise.state, "broken")
        self.assertEqual(self.histories().line_ids.move_id, invoice)
        self.assertEqual(self.histories().date, on(11))

    def test_late_payment_does_not_keep_the_promise(self):
        invoice = self.invoice()
        with freeze_time(on(2)):
            promise = self.promise(self.customer, on(10))
        self.pay(invoice, on(12))
        self.evaluate(on(13))
        self.assertEqual(promise.state, "broken", "paid two days after the promised date")

    def test_promise_on_one_invoice_with_an_amount(self):
        promised = self.invoice(amount=1000.0)
        other = self.invoice(amount=200.0)
        with freeze_time(on(2)):
            promise = self.promise(promised, on(10), amount=300.0)
            # the worklist row of the customer shows the promise
            self.assertEqual(self.customer.payment_followup_status_ids.promise_date, on(10))
        self.assertEqual(promise.move_id, promised)
        self.assertEqual(promise.line_ids, receivable(promised))
        self.assertIn("Promise to pay", self.last_note(promised))
        step = self.run_followup(on(5))
        self.assertEqual(step.line_ids.move_id, other, "only the promised invoice waits")
        self.pay(promised, on(8), amount=300.0)
        self.evaluate(on(11))
        self.assertEqual(promise.state, "kept", "the promised amount arrived in time")
        self.assertAlmostEqual(promise.amount_received, 300.0)

    def test_bad_promises_are_refused_with_a_clear_message(self):
        invoice = self.invoice()
        with freeze_time(on(2)):
            with self.assertRaisesRegex(UserError, "in the past"):
                self.promise(self.customer, on(1))
            with self.assertRaisesRegex(UserError, "cannot be negative"):
                self.promise(self.customer, on(10), amount=-5.0)
            promise = self.promise(self.customer, on(2))  # today is fine
            with self.assertRaisesRegex(ValidationError, "cannot be negative"):
                promise.amount = -1.0
            with self.assertRaisesRegex(ValidationError, "in the past"):
                promise.date = on(1)
        self.pay(invoice, on(3))
        with freeze_time(on(4)):
            with self.assertRaisesRegex(UserError, "has no open amount"):
                self.promise(invoice, on(10))
            with self.assertRaisesRegex(UserError, "no open items"):
                self.promise(self.customer, on(10))

    def test_promise_is_recorded_from_an_automation(self):
        self.invoice()
        with freeze_time(on(2)):
            promise = self.customer.with_user(self.accountant)._payment_followup_record_promise(
                on(9), note="per E-Mail zugesagt"
            )
            action = self.env.ref("payment_followup_ext.action_partner_payment_followup_promise")
            result = (
                action.with_user(self.accountant)
                .with_context(
                    active_model="res.partner",
                    active_ids=self.customer.ids,
                    active_id=self.customer.id,
                )
                .run()
            )
        self.assertEqual(promise.user_id, self.accountant)
        self.assertEqual(result["res_model"], "payment.followup.promise.wizard")
        self.assertFalse(self.run_followup(on(9)))
        self.assertTrue(self.run_followup(on(10)))

    def test_other_company_sees_no_promise_nor_dispute(self):
        self.dispute(self.invoice())
        self.invoice()
        with freeze_time(on(2)):
            self.promise(self.customer, on(10))
        company_b = self.company_data_2["company"]
        self.env.user.company_ids |= company_b
        for model in ("payment.followup.promise", "payment.followup.dispute"):
            self.assertEqual(self.env[model].with_user(self.accountant).search_count([]), 1)
            in_b = self.env[model].with_context(allowed_company_ids=company_b.ids)
            self.assertFalse(in_b.search([]), f"{model} of company 1 seen in company B")
