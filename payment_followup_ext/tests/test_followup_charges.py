"""Dunning fees, statutory late interest and the EUR 40 flat fee, booked once and reversible."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DUE, FollowupCase

# H1 2026: base rate 1.27 %, so 10.27 % p.a. for businesses and 6.27 % for consumers.
FRIENDLY_DAY = DUE + timedelta(days=3)  # 2026-03-05
FIRST_DAY = DUE + timedelta(days=14)  # 2026-03-16
SECOND_DAY = DUE + timedelta(days=28)  # 2026-03-30


@tagged("post_install", "-at_install")
class TestFollowupCharges(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first.write({"fee_type": "fixed", "fee_fixed": 5.0, "fee_not_first": True})
        cls.first.charge_interest = True
        cls.second.write(
            {
                "fee_type": "percent",
                "fee_percent": 1.0,
                "fee_min": 5.0,
                "fee_max": 25.0,
                "fee_consumer_max": 2.5,
                "charge_interest": True,
                "charge_flat_fee": True,
            }
        )
        cls.consumer = cls._make_customer("Max Mustermann", "max@mustermann.example")
        cls.consumer.is_company = False

    def claim(self, partner=None, amount=10000.0, due=DUE):
        return self.claim_without_tax(partner, amount, due)

    def escalate_to(self, day, partner=None):
        """Run the follow-up on every rung day up to ``day``; returns the last step."""
        step = None
        for rung_day in (FRIENDLY_DAY, FIRST_DAY, SECOND_DAY):
            if rung_day <= day:
                step = self.run_followup(rung_day, partners=partner or self.customer)
        return step

    def charges_by_kind(self, step):
        return {
            kind: sorted(step.charge_ids.filtered(lambda c, k=kind: c.kind == k).mapped("amount"))
            for kind in ("fee", "interest", "flat_fee", "flat_fee_credit")
        }

    def test_escalation_books_fee_and_interest_once(self):
        invoice = self.claim()
        friendly = self.run_followup(FRIENDLY_DAY)
        self.assertFalse(friendly.charge_ids, "the friendly reminder charges nothing")
        first = self.run_followup(FIRST_DAY)
        self.assertEqual(first.level_id, self.first)
        # 10,000.00 * 10.27 % * 14 / 365 = 39.3918 -> 39.39 (3 to 16 March)
        self.assertEqual(
            self.charges_by_kind(first),
            {"fee": [5.0], "interest": [39.39], "flat_fee": [], "flat_fee_credit": []},
        )
        interest = first.charge_ids.filtered(lambda c: c.kind == "interest")
        self.assertEqual((interest.date_from, interest.date_to), (date(2026, 3, 3), FIRST_DAY))
        self.assertEqual(
            (interest.days, interest.rate, interest.line_id.move_id), (14, 10.27, invoice)
        )
        document = first.charge_move_id
        self.assertEqual(document.state, "posted")
        self.assertEqual(document.move_type, "out_invoice")
        self.assertEqual(document.partner_id, self.customer)
        self.assertAlmostEqual(document.amount_total, 44.39)
        self.assertEqual(document.amount_tax, 0.0, "fees and interest are no turnover")
        self.assertFalse(document.invoice_line_ids.tax_ids)
        self.assertEqual(document.invoice_date_due, FIRST_DAY + timedelta(days=14))
        self.assertEqual(
            sorted(document.invoice_line_ids.mapped("account_id.code")), ["2650", "2700"]
        )
        self.assertEqual(document.payment_followup_charge_step_id, first)
        self.assertAlmostEqual(first.amount_total, first.amount_due + 44.39)

        # The same day again: nothing is executed, nothing is charged.
        self.assertFalse(self.run_followup(FIRST_DAY))
        self.assertEqual(
            len(
                self.env["payment.followup.charge"].search([("partner_id", "=", self.customer.id)])
            ),
            2,
        )

        second = self.run_followup(SECOND_DAY)
        self.assertEqual(second.level_id, self.second)
        # 1 % of 10,000 = 100, kept at the maximum of 25; interest only from 17 March.
        # § 288(5) sentence 3 BGB: the fees of this claim (5 + 25) are credited against its flat
        # fee: fees and flat fee together come to 40.00, not 70.00.
        self.assertEqual(
            self.charges_by_kind(second),
            {"fee": [25.0], "interest": [39.39], "flat_fee": [40.0], "flat_fee_credit": [-30.0]},
        )
        interest = second.charge_ids.filtered(lambda c: c.kind == "interest")
        self.assertEqual((interest.date_from, interest.date_to), (date(2026, 3, 17), SECOND_DAY))
        self.assertFalse(
            second.charge_ids.line_id & first.charge_move_id.line_ids,
            "the first fee document earns no interest and no flat fee itself",
        )
        document = second.charge_move_id
        self.assertAlmostEqual(document.amount_total, 74.39)
        self.assertEqual(
            sorted(
                (line.account_id.code, line.debit, line.credit, line.tax_ids.ids)
                for line in document.line_ids
            ),
            [
                ("1410", 74.39, 0.0, []),  # the customer's receivable (SKR03)
                ("2650", 0.0, 39.39, []),  # interest income
                ("2700", 0.0, 25.0, []),  # the dunning fee
                ("2700", 0.0, 40.0, []),  # the flat fee
                ("2700", 30.0, 0.0, []),  # the fees credited against it
            ],
        )
        credit_line = document.invoice_line_ids.filtered(lambda line: line.price_unit < 0)
        credit = second.charge_ids.filtered(lambda charge: charge.kind == "flat_fee_credit")
        self.assertEqual(credit_line.name, credit.with_context(lang="de_DE")._label())
        self.assertIn(invoice.name, credit_line.name)
        fees_and_flat_fee = sum(
            (first.charge_ids | second.charge_ids)
            .filtered(lambda c: c.kind != "interest")
            .mapped("amount")
        )
        self.assertAlmostEqual(fees_and_flat_fee, 40.0)

    def test_first_reminder_after_due_charges_no_fee(self):
        """A level with 'not on the first reminder' charges no fee when nothing was reminded."""
        self.friendly.write({"fee_type": "fixed", "fee_fixed": 5.0, "fee_not_first": True})
        self.claim()
        friendly = self.run_followup(FRIENDLY_DAY)
        self.assertFalse(friendly.charge_ids)
        self.assertFalse(friendly.charge_move_id)

    def test_consumer_pays_capped_fee_consumer_rate_and_no_flat_fee(self):
        self.assertTrue(self.consumer.payment_followup_is_consumer)
        self.claim(self.consumer)
        second = self.escalate_to(SECOND_DAY, self.consumer)
        self.assertEqual(second.level_id, self.second)
        # 6.27 % for consumers: 10,000 * 6.27 % * 14 / 365 = 24.0493 -> 24.05
        self.assertEqual(
            self.charges_by_kind(second),
            {"fee": [2.5], "interest": [24.05], "flat_fee": [], "flat_fee_credit": []},
        )

    def test_debtor_type_and_contractual_rate_override(self):
        self.consumer.payment_followup_debtor_type = "business"
        self.assertFalse(self.consumer.payment_followup_is_consumer)
        self.customer.write(
            {
                "payment_followup_interest_regime": "contractual",
                "payment_followup_interest_rate": 12.0,
            }
        )
        self.claim()
        first = self.escalate_to(FIRST_DAY)
        interest = first.charge_ids.filtered(lambda c: c.kind == "interest")
        # 10,000 * 12 % * 14 / 365 = 46.0274 -> 46.03
        self.assertEqual((interest.rate, interest.amount), (12.0, 46.03))
        with self.assertRaisesRegex(ValidationError, "contractual late interest rate"):
            self.customer.payment_followup_interest_rate = 0

    def test_no_interest_regime(self):
        self.customer.payment_followup_interest_regime = "none"
        self.claim()
        first = self.escalate_to(FIRST_DAY)
        self.assertEqual(
            self.charges_by_kind(first),
            {"fee": [5.0], "interest": [], "flat_fee": [], "flat_fee_credit": []},
        )

    def test_missing_base_rate_is_a_clear_error_and_writes_nothing(self):
        # Due 22 June 2026: the first notice on 6 July needs the rate of the 2nd half-year 2026,
        # which the shipped table does not know yet.
        due = date(2026, 6, 22)
        self.claim(due=due)
        self.run_followup(due + timedelta(days=3))
        steps_before = self.histories()
        moves_before = self.env["account.move"].search_count(
            [("partner_id", "=", self.customer.id)]
        )
        with self.assertRaisesRegex(UserError, "2nd half-year 2026.*Base Interest Rates"):
            self.run_followup(due + timedelta(days=14))
        self.assertEqual(self.histories(), steps_before, "no step was recorded")
        self.assertEqual(
            self.env["account.move"].search_count([("partner_id", "=", self.customer.id)]),
            moves_before,
            "no fee document was booked",
        )
        self.env["payment.followup.base.rate"].create({"date_from": date(2026, 7, 1), "rate": 1.27})
        first = self.run_followup(due + timedelta(days=14))
        self.assertEqual(first.level_id, self.first)
        self.assertEqual(
            first.charge_ids.filtered(lambda c: c.kind == "interest").mapped("date_to"),
            [date(2026, 6, 30), due + timedelta(days=14)],
            "interest splits at the half-year",
        )

    def test_without_the_rate_the_cron_runs_the_other_customers_and_asks_for_it(self):
        due = date(2026, 6, 22)
        other = self._make_customer("Zweiter Kunde AG", "ap@zweiter-kunde.example")
        self.claim(due=due)
        self.claim(other, due=date(2026, 7, 3))
        self.run_followup(due + timedelta(days=3), partners=self.customer)
        day = due + timedelta(days=14)  # the first notice (interest) and the other's reminder
        Run = self.env["payment.followup.run"]
        cursor = type(self.env.cr)
        # The cron commits every batch: here the test's transaction must stay open.
        with (
            patch.object(cursor, "commit"),
            patch.object(cursor, "rollback"),
            self.assertLogs("odoo.addons.payment_followup_ext", "WARNING") as logged,
        ):
            executed = Run._process(
                self.company,
                day,
                partner_ids=[self.customer.id, other.id],
                commit=True,
                batch_size=2,
            )
        self.assertEqual(executed.partner_id, other, "the other customer's reminder went out")
        self.assertIn(f"customer {self.customer.id}", logged.output[0])
        self.assertIn("No base rate", logged.output[0])
        self.assertEqual(self.histories().mapped("level_id"), self.friendly)
        row = self.env["payment.followup.status"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(row.reason, "failed")
        self.assertIn("2nd half-year 2026", row.failure)
        self.assertFalse(row.activity_ids, "the accounting manager is asked once, not per customer")
        Run._warn_missing_base_rate(self.company, day)
        Run._warn_missing_base_rate(self.company, day)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.company.partner_id.id)]
        )
        self.assertEqual(len(activities), 1, "one reminder to enter the rate, not one per run")
        self.assertIn("2nd half-year 2026", activities.summary)

    @freeze_time("2026-11-25")
    def test_policy_warns_when_todays_rate_is_missing(self):
        self.assertIn("2nd half-year 2026", self.policy.base_rate_warning)
        self.env["payment.followup.base.rate"].create({"date_from": date(2026, 7, 1), "rate": 1.27})
        self.policy.invalidate_recordset(["base_rate_warning"])
        self.assertFalse(self.policy.base_rate_warning)

    def test_due_date_on_a_holiday_moves_to_the_next_working_day(self):
        # 1 May 2026 is a Friday and Labour Day: the claim is due on Monday 4 May (§ 193 BGB).
        due = date(2026, 5, 1)
        self.claim(due=due)
        self.run_followup(due + timedelta(days=3))
        first = self.run_followup(due + timedelta(days=14))
        interest = first.charge_ids.filtered(lambda c: c.kind == "interest")
        self.assertEqual(interest.date_from, date(2026, 5, 5))
        self.assertEqual(interest.days, 11)

    def test_holidays_of_the_company_state(self):
        Charge = self.env["payment.followup.charge"]
        self.company.write({"country_id": self.env.ref("base.de").id, "state_id": False})
        self.assertIn(date(2026, 10, 3), Charge._holidays(self.company, {2026}))
        self.assertNotIn(date(2026, 1, 6), Charge._holidays(self.company, {2026}))
        self.company.state_id = self.env.ref("base.state_de_by")
        self.assertIn(date(2026, 1, 6), Charge._holidays(self.company, {2026}))

    def test_cancelling_the_charges_reverses_the_document_and_frees_the_days(self):
        self.claim()
        first = self.escalate_to(FIRST_DAY)
        document = first.charge_move_id
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            first.with_user(self.accountant).action_cancel_charges()
        first.action_cancel_charges()
        self.assertEqual(document.payment_state, "reversed")
        self.assertFalse(first.charge_ids.filtered("active"))
        self.assertEqual(first.amount_charges, 0.0)
        with self.assertRaisesRegex(UserError, "no charges left"):
            first.action_cancel_charges()
        second = self.run_followup(SECOND_DAY)
        interest = second.charge_ids.filtered(lambda c: c.kind == "interest")
        # The cancelled days are charged again: 3 to 30 March, 28 days -> 78.78
        self.assertEqual((interest.date_from, interest.amount), (date(2026, 3, 3), 78.78))

    def test_accountant_runs_a_charging_follow_up(self):
        self.claim()
        self.run_followup(FRIENDLY_DAY)
        Run = self.env["payment.followup.run"].with_user(self.accountant)
        first = Run._process(self.company, FIRST_DAY, partner_ids=self.customer.ids)
        self.assertEqual(first.charge_move_id.state, "posted")

    def test_fee_configuration_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "fixed fee of zero"):
            self.friendly.fee_type = "fixed"
        with self.assertRaisesRegex(ValidationError, "below its minimum"):
            self.second.fee_max = 1.0
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.first.fee_fixed = -5

    def test_german_texts_on_document_mail_and_letter(self):
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        self.first.mail_template_id = self.env.ref(
            "payment_followup_ext.mail_template_followup_first"
        )
        self.claim()
        first = self.escalate_to(FIRST_DAY)
        labels = first.charge_move_id.invoice_line_ids.mapped("name")
        self.assertTrue(any(label.startswith("Mahngebühr") for label in labels), labels)
        self.assertTrue(any("Verzugszinsen, Rechnung" in label for label in labels), labels)
        self.assertIn("10,27 % p. a.", " ".join(labels))
        body = first.mail_id.body_html
        self.assertIn("Mahngebühren und Verzugszinsen", body)
        self.assertIn("44,39", body)
        text = self.render_pdf("payment_followup_ext.action_report_followup_letter", first)
        self.assertIn("Verzugszinsen", text)
        self.assertIn("10.044,39", text)  # the total claim, under its fee and interest rows

    def test_flat_fee_credit_in_german_on_document_mail_and_letter(self):
        """The final notice of a business: the fees credited against the flat fee are one
        line of the document, the email and the letter, in German."""
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        self.second.mail_template_id = self.env.ref(
            "payment_followup_ext.mail_template_followup_second"
        )
        self.claim()
        second = self.escalate_to(SECOND_DAY)
        credit = "Auf die Verzugspauschale angerechnete Mahnkosten (§ 288 Abs. 5 Satz 3 BGB)"
        (line,) = second.charge_move_id.invoice_line_ids.filtered(lambda item: item.price_unit < 0)
        self.assertTrue(line.name.startswith(credit), line.name)
        self.assertEqual(line.price_subtotal, -30.0)
        body = second.mail_id.body_html
        self.assertIn(credit, body)
        self.assertIn("-30,00", body.replace("\N{ZERO WIDTH NO-BREAK SPACE}", ""))
        self.assertEqual(body.count(">Mahngebühr<"), 1, "the fee shares are one row")
        text = self.render_pdf("payment_followup_ext.action_report_followup_letter", second)
        self.assertIn(credit, text)
        self.assertIn("35,00", text)  # fee 25 + flat fee 40 - credit 30, beside interest 39,39
        self.assertIn("10.118,78", text)

    def test_accounting_manager_is_asked_for_the_next_base_rate_fourteen_days_ahead(self):
        self.env["payment.followup.base.rate"].create({"date_from": "2026-07-01", "rate": 1.27})
        manager = self.env.ref("account.group_account_manager").users.filtered(
            lambda user: self.company in user.company_ids and not user.share
        )[:1]
        Run = self.env["payment.followup.run"]

        def todos():
            return self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.company.partner_id.id)]
            )

        Run._warn_missing_base_rate(self.company, date(2026, 12, 17))
        self.assertFalse(todos(), "more than 14 days before 1 January: nothing yet")
        Run._warn_missing_base_rate(self.company, date(2026, 12, 18))
        Run._warn_missing_base_rate(self.company, date(2026, 12, 19))
        todo = todos()
        self.assertEqual(len(todo), 1)
        self.assertIn("1st half-year 2027", todo.summary)
        self.assertEqual(todo.date_deadline, date(2026, 12, 31))
        self.assertEqual(todo.user_id, manager)
        # Entered in time: no interest step waits, no further to-do.
        todo.unlink()
        self.env["payment.followup.base.rate"].create({"date_from": "2027-01-01", "rate": 1.5})
        Run._warn_missing_base_rate(self.company, date(2026, 12, 20))
        self.assertFalse(todos())

    def pay(self, invoice, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": day})._create_payments()

    def test_a_payment_settles_fees_and_interest_before_the_invoice(self):
        """§ 367(1) BGB: the customer transfers the invoice amount; it pays the dunning fee
        and the interest first, the rest of the invoice stays open."""
        invoice = self.claim()
        first = self.escalate_to(FIRST_DAY)
        document = first.charge_move_id
        self.assertAlmostEqual(document.amount_total, 44.39)
        self.pay(invoice, 10000.0, FIRST_DAY + timedelta(days=2))
        self.assertEqual(document.payment_state, "paid")
        self.assertAlmostEqual(invoice.amount_residual, 44.39)
        with freeze_time(SECOND_DAY + timedelta(days=30)):
            self.customer.action_payment_followup_hand_over()
        case = self.env["payment.followup.collection"].search(
            [("partner_id", "=", self.customer.id)]
        )
        statement = case._claim_statement()
        self.assertEqual(
            (statement["paid_costs"], statement["paid_interest"], statement["paid_principal"]),
            (5.0, 39.39, 9955.61),
        )
        self.assertAlmostEqual(statement["principal_open"], 44.39)

    def test_without_costs_first_the_payment_settles_what_it_is_matched_with(self):
        self.company.payment_followup_costs_first = False
        invoice = self.claim()
        document = self.escalate_to(FIRST_DAY).charge_move_id
        self.pay(invoice, 10000.0, FIRST_DAY + timedelta(days=2))
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(document.payment_state, "not_paid")

    def test_an_invoice_in_dollars_is_reminded_and_charged_in_dollars(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.25)])  # 1 EUR = 1.25 USD
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "currency_id": usd.id,
                "invoice_date": DUE,
                "invoice_date_due": DUE,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Wartung", "price_unit": 10000.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_residual_signed, 8000.0, msg="in euros")
        first = self.escalate_to(FIRST_DAY)
        self.assertEqual((first.currency_id, first.amount_due), (usd, 10000.0))
        # The fee of EUR 5.00 is USD 6.25; interest on USD 10,000: 10.27 % * 14 / 365 = 39.39.
        self.assertEqual(
            self.charges_by_kind(first),
            {"fee": [6.25], "interest": [39.39], "flat_fee": [], "flat_fee_credit": []},
        )
        document = first.charge_move_id
        self.assertEqual((document.currency_id, document.amount_total), (usd, 45.64))
        self.assertEqual(
            sorted(
                (line.account_id.code, line.amount_currency, line.balance)
                for line in document.line_ids
            ),
            [("1410", 45.64, 36.51), ("2650", -39.39, -31.51), ("2700", -6.25, -5.0)],
        )
        second = self.run_followup(SECOND_DAY)
        # 1 % of USD 10,000 is USD 100, capped at EUR 25.00 = USD 31.25; flat fee EUR 40 =
        # USD 50.00, the fees (6.25 + 31.25) credited against it.
        self.assertEqual(
            self.charges_by_kind(second),
            {
                "fee": [31.25],
                "interest": [39.39],
                "flat_fee": [50.0],
                "flat_fee_credit": [-37.5],
            },
        )
        self.assertEqual(second.charge_move_id.currency_id, usd)
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        text = self.render_pdf("payment_followup_ext.action_report_followup_letter", second)
        text = text.replace("\N{NO-BREAK SPACE}", " ")
        self.assertIn("$ 10.000,00", text)
        self.assertIn("Gesamt $ 10.128,78", text)
        self.assertNotIn("8.000,00", text, "no euro amounts for a dollar invoice")
