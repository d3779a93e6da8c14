from decimal import Decimal
from typing import NamedTuple

from lxml import etree

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date, formatLang

from ..policy import limitation as limitation_policy
from ..policy import prepayment as prepayment_policy
from .payment_followup_dispute import DISPUTE_REASONS

LIMITATION_STATES = [
    (limitation_policy.RUNNING, "Running"),
    (limitation_policy.SUSPENDED, "Suspended (court dunning order)"),
    (limitation_policy.TIME_BARRED, "Time-barred"),
]


class EInvoice(NamedTuple):
    """The electronic original of an invoice (``account_edi_ubl_cii``) as a reminder uses it."""

    attachment: models.BaseModel  # ir.attachment: the XML, or the Factur-X PDF
    buyer_reference: str | None  # BT-10 BuyerReference of the XML (Leitweg-ID for XRechnung)
    xrechnung: bool  # the XML follows the XRechnung standard: the reference is a Leitweg-ID


# Parsing the invoice's own XML: no network, no entities.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class AccountMove(models.Model):
    _inherit = "account.move"

    payment_followup_level_id = fields.Many2one(
        "payment.followup.level",
        string="Follow-up Level",
        compute="_compute_payment_followup",
        help="The highest follow-up level any instalment of this invoice reached.",
    )
    payment_followup_date = fields.Date(string="Last Reminder", compute="_compute_payment_followup")
    payment_followup_charge_step_id = fields.Many2one(
        "payment.followup.history",
        string="Charged by Follow-up",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="This document books the fees and interest of that follow-up step.",
    )
    payment_followup_charge_plan_id = fields.Many2one(
        "payment.followup.plan",
        string="Charged by Payment Plan",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="This document books the fee or interest of that payment plan.",
    )

    payment_followup_dispute_ids = fields.One2many(
        "payment.followup.dispute", "move_id", string="Disputes"
    )

    payment_followup_dispute_id = fields.Many2one(
        "payment.followup.dispute",
        string="Open Dispute",
        compute="_compute_payment_followup_dispute",
    )

    payment_followup_disputed = fields.Boolean(
        string="Disputed",
        compute="_compute_payment_followup_dispute",
        search="_search_payment_followup_disputed",
    )

    payment_followup_dispute_reason = fields.Selection(
        DISPUTE_REASONS, string="Dispute Reason", compute="_compute_payment_followup_dispute"
    )

    payment_followup_dispute_note = fields.Text(
        string="Dispute Note", compute="_compute_payment_followup_dispute"
    )

    payment_followup_promise_ids = fields.One2many(
        "payment.followup.promise", "move_id", string="Promises to Pay"
    )

    # The customer's suspension in the document's company.
    payment_followup_partner_suspended = fields.Boolean(
        string="Customer Service Suspended", compute="_compute_payment_followup_partner_suspended"
    )

    payment_followup_partner_suspended_date = fields.Date(
        string="Customer Suspended Since", compute="_compute_payment_followup_partner_suspended"
    )

    payment_followup_partner_suspension_reason = fields.Text(
        string="Customer Suspension Reason",
        compute="_compute_payment_followup_partner_suspended",
    )

    payment_followup_is_prepayment = fields.Boolean(
        string="Prepayment Invoice",
        copy=False,
        help="This invoice asks for a prepayment (Vorauskasse) of a larger invoice.",
    )

    payment_followup_prepayment_for_id = fields.Many2one(
        "account.move",
        string="Prepayment For",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The large invoice this prepayment invoice was created for.",
    )

    payment_followup_prepayment_ids = fields.One2many(
        "account.move", "payment_followup_prepayment_for_id", string="Prepayment Invoices"
    )

    payment_followup_prepayment_needed = fields.Boolean(
        string="Prepayment Required", compute="_compute_payment_followup_prepayment"
    )

    payment_followup_prepayment_amount = fields.Monetary(
        string="Prepayment Amount", compute="_compute_payment_followup_prepayment"
    )

    payment_followup_prepayment_message = fields.Char(
        compute="_compute_payment_followup_prepayment"
    )

    # The facts of § 286 BGB: from which day the customer is in default (see
    # policy.interest.default_start).
    payment_followup_terms_agreed = fields.Boolean(
        string="Due Date Agreed",
        compute="_compute_payment_followup_terms_agreed",
        store=True,
        readonly=False,
        copy=False,
        help="The customer agreed to the payment terms of this invoice: a payment contract "
        "signed before the invoice, or terms accepted on the order. Then the customer is in "
        "default from the day after the due date (§ 286(2) no. 1 BGB); otherwise from the day "
        "after a reminder was received, or 30 days after due date and receipt of the invoice "
        "(§ 286(1), (3) BGB).",
    )
    payment_followup_sent_date = fields.Date(
        string="Sent On",
        readonly=True,
        copy=False,
        help="The day the invoice was first sent or printed.",
    )
    payment_followup_sent_by = fields.Selection(
        [("email", "Email"), ("letter", "Letter")], string="Sent By", readonly=True, copy=False
    )
    payment_followup_received_date = fields.Date(
        string="Received On",
        compute="_compute_payment_followup_received_date",
        store=True,
        readonly=False,
        copy=False,
        help="The day the customer received the invoice: the day it was sent plus the "
        "company's days for a letter or an email to arrive, or the day you enter. Empty: "
        "unknown, so the 30 days of § 286(3) BGB do not run.",
    )
    payment_followup_notice_printed = fields.Boolean(
        string="Consumer Notice on Invoice",
        readonly=True,
        copy=False,
        help="The invoice was sent to a consumer with the notice of § 286(3) BGB (see the "
        "company's 'Notice to Consumers').",
    )

    @api.depends("partner_id.commercial_partner_id.payment_followup_contract_date", "invoice_date")
    def _compute_payment_followup_terms_agreed(self):
        for move in self:
            signed = move.commercial_partner_id.payment_followup_contract_date
            day = move.invoice_date or move.date
            move.payment_followup_terms_agreed = bool(
                move.is_sale_document(include_receipts=True) and signed and day and signed <= day
            )

    @api.depends("payment_followup_sent_date", "payment_followup_sent_by")
    def _compute_payment_followup_received_date(self):
        for move in self:
            sent = move.payment_followup_sent_date
            move.payment_followup_received_date = (
                sent
                and move.company_id._payment_followup_received_on(
                    sent, move.payment_followup_sent_by
                )
            )

    def _payment_followup_mark_sent(self, channel):
        """Record that these customer invoices were sent today by ``channel`` (email or
        letter), once: the first sending counts for § 286(3) BGB. With the consumer notice
        the invoice then carried (``payment_followup_consumer_notice``)."""
        today = fields.Date.context_today(self)
        for move in self.filtered(
            lambda m: (
                m.is_sale_document(include_receipts=True)
                and (not m.payment_followup_sent_date or m.payment_followup_sent_date == today)
            )
        ):
            move.write(
                {
                    "payment_followup_sent_date": today,
                    "payment_followup_sent_by": channel,
                    "payment_followup_notice_printed": bool(
                        move._payment_followup_consumer_notice()
                    ),
                }
            )

    def _payment_followup_is_charge(self):
        """Whether this is a document of fees and interest (of a follow-up step or a payment
        plan): it earns no interest, dunning fee or flat fee itself (§ 289 BGB)."""
        self.ensure_one()
        return bool(self.payment_followup_charge_step_id or self.payment_followup_charge_plan_id)

    def _payment_followup_reverse(self):
        """Reverse these documents of fees and interest today (credit notes reconciled with
        them), e.g. when their charges or their payment plan are cancelled; returns the
        reversals."""
        today = fields.Date.context_today(self)
        return self._reverse_moves(
            [
                {
                    "ref": self.env._("Cancelled: %(ref)s", ref=move.ref or move.name),
                    "date": today,
                    "invoice_date": today,
                }
                for move in self
            ],
            cancel=True,
        )

    @api.depends("commercial_partner_id", "company_id")
    def _compute_payment_followup_partner_suspended(self):
        for move in self:
            customer = move.commercial_partner_id.sudo().with_company(move.company_id)
            move.payment_followup_partner_suspended = customer.payment_followup_suspended
            move.payment_followup_partner_suspended_date = customer.payment_followup_suspended_date
            move.payment_followup_partner_suspension_reason = (
                customer.payment_followup_suspension_reason
            )

    @api.model
    def _payment_followup_charge_sql(self, alias):
        """The condition "the move ``alias`` is a document of fees and interest" in SQL."""
        move = SQL.identifier(alias)
        return SQL(
            "(%(move)s.payment_followup_charge_step_id IS NOT NULL"
            " OR %(move)s.payment_followup_charge_plan_id IS NOT NULL)",
            move=move,
        )

    def _payment_followup_late_clause(self):
        """What a late payment costs, printed under the payment terms, in the language of the
        environment (the invoice's, when printed): the company's own clause, else what the
        customer's follow-up policy charges. Empty when the company prints no such texts or
        nothing is charged."""
        self.ensure_one()
        company = self.company_id
        if not company.payment_followup_invoice_texts:
            return ""
        if company.payment_followup_late_clause:
            return company.payment_followup_late_clause
        partner = self.commercial_partner_id.with_company(company)
        policy = partner.payment_followup_policy_id or self.env[
            "payment.followup.policy"
        ]._get_company_default(company)
        reminders = policy.level_ids.filtered(lambda level: level.offset_days > 0).sorted(
            lambda level: (level.offset_days, level.id)
        )
        costs = []
        regime = partner.payment_followup_interest_regime
        if any(reminders.mapped("charge_interest")) and regime != "none":
            if regime == "contractual":
                costs.append(
                    self.env._(
                        "late interest of %(rate)s %% per year",
                        rate=formatLang(self.env, partner.payment_followup_interest_rate),
                    )
                )
            else:
                costs.append(self.env._("late interest at the statutory rate (§ 288 BGB)"))
        charging = reminders.filtered(lambda level: level.fee_type != "none")
        override = partner.payment_followup_fee_override
        if charging and override != "none":
            first = reminders[:1]
            from_second = first not in charging or first.fee_not_first
            if override == "fixed":
                amount = format_amount(
                    self.env, partner.payment_followup_fee_amount, company.currency_id
                )
                costs.append(
                    self.env._(
                        "a dunning fee of %(amount)s from the second reminder on", amount=amount
                    )
                    if from_second
                    else self.env._("a dunning fee of %(amount)s for every reminder", amount=amount)
                )
            else:
                costs.append(
                    self.env._("a dunning fee from the second reminder on")
                    if from_second
                    else self.env._("a dunning fee for every reminder")
                )
        if any(reminders.mapped("charge_flat_fee")) and not partner._payment_followup_is_consumer():
            costs.append(
                self.env._(
                    "the flat fee of EUR 40 for late payment (§ 288(5) BGB), against which "
                    "the dunning fees are credited"
                )
            )
        if not costs:
            return ""
        return self.env._("If payment is late, we charge %(costs)s.", costs="; ".join(costs))

    def _payment_followup_consumer_notice(self):
        """The notice of § 286(3) BGB on an invoice to a consumer, in the language of the
        environment: the company's wording or the standard one; empty for businesses."""
        self.ensure_one()
        company = self.company_id
        if (
            not company.payment_followup_invoice_texts
            or not self.commercial_partner_id._payment_followup_is_consumer()
        ):
            return ""
        return company.payment_followup_consumer_notice or self.env._(
            "Notice under § 286(3) BGB: you are in default of payment if you do not pay "
            "within 30 days after the due date and receipt of this invoice."
        )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("is_move_sent"):
            # Sent or printed (Odoo's send wizard, "Mark as Sent"): a letter unless the send
            # wizard reports an email (account.move.send).
            self.filtered(lambda m: not m.payment_followup_sent_date)._payment_followup_mark_sent(
                "letter"
            )
        return res

    @api.depends("line_ids.payment_followup_level_id", "line_ids.payment_followup_date")
    def _compute_payment_followup(self):
        for move in self:
            lines = move.line_ids.filtered("payment_followup_level_id")
            top = max(
                lines, key=lambda line: line.payment_followup_level_id.offset_days, default=None
            )
            move.payment_followup_level_id = top.payment_followup_level_id if top else False
            move.payment_followup_date = max(lines.mapped("payment_followup_date"), default=False)

    def _compute_invoice_payment_term_id(self):
        """New customers (created since the company's 'Credit Checks Required From') without an
        approved, valid credit check get the company's no-credit term on new invoices (when no
        term is given explicitly), until a check is approved."""
        res = super()._compute_invoice_payment_term_id()
        invoices = self.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "draft" and m.partner_id
        )
        today = fields.Date.context_today(self)
        for company, moves in invoices.grouped("company_id").items():
            term = company.payment_followup_no_credit_term_id
            since = company.payment_followup_credit_check_since
            if not term or not since:
                continue
            customers = moves.partner_id.commercial_partner_id.filtered(
                lambda partner, since=since: (
                    not partner.create_date or partner.create_date.date() >= since
                )
            )
            moves = moves.filtered(
                lambda move, new=customers: move.partner_id.commercial_partner_id in new
            )
            if not moves:
                continue
            # sudo: a read-only lookup, filtered by company; whoever may invoice gets the term
            valid = (
                self.env["payment.followup.credit.check"]
                .sudo()
                ._valid_checks(company, customers.ids, today)
            )
            for move in moves:
                if move.partner_id.commercial_partner_id.id not in valid:
                    move.invoice_payment_term_id = term
        return res

    @api.depends(
        "payment_followup_dispute_ids.state",
        "payment_followup_dispute_ids.reason",
        "payment_followup_dispute_ids.note",
    )
    def _compute_payment_followup_dispute(self):
        for move in self:
            dispute = move.payment_followup_dispute_ids.filtered(lambda d: d.state == "open")[:1]
            move.payment_followup_dispute_id = dispute
            move.payment_followup_disputed = bool(dispute)
            move.payment_followup_dispute_reason = dispute.reason
            move.payment_followup_dispute_note = dispute.note

    def _search_payment_followup_disputed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Search disputed invoices with 'is set' or 'is not set' only.")
            )
        disputed = value if operator == "=" else not value
        domain = [("payment_followup_dispute_ids.state", "=", "open")]
        return domain if disputed else ["!", *domain]

    @api.depends(
        "move_type",
        "state",
        "partner_id",
        "company_id",
        "invoice_date",
        "currency_id",
        # the lines, not amount_untaxed: in the form, the stored totals follow only on save
        "invoice_line_ids.price_subtotal",
        "invoice_line_ids.display_type",
        "payment_followup_is_prepayment",
        "payment_followup_prepayment_ids.state",
    )
    def _compute_payment_followup_prepayment(self):
        self.payment_followup_prepayment_needed = False
        self.payment_followup_prepayment_amount = 0.0
        self.payment_followup_prepayment_message = False
        candidates = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state in ("draft", "posted")
                and m.partner_id
                and not m.payment_followup_is_prepayment
            )
        )
        if not candidates:
            return
        today = fields.Date.context_today(self)
        prepayments = self.search(
            [
                ("move_type", "=", "out_invoice"),
                ("payment_followup_is_prepayment", "=", True),
                ("state", "!=", "cancel"),
                (
                    "commercial_partner_id",
                    "in",
                    candidates.partner_id.commercial_partner_id.ids,
                ),
                ("company_id", "in", candidates.company_id.ids),
            ]
        )
        for move in candidates:
            company = move.company_id
            customer = move.partner_id.commercial_partner_id
            threshold, percent = customer._payment_followup_prepayment_rule(company)
            untaxed = move._payment_followup_untaxed()
            amount = move.currency_id._convert(
                untaxed, company.currency_id, company, move.invoice_date or today
            )
            if not prepayment_policy.required(
                Decimal(str(company.currency_id.round(amount))), threshold, percent
            ):
                continue
            origin = move._origin
            # Only the prepayment of this work waives the rule, not any other of the customer.
            if origin and any(
                prepayment.payment_followup_prepayment_for_id == origin
                for prepayment in prepayments
            ):
                continue
            due = move._payment_followup_prepayment_share(untaxed, percent)
            percent_label = f"{percent.normalize():f}"  # outside _(): babel cannot extract it
            move.payment_followup_prepayment_needed = True
            move.payment_followup_prepayment_amount = due
            move.payment_followup_prepayment_message = self.env._(
                "Large invoice: above %(threshold)s the payment terms of %(customer)s require "
                "a prepayment of %(percent)s %% (%(amount)s), and there is no prepayment "
                "invoice for it.",
                threshold=format_amount(self.env, float(threshold), company.currency_id),
                customer=customer.name,
                percent=percent_label,
                amount=format_amount(self.env, due, move.currency_id),
            )

    def _post(self, soft=True):
        self._payment_followup_deduct_prepayments()
        posted = super()._post(soft=soft)
        posted._payment_followup_warn_no_email()
        for move in posted.filtered("payment_followup_prepayment_needed"):
            move.message_post(
                body=self.env._(
                    "%(message)s The invoice was posted without it; next time, draft the "
                    "prepayment invoice from the draft (“Create Prepayment Invoice”).",
                    message=move.payment_followup_prepayment_message,
                )
            )
        return posted

    def _payment_followup_deduct_prepayments(self):
        """A final invoice deducts the posted prepayment invoices of its work: one line per
        prepayment line, with its taxes, on the prepayments account (the liability is
        released, the VAT paid with the prepayment is deducted). A prepayment invoice still in
        draft must be posted or cancelled first."""
        for move in self.filtered(
            lambda m: m.move_type == "out_invoice" and not m.payment_followup_is_prepayment
        ):
            prepayments = move.payment_followup_prepayment_ids.filtered(
                lambda p: p.state != "cancel"
            )
            if prepayments.filtered(lambda p: p.state == "draft"):
                raise UserError(
                    self.env._(
                        "The prepayment invoice of %(invoice)s is still a draft. Post it (or "
                        "cancel it), then post the final invoice: it deducts the prepayment.",
                        invoice=move._payment_followup_prepayment_name(),
                    )
                )
            deducted = move.invoice_line_ids.payment_followup_prepayment_move_id
            lines = []
            for prepayment in prepayments - deducted:
                for line in prepayment.invoice_line_ids.filtered(
                    lambda aml: aml.display_type == "product"
                ):
                    lines.append(
                        Command.create(
                            {
                                "name": self.env._(
                                    "Less prepayment, invoice %(invoice)s of %(date)s",
                                    invoice=prepayment.name,
                                    date=format_date(self.env, prepayment.invoice_date),
                                ),
                                "quantity": -1,
                                "price_unit": line.price_unit,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                                "account_id": line.account_id.id,
                                "payment_followup_prepayment_move_id": prepayment.id,
                            }
                        )
                    )
            if lines:
                move.invoice_line_ids = lines

    def action_payment_followup_dispute(self):
        self._payment_followup_check_disputable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute Invoice"),
            "res_model": "payment.followup.dispute.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": [fields.Command.set(self.ids)]},
        }

    def action_payment_followup_resolve_dispute(self):
        disputes = self.payment_followup_dispute_id
        if not disputes:
            raise UserError(self.env._("The selected invoices have no open dispute to resolve."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve Dispute"),
            "res_model": "payment.followup.dispute.resolve.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dispute_ids": [fields.Command.set(disputes.ids)]},
        }

    def action_payment_followup_promise(self):
        return self.env["payment.followup.promise.wizard"]._action_open(moves=self)

    def action_payment_followup_create_prepayment(self):
        """Draft the prepayment invoice of this large invoice (still a draft: the final
        invoice deducts the prepayment when it is posted) and open it."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "%(invoice)s is posted already: a prepayment is asked for before the final "
                    "invoice, which then deducts it. Remind the customer of the invoice instead.",
                    invoice=self._payment_followup_prepayment_name(),
                )
            )
        if not self.payment_followup_prepayment_needed:
            raise UserError(
                self.env._(
                    "%(invoice)s needs no prepayment invoice: it is not above the prepayment "
                    "threshold of its customer, or a prepayment invoice exists already.",
                    invoice=self._payment_followup_prepayment_name(),
                )
            )
        prepayment = self.create(self._prepare_payment_followup_prepayment_vals())
        self.message_post(
            body=self.env._(
                "Prepayment invoice drafted: %(amount)s.",
                amount=format_amount(self.env, prepayment.amount_total, prepayment.currency_id),
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Prepayment Invoice"),
            "res_model": "account.move",
            "res_id": prepayment.id,
            "view_mode": "form",
            "context": {"default_move_type": "out_invoice"},
        }

    def _payment_followup_invoice_recipient(self, recipients):
        """Who gets this invoice: its partner when that is an invoice address, else the
        customer's invoicing contact (the follow-ups go there too unless it has a dunning
        contact)."""
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
        recipients = self.env["payment.followup.run"]._recipients(
            invoices.commercial_partner_id, dunning=False
        )
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

    def _payment_followup_check_disputable(self):
        for move in self:
            if move.move_type != "out_invoice" or move.state != "posted":
                raise UserError(
                    self.env._(
                        "%(move)s is not a posted customer invoice: only posted customer "
                        "invoices can be disputed.",
                        move=move.display_name,
                    )
                )
            if move.payment_followup_dispute_id:
                raise UserError(
                    self.env._(
                        "%(move)s is already disputed: resolve the open dispute first.",
                        move=move.display_name,
                    )
                )

    def _payment_followup_untaxed(self):
        """The untaxed amount of the invoice lines, in the invoice currency."""
        self.ensure_one()
        return sum(
            self.invoice_line_ids.filtered(lambda aml: aml.display_type == "product").mapped(
                "price_subtotal"
            )
        )

    def _payment_followup_prepayment_share(self, untaxed, percent):
        """``percent`` (``Decimal``) of ``untaxed`` in the invoice currency, exact to the cent
        (``policy.prepayment.amount``), as the float the ORM stores."""
        self.ensure_one()
        currency = self.currency_id
        share = prepayment_policy.amount(Decimal(str(currency.round(untaxed))), percent)
        return currency.round(float(share))

    def _payment_followup_prepayment_name(self):
        self.ensure_one()
        return self.name if self.name and self.name != "/" else self.display_name

    def _prepare_payment_followup_prepayment_vals(self):
        """The draft prepayment invoice: one line per set of taxes of the invoice (one line
        for the usual invoice), no product, Y % of the untaxed amount of those lines."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        _threshold, percent = customer._payment_followup_prepayment_rule(self.company_id)
        name = self.env._(
            "Prepayment for %(invoice)s", invoice=self._payment_followup_prepayment_name()
        )
        by_taxes = {}
        for line in self.invoice_line_ids.filtered(lambda aml: aml.display_type == "product"):
            by_taxes.setdefault(line.tax_ids, 0.0)
            by_taxes[line.tax_ids] += line.price_subtotal
        # A liability until the final invoice deducts it, not revenue (SKR03 1718 / SKR04 3272).
        account = self.company_id._payment_followup_charge_accounts()["prepayment"]
        lines = [
            Command.create(
                {
                    "name": name,
                    "quantity": 1,
                    "price_unit": self._payment_followup_prepayment_share(subtotal, percent),
                    "tax_ids": [Command.set(taxes.ids)],
                    **({"account_id": account.id} if account else {}),
                }
            )
            for taxes, subtotal in by_taxes.items()
            if not self.currency_id.is_zero(subtotal)
        ]
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": self.journal_id.id,
            "currency_id": self.currency_id.id,
            "payment_followup_is_prepayment": True,
            "payment_followup_prepayment_for_id": self.id,
            "invoice_origin": self._payment_followup_prepayment_name(),
            "invoice_line_ids": lines,
        }

    # ------------------------------------------------------------------ limitation (Verjährung)

    payment_followup_limitation_agreed = fields.Date(
        string="Agreed Limitation Date",
        copy=False,
        tracking=True,
        help="The limitation date agreed with the customer for this invoice (§ 202 BGB). It "
        "replaces the statutory one: 31 December of the third year after the year the invoice "
        "fell due (§§ 195, 199 BGB).",
    )
    payment_followup_acknowledged_on = fields.Date(
        string="Acknowledged On",
        copy=False,
        readonly=True,
        help="The customer acknowledged the claim on this day (§ 212(1) no. 1 BGB): the "
        "limitation period began anew.",
    )
    payment_followup_acknowledgement_note = fields.Char(
        string="Acknowledgement", copy=False, readonly=True
    )
    payment_followup_limitation_date = fields.Date(
        string="Time-barred After",
        compute="_compute_payment_followup_limitation",
        help="The last day on which the open claim can be enforced: 31 December of the third "
        "year after the due date (§§ 195, 199 BGB), or the agreed date, begun anew three years "
        "after a part payment or an acknowledgement (§ 212 BGB).",
    )
    payment_followup_limitation_state = fields.Selection(
        LIMITATION_STATES, string="Limitation", compute="_compute_payment_followup_limitation"
    )

    @api.depends_context("company")
    @api.depends(
        "line_ids.amount_residual",
        "payment_followup_limitation_agreed",
        "payment_followup_acknowledged_on",
    )
    def _compute_payment_followup_limitation(self):
        self.payment_followup_limitation_date = False
        self.payment_followup_limitation_state = False
        today = fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        for company, moves in self.filtered("id").grouped("company_id").items():
            found = {}
            for _customer, move_id, _residual, result in Line._payment_followup_limitations(
                company, today, line_ids=moves.line_ids.ids
            ).values():
                found.setdefault(move_id, []).append(result)
            for move in moves:
                results = found.get(move.id)
                if not results:
                    continue
                # the instalment that becomes time-barred first, suspended ones last
                first = min(
                    results,
                    key=lambda r: (r.state == limitation_policy.SUSPENDED, r.date),
                )
                move.payment_followup_limitation_date = first.date
                move.payment_followup_limitation_state = first.state

    @api.constrains("payment_followup_limitation_agreed", "invoice_date_due")
    def _check_payment_followup_limitation_agreed(self):
        for move in self:
            agreed = move.payment_followup_limitation_agreed
            due = move.invoice_date_due or move.date
            if agreed and due and agreed < due:
                raise ValidationError(
                    self.env._(
                        "The agreed limitation date of %(invoice)s (%(agreed)s) lies before its "
                        "due date (%(due)s): enter a day on or after the due date.",
                        invoice=move.display_name,
                        agreed=format_date(self.env, agreed),
                        due=format_date(self.env, due),
                    )
                )

    def action_payment_followup_acknowledge(self):
        """Open the wizard that records the customer's acknowledgement of this claim."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Acknowledgement"),
            "res_model": "payment.followup.acknowledgement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def _payment_followup_acknowledge(self, day, note):
        """Record that the customer acknowledged this claim on ``day`` (§ 212(1) no. 1 BGB),
        with a note in the invoice's chatter."""
        self.ensure_one()
        self.write(
            {
                "payment_followup_acknowledged_on": day,
                "payment_followup_acknowledgement_note": note,
            }
        )
        self.invalidate_recordset(["payment_followup_limitation_date"])
        self.message_post(
            body=self.env._(
                "Claim acknowledged by the customer on %(date)s (§ 212 BGB): %(note)s. The "
                "limitation period begins anew; the claim is now time-barred after %(until)s.",
                date=format_date(self.env, day),
                note=note,
                until=format_date(self.env, self.payment_followup_limitation_date),
            )
        )

    def _payment_followup_einvoices(self):
        """``{move id: EInvoice}`` of the invoices of ``self`` that have an electronic
        original made by Odoo's ``account_edi_ubl_cii`` (installed with ``account``): its XML
        attachment ``ubl_cii_xml_id`` (UBL, XRechnung, Factur-X). A Factur-X (CII) invoice's
        original is its PDF with the XML embedded (``invoice_pdf_report_id``), a UBL or
        XRechnung invoice's the XML itself. The buyer reference is read from the XML, where
        Odoo wrote it (BT-10; for XRechnung the Leitweg-ID, which a public client requires on
        every invoice and its correspondence, E-Rechnungsverordnung § 5 / EN 16931)."""
        if "ubl_cii_xml_id" not in self._fields:
            return {}
        result = {}
        for move in self.filtered("ubl_cii_xml_id"):
            xml = move.ubl_cii_xml_id
            try:
                root = etree.fromstring(xml.raw, _XML_PARSER)
            except (etree.XMLSyntaxError, ValueError):
                root = None
            reference = customization = None
            if root is not None:
                reference = root.xpath("string(//*[local-name()='BuyerReference'][1])").strip()
                customization = " ".join(
                    root.xpath(
                        "//*[local-name()='CustomizationID']/text()"
                        " | //*[local-name()='GuidelineSpecifiedDocumentContextParameter']"
                        "/*[local-name()='ID']/text()"
                    )
                )
            cii = root is not None and etree.QName(root).localname == "CrossIndustryInvoice"
            original = move.invoice_pdf_report_id if cii and move.invoice_pdf_report_id else xml
            result[move.id] = EInvoice(
                attachment=original,
                buyer_reference=reference or None,
                xrechnung="xrechnung" in (customization or "").lower(),
            )
        return result
