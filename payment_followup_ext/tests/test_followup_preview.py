"""The preview before sending: the email and the letter as they go out, fees and interest
included, and nothing left behind."""

import re
from datetime import date, timedelta

from odoo import Command
from odoo.tests import tagged

from .common import DUE, FollowupCase

FRIENDLY_DAY = DUE + timedelta(days=3)  # 2026-03-05
FIRST_DAY = DUE + timedelta(days=14)  # 2026-03-16: fee 5.00, interest 39.39 on 10,000.00


def without_tokens(html):
    """The email without what is made when the step is written: the portal links' access
    tokens and the reply page's link (the step's id and its signature)."""
    html = re.sub(r"access_token=[\w-]+", "access_token=", str(html))
    return re.sub(r"/payment_followup/reply/\d+/\w+", "/payment_followup/reply/", html)


@tagged("post_install", "-at_install")
class TestFollowupPreview(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        cls.first.write(
            {
                "fee_type": "fixed",
                "fee_fixed": 5.0,
                "charge_interest": True,
                "mail_template_id": cls.env.ref(
                    "payment_followup_ext.mail_template_followup_first"
                ).id,
            }
        )

    def preview(self, partners=None, day=FIRST_DAY):
        return (
            self.env["payment.followup.preview.wizard"]
            .with_user(self.accountant)
            .create({"partner_ids": [Command.set((partners or self.customer).ids)], "date": day})
        )

    def counts(self):
        """What a step leaves behind, counted."""
        models = (
            "payment.followup.history",
            "payment.followup.charge",
            "payment.followup.collection",
            "account.move",
            "mail.mail",
            "mail.message",
            "mail.activity",
        )
        counts = {model: self.env[model].sudo().search_count([]) for model in models}
        lines = self.env["account.move.line"].search([("partner_id", "=", self.customer.id)])
        counts["escalated"] = sorted(lines.mapped("payment_followup_level_id").ids)
        return counts

    def test_preview_shows_mail_and_letter_as_sent_and_leaves_nothing_behind(self):
        self.claim_without_tax()
        self.run_followup(FRIENDLY_DAY)
        before = self.counts()
        preview = self.preview()
        self.assertEqual(self.counts(), before, "the preview wrote nothing")
        line = preview.line_ids
        self.assertEqual(line.level_id, self.first)
        self.assertEqual(
            (line.amount_due, line.amount_fees, line.amount_interest, line.amount_total),
            (10000.0, 5.0, 39.39, 10044.39),
        )
        self.assertEqual(preview.line_id, line, "the first customer is shown")
        self.assertIn("Mahngebühren und Verzugszinsen", line.mail_body, "in German")
        self.assertIn("44,39", line.mail_body)
        self.assertIn("10.044,39", line.mail_body)
        self.assertIn("Verzugszinsen", line.letter_html, "the letter report, rendered")
        self.assertIn("10.044,39", line.letter_html)
        self.assertEqual(preview.mail_subject, line.mail_subject)
        self.assertEqual(line.action_show()["res_id"], preview.id, "the row shows its customer")
        self.assertEqual(preview.line_id, line)

        # Sent, the same customer gets exactly the previewed email, with the same document number.
        preview.action_execute()
        (step,) = self.env["payment.followup.history"].search([("date", "=", FIRST_DAY)])
        self.assertEqual(step.mail_id.subject, line.mail_subject)
        # The portal links' access tokens and the reply page's link are made when the email
        # goes out (a preview leaves no step behind); the rest is the same text.
        self.assertIn("/payment_followup/reply/", line.mail_body, "the preview shows the links")
        self.assertIn(f"/payment_followup/reply/{step.id}/", step.mail_id.body_html)
        self.assertEqual(without_tokens(step.mail_id.body_html), without_tokens(line.mail_body))
        self.assertEqual(step.charge_move_id.name, line.charge_document, "no number used up")
        self.assertEqual(step.amount_total, line.amount_total)

    def test_a_customer_whose_step_fails_is_shown_with_the_reason_and_not_sent(self):
        # Due 22 June 2026: the first notice on 6 July needs the base rate of the 2nd
        # half-year 2026, which the shipped table does not know yet.
        due = date(2026, 6, 22)
        self.env["payment.followup.base.rate"].search(
            [("date_from", ">=", date(2026, 7, 1))]
        ).unlink()
        other = self._make_customer("Zweiter Kunde", "zwei@example.com")
        self.claim_without_tax(due=due)
        self.claim_without_tax(other, 100.0, due=date(2026, 7, 3))
        self.run_followup(due + timedelta(days=3))
        before = self.counts()
        preview = self.preview(self.customer + other, day=due + timedelta(days=14))
        self.assertEqual(self.counts(), before)
        failed = preview.line_ids.filtered(lambda line: line.partner_id == self.customer)
        self.assertRegex(failed.error, "^(No base rate|Kein Basiszins|Für das 2. Halbjahr 2026)")
        self.assertFalse(failed.selected, "a failing customer is not sent")
        fine = preview.line_ids - failed
        self.assertEqual(fine.level_id, self.friendly)
        self.assertTrue(fine.selected and fine.mail_body and not fine.error)
        alone = self.preview(self.customer, day=due + timedelta(days=14))
        self.assertEqual(alone.line_ids.error, failed.error, "alone, the reason is shown too")
        self.assertEqual(self.counts(), before)
