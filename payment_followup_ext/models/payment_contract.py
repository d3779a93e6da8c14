"""Payment contracts on the customer: the agreed payment terms, grace days, a fee override,
the signed contract and the invoicing contact, plus what the printed invoice says about default
(§ 286 BGB)."""

import dataclasses
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..policy import fees as fees_policy

FEE_OVERRIDES = [
    ("level", "Level's Fee"),
    ("none", "No Fees"),
    ("fixed", "Fixed Amount per Reminder"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    payment_followup_grace_days = fields.Integer(
        string="Grace Days",
        company_dependent=True,
        help="Days added to the offset of every follow-up level after the due date: with 5 "
        "grace days a reminder planned 3 days after the due date comes 8 days after it.",
    )
    payment_followup_fee_override = fields.Selection(
        FEE_OVERRIDES,
        string="Dunning Fees",
        company_dependent=True,
        default="level",
        help="Level's Fee: each follow-up level charges its own fee. No Fees: this customer "
        "never pays a dunning fee. Fixed Amount per Reminder: every level that charges a fee "
        "charges this amount instead (the level's rules for the first reminder and the cap "
        "for consumers still apply).",
    )
    payment_followup_fee_amount = fields.Float(
        string="Fee per Reminder",
        company_dependent=True,
        digits="Account",
        help="The agreed dunning fee per reminder, in the company's currency.",
    )
    payment_followup_contract_date = fields.Date(
        string="Contract Signed On",
        help="The day the customer signed the payment terms. Empty: no signed payment terms.",
    )
    payment_followup_contract_attachment_ids = fields.Many2many(
        "ir.attachment",
        "res_partner_payment_contract_attachment_rel",
        "partner_id",
        "attachment_id",
        string="Signed Contract",
        help="The scanned or signed contract with the payment terms.",
    )
    payment_followup_special_agreements = fields.Text(
        string="Special Agreements",
        help="What was agreed beyond the standard terms, e.g. a longer payment period for "
        "one project.",
    )
    payment_followup_invoice_contact_id = fields.Many2one(
        "res.partner",
        string="Invoicing Contact",
        compute="_compute_payment_followup_invoice_contact",
        help="The first contact of type Invoice Address of this customer: invoices and "
        "payment reminders go there. Empty: they go to the customer itself.",
    )
    payment_followup_invoice_email_missing = fields.Boolean(
        string="No Invoicing Email",
        compute="_compute_payment_followup_invoice_contact",
        help="The invoicing contact (or, without one, the customer) has no email address.",
    )

    @api.depends("child_ids.type", "child_ids.email", "email")
    def _compute_payment_followup_invoice_contact(self):
        commercial = self.commercial_partner_id.filtered("id")
        recipients = self.env["payment.followup.status"]._recipients(commercial)
        for partner in self:
            customer = partner.commercial_partner_id
            recipient = recipients.get(customer.id, customer)
            partner.payment_followup_invoice_contact_id = (
                recipient if recipient != customer else False
            )
            partner.payment_followup_invoice_email_missing = not recipient.email

    @api.constrains("payment_followup_grace_days")
    def _check_payment_followup_grace_days(self):
        for partner in self:
            if partner.payment_followup_grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: grace days cannot be negative. Enter 0 or more days.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("payment_followup_fee_override", "payment_followup_fee_amount")
    def _check_payment_followup_fee_amount(self):
        for partner in self:
            if (
                partner.payment_followup_fee_override == "fixed"
                and partner.payment_followup_fee_amount <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s has a fixed dunning fee per reminder: enter an amount "
                        "above zero, or choose 'No Fees'.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("payment_followup_contract_date")
    def _check_payment_followup_contract_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            signed = partner.payment_followup_contract_date
            if signed and signed > today:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the contract cannot be signed on %(date)s, a day in the "
                        "future. Enter the day it was signed.",
                        partner=partner.display_name,
                        date=signed,
                    )
                )


class PaymentFollowupLevel(models.Model):
    _inherit = "payment.followup.level"

    def _fee_rule_for(self, partner):
        """This level's fee rule as the payment contract of ``partner`` changes it."""
        self.ensure_one()
        rule = self._fee_rule()
        customer = partner.commercial_partner_id.with_company(self.company_id)
        override = customer.payment_followup_fee_override or "level"
        if override == "none":
            return dataclasses.replace(rule, kind=fees_policy.NONE)
        if override == "fixed" and rule.kind != fees_policy.NONE:
            amount = self.currency_id.round(customer.payment_followup_fee_amount)
            return dataclasses.replace(rule, kind=fees_policy.FIXED, fixed=Decimal(str(amount)))
        return rule


class ResCompany(models.Model):
    _inherit = "res.company"

    payment_followup_late_clause = fields.Text(
        string="Late Payment Clause",
        translate=True,
        default=lambda self: self._default_payment_followup_late_clause(),
        help="Printed under the payment terms of every customer invoice that has payment terms.",
    )
    payment_followup_consumer_notice = fields.Text(
        string="Notice to Consumers",
        translate=True,
        default=lambda self: self._default_payment_followup_consumer_notice(),
        help="Printed on invoices to consumers: without it a consumer is not in default 30 "
        "days after the due date (§ 286(3) BGB).",
    )

    def _default_payment_followup_late_clause(self):
        return self.env._(
            "If payment is late, we charge late interest at the statutory rate (§ 288 BGB) "
            "and dunning fees for every reminder."
        )

    def _default_payment_followup_consumer_notice(self):
        return self.env._(
            "Notice under § 286(3) BGB: you are in default of payment if you do not pay "
            "within 30 days after the due date and receipt of this invoice."
        )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    payment_followup_late_clause = fields.Text(
        related="company_id.payment_followup_late_clause", readonly=False
    )
    payment_followup_consumer_notice = fields.Text(
        related="company_id.payment_followup_consumer_notice", readonly=False
    )


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._payment_followup_warn_no_email()
        return posted

    def _payment_followup_invoice_recipient(self, recipients):
        """Who gets this invoice: its partner when that is an invoice address, else the
        customer's invoicing contact (where the follow-ups go)."""
        self.ensure_one()
        if self.partner_id.type == "invoice":
            return self.partner_id
        customer = self.commercial_partner_id
        return recipients.get(customer.id, customer)

    def _payment_followup_warn_no_email(self):
        """Note in the chatter of posted customer invoices whose recipient has no email address
        (posting goes on: the invoice can still be printed and sent by post)."""
        invoices = self.filtered(lambda move: move.move_type == "out_invoice")
        if not invoices:
            return
        recipients = self.env["payment.followup.status"]._recipients(invoices.commercial_partner_id)
        for invoice in invoices:
            recipient = invoice._payment_followup_invoice_recipient(recipients)
            if recipient.email:
                continue
            invoice.message_post(
                body=self.env._(
                    "No email address for this invoice: %(contact)s has none, so neither the "
                    "invoice nor payment reminders can be emailed. Add an email address to the "
                    "contact or send them by post.",
                    contact=recipient.display_name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
