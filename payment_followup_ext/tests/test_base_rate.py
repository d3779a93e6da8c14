"""The base-rate table installed with the add-on, used through the ORM."""

from datetime import date
from decimal import Decimal

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestBaseRate(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("de")
    @AccountTestInvoicingCommon.setup_chart_template("de_skr03")
    def setUpClass(cls):
        super().setUpClass()
        cls.BaseRate = cls.env["payment.followup.base.rate"]
        cls.accountant = new_test_user(
            cls.env,
            login="pfx_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company_data["company"].id,
        )

    def test_shipped_table_has_every_half_year_since_2002(self):
        table = self.BaseRate._get_rate_table()
        self.assertEqual(table[0], (date(2002, 1, 1), Decimal("2.57")))
        self.assertEqual(len(table), 49)
        self.assertEqual(table[-1][0], date(2026, 1, 1))
        self.assertEqual(self.BaseRate._get_rate_on(date(2015, 3, 1)), Decimal("-0.83"))
        self.assertEqual(self.BaseRate._get_rate_on(date(2023, 12, 31)), Decimal("3.12"))

    def test_missing_half_year_is_named_in_the_error(self):
        with self.assertRaisesRegex(UserError, "2nd half-year 2026"):
            self.BaseRate._get_rate_on(date(2026, 7, 1))
        self.BaseRate.create({"date_from": "2026-07-01", "rate": 1.5})
        self.assertEqual(self.BaseRate._get_rate_on(date(2026, 11, 25)), Decimal("1.50"))

    def test_rate_valid_only_from_1_january_or_1_july(self):
        with self.assertRaisesRegex(ValidationError, "1 January and 1 July"), self.cr.savepoint():
            self.BaseRate.create({"date_from": "2030-03-01", "rate": 2.0})
        self.assertFalse(self.BaseRate.search([("date_from", ">=", "2030-01-01")]))

    @mute_logger("odoo.sql_db")
    def test_one_rate_per_half_year(self):
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint():
            self.BaseRate.create({"date_from": "2025-07-01", "rate": 9.0})

    def test_accountant_reads_but_does_not_change_rates(self):
        rates = self.BaseRate.with_user(self.accountant)
        self.assertEqual(rates._get_rate_on(date(2025, 8, 1)), Decimal("1.27"))
        self.assertEqual(rates.search_count([]), 49)
        with self.assertRaises(AccessError):
            rates.create({"date_from": "2026-07-01", "rate": 1.5})
        with self.assertRaises(AccessError):
            rates.search([], limit=1).write({"rate": 5.0})
