from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.depends(
        "line_ids.sale_line_ids.order_id.state",
        "line_ids.sale_line_ids.order_id.payment_term_id",
        "invoice_payment_term_id",
    )
    def _compute_payment_followup_terms_agreed(self):
        """Payment terms the customer accepted on the order count as agreed (§ 286(2) no. 1
        BGB): every order the invoice comes from is confirmed with the invoice's terms."""
        res = super()._compute_payment_followup_terms_agreed()
        for move in self.filtered(lambda m: not m.payment_followup_terms_agreed):
            orders = move.line_ids.sale_line_ids.order_id
            term = move.invoice_payment_term_id
            move.payment_followup_terms_agreed = bool(
                orders
                and term
                and all(order.state == "sale" and order.payment_term_id == term for order in orders)
            )
        return res
