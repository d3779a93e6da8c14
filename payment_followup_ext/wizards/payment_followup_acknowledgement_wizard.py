from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date


class PaymentFollowupAcknowledgementWizard(models.TransientModel):
    """Record that a customer acknowledged an open claim (a letter, a confirmation of the
    balance, a request for a payment plan, a security): the limitation period of the invoice
    begins anew (§ 212(1) no. 1 BGB)."""

    _name = "payment.followup.acknowledgement.wizard"
    _description = "Record Acknowledgement of a Claim"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    date = fields.Date(string="Acknowledged On", required=True, default=fields.Date.context_today)
    note = fields.Char(
        string="How",
        required=True,
        help='How the customer acknowledged the claim, e.g. "Confirmation of balance signed".',
    )

    def action_confirm(self):
        self.ensure_one()
        move = self.move_id
        today = fields.Date.context_today(self)
        if self.date > today:
            raise UserError(self.env._("An acknowledgement cannot lie in the future."))
        start = move.invoice_date or move.date
        if start and self.date < start:
            raise UserError(
                self.env._(
                    "The acknowledgement (%(date)s) lies before the invoice date of %(invoice)s "
                    "(%(start)s): enter the day the customer acknowledged the claim.",
                    date=format_date(self.env, self.date),
                    invoice=move.display_name,
                    start=format_date(self.env, start),
                )
            )
        if move.state != "posted" or move.payment_state in ("paid", "in_payment", "reversed"):
            raise UserError(
                self.env._(
                    "%(invoice)s is not an open posted invoice: there is no claim to acknowledge.",
                    invoice=move.display_name,
                )
            )
        move._payment_followup_acknowledge(self.date, self.note)
        return {"type": "ir.actions.act_window_close"}
