from odoo import api, models

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.job import identity_exact


class PaymentFollowupRun(models.AbstractModel):
    _inherit = "payment.followup.run"

    @api.model
    def _run_batches(self, batches, today):
        """The batches of the daily run as jobs of the job queue, one job per batch on the
        channel ``root.payment_followup`` (see ``data/queue_job_data.xml``): the job runners of
        every Odoo server on the database share the run, and a failed batch is retried alone.
        The end of the daily run (suspensions lifted, payment behaviour) is a job that waits for
        every batch. A batch already waiting in the queue is not queued twice.

        :returns: ``False``: the batches are not done when the cron returns
        """
        if not batches:
            return True
        jobs = [
            self.delayable(
                identity_key=identity_exact,
                description=self.env._(
                    "Follow-up of %(count)s customers of %(company)s on %(date)s",
                    count=len(partner_ids),
                    company=company.name,
                    date=today,
                ),
            )._run_batch_job(company.id, list(partner_ids), today)
            for company, partner_ids in batches
        ]
        finish = self.delayable(
            identity_key=identity_exact,
            description=self.env._(
                "Follow-up of %(date)s: suspensions and payment behaviour", date=today
            ),
        )._run_daily_finish_job(today)
        group(*jobs).on_done(finish).delay()
        return False

    @api.model
    def _run_batch_job(self, company_id, partner_ids, today):
        """The job of one batch: decided, executed and stored in the job's transaction, which
        the job queue commits when the job is done (a job must not commit itself)."""
        company = self.env["res.company"].browse(company_id)
        done = self.with_company(company)._run_batch(company, today, partner_ids, commit=False)
        return self.env._("%(count)s follow-up steps executed.", count=len(done))

    @api.model
    def _run_daily_finish_job(self, today):
        """The job that ends the daily run once every batch is done."""
        self._run_daily_finish(today)
        return self.env._("Suspensions and payment behaviour updated.")
