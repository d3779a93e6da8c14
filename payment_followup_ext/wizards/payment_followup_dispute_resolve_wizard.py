from odoo import fields, models

from ..models.payment_followup_dispute import DISPUTE_RESOLUTIONS


class PaymentFollowupDisputeResolveWizard(models.TransientModel):
    """Close disputes with their outcome: the invoices are followed up again."""

    _name = "payment.followup.dispute.resolve.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Resolve Dispute"

    dispute_ids = fields.Many2many(
        "payment.followup.dispute",
        "payment_followup_dispute_resolve_wizard_rel",
        "wizard_id",
        "dispute_id",
        string="Disputes",
        required=True,
        domain="[('state', '=', 'open')]",
    )
    resolution = fields.Selection(DISPUTE_RESOLUTIONS, string="Outcome", required=True)
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self._payment_followup_visible("dispute_ids")._resolve(self.resolution, self.note)
        return {"type": "ir.actions.act_window_close"}
