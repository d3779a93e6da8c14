from decimal import Decimal

from odoo import api, fields, models
from odoo.tools.misc import format_amount

from odoo.addons.payment_followup_ext.policy import prepayment as prepayment_policy


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # The customer's suspension in the order's company.
    payment_followup_partner_suspended = fields.Boolean(
        string="Customer Service Suspended", compute="_compute_payment_followup_partner_suspended"
    )
    payment_followup_partner_suspended_date = fields.Date(
        string="Customer Suspended Since", compute="_compute_payment_followup_partner_suspended"
    )
    payment_followup_partner_suspension_reason = fields.Text(
        string="Customer Suspension Reason",
        compute="_compute_payment_followup_partner_suspended",
    )
    payment_followup_prepayment_needed = fields.Boolean(
        string="Down Payment Required", compute="_compute_payment_followup_prepayment"
    )
    payment_followup_prepayment_percent = fields.Float(
        string="Down Payment (%)", compute="_compute_payment_followup_prepayment"
    )
    payment_followup_prepayment_message = fields.Char(
        string="Down Payment Notice", compute="_compute_payment_followup_prepayment"
    )

    @api.depends("partner_id", "company_id")
    def _compute_payment_followup_partner_suspended(self):
        for order in self:
            customer = order.partner_id.commercial_partner_id.sudo().with_company(order.company_id)
            order.payment_followup_partner_suspended = customer.payment_followup_suspended
            order.payment_followup_partner_suspended_date = customer.payment_followup_suspended_date
            order.payment_followup_partner_suspension_reason = (
                customer.payment_followup_suspension_reason
            )

    @api.depends("amount_untaxed", "partner_id", "company_id", "order_line.is_downpayment")
    def _compute_payment_followup_prepayment(self):
        """Large work is paid in part before it starts (the customer's or the company's
        prepayment rule): the order asks for a down payment through Odoo's own down payment
        invoice, which the final invoice deducts. An order with a down payment needs no more."""
        for order in self:
            order.payment_followup_prepayment_needed = False
            order.payment_followup_prepayment_percent = 0.0
            order.payment_followup_prepayment_message = False
            if (
                not order.partner_id
                or order.state == "cancel"
                or order.order_line.filtered("is_downpayment")
            ):
                continue
            company = order.company_id
            customer = order.partner_id.commercial_partner_id
            threshold, percent = customer._payment_followup_prepayment_rule(company)
            untaxed = order.currency_id._convert(
                order.amount_untaxed,
                company.currency_id,
                company,
                order.date_order or fields.Date.context_today(order),
            )
            if not prepayment_policy.required(
                Decimal(str(company.currency_id.round(untaxed))), threshold, percent
            ):
                continue
            due = prepayment_policy.amount(Decimal(str(order.amount_untaxed)), percent)
            order.payment_followup_prepayment_needed = True
            order.payment_followup_prepayment_percent = float(percent)
            percent_label = f"{percent.normalize():f}"  # outside _(): babel cannot extract it
            order.payment_followup_prepayment_message = self.env._(
                "Large order: above %(threshold)s the payment terms of %(customer)s require a "
                "down payment of %(percent)s %% (%(amount)s net) before the work starts.",
                threshold=format_amount(self.env, float(threshold), company.currency_id),
                customer=customer.name,
                percent=percent_label,
                amount=format_amount(self.env, float(due), order.currency_id),
            )

    def action_payment_followup_down_payment(self):
        """Odoo's down payment invoice of the order, at the customer's percentage."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sale.action_view_sale_advance_payment_inv"
        )
        action["context"] = {
            "active_model": "sale.order",
            "active_id": self.id,
            "active_ids": self.ids,
            "default_advance_payment_method": "percentage",
            "default_amount": self.payment_followup_prepayment_percent,
        }
        return action
