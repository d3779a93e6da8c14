"""Invoicing schedule of a customer: invoices sent immediately (Odoo's normal flow) or
collected and sent on a day of the month at a time of day by a cron job."""

import logging

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..policy import invoicing
from .payment_followup_status import can_commit

_logger = logging.getLogger(__name__)

# Invoices per transaction of the cron (each one renders a PDF and queues a mail).
INVOICING_BATCH_SIZE = 50


class ResPartner(models.Model):
    _inherit = "res.partner"

    payment_invoicing_schedule = fields.Selection(
        [("immediate", "Immediately"), ("monthly", "On a day of the month")],
        string="Invoice Sending",
        default="immediate",
        required=True,
        help="Immediately: invoices are sent as usual when they are posted. On a day of the "
        "month: posted invoices not sent yet are collected and sent on that day, from that time.",
    )
    payment_invoicing_day = fields.Integer(
        string="Invoicing Day",
        default=1,
        help="Day of the month (1-31). 29, 30 or 31: the last day of shorter months.",
    )
    payment_invoicing_time = fields.Float(
        string="Invoicing Time",
        default=8.0,
        help="Time of day (company time zone) from which the invoices of the invoicing day "
        "are sent.",
    )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "payment_invoicing_schedule",
            "payment_invoicing_day",
            "payment_invoicing_time",
        ]

    @api.constrains("payment_invoicing_schedule", "payment_invoicing_day", "payment_invoicing_time")
    def _check_payment_invoicing_slot(self):
        for partner in self:
            day = partner.payment_invoicing_day
            hours = partner.payment_invoicing_time
            if not invoicing.FIRST_DAY <= day <= invoicing.LAST_DAY:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the invoicing day must be between 1 and 31 (31 is the last "
                        "day of every month), not %(day)s.",
                        partner=partner.display_name,
                        day=day,
                    )
                )
            if not 0 <= hours < 24:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the invoicing time must be between 00:00 and 23:59.",
                        partner=partner.display_name,
                    )
                )

    @api.model
    def _cron_payment_invoicing_send(self):
        """Hourly: send the posted, unsent customer invoices of the customers whose monthly
        invoicing slot is now, company by company."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            # Superuser in each company in turn, as Odoo's own Send & Print cron: the invoices
            # of every company go out, whatever companies the cron user may switch to.
            self.sudo().with_company(company)._payment_invoicing_send_due(company, now)

    @api.model
    def _payment_invoicing_local_now(self, company, now):
        """``now`` (naive UTC) in the company's time zone (its address's, else the user's)."""
        tz_name = company.partner_id.tz or self.env.user.tz or "UTC"
        return pytz.utc.localize(now).astimezone(pytz.timezone(tz_name)).replace(tzinfo=None)

    @api.model
    def _payment_invoicing_due_customers(self, company, now):
        """The commercial partners whose invoicing slot is due at ``now`` (naive UTC)."""
        local_now = self._payment_invoicing_local_now(company, now)
        # The schedule is a commercial field: contacts carry their company's copy.
        customers = self.search([("payment_invoicing_schedule", "=", "monthly")])
        return customers.commercial_partner_id.filtered(
            lambda partner: invoicing.is_slot_due(
                local_now, partner.payment_invoicing_day, partner.payment_invoicing_time
            )
        )

    @api.model
    def _payment_invoicing_send_due(self, company, now):
        """Send the unsent invoices of the customers due at ``now`` in ``company`` with Odoo's
        own Send & Print machinery (PDF attached, mail queued). Returns the invoices sent."""
        customers = self._payment_invoicing_due_customers(company, now)
        if not customers:
            return self.env["account.move"]
        # Queued, not sent inline: the mail queue cron delivers them (mail.mail).
        queued = self.with_context(mail_notify_force_send=False)
        moves = queued.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("is_move_sent", "=", False),
                ("sending_data", "=", False),  # not already queued by Odoo's sending cron
                ("commercial_partner_id", "in", customers.ids),
            ],
            order="id",
        )
        template = self.env.ref("account.email_template_edi_invoice", raise_if_not_found=False)
        sender = queued.env["account.move.send"]
        for start in range(0, len(moves), INVOICING_BATCH_SIZE):
            batch = moves[start : start + INVOICING_BATCH_SIZE]
            # As Odoo's own sending cron: errors are posted in the invoice's chatter instead of
            # raised, the other invoices go out.
            sender._generate_and_send_invoices(
                batch,
                from_cron=True,
                sending_methods={"email"},
                author_user_id=self.env.user.id,
                author_partner_id=self.env.user.partner_id.id,
                **({"mail_template": template} if template else {}),
            )
            _logger.info("Invoicing schedule: %s invoices sent for %s", len(batch), company.name)
            if can_commit(self.env):
                # A finished batch stays sent even if a later one crashes.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return moves
