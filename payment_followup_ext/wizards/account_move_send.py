from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_partner_ids(self, move, mail_template, mail_lang):
        """Invoices go to the customer's invoicing contact (the child contact of type invoice,
        as ``address_get(['invoice'])`` finds it), when the invoice is
        addressed to the customer itself."""
        partners = super()._get_default_mail_partner_ids(move, mail_template, mail_lang)
        customer = move.commercial_partner_id
        if not move.is_sale_document() or move.partner_id != customer or customer not in partners:
            return partners
        recipient = self.env["payment.followup.run"]._recipients(customer, dunning=False)[
            customer.id
        ]
        if recipient != customer:
            partners = (partners - customer) | recipient
        return partners

    @api.model
    def _hook_if_success(self, moves_data):
        """Invoices sent by email today count as received by email (``payment_followup_sent_by``):
        the company's days for an email to arrive, not those of a letter."""
        res = super()._hook_if_success(moves_data)
        by_email = [
            move
            for move, move_data in moves_data.items()
            if "email" in move_data["sending_methods"]
            and self._is_applicable_to_move("email", move, **move_data)
        ]
        if by_email:
            self.env["account.move"].union(*by_email)._payment_followup_mark_sent("email")
        return res
