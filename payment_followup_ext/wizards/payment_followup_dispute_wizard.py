from odoo import fields, models

from ..models.payment_followup_dispute import DISPUTE_REASONS


class PaymentFollowupDisputeWizard(models.TransientModel):
    """Record that the customer disputes invoices: no follow-up for them until resolved."""

    _name = "payment.followup.dispute.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Dispute Invoice"

    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    reason = fields.Selection(DISPUTE_REASONS, required=True)
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self._payment_followup_visible("move_ids")._payment_followup_check_disputable()
        self.env["payment.followup.dispute"].create(
            [
                {
                    "move_id": move.id,
                    "company_id": move.company_id.id,
                    "reason": self.reason,
                    "note": self.note,
                }
                for move in self.move_ids
            ]
        )
        return {"type": "ir.actions.act_window_close"}
