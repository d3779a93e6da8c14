"""Browser tours in headless Chromium."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_base_rate_tour(self):
        """A manager opens the base rates from the menu and enters a new half-year's rate."""
        self.start_tour("/web", "payment_followup_base_rate_tour", login="admin")
        rate = self.env["payment.followup.base.rate"].search([("date_from", "=", date(2040, 7, 1))])
        self.assertEqual(rate.rate, -0.5)

    def test_followup_tour(self):
        """An accountant opens the worklist, previews and sends a reminder, prints the letter."""
        admin = self.env.ref("base.user_admin")
        company = self.env.company
        self.assertEqual(admin.company_id, company, "the tour user works in the test company")
        if not company.chart_template:
            self.env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
        # Odoo 18 asks for the document layout before a company's first printed report.
        company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        today = fields.Date.context_today(admin)
        template = self.env["mail.template"].create(
            {
                "name": "Tour reminder",
                "model_id": self.env["ir.model"]._get_id("payment.followup.history"),
                "subject": "Payment reminder for {{ object.partner_id.name }}",
                "body_html": "<p>Dear <t t-out='object.partner_id.name'/>, "
                "please pay <t t-out='object.amount_due'/>.</p>",
            }
        )
        policy = self.env["payment.followup.policy"].create(
            {
                "name": "Tour Policy",
                "company_id": company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Tour Reminder",
                            "offset_days": 10,
                            "send_email": True,
                            "mail_template_id": template.id,
                            "send_letter": True,
                        }
                    )
                ],
            }
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Customer GmbH",
                "is_company": True,
                "email": "tour@customer.example",
                "company_id": company.id,
            }
        )
        partner.with_company(company).payment_followup_policy_id = policy
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=20),
                    "invoice_date_due": today - timedelta(days=20),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Tour service",
                                "quantity": 1,
                                "price_unit": 1000.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, today - timedelta(days=20))

        self.start_tour("/web", "payment_followup_tour", login="admin")

        self.env.invalidate_all()
        history = self.env["payment.followup.history"].search([("partner_id", "=", partner.id)])
        self.assertEqual(history.level_id, policy.level_ids)
        self.assertEqual(history.amount_due, 1000.0)
        self.assertEqual(history.letter_state, "printed")
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        self.assertEqual(len(mail), 1, "one reminder email queued for the customer")
        self.assertEqual(mail.recipient_ids, partner)
        self.assertEqual(history.mail_id, mail)
        self.assertIn("Tour Customer GmbH", mail.subject)

    def test_payment_followup_plan_tour(self):
        """An accountant sets up a payment plan from the worklist and prints the agreement."""
        company = self.env.company
        if not company.chart_template:
            self.env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
        # Odoo 18 asks for the document layout before a company's first printed report.
        company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        today = fields.Date.context_today(self.env.ref("base.user_admin"))
        template = self.env["mail.template"].create(
            {
                "name": "Plan tour reminder",
                "model_id": self.env["ir.model"]._get_id("payment.followup.history"),
                "subject": "Reminder",
                "body_html": "<p>Please pay.</p>",
            }
        )
        policy = self.env["payment.followup.policy"].create(
            {
                "name": "Plan Tour Policy",
                "company_id": company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Plan Tour Reminder",
                            "offset_days": 10,
                            "send_email": True,
                            "mail_template_id": template.id,
                        }
                    )
                ],
            }
        )
        partner = self.env["res.partner"].create(
            {"name": "Plan Tour Kunde GmbH", "is_company": True, "email": "plan@kunde.example"}
        )
        partner.with_company(company).payment_followup_policy_id = policy
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=30),
                "invoice_date_due": today - timedelta(days=30),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Wartung", "price_unit": 1200.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        invoice.action_post()

        self.start_tour("/web", "payment_followup_plan_tour", login="admin")

        self.env.invalidate_all()
        plan = self.env["payment.followup.plan"].search([("partner_id", "=", partner.id)])
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.line_ids.mapped("amount"), [600.0, 600.0])
        self.assertEqual(plan.item_ids.move_id, invoice)
        self.assertIn("agreement printed", " ".join(plan.message_ids.mapped("body")))
