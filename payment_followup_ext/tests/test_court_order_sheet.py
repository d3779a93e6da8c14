"""The court dunning order data sheet (Mahnantrag): from a collection case and from a customer,
its figures those of the claim statement, as PDF and CSV."""

import csv
import io
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import DUE, FollowupCase


@tagged("post_install", "-at_install")
class TestCourtOrderSheet(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the ladder of the collection tests: fees, interest, flat fee, hand-over
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
        cls.company.partner_id.write({"street": "Hafenstraße 1", "zip": "20457", "city": "Hamburg"})
        cls.customer.write({"street": "Marktplatz 3", "zip": "28195", "city": "Bremen"})

    def claim(self, amount=10000.0):
        return self.claim_without_tax(amount=amount)

    def hand_over(self):
        for days in (3, 14):
            self.run_followup(DUE + timedelta(days=days))
        return self.run_followup(DUE + timedelta(days=28))

    def csv_rows(self, raw):
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))

    def test_sheet_of_a_case_has_the_figures_of_the_claim_statement(self):
        invoice = self.claim()
        case = self.hand_over().collection_id
        statement = case._claim_statement()
        sheet = case._court_sheet()
        self.assertEqual(sheet["applicant"]["name"], self.company.name)
        self.assertEqual(sheet["applicant"]["city"], "Hamburg")
        self.assertEqual(
            (sheet["respondent"]["name"], sheet["respondent"]["consumer"]),
            (
                "Kunde Eins GmbH",
                False,
            ),
        )
        [claim] = sheet["claims"]
        self.assertEqual(claim["catalogue"], "11")
        self.assertEqual(claim["amount"], 10000.0)
        self.assertEqual(
            claim["description"],
            f"Invoice {invoice.name} of {format_date(self.env, invoice.invoice_date)}",
        )
        interest = statement["charges"].filtered(lambda charge: charge.kind == "interest")
        last_day = max(interest.mapped("date_to"))
        self.assertEqual(
            claim["interest"],
            {"kind": "base_rate", "points": 9, "from": last_day + timedelta(days=1)},
        )
        self.assertEqual(
            claim["interest_text"],
            "9 percentage points above the base rate since "
            + format_date(self.env, last_day + timedelta(days=1)),
        )
        self.assertEqual(sheet["interest_period"], (min(interest.mapped("date_from")), last_day))
        self.assertAlmostEqual(sheet["interest_amount"], sum(interest.mapped("amount")), places=2)
        # fees 5 + 5 are credited against the flat fee of 40: 40 - 10 = 30 (§ 288(5) BGB)
        self.assertEqual((sheet["fees"], sheet["flat_fee"]), (10.0, 30.0))
        self.assertAlmostEqual(sheet["principal"], statement["principal_open"], places=2)
        self.assertAlmostEqual(sheet["total"], statement["total"], places=2)
        self.assertAlmostEqual(sheet["total"], case.amount_total, places=2)

    def test_payment_on_the_costs_is_taken_off_as_the_statement_allocates_it(self):
        self.claim()
        case = self.hand_over().collection_id
        charge_document = case.item_ids.move_id.filtered(
            lambda move: move._payment_followup_is_charge()
        )[:1]
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=charge_document.ids
        ).create({"payment_date": DUE + timedelta(days=30), "amount": 12.0})._create_payments()
        statement = case._claim_statement()
        sheet = case._court_sheet()
        self.assertEqual(statement["paid_costs"], 12.0)
        self.assertEqual((sheet["fees"], sheet["flat_fee"]), (0.0, 28.0))
        self.assertAlmostEqual(sheet["total"], statement["total"], places=2)

    def test_sheet_as_csv_and_pdf(self):
        invoice = self.claim()
        case = self.hand_over().collection_id
        case.court_claim_type = "5"
        case.court_other_costs = 45.0
        rows = self.csv_rows(case._court_sheet_csv())
        self.assertEqual(rows[0], ["Section", "Field", "Value"])
        values = {(row[0], row[1]): row[2] for row in rows[1:]}
        self.assertEqual(values[("Applicant", "City")], "Hamburg")
        self.assertEqual(values[("Respondent", "Consumer")], "no")
        self.assertEqual(values[("Main claim 1", "Catalogue No.")], "5")
        self.assertIn(invoice.name, values[("Main claim 1", "Invoice")])
        self.assertEqual(values[("Main claim 1", "Amount")], "10000.00")
        self.assertEqual(values[("Main claim 1", "Percentage Points above Base Rate")], "9")
        self.assertEqual(values[("Costs", "Flat Fee (§ 288(5) BGB)")], "30.00")
        self.assertEqual(values[("Costs", "Other Costs")], "45.00")
        self.assertEqual(values[("Total", "Total")], f"{case.amount_total + 45.0:.2f}")
        action = case.action_export_court_csv()
        self.assertIn("/web/content/", action["url"])
        text = self.render_pdf("payment_followup_ext.action_report_court_order_case", case)
        self.assertIn("Court dunning order data sheet", text)
        self.assertIn(invoice.name, text)
        self.assertIn("9 percentage points above the base rate since", text)
        self.assertIn("Service contract (Dienstleistungsvertrag)", text)

    def test_sheet_of_a_customer_without_a_case(self):
        invoice = self.claim(amount=800.0)
        self.claim_without_tax(amount=200.0, due=date(2099, 1, 1))  # not due: not claimed
        with freeze_time(DUE), self.assertRaisesRegex(UserError, "owes nothing"):
            self.customer._payment_followup_court_sheet()
        with freeze_time(DUE + timedelta(days=40)):
            sheet = self.customer._payment_followup_court_sheet()
            statement = self.customer._payment_followup_court_case()._claim_statement()
            [claim] = sheet["claims"]
            self.assertEqual(claim["invoice"], invoice.name)
            self.assertEqual(claim["amount"], 800.0)
            self.assertEqual(claim["interest"]["from"], DUE + timedelta(days=1))
            self.assertAlmostEqual(sheet["total"], statement["total"], places=2)
            self.assertAlmostEqual(sheet["total"], 800.0, places=2)
            self.assertFalse(self.env["payment.followup.collection"].search([]), "none saved")
            rows = self.csv_rows(self.customer._payment_followup_court_case()._court_sheet_csv())
            self.assertIn(["Main claim 1", "Amount", "800.00"], rows)
            text = self.render_pdf(
                "payment_followup_ext.action_report_court_order_partner", self.customer
            )
            self.assertIn(invoice.name, text)
            self.assertIn("Kunde Eins GmbH", text)

    def test_applicant_without_address_is_refused(self):
        self.claim()
        case = self.hand_over().collection_id
        self.company.partner_id.street = False
        with self.assertRaisesRegex(UserError, "needs the applicant's address"):
            case.action_print_court_sheet()
