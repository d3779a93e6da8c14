"""Early-payment incentives (Skonto) on top of Odoo's early discount of payment terms.

The discount itself is Odoo's: ``account.payment.term.early_discount`` puts ``discount_date``
and ``discount_amount_currency`` (the amount to pay to get the discount) on the receivable
line of the invoice, and the payment register books the discount when paid in time.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _payment_followup_early_discount(self, on_date):
        """The early discount this receivable line still offers on ``on_date``, or ``{}``.

        Available while the invoice is unpaid (Odoo grants it only on a full payment of the
        discounted amount) and ``on_date`` is not after the discount date. Keys: ``percentage``,
        ``date`` (last day), ``amount`` (to pay, in the invoice currency), ``discount``.
        """
        self.ensure_one()
        move = self.move_id
        if (
            self.display_type != "payment_term"
            or not self.discount_date
            or not on_date
            or on_date > self.discount_date
            or self.reconciled
            or not move.is_invoice(include_receipts=True)
            or not move._is_eligible_for_early_payment_discount(self.currency_id, on_date)
        ):
            return {}
        return {
            "percentage": move.invoice_payment_term_id.discount_percentage,
            "date": self.discount_date,
            "amount": self.discount_amount_currency,
            "discount": self.currency_id.round(
                self.amount_currency - self.discount_amount_currency
            ),
        }


class ResPartner(models.Model):
    _inherit = "res.partner"

    payment_incentive_text = fields.Text(
        string="Payment Incentive",
        help="Agreed incentive for paying early (e.g. an extra discount on the next order). "
        "Shown in the early discount block of the reminders.",
    )
    payment_discount_granted = fields.Monetary(
        string="Discounts Granted",
        compute="_compute_payment_discounts",
        currency_field="payment_discount_currency_id",
        help="Early payment discounts of the last 12 months taken by this customer: invoices "
        "with an early discount term fully paid on or before their discount date.",
    )
    payment_discount_missed = fields.Monetary(
        string="Discounts Missed",
        compute="_compute_payment_discounts",
        currency_field="payment_discount_currency_id",
        help="Early payment discounts of the last 12 months this customer did not take: "
        "invoices with an early discount term paid after their discount date or still unpaid.",
    )
    payment_discount_currency_id = fields.Many2one(
        "res.currency", compute="_compute_payment_discounts"
    )

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "payment_incentive_text"]

    @api.depends_context("company")
    def _compute_payment_discounts(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        amounts = self._payment_discount_amounts(company, today)
        for partner in self:
            granted, missed = amounts.get(partner.commercial_partner_id.id, (0.0, 0.0))
            partner.payment_discount_currency_id = company.currency_id
            partner.payment_discount_granted = granted
            partner.payment_discount_missed = missed

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
