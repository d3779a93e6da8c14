from datetime import timedelta

from odoo import api, fields, models


class PaymentFollowupPromiseWizard(models.TransientModel):
    """Record a promise to pay: for customers (all their open items) or for one invoice."""

    _name = "payment.followup.promise.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Record Promise to Pay"

    partner_ids = fields.Many2many("res.partner", string="Customers")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
        help="Only this invoice is covered. Empty: every open item of the customers.",
    )
    date = fields.Date(string="Promised Payment Date", required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Promised Amount", help="Empty: everything covered is to be paid by the date."
    )
    note = fields.Text()

    @api.model
    def _action_open(self, partners=None, moves=None):
        context = {"default_date": fields.Date.context_today(self) + timedelta(days=7)}
        if moves:
            moves.ensure_one()
            context["default_move_id"] = moves.id
            context["default_partner_ids"] = [fields.Command.set(moves.commercial_partner_id.ids)]
        elif partners:
            context["default_partner_ids"] = [fields.Command.set(partners.ids)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Promise to Pay"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_confirm(self):
        self.ensure_one()
        self._payment_followup_visible("partner_ids", "move_id")
        self.env["payment.followup.promise"]._record(
            self.date,
            amount=self.amount,
            note=self.note,
            partners=self.partner_ids,
            moves=self.move_id,
        )
        return {"type": "ir.actions.act_window_close"}
