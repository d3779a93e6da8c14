from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_service_suspended = fields.Boolean(
        string="Customer Service Suspended", related="partner_id.partner_service_suspended"
    )
    partner_service_suspended_date = fields.Date(
        string="Customer Suspended Since", related="partner_id.partner_service_suspended_date"
    )
    partner_service_suspension_reason = fields.Text(
        string="Customer Suspension Reason",
        related="partner_id.partner_service_suspension_reason",
    )
