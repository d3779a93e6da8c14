"""The worklist as the accountant reads it: every customer who owes has a row (paused ones with
the reason), the age structure of what is overdue, averages that average, the promised date."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import DUE, FollowupCase


def on(days):
    return DUE + timedelta(days=days)


@tagged("post_install", "-at_install")
class TestFollowupWorklist(FollowupCase):
    def row(self, partner=None):
        return self.env["payment.followup.status"].search(
            [
                ("partner_id", "=", (partner or self.customer).id),
                ("company_id", "=", self.company.id),
            ]
        )

    def worklist_domain(self):
        """The domain of the worklist's action and of its filter "Paused"."""
        action = self.env.ref("payment_followup_ext.payment_followup_status_action")
        return [("company_id", "=", self.company.id), *safe_eval(action.domain)]

    def promise(self, target, date):
        action = target.with_user(self.accountant).action_payment_followup_promise()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({"date": date, "note": "Zusage am Telefon"})
        )
        wizard.action_confirm()

    def dispute(self, move):
        action = move.with_user(self.accountant).action_payment_followup_dispute()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({"reason": "quality", "note": "Ware beschädigt geliefert"})
        )
        wizard.action_confirm()

    # ------------------------------------------------------------------ paused customers

    def test_customer_with_everything_promised_keeps_its_row_with_the_date(self):
        self.invoice(amount=1000.0)
        self.invoice(amount=200.0, due=on(-20))
        with freeze_time(on(5)):
            self.promise(self.customer, on(15))
            self.run_followup(on(5))
            row = self.row()
            self.assertEqual(row.reason, "paused", "everything open is promised")
            self.assertEqual(row.pause_reason, "promise")
            self.assertEqual(row.promise_date, on(15))
            self.assertGreater(row.amount_overdue, 0, "the promised items are still owed")
            Status = self.env["payment.followup.status"]
            self.assertIn(row, Status.search(self.worklist_domain()))
            self.assertIn(
                row, Status.search([*self.worklist_domain(), ("pause_reason", "!=", False)])
            )
            self.assertFalse(row.action_needed)
        # The day after the promised date the follow-up resumes: the row is no longer paused.
        with freeze_time(on(16)):
            self.run_followup(on(16))
            self.row().invalidate_recordset(["promise_date"])
            self.assertFalse(self.row().pause_reason)
            self.assertFalse(self.row().promise_date)

    def test_promise_on_one_invoice_shows_the_date_on_an_active_row(self):
        promised = self.invoice(amount=1000.0)
        self.invoice(amount=200.0)
        with freeze_time(on(5)):
            self.promise(promised, on(15))
            self.run_followup(on(5))
            row = self.row()
            self.assertEqual(row.promise_date, on(15))
            self.assertFalse(row.pause_reason, "the other invoice is still reminded")

    def test_paused_customers_have_a_row_and_a_reason(self):
        disputed = self._make_customer("Streit GmbH", "s@example.com")
        self.dispute(self.invoice(partner=disputed))
        blocked = self._make_customer("Gesperrt KG", "g@example.com")
        self.invoice(partner=blocked).line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).payment_followup_blocked = True
        excluded = self._make_customer("Ausgenommen AG", "a@example.com")
        excluded.payment_followup_excluded = True
        self.invoice(partner=excluded)
        postponed = self._make_customer("Später GmbH", "p@example.com")
        self.invoice(partner=postponed)
        postponed.payment_followup_postponed_until = on(30)
        self.run_followup(on(20))
        expected = {
            disputed: "dispute",
            blocked: "blocked",
            excluded: "excluded",
            postponed: "postponed",
        }
        rows = self.env["payment.followup.status"].search(self.worklist_domain())
        for partner, pause in expected.items():
            row = rows.filtered(lambda r, p=partner: r.partner_id == p)
            self.assertTrue(row, f"{partner.name} owes: it has a row")
            self.assertEqual(row.pause_reason, pause, partner.name)
            self.assertFalse(row.action_needed)
            self.assertEqual(row.amount_overdue, 595.0, "500 plus 19 % VAT, 20 days overdue")

    def test_paid_customer_leaves_the_worklist(self):
        invoice = self.invoice()
        self.dispute(invoice)
        self.run_followup(on(20))
        self.assertEqual(self.row().pause_reason, "dispute")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": on(21)})._create_payments()
        self.run_followup(on(22))
        self.assertFalse(self.row())

    # ------------------------------------------------------------------ amounts and averages

    def test_age_buckets_add_up_to_the_overdue_amount(self):
        today = on(150)
        for days, amount in ((10, 100.0), (45, 200.0), (75, 300.0), (120, 400.0), (130, 50.0)):
            self.claim_without_tax(amount=amount, due=today - timedelta(days=days))
        self.claim_without_tax(amount=1000.0, due=today + timedelta(days=5))  # not due
        self.run_followup(today)
        row = self.row()
        self.assertEqual(
            (
                row.amount_overdue_30,
                row.amount_overdue_60,
                row.amount_overdue_90,
                row.amount_overdue_older,
            ),
            (100.0, 200.0, 300.0, 450.0),
        )
        self.assertEqual(row.amount_overdue, 1050.0)
        self.assertEqual(row.days_overdue, 130)
        # the bucket boundaries: 30 days is in the first bucket, 31 in the second
        other = self._make_customer("Grenzfall GmbH", "g@example.com")
        self.claim_without_tax(other, amount=10.0, due=today - timedelta(days=30))
        self.claim_without_tax(other, amount=20.0, due=today - timedelta(days=31))
        self.claim_without_tax(other, amount=40.0, due=today - timedelta(days=91))
        self.run_followup(today)
        row = self.row(other)
        self.assertEqual(
            (row.amount_overdue_30, row.amount_overdue_60, row.amount_overdue_older),
            (10.0, 20.0, 40.0),
        )
        self.assertEqual(
            row.amount_overdue_30
            + row.amount_overdue_60
            + row.amount_overdue_90
            + row.amount_overdue_older,
            row.amount_overdue,
        )

    def test_groups_average_the_averages(self):
        second = self._make_customer("Zweiter Kunde GmbH", "z@example.com")
        self.invoice(due=on(-10))
        self.invoice(partner=second, due=on(-30))
        self.run_followup(on(0))
        Status = self.env["payment.followup.status"]
        rows = self.row() | self.row(second)
        self.assertEqual(sorted(rows.mapped("days_overdue")), [10, 30])
        # as the grouped list reads its rows: each field with its own aggregate
        groups = Status.read_group(
            [("id", "in", rows.ids)],
            ["days_overdue", "avg_days_late", "on_time_share", "dso", "amount_overdue"],
            ["company_id"],
        )
        self.assertEqual(groups[0]["days_overdue"], 20, "the average, not the sum (40)")
        self.assertEqual(groups[0]["amount_overdue"], 1190.0, "amounts add up")
        for name in ("avg_days_late", "on_time_share", "dso"):
            self.assertEqual(Status._fields[name].aggregator, "avg", name)

    def test_payment_behaviour_of_a_new_customer_is_unknown(self):
        self.invoice(due=on(10))  # not due yet on day 0
        known = self._make_customer("Bekannt GmbH", "b@example.com")
        self.invoice(partner=known, due=on(-10))
        with freeze_time(on(0)):
            Status = self.env["payment.followup.status"]
            Status.action_open_worklist()
            self.assertFalse(self.row().behaviour_known, "nothing paid or overdue yet")
            self.assertTrue(self.row(known).behaviour_known)

    # ------------------------------------------------------------------ the row's form

    def test_row_shows_open_items_and_history(self):
        disputed = self.invoice(amount=300.0)
        other = self.invoice(amount=200.0)
        self.dispute(disputed)
        step = self.run_followup(on(5))
        # as the form reads it, in a request of its own (the run filled the cache of the row)
        self.env.invalidate_all()
        row = self.row().with_user(self.accountant)
        self.assertEqual(row.open_line_ids.move_id, disputed | other, "held back items too")
        self.assertEqual(row.history_ids, step)
        with freeze_time(on(5)):
            self.assertEqual(row.open_line_ids.mapped("payment_followup_days_overdue"), [5, 5])
