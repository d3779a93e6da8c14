"""Rights that match the roles: billing users operate the follow-up through its actions, managers
approve credit and write off; nobody forges money by writing a field."""

from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DUE, FollowupCase


@tagged("post_install", "-at_install")
class TestRoles(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first.write({"fee_type": "fixed", "fee_fixed": 5.0, "send_letter": True})
        company = [Command.set(cls.company.ids)]
        # Neither has "Contact Creation" (base.group_partner_manager): the follow-up's actions
        # must not need the right to edit contacts.
        cls.billing = cls.accountant
        cls.manager = new_test_user(
            cls.env,
            login="pfx_manager",
            name="Max Leiter",
            email="max@example.com",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=company,
        )
        cls.billing_contacts = new_test_user(
            cls.env,
            login="pfx_billing_contacts",
            name="Clara Kontakte",
            groups="account.group_account_invoice,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=company,
        )
        for user in (cls.billing, cls.manager):
            assert not user.has_group("base.group_partner_manager")

    def step_with_fee(self):
        self.invoice(amount=1000.0, taxed=False)
        self.run_followup(DUE + timedelta(days=3))
        return self.run_followup(DUE + timedelta(days=14))

    def test_billing_users_cannot_write_steps_or_charges(self):
        step = self.step_with_fee()
        self.assertTrue(step.charge_ids)
        with self.assertRaises(AccessError):
            step.with_user(self.billing).write({"amount_due": 0.0})
        with self.assertRaises(AccessError):
            step.charge_ids[:1].with_user(self.billing).write({"amount": 0.01})
        with self.assertRaises(AccessError):
            self.env["payment.followup.charge"].with_user(self.billing).create(
                {"history_id": step.id, "kind": "fee", "amount": -100.0}
            )
        # The actions still work: printing the letter marks it printed.
        step.with_user(self.billing).action_print_letter()
        self.assertEqual(step.letter_state, "printed")

    def test_billing_users_send_follow_ups_without_contact_rights(self):
        self.invoice(amount=1000.0, taxed=False)
        with freeze_time(DUE + timedelta(days=3)):
            status = self.env["payment.followup.status"].with_user(self.billing)
            status.action_open_worklist()
            row = status.search([("partner_id", "=", self.customer.id)])
            row.action_process()
        self.assertEqual(self.histories().level_id, self.friendly)

    @freeze_time(DUE + timedelta(days=30))
    def test_billing_users_make_plans_and_hand_over_without_contact_rights(self):
        self.invoice(amount=1000.0, taxed=False)
        wizard = (
            self.env["payment.followup.plan.wizard"]
            .with_user(self.billing)
            .create({"partner_id": self.customer.id, "count": 2})
        )
        action = wizard.action_create()
        plan = self.env["payment.followup.plan"].browse(action["res_id"])
        self.assertEqual(plan.state, "active")
        with self.assertRaises(AccessError):
            plan.with_user(self.billing).write({"state": "done"})
        with self.assertRaises(AccessError):
            plan.line_ids[:1].with_user(self.billing).write({"amount": 1.0})
        plan.with_user(self.billing).action_cancel()
        self.assertEqual(plan.state, "cancel")
        self.customer.with_user(self.billing).action_payment_followup_hand_over()
        case = self.env["payment.followup.collection"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(case.state, "handed_over")
        with self.assertRaises(AccessError):
            case.with_user(self.billing).write({"state": "paid"})
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            case.with_user(self.billing).action_written_off()
        # A manager writes off, also without contact rights.
        case.with_user(self.manager).action_written_off()
        self.assertEqual(case.state, "written_off")

    def test_nobody_suspends_by_writing_the_field(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.billing_contacts).write(
                {"payment_followup_suspended": True}
            )
        with self.assertRaises(AccessError):
            self.customer.with_user(self.manager).write({"payment_followup_suspended": True})
        self.assertFalse(self.customer.payment_followup_suspended)
        # Through the action, a manager suspends (without contact rights) and lifts.
        self.customer.with_user(self.manager).action_payment_followup_suspend(reason="Test")
        self.assertTrue(self.customer.payment_followup_suspended)
        self.customer.with_user(self.manager).action_payment_followup_lift()
        self.env["payment.followup.suspension.wizard"].with_user(self.manager).browse()

    def test_credit_is_approved_by_a_manager_who_did_not_enter_it(self):
        check = (
            self.env["payment.followup.credit.check"]
            .with_user(self.billing)
            .create({"partner_id": self.customer.id, "credit_limit": 5000.0})
        )
        with self.assertRaisesRegex(UserError, "Only accounting managers"):
            check.with_user(self.billing).action_approve()
        with self.assertRaises(AccessError):
            check.with_user(self.billing).write({"state": "approved"})
        check.with_user(self.manager).action_approve()
        self.assertEqual(check.state, "approved")

    def test_billing_users_do_not_see_what_they_may_not_run(self):
        def buttons(model, view_type):
            arch = self.env[model].with_user(self.billing).get_views([(False, view_type)])
            tree = etree.fromstring(arch["views"][view_type]["arch"])
            return {node.get("name") for node in tree.iter("button")}

        self.assertNotIn("action_written_off", buttons("payment.followup.collection", "form"))
        self.assertNotIn("action_approve", buttons("payment.followup.credit.check", "form"))
        bound = self.env["ir.actions.actions"].with_user(self.billing).get_bindings("res.partner")
        ids = {action["id"] for action in bound.get("action", [])}

        def action(name):
            return self.env.ref(f"payment_followup_ext.{name}").id

        self.assertIn(action("action_partner_payment_followup_plan"), ids)
        self.assertNotIn(action("action_partner_payment_followup_suspend"), ids)
        self.assertNotIn(action("action_partner_payment_followup_lift"), ids)
        manager = self.env["ir.actions.actions"].with_user(self.manager).get_bindings("res.partner")
        self.assertIn(
            action("action_partner_payment_followup_suspend"),
            {bound_action["id"] for bound_action in manager.get("action", [])},
        )
