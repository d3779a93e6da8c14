"""Exactly once: two runs at the same moment, a run that dies half-way, and bad configuration."""

import threading
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.payment_followup_ext.models.payment_followup_history import (
    PaymentFollowupHistory,
)
from odoo.addons.payment_followup_ext.models.payment_followup_run import PaymentFollowupRun

from .common import CUSTOMERS, TODAY, CommittedRunsCase, FollowupCase, registry_lock_released


class WorkerKilled(BaseException):
    """A worker process ending in the middle of a batch (killed, out of memory)."""


@tagged("post_install", "-at_install")
class TestCommittedRuns(CommittedRunsCase):
    """Runs on their own cursors with real commits, as cron workers do; cleaned up after."""

    def test_daily_cron_follows_up_every_company(self):
        with freeze_time(TODAY), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.ref("payment_followup_ext.ir_cron_payment_followup").method_direct_trigger()
        per_partner, mails = self._count()
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(len(per_partner), CUSTOMERS)
        self.assertEqual(mails, CUSTOMERS)
        with freeze_time(TODAY), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.ref("payment_followup_ext.ir_cron_payment_followup").method_direct_trigger()
        self.assertEqual(self._count()[1], CUSTOMERS, "the second run of the day sends nothing")

    def test_two_runs_at_the_same_moment_send_each_step_once(self):
        barrier = threading.Barrier(2)
        errors = []

        def worker():
            try:
                barrier.wait(timeout=30)
                self._run(batch_size=3)
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=worker) for _index in range(2)]
        with registry_lock_released():
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse(errors)
        per_partner, mails = self._count()
        self.assertEqual(sorted(per_partner), sorted(self.partner_ids))
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)

    def test_daily_cron_commits_its_batches_and_is_called_again_while_some_are_left(self):
        """Batches of 5 customers, 2 batches per call: the 24 customers of this company take
        three calls of the cron (other companies' customers of the test database, if any,
        add batches). Each call reports its progress to Odoo's cron runner, which calls again
        while batches are left; every customer gets one step and one email."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("payment_followup_ext.batch_size", 5)
            env["ir.config_parameter"].set_param("payment_followup_ext.batches_per_call", 2)
        self.addCleanup(self._reset_batch_params)
        with freeze_time(TODAY):
            status, calls = self._run_cron_job()
        self.assertEqual(status, "fully done")
        self.assertGreaterEqual(len(calls), 3, "the run took several calls of the cron")
        self.assertEqual(calls[0][0], 2, "the first call ran two batches")
        self.assertGreater(calls[0][1], 0, "and reported batches left")
        self.assertEqual(calls[-1][1], 0, "the last call left nothing")
        per_partner, mails = self._count()
        self.assertEqual(len(per_partner), CUSTOMERS)
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].browse(self.company_id)
            self.assertEqual(
                company._payment_followup_run_done_up_to(TODAY),
                max(self.partner_ids),
                "the company records how far today's run has come",
            )
        with freeze_time(TODAY):
            status, calls = self._run_cron_job()
        self.assertEqual(self._count()[1], CUSTOMERS, "a second run of the day sends nothing")

    def test_a_run_that_dies_after_its_first_batch_is_finished_by_the_next(self):
        original = PaymentFollowupHistory._execute_steps
        calls = []

        def dying(self, company, steps, today):
            calls.append(len(steps))
            if len(calls) == 2:
                # the worker process dies (not an error of one customer, which is isolated)
                raise WorkerKilled("simulated crash in the second batch")
            return original(self, company, steps, today)

        with (
            patch.object(PaymentFollowupHistory, "_execute_steps", dying),
            self.assertRaisesRegex(WorkerKilled, "simulated crash"),
        ):
            self._run(batch_size=10)
        per_partner, mails = self._count()
        self.assertEqual(len(per_partner), 10, "the first batch was committed")
        self.assertEqual(mails, 10)
        self._run(batch_size=10)
        per_partner, mails = self._count()
        self.assertEqual(len(per_partner), CUSTOMERS)
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)

    def test_a_customer_done_by_another_run_meanwhile_is_skipped_and_the_batch_goes_on(self):
        """The late run's transaction begins (its snapshot is taken), then waits; the other run
        follows up the first ten customers and commits. The late run then gets their locks
        but cannot see their steps: it skips those ten and follows up the other fourteen."""
        began, other_done = threading.Event(), threading.Event()
        original = PaymentFollowupRun._try_lock

        def delayed(self, partner_ids):
            if threading.current_thread().name == "late":
                self.env.cr.execute("SELECT 1")  # the transaction's snapshot
                began.set()
                other_done.wait(timeout=120)
            return original(self, partner_ids)

        results, errors = {}, []

        def run(name, partner_ids):
            try:
                if name == "early":
                    began.wait(timeout=120)
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    results[name] = (
                        env["payment.followup.run"]
                        ._process(
                            env["res.company"].browse(self.company_id),
                            TODAY,
                            partner_ids=partner_ids,
                            commit=True,
                            batch_size=CUSTOMERS,
                        )
                        .partner_id.ids
                    )
            except Exception as error:
                errors.append(error)
            finally:
                if name == "early":
                    other_done.set()

        threads = [
            threading.Thread(target=run, name="late", args=("late", self.partner_ids)),
            threading.Thread(target=run, name="early", args=("early", self.partner_ids[:10])),
        ]
        with registry_lock_released(), patch.object(PaymentFollowupRun, "_try_lock", delayed):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse(errors)
        self.assertEqual(sorted(results["early"]), sorted(self.partner_ids[:10]))
        self.assertEqual(
            sorted(results["late"]),
            sorted(self.partner_ids[10:]),
            "the late run followed up the fourteen others, not nobody",
        )
        per_partner, mails = self._count()
        self.assertEqual(len(per_partner), CUSTOMERS)
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)

    def test_a_customer_whose_email_fails_to_render_does_not_stop_the_others(self):
        """One customer's reminder cannot be rendered: the other 23 are followed up in the same
        batch, the one gets the reason on its worklist row and one to-do however often the
        run retries; once the template is fixed, its reminder goes out."""
        bad = self.partner_ids[5]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            template = (
                env["payment.followup.policy"]
                .search([("company_id", "=", self.company_id)])
                .level_ids.mail_template_id
            )
            body = template.body_html
            template.body_html = (
                f'<p>Please pay <t t-out="1 // (object.partner_id.id - {bad})"/>.</p>'
            )
        self.addCleanup(self._set_template_body, template.id, body)

        self._run(batch_size=CUSTOMERS)
        per_partner, mails = self._count()
        self.assertEqual(len(per_partner), CUSTOMERS - 1, "the others were followed up")
        self.assertNotIn(bad, per_partner)
        self.assertEqual(mails, CUSTOMERS - 1)
        self._run(batch_size=CUSTOMERS)  # the run of the next call or day: no second to-do
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            row = env["payment.followup.status"].search(
                [("partner_id", "=", bad), ("company_id", "=", self.company_id)]
            )
            self.assertEqual(row.reason, "failed")
            self.assertIn("ZeroDivisionError", row.failure)
            self.assertLess(len(row.failure), 600, "the cause, not the template's source")
            self.assertTrue(row.action_needed, "the step is still due")
            todo = env.ref("payment_followup_ext.mail_activity_type_step_failed")
            self.assertEqual(row.activity_ids.activity_type_id, todo)
            self.assertEqual(len(row.activity_ids), 1)
            self.assertIn("ZeroDivisionError", row.activity_ids.note)
            others = env["payment.followup.status"].search(
                [("partner_id", "in", self.partner_ids), ("partner_id", "!=", bad)]
            )
            self.assertNotIn("failed", others.mapped("reason"))
        self._set_template_body(template.id, body)
        self._run(batch_size=CUSTOMERS)
        per_partner, mails = self._count()
        self.assertEqual(per_partner.get(bad), 1, "fixed, its reminder went out")
        self.assertEqual(mails, CUSTOMERS)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            row = env["payment.followup.status"].search(
                [("partner_id", "=", bad), ("company_id", "=", self.company_id)]
            )
            self.assertNotEqual(row.reason, "failed")
            self.assertFalse(row.failure)

    def test_a_batch_that_fails_as_a_whole_does_not_stop_the_daily_run(self):
        """Bad data that breaks a whole batch of the cron (here: reading its open items) is
        logged; the other batches are followed up the same day."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("payment_followup_ext.batch_size", 5)
        self.addCleanup(self._reset_batch_params)
        original = PaymentFollowupRun._open_items
        first = set(self.partner_ids[:5])

        def broken(self, company, partner_ids):
            if first & set(partner_ids):
                raise RuntimeError("unreadable item")
            return original(self, company, partner_ids)

        with (
            freeze_time(TODAY),
            patch.object(PaymentFollowupRun, "_open_items", broken),
            self.assertLogs("odoo.addons.payment_followup_ext", "ERROR") as logged,
        ):
            status, _calls = self._run_cron_job()
        self.assertEqual(status, "fully done")
        self.assertIn("a batch of 5 customers failed", logged.output[0])
        per_partner, mails = self._count()
        self.assertEqual(sorted(per_partner), sorted(self.partner_ids[5:]))
        self.assertEqual(mails, CUSTOMERS - 5)

    def _set_template_body(self, template_id, body):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.template"].browse(template_id).body_html = body


@tagged("post_install", "-at_install")
class TestLevelConfiguration(FollowupCase):
    def test_email_level_needs_a_template(self):
        with self.assertRaisesRegex(ValidationError, "has no email template"):
            self.friendly.mail_template_id = False

    def test_minimum_amount_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.first.min_amount = -1

    def test_two_levels_cannot_share_their_offset(self):
        with (
            self.assertRaisesRegex(ValidationError, "both start 14 days after the due date"),
            self.cr.savepoint(),
        ):
            self.env["payment.followup.level"].create(
                self._level_vals("Copy of first", 14) | {"policy_id": self.policy.id}
            )
        self.assertEqual(len(self.policy.level_ids), 5)

    def test_a_level_must_do_something(self):
        with self.assertRaisesRegex(ValidationError, "does nothing"):
            self.friendly.send_email = False

    def test_one_default_policy_per_company(self):
        with self.assertRaisesRegex(ValidationError, "only one default"):
            self.env["payment.followup.policy"].create(
                {"name": "Second default", "company_id": self.company.id, "is_default": True}
            )
