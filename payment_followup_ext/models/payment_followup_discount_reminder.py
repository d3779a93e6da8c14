"""Reminders of an early-payment discount (Skonto) before it expires: a part of the daily run
of its own, independent of the follow-up ladder (see ``policy.discount_reminders``)."""

import logging
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import psycopg2

from odoo import Command, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..policy import discount_reminders
from .ir_qweb import COMPILE_ONCE

_logger = logging.getLogger(__name__)


class PaymentFollowupDiscountReminder(models.Model):
    """One early-discount reminder sent to a customer: the invoices whose discount date comes
    soon, what to pay by when and what it saves. An invoice instalment is reminded once: the
    relation table holds each journal item once (unique index), so a rerun or a second run at
    the same time cannot remind it again."""

    _name = "payment.followup.discount.reminder"
    _description = "Early-Discount Reminder"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one("res.currency", required=True)
    policy_id = fields.Many2one("payment.followup.policy", check_company=True, ondelete="set null")
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    recipient_id = fields.Many2one("res.partner")
    line_ids = fields.Many2many(
        "account.move.line",
        "payment_followup_discount_reminder_line_rel",
        "reminder_id",
        "line_id",
        string="Items",
        readonly=True,
        help="The invoice instalments whose early discount the reminder offers.",
    )
    discount_date = fields.Date(
        string="Discount Until", help="The earliest discount date of the listed invoices."
    )
    amount_total = fields.Monetary(string="Amount", help="The listed instalments' open amount.")
    amount_discounted = fields.Monetary(
        string="Discounted Amount", help="What settles them when paid by their discount dates."
    )
    amount_saving = fields.Monetary(string="Saving")
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null", readonly=True)

    def init(self):
        # Never twice per instalment: one row per journal item in the relation table.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS payment_followup_discount_reminder_line_uniq "
                "ON payment_followup_discount_reminder_line_rel (line_id)"
            )
        )

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = self.env._(
                "Early-discount reminder %(customer)s %(date)s",
                customer=reminder.partner_id.name,
                date=format_date(self.env, reminder.date),
            )

    def _offers(self):
        """``[(line, {percentage, date, amount, discount})]``: the listed instalments with the
        discount each still offers on the reminder's day, for the mail template."""
        self.ensure_one()
        lines = self.line_ids.sorted(lambda line: (line.discount_date, line.move_id.name or ""))
        return [(line, line._payment_followup_early_discount(self.date)) for line in lines]

    # ------------------------------------------------------------------ the daily run

    @api.model
    def _cron_send(self, today):
        """Step of the daily run (``payment.followup.run._run_daily``): the early-discount
        reminders of every company whose policies send them."""
        for company in self.env["payment.followup.run"]._companies_to_follow_up():
            self.with_company(company)._send_for_company(company, today)

    @api.model
    def _send_for_company(self, company, today):
        """Remind the customers of ``company`` whose early discounts are due for a reminder on
        ``today``: one query for the candidates, one for the customers' settings, one for their
        addresses; the reminders created and their emails queued in batches.

        :returns: the created reminders
        """
        Policy = self.env["payment.followup.policy"]
        policies = Policy.search(
            [("company_id", "=", company.id), ("discount_reminder_days", ">", 0)]
        )
        if not policies:
            return self.browse()
        days_of = {policy.id: policy.discount_reminder_days for policy in policies}
        offers = self._candidate_offers(company, today, max(days_of.values()))
        if not offers:
            return self.browse()
        Run = self.env["payment.followup.run"]
        settings = Run._settings(company, list({pid for pid, _currency_id in offers}))
        default_policy = Policy._get_company_default(company).id
        decided = {}  # (partner_id, currency_id): (policy_id, Reminder)
        for (pid, currency_id), customer_offers in offers.items():
            setting = settings[pid]
            policy_id = setting.policy_id or default_policy
            result = discount_reminders.reminder(
                customer_offers,
                today,
                days_of.get(policy_id, 0),
                excluded=setting.excluded,
                postponed_until=setting.postponed_until,
            )
            if result:
                decided[pid, currency_id] = (policy_id, result)
        if not decided:
            return self.browse()
        addresses = Run._recipient_addresses(list({pid for pid, _currency in decided}))
        vals_list = [
            {
                "partner_id": pid,
                "company_id": company.id,
                "currency_id": currency_id,
                "policy_id": policy_id,
                "date": today,
                "recipient_id": addresses[pid][0],
                "line_ids": [Command.set(list(result.item_ids))],
                "discount_date": result.discount_date,
                "amount_total": float(result.amount),
                "amount_discounted": float(result.discounted),
                "amount_saving": float(result.saving),
            }
            # an email or nothing: a customer without an address is not reminded of a discount
            for (pid, currency_id), (policy_id, result) in decided.items()
            if addresses[pid][1]
        ]
        reminders = self._create_guarded(vals_list)
        reminders._send_emails()
        return reminders

    @api.model
    def _create_guarded(self, vals_list):
        """Create the reminders of ``vals_list`` (the run's records: sudo); a reminder whose
        instalment another run reminded meanwhile (unique index) is left out."""
        Reminder = self.sudo()
        try:
            with self.env.cr.savepoint():
                return Reminder.create(vals_list)
        except psycopg2.errors.UniqueViolation:
            _logger.info("early-discount reminders: some were sent by another run meanwhile")
        created = Reminder.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= Reminder.create(vals)
            except psycopg2.errors.UniqueViolation:
                continue
        return created

    @api.model
    def _candidate_offers(self, company, today, max_days):
        """``{(customer id, currency id): [policy.discount_reminders.Offer]}``: the open
        instalments of customer invoices of ``company`` whose early discount is still offered
        and ends within ``max_days`` days, not partly paid (the discount needs the full
        payment), with their flags. One query; plain SQL that bypasses record rules and filters
        by company itself."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id, l.currency_id, l.id,
                       COALESCE(m.invoice_date, m.date), l.discount_date,
                       l.amount_residual_currency::text, l.discount_amount_currency::text,
                       COALESCE(l.payment_followup_blocked, FALSE),
                       EXISTS (SELECT 1 FROM payment_followup_discount_reminder_line_rel r
                                WHERE r.line_id = l.id)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE %(open_item)s
                   AND l.display_type = 'payment_term'
                   AND m.move_type IN ('out_invoice', 'out_receipt')
                   AND l.discount_date BETWEEN %(today)s AND %(until)s
                   AND l.amount_residual_currency = l.amount_currency
                """,
                open_item=self.env["account.move.line"]._payment_followup_open_receivable_sql(
                    "l", company
                ),
                today=today,
                until=today + timedelta(days=max_days),
            )
        )
        offers = defaultdict(list)
        for row in self.env.cr.fetchall():
            pid, currency_id, line_id, invoiced, discount_date, amount, discounted, *flags = row
            offers[pid, currency_id].append(
                discount_reminders.Offer(
                    item_id=line_id,
                    invoice_date=invoiced,
                    discount_date=discount_date,
                    amount=Decimal(amount),
                    discounted=Decimal(discounted),
                    blocked=flags[0],
                    reminded=flags[1],
                )
            )
        return offers

    def _send_emails(self):
        """Queue one email per reminder, rendered by its policy's template in the recipient's
        language; into the customer's chatter as the follow-up's emails."""
        default = self.env.ref(
            "payment_followup_ext.mail_template_followup_discount", raise_if_not_found=False
        )
        mail_vals, reminder_ids = [], []
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        by_template = self.grouped(lambda reminder: reminder.policy_id.discount_mail_template_id)
        for template, reminders in by_template.items():
            template = template or default
            if not template:
                continue
            rendered = template.with_context(**{COMPILE_ONCE: True})._generate_template(
                reminders.ids, ["subject", "body_html", "email_from", "reply_to", "email_cc"]
            )
            for company, of_company in reminders.grouped("company_id").items():
                threads = of_company.partner_id._payment_followup_threads(company)
                for reminder in of_company:
                    values = rendered[reminder.id]
                    thread = threads[reminder.partner_id.id]
                    mail_vals.append(
                        {
                            "subject": values.get("subject"),
                            "body_html": values.get("body_html"),
                            "email_from": values.get("email_from")
                            or company.email_formatted
                            or self.env.user.email_formatted,
                            "reply_to": values.get("reply_to"),
                            "email_cc": values.get("email_cc"),
                            "recipient_ids": [Command.link(reminder.recipient_id.id)],
                            "model": thread._name,
                            "res_id": thread.id,
                            "record_name": reminder.partner_id.display_name,
                            "message_type": "comment",
                            "subtype_id": comment,
                            "author_id": self.env.user.partner_id.id,
                            "auto_delete": False,
                            "mail_server_id": template.mail_server_id.id,
                        }
                    )
                    reminder_ids.append(reminder.id)
        if not mail_vals:
            return
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        for reminder, mail in zip(self.browse(reminder_ids), mails, strict=True):
            reminder.mail_id = mail
