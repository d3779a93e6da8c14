"""The daily run on OCA's job queue: one job per batch, shared by two job workers, each step
sent once; a failed batch retried alone."""

import threading
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.payment_followup_ext.tests.common import (
    CUSTOMERS,
    DUE,
    TODAY,
    CommittedRunsCase,
    FollowupCase,
    registry_lock_released,
)
from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job

from ..models.payment_followup_run import PaymentFollowupRun

CHANNEL = "root.payment_followup"
# The label of the job worker a thread is (see TestTwoJobWorkers._work).
WORKER = threading.local()


@tagged("post_install", "-at_install")
class TestQueuedRun(FollowupCase):
    def _jobs(self):
        """This company's batch jobs and the jobs that end a daily run."""
        jobs = self.env["queue.job"].sudo().search([("channel", "=", CHANNEL)], order="id")
        batches = jobs.filtered(
            lambda job: job.method_name == "_run_batch_job" and job.args[0] == self.company.id
        )
        return batches, jobs.filtered(lambda job: job.method_name == "_run_daily_finish_job")

    def test_daily_cron_queues_one_job_per_batch_and_the_end_of_the_run_after_them(self):
        other = self._make_customer("Zweiter Kunde AG", "ap@zweiter-kunde.example")
        self.invoice()
        self.invoice(other)
        day = DUE + timedelta(days=3)  # the friendly reminder of both
        self.env["ir.config_parameter"].set_param("payment_followup_ext.batch_size", 1)
        with freeze_time(day):
            self.env["payment.followup.run"]._run_daily()
        batches, finish = self._jobs()
        self.assertEqual(len(batches), 2, "one job per batch of one customer")
        self.assertEqual(set(batches.mapped("state")), {"pending"})
        self.assertEqual(
            sorted(job.args[1] for job in batches), sorted([[self.customer.id], [other.id]])
        )
        self.assertEqual(len(finish), 1)
        self.assertEqual(finish.state, "wait_dependencies", "the end waits for the batches")
        self.assertFalse(self.histories(), "nothing is sent before a job worker runs the jobs")
        with freeze_time(day):
            self.env["payment.followup.run"]._run_daily()
        self.assertEqual(
            self._jobs()[0], batches, "a batch waiting in the queue is not queued twice"
        )
        with freeze_time(day):
            for job in batches:
                Job.load(self.env, job.uuid).perform()
        for partner in (self.customer, other):
            step = self.histories(partner)
            self.assertEqual(step.level_id, self.friendly)
            self.assertEqual(step.amount_due, 595.0, "500.00 and 19 % VAT")
            self.assertEqual(len(self.mails(partner)), 1)


@tagged("post_install", "-at_install")
class TestTwoJobWorkers(CommittedRunsCase):
    """The daily run of 24 customers in batches of 5 (five jobs and the end of the run), run by
    two job workers at once as two Odoo servers' job runners would: each takes the next queued
    job of the channel, performs it as queue_job's controller does, and commits."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("payment_followup_ext.batch_size", 5)
        self.addCleanup(self._reset_batch_params)
        self.addCleanup(self._forget_jobs)

    def _forget_jobs(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["queue.job"].search(
                [("channel", "=", CHANNEL)]
            ).unlink()

    def _queue_the_run(self):
        with freeze_time(TODAY), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.ref("payment_followup_ext.ir_cron_payment_followup").method_direct_trigger()

    def _next_job(self, env):
        """Enqueue the next pending job of the channel as the job runner does, and acquire it
        as the controller does (``RunJobController.runjob``); None when the channel has nothing
        left to start. One runner dispatches (queue_job runs one job runner per database); a
        concurrent change of the queue (another worker finishing a job) only means: look
        again."""
        with self.dispatcher:
            try:
                return self._dispatch(env)
            except psycopg2.errors.SerializationFailure:
                env.cr.rollback()
                return None

    def _dispatch(self, env):
        env.cr.execute(
            """
            UPDATE queue_job SET state = 'enqueued', date_enqueued = now() at time zone 'utc'
             WHERE id = (SELECT id FROM queue_job
                          WHERE state = 'pending' AND channel = %s
                          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING uuid
            """,
            (CHANNEL,),
        )
        row = env.cr.fetchone()
        env.cr.commit()
        return RunJobController._acquire_job(env, row[0]) if row else None

    def _work(self, performed, errors, label):
        """One job worker: performs jobs until none is pending or waiting any more; any error
        of its own is handed to the test. ``label`` names it (a thread's own name may be
        changed by Odoo while it serves)."""
        WORKER.label = label
        try:
            self._work_loop(performed, errors)
        except Exception as error:
            errors.append(error)

    def _work_loop(self, performed, errors):
        idle = 0
        while idle < 50:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                job = self._next_job(env)
                if job is None:
                    env.cr.execute(
                        "SELECT count(*) FROM queue_job WHERE channel = %s AND state IN "
                        "('pending', 'enqueued', 'started', 'wait_dependencies')",
                        (CHANNEL,),
                    )
                    if not env.cr.fetchone()[0]:
                        return
                    idle += 1
                    threading.Event().wait(0.1)
                    continue
                # The controller's own handling: a concurrent update postpones the job (it
                # is tried again), an error marks it failed and is raised.
                try:
                    RunJobController._runjob(env, job)
                    env.cr.commit()
                except Exception as error:
                    env.cr.rollback()
                    errors.append(error)
                    continue
                if job.state == "done":
                    performed.append((WORKER.label, job.method_name))

    def _two_workers(self):
        """Both workers until the channel is idle, on the day of the run (frozen for both
        threads: freezegun patches the clock of the whole process)."""
        self.dispatcher = threading.Lock()
        performed, errors = [], []
        workers = [
            threading.Thread(target=self._work, args=(performed, errors, name), name=name)
            for name in ("worker-1", "worker-2")
        ]
        # As in production, the controller commits a job before it enqueues the jobs that
        # depend on it (in a test it would not, and two workers finishing the last two batches
        # at once would each miss the other's and leave the end of the run waiting).
        with (
            freeze_time(TODAY),
            patch.dict(config.options, {"test_enable": False}),
            registry_lock_released(),
        ):
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=300)
        return performed, errors

    def _job_states(self):
        """``{(method, state): count}`` of the channel's jobs."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            jobs = env["queue.job"].search([("channel", "=", CHANNEL)])
            return Counter((job.method_name, job.state) for job in jobs)

    def test_two_job_workers_share_the_run_and_send_each_step_once(self):
        self._queue_the_run()
        self.assertEqual(self._count(), ({}, 0), "the cron only queues the batches")
        # The first batch of each worker waits until the other worker holds one too: both run
        # batches at the same moment, whatever the threads' start-up order. (A batch that then
        # meets a concurrent update of the job queue is postponed by the controller and run
        # again, by either worker: each step is still sent once.)
        original = PaymentFollowupRun._run_batch_job
        together = threading.Barrier(2, timeout=60)
        first_calls, running = [], set()

        def meeting(self, *args):
            first_calls.append(1)
            running.add(WORKER.label)
            if len(first_calls) <= 2:
                together.wait()
            return original(self, *args)

        finish = PaymentFollowupRun._run_daily_finish_job
        open_batches = []

        def finishing(run, today):
            run.env.cr.execute(
                "SELECT count(*) FROM queue_job WHERE channel = %s "
                "AND method_name = '_run_batch_job' AND state != 'done'",
                (CHANNEL,),
            )
            open_batches.append(run.env.cr.fetchone()[0])
            return finish(run, today)

        with (
            patch.object(PaymentFollowupRun, "_run_batch_job", meeting),
            patch.object(PaymentFollowupRun, "_run_daily_finish_job", finishing),
        ):
            _performed, errors = self._two_workers()
        self.assertFalse(errors)
        self.assertEqual(running, {"worker-1", "worker-2"}, "both workers ran batches at once")
        self.assertEqual(
            set(self._job_states()),
            {("_run_batch_job", "done"), ("_run_daily_finish_job", "done")},
            "every job of the run is done",
        )
        self.assertEqual(open_batches, [0], "the end of the run comes once, after every batch")
        per_partner, mails = self._count()
        self.assertEqual(sorted(per_partner), sorted(self.partner_ids))
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)
        self._queue_the_run()
        _performed, errors = self._two_workers()
        self.assertFalse(errors)
        self.assertEqual(self._count()[1], CUSTOMERS, "the second run of the day sends nothing")

    def test_a_failed_batch_is_retried_alone(self):
        original = PaymentFollowupRun._run_batch_job
        calls = []

        def failing(run, company_id, partner_ids, today):
            if company_id == self.company_id:  # the second batch of this test's company fails
                calls.append(partner_ids)
                if len(calls) == 2:
                    raise RuntimeError("simulated crash in a batch")
            return original(run, company_id, partner_ids, today)

        self._queue_the_run()
        with patch.object(PaymentFollowupRun, "_run_batch_job", failing):
            _performed, errors = self._two_workers()
        self.assertEqual(len(errors), 1)
        failed = calls[1]
        per_partner, mails = self._count()
        self.assertEqual(set(per_partner), set(self.partner_ids) - set(failed))
        self.assertEqual(mails, CUSTOMERS - len(failed), "every other batch went out")
        states = self._job_states()
        self.assertEqual(states.get(("_run_batch_job", "failed")), 1)
        self.assertEqual(states.get(("_run_daily_finish_job", "wait_dependencies")), 1)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["queue.job"].search([("channel", "=", CHANNEL), ("state", "=", "failed")]).requeue()
        _performed, errors = self._two_workers()
        self.assertFalse(errors)
        per_partner, mails = self._count()
        self.assertEqual(sorted(per_partner), sorted(self.partner_ids))
        self.assertEqual(set(per_partner.values()), {1})
        self.assertEqual(mails, CUSTOMERS)
        self.assertEqual(
            set(self._job_states()), {("_run_batch_job", "done"), ("_run_daily_finish_job", "done")}
        )
