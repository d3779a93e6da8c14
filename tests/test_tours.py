"""Browser tours in headless Chromium."""

from datetime import date

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_base_rate_tour(self):
        """A manager opens the base rates from the menu and enters a new half-year's rate."""
        self.start_tour("/web", "payment_followup_base_rate_tour", login="admin")
        rate = self.env["payment.followup.base.rate"].search([("date_from", "=", date(2040, 7, 1))])
        self.assertEqual(rate.rate, -0.5)
