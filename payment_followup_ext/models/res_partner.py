import logging
from datetime import timedelta
from decimal import Decimal

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, email_normalize, plaintext2html, split_every
from odoo.tools.misc import format_date

from ..policy import debtor as debtor_policy
from ..policy import invoicing
from ..policy import suspension as suspension_policy
from ..policy.behaviour import BEHAVIOUR_DAYS, NO_BEHAVIOUR, Behaviour
from .payment_followup_guarded_mixin import check_guarded
from .payment_followup_run import BEHAVIOUR_BATCH, DUNNING_CONTACT, can_commit
from .res_company import _check_prepayment_rule

MANAGER_GROUP = "account.group_account_manager"

# The fields of a customer's suspension: written by the suspension's actions only.
SUSPENSION_FIELDS = (
    "payment_followup_suspended",
    "payment_followup_suspended_date",
    "payment_followup_suspension_reason",
    "payment_followup_suspension_level_id",
)


FEE_OVERRIDES = [
    ("level", "Level's Fee"),
    ("none", "No Fees"),
    ("fixed", "Fixed Amount per Reminder"),
]


_logger = logging.getLogger(__name__)

# Invoices per transaction of the cron (each one renders a PDF and queues a mail).
INVOICING_BATCH_SIZE = 50


class ResPartner(models.Model):
    _inherit = "res.partner"

    # A child contact of this type receives the customer's reminders (payment.followup.run
    # ._recipient_addresses): before the invoicing contact, which gets the invoices.
    type = fields.Selection(
        selection_add=[(DUNNING_CONTACT, "Dunning Contact")],
        ondelete={DUNNING_CONTACT: "set default"},
    )
    payment_followup_policy_id = fields.Many2one(
        "payment.followup.policy",
        string="Follow-up Policy",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Empty: the company's default follow-up policy.",
    )
    payment_followup_responsible_id = fields.Many2one(
        "res.users",
        string="Follow-up Responsible",
        company_dependent=True,
        help="Gets the follow-up phone calls of this customer.",
    )
    payment_followup_excluded = fields.Boolean(
        string="Exclude from Follow-up",
        company_dependent=True,
        help="No reminders at all for this customer.",
    )
    payment_followup_postponed_until = fields.Date(
        string="Remind Me On",
        company_dependent=True,
        help="No follow-up before this day.",
    )
    payment_followup_debtor_type = fields.Selection(
        [("auto", "Derived"), ("consumer", "Consumer"), ("business", "Business")],
        string="Debtor Type",
        default="auto",
        help="Derived: a person without a company is a consumer (§ 13 BGB), a company or a "
        "contact of one is a business (§ 14 BGB). Decides the statutory interest rate and "
        "the flat fee.",
    )
    payment_followup_is_consumer = fields.Boolean(
        string="Consumer", compute="_compute_payment_followup_is_consumer"
    )
    payment_followup_interest_regime = fields.Selection(
        [
            ("statutory", "Statutory (§ 288 BGB)"),
            ("contractual", "Contractual Rate"),
            ("none", "No Late Interest"),
        ],
        string="Late Interest",
        default="statutory",
        help="Statutory: base rate + 9 points for businesses, + 5 points for consumers.",
    )
    payment_followup_interest_rate = fields.Float(string="Contractual Rate (% p.a.)", digits=(5, 2))
    payment_followup_status_ids = fields.One2many(
        "payment.followup.status", "partner_id", string="Follow-up Status"
    )
    payment_followup_history_ids = fields.One2many(
        "payment.followup.history", "partner_id", string="Follow-up History"
    )
    payment_followup_level_id = fields.Many2one(
        "payment.followup.level", string="Follow-up Level", compute="_compute_payment_followup"
    )
    payment_followup_next_date = fields.Date(
        string="Next Follow-up",
        compute="_compute_payment_followup",
        inverse="_inverse_payment_followup_next_date",
        help="When the next follow-up step is due. Set a later day to postpone it.",
    )
    payment_followup_last_date = fields.Date(
        string="Last Reminder", compute="_compute_payment_followup"
    )
    payment_followup_amount_overdue = fields.Monetary(
        string="Total Overdue", compute="_compute_payment_followup"
    )
    payment_followup_oldest_date = fields.Date(
        string="Oldest Overdue", compute="_compute_payment_followup"
    )
    payment_followup_history_count = fields.Integer(
        string="Follow-up Steps", compute="_compute_payment_followup"
    )

    payment_followup_avg_days_late = fields.Float(
        string="Avg. Days Late",
        digits=(16, 1),
        compute="_compute_payment_behaviour",
        help="Customer invoices of the last 12 months: days paid after the due date (0 when on "
        "time), on average; open overdue invoices count with their days overdue so far.",
    )

    payment_followup_on_time_share = fields.Float(
        string="Paid on Time (%)",
        digits=(5, 1),
        compute="_compute_payment_behaviour",
        help="Share of the customer invoices of the last 12 months paid by their due date, out "
        "of those paid or overdue.",
    )

    payment_followup_dso = fields.Float(
        string="DSO (Days)",
        digits=(16, 1),
        compute="_compute_payment_behaviour",
        help="Days sales outstanding: open receivables / invoiced in the last 12 months x 365.",
    )

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

    payment_followup_recipient_id = fields.Many2one(
        "res.partner",
        string="Reminders Go To",
        compute="_compute_payment_followup_recipient",
        help="Who receives the payment reminders: the first contact of type Dunning Contact, "
        "else the first of type Invoice Address, else the customer itself.",
    )
    payment_followup_recipient_warning = fields.Char(
        string="Reminder Recipient Warning",
        compute="_compute_payment_followup_recipient",
    )
    payment_followup_cc_emails = fields.Char(
        string="Reminders in Copy To",
        help="Email addresses that get a copy of every payment reminder, separated by commas, "
        "e.g. the purchasing department.",
    )

    payment_followup_incentive_text = fields.Text(
        string="Payment Incentive",
        help="Agreed incentive for paying early (e.g. an extra discount on the next order). "
        "Shown in the early discount block of the reminders.",
    )

    payment_followup_discount_granted = fields.Monetary(
        string="Discounts Granted",
        compute="_compute_payment_discounts",
        currency_field="payment_followup_discount_currency_id",
        help="Early payment discounts of the last 12 months taken by this customer: invoices "
        "with an early discount term fully paid on or before their discount date.",
    )

    payment_followup_discount_missed = fields.Monetary(
        string="Discounts Missed",
        compute="_compute_payment_discounts",
        currency_field="payment_followup_discount_currency_id",
        help="Early payment discounts of the last 12 months this customer did not take: "
        "invoices with an early discount term paid after their discount date or still unpaid.",
    )

    payment_followup_discount_currency_id = fields.Many2one(
        "res.currency", string="Payment Discount Currency", compute="_compute_payment_discounts"
    )

    payment_followup_credit_check_ids = fields.One2many(
        "payment.followup.credit.check", "partner_id", string="Credit Checks"
    )

    payment_followup_credit_check_id = fields.Many2one(
        "payment.followup.credit.check",
        string="Current Credit Check",
        compute="_compute_payment_followup_credit_check_id",
        help="The newest approved credit check valid today.",
    )

    payment_followup_invoicing_schedule = fields.Selection(
        [("immediate", "Immediately"), ("monthly", "On a day of the month")],
        string="Invoice Sending",
        default="immediate",
        required=True,
        help="Immediately: invoices are sent as usual when they are posted. On a day of the "
        "month: posted invoices not sent yet are collected and sent on that day, from that time.",
    )

    payment_followup_invoicing_day = fields.Integer(
        string="Invoicing Day",
        default=1,
        help="Day of the month (1-31). 29, 30 or 31: the last day of shorter months.",
    )

    payment_followup_invoicing_time = fields.Float(
        string="Invoicing Time",
        default=8.0,
        help="Time of day (company time zone) from which the invoices of the invoicing day "
        "are sent.",
    )

    payment_followup_plan_ids = fields.One2many(
        "payment.followup.plan", "partner_id", string="Payment Plans"
    )

    payment_followup_promise_ids = fields.One2many(
        "payment.followup.promise",
        "partner_id",
        string="Open Promises to Pay",
        domain=[("state", "=", "open")],
    )

    # Per company (a customer suspended by one company is served by another), written through
    # the ORM: automations "on update" react to it. Not tracked: the suspension's actions log
    # why, where only the company's users read it (``_payment_followup_post``).
    payment_followup_suspended = fields.Boolean(
        string="Service Suspended",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="The service of this customer is suspended until paid: no deliveries, no work.",
    )

    payment_followup_suspended_date = fields.Date(
        string="Service Suspended Since", company_dependent=True, readonly=True, copy=False
    )

    payment_followup_suspension_reason = fields.Text(
        string="Service Suspension Reason", company_dependent=True, readonly=True, copy=False
    )

    payment_followup_suspension_level_id = fields.Many2one(
        "payment.followup.level",
        string="Suspended by Level",
        company_dependent=True,
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The follow-up level that suspended the service; empty when set by hand. A "
        "suspension by a level is lifted automatically once everything overdue is paid.",
    )

    # The commercial entity's suspension, for the banner on contacts and their documents.
    payment_followup_partner_suspended = fields.Boolean(
        string="Customer Service Suspended", compute="_compute_payment_followup_partner_suspended"
    )

    payment_followup_partner_suspended_date = fields.Date(
        string="Customer Suspended Since", compute="_compute_payment_followup_partner_suspended"
    )

    payment_followup_partner_suspension_reason = fields.Text(
        string="Customer Suspension Reason", compute="_compute_payment_followup_partner_suspended"
    )

    payment_followup_prepayment_custom = fields.Boolean(
        string="Own Prepayment Rule",
        company_dependent=True,
        help="Use the prepayment rule below instead of the company's.",
    )

    payment_followup_prepayment_threshold = fields.Float(
        string="Prepayment Above",
        digits="Account",
        company_dependent=True,
        help="Invoices of this customer above this untaxed amount require a prepayment.",
    )

    payment_followup_prepayment_percent = fields.Float(
        string="Prepayment (%)",
        digits=(5, 2),
        company_dependent=True,
        help="Share of the untaxed amount to invoice in advance. 0: no prepayment.",
    )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "payment_followup_debtor_type",
            "payment_followup_interest_regime",
            "payment_followup_interest_rate",
            "payment_followup_incentive_text",
            "payment_followup_cc_emails",
            "payment_followup_invoicing_schedule",
            "payment_followup_invoicing_day",
            "payment_followup_invoicing_time",
        ]

    @api.depends("payment_followup_debtor_type", "is_company", "commercial_partner_id.is_company")
    def _compute_payment_followup_is_consumer(self):
        for partner in self:
            partner.payment_followup_is_consumer = partner._payment_followup_is_consumer()

    def _payment_followup_is_consumer(self):
        """A consumer (§ 13 BGB): set by hand, else a person without a company."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        return debtor_policy.is_consumer(
            commercial.payment_followup_debtor_type, commercial.is_company
        )

    @api.constrains("payment_followup_interest_regime", "payment_followup_interest_rate")
    def _check_payment_followup_interest_rate(self):
        for partner in self:
            regime = partner.payment_followup_interest_regime
            rate = partner.payment_followup_interest_rate
            if regime == "contractual" and not 0 < rate <= 100:
                raise ValidationError(
                    self.env._(
                        "%(partner)s has a contractual late interest rate: enter a rate above "
                        "0 and at most 100 %% per year.",
                        partner=partner.display_name,
                    )
                )

    @api.depends_context("company")
    @api.depends("payment_followup_status_ids", "payment_followup_history_ids")
    def _compute_payment_followup(self):
        company = self.env.company
        statuses = self.env["payment.followup.status"].search(
            [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", company.id)]
        )
        status_of = {status.partner_id.id: status for status in statuses}
        counts = dict(
            self.env["payment.followup.history"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            status = status_of.get(commercial.id, self.env["payment.followup.status"])
            partner.payment_followup_level_id = status.level_id
            partner.payment_followup_next_date = (
                commercial.payment_followup_postponed_until or status.next_date
            )
            partner.payment_followup_last_date = status.last_followup_date
            partner.payment_followup_amount_overdue = status.amount_overdue
            partner.payment_followup_oldest_date = status.oldest_overdue_date
            partner.payment_followup_history_count = counts.get(commercial, 0)

    def _inverse_payment_followup_next_date(self):
        for partner in self:
            partner.commercial_partner_id.payment_followup_postponed_until = (
                partner.payment_followup_next_date
            )

    def _payment_followup_customers(self):
        customers = self.commercial_partner_id
        if not customers:
            raise UserError(self.env._("Select the customers to follow up."))
        return customers

    def action_payment_followup_process(self):
        """Run the due follow-up steps of the selected customers now, in the current company
        (server action on the customer list; also callable from automations)."""
        customers = self._payment_followup_customers()
        executed = self.env["payment.followup.run"]._process(
            self.env.company,
            fields.Date.context_today(self),
            partner_ids=customers.ids,
            manual=True,
        )
        return executed._action_result()

    def action_payment_followup_preview(self):
        customers = self._payment_followup_customers()
        wizard = self.env["payment.followup.preview.wizard"].create(
            {"partner_ids": [fields.Command.set(customers.ids)]}
        )
        return wizard._action_open()

    def action_payment_followup_print(self):
        """The statement of account of the selected customers (a wizard asks: every open item
        or the overdue ones only), one PDF with a statement for each."""
        customers = self._payment_followup_customers()
        return self.env["payment.followup.statement.wizard"]._action_open(customers)

    def _payment_followup_statement_filename(self, day=None):
        """The name of a customer's statement of account PDF (without extension)."""
        self.ensure_one()
        return self.env._(
            "Statement of account %(customer)s %(date)s",
            customer=self.commercial_partner_id.name,
            date=day or fields.Date.context_today(self),
        )

    def action_payment_followup_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "payment_followup_ext.payment_followup_history_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def _payment_followup_open_lines(self):
        """The open receivable items of this customer in the current company, oldest first."""
        self.ensure_one()
        Line = self.env["account.move.line"]
        return Line.search(
            [
                *Line._payment_followup_open_receivable_domain(self.env.company),
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("payment_followup_blocked", "=", False),
            ],
            order="date_maturity, id",
        )

    @api.depends_context("company")
    def _compute_payment_behaviour(self):
        partners = self.commercial_partner_id.filtered("id")
        behaviour = self._payment_behaviour(
            self.env.company, partners.ids, fields.Date.context_today(self)
        )
        for partner in self:
            values = behaviour.get(partner.commercial_partner_id.id, NO_BEHAVIOUR)
            partner.payment_followup_avg_days_late = values.avg_days_late
            partner.payment_followup_on_time_share = values.on_time_share
            partner.payment_followup_dso = values.dso

    @api.depends("child_ids.type", "child_ids.email", "email")
    def _compute_payment_followup_invoice_contact(self):
        commercial = self.commercial_partner_id.filtered("id")
        recipients = self.env["payment.followup.run"]._recipients(commercial, dunning=False)
        for partner in self:
            customer = partner.commercial_partner_id
            recipient = recipients.get(customer.id, customer)
            partner.payment_followup_invoice_contact_id = (
                recipient if recipient != customer else False
            )
            partner.payment_followup_invoice_email_missing = not recipient.email

    @api.depends("child_ids.type", "child_ids.email", "child_ids.active", "email")
    def _compute_payment_followup_recipient(self):
        commercial = self.commercial_partner_id.filtered("id")
        recipients = self.env["payment.followup.run"]._recipients(commercial)
        for partner in self:
            customer = partner.commercial_partner_id
            recipient = recipients.get(customer.id, customer)
            partner.payment_followup_recipient_id = recipient
            partner.payment_followup_recipient_warning = (
                recipient._payment_followup_no_email_warning(customer)
            )

    def _payment_followup_no_email_warning(self, customer):
        """What to tell the accountant when this recipient of ``customer``'s reminders has no
        email address (False when it has one): the run prints a letter instead of each email
        (``policy.channels``)."""
        self.ensure_one()
        if self.email_normalized:
            return False
        if self.type == DUNNING_CONTACT and self != customer:
            return self.env._(
                "The dunning contact %(contact)s has no email address: reminders are printed "
                "as letters instead of being emailed.",
                contact=self.name or self.display_name,
            )
        if self != customer:
            return self.env._(
                "The invoicing contact %(contact)s has no email address: reminders are printed "
                "as letters instead of being emailed.",
                contact=self.name or self.display_name,
            )
        return self.env._(
            "%(contact)s has no email address: reminders are printed as letters instead of "
            "being emailed.",
            contact=self.display_name,
        )

    @api.depends_context("company")
    def _compute_payment_discounts(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        amounts = self._payment_discount_amounts(company, today)
        for partner in self:
            granted, missed = amounts.get(partner.commercial_partner_id.id, (0.0, 0.0))
            partner.payment_followup_discount_currency_id = company.currency_id
            partner.payment_followup_discount_granted = granted
            partner.payment_followup_discount_missed = missed

    @api.depends_context("company")
    @api.depends(
        "payment_followup_credit_check_ids.state", "payment_followup_credit_check_ids.valid_until"
    )
    def _compute_payment_followup_credit_check_id(self):
        today = fields.Date.context_today(self)
        partners = self.commercial_partner_id.filtered("id")
        valid = self.env["payment.followup.credit.check"]._valid_checks(
            self.env.company, partners.ids, today
        )
        for partner in self:
            partner.payment_followup_credit_check_id = valid.get(partner.commercial_partner_id.id)

    @api.depends(
        "commercial_partner_id.payment_followup_suspended",
        "commercial_partner_id.payment_followup_suspended_date",
        "commercial_partner_id.payment_followup_suspension_reason",
    )
    @api.depends_context("company")
    def _compute_payment_followup_partner_suspended(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.payment_followup_partner_suspended = commercial.payment_followup_suspended
            partner.payment_followup_partner_suspended_date = (
                commercial.payment_followup_suspended_date
            )
            partner.payment_followup_partner_suspension_reason = (
                commercial.payment_followup_suspension_reason
            )

    @api.constrains("payment_followup_policy_id")
    def _check_payment_followup_policy_company(self):
        """The policy a customer follows in a company is one of that company's policies (the
        field holds one value per company: the current one is written)."""
        company = self.env.company
        for partner in self:
            # sudo: a policy of another company is not readable here, which is the point
            policy = partner.payment_followup_policy_id.sudo()
            if policy and policy.company_id != company:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the follow-up policy %(policy)s belongs to %(other)s, not "
                        "to %(company)s. Choose a policy of %(company)s.",
                        partner=partner.display_name,
                        policy=policy.name,
                        other=policy.company_id.name,
                        company=company.name,
                    )
                )

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
                        date=format_date(self.env, signed),
                    )
                )

    @api.constrains(
        "payment_followup_invoicing_schedule",
        "payment_followup_invoicing_day",
        "payment_followup_invoicing_time",
    )
    def _check_payment_followup_invoicing_slot(self):
        for partner in self:
            day = partner.payment_followup_invoicing_day
            hours = partner.payment_followup_invoicing_time
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

    @api.constrains("payment_followup_cc_emails")
    def _check_payment_followup_cc_emails(self):
        for partner in self:
            for address in partner._payment_followup_cc_list(strict=False):
                if not email_normalize(address, strict=True):
                    raise ValidationError(
                        self.env._(
                            "%(address)s is not a valid email address. Enter the addresses that "
                            "get a copy of the reminders of %(partner)s separated by commas, "
                            "e.g. einkauf@example.com, chef@example.com.",
                            address=address,
                            partner=partner.display_name,
                        )
                    )

    def _payment_followup_cc_list(self, strict=True):
        """The addresses of ``payment_followup_cc_emails`` (comma or semicolon separated); with
        ``strict``, only the valid ones, normalized."""
        self.ensure_one()
        raw = (self.payment_followup_cc_emails or "").replace(";", ",")
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not strict:
            return parts
        return [email_normalize(part) for part in parts if email_normalize(part, strict=True)]

    def _payment_followup_guarded(self, vals):
        """A suspension is set and lifted by its actions (which log why); a credit limit is
        approved through a credit check by an accounting manager (four-eyes principle)."""
        guarded = set(SUSPENSION_FIELDS) & set(vals)
        if not self.env.user.has_group(MANAGER_GROUP):
            guarded |= {"credit_limit", "use_partner_credit_limit"} & set(vals)
        return guarded

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_guarded(self.browse(), vals, self.browse()._payment_followup_guarded(vals))
        return super().create(vals_list)

    def write(self, vals):
        check_guarded(self, vals, self._payment_followup_guarded(vals))
        return super().write(vals)

    def _check_payment_followup_suspension_rights(self):
        # Superuser mode: automations run their server actions so (set up by an administrator).
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise UserError(
                self.env._(
                    "Only accounting managers can suspend a customer's service or lift the "
                    "suspension. Ask your accounting manager."
                )
            )

    @api.constrains("payment_followup_prepayment_threshold", "payment_followup_prepayment_percent")
    def _check_payment_followup_prepayment(self):
        for partner in self:
            _check_prepayment_rule(
                self.env,
                partner.payment_followup_prepayment_threshold,
                partner.payment_followup_prepayment_percent,
                partner.display_name,
            )

    def action_payment_followup_hand_over(self):
        """Hand the overdue items of the selected customers over to collection (server action)."""
        customers = self._payment_followup_customers()
        company = self.env.company
        today = fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        items = Line.search(
            [
                *Line._payment_followup_open_receivable_domain(company),
                ("partner_id.commercial_partner_id", "in", customers.ids),
                ("amount_residual", ">", 0),
                ("payment_followup_blocked", "=", False),
                ("date_maturity", "<", today),
            ]
        )
        if not items:
            raise UserError(
                self.env._("The selected customers have no overdue items to hand over.")
            )
        cases = self.env["payment.followup.collection"]._create_cases(
            company,
            {
                customer: items.filtered(
                    lambda line, customer=customer: (
                        line.partner_id.commercial_partner_id == customer
                    )
                )
                for customer in customers
            },
        )
        return cases._get_records_action(name=self.env._("Collection Cases"))

    def action_payment_followup_credit_check_new(self):
        """A new credit check of this customer, in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Credit Check"),
            "res_model": "payment.followup.credit.check",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "payment_followup_ext.payment_followup_credit_check_view_form_quick"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "payment_followup_credit_check_dialog": True,
            },
        }

    def action_payment_followup_plan(self):
        """Open the payment plan wizard over the customer's overdue items (server action)."""
        customers = self.commercial_partner_id
        if len(customers) != 1:
            raise UserError(self.env._("Create a payment plan for one customer at a time."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Plan"),
            "res_model": "payment.followup.plan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": customers.id},
        }

    def action_payment_followup_promise(self):
        """Record a promise to pay of the selected customers (server action on the customer
        list; automations can call ``_payment_followup_record_promise`` directly)."""
        customers = self._payment_followup_customers()
        return self.env["payment.followup.promise.wizard"]._action_open(partners=customers)

    def action_payment_followup_suspend(self, reason=None):
        """Suspend the service of the selected customers (managers). Opens the wizard that asks
        for the reason; with ``reason``, or run by an automation, suspends at once."""
        self._check_payment_followup_suspension_rights()
        customers = self._payment_followup_suspension_customers()
        if reason or "__action_done" in self.env.context:
            customers._payment_followup_suspend(
                reason or self.env._("Suspended by an automated action.")
            )
            return True
        return customers._payment_followup_suspension_wizard("suspend")

    def action_payment_followup_lift(self, reason=None):
        """Lift the suspension of the selected customers (managers); see
        ``action_payment_followup_suspend``."""
        self._check_payment_followup_suspension_rights()
        customers = self._payment_followup_suspension_customers()
        if reason or "__action_done" in self.env.context:
            customers._payment_followup_lift(reason or self.env._("Lifted by an automated action."))
            return True
        return customers._payment_followup_suspension_wizard("lift")

    @api.model
    def _payment_behaviour(self, company, partner_ids, today):
        """``{commercial partner id: Behaviour}`` of the customers in ``company`` on ``today``,
        one query per batch of customers (customers without invoices are left out).

        Counted: the receivable items of posted customer invoices dated in the 12 months up to
        ``today``. An item paid (fully reconciled) is late by the days from its due date to the
        date of its last reconciliation, 0 when paid on time; an open item past due is late by
        its days overdue so far; open items not due yet are not judged. DSO = open receivables
        (all dates) / invoiced in the 12 months x 365.

        Plain SQL for speed; it bypasses record rules and filters by company itself.
        """
        self.env.flush_all()
        result = {}
        for batch in split_every(BEHAVIOUR_BATCH, list(partner_ids)):
            self.env.cr.execute(
                SQL(
                    """
                WITH receivable AS (
                    SELECT l.id, p.commercial_partner_id AS partner_id, l.date, m.move_type,
                           COALESCE(l.date_maturity, l.date) AS due, l.balance,
                           l.amount_residual, l.reconciled
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.company_id = %(company)s
                       AND l.parent_state = 'posted'
                       AND l.date <= %(today)s
                       AND l.account_id IN (
                           SELECT id FROM account_account
                            WHERE account_type = 'asset_receivable'
                              AND id IN (SELECT account_account_id
                                           FROM account_account_res_company_rel
                                          WHERE res_company_id = %(company)s))
                       AND l.partner_id IN (
                           SELECT id FROM res_partner
                            WHERE commercial_partner_id = ANY(%(partners)s))
                ), judged AS (
                    SELECT r.partner_id, r.balance,
                           CASE WHEN r.reconciled THEN GREATEST((
                                    SELECT max(apr.max_date) FROM account_partial_reconcile apr
                                     WHERE apr.debit_move_id = r.id) - r.due, 0)
                                WHEN r.due < %(today)s THEN %(today)s - r.due
                           END AS days_late
                      FROM receivable r
                     WHERE r.move_type = 'out_invoice'
                       AND r.date > %(since)s
                       AND r.balance > 0
                )
                SELECT partner_id,
                       COALESCE((SELECT avg(j.days_late) FROM judged j
                                  WHERE j.partner_id = c.partner_id), 0)::float,
                       COALESCE((SELECT 100.0 * count(*) FILTER (WHERE j.days_late = 0)
                                        / NULLIF(count(j.days_late), 0)
                                   FROM judged j WHERE j.partner_id = c.partner_id), 0)::float,
                       COALESCE(c.open_amount * %(days)s
                                / NULLIF((SELECT sum(j.balance) FROM judged j
                                           WHERE j.partner_id = c.partner_id), 0), 0)::float,
                       EXISTS(SELECT 1 FROM judged j
                               WHERE j.partner_id = c.partner_id AND j.days_late IS NOT NULL)
                  FROM (SELECT partner_id,
                               sum(amount_residual) FILTER (WHERE NOT reconciled) AS open_amount
                          FROM receivable GROUP BY partner_id) c
                """,
                    company=company.id,
                    partners=list(batch),
                    today=today,
                    since=today - timedelta(days=BEHAVIOUR_DAYS),
                    days=BEHAVIOUR_DAYS,
                )
            )
            for partner_id, avg_late, on_time, dso, known in self.env.cr.fetchall():
                result[partner_id] = Behaviour(
                    round(avg_late, 1), round(on_time, 1), round(max(dso, 0.0), 1), known
                )
        return result

    def _payment_discount_amounts(self, company, today):
        """{commercial partner id: (granted, missed)} in company currency, one query.

        Looks at the receivable lines of posted customer invoices of ``company`` with an early
        discount whose discount date is later than 12 months before ``today``. Granted: the line
        is reconciled and its last reconciliation (``account_partial_reconcile.max_date``, the
        later of the invoice and payment dates) is on or before the discount date. Missed: the
        discount date has passed and it was not granted (paid later, or not paid in full).
        Amount: the discount of the term, ``balance - discount_balance``.
        Plain SQL bypasses the record rules: it filters by company itself.
        """
        partner_ids = tuple(self.commercial_partner_id.ids)
        if not partner_ids:
            return {}
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        query = SQL(
            """
            WITH term AS (
                SELECT move.commercial_partner_id AS partner_id,
                       line.discount_date,
                       line.balance - line.discount_balance AS discount,
                       line.reconciled AND (
                           SELECT MAX(part.max_date)
                             FROM account_partial_reconcile part
                            WHERE part.debit_move_id = line.id
                       ) <= line.discount_date AS granted
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE move.commercial_partner_id IN %(partners)s
                   AND line.company_id = %(company)s
                   AND move.state = 'posted'
                   AND move.move_type = 'out_invoice'
                   AND line.display_type = 'payment_term'
                   AND line.discount_date IS NOT NULL
                   AND line.discount_date > %(since)s
            )
            SELECT partner_id,
                   COALESCE(SUM(discount) FILTER (WHERE granted), 0),
                   COALESCE(SUM(discount) FILTER (
                       WHERE granted IS NOT TRUE AND discount_date < %(today)s
                   ), 0)
              FROM term
             GROUP BY partner_id
            """,
            partners=partner_ids,
            company=company.id,
            since=today - relativedelta(months=12),
            today=today,
        )
        self.env.cr.execute(query)
        return {
            partner_id: (granted, missed) for partner_id, granted, missed in self.env.cr.fetchall()
        }

    @api.model
    def _cron_payment_followup_invoicing_send(self):
        """Hourly: send the posted, unsent customer invoices of the customers whose monthly
        invoicing slot is now, company by company."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            # Superuser in each company in turn, as Odoo's own Send & Print cron: the invoices
            # of every company go out, whatever companies the cron user may switch to.
            self.sudo().with_company(company)._payment_followup_invoicing_send_due(company, now)

    @api.model
    def _payment_followup_invoicing_local_now(self, company, now):
        """``now`` (naive UTC) in the company's time zone (its address's, else the user's)."""
        tz_name = company.partner_id.tz or self.env.user.tz or "UTC"
        return pytz.utc.localize(now).astimezone(pytz.timezone(tz_name)).replace(tzinfo=None)

    @api.model
    def _payment_followup_invoicing_due_customers(self, company, now):
        """The commercial partners whose invoicing slot is due at ``now`` (naive UTC)."""
        local_now = self._payment_followup_invoicing_local_now(company, now)
        # The schedule is a commercial field: contacts carry their company's copy.
        customers = self.search([("payment_followup_invoicing_schedule", "=", "monthly")])
        return customers.commercial_partner_id.filtered(
            lambda partner: invoicing.is_slot_due(
                local_now,
                partner.payment_followup_invoicing_day,
                partner.payment_followup_invoicing_time,
            )
        )

    @api.model
    def _payment_followup_invoicing_send_due(self, company, now):
        """Send the unsent invoices of the customers due at ``now`` in ``company`` with Odoo's
        own Send & Print machinery (PDF attached, mail queued). Returns the invoices sent."""
        customers = self._payment_followup_invoicing_due_customers(company, now)
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

    def _payment_followup_record_promise(self, date, amount=0.0, note=False):
        """Record that these customers promised to pay their open items by ``date``."""
        return self.env["payment.followup.promise"]._record(
            date, amount=amount, note=note, partners=self._payment_followup_customers()
        )

    def _payment_followup_is_suspended(self, company=None):
        """True when the service of this partner's commercial entity is suspended in
        ``company`` (the current company by default; for several partners: when any of them
        is). The one method other modules read."""
        company = company or self.env.company
        customers = self.commercial_partner_id.sudo().with_company(company)
        return any(customers.mapped("payment_followup_suspended"))

    def _payment_followup_suspension_customers(self):
        customers = self.commercial_partner_id
        if not customers:
            raise UserError(
                self.env._("Select the customers whose service you want to suspend or resume.")
            )
        return customers

    def _payment_followup_suspension_wizard(self, mode):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suspend Service")
            if mode == "suspend"
            else self.env._("Lift Suspension"),
            "res_model": "payment.followup.suspension.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_mode": mode,
                "default_partner_ids": [fields.Command.set(self.ids)],
            },
        }

    def _payment_followup_suspend(self, reason, level=None, notes=None, today=None):
        """Suspend the service of the customers ``self`` (commercial entities) in the company
        of ``level`` (the follow-up level that did it), else in the current company (by
        hand), with ``reason``; ``notes``: ``{partner_id: note}`` instead of the reason.
        Customers suspended already keep their date.

        Sudo: suspending is a follow-up operation that accountants (and the daily run) perform
        without the right to edit contacts; the callers check who may do it.
        """
        if not self:
            return
        company = level.company_id if level else self.env.company
        today = today or fields.Date.context_today(self)
        customers = self.sudo().with_company(company)
        new = customers.filtered(lambda partner: not partner.payment_followup_suspended)
        values = {
            "payment_followup_suspension_reason": reason,
            "payment_followup_suspension_level_id": level.id if level else False,
        }
        if new:
            new.write(
                dict(values, payment_followup_suspended=True, payment_followup_suspended_date=today)
            )
        if customers - new:
            (customers - new).write(values)
        notes = notes or {}
        for partner in customers:
            partner._payment_followup_post(
                company,
                notes.get(partner.id) or self.env._("Service suspended: %(reason)s", reason=reason),
            )

    def _payment_followup_lift(self, reason, company=None):
        """Lift the suspension of the suspended customers among ``self`` in ``company`` (the
        current one by default); sudo as in ``_payment_followup_suspend``."""
        company = company or self.env.company
        customers = self.sudo().with_company(company).filtered("payment_followup_suspended")
        if not customers:
            return
        customers.write(dict.fromkeys(SUSPENSION_FIELDS, False))
        text = self.env._("Service suspension lifted: %(reason)s", reason=reason)
        for partner in customers:
            partner._payment_followup_post(company, text)

    def _payment_followup_thread(self, company):
        """Where notes and emails about this customer's claims in ``company`` go: the customer
        itself when only ``company``'s users read it (a contact of ``company``, or a database
        with one company); else the customer's worklist row in ``company``, which the other
        companies' users cannot read (a contact shared by several companies)."""
        self.ensure_one()
        return self._payment_followup_threads(company)[self.id]

    def _payment_followup_threads(self, company):
        """``{partner_id: record}``: ``_payment_followup_thread`` of each partner of ``self``,
        in a few queries."""
        partners = self.sudo()
        single = self.env["res.company"].sudo().search_count([]) == 1
        own = partners.filtered(
            lambda partner: partner.company_id == company or (single and not partner.company_id)
        )
        threads = {partner.id: partner for partner in own}
        shared = partners - own
        if shared:
            Status = self.env["payment.followup.status"].sudo()
            rows = Status.search(
                [("partner_id", "in", shared.ids), ("company_id", "=", company.id)]
            )
            row_of = {row.partner_id.id: row for row in rows}
            for partner in shared:
                threads[partner.id] = row_of.get(partner.id) or Status._for_customer(
                    partner, company
                )
        return threads

    def _payment_followup_post(self, company, body, **kwargs):
        """Post ``body`` (plain text), a note about this customer's claims in ``company``, where
        only ``company``'s users read it (``_payment_followup_thread``). As a note of the
        current user, who needs no right to edit contacts."""
        thread = self._payment_followup_thread(company)
        return thread.message_post(
            body=plaintext2html(body),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
            **kwargs,
        )

    @api.model
    def _payment_followup_suspension_lift_paid(self, partner_ids=None, today=None):
        """Lift the suspensions set by a follow-up level of ``partner_ids`` (all when None)
        whose customer has nothing left open in the level's company: no overdue item and no
        fee or interest document (blocked items do not count, as for the suspension). One
        query per company with follow-up. Suspensions set by hand are lifted by hand.

        Plain SQL (a read over every suspended customer); it bypasses record rules and
        filters by company itself; the per-company values come from the ORM's own SQL.
        """
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        lifted = self.browse()
        companies = self.env["payment.followup.run"]._companies_to_follow_up()
        for company in companies:
            Partner = self.with_company(company)
            partner_filter = (
                SQL("AND p.id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT p.id, lv.id IS NOT NULL, EXISTS (
                           SELECT 1
                             FROM account_move_line l
                             JOIN account_account a ON a.id = l.account_id
                             JOIN account_move m ON m.id = l.move_id
                            WHERE l.partner_id IN (
                                  SELECT c.id FROM res_partner c
                                   WHERE c.commercial_partner_id = p.id)
                              AND l.company_id = %(company)s
                              AND l.parent_state = 'posted'
                              AND a.account_type = 'asset_receivable'
                              AND NOT l.reconciled
                              AND l.amount_residual > 0
                              AND NOT COALESCE(l.payment_followup_blocked, FALSE)
                              AND (COALESCE(l.date_maturity, l.date) < %(today)s
                                   OR %(charge_document)s))
                      FROM res_partner p
                      LEFT JOIN payment_followup_level lv ON lv.id = %(level)s
                     WHERE %(suspended)s %(partner_filter)s
                    """,
                    company=company.id,
                    level=Partner._field_to_sql("p", "payment_followup_suspension_level_id"),
                    suspended=Partner._field_to_sql("p", "payment_followup_suspended"),
                    partner_filter=partner_filter,
                    today=today,
                    charge_document=self.env["account.move"]._payment_followup_charge_sql("m"),
                )
            )
            paid = self.browse(
                partner_id
                for partner_id, by_level, anything_open in self.env.cr.fetchall()
                if suspension_policy.may_lift(
                    suspended=True, by_level=by_level, anything_open=anything_open
                )
            )
            paid._payment_followup_lift(
                self.env._("every overdue invoice and every fee and interest document is paid."),
                company,
            )
            lifted |= paid
        return lifted

    def _payment_followup_prepayment_rule(self, company):
        """``(threshold, percent)`` as ``Decimal`` that applies to this customer in
        ``company`` (the threshold in the company currency, to its precision)."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        owner = partner if partner.payment_followup_prepayment_custom else company
        return (
            Decimal(str(company.currency_id.round(owner.payment_followup_prepayment_threshold))),
            Decimal(str(owner.payment_followup_prepayment_percent)),
        )

    # ------------------------------------------------------------------ limitation (Verjährung)

    def _payment_followup_court_case(self, company=None):
        """An unsaved collection case over the customer's overdue items in ``company``: the
        court dunning order sheet of a customer is that of the case the customer would be
        handed over with (same claims, same claim statement), without opening one."""
        self.ensure_one()
        company = company or self.env.company
        Line = self.env["account.move.line"]
        today = fields.Date.context_today(self)
        items = Line.search(
            [
                *Line._payment_followup_open_receivable_domain(company),
                ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id),
                ("amount_residual", ">", 0),
                ("date_maturity", "<", today),
            ]
        )
        return self.env["payment.followup.collection"].new(
            {
                "partner_id": self.commercial_partner_id.id,
                "company_id": company.id,
                "date": today,
                "item_ids": [Command.set(items.ids)],
            }
        )

    def _payment_followup_court_sheet(self):
        """The court dunning order sheet of this customer (see ``_payment_followup_court_case``)."""
        return self._payment_followup_court_case()._court_sheet()

    def action_payment_followup_court_sheet(self):
        self.ensure_one()
        self._payment_followup_court_sheet()  # refuse before the report opens
        return self.env.ref("payment_followup_ext.action_report_court_order_partner").report_action(
            self
        )

    def action_payment_followup_court_csv(self):
        self.ensure_one()
        return self._payment_followup_court_case()._court_sheet_download(self._name, self.id)
