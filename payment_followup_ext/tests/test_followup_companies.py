"""Companies stay apart: record rules on every model, a suspension per company, and notes about
one company's claims where the other companies' users cannot read them."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DUE, FollowupCase


@tagged("post_install", "-at_install")
class TestCompaniesApart(FollowupCase):
    with_other_company = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.company_data_2["company"]
        cls.other_user = new_test_user(
            cls.env,
            login="pfx_other_company",
            name="Otto Anderfirma",
            groups="account.group_account_manager",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        # A contact both companies share (no company of its own).
        cls.shared = cls._make_customer("Geteilt GmbH", "ap@geteilt.example", company_id=False)
        # A contact of the first company.
        cls.own = cls._make_customer("Eigen GmbH", "ap@eigen.example", company_id=cls.company.id)

    @freeze_time(DUE + timedelta(days=30))
    def test_another_company_cannot_read_plans_or_their_instalments(self):
        self.invoice(partner=self.shared, amount=900.0, taxed=False)
        wizard = self.env["payment.followup.plan.wizard"].create(
            {"partner_id": self.shared.id, "count": 3}
        )
        plan = self.env["payment.followup.plan"].browse(wizard.action_create()["res_id"])
        lines = plan.line_ids
        self.assertEqual(len(lines), 3)
        other = self.env(user=self.other_user)
        self.assertFalse(other["payment.followup.plan.line"].search([("id", "in", lines.ids)]))
        self.assertFalse(other["payment.followup.plan"].search([("id", "=", plan.id)]))
        with self.assertRaises(AccessError):
            other["payment.followup.plan.line"].browse(lines.ids).read(["amount"])
        self.assertEqual(lines.company_id, self.company)

    def test_a_suspension_holds_in_its_company_only(self):
        self.shared.with_company(self.company)._payment_followup_suspend("Rechnungen offen")
        self.assertTrue(self.shared._payment_followup_is_suspended(self.company))
        self.assertFalse(self.shared._payment_followup_is_suspended(self.other_company))
        self.assertFalse(self.shared.with_company(self.other_company).payment_followup_suspended)
        invoice = self.invoice(partner=self.shared, post=False)
        self.assertTrue(invoice.payment_followup_partner_suspended)
        other_invoice = (
            self.env["account.move"]
            .with_company(self.other_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.shared.id,
                    "invoice_line_ids": [Command.create({"name": "X", "price_unit": 10.0})],
                }
            )
        )
        self.assertFalse(
            other_invoice.payment_followup_partner_suspended,
            "the other company serves the customer",
        )
        self.shared.with_company(self.company)._payment_followup_lift("bezahlt")
        self.assertFalse(self.shared._payment_followup_is_suspended(self.company))

    def _partner_notes(self, partner):
        return self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def test_notes_about_a_shared_contact_stay_in_the_company(self):
        self.invoice(partner=self.shared, amount=800.0)
        before = self._partner_notes(self.shared)
        step = self.run_followup(DUE + timedelta(days=3), partners=self.shared)
        self.assertTrue(step.mail_id)
        self.shared.with_company(self.company)._payment_followup_suspend("Rechnungen offen")
        self.assertEqual(
            self._partner_notes(self.shared), before, "nothing on the contact both companies read"
        )
        row = self.env["payment.followup.status"].search(
            [("partner_id", "=", self.shared.id), ("company_id", "=", self.company.id)]
        )
        bodies = " ".join(row.message_ids.mapped("body"))
        self.assertIn("Rechnungen offen", bodies)
        self.assertEqual(
            (step.mail_id.model, step.mail_id.res_id), (row._name, row.id), "the email as well"
        )
        other = self.env(user=self.other_user)
        self.assertFalse(
            other["mail.message"].search([("id", "in", row.message_ids.ids)]),
            "the other company's users read none of it",
        )
        # The row keeps its notes when nothing is open any more.
        self.env["account.move.line"].search(
            [("partner_id", "=", self.shared.id), ("reconciled", "=", False)]
        ).move_id.button_draft()
        self.env["payment.followup.run"]._process(self.company, DUE + timedelta(days=4))
        self.assertTrue(row.exists())
        self.assertEqual(row.reason, "nothing_open")

    def test_notes_about_a_contact_of_the_company_stay_on_it(self):
        self.invoice(partner=self.own, amount=800.0)
        step = self.run_followup(DUE + timedelta(days=3), partners=self.own)
        self.assertEqual((step.mail_id.model, step.mail_id.res_id), ("res.partner", self.own.id))
        self.own._payment_followup_suspend("Rechnungen offen")
        self.assertIn("Rechnungen offen", " ".join(self._partner_notes(self.own).mapped("body")))

    def test_a_wizard_on_records_the_user_cannot_see_says_so(self):
        """A user of the other company opens the wizards on a contact of the first company
        (ids sent over RPC): nothing is done, and the wizard says why."""
        other = self.env(user=self.other_user)
        invoice = self.invoice(partner=self.own)
        context = {"default_partner_ids": [Command.set(self.own.ids)]}
        postpone = (
            other["payment.followup.postpone.wizard"]
            .with_context(**context)
            .create({"date": fields.Date.today() + timedelta(days=30)})
        )
        with self.assertRaisesRegex(AccessError, "nicht sichtbar|not visible"):
            postpone.with_context(lang="de_DE").action_postpone()
        self.assertFalse(self.own.with_company(self.company).payment_followup_postponed_until)
        promise = (
            other["payment.followup.promise.wizard"]
            .with_context(**context)
            .create({"date": DUE + timedelta(days=30)})
        )
        with self.assertRaisesRegex(AccessError, "not visible"):
            promise.action_confirm()
        dispute = (
            other["payment.followup.dispute.wizard"]
            .with_context(default_move_ids=[Command.set(invoice.ids)])
            .create({"reason": "quality"})
        )
        with self.assertRaisesRegex(AccessError, "not visible"):
            dispute.action_confirm()
        self.assertFalse(
            self.env["payment.followup.dispute"].search([("move_id", "=", invoice.id)])
        )
