from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    payment_followup_level_id = fields.Many2one(
        "payment.followup.level",
        string="Follow-up Level",
        compute="_compute_payment_followup",
        help="The highest follow-up level any instalment of this invoice reached.",
    )
    payment_followup_date = fields.Date(string="Last Reminder", compute="_compute_payment_followup")
    payment_followup_charge_step_id = fields.Many2one(
        "payment.followup.history",
        string="Charged by Follow-up",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="This document books the fees and interest of that follow-up step.",
    )

    @api.depends("line_ids.payment_followup_level_id", "line_ids.payment_followup_date")
    def _compute_payment_followup(self):
        for move in self:
            lines = move.line_ids.filtered("payment_followup_level_id")
            top = max(
                lines, key=lambda line: line.payment_followup_level_id.offset_days, default=None
            )
            move.payment_followup_level_id = top.payment_followup_level_id if top else False
            move.payment_followup_date = max(lines.mapped("payment_followup_date"), default=False)
