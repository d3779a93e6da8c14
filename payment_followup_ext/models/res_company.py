from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..policy import prepayment as prepayment_policy

# Income accounts of the German charts for what a follow-up charges: no turnover, no VAT.
# SKR03 2650 / SKR04 7100: Sonstige Zinsen und ähnliche Erträge;
# SKR03 2700 / SKR04 4830: sonstige Erträge (dunning fees, flat fees).
# And the expense account of a claim written off: SKR03 2400 / SKR04 6930 Forderungsverluste
# (übliche Höhe), the VAT corrected with the invoice's taxes on the line; and the liability of
# a prepayment invoice: SKR03 1718 / SKR04 3272 Erhaltene, versteuerte Anzahlungen 19 % USt.
CHART_ACCOUNTS = {
    "de_skr03": {
        "interest": "2650",
        "fee": "2700",
        "flat_fee": "2700",
        "bad_debt": "2400",
        "prepayment": "1718",
    },
    "de_skr04": {
        "interest": "7100",
        "fee": "4830",
        "flat_fee": "4830",
        "bad_debt": "6930",
        "prepayment": "3272",
    },
}
PRODUCTS = {
    "fee": "payment_followup_ext.product_dunning_fee",
    "interest": "payment_followup_ext.product_late_interest",
    "flat_fee": "payment_followup_ext.product_flat_fee",
}


def _check_prepayment_rule(env, threshold, percent, owner):
    errors = prepayment_policy.rule_errors(Decimal(str(threshold)), Decimal(str(percent)))
    if prepayment_policy.THRESHOLD in errors:
        raise ValidationError(
            env._(
                "%(owner)s: the prepayment threshold must be 0 or more.",
                owner=owner,
            )
        )
    if prepayment_policy.PERCENT in errors:
        raise ValidationError(
            env._(
                "%(owner)s: the prepayment percentage must be between 0 and 100 %%.",
                owner=owner,
            )
        )


class ResCompany(models.Model):
    _inherit = "res.company"

    payment_followup_charge_journal_id = fields.Many2one(
        "account.journal",
        string="Journal for Fees and Interest",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Where the follow-up books its dunning fees and late interest. Empty: the first "
        "sales journal.",
    )
    payment_followup_fee_account_id = fields.Many2one(
        "account.account",
        string="Account for Dunning Fees",
        domain="[('deprecated', '=', False)]",
        check_company=True,
        help="Empty: SKR03 2700 / SKR04 4830 when the German chart is installed, else the "
        "product's income account.",
    )
    payment_followup_interest_account_id = fields.Many2one(
        "account.account",
        string="Account for Late Interest",
        domain="[('deprecated', '=', False)]",
        check_company=True,
        help="Empty: SKR03 2650 / SKR04 7100 when the German chart is installed, else the "
        "product's income account.",
    )
    payment_followup_bad_debt_account_id = fields.Many2one(
        "account.account",
        string="Account for Bad Debts",
        domain="[('deprecated', '=', False)]",
        check_company=True,
        help="Where a collection case written off books the lost claim (the VAT is corrected "
        "on it, § 17 UStG). Empty: SKR03 2400 / SKR04 6930 when the German chart is installed.",
    )
    payment_followup_prepayment_account_id = fields.Many2one(
        "account.account",
        string="Account for Prepayments Received",
        domain="[('deprecated', '=', False)]",
        check_company=True,
        help="Where a prepayment invoice books the prepayment (a liability until the final "
        "invoice deducts it). Empty: SKR03 1718 / SKR04 3272 when the German chart is installed.",
    )
    payment_followup_run_progress = fields.Json(
        string="Follow-up Run Progress",
        readonly=True,
        copy=False,
        help="Technical: how far the daily follow-up run has come today, "
        '{"date": day, "partner_id": the last customer followed up}; customers are taken in '
        "the order of their ids, so a call of the cron that continues a run starts after it.",
    )
    payment_followup_charge_due_days = fields.Integer(
        string="Fees Due In (Days)",
        default=14,
        help="Days from the follow-up date to the due date of its fee and interest document.",
    )

    payment_followup_costs_first = fields.Boolean(
        string="Payments Settle Costs and Interest First",
        default=True,
        help="§ 367(1) BGB: a payment matched with an invoice first settles the open dunning "
        "fees, flat fees and late interest charged on it, then the invoice.",
    )
    payment_followup_letter_days = fields.Integer(
        string="Days for a Letter to Arrive",
        default=3,
        help="A letter (invoice or reminder) counts as received this many days after it was "
        "sent, unless the day of receipt is recorded on the invoice. Decides when the "
        "customer is in default (§ 286 BGB).",
    )
    payment_followup_email_days = fields.Integer(
        string="Days for an Email to Arrive",
        default=0,
        help="An email (invoice or reminder) counts as received this many days after it was "
        "sent, unless the day of receipt is recorded on the invoice.",
    )

    payment_followup_invoice_texts = fields.Boolean(
        string="Print Default Terms on Invoices",
        default=True,
        help="Customer invoices with payment terms say what a late payment costs, and those to "
        "consumers carry the notice of § 286(3) BGB, in the invoice's language.",
    )

    payment_followup_late_clause = fields.Text(
        string="Late Payment Clause",
        translate=True,
        help="Your own text under the payment terms of customer invoices. Empty: the add-on "
        "says what the customer's follow-up policy charges (late interest, dunning fees from "
        "which reminder on, the flat fee for businesses).",
    )

    payment_followup_consumer_notice = fields.Text(
        string="Notice to Consumers",
        translate=True,
        help="Your own wording of the notice on invoices to consumers; without a notice a "
        "consumer is not in default 30 days after the due date (§ 286(3) BGB). Empty: the "
        "standard notice.",
    )

    payment_followup_no_credit_term_id = fields.Many2one(
        "account.payment.term",
        string="No-Credit Payment Term",
        default=lambda self: self._default_payment_followup_no_credit_term(),
        help="New invoices of customers without an approved, valid credit check get this "
        "payment term (see 'Credit Checks Required From').",
    )

    payment_followup_credit_check_since = fields.Date(
        string="Credit Checks Required From",
        help="Customers created on or after this day get the no-credit payment term on their "
        "invoices until an approved, valid credit check exists. Empty: no such rule (the "
        "customers you have keep their agreed payment terms).",
    )

    payment_followup_prepayment_threshold = fields.Monetary(
        string="Prepayment Above",
        currency_field="currency_id",
        help="Customer invoices above this untaxed amount require a prepayment.",
    )

    payment_followup_prepayment_percent = fields.Float(
        string="Prepayment (%)",
        digits=(5, 2),
        help="Share of the untaxed amount to invoice in advance. 0: no prepayment rule.",
    )

    payment_followup_reply_validity_days = fields.Integer(
        string="Reply Links Valid For (Days)",
        default=60,
        help="How long after a follow-up step its link and QR code let the customer answer "
        "(paid, dispute, more time) without a login.",
    )
    payment_followup_reply_paid_days = fields.Integer(
        string="Wait for a Reported Payment (Days)",
        default=5,
        help='A customer who answers "I have paid" gets no reminder for this many days, unless '
        "the payment arrives before.",
    )
    payment_followup_reply_promise_days = fields.Integer(
        string="Customers May Defer Up To (Days)",
        default=30,
        help='A customer who answers "I need more time" with a day at most this many days '
        "ahead gets no reminder until then; a later day or a payment plan is for the "
        "accountant to decide.",
    )

    @api.constrains(
        "payment_followup_reply_validity_days",
        "payment_followup_reply_paid_days",
        "payment_followup_reply_promise_days",
    )
    def _check_payment_followup_reply_days(self):
        for company in self:
            if (
                min(
                    company.payment_followup_reply_validity_days,
                    company.payment_followup_reply_paid_days,
                    company.payment_followup_reply_promise_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the days of the customers' answers cannot be negative. "
                        "Enter 0 or more days.",
                        company=company.name,
                    )
                )

    def _payment_followup_charge_journal(self):
        self.ensure_one()
        journal = self.payment_followup_charge_journal_id or self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.id)], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no sales journal to book follow-up fees and "
                    "interest. Create one, or choose a journal in the Invoicing settings.",
                    company=self.name,
                )
            )
        return journal

    def _payment_followup_charge_products(self):
        return {kind: self.env.ref(xmlid) for kind, xmlid in PRODUCTS.items()}

    def _payment_followup_charge_accounts(self):
        """``{kind: account or empty}``: the company's choice, else the German chart's account,
        else empty (the product's income account applies)."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        codes = CHART_ACCOUNTS.get(self.chart_template, {})
        chosen = {
            "fee": self.payment_followup_fee_account_id,
            "flat_fee": self.payment_followup_fee_account_id,
            "interest": self.payment_followup_interest_account_id,
            "bad_debt": self.payment_followup_bad_debt_account_id,
            "prepayment": self.payment_followup_prepayment_account_id,
        }
        accounts = {}
        for kind, account in chosen.items():
            if not account and kind in codes:
                account = Account.search(
                    [*Account._check_company_domain(self), ("code", "=", codes[kind])], limit=1
                )
            accounts[kind] = account
        return accounts

    def _default_payment_followup_no_credit_term(self):
        return self.env.ref("account.account_payment_term_immediate", raise_if_not_found=False)

    @api.constrains("payment_followup_letter_days", "payment_followup_email_days")
    def _check_payment_followup_delivery_days(self):
        for company in self:
            if company.payment_followup_letter_days < 0 or company.payment_followup_email_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the days for a letter or an email to arrive cannot be "
                        "negative. Enter 0 or more days.",
                        company=company.name,
                    )
                )

    def _payment_followup_received_on(self, sent_on, channel):
        """The day a letter or an email (``channel``) sent on ``sent_on`` counts as received."""
        self.ensure_one()
        days = (
            self.payment_followup_email_days
            if channel == "email"
            else self.payment_followup_letter_days
        )
        return sent_on + timedelta(days=days)

    @api.constrains("payment_followup_prepayment_threshold", "payment_followup_prepayment_percent")
    def _check_payment_followup_prepayment(self):
        for company in self:
            _check_prepayment_rule(
                self.env,
                company.payment_followup_prepayment_threshold,
                company.payment_followup_prepayment_percent,
                company.name,
            )

    def _payment_followup_run_done_up_to(self, today):
        """The id of the last customer the daily run of ``today`` followed up in this company,
        0 when today's run has not started."""
        self.ensure_one()
        progress = self.sudo().payment_followup_run_progress or {}
        if progress.get("date") != fields.Date.to_string(today):
            return 0
        return progress.get("partner_id") or 0
