"""Shared set-up of the Odoo tests: a German company with a follow-up ladder and customers."""

from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

DUE = date(2026, 3, 2)  # a Monday


class FollowupCase(AccountTestInvoicingCommon):
    # Odoo 18 makes the second company (``company_data_2``) only for the tests that ask for it.
    with_other_company = False

    @classmethod
    @AccountTestInvoicingCommon.setup_country("de")
    @AccountTestInvoicingCommon.setup_chart_template("de_skr03")
    def setUpClass(cls):
        super().setUpClass()
        if cls.with_other_company:
            cls.company_data_2 = cls.setup_other_company()
        cls.company = cls.company_data["company"]
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.user.company_id = cls.company
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.template = cls._make_template("Reminder")
        cls.policy = cls.env["payment.followup.policy"].create(
            {
                "name": "Standard B2B",
                "company_id": cls.company.id,
                "is_default": True,
                "level_ids": [
                    Command.create(cls._level_vals("Payment reminder", -3)),
                    Command.create(cls._level_vals("Friendly reminder", 3)),
                    Command.create(
                        cls._level_vals("First notice", 14, send_letter=True, interval=7)
                    ),
                    Command.create(
                        cls._level_vals(
                            "Second notice",
                            28,
                            interval=7,
                            min_amount=100,
                            schedule_activity=True,
                            activity_type_id=cls.env.ref("mail.mail_activity_data_call").id,
                            activity_deadline_days=2,
                        )
                    ),
                    Command.create(
                        cls._level_vals(
                            "Final notice",
                            42,
                            interval=7,
                            min_amount=100,
                            manual_review=True,
                            send_letter=True,
                        )
                    ),
                ],
            }
        )
        cls.pre_due, cls.friendly, cls.first, cls.second, cls.last = cls.policy.level_ids
        cls.customer = cls._make_customer("Kunde Eins GmbH", "buchhaltung@kunde-eins.example")
        cls.accountant = new_test_user(
            cls.env,
            login="pfx_accountant",
            name="Erika Buchhalterin",
            email="erika@example.com",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _make_template(cls, subject):
        return cls.env["mail.template"].create(
            {
                "name": f"Follow-up {subject}",
                "model_id": cls.env["ir.model"]._get_id("payment.followup.history"),
                "subject": f"{subject} {{{{ object.partner_id.name }}}}",
                "lang": "{{ object.recipient_id.lang }}",
                "body_html": (
                    '<p>Level <t t-out="object.level_id.name"/></p>'
                    '<ul><li t-foreach="object.line_ids" t-as="line">'
                    '<t t-out="line.move_id.name"/></li></ul>'
                ),
            }
        )

    @classmethod
    def _level_vals(cls, name, offset, interval=0, min_amount=0, **values):
        return {
            "name": name,
            "offset_days": offset,
            "min_days_since_previous": interval,
            "min_amount": min_amount,
            "send_email": True,
            "mail_template_id": cls.template.id,
            **values,
        }

    @classmethod
    def _make_customer(cls, name, email=False, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "email": email, "lang": "de_DE", **values}
        )

    def invoice(self, partner=None, amount=500.0, due=DUE, post=True, taxed=True):
        """A customer invoice due on ``due``; with ``taxed``, the company's default sales tax."""
        line = {"name": "Wartung", "quantity": 1, "price_unit": amount}
        if not taxed:
            line["tax_ids"] = [Command.clear()]
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        if post:
            move.action_post()
        return move

    def claim_without_tax(self, partner=None, amount=10000.0, due=DUE):
        """A posted invoice without tax: the claim is exactly ``amount``."""
        return self.invoice(partner, amount, due, taxed=False)

    def run_followup(self, today, partners=None, manual=False, company=None):
        Status = self.env["payment.followup.status"]
        return Status._process(
            company or self.company,
            today,
            partner_ids=partners.ids if partners else None,
            manual=manual,
        )

    def histories(self, partner=None):
        return self.env["payment.followup.history"].search(
            [("partner_id", "=", (partner or self.customer).id)], order="date, id"
        )

    def mails(self, partner=None):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", (partner or self.customer).id)],
            order="id",
        )
