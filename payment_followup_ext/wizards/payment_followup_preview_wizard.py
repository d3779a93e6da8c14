from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..policy import channels as channels_policy


class PaymentFollowupPreviewWizard(models.TransientModel):
    """What a follow-up run would do for the selected customers, before anything is sent."""

    _name = "payment.followup.preview.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Follow-up Preview"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    partner_ids = fields.Many2many("res.partner", string="Customers")
    line_ids = fields.One2many("payment.followup.preview.wizard.line", "preview_id", string="Steps")
    amount_total = fields.Monetary(compute="_compute_amount_total", string="Total Due")

    @api.depends("line_ids.amount_due", "line_ids.selected")
    def _compute_amount_total(self):
        for preview in self:
            preview.amount_total = sum(preview.line_ids.filtered("selected").mapped("amount_due"))

    @api.model_create_multi
    def create(self, vals_list):
        previews = super().create(vals_list)
        for preview in previews:
            preview._compute_lines()
        return previews

    def _compute_lines(self):
        self.ensure_one()
        Run = self.env["payment.followup.run"].with_company(self.company_id)
        customers = self.partner_ids.commercial_partner_id
        decisions, _policy = Run._decide(self.company_id, customers.ids, self.date)
        steps = {pid: d for pid, d in decisions.items() if d.step}
        recipients = Run._recipients(customers.filtered(lambda p: p.id in steps))
        levels = self.env["payment.followup.level"].browse(
            {d.step.level_id for d in steps.values()}
        )
        level_of = {level.id: level for level in levels}
        lines = []
        for partner_id, decision in steps.items():
            level = level_of[decision.step.level_id]
            recipient = recipients[partner_id]
            channels = channels_policy.channels(
                send_email=level.send_email,
                send_letter=level.send_letter,
                schedule_activity=level.schedule_activity,
                email=recipient.email_normalized,
            )
            lines.append(
                Command.create(
                    {
                        "partner_id": partner_id,
                        "level_id": level.id,
                        "recipient_id": recipient.id,
                        "channels": self._channels(level, channels),
                        "item_count": len(decision.step.item_ids),
                        "amount_due": float(decision.step.amount_due),
                        "manual_review": decision.step.manual_review,
                        "no_email": channels.no_email,
                    }
                )
            )
        self.line_ids = [Command.clear(), *lines]

    @api.model
    def _channels(self, level, channels):
        """The names of ``channels`` (``policy.channels.Channels``) of a step of ``level``."""
        names = []
        if channels.email:
            names.append(self.env._("Email"))
        if channels.letter:
            names.append(self.env._("Letter"))
        if channels.activity:
            names.append(level.activity_type_id.name or self.env._("Activity"))
        return ", ".join(names)

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Follow-up Preview"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_execute(self):
        """Execute the reviewed selection now (manual-review levels included)."""
        self.ensure_one()
        self._payment_followup_visible("partner_ids")
        selected = self.line_ids.filtered("selected").partner_id
        if not selected:
            raise UserError(self.env._("Select at least one customer to follow up."))
        executed = self.env["payment.followup.run"]._process(
            self.company_id, self.date, partner_ids=selected.ids, manual=True
        )
        return executed._action_result()


class PaymentFollowupPreviewWizardLine(models.TransientModel):
    _name = "payment.followup.preview.wizard.line"
    _description = "Follow-up Preview Step"
    _order = "amount_due desc, id"

    preview_id = fields.Many2one(
        "payment.followup.preview.wizard", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="preview_id.currency_id")
    selected = fields.Boolean(string="Send", default=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    recipient_id = fields.Many2one("res.partner", readonly=True)
    level_id = fields.Many2one("payment.followup.level", readonly=True)
    channels = fields.Char(readonly=True)
    item_count = fields.Integer(string="Items", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    manual_review = fields.Boolean(readonly=True)
    no_email = fields.Boolean(string="No Email Address", readonly=True)
