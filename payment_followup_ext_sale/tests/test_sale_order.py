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


@tagged("post_install", "-at_install")
class TestSaleDownPayment(AccountTestInvoicingCommon):
    """Large work: the order asks for Odoo's down payment invoice, booked to received
    prepayments (SKR03 1718), and the final invoice deducts it."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("de")
    @AccountTestInvoicingCommon.setup_chart_template("de_skr03")
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "payment_followup_prepayment_threshold": 10000.0,
                "payment_followup_prepayment_percent": 30.0,
            }
        )
        cls.product_a.invoice_policy = "order"

    def test_large_order_asks_for_a_down_payment_the_final_invoice_deducts(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_a.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": 20000}
                    )
                ],
            }
        )
        self.assertTrue(order.payment_followup_prepayment_needed)
        self.assertIn("30 %", order.payment_followup_prepayment_message)
        order.action_confirm()
        action = order.action_payment_followup_down_payment()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual((wizard.advance_payment_method, wizard.amount), ("percentage", 30.0))
        wizard.create_invoices()
        down_payment = order.invoice_ids
        down_payment.action_post()
        self.assertEqual(down_payment.invoice_line_ids.account_id.code, "1718")
        self.assertAlmostEqual(down_payment.amount_untaxed, 6000.0)
        self.assertFalse(order.payment_followup_prepayment_needed, "the down payment is there")
        final = order._create_invoices(final=True)
        final.action_post()
        self.assertAlmostEqual(final.amount_untaxed, 14000.0)
        deducted = final.line_ids.filtered(lambda line: line.account_id.code == "1718")
        self.assertAlmostEqual(deducted.balance, 6000.0, msg="the liability is released")
