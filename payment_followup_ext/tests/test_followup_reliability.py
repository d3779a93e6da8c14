"""Exactly once: two runs at the same moment, a run that dies half-way, and bad configuration."""

import threading
import uuid
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.payment_followup_ext.models.payment_followup_history import (
    PaymentFollowupHistory,
)
from odoo.addons.payment_followup_ext.models.payment_followup_status import (
    PaymentFollowupStatus,
)

from .common import FollowupCase

TODAY = date(2026, 5, 4)
CUSTOMERS = 24


@tagged("post_install", "-at_install")
class TestCommittedRuns(TransactionCase):
    """Runs on their own cursors with real commits, as cron workers do; cleaned up after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            # A company of its own: committed journal items must not touch the main company,
            # whose currency AccountTestInvoicingCommon changes.
            company = env["res.company"].create(
                {
                    "name": f"Parallel GmbH {uuid.uuid4().hex[:8]}",
                    "country_id": env.ref("base.de").id,
                }
            )
            env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            template = env["mail.template"].create(
                {
                    "name": "Reliability reminder",
                    "model_id": env["ir.model"]._get_id("payment.followup.history"),
                    "subject": "Reminder",
                    "body_html": "<p>Please pay.</p>",
                }
            )
            policy = env["payment.followup.policy"].create(
                {
                    "name": "Reliability",
                    "company_id": company.id,
                    "sequence": 0,
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Reminder",
                                "offset_days": 3,
                                "send_email": True,
                                "mail_template_id": template.id,
                            }
                        )
                    ],
                }
            )
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Parallel {index:02d}",
                        "email": f"p{index}@example.com",
                        "payment_followup_policy_id": policy.id,
                    }
                    for index in range(CUSTOMERS)
                ]
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "invoice_date": TODAY - timedelta(days=10),
                        "invoice_date_due": TODAY - timedelta(days=10),
                        "invoice_line_ids": [Command.create({"name": "X", "price_unit": 100.0})],
                    }
                    for partner in partners
                ]
            )
            moves.action_post()
            # A cursor of its own, as a cron worker commits.
            cr.commit()  # pylint: disable=invalid-commit
            cls.company_id = company.id
            cls.partner_ids = partners.ids
            cls.move_ids = moves.ids

    def setUp(self):
        super().setUp()
        self.addCleanup(self._forget_runs)

    def _forget_runs(self):
        """Each test starts from unreminded customers. The company and its posted invoices
        stay: the German audit trail forbids deleting them (make test recreates the database)."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            histories = env["payment.followup.history"].search(
                [("partner_id", "in", self.partner_ids)]
            )
            histories.mail_id.unlink()
            histories.unlink()
            lines = env["account.move"].browse(self.move_ids).line_ids
            lines.write({"payment_followup_level_id": False, "payment_followup_date": False})
            env["payment.followup.status"].search([("partner_id", "in", self.partner_ids)]).unlink()

    def _run(self, batch_size=5, workers=1):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return (
                env["payment.followup.status"]
                ._process(
                    env["res.company"].browse(self.company_id),
                    TODAY,
                    partner_ids=self.partner_ids,
                    commit=True,
                    batch_size=batch_size,
                    workers=workers,
                )
                .ids
            )

    def _count(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            histories = env["payment.followup.history"].search(
                [("partner_id", "in", self.partner_ids)]
            )
            per_partner = {}
            for history in histories:
                per_partner[history.partner_id.id] = per_partner.get(history.partner_id.id, 0) + 1
            mails = env["mail.mail"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", self.partner_ids)]
            )
            return per_partner, mails

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
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertFalse(errors)
        per_partner, mails = self._count()
        self.assertEqual(sorted(per_partner), sorted(self.partner_ids))
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)

    def test_parallel_workers_share_the_batches_and_send_each_step_once(self):
        original = PaymentFollowupStatus._process_chunk
        threads = set()

        def tracked(self, *args, **kwargs):
            threads.add(threading.current_thread().name)
            return original(self, *args, **kwargs)

        with patch.object(PaymentFollowupStatus, "_process_chunk", tracked):
            executed = self._run(batch_size=2, workers=3)
        self.assertGreater(len(threads), 1, "the batches ran on several threads")
        per_partner, mails = self._count()
        self.assertEqual(sorted(per_partner), sorted(self.partner_ids))
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)
        self.assertEqual(len(executed), CUSTOMERS, "the run returns every executed step")
        self.assertFalse(self._run(batch_size=2, workers=3), "a rerun executes nothing")

    def test_a_worker_that_fails_stops_the_run_with_its_error(self):
        original = PaymentFollowupStatus._process_chunk
        calls = []

        def failing(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == 3:
                raise RuntimeError("simulated crash in a worker")
            return original(self, *args, **kwargs)

        with (
            patch.object(PaymentFollowupStatus, "_process_chunk", failing),
            self.assertRaisesRegex(RuntimeError, "simulated crash in a worker"),
        ):
            self._run(batch_size=2, workers=2)
        self._run(batch_size=2, workers=2)
        per_partner, mails = self._count()
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(len(per_partner), CUSTOMERS)
        self.assertEqual(mails, CUSTOMERS)

    def test_a_run_that_dies_after_its_first_batch_is_finished_by_the_next(self):
        original = PaymentFollowupHistory._execute_steps
        calls = []

        def dying(self, company, steps, today):
            calls.append(len(steps))
            if len(calls) == 2:
                raise RuntimeError("simulated crash in the second batch")
            return original(self, company, steps, today)

        with (
            patch.object(PaymentFollowupHistory, "_execute_steps", dying),
            self.assertRaisesRegex(RuntimeError, "simulated crash"),
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
