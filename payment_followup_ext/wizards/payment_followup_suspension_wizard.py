from odoo import api, fields, models
from odoo.exceptions import UserError


class PaymentFollowupSuspensionWizard(models.TransientModel):
    """Suspend the service of customers, or lift the suspension, by hand, with a reason."""

    _name = "payment.followup.suspension.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Suspend or Resume Service"

    mode = fields.Selection(
        [("suspend", "Suspend Service"), ("lift", "Lift Suspension")],
        required=True,
        default="suspend",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.partner"]._check_payment_followup_suspension_rights()
        return super().create(vals_list)

    def action_apply(self):
        self.ensure_one()
        self.env["res.partner"]._check_payment_followup_suspension_rights()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Enter the reason: it is shown on the customer and its documents.")
            )
        customers = self._payment_followup_visible("partner_ids").commercial_partner_id
        if self.mode == "suspend":
            customers._payment_followup_suspend(reason)
        else:
            customers._payment_followup_lift(reason)
        return {"type": "ir.actions.act_window_close"}
