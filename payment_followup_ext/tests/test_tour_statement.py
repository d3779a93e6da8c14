"""Browser tour: statements of account printed from the worklist."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_actions_report import IrActionsReport


@tagged("post_install", "-at_install")
class TestTourStatement(HttpCase):
    def test_statement_tour(self):
        """An accountant selects two customers on the worklist and prints their statements of
        account, overdue items only; the row of the customer whose dunning contact has no
        email address warns about it."""
        company = self.env.company
        if not company.chart_template:
            self.env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
        # Odoo 18 asks for the document layout before a company's first printed report.
        company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        today = fields.Date.context_today(self.env.ref("base.user_admin"))
        template = self.env["mail.template"].create(
            {
                "name": "Statement tour reminder",
                "model_id": self.env["ir.model"]._get_id("payment.followup.history"),
                "subject": "Reminder",
                "body_html": "<p>Please pay.</p>",
            }
        )
        policy = self.env["payment.followup.policy"].create(
            {
                "name": "Statement Tour Policy",
                "company_id": company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Statement Tour Reminder",
                            "offset_days": 10,
                            "send_email": True,
                            "mail_template_id": template.id,
                        }
                    )
                ],
            }
        )
        customers = self.env["res.partner"].create(
            [
                {"name": "Statement Tour GmbH", "is_company": True, "email": "a@tour.example"},
                {"name": "Statement Tour Zwei KG", "is_company": True, "email": "b@tour.example"},
            ]
        )
        self.env["res.partner"].create(
            {"name": "Frau Ohnemail", "type": "payment_followup", "parent_id": customers[1].id}
        )
        for customer, amount in zip(customers, (700.0, 300.0), strict=True):
            customer.with_company(company).payment_followup_policy_id = policy
            for due, price in (
                (today - timedelta(days=40), amount),
                (today + timedelta(days=20), 50.0),
            ):
                invoice = self.env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": today - timedelta(days=45),
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Wartung",
                                    "price_unit": price,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
                invoice.action_post()

        # Chromium downloads nothing under tests: the web client shows the report as HTML when
        # it finds wkhtmltopdf unusable (the PDF itself: test_followup_statement).
        with patch.object(IrActionsReport, "get_wkhtmltopdf_state", return_value="broken"):
            self.start_tour("/web", "payment_followup_statement_tour", login="admin")

        wizard = self.env["payment.followup.statement.wizard"].search([], order="id desc", limit=1)
        self.assertEqual(wizard.partner_ids, customers)
        self.assertTrue(wizard.overdue_only)
        action = wizard.action_print()
        self.assertEqual(action["data"], {"overdue_only": True})
        self.assertEqual(action["context"]["active_ids"], customers.ids)
        # As the web client prints it: the ids in the data's context, not in the URL.
        data = {**action["data"], "context": action["context"]}
        statements = self.env[
            "report.payment_followup_ext.report_followup_statement"
        ]._get_report_values(None, data)["statements"]
        # Only the invoices 40 days overdue: the ones due in 20 days are left out.
        self.assertEqual([statements[c.id]["balance"] for c in customers], [700.0, 300.0])
