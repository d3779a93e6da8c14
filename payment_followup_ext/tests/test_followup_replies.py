"""The customer answers a reminder on the step's reply page, through the real route (no login):
paid, disputes an invoice, needs more time."""

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import format_date

from .common import FollowupCase

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestFollowupReplies(FollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["payment.followup.reply"])
        cls.company.write(
            {
                "payment_followup_reply_validity_days": 60,
                "payment_followup_reply_paid_days": 5,
                "payment_followup_reply_promise_days": 30,
            }
        )
        # The customer answers in English: the page and its errors are in the customer's
        # language (the add-on's German comes with its translation file).
        cls.customer.lang = "en_US"
        cls.customer.with_company(cls.company).payment_followup_responsible_id = cls.accountant
        cls.other = cls._make_customer("Kunde Zwei AG", "zahlung@kunde-zwei.example")
        cls.other.lang = "en_US"
        cls.Reply = cls.env["payment.followup.reply"]

    def step_of(self, partner, amount=1000.0, due_days_ago=20, run_days_ago=0):
        """A posted invoice of ``partner`` due ``due_days_ago`` and the follow-up step of the
        run ``run_days_ago``."""
        invoice = self.claim_without_tax(
            partner, amount, due=self.today - timedelta(days=due_days_ago)
        )
        self.run_followup(self.today - timedelta(days=run_days_ago), partners=partner)
        step = self.histories(partner)[-1:]
        self.assertTrue(step, "the run made a step")
        return step, invoice

    def url(self, step, token=None):
        token = token or self.Reply._token(step)
        return f"/payment_followup/reply/{step.id}/{token}"

    def answer(self, step, kind, **form):
        """Open the page as the customer does, then send the form of ``kind``."""
        page = self.url_open(self.url(step))
        self.assertEqual(page.status_code, 200)
        data = {"csrf_token": CSRF.search(page.text).group(1), "kind": kind}
        data.update({name: str(value) for name, value in form.items()})
        return self.url_open(self.url(step), data=data)

    def worklist(self, partner):
        return self.env["payment.followup.status"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def notes(self, partner):
        return " ".join(
            message.body for message in partner.message_ids if message.message_type == "comment"
        )

    # ------------------------------------------------------------------ the link

    def test_page_shows_its_step_only_and_refuses_wrong_tokens(self):
        step, invoice = self.step_of(self.customer)
        other_step, other_invoice = self.step_of(self.other, amount=777.0)
        page = self.url_open(self.url(step))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Kunde Eins GmbH", page.text)
        self.assertIn(invoice.name, page.text)
        self.assertIn("1,000.00", page.text)
        self.assertNotIn("Kunde Zwei", page.text)
        self.assertNotIn(other_invoice.name, page.text)
        for wrong in (
            self.url(step, "0" * 64),
            # the other customer's token on this step, this step's token on the other's
            self.url(step, self.Reply._token(other_step)),
            self.url(other_step, self.Reply._token(step)),
        ):
            refused = self.url_open(wrong)
            self.assertEqual(refused.status_code, 403, wrong)
            self.assertIn("This link is not valid", refused.text)
            for secret in ("Kunde Eins", "Kunde Zwei", invoice.name, other_invoice.name):
                self.assertNotIn(secret, refused.text)
        other_page = self.url_open(self.url(other_step))
        self.assertIn("Kunde Zwei AG", other_page.text)
        self.assertIn("777.00", other_page.text)
        self.assertNotIn("Kunde Eins", other_page.text)
        self.assertNotIn(invoice.name, other_page.text)
        missing = self.url_open(f"/payment_followup/reply/{step.id + 1000}/{'0' * 64}")
        self.assertEqual(missing.status_code, 403)

    def test_expired_link_refused(self):
        step, invoice = self.step_of(self.customer, due_days_ago=90, run_days_ago=61)
        self.assertEqual(self.Reply._link_expiry(step), self.today - timedelta(days=1))
        refused = self.url_open(self.url(step))
        self.assertEqual(refused.status_code, 410)
        self.assertIn("This link has expired", refused.text)
        self.assertNotIn(invoice.name, refused.text)
        self.assertNotIn("Kunde Eins", refused.text)
        # no answer through an expired link either
        posted = self.url_open(self.url(step), data={"kind": "paid", "amount": "10"})
        self.assertNotEqual(posted.status_code, 200)
        self.assertFalse(self.Reply.search([("history_id", "=", step.id)]))
        # a longer validity of the company opens it again
        self.company.payment_followup_reply_validity_days = 61
        self.assertEqual(self.url_open(self.url(step)).status_code, 200)

    def test_answer_without_the_page_csrf_token_refused(self):
        step, _invoice = self.step_of(self.customer)
        posted = self.url_open(
            self.url(step), data={"kind": "paid", "paid_date": str(self.today), "amount": "10"}
        )
        self.assertEqual(posted.status_code, 400)
        self.assertFalse(self.Reply.search([("history_id", "=", step.id)]))

    # ------------------------------------------------------------------ the answers

    def test_paid_pauses_for_the_days_to_wait_and_a_second_answer_updates(self):
        step, invoice = self.step_of(self.customer)
        response = self.answer(
            step,
            "paid",
            paid_date=self.today - timedelta(days=1),
            amount="1000.00",
            reference=invoice.name,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("?done=paid", response.url)
        self.assertIn("Thank you, we have received your answer.", response.text)
        reply = self.Reply.search([("history_id", "=", step.id)])
        self.assertEqual(len(reply), 1)
        self.assertEqual(
            (reply.kind, reply.amount, reply.reference), ("paid", 1000.0, invoice.name)
        )
        until = self.today + timedelta(days=5)
        self.assertEqual(reply.hold_until, until)
        # the pause is a promise to pay until then, which the worklist shows
        self.assertEqual(reply.promise_id.state, "open")
        self.assertEqual(reply.promise_id.date, until)
        row = self.worklist(self.customer)
        self.assertEqual(row.pause_reason, "promise")
        self.assertFalse(row.action_needed)
        self.assertIn(
            f"No reminder until {format_date(self.env, until)}", self.notes(self.customer)
        )
        # the responsible checks the payment by the end of the wait
        self.assertEqual(reply.activity_ids.user_id, self.accountant)
        self.assertEqual(reply.activity_ids.summary, "Check the reported payment")
        self.assertEqual(reply.activity_ids.date_deadline, until)
        # the customer corrects the amount: the same answer, promise and to-do, updated
        self.answer(step, "paid", paid_date=self.today, amount="950.50", reference="Teil")
        again = self.Reply.search([("history_id", "=", step.id)])
        self.assertEqual(again, reply)
        self.assertEqual((again.amount, again.answer_count), (950.5, 2))
        self.assertEqual(again.promise_id, reply.promise_id)
        self.assertEqual(again.promise_id.amount, 950.5)
        self.assertEqual(
            self.env["payment.followup.promise"].search_count(
                [("partner_id", "=", self.customer.id), ("state", "=", "open")]
            ),
            1,
        )
        self.assertEqual(len(again.activity_ids), 1)
        self.assertIn("The customer updated the answer", self.notes(self.customer))

    def test_dispute_blocks_the_invoice_of_the_step_only(self):
        step, invoice = self.step_of(self.customer)
        _other_step, other_invoice = self.step_of(self.other)
        foreign = self.answer(step, "dispute", move_id=other_invoice.id, reason="quality")
        self.assertEqual(foreign.status_code, 200)
        self.assertIn("Choose one of the open invoices listed in this reminder.", foreign.text)
        self.assertFalse(other_invoice.payment_followup_dispute_id)
        self.assertFalse(self.Reply.search([("history_id", "=", step.id)]))
        self.answer(step, "dispute", move_id=invoice.id, reason="quality", note="Kratzer am Gerät")
        reply = self.Reply.search([("history_id", "=", step.id)])
        dispute = invoice.payment_followup_dispute_id
        self.assertEqual(reply.dispute_id, dispute)
        self.assertEqual((dispute.reason, dispute.note), ("quality", "Kratzer am Gerät"))
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertTrue(receivable.payment_followup_blocked)
        self.assertEqual(self.worklist(self.customer).pause_reason, "dispute")
        self.assertEqual(reply.activity_ids.summary, "Clarify the disputed invoice")
        self.assertIn(f"Disputes invoice {invoice.name}", self.notes(self.customer))

    def test_more_time_within_the_limit_pauses_beyond_it_asks_the_accountant(self):
        step, _invoice = self.step_of(self.customer)
        wish = self.today + timedelta(days=20)
        self.answer(step, "more_time", requested_date=wish)
        reply = self.Reply.search([("history_id", "=", step.id)])
        self.assertEqual((reply.hold_until, reply.to_decide), (wish, False))
        self.assertEqual(reply.promise_id.date, wish)
        self.assertEqual(self.worklist(self.customer).pause_reason, "promise")
        # 45 days is more than the company grants: no pause, the accountant decides
        self.answer(step, "more_time", requested_date=self.today + timedelta(days=45))
        self.assertEqual(self.Reply.search([("history_id", "=", step.id)]), reply)
        self.assertTrue(reply.to_decide)
        self.assertFalse(reply.hold_until)
        self.assertEqual(reply.promise_id.state, "cancel")
        self.assertFalse(self.worklist(self.customer).pause_reason)
        self.assertEqual(reply.activity_ids.summary, "Decide on the requested payment date")
        self.assertIn("longer than the company grants", self.notes(self.customer))
        # a payment plan: a to-do to set one up, nothing paused
        self.answer(step, "more_time", wants_plan="1", note="Bitte drei Raten")
        self.assertEqual(reply.activity_ids.summary, "Set up a payment plan")
        self.assertEqual(len(reply.activity_ids), 1)
        self.assertFalse(
            self.env["payment.followup.plan"].search([("partner_id", "=", self.customer.id)])
        )

    def test_invalid_answers_are_shown_on_the_form_and_change_nothing(self):
        step, _invoice = self.step_of(self.customer)
        tomorrow = self.today + timedelta(days=1)
        response = self.answer(step, "paid", paid_date=tomorrow, amount="0")
        self.assertIn("The day of payment cannot be in the future", response.text)
        self.assertIn("Enter the amount you paid (more than 0).", response.text)
        response = self.answer(step, "more_time", requested_date=self.today)
        self.assertIn("The day you can pay by must be after today.", response.text)
        self.assertFalse(self.Reply.search([("history_id", "=", step.id)]))
        self.assertFalse(self.worklist(self.customer).pause_reason)

    # ------------------------------------------------------------------ mail and letter

    def test_mail_and_letter_carry_the_reply_link(self):
        self.policy.level_ids.mail_template_id = self.env.ref(
            "payment_followup_ext.mail_template_followup_friendly"
        )
        step, _invoice = self.step_of(self.customer)
        body = step.mail_id.body_html
        url = self.Reply._url(step)
        self.assertIn(f"{url}?answer=paid", body)
        self.assertIn(f"{url}?answer=dispute", body)
        self.assertIn(f"{url}?answer=more_time", body)
        self.assertIn("I need more time", body)
        self.assertNotIn("Already paid:", body)
        self.assertNotIn("mailto:", body.split("Your contact")[0])
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "payment_followup_ext.action_report_followup_letter", step.ids
        )
        html = html.decode()
        self.assertIn(url, html)
        self.assertIn('alt="QR code of the answer page"', html)
        self.assertIn("data:image/png;base64,", html)
        # the statement of today (no step) has no answer page
        statement, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "payment_followup_ext.action_report_followup_statement", self.customer.ids
        )
        self.assertNotIn("/payment_followup/reply/", statement.decode())

    # ------------------------------------------------------------------ the screen

    def test_reply_page_tour(self):
        """The customer answers on the page in the browser: an amount of 0 is refused with the
        reason, then the payment is recorded and shown."""
        step, _invoice = self.step_of(self.customer)
        self.start_tour(self.url(step), "payment_followup_reply_tour")
        reply = self.Reply.search([("history_id", "=", step.id)])
        self.assertEqual(
            (reply.kind, reply.amount, reply.reference, reply.paid_date),
            ("paid", 250.0, "Reply Tour Transfer", self.today),
        )
        self.assertEqual(reply.promise_id.date, self.today + timedelta(days=5))

    def test_accountant_handles_the_answer(self):
        """The responsible accountant (no manager) reads the answer on the step and marks it
        handled: the to-do is done."""
        step, _invoice = self.step_of(self.customer)
        self.answer(step, "more_time", wants_plan="1")
        reply = self.Reply.with_user(self.accountant).search([("history_id", "=", step.id)])
        self.assertEqual(reply.history_id.with_user(self.accountant).reply_ids, reply)
        self.assertEqual(reply.activity_ids.summary, "Set up a payment plan")
        reply.action_done()
        self.assertEqual(reply.state, "done")
        self.assertFalse(reply.activity_ids)
