"""When default begins (§ 286 BGB): interest and the flat fee start on the first day of default,
which depends on whether the due date was agreed, when the invoice and the reminders arrived,
and, for consumers, on the notice printed on the invoice."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DUE, FollowupCase

FRIENDLY_DAY = DUE + timedelta(days=3)  # Thursday 5 March 2026
FIRST_DAY = DUE + timedelta(days=14)  # Monday 16 March 2026


@tagged("post_install", "-at_install")
class TestFollowupDefault(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first.write({"fee_type": "fixed", "fee_fixed": 5.0, "charge_interest": True})
        cls.unagreed = cls._make_customer(
            "Ohne Vertrag GmbH", "buchhaltung@ohne-vertrag.example", agreed=False
        )

    def interest_of(self, step):
        interest = step.charge_ids.filtered(lambda charge: charge.kind == "interest")
        return interest.date_from, interest.date_to, interest.days, interest.amount

    def test_agreed_due_date_default_from_the_next_day(self):
        invoice = self.claim_without_tax(self.customer)
        self.assertTrue(invoice.payment_followup_terms_agreed, "contract signed before")
        self.run_followup(FRIENDLY_DAY, partners=self.customer)
        first = self.run_followup(FIRST_DAY, partners=self.customer)
        # 3 to 16 March: 10,000.00 * 10.27 % * 14 / 365 = 39.39
        self.assertEqual(self.interest_of(first), (date(2026, 3, 3), FIRST_DAY, 14, 39.39))

    def test_without_agreement_default_from_the_day_after_the_emailed_reminder(self):
        invoice = self.claim_without_tax(self.unagreed)
        self.assertFalse(invoice.payment_followup_terms_agreed)
        friendly = self.run_followup(FRIENDLY_DAY, partners=self.unagreed)
        self.assertTrue(friendly.mail_id, "the friendly reminder went by email")
        first = self.run_followup(FIRST_DAY, partners=self.unagreed)
        # Email received on 5 March (0 days): in default from 6 March, 11 days,
        # 10,000.00 * 10.27 % * 11 / 365 = 30.95
        self.assertEqual(self.interest_of(first), (date(2026, 3, 6), FIRST_DAY, 11, 30.95))
        self.assertAlmostEqual(first.charge_move_id.amount_total, 35.95)

    def test_a_printed_letter_counts_three_days_later(self):
        self.unagreed.email = False
        self.claim_without_tax(self.unagreed)
        friendly = self.run_followup(FRIENDLY_DAY, partners=self.unagreed)
        self.assertEqual(friendly.letter_state, "to_print")
        with self.printing():
            friendly.action_print_letter()
        self.assertEqual(friendly.letter_state, "printed")
        first = self.run_followup(FIRST_DAY, partners=self.unagreed)
        # Received on Sunday 8 March (5 March + 3 days): in default from 9 March, 8 days,
        # 10,000.00 * 10.27 % * 8 / 365 = 22.51
        self.assertEqual(self.interest_of(first), (date(2026, 3, 9), FIRST_DAY, 8, 22.51))

    def test_a_letter_never_printed_puts_nobody_in_default(self):
        self.unagreed.email = False
        self.claim_without_tax(self.unagreed)
        self.run_followup(FRIENDLY_DAY, partners=self.unagreed)
        first = self.run_followup(FIRST_DAY, partners=self.unagreed)
        self.assertEqual(first.level_id, self.first)
        self.assertFalse(
            first.charge_ids.filtered(lambda charge: charge.kind == "interest"),
            "no reminder received, no invoice receipt known: not in default, no interest",
        )

    def test_sending_the_invoice_records_its_receipt(self):
        invoice = self.claim_without_tax(self.unagreed)
        with freeze_time("2026-02-20"), self.printing():
            self.env["account.move.send"]._generate_and_send_invoices(
                invoice, sending_methods=["email"]
            )
        self.assertTrue(invoice.is_move_sent)
        self.assertEqual(
            (invoice.payment_followup_sent_date, invoice.payment_followup_sent_by),
            (date(2026, 2, 20), "email"),
        )
        self.assertEqual(invoice.payment_followup_received_date, date(2026, 2, 20))
        printed = self.claim_without_tax(self.unagreed, amount=100.0)
        with freeze_time("2026-02-20"):
            printed.is_move_sent = True  # "Mark as Sent": a letter, 3 days to arrive
        self.assertEqual(printed.payment_followup_sent_by, "letter")
        self.assertEqual(printed.payment_followup_received_date, date(2026, 2, 23))
        self.company.payment_followup_letter_days = 4
        printed.payment_followup_received_date = date(2026, 2, 25)  # the accountant knows it
        self.assertEqual(printed.payment_followup_received_date, date(2026, 2, 25))

    @freeze_time("2026-06-01")
    def test_thirty_days_after_due_date_and_receipt_in_the_claim_statement(self):
        """No reminder: a business is in default 30 days after the later of due date and
        receipt (§ 286(3) BGB); a consumer only when the invoice carried the notice."""
        business = self.claim_without_tax(self.unagreed)
        business.write({"payment_followup_received_date": date(2026, 2, 20)})
        consumer = self._make_customer("Erika Muster", "erika@muster.example", agreed=False)
        consumer.is_company = False
        private = self.claim_without_tax(consumer, amount=800.0)
        private.write({"payment_followup_received_date": date(2026, 2, 20)})
        starts = {}
        for partner in (self.unagreed, consumer):
            partner.action_payment_followup_hand_over()
            case = self.env["payment.followup.collection"].search([("partner_id", "=", partner.id)])
            (claim,) = case._claim_statement()["claims"]
            starts[partner] = claim["interest_from"]
        # Due on 2 March, received before: the 30th day is Wednesday 1 April, default from 2 April.
        self.assertEqual(starts[self.unagreed], date(2026, 4, 2))
        self.assertIsNone(starts[consumer], "no § 286(3) notice on the consumer's invoice")
        case = self.env["payment.followup.collection"].search([("partner_id", "=", consumer.id)])
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        text = self.render_pdf("payment_followup_ext.action_report_collection_statement", case)
        self.assertIn("noch nicht in Verzug", text)
        private.payment_followup_notice_printed = True
        (claim,) = case._claim_statement()["claims"]
        self.assertEqual(claim["interest_from"], date(2026, 4, 2))
