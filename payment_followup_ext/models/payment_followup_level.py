import dataclasses
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..policy import fees as fees_policy
from ..policy import schedule
from ..policy import suspension as suspension_policy


class PaymentFollowupLevel(models.Model):
    """One rung of an escalation ladder: when, for how much, and what happens."""

    _name = "payment.followup.level"
    _description = "Follow-up Level"
    _order = "policy_id, offset_days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one(
        "payment.followup.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    offset_days = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="When an item reaches this level, in days after its due date. Negative: a "
        "friendly reminder before the due date.",
    )
    min_amount = fields.Monetary(
        string="Minimum Amount",
        help="The level is reached only when the customer owes at least this much at it "
        "(in the company currency); smaller debts stay on a lighter level.",
    )
    min_days_since_previous = fields.Integer(
        string="Days Since Previous Reminder",
        help="Minimum number of days between the customer's previous reminder and this one.",
    )
    send_email = fields.Boolean()
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "payment.followup.history")],
    )
    letter_text = fields.Html(
        translate=True,
        sanitize_style=True,
        help="The body of the printed follow-up letter, above the list of items.",
    )
    payment_deadline_days = fields.Integer(
        string="Payment Deadline",
        help="The email and the letter ask for payment by the follow-up date plus this many "
        "days, printed as a calendar date. 0: no deadline is given.",
    )
    send_letter = fields.Boolean(
        string="Print Letter",
        help="Put the follow-up letter on the print list. Customers without a usable email "
        "address get a letter anyway.",
    )
    attach_invoices = fields.Boolean(help="Attach the PDF of every listed invoice to the email.")
    attach_statement = fields.Boolean(
        string="Attach Statement of Account",
        help="Attach the customer's statement of account (every open item, payments and "
        "credits, by age) as a PDF to the email.",
    )
    schedule_activity = fields.Boolean()
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        default=lambda self: self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False),
    )
    activity_user_id = fields.Many2one(
        "res.users",
        string="Activity Responsible",
        help="Empty: the customer's follow-up responsible, else the user running the follow-up.",
    )
    activity_summary = fields.Char(translate=True)
    activity_note = fields.Html(translate=True)
    activity_deadline_days = fields.Integer(
        string="Activity Due In (Days)", help="Days from the follow-up date."
    )
    manual_review = fields.Boolean(
        help="The daily run does not execute this level: it waits in the worklist until an "
        "accountant reviews and sends it.",
    )
    fee_type = fields.Selection(
        [
            (fees_policy.NONE, "No Fee"),
            (fees_policy.FIXED, "Fixed Amount"),
            (fees_policy.PERCENT, "Percentage of the Overdue Amount"),
        ],
        string="Dunning Fee",
        default=fees_policy.NONE,
        required=True,
        help="Booked with the step on a fee and interest document, without VAT: a dunning fee is "
        "damage for late payment, no turnover.",
    )
    fee_fixed = fields.Monetary(string="Fee Amount")
    fee_percent = fields.Float(string="Fee (%)", digits=(5, 2))
    fee_min = fields.Monetary(string="Minimum Fee")
    fee_max = fields.Monetary(string="Maximum Fee", help="0: no maximum.")
    fee_consumer_max = fields.Monetary(
        string="Fee Cap for Consumers",
        help="Consumers pay at most this much (courts accept only the real costs of a "
        "reminder, a few euros). 0: no cap.",
    )
    fee_not_first = fields.Boolean(
        string="Not on the First Reminder",
        help="No fee when none of the items was reminded after its due date before: the first "
        "reminder puts the customer in default, its costs are not damages for the default.",
    )
    charge_interest = fields.Boolean(
        string="Charge Late Interest",
        help="Interest under § 288 BGB (base rate + 9 points for businesses, + 5 for consumers) "
        "or the customer's contractual rate, from the day after the due date to the step, "
        "never twice for the same days.",
    )
    charge_flat_fee = fields.Boolean(
        string="Charge the Flat Fee (EUR 40)",
        help="§ 288(5) BGB: EUR 40 once for every invoice in default of a customer that is no "
        "consumer.",
    )

    hand_over_collection = fields.Boolean(
        string="Hand Over to Collection",
        help="Executing this level opens a collection case with the customer's items and their "
        "claim statement; the items then get no more reminders.",
    )

    collection_agency_id = fields.Many2one(
        "res.partner",
        help="The agency or lawyer the case goes to; can be changed on the case.",
    )

    suspend_service = fields.Boolean(
        help="Suspend the service of the customer (no more deliveries or work) until every "
        "overdue invoice and every fee and interest document is paid, provided the minimum "
        "amount and days below are reached.",
    )

    suspend_min_amount = fields.Monetary(
        string="Suspend from Overdue Amount",
        help="The service is suspended only when the customer's overdue items (not blocked, "
        "less unapplied credit) add up to at least this amount (company currency).",
    )

    suspend_min_days = fields.Integer(
        string="Suspend from Days Overdue",
        default=30,
        help="The service is suspended only when the customer's oldest overdue item is overdue "
        "for at least this many days.",
    )

    @api.constrains("policy_id", "offset_days")
    def _check_offset_unique(self):
        for level in self:
            twin = level.policy_id.level_ids.filtered(
                lambda other, level=level: other != level and other.offset_days == level.offset_days
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "Levels %(level)s and %(other)s of policy %(policy)s both start "
                        "%(days)s days after the due date. Give each level its own number "
                        "of days.",
                        level=level.name,
                        other=twin[0].name,
                        policy=level.policy_id.name,
                        days=level.offset_days,
                    )
                )

    def _check_fee(self):
        self.ensure_one()
        amounts = (self.fee_fixed, self.fee_min, self.fee_max, self.fee_consumer_max)
        if any(self.currency_id.compare_amounts(amount, 0) < 0 for amount in amounts):
            raise ValidationError(
                self.env._(
                    "The fee amounts of level %(level)s cannot be negative.", level=self.name
                )
            )
        if not 0 <= self.fee_percent <= 100:
            raise ValidationError(
                self.env._(
                    "The fee percentage of level %(level)s must lie between 0 and 100.",
                    level=self.name,
                )
            )
        if self.fee_type == fees_policy.FIXED and self.currency_id.is_zero(self.fee_fixed):
            raise ValidationError(
                self.env._(
                    "Level %(level)s charges a fixed fee of zero. Enter the fee amount or "
                    "choose 'No Fee'.",
                    level=self.name,
                )
            )
        if self.fee_type == fees_policy.PERCENT and not self.fee_percent:
            raise ValidationError(
                self.env._(
                    "Level %(level)s charges a percentage fee of 0 %%. Enter the percentage or "
                    "choose 'No Fee'.",
                    level=self.name,
                )
            )
        if (
            self.fee_type == fees_policy.PERCENT
            and not self.currency_id.is_zero(self.fee_max)
            and self.currency_id.compare_amounts(self.fee_max, self.fee_min) < 0
        ):
            raise ValidationError(
                self.env._(
                    "The maximum fee of level %(level)s is below its minimum fee.",
                    level=self.name,
                )
            )

    @api.constrains(
        "fee_type",
        "fee_fixed",
        "fee_percent",
        "fee_min",
        "fee_max",
        "fee_consumer_max",
        "send_email",
        "mail_template_id",
        "schedule_activity",
        "activity_type_id",
        "min_amount",
        "min_days_since_previous",
        "activity_deadline_days",
        "payment_deadline_days",
        "send_letter",
        "manual_review",
    )
    def _check_actions(self):
        for level in self:
            level._check_fee()
            if level.send_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s sends an email but has no email template. "
                        "Choose a template or untick 'Send Email'.",
                        level=level.name,
                    )
                )
            if level.mail_template_id:
                level.mail_template_id._check_payment_followup_model()
            if level.schedule_activity and not level.activity_type_id:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s schedules an activity but has no activity type.",
                        level=level.name,
                    )
                )
            if level.currency_id.compare_amounts(level.min_amount, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum amount of level %(level)s cannot be negative.",
                        level=level.name,
                    )
                )
            if (
                level.min_days_since_previous < 0
                or level.activity_deadline_days < 0
                or level.payment_deadline_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: days since the previous reminder, activity days and "
                        "payment deadline days cannot be negative.",
                        level=level.name,
                    )
                )
            if not (
                level.send_email
                or level.send_letter
                or level.schedule_activity
                or level.manual_review
            ):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s does nothing: choose at least one action (email, "
                        "letter, activity or manual review).",
                        level=level.name,
                    )
                )

    def _payment_deadline(self, day):
        """The date by which a step of this level on ``day`` asks for payment, or ``False``.
        The one source of the deadline: the step stores it, its email and letter print it."""
        self.ensure_one()
        if self.payment_deadline_days <= 0:
            return False
        return day + timedelta(days=self.payment_deadline_days)

    def _suspends(self, overdue, oldest_due, today):
        """True when this level suspends the service of a customer with ``overdue``
        (``Decimal``, company currency) overdue, the oldest item due on ``oldest_due``."""
        self.ensure_one()
        return self.suspend_service and suspension_policy.should_suspend(
            overdue,
            oldest_due,
            today,
            min_amount=Decimal(str(self.currency_id.round(self.suspend_min_amount))),
            min_days=self.suspend_min_days,
        )

    def _charges_anything(self):
        self.ensure_one()
        return self.fee_type != fees_policy.NONE or self.charge_interest or self.charge_flat_fee

    def _fee_rule(self):
        """This level's fee as the pure ``policy.fees.FeeRule``."""
        self.ensure_one()

        def money(amount):
            return Decimal(str(self.currency_id.round(amount)))

        return fees_policy.FeeRule(
            kind=self.fee_type,
            fixed=money(self.fee_fixed),
            percent=Decimal(str(self.fee_percent)),
            minimum=money(self.fee_min),
            maximum=money(self.fee_max),
            consumer_max=money(self.fee_consumer_max),
            not_on_first=self.fee_not_first,
        )

    def _to_policy(self):
        """This level as the pure ``policy.schedule.Level``."""
        self.ensure_one()
        return schedule.Level(
            id=self.id,
            offset_days=self.offset_days,
            min_amount=Decimal(str(self.currency_id.round(self.min_amount))),
            min_days_since_previous=self.min_days_since_previous,
            manual_review=self.manual_review,
        )

    @api.constrains("suspend_service", "suspend_min_amount", "suspend_min_days")
    def _check_suspend_service(self):
        for level in self:
            if level.suspend_min_days < 0:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: the days overdue for a service suspension cannot be "
                        "negative.",
                        level=level.name,
                    )
                )
            if level.currency_id.compare_amounts(level.suspend_min_amount, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: the overdue amount for a service suspension cannot be "
                        "negative.",
                        level=level.name,
                    )
                )
            if level.suspend_service and level.currency_id.is_zero(level.suspend_min_amount):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s suspends the service: enter the minimum overdue amount "
                        "from which it does, so that nobody is suspended for a few cents.",
                        level=level.name,
                    )
                )

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
