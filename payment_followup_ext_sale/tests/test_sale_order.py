"""payment_followup_ext_sale: a suspended customer's quotations and orders show the banner;
terms accepted on an order are agreed terms."""

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


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


@tagged("post_install", "-at_install")
class TestSaleTermsAgreed(AccountTestInvoicingCommon):
    """Payment terms accepted on a confirmed order are agreed terms (§ 286(2) no. 1 BGB):
    the customer is in default from the day after the due date."""

    def order(self, term):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_a.id,
                "payment_term_id": term.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": 900}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def test_invoice_of_a_confirmed_order_has_agreed_terms(self):
        self.product_a.invoice_policy = "order"
        term = self.env.ref("account.account_payment_term_30days")
        invoice = self.order(term)._create_invoices()
        self.assertEqual(invoice.invoice_payment_term_id, term)
        invoice.action_post()
        self.assertTrue(invoice.payment_followup_terms_agreed)
        # The accountant gives the invoice other terms than the order's: not agreed.
        other = self.order(term)._create_invoices()
        other.invoice_payment_term_id = self.env.ref("account.account_payment_term_immediate")
        self.assertFalse(other.payment_followup_terms_agreed)
        # An invoice without an order: not agreed either.
        manual = self.init_invoice("out_invoice", partner=self.partner_a, amounts=[100.0])
        manual.invoice_payment_term_id = term
        self.assertFalse(manual.payment_followup_terms_agreed)
