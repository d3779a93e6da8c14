"""The follow-up run as Odoo executes it: levels over time, one communication per customer,
guards, mails in the queue, activities, letters, access rights and companies."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import DUE, FollowupCase


def on(days):
    return DUE + timedelta(days=days)


@tagged("post_install", "-at_install")
class TestFollowupEngine(FollowupCase):
    with_other_company = True

    def test_escalation_over_several_runs(self):
        invoice = self.invoice()
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")

        self.assertFalse(self.run_followup(on(-4)))
        step = self.run_followup(on(-3))
        self.assertEqual(step.level_id, self.pre_due)
        self.assertEqual(step.line_ids, receivable)
        self.assertEqual(receivable.payment_followup_level_id, self.pre_due)
        self.assertEqual(invoice.payment_followup_level_id, self.pre_due)
        self.assertEqual(invoice.payment_followup_date, on(-3))

        self.assertFalse(self.run_followup(on(2)), "the friendly reminder is due 3 days after")
        self.assertEqual(self.run_followup(on(3)).level_id, self.friendly)
        self.assertEqual(self.run_followup(on(14)).level_id, self.first)
        self.assertFalse(self.run_followup(on(27)))
        second = self.run_followup(on(28))
        self.assertEqual(second.level_id, self.second)
        self.assertEqual(
            second.activity_id.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(second.activity_id.date_deadline, on(30))

        # The final notice needs a review: the daily run leaves it in the worklist ...
        self.assertFalse(self.run_followup(on(42)))
        status = self.customer.payment_followup_status_ids
        self.assertTrue(status.action_needed)
        self.assertTrue(status.manual_review)
        self.assertEqual(status.next_level_id, self.last)
        # ... and the accountant sends it.
        final = self.run_followup(on(42), manual=True)
        self.assertEqual(final.level_id, self.last)
        self.assertEqual(final.letter_state, "to_print")
        self.assertEqual(
            self.histories().level_id,
            self.pre_due + self.friendly + self.first + self.second + self.last,
        )
        self.assertEqual(len(self.mails()), 5)
        self.assertFalse(self.run_followup(on(90), manual=True), "nothing above the top level")

    def test_step_keeps_its_items_oldest_first_and_forgets_deleted_ones(self):
        # A company without the restricted audit trail lets a draft invoice be deleted; Odoo 18
        # allows switching it off only before the company's first journal entry.
        self.company.check_account_audit_trail = False
        old = self.invoice(amount=1000.0, due=on(-20))
        new = self.invoice(amount=200.0, due=on(0))
        step = self.run_followup(on(5))
        receivable = {
            move: move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            for move in old + new
        }
        self.assertEqual(step.listed_item_ids, (receivable[old] + receivable[new]).ids)
        self.assertEqual(step.line_ids, receivable[old] + receivable[new])

        # The newest invoice is reset to draft and deleted: the step no longer lists it.
        new.button_draft()
        new.unlink()
        step.invalidate_recordset()
        self.assertEqual(step.line_ids, receivable[old])

    def test_rerun_the_same_day_creates_nothing(self):
        self.invoice()
        self.assertTrue(self.run_followup(on(5)))
        self.assertFalse(self.run_followup(on(5)))
        self.assertFalse(self.run_followup(on(5), manual=True))
        self.assertEqual(len(self.histories()), 1)
        self.assertEqual(len(self.mails()), 1)

    def test_one_communication_covers_every_overdue_item(self):
        old = self.invoice(amount=1000.0, due=on(-20))
        new = self.invoice(amount=200.0, due=on(0))
        not_due = self.invoice(amount=300.0, due=on(30))
        step = self.run_followup(on(5))
        self.assertEqual(len(step), 1)
        self.assertEqual(step.line_ids.move_id, old + new)
        self.assertNotIn(not_due, step.line_ids.move_id)
        self.assertAlmostEqual(step.amount_due, old.amount_total + new.amount_total)
        mail = self.mails()
        self.assertEqual(len(mail), 1)
        self.assertIn(old.name, mail.body_html)
        self.assertIn(new.name, mail.body_html)

    def test_minimum_amount_and_interval(self):
        small = self._make_customer("Kleinkunde", "klein@example.com")
        self.invoice(partner=small, amount=40.0)  # 47.60 with VAT, below the 100 minimum
        for day in (3, 14):
            self.assertTrue(self.run_followup(on(day), partners=small))
        self.assertFalse(self.run_followup(on(35), partners=small))
        status = small.payment_followup_status_ids
        self.assertEqual(status.level_id, self.first)
        self.assertFalse(status.next_date, "the second notice needs 100 open")
        # The interval: a first notice sent late holds the second one for 7 days.
        self.invoice(amount=500.0)
        self.run_followup(on(3))
        self.run_followup(on(25))  # first notice, 11 days late
        self.assertFalse(self.run_followup(on(28)))
        self.assertEqual(self.customer.payment_followup_status_ids.next_date, on(32))
        self.assertEqual(self.run_followup(on(32)).level_id, self.second)

    def test_excluded_customers_and_blocked_items_are_never_reminded(self):
        excluded = self._make_customer("Ausgenommen AG", "a@example.com")
        excluded.payment_followup_excluded = True
        self.invoice(partner=excluded)
        blocked = self.invoice()
        blocked.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).payment_followup_blocked = True
        self.assertFalse(self.run_followup(on(20)))
        self.assertFalse(self.histories(excluded) | self.histories())
        self.assertFalse(self.mails(excluded) | self.mails())

    def test_postponed_customer_waits(self):
        self.invoice()
        self.customer.payment_followup_next_date = on(10)
        self.assertEqual(self.customer.payment_followup_postponed_until, on(10))
        self.assertFalse(self.run_followup(on(5)))
        self.assertEqual(self.run_followup(on(10)).level_id, self.friendly)

    def test_paid_invoice_leaves_the_worklist(self):
        invoice = self.invoice()
        self.run_followup(on(5), manual=True)
        self.assertTrue(self.customer.payment_followup_status_ids)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": on(6)})._create_payments()
        self.assertFalse(self.run_followup(on(20)))
        self.assertFalse(self.customer.payment_followup_status_ids)

    def test_mail_goes_to_the_invoice_contact_in_its_language(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Buchhaltung Kunde Eins",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "rechnung@kunde-eins.example",
                "lang": "en_US",
            }
        )
        self.invoice()
        step = self.run_followup(on(5))
        self.assertEqual(step.recipient_id, contact)
        mail = step.mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, contact)
        self.assertIn("Friendly reminder", mail.body_html)
        self.assertEqual(mail.model, "res.partner")
        self.assertEqual(mail.res_id, self.customer.id)
        self.assertIn(mail.mail_message_id, self.customer.message_ids)

    def test_german_customer_gets_the_german_text(self):
        self.friendly.with_context(lang="de_DE").name = "Freundliche Erinnerung"
        self.invoice()
        step = self.run_followup(on(5))
        self.assertIn("Freundliche Erinnerung", step.mail_id.body_html)

    def test_customer_without_email_gets_a_letter(self):
        paper = self._make_customer("Papier GmbH")
        self.invoice(partner=paper)
        step = self.run_followup(on(5))
        self.assertTrue(step.no_email)
        self.assertEqual(step.email_state, "no_address")
        self.assertEqual(step.letter_state, "to_print")
        self.assertFalse(self.mails(paper))
        self.assertIn("no usable email address", paper.message_ids[0].body)

    def test_invoice_pdfs_are_attached(self):
        self.friendly.attach_invoices = True
        invoice = self.invoice()
        with self.printing():  # the invoice's PDF, rendered for the email
            step = self.run_followup(on(5))
        attachment = step.mail_id.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.res_model, "account.move")
        self.assertEqual(attachment.res_id, invoice.id)
        self.assertEqual(attachment.mimetype, "application/pdf")

    def test_accountant_runs_follow_ups_but_cannot_configure(self):
        self.invoice()
        for day in (3, 14):
            self.run_followup(on(day))
        # The second notice with its phone call, run by the accountant ...
        second = (
            self.env["payment.followup.run"]
            .with_user(self.accountant)
            ._process(self.company, on(28), partner_ids=self.customer.ids)
        )
        self.assertEqual(second.level_id, self.second)
        self.assertEqual(second.user_id, self.accountant)
        self.assertTrue(second.activity_id)
        # ... and today, from the customer list, the final notice that waits for a review.
        action = self.customer.with_user(self.accountant).action_payment_followup_process()
        self.assertEqual(action["res_model"], "payment.followup.history")
        final = self.env["payment.followup.history"].search(action["domain"])
        self.assertEqual(final.level_id, self.last)
        self.assertEqual(len(self.histories()), 4)
        level = self.friendly.with_user(self.accountant)
        self.assertEqual(level.name, "Friendly reminder")
        with self.assertRaises(AccessError):
            level.min_amount = 1000
        with self.assertRaises(AccessError):
            self.env["payment.followup.policy"].with_user(self.accountant).create(
                {"name": "Mine", "company_id": self.company.id}
            )

    def test_company_b_is_untouched_and_unseen(self):
        company_b = self.company_data_2["company"]
        self.env.user.company_ids |= company_b
        policy_b = self.env["payment.followup.policy"].create(
            {
                "name": "B",
                "company_id": company_b.id,
                "is_default": True,
                "level_ids": [Command.create(self._level_vals("B reminder", 1))],
            }
        )
        customer_b = self._make_customer("Kunde B", "b@example.com", company_id=company_b.id)
        invoice_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer_b.id,
                    "invoice_date": DUE,
                    "invoice_date_due": DUE,
                    "invoice_line_ids": [Command.create({"name": "X", "price_unit": 100.0})],
                }
            )
        )
        invoice_b.action_post()
        self.invoice()
        steps = self.run_followup(on(5))
        self.assertEqual(steps.partner_id, self.customer)
        self.assertFalse(self.histories(customer_b))
        step_b = self.run_followup(on(5), company=company_b)
        self.assertEqual(step_b.level_id, policy_b.level_ids)
        accountant = self.env["payment.followup.history"].with_user(self.accountant)
        self.assertEqual(accountant.search([]).company_id, self.company)
        with self.assertRaises(AccessError):
            step_b.with_user(self.accountant).read(["amount_due"])
        statuses = self.env["payment.followup.status"].with_user(self.accountant).search([])
        self.assertNotIn(customer_b, statuses.partner_id)

    def test_preview_shows_then_executes_the_reviewed_selection(self):
        other = self._make_customer("Zweiter Kunde", "zwei@example.com")
        self.invoice()
        self.invoice(partner=other, amount=100.0)
        preview = self.env["payment.followup.preview.wizard"].create(
            {"partner_ids": [Command.set((self.customer + other).ids)], "date": on(20)}
        )
        self.assertEqual(preview.line_ids.partner_id, self.customer + other)
        self.assertEqual(preview.line_ids.level_id, self.friendly)
        self.assertEqual(set(preview.line_ids.mapped("channels")), {"Email"})
        self.assertFalse(self.histories(), "a preview sends nothing")
        preview.line_ids.filtered(lambda line: line.partner_id == other).selected = False
        preview.action_execute()
        self.assertEqual(len(self.histories()), 1)
        self.assertFalse(self.histories(other))

    def test_accountant_postpones_a_customer_from_the_worklist(self):
        self.invoice()
        self.run_followup(on(3))
        status = self.customer.payment_followup_status_ids.with_user(self.accountant)
        action = status.action_postpone()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({"date": "2099-01-31", "note": "Zahlung für Januar zugesagt"})
        )
        wizard.action_postpone()
        self.assertEqual(str(self.customer.payment_followup_postponed_until), "2099-01-31")
        self.assertIn("Zahlung für Januar zugesagt", self.customer.message_ids[0].body)
        with self.assertRaisesRegex(ValidationError, "after today"), self.cr.savepoint():
            wizard.date = "2020-01-01"
