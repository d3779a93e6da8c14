"""Browser tour: a credit check entered on the customer, a prepayment suggested on a large
invoice."""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCreditTour(HttpCase):
    def test_credit_tour(self):
        """An accountant enters a credit check on the customer, a second accounting manager
        approves it, then the accountant drafts a large invoice and sees the prepayment
        suggestion before posting it."""
        company = self.env.company
        if not company.chart_template:
            self.env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
        company.write(
            {
                "payment_followup_prepayment_threshold": 10000.0,
                "payment_followup_prepayment_percent": 30.0,
            }
        )
        partner = self.env["res.partner"].create(
            {"name": "Credit Tour GmbH", "is_company": True, "customer_rank": 1}
        )
        thirty_days = self.env.ref("account.account_payment_term_30days")
        partner.property_payment_term_id = thirty_days
        # New customers need a credit check: until it is approved, invoices are due at once.
        company.payment_followup_credit_check_since = "2000-01-01"

        self.start_tour("/web", "payment_credit_tour", login="admin")

        self.env.invalidate_all()
        check = self.env["payment.followup.credit.check"].search([("partner_id", "=", partner.id)])
        self.assertEqual((check.state, check.score), ("draft", "Risk class 1"))
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(UserError, "four-eyes principle"):
            check.with_user(admin).action_approve()
        approver = new_test_user(
            self.env,
            login="pfx_approver",
            groups="account.group_account_manager",
            company_id=company.id,
        )
        check.with_user(approver).action_approve()
        self.assertEqual(partner.payment_followup_credit_check_id, check)

        self.start_tour("/web", "payment_credit_invoice_tour", login="admin")
        self.env.invalidate_all()
        self.assertEqual(check.decided_by_id, approver)
        self.assertEqual(partner.with_company(company).credit_limit, 50000.0)
        invoice = self.env["account.move"].search(
            [("partner_id", "=", partner.id), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(partner.with_company(company).payment_followup_grace_days, 5)
        self.assertIn("purchasing department", partner.payment_followup_special_agreements)
        self.assertEqual(invoice.amount_untaxed, 20000.0)
        self.assertTrue(invoice.payment_followup_prepayment_needed)
        self.assertEqual(invoice.payment_followup_prepayment_amount, 6000.0)
        # the approved check lifts the no-credit term: the customer's own term applies
        self.assertEqual(invoice.invoice_payment_term_id, thirty_days)
