"""payment_followup_ext_sale: a suspended customer's quotations and orders show the banner."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSaleBridge(TransactionCase):
    def test_sale_order_shows_the_customers_suspension(self):
        customer = self.env["res.partner"].create({"name": "Gesperrt GmbH", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Einkauf", "parent_id": customer.id})
        order = self.env["sale.order"].create({"partner_id": contact.id})
        self.assertFalse(order.payment_followup_partner_suspended)
        customer.sudo()._payment_followup_suspend("Rechnungen seit 60 Tagen offen")
        order.invalidate_recordset()
        self.assertTrue(order.payment_followup_partner_suspended)
        self.assertEqual(
            order.payment_followup_partner_suspension_reason, "Rechnungen seit 60 Tagen offen"
        )
        arch = self.env["sale.order"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("payment_followup_partner_suspension_reason", arch)
