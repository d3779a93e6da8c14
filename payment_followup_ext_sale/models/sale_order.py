from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    payment_followup_partner_suspended = fields.Boolean(
        string="Customer Service Suspended", related="partner_id.payment_followup_partner_suspended"
    )
    payment_followup_partner_suspended_date = fields.Date(
        string="Customer Suspended Since",
        related="partner_id.payment_followup_partner_suspended_date",
    )
    payment_followup_partner_suspension_reason = fields.Text(
        string="Customer Suspension Reason",
        related="partner_id.payment_followup_partner_suspension_reason",
    )
