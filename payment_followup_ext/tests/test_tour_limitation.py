"""Browser tour of the limitation monitor: an acknowledgement recorded on an invoice."""

from datetime import date

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTourLimitation(HttpCase):
    def test_limitation_tour(self):
        """An accountant records the customer's acknowledgement of an invoice due in 2023: the
        claim is time-barred three years after that day instead of on 31 December 2026."""
        company = self.env.company
        if not company.chart_template:
            self.env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
        today = fields.Date.context_today(self.env.ref("base.user_admin"))
        partner = self.env["res.partner"].create(
            {"name": "Verjährung Tour GmbH", "is_company": True, "company_id": company.id}
        )
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": date(2023, 5, 15),
                    "invoice_date_due": date(2023, 5, 15),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Tour service",
                                "quantity": 1,
                                "price_unit": 700.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(invoice.payment_followup_limitation_date, date(2026, 12, 31))

        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "payment_followup_limitation_tour",
            login="admin",
        )

        self.env.invalidate_all()
        self.assertEqual(invoice.payment_followup_acknowledged_on, today)
        self.assertEqual(
            invoice.payment_followup_acknowledgement_note, "Saldenbestätigung unterschrieben"
        )
        self.assertEqual(
            invoice.payment_followup_limitation_date, today.replace(year=today.year + 3)
        )
