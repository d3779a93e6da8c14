"""Hand-over to collection: the case, its claim statement (PDF, CSV) and the paused items."""

import csv
import io
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DUE, FollowupCase


@tagged("post_install", "-at_install")
class TestFollowupCollection(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {"name": "Inkasso Nord GmbH", "is_company": True}
        )
        cls.first.write({"fee_type": "fixed", "fee_fixed": 5.0, "charge_interest": True})
        cls.second.write(
            {
                "fee_type": "fixed",
                "fee_fixed": 5.0,
                "charge_interest": True,
                "charge_flat_fee": True,
                "hand_over_collection": True,
                "collection_agency_id": cls.agency.id,
            }
        )

    def claim(self, amount=10000.0):
        return self.claim_without_tax(amount=amount)

    def hand_over(self):
        for days in (3, 14):
            self.run_followup(DUE + timedelta(days=days))
        return self.run_followup(DUE + timedelta(days=28))

    def test_level_hands_over_with_a_statement_equal_to_the_letter(self):
        invoice = self.claim()
        step = self.hand_over()
        case = step.collection_id
        self.assertTrue(case, "the level opened a collection case")
        self.assertEqual(
            (case.state, case.agency_id, case.history_id), ("handed_over", self.agency, step)
        )
        self.assertIn(invoice, case.item_ids.move_id)
        self.assertIn(step.charge_move_id, case.item_ids.move_id)
        # The letter of the step: its items plus the fees and interest it charged.
        self.assertAlmostEqual(case.amount_total, step.amount_total, places=2)
        self.assertAlmostEqual(case.amount_principal, 10000.0, places=2)
        statement = case._claim_statement()
        kinds = sorted(statement["charges"].mapped("kind"))
        # The first notice's fee document is listed and handed over with the claim.
        # The fees (5 + 5) are credited against the flat fee (§ 288(5) sentence 3 BGB).
        self.assertEqual(
            kinds, ["fee", "fee", "flat_fee", "flat_fee_credit", "interest", "interest"]
        )
        credit = statement["charges"].filtered(lambda charge: charge.kind == "flat_fee_credit")
        self.assertEqual(credit.amount, -10.0)
        text = self.render_pdf("payment_followup_ext.action_report_collection_statement", case)
        self.assertIn(invoice.name, text)
        total = f"{case.amount_total:,.2f}"  # 10,128.78 or, German, 10.128,78
        german = total.replace(",", " ").replace(".", ",").replace(" ", ".")
        self.assertTrue(total in text or german in text, text)
        rows = list(
            csv.reader(io.StringIO(case._statement_csv().decode("utf-8-sig")), delimiter=";")
        )
        self.assertEqual(rows[0][0], "Case")
        self.assertEqual(rows[1][6:8], ["Principal", invoice.name])
        self.assertEqual(rows[1][10], "2026-03-03", "interest from the day after the due date")
        interest = [row for row in rows if row[6] == "Late Interest"]
        self.assertEqual(interest[0][12], "10.27")
        credited = [row for row in rows if row[6] == "Credited against the Flat Fee"]
        self.assertEqual(credited[0][13], "-10.00")
        self.assertEqual(rows[-1][6], "Total")
        self.assertEqual(float(rows[-1][13]), round(case.amount_total, 2))

    def test_handed_over_items_get_no_reminder_until_withdrawn(self):
        self.claim()
        case = self.hand_over().collection_id
        self.second.hand_over_collection = False
        self.last.manual_review = False
        self.assertFalse(self.run_followup(DUE + timedelta(days=45)))
        case.action_withdraw()
        self.assertEqual(case.state, "withdrawn")
        step = self.run_followup(DUE + timedelta(days=45))
        self.assertEqual(step.level_id, self.last, "withdrawn: the follow-up goes on")
        with self.assertRaisesRegex(UserError, "closed already"):
            case.action_paid()

    def test_manual_hand_over_from_the_customer_list(self):
        invoice = self.claim()
        action = self.customer.action_payment_followup_hand_over()
        case = self.env["payment.followup.collection"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(case.item_ids.move_id, invoice)
        self.assertEqual(action["res_model"], "payment.followup.collection")
        other = self._make_customer("Nichts Offen AG")
        with self.assertRaisesRegex(UserError, "no overdue items"):
            other.action_payment_followup_hand_over()

    @freeze_time("2026-06-01")
    def test_statement_interest_starts_after_a_holiday_due_date(self):
        # 1 May 2026 is a Friday and Labour Day: due on Monday 4 May (§ 193 BGB), in default
        # from Tuesday 5 May, as the charges count it.
        self.claim_without_tax(amount=1000.0, due=date(2026, 5, 1))
        self.customer.action_payment_followup_hand_over()
        case = self.env["payment.followup.collection"].search(
            [("partner_id", "=", self.customer.id)]
        )
        (claim,) = case._claim_statement()["claims"]
        self.assertEqual(claim["interest_from"], date(2026, 5, 5))

    def hand_over_by_hand(self):
        self.customer.action_payment_followup_hand_over()
        return self.env["payment.followup.collection"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "handed_over")]
        )

    def test_writing_off_books_the_bad_debt_with_the_vat_corrected(self):
        invoice = self.invoice(amount=1000.0)  # 19 % VAT: 1,190.00
        self.assertAlmostEqual(invoice.amount_total, 1190.0)
        with freeze_time(DUE + timedelta(days=60)):
            case = self.hand_over_by_hand()
            with self.assertRaisesRegex(UserError, "Only accounting managers"):
                case.with_user(self.accountant).action_written_off()
            case.action_written_off()
        self.assertEqual(case.state, "written_off")
        entry = case.write_off_move_ids
        self.assertEqual(
            (entry.state, entry.move_type, entry.journal_id.type), ("posted", "entry", "general")
        )
        self.assertEqual(
            sorted(
                (line.account_id.code, line.debit, line.credit, line.tax_ids.mapped("amount"))
                for line in entry.line_ids
            ),
            [
                ("1410", 0.0, 1190.0, []),  # the receivable, reconciled with the invoice
                ("1776", 190.0, 0.0, []),  # Umsatzsteuer 19 %, corrected (§ 17 UStG)
                ("2400", 1000.0, 0.0, [19.0]),  # Forderungsverluste
            ],
        )
        vat = entry.line_ids.filtered("tax_repartition_line_id")
        self.assertEqual(vat.tax_repartition_line_id.document_type, "refund")
        self.assertTrue(vat.tax_tag_ids, "the correction reaches the VAT return")
        self.assertTrue(
            entry.line_ids.filtered(lambda line: line.account_id.code == "2400").tax_tag_ids
        )
        self.assertEqual(invoice.payment_state, "paid")
        self.assertFalse(
            self.run_followup(DUE + timedelta(days=90)), "written off: no reminder ever again"
        )

    def test_a_partly_paid_invoice_and_its_fee_document_are_written_off_in_proportion(self):
        invoice = self.invoice(amount=1000.0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 595.0, "payment_date": DUE})._create_payments()
        case = self.hand_over().collection_id  # the levels charged fees and interest
        fees = case.item_ids.filtered(lambda line: line.move_id != invoice)
        self.assertTrue(fees, "the fee and interest documents are part of the claim")
        fee_total = sum(fees.mapped("amount_residual"))
        case.action_written_off()
        by_document = {
            move.ref: sorted(
                (line.account_id.code, line.debit, line.credit) for line in move.line_ids
            )
            for move in case.write_off_move_ids
        }
        self.assertEqual(
            by_document[f"Bad debt {invoice.name}, collection case {case.name}"],
            [("1410", 0.0, 595.0), ("1776", 95.0, 0.0), ("2400", 500.0, 0.0)],
        )
        charged = [entries for ref, entries in by_document.items() if invoice.name not in ref]
        self.assertAlmostEqual(
            sum(debit for entries in charged for code, debit, _credit in entries if code == "2400"),
            fee_total,
        )
        self.assertFalse(
            [code for entries in charged for code, _d, _c in entries if code == "1776"],
            "fees and interest carry no VAT",
        )
        self.assertFalse(case.item_ids.filtered(lambda line: not line.reconciled))
