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

    payment_followup_bad_debt_account_id = fields.Many2one(
        related="company_id.payment_followup_bad_debt_account_id", readonly=False
    )
    payment_followup_costs_first = fields.Boolean(
        related="company_id.payment_followup_costs_first", readonly=False
    )
    payment_followup_prepayment_account_id = fields.Many2one(
        related="company_id.payment_followup_prepayment_account_id", readonly=False
    )
    payment_followup_letter_days = fields.Integer(
        related="company_id.payment_followup_letter_days", readonly=False
    )
    payment_followup_email_days = fields.Integer(
        related="company_id.payment_followup_email_days", readonly=False
    )
    payment_followup_invoice_texts = fields.Boolean(
        related="company_id.payment_followup_invoice_texts", readonly=False
    )
    payment_followup_late_clause = fields.Text(
        related="company_id.payment_followup_late_clause", readonly=False
    )

    payment_followup_consumer_notice = fields.Text(
        related="company_id.payment_followup_consumer_notice", readonly=False
    )

    payment_followup_no_credit_term_id = fields.Many2one(
        related="company_id.payment_followup_no_credit_term_id", readonly=False
    )

    payment_followup_credit_check_since = fields.Date(
        related="company_id.payment_followup_credit_check_since", readonly=False
    )

    payment_followup_prepayment_threshold = fields.Monetary(
        related="company_id.payment_followup_prepayment_threshold",
        currency_field="currency_id",
        readonly=False,
    )

    payment_followup_prepayment_percent = fields.Float(
        related="company_id.payment_followup_prepayment_percent", readonly=False
    )
    payment_followup_reply_validity_days = fields.Integer(
        related="company_id.payment_followup_reply_validity_days", readonly=False
    )
    payment_followup_reply_paid_days = fields.Integer(
        related="company_id.payment_followup_reply_paid_days", readonly=False
    )
    payment_followup_reply_promise_days = fields.Integer(
        related="company_id.payment_followup_reply_promise_days", readonly=False
    )
