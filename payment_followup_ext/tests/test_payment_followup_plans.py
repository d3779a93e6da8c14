"""Payment plans: instalments pause the follow-up, a missed one resumes it, paying closes it."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DUE, FollowupCase

AGREED = DUE + timedelta(days=10)  # 2026-03-12
FIRST = AGREED + timedelta(days=15)  # 2026-03-27


@tagged("post_install", "-at_install")
class TestPaymentPlans(FollowupCase):
    def claim(self, amount=900.0, partner=None):
        return self.claim_without_tax(partner, amount)

    def pay(self, invoice, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": day})._create_payments()

    def make_plan(self, **values):
        with freeze_time(AGREED):
            action = self.customer.action_payment_followup_plan()
            wizard = (
                self.env["payment.followup.plan.wizard"]
                .with_context(**action["context"])
                .create({"count": 3, "first_date": FIRST, **values})
            )
            result = wizard.action_create()
        return self.env["payment.followup.plan"].browse(result["res_id"])

    def test_plan_honoured_pauses_reminders_and_closes_when_paid(self):
        invoice = self.claim()
        self.run_followup(DUE + timedelta(days=3))
        plan = self.make_plan(resume_level_id=self.second.id)
        self.assertEqual(plan.state, "active")
        self.assertTrue(plan.name.startswith("PLAN/"))
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0, 300.0, 300.0])
        self.assertEqual(
            plan.line_ids.mapped("date"),
            [FIRST, FIRST + timedelta(days=31), FIRST + timedelta(days=61)],
        )
        # While the plan runs, the first notice (14 days) is not sent.
        self.assertFalse(self.run_followup(DUE + timedelta(days=14)))
        self.assertFalse(self.run_followup(DUE + timedelta(days=30)))
        self.pay(invoice, 300.0, FIRST)
        self.env["payment.followup.plan"]._cron_update_plans(FIRST + timedelta(days=20))
        self.assertEqual(plan.state, "active")
        with freeze_time(FIRST + timedelta(days=20)):
            plan.invalidate_recordset()
            self.assertEqual(plan.amount_paid, 300.0)
            self.assertEqual(plan.line_ids.mapped("state"), ["paid", "open", "open"])
        self.pay(invoice, 600.0, FIRST + timedelta(days=40))
        self.env["payment.followup.plan"]._cron_update_plans(FIRST + timedelta(days=41))
        self.assertEqual(plan.state, "done")

    def test_missed_instalment_breaks_the_plan_and_follow_up_resumes(self):
        self.claim()
        self.run_followup(DUE + timedelta(days=3))
        plan = self.make_plan(resume_level_id=self.second.id, grace_days=5)
        self.env["payment.followup.plan"]._cron_update_plans(FIRST + timedelta(days=5))
        self.assertEqual(plan.state, "active", "still within the grace days")
        broken_on = FIRST + timedelta(days=6)  # 31 days after the due date
        self.env["payment.followup.plan"]._cron_update_plans(broken_on)
        self.assertEqual(plan.state, "broken")
        self.assertTrue(plan.activity_ids, "the responsible is told")
        self.assertEqual(plan.item_ids.payment_followup_level_id, self.first)
        step = self.run_followup(broken_on)
        self.assertEqual(step.level_id, self.second, "the follow-up resumes at the chosen level")

    def test_a_plan_covers_the_fee_documents_that_a_payment_settles_first(self):
        """A fee charged on the invoice, not due yet when the plan is agreed, is part of the
        plan: an instalment paid in full settles the fee first (§ 367(1) BGB) and still counts
        in full, so the plan keeps running."""
        invoice = self.claim()
        self.first.write({"fee_type": "fixed", "fee_fixed": 5.0})
        self.run_followup(DUE + timedelta(days=3))
        step = self.run_followup(DUE + timedelta(days=14))
        fee_document = step.charge_move_id
        self.assertEqual(fee_document.amount_total, 5.0)
        agreed = DUE + timedelta(days=15)
        self.assertGreater(fee_document.invoice_date_due, agreed, "the fee is not due yet")
        with freeze_time(agreed):
            action = self.customer.action_payment_followup_plan()
            wizard = (
                self.env["payment.followup.plan.wizard"]
                .with_context(**action["context"])
                .create({"count": 3, "first_date": agreed + timedelta(days=5), "grace_days": 0})
            )
            self.assertEqual(wizard.item_ids.move_id, invoice | fee_document)
            plan = self.env["payment.followup.plan"].browse(wizard.action_create()["res_id"])
        self.assertEqual(plan.line_ids.mapped("amount"), [301.66, 301.66, 301.68])
        first = plan.line_ids[0].date
        self.pay(invoice, 301.66, first)
        self.assertEqual(fee_document.payment_state, "paid", "costs first (§ 367(1) BGB)")
        self.env["payment.followup.plan"]._cron_update_plans(first + timedelta(days=3))
        self.assertEqual(plan.state, "active")

    def test_the_plans_grace_days_decide_when_it_breaks(self):
        invoice = self.claim()
        plan = self.make_plan(grace_days=10)
        self.pay(invoice, 100.0, FIRST)  # a part of the first instalment of 300
        Plan = self.env["payment.followup.plan"]
        Plan._cron_update_plans(FIRST + timedelta(days=10))
        self.assertEqual(plan.state, "active", "late by 10 days, within the 10 grace days")
        with freeze_time(FIRST + timedelta(days=10)):
            plan.invalidate_recordset()
            self.assertEqual(plan.line_ids.mapped("state"), ["late", "open", "open"])
            self.assertEqual(plan.line_ids.mapped("amount_paid"), [100.0, 0.0, 0.0])
        Plan._cron_update_plans(FIRST + timedelta(days=11))
        self.assertEqual(plan.state, "broken", "late by 11 days, more than the grace days")

    def test_no_grace_days_break_the_plan_the_day_after_the_instalment(self):
        self.claim()
        plan = self.make_plan(grace_days=0)
        self.env["payment.followup.plan"]._cron_update_plans(FIRST)
        self.assertEqual(plan.state, "active", "due today: not late yet")
        self.env["payment.followup.plan"]._cron_update_plans(FIRST + timedelta(days=1))
        self.assertEqual(plan.state, "broken")

    def entries(self, moves):
        """``[(account code, debit, credit)]`` of ``moves``, sorted."""
        return sorted((line.account_id.code, line.debit, line.credit) for line in moves.line_ids)

    def test_plan_interest_is_booked_as_each_instalment_falls_due(self):
        self.claim()
        plan = self.make_plan(fee_amount=10.0, charge_interest=True)
        # 910.00 in three instalments; 10.27 % a year from 12 March: 303.33 for 15 days
        # (1.28), 303.33 for 46 days (3.93), 303.34 for 76 days (6.49); paid with the last.
        self.assertEqual(plan.line_ids.mapped("interest_amount"), [1.28, 3.93, 6.49])
        self.assertAlmostEqual(plan.interest_amount, 11.70)
        self.assertEqual(plan.line_ids.mapped("amount"), [303.33, 303.33, 315.04])
        # Confirmed: the fee is booked, no interest income yet.
        self.assertEqual(plan.charge_move_ids, plan.charge_move_id)
        self.assertEqual(
            self.entries(plan.charge_move_id), [("1410", 10.0, 0.0), ("2700", 0.0, 10.0)]
        )
        self.assertEqual(plan.charge_move_id.invoice_date, AGREED)
        Plan = self.env["payment.followup.plan"]
        Plan._cron_update_plans(FIRST - timedelta(days=1))
        self.assertEqual(len(plan.charge_move_ids), 1, "no instalment due yet")
        Plan._cron_update_plans(FIRST)
        Plan._cron_update_plans(FIRST)
        interest = plan.charge_move_ids - plan.charge_move_id
        self.assertEqual(len(interest), 1, "the first instalment's interest, once")
        self.assertEqual(self.entries(interest), [("1410", 1.28, 0.0), ("2650", 0.0, 1.28)])
        self.assertEqual(interest.invoice_date, FIRST)
        self.assertEqual(interest.invoice_date_due, plan.line_ids[-1].date)
        self.assertEqual(plan.line_ids[0].interest_move_id, interest)
        self.assertFalse(plan.line_ids[1:].interest_move_id)

        # Cancelled: fee and interest are reversed; confirmed again: booked once more, once.
        plan.action_cancel()
        reversals = plan.charge_move_ids.filtered(lambda move: move.move_type == "out_refund")
        self.assertEqual(len(reversals), 2)
        self.assertEqual(
            self.entries(reversals),
            [("1410", 0.0, 1.28), ("1410", 0.0, 10.0), ("2650", 1.28, 0.0), ("2700", 10.0, 0.0)],
        )
        plan.action_draft()
        with freeze_time(FIRST):
            plan.action_confirm()
        Plan._cron_update_plans(FIRST)
        active = plan._active_charge_moves()
        self.assertEqual(len(active), 2)
        self.assertEqual(sorted(active.mapped("amount_total")), [1.28, 10.0])

    def test_a_plan_before_default_charges_no_interest(self):
        """No agreed due date, no reminder, no known receipt: the customer is not in default
        when the plan is agreed, so the plan defers the debt without interest (§ 286 BGB)."""
        self.customer.payment_followup_contract_date = False
        invoice = self.claim()
        self.assertFalse(invoice.payment_followup_terms_agreed)
        plan = self.make_plan(charge_interest=True)
        self.assertEqual(plan.interest_amount, 0.0)
        self.assertEqual(plan.line_ids.mapped("interest_amount"), [0.0, 0.0, 0.0])

    def test_a_paid_plan_document_keeps_the_plan_from_being_cancelled(self):
        self.claim()
        plan = self.make_plan(fee_amount=10.0)
        self.pay(plan.charge_move_id, 10.0, FIRST)
        with self.assertRaisesRegex(UserError, "already \\(partly\\) paid"):
            plan.action_cancel()
        self.assertEqual(plan.state, "active")

    def test_after_a_break_late_interest_runs_from_the_break_and_spares_the_plan_documents(self):
        self.second.write({"charge_interest": True, "charge_flat_fee": True})
        invoice = self.claim()
        self.run_followup(DUE + timedelta(days=3))
        plan = self.make_plan(fee_amount=10.0, charge_interest=True, resume_level_id=self.second.id)
        broken_on = FIRST + timedelta(days=6)  # 2 April
        for day in range(7):
            self.env["payment.followup.plan"]._cron_update_plans(FIRST + timedelta(days=day))
        self.assertEqual((plan.state, plan.date_broken), ("broken", broken_on))
        booked = plan._active_charge_moves()
        self.assertEqual(sorted(booked.mapped("amount_total")), [1.28, 10.0], "they stay owed")
        step = self.run_followup(broken_on + timedelta(days=14))
        self.assertEqual(step.level_id, self.second)
        self.assertTrue(booked.line_ids & step.line_ids, "the plan's documents are listed")
        self.assertFalse(
            step.charge_ids.line_id & booked.line_ids,
            "no interest and no flat fee on the plan's fee and interest (§ 289 BGB)",
        )
        interest = step.charge_ids.filtered(lambda charge: charge.kind == "interest")
        # 3 to 16 April, 14 days: 900.00 * 10.27 % * 14 / 365 = 3.55 (the plan's interest
        # covered the time before)
        self.assertEqual(
            (interest.line_id.move_id, interest.date_from, interest.days, interest.amount),
            (invoice, broken_on + timedelta(days=1), 14, 3.55),
        )
        flat = step.charge_ids.filtered(lambda charge: charge.kind == "flat_fee")
        self.assertEqual(flat.line_id.move_id, invoice)

    def test_bad_input_gives_clear_errors(self):
        invoice = self.claim()
        with freeze_time(AGREED):
            wizard = self.env["payment.followup.plan.wizard"].create(
                {
                    "partner_id": self.customer.id,
                    "count": 3,
                    "first_date": AGREED - timedelta(days=1),
                }
            )
            with self.assertRaisesRegex(UserError, "cannot lie in the past"):
                wizard.action_create()
        invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).payment_followup_blocked = True
        with freeze_time(AGREED):
            wizard = self.env["payment.followup.plan.wizard"].create(
                {"partner_id": self.customer.id, "count": 3, "first_date": FIRST}
            )
            wizard.item_ids = invoice.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            )
            with self.assertRaisesRegex(UserError, "disputed or excluded"):
                wizard.action_create()
        invoice.line_ids.payment_followup_blocked = False
        plan = self.make_plan()
        with self.assertRaisesRegex(AccessError, "buttons only"), self.cr.savepoint():
            plan.line_ids[0].amount = 400.0  # the agreement of a running plan
        plan.action_cancel()
        plan.action_draft()
        with self.assertRaisesRegex(ValidationError, "more than the debt"), self.cr.savepoint():
            plan.line_ids[0].amount = 400.0

    def test_agreement_pdf_in_german(self):
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        self.claim()
        plan = self.make_plan()
        text = self.render_pdf("payment_followup_ext.action_report_payment_followup_plan", plan)
        self.assertIn(plan.name, text)
        self.assertIn("Ratenzahlungsvereinbarung", text)
        self.assertIn("300,00", text)
