"""Payment contracts on the customer: prepayment for large work, credit checks, payment
behaviour."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DUE, FollowupCase

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestPrepayment(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "payment_followup_prepayment_threshold": 10000.0,
                "payment_followup_prepayment_percent": 30.0,
            }
        )

    def test_big_draft_invoice_suggests_a_prepayment(self):
        invoice = self.invoice(amount=20000.0, post=False)
        self.assertTrue(invoice.payment_followup_prepayment_needed)
        self.assertEqual(invoice.payment_followup_prepayment_amount, 6000.0)
        self.assertIn("30 %", invoice.payment_followup_prepayment_message)

    def test_posting_a_big_invoice_warns_in_the_chatter(self):
        invoice = self.invoice(amount=20000.0)
        self.assertTrue(invoice.payment_followup_prepayment_needed)
        self.assertTrue(
            any("Create Prepayment Invoice" in message.body for message in invoice.message_ids)
        )

    def test_no_suggestion_below_the_threshold(self):
        invoice = self.invoice(amount=10000.0)
        self.assertFalse(invoice.payment_followup_prepayment_needed)
        self.assertFalse(
            any("prepayment" in (message.body or "") for message in invoice.message_ids)
        )

    def test_prepayment_is_exact_to_the_cent(self):
        self.company.payment_followup_prepayment_percent = 12.5
        self.assertEqual(
            self.company._fields["payment_followup_prepayment_threshold"].type, "monetary"
        )
        # 12.5 % of 10,000.10 is 1,250.0125: half-up to the cent, 1,250.01
        invoice = self.invoice(amount=10000.10, post=False)
        self.assertEqual(invoice.payment_followup_prepayment_amount, 1250.01)
        self.assertIn("12.5 %", invoice.payment_followup_prepayment_message)
        # 12.5 % of 10,000.20 is 1,250.025: half-up, 1,250.03
        invoice = self.invoice(amount=10000.20, post=False)
        self.assertEqual(invoice.payment_followup_prepayment_amount, 1250.03)
        self.assertFalse(
            self.invoice(amount=10000.0, post=False).payment_followup_prepayment_needed
        )

    def test_customer_rule_overrides_the_company(self):
        self.customer.write(
            {
                "payment_followup_prepayment_custom": True,
                "payment_followup_prepayment_threshold": 50000.0,
                "payment_followup_prepayment_percent": 50.0,
            }
        )
        self.assertFalse(
            self.invoice(amount=20000.0, post=False).payment_followup_prepayment_needed
        )
        big = self.invoice(amount=60000.0, post=False)
        self.assertEqual(big.payment_followup_prepayment_amount, 30000.0)

    def test_prepayment_is_a_down_payment_the_final_invoice_deducts(self):
        invoice = self.invoice(amount=20000.0, post=False)  # 19 % VAT
        action = invoice.with_user(self.accountant).action_payment_followup_create_prepayment()
        prepayment = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(prepayment.state, "draft")
        self.assertEqual(prepayment.move_type, "out_invoice")
        self.assertEqual(prepayment.partner_id, self.customer)
        self.assertTrue(prepayment.payment_followup_is_prepayment)
        self.assertEqual(prepayment.payment_followup_prepayment_for_id, invoice)
        line = prepayment.invoice_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.name, f"Prepayment for {invoice._payment_followup_prepayment_name()}")
        self.assertFalse(line.product_id)
        self.assertEqual(prepayment.amount_untaxed, 6000.0)
        self.assertEqual(line.tax_ids, invoice.invoice_line_ids.tax_ids)
        self.assertFalse(invoice.payment_followup_prepayment_needed, "linked: no more banner")
        with self.assertRaisesRegex(UserError, "prepayment invoice .* is still a draft"):
            invoice.action_post()
        prepayment.invoice_date = DUE
        prepayment.action_post()
        # The prepayment is a liability with its VAT, not revenue (SKR03 1718).
        self.assertEqual(
            sorted((aml.account_id.code, aml.debit, aml.credit) for aml in prepayment.line_ids),
            [("1410", 7140.0, 0.0), ("1718", 0.0, 6000.0), ("1776", 0.0, 1140.0)],
        )
        # Another large invoice of the customer needs its own prepayment.
        self.assertTrue(self.invoice(amount=30000.0, post=False).payment_followup_prepayment_needed)
        # The final invoice deducts it: revenue once, the VAT of the prepayment deducted.
        invoice.invoice_date = DUE
        invoice.action_post()
        self.assertEqual(
            sorted((aml.account_id.code, aml.debit, aml.credit) for aml in invoice.line_ids),
            [
                ("1410", 16660.0, 0.0),
                ("1718", 6000.0, 0.0),
                ("1776", 0.0, 2660.0),
                ("8400", 0.0, 20000.0),
            ],
        )
        deduction = invoice.invoice_line_ids.filtered("payment_followup_prepayment_move_id")
        self.assertEqual(deduction.payment_followup_prepayment_move_id, prepayment)
        self.assertIn(prepayment.name, deduction.name)

    def test_bad_prepayment_rule(self):
        for values in (
            {"payment_followup_prepayment_percent": 120.0},
            {"payment_followup_prepayment_percent": -1.0},
            {"payment_followup_prepayment_threshold": -5.0},
        ):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.company.write(values)
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.customer.write({"payment_followup_prepayment_custom": True, **values})
        self.assertEqual(self.company.payment_followup_prepayment_percent, 30.0)
        self.assertFalse(self.customer.payment_followup_prepayment_custom)


@tagged("post_install", "-at_install")
class TestCreditCheck(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.thirty_days = cls.env.ref("account.account_payment_term_30days")
        cls.customer.property_payment_term_id = cls.thirty_days
        cls.company.payment_followup_credit_check_since = date(2026, 1, 1)
        cls.manager = new_test_user(
            cls.env,
            login="pfx_manager",
            name="Max Leiter",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def check(self, user=None, **values):
        return (
            self.env["payment.followup.credit.check"]
            .with_user(user or self.accountant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "source": "bureau",
                    "bureau_name": "Creditreform",
                    "score": "212",
                    "credit_limit": 25000.0,
                    "date": date(2026, 6, 1),
                    "valid_until": date(2027, 5, 31),
                    **values,
                }
            )
        )

    @freeze_time(TODAY)
    def test_unchecked_customer_gets_the_no_credit_term(self):
        self.assertEqual(self.company.payment_followup_no_credit_term_id, self.immediate)
        invoice = self.invoice(post=False)
        self.assertEqual(invoice.invoice_payment_term_id, self.immediate)
        explicit = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_payment_term_id": self.thirty_days.id,
                "invoice_line_ids": [Command.create({"name": "X", "price_unit": 10.0})],
            }
        )
        self.assertEqual(explicit.invoice_payment_term_id, self.thirty_days, "explicit wins")

    @freeze_time(TODAY)
    def test_customers_older_than_the_rule_keep_their_terms(self):
        self.company.payment_followup_credit_check_since = False
        self.assertEqual(self.invoice(post=False).invoice_payment_term_id, self.thirty_days)
        self.company.payment_followup_credit_check_since = date(2099, 1, 1)
        self.assertEqual(self.invoice(post=False).invoice_payment_term_id, self.thirty_days)

    @freeze_time(TODAY)
    def test_approved_check_sets_the_credit_limit_and_lifts_the_rule(self):
        check = self.check()
        self.assertEqual(check.company_id, self.company)
        self.assertEqual(self.invoice(post=False).invoice_payment_term_id, self.immediate)
        check.with_user(self.manager).action_approve()
        self.assertEqual(check.state, "approved")
        self.assertEqual(check.decided_by_id, self.manager)
        self.assertEqual(self.customer.credit_limit, 25000.0)
        self.assertEqual(self.customer.payment_followup_credit_check_id, check)
        self.assertEqual(self.invoice(post=False).invoice_payment_term_id, self.thirty_days)

    @freeze_time(TODAY)
    def test_a_manager_approves_a_check_somebody_else_entered(self):
        check = self.check()
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            check.action_approve()  # the accountant who entered it
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            check.action_reject()
        own = self.check(user=self.manager)
        with self.assertRaisesRegex(UserError, "four-eyes principle"):
            own.action_approve()
        self.assertEqual((check.state, own.state), ("draft", "draft"))
        self.assertEqual(self.customer.credit_limit, 0.0, "nothing approved, no limit")
        check.with_user(self.manager).action_approve()
        self.assertEqual(check.state, "approved")
        self.assertEqual(self.customer.credit_limit, 25000.0)
        arch = (
            self.env["payment.followup.credit.check"]
            .with_user(self.accountant)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="action_approve"', arch, "the accountant sees no Approve button")

    @freeze_time(TODAY)
    def test_contact_check_belongs_to_the_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Hans Einkauf", "parent_id": self.customer.id}
        )
        check = self.check(partner_id=contact.id)
        self.assertEqual(check.partner_id, self.customer)

    def test_valid_until_before_the_check_date(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.check(date=date(2026, 6, 1), valid_until=date(2026, 5, 31))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.check(source="bureau", bureau_name=False)
        self.assertFalse(
            self.env["payment.followup.credit.check"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        self.assertEqual(self.customer.credit_limit, 0.0)

    @freeze_time(TODAY)
    def test_expired_check_raises_one_todo(self):
        self.customer.payment_followup_responsible_id = self.accountant
        check = self.check(date=date(2025, 5, 1), valid_until=date(2026, 4, 30))
        check.with_user(self.manager).action_approve()
        self.assertFalse(self.customer.payment_followup_credit_check_id, "expired")
        self.assertEqual(self.invoice(post=False).invoice_payment_term_id, self.immediate)
        Check = self.env["payment.followup.credit.check"]
        Check._cron_notify_expired()
        Check._cron_notify_expired()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "payment.followup.credit.check"), ("res_id", "=", check.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.accountant)
        self.assertEqual(activities.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertTrue(check.expiry_notified)

    def test_second_company_sees_no_check(self):
        check = self.check()
        company_b = self.company_data_2["company"] if hasattr(self, "company_data_2") else None
        if not company_b:
            company_b = self.env["res.company"].create({"name": "Firma B"})
        user_b = self.accountant.copy(
            {
                "login": "pfx_accountant_b",
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
            }
        )
        self.assertFalse(
            self.env["payment.followup.credit.check"]
            .with_user(user_b)
            .search([("id", "=", check.id)])
        )


@tagged("post_install", "-at_install")
class TestPaymentBehaviour(FollowupCase):
    def pay(self, invoice, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day})._create_payments()

    def test_payment_behaviour(self):
        late = self.invoice(amount=1000.0, due=date(2026, 3, 2))
        on_time = self.invoice(amount=1000.0, due=date(2026, 4, 1))
        self.pay(late, date(2026, 3, 12))  # 10 days late
        self.pay(on_time, date(2026, 4, 1))
        open_invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": date(2026, 6, 1),
                "invoice_date_due": date(2026, 7, 15),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [Command.create({"name": "Wartung", "price_unit": 1000.0})],
            }
        )
        open_invoice.action_post()
        other = self._make_customer("Kunde Zwei GmbH")

        behaviour = self.env["res.partner"]._payment_behaviour(
            self.company, [self.customer.id, other.id], TODAY
        )
        numbers = behaviour[self.customer.id]
        self.assertEqual(numbers.avg_days_late, 5.0)
        self.assertEqual(numbers.on_time_share, 50.0)
        # open 1,190 of 3,570 invoiced in 12 months: a third of a year
        self.assertEqual(numbers.dso, 121.7)
        self.assertNotIn(other.id, behaviour)

        with freeze_time(TODAY):
            partners = self.customer | other
            partners.invalidate_recordset()
            self.assertEqual(self.customer.payment_followup_avg_days_late, 5.0)
            self.assertEqual(self.customer.payment_followup_on_time_share, 50.0)
            self.assertEqual(self.customer.payment_followup_dso, 121.7)
            self.assertEqual(other.payment_followup_dso, 0.0)

            # the worklist keeps the numbers, refreshed with it, and filters on them
            Status = self.env["payment.followup.status"]
            Status.with_context(allowed_company_ids=self.company.ids).action_open_worklist()
            status = self.customer.payment_followup_status_ids
            self.assertEqual(len(status), 1)
            self.assertEqual(
                (status.avg_days_late, status.on_time_share, status.dso), (5.0, 50.0, 121.7)
            )
            self.assertFalse(Status.search([("avg_days_late", ">", 15)]))
            self.assertEqual(Status.search([("on_time_share", "<", 50)]), Status)
            self.assertEqual(Status.search([("on_time_share", "<=", 50)]), status)
