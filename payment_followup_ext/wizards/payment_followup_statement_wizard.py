from odoo import api, fields, models
from odoo.exceptions import UserError


class PaymentFollowupStatementWizard(models.TransientModel):
    """Print the statement of account of customers: every open item (default) or the overdue
    ones only; one PDF with a statement for each customer."""

    _name = "payment.followup.statement.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Print Statement of Account"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    overdue_only = fields.Boolean(
        string="Overdue Items Only",
        help="Leave out the invoices not yet due; payments and credits not yet applied stay "
        "on the statement.",
    )

    @api.model
    def _action_open(self, customers):
        wizard = self.create({"partner_ids": [fields.Command.set(customers.ids)]})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Print Statement of Account"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_print(self):
        self.ensure_one()
        customers = self._payment_followup_visible("partner_ids").commercial_partner_id
        if not customers:
            raise UserError(self.env._("Select the customers whose statements you want to print."))
        return self.env.ref("payment_followup_ext.action_report_followup_statement").report_action(
            customers, data={"overdue_only": self.overdue_only}
        )
