from odoo import models


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    def _prepare_down_payment_lines_values(self, order):
        """A down payment is a liability until the final invoice deducts it: when the
        product's category has no down payment account, it is booked to the company's account
        for prepayments received (SKR03 1718 / SKR04 3272), not to revenue."""
        lines_values, accounts = super()._prepare_down_payment_lines_values(order)
        prepayments = order.company_id._payment_followup_charge_accounts()["prepayment"]
        if prepayments:
            accounts = [
                prepayments if not account or account.internal_group == "income" else account
                for account in accounts
            ]
        return lines_values, accounts
