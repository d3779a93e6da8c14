from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    payment_followup_charge_journal_id = fields.Many2one(
        related="company_id.payment_followup_charge_journal_id", readonly=False
    )
    payment_followup_fee_account_id = fields.Many2one(
        related="company_id.payment_followup_fee_account_id", readonly=False
    )
    payment_followup_interest_account_id = fields.Many2one(
        related="company_id.payment_followup_interest_account_id", readonly=False
    )
    payment_followup_charge_due_days = fields.Integer(
        related="company_id.payment_followup_charge_due_days", readonly=False
    )
