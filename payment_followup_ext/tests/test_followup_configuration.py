"""Configuration that cannot leak or mis-book: templates on the step model, policies of the
customer's company, amounts within sane bounds, every refusal in German."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DUE, FollowupCase


@tagged("post_install", "-at_install")
class TestConfiguration(FollowupCase):
    with_other_company = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env_de = cls.env(context=dict(cls.env.context, lang="de_DE"))

    def test_a_level_template_must_render_follow_up_steps(self):
        partner_template = self.env["mail.template"].create(
            {
                "name": "Partner data",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "{{ object.name }}",
                "body_html": "<p><t t-out='object.vat'/></p>",
            }
        )
        with self.assertRaisesRegex(ValidationError, "Mahnschritt"), self.cr.savepoint():
            self.friendly.with_env(self.env_de).mail_template_id = partner_template
        self.assertEqual(self.friendly.mail_template_id, self.template)
        # The template of a level cannot be turned into one of another model afterwards.
        with self.assertRaisesRegex(ValidationError, "Mahnstufen"), self.cr.savepoint():
            self.template.with_env(self.env_de).model_id = self.env["ir.model"]._get("res.partner")
        self.assertEqual(self.template.model, "payment.followup.history")

    def test_a_customer_follows_a_policy_of_the_company_it_is_followed_up_in(self):
        other_company = self.company_data_2["company"]
        both = self.env(
            context=dict(self.env.context, allowed_company_ids=[self.company.id, other_company.id])
        )
        foreign = both["payment.followup.policy"].create(
            {
                "name": "Policy of the other company",
                "company_id": other_company.id,
                "level_ids": [
                    Command.create(
                        self._level_vals(
                            "Reminder",
                            5,
                            send_email=False,
                            send_letter=True,
                            mail_template_id=False,
                        )
                    )
                ],
            }
        )
        with self.assertRaisesRegex(ValidationError, "gehört zu"), self.cr.savepoint():
            self.customer.with_env(self.env_de).with_company(
                self.company
            ).payment_followup_policy_id = foreign
        # In the other company, its own policy is fine.
        customer = self.customer.with_env(both)
        customer.with_company(other_company).payment_followup_policy_id = foreign
        self.assertEqual(customer.with_company(other_company).payment_followup_policy_id, foreign)
        self.assertFalse(self.customer.with_company(self.company).payment_followup_policy_id)

    def test_amounts_have_sane_bounds(self):
        with self.assertRaisesRegex(ValidationError, "negativ"), self.cr.savepoint():
            self.first.with_env(self.env_de).write({"fee_type": "fixed", "fee_fixed": -5.0})
        with self.assertRaisesRegex(ValidationError, "negativ|Kreditlimit"), self.cr.savepoint():
            self.env_de["payment.followup.credit.check"].create(
                {"partner_id": self.customer.id, "credit_limit": -1000.0}
            )
        with self.assertRaisesRegex(ValidationError, "Vorauskasse-Anteil"), self.cr.savepoint():
            self.company.with_env(self.env_de).payment_followup_prepayment_percent = 150
        with self.assertRaisesRegex(ValidationError, "Vorauskasse-Anteil"), self.cr.savepoint():
            self.customer.with_env(self.env_de).payment_followup_prepayment_percent = -1

    @freeze_time(DUE + timedelta(days=30))
    def test_a_payment_plan_has_sane_terms(self):
        invoice = self.invoice(amount=1000.0, taxed=False)
        Wizard = self.env_de["payment.followup.plan.wizard"]

        def wizard(**values):
            return Wizard.create({"partner_id": self.customer.id, **values})

        with self.assertRaisesRegex(UserError, "höchstens 120 Raten"), self.cr.savepoint():
            wizard(count=500).action_create()
        with self.assertRaisesRegex(UserError, "höchstens 120 Raten"), self.cr.savepoint():
            wizard(mode="amount", instalment_amount=0.5).action_create()
        with self.assertRaisesRegex(UserError, "Rate"), self.cr.savepoint():
            wizard(mode="amount", instalment_amount=-100).action_create()
        with self.assertRaisesRegex(ValidationError, "Karenztage"), self.cr.savepoint():
            wizard(grace_days=-3).action_create()
        with self.assertRaisesRegex(ValidationError, "Ratenplangebühr|Gebühr"), self.cr.savepoint():
            wizard(fee_amount=-50).action_create()
        self.assertFalse(
            self.env["payment.followup.plan"].search([("partner_id", "=", self.customer.id)]),
            "nothing half-written",
        )
        # A plan made by hand cannot cover more than its items have open.
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        with (
            self.assertRaisesRegex(ValidationError, "nicht mehr als geschuldet"),
            self.cr.savepoint(),
        ):
            self.env_de["payment.followup.plan"].create(
                {
                    "partner_id": self.customer.id,
                    "item_ids": [Command.set(receivable.ids)],
                    "amount_items": 5000.0,
                    "line_ids": [
                        Command.create({"date": DUE + timedelta(days=40), "amount": 5000.0})
                    ],
                }
            )
        plan = wizard(count=4).action_create()
        plan = self.env["payment.followup.plan"].browse(plan["res_id"])
        self.assertEqual(plan.amount_total, 1000.0)
        self.assertEqual(len(plan.line_ids), 4)
