from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date


class PaymentFollowupPostponeWizard(models.TransientModel):
    """Hold the follow-up of customers until a day ("remind me on"), with a note."""

    _name = "payment.followup.postpone.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Postpone Follow-up"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    date = fields.Date(string="Remind Me On", required=True)
    note = fields.Text()

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        if any(wizard.date <= today for wizard in self):
            raise ValidationError(
                self.env._("Choose a day after today to postpone the follow-up to.")
            )

    def action_postpone(self):
        self.ensure_one()
        customers = self._payment_followup_visible("partner_ids").commercial_partner_id
        # Postponing is a follow-up operation (this wizard is for accountants only); it must
        # not need the right to edit contacts.
        customers.sudo().payment_followup_postponed_until = self.date
        text = self.env._(
            "Follow-up postponed until %(date)s.", date=format_date(self.env, self.date)
        )
        for customer in customers:
            customer._payment_followup_post(
                self.env.company, f"{text}\n{self.note}" if self.note else text
            )
        today = fields.Date.context_today(self)
        self.env["payment.followup.run"]._process(
            self.env.company, today, partner_ids=customers.ids, execute=False
        )
        return {"type": "ir.actions.act_window_close"}
