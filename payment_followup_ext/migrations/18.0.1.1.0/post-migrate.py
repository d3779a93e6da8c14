"""18.0.1.1.0: the daily run moved from the worklist model to ``payment.followup.run``; its
threads (system parameter ``payment_followup_ext.workers``) gave way to batches; the invoicing
schedule's cron method was renamed (``_cron_payment_followup_invoicing_send``)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("payment_followup_ext.ir_cron_payment_followup", raise_if_not_found=False)
    if cron:
        # The cron is noupdate: an update of the module keeps its old model and code.
        cron.write(
            {
                "model_id": env["ir.model"]._get_id("payment.followup.run"),
                "code": "model._run_daily()",
            }
        )
    env["ir.config_parameter"].search([("key", "=", "payment_followup_ext.workers")]).unlink()
    # The invoicing schedule's cron (noupdate) calls the renamed method.
    invoicing = env.ref(
        "payment_followup_ext.ir_cron_payment_followup_invoicing_send", raise_if_not_found=False
    )
    if invoicing:
        invoicing.code = "model._cron_payment_followup_invoicing_send()"
