"""Prepayment for large work: "above amount X, require Y % prepayment".

The rule is set on the company (Invoicing settings) and can be overridden per customer
(company-dependent). A customer invoice above X (untaxed, company currency) whose customer has
no prepayment invoice for it gets a banner while it is a draft, a note in its chatter when it is
posted, and a button that drafts the prepayment invoice.
"""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount

# A posted prepayment invoice of the customer this recent counts for a new large invoice.
PREPAYMENT_LOOKBACK_DAYS = 90


def _check_prepayment_rule(env, threshold, percent, owner):
    if threshold < 0:
        raise ValidationError(
            env._(
                "%(owner)s: the prepayment threshold must be 0 or more.",
                owner=owner,
            )
        )
    if not 0 <= percent <= 100:
        raise ValidationError(
            env._(
                "%(owner)s: the prepayment percentage must be between 0 and 100 %%.",
                owner=owner,
            )
        )


class ResCompany(models.Model):
    _inherit = "res.company"

    payment_followup_prepayment_threshold = fields.Float(
        string="Prepayment Above",
        digits="Account",
        help="Customer invoices above this untaxed amount require a prepayment.",
    )
    payment_followup_prepayment_percent = fields.Float(
        string="Prepayment (%)",
        digits=(5, 2),
        help="Share of the untaxed amount to invoice in advance. 0: no prepayment rule.",
    )

    @api.constrains("payment_followup_prepayment_threshold", "payment_followup_prepayment_percent")
    def _check_payment_followup_prepayment(self):
        for company in self:
            _check_prepayment_rule(
                self.env,
                company.payment_followup_prepayment_threshold,
                company.payment_followup_prepayment_percent,
                company.name,
            )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    payment_followup_prepayment_threshold = fields.Float(
        related="company_id.payment_followup_prepayment_threshold", readonly=False
    )
    payment_followup_prepayment_percent = fields.Float(
        related="company_id.payment_followup_prepayment_percent", readonly=False
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

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

    @api.constrains("payment_followup_prepayment_threshold", "payment_followup_prepayment_percent")
    def _check_payment_followup_prepayment(self):
        for partner in self:
            _check_prepayment_rule(
                self.env,
                partner.payment_followup_prepayment_threshold,
                partner.payment_followup_prepayment_percent,
                partner.display_name,
            )

    def _payment_followup_prepayment_rule(self, company):
        """``(threshold, percent)`` that applies to this customer in ``company``."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        if partner.payment_followup_prepayment_custom:
            return (
                partner.payment_followup_prepayment_threshold,
                partner.payment_followup_prepayment_percent,
            )
        return (
            company.payment_followup_prepayment_threshold,
            company.payment_followup_prepayment_percent,
        )


class AccountMove(models.Model):
    _inherit = "account.move"

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
            if percent <= 0 or company.currency_id.compare_amounts(amount, threshold) <= 0:
                continue
            reference = move.invoice_date or today
            since = reference - timedelta(days=PREPAYMENT_LOOKBACK_DAYS)
            origin = move._origin
            if any(
                (origin and prepayment.payment_followup_prepayment_for_id == origin)
                or (
                    prepayment.state == "posted"
                    and prepayment != origin
                    and prepayment.company_id == company
                    and prepayment.commercial_partner_id == customer
                    and prepayment.invoice_date
                    and since <= prepayment.invoice_date <= reference
                )
                for prepayment in prepayments
            ):
                continue
            due = move.currency_id.round(untaxed * percent / 100)
            percent_label = f"{percent:g}"  # outside _(): babel cannot extract an f-string
            move.payment_followup_prepayment_needed = True
            move.payment_followup_prepayment_amount = due
            move.payment_followup_prepayment_message = self.env._(
                "Large invoice: above %(threshold)s the payment terms of %(customer)s require "
                "a prepayment of %(percent)s %% (%(amount)s), and there is no prepayment "
                "invoice for it.",
                threshold=format_amount(self.env, threshold, company.currency_id),
                customer=customer.name,
                percent=percent_label,
                amount=format_amount(self.env, due, move.currency_id),
            )

    def _payment_followup_untaxed(self):
        """The untaxed amount of the invoice lines, in the invoice currency."""
        self.ensure_one()
        return sum(
            self.invoice_line_ids.filtered(lambda aml: aml.display_type == "product").mapped(
                "price_subtotal"
            )
        )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted.filtered("payment_followup_prepayment_needed"):
            move.message_post(
                body=self.env._(
                    "%(message)s Use “Create Prepayment Invoice” to draft it.",
                    message=move.payment_followup_prepayment_message,
                )
            )
        return posted

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
        lines = [
            Command.create(
                {
                    "name": name,
                    "quantity": 1,
                    "price_unit": self.currency_id.round(subtotal * percent / 100),
                    "tax_ids": [Command.set(taxes.ids)],
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

    def action_payment_followup_create_prepayment(self):
        """Draft the prepayment invoice of this large invoice and open it."""
        self.ensure_one()
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
