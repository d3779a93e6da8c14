from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_partner_ids(self, move, mail_template, mail_lang):
        """Invoices go to the customer's invoicing contact (the child contact of type invoice,
        as ``address_get(['invoice'])`` finds it), like its follow-ups, when the invoice is
        addressed to the customer itself."""
        partners = super()._get_default_mail_partner_ids(move, mail_template, mail_lang)
        customer = move.commercial_partner_id
        if not move.is_sale_document() or move.partner_id != customer or customer not in partners:
            return partners
        recipient = self.env["payment.followup.run"]._recipients(customer)[customer.id]
        if recipient != customer:
            partners = (partners - customer) | recipient
        return partners
