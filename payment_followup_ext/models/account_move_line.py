from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..policy import interest as interest_policy
from ..policy import limitation as limitation_policy


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    payment_followup_level_id = fields.Many2one(
        "payment.followup.level",
        string="Follow-up Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The highest follow-up level this item reached.",
    )
    payment_followup_date = fields.Date(string="Last Reminder", readonly=True, copy=False)
    # Odoo 18 dropped the core flag ``blocked`` of journal items: the add-on owns its own.
    payment_followup_blocked = fields.Boolean(
        string="No Follow-up",
        copy=False,
        help="This item is never reminded, charged or counted for a suspension (e.g. disputed).",
    )

    payment_followup_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_payment_followup_days_overdue",
        help="Days since the due date, 0 while not due.",
    )

    payment_followup_prepayment_move_id = fields.Many2one(
        "account.move",
        string="Prepayment Deducted",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The prepayment invoice this line of a final invoice deducts.",
    )

    @api.depends("date_maturity", "date")
    def _compute_payment_followup_days_overdue(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.payment_followup_days_overdue = line._payment_followup_days_overdue(today)

    @api.model
    def _payment_followup_open_receivable_sql(self, alias, company):
        """The condition "``alias`` is an open receivable item of ``company``": posted, on a
        receivable account of the company, not reconciled, something left to pay. The one
        definition the follow-up's queries share. The receivable accounts come as an array, not
        a join: PostgreSQL then uses Odoo's index of unreconciled items per account.

        Plain SQL: the caller's query bypasses record rules; this filters by company itself.
        """
        line = SQL.identifier(alias)
        return SQL(
            """%(line)s.company_id = %(company)s
               AND %(line)s.parent_state = 'posted'
               AND %(line)s.account_id = ANY(ARRAY(
                   SELECT id FROM account_account
                    WHERE account_type = 'asset_receivable'
                      AND id IN (SELECT account_account_id
                                   FROM account_account_res_company_rel
                                  WHERE res_company_id = %(company)s)))
               AND %(line)s.reconciled IS NOT TRUE
               AND %(line)s.amount_residual != 0""",
            line=line,
            company=company.id,
        )

    @api.model
    def _payment_followup_open_receivable_domain(self, company):
        """The domain "open receivable item of ``company``": the ORM's twin of
        ``_payment_followup_open_receivable_sql``, for searches that respect record rules."""
        return [
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
        ]

    def _payment_followup_set_level(self, level):
        """Set the follow-up level of these items (``level`` may be empty) through the ORM,
        without the invoice synchronisation: the level is the add-on's own mark, it changes no
        amount, account or tax, so the moves need no balancing, no re-sync of their lines and
        no tracking (see ``account.move.line.write``)."""
        self.with_context(
            check_move_validity=False,
            skip_invoice_sync=True,
            skip_invoice_line_sync=True,
            skip_account_move_synchronization=True,
            tracking_disable=True,
        ).write({"payment_followup_level_id": level.id or False})

    def _payment_followup_default_facts(self, exclude_steps=None, holidays=()):
        """``{line_id: {agreed, invoice_received, notice_on_invoice, reminder_received}}``: the
        facts of § 286 BGB about these items, the keyword arguments of
        ``policy.interest.default_start``. A reminder counts from the day it was received: the
        day of an emailed step (not failed) or a printed letter plus the company's days to
        arrive; the steps ``exclude_steps`` (those being executed) do not count yet.
        """
        receipts = defaultdict(list)
        if self:
            history = self.env["payment.followup.history"]
            history.flush_model(["listed_item_ids", "partner_id", "mail_id", "letter_state"])
            self.env["mail.mail"].flush_model(["state"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT item.id::int, h.company_id, h.date,
                           CASE WHEN h.letter_state = 'printed' THEN 'letter' ELSE 'email' END
                      FROM payment_followup_history h
                      LEFT JOIN mail_mail m ON m.id = h.mail_id
                     CROSS JOIN LATERAL jsonb_array_elements_text(h.listed_item_ids) AS item(id)
                     WHERE h.partner_id = ANY(%(partners)s) AND NOT h.id = ANY(%(exclude)s)
                       AND item.id::int = ANY(%(lines)s)
                       AND (h.letter_state = 'printed'
                            OR (m.id IS NOT NULL AND m.state NOT IN ('exception', 'cancel')))
                    """,
                    partners=self.move_id.commercial_partner_id.ids,
                    exclude=(exclude_steps or history).ids,
                    lines=self.ids,
                )
            )
            companies = self.env["res.company"].browse()
            for line_id, company_id, day, channel in self.env.cr.fetchall():
                company = companies.browse(company_id)
                receipts[line_id].append(company._payment_followup_received_on(day, channel))
        facts = {}
        for line in self:
            move = line.move_id
            facts[line.id] = {
                "agreed": move.payment_followup_terms_agreed,
                "invoice_received": move.payment_followup_received_date or None,
                "notice_on_invoice": move.payment_followup_notice_printed,
                "reminder_received": interest_policy.first_reminder_received(
                    line.date_maturity or line.date, receipts[line.id], holidays
                ),
            }
        return facts

    def _payment_followup_residual_in(self, currency):
        """What is open of this item in ``currency``, as a letter or an email in that currency
        lists it: the item's own open amount when it is in that currency (an invoice in USD
        reminded in USD), else the open amount in the company's currency."""
        self.ensure_one()
        if currency == self.currency_id:
            return self.amount_residual_currency
        return self.amount_residual

    def _payment_followup_days_overdue(self, today):
        self.ensure_one()
        return max(0, (today - (self.date_maturity or self.date)).days)

    def reconcile(self):
        """§ 367(1) BGB: a payment settles the open fee and interest documents charged on the
        invoices it pays before the invoices themselves (``_payment_followup_costs_first``).
        A payment may settle the last open item of a suspended customer: lift it then."""
        self._payment_followup_costs_first()
        result = super().reconcile()
        receivable = self.filtered(lambda line: line.account_type == "asset_receivable")
        customers = self.env["res.partner"]
        for company, lines in receivable.grouped("company_id").items():
            customers |= (
                lines.partner_id.commercial_partner_id.sudo()
                .with_company(company)
                .filtered("payment_followup_suspended")
            )
        if customers:
            self.env["res.partner"]._payment_followup_suspension_lift_paid(customers.ids)
        return result

    def _payment_followup_costs_first(self):
        """Before payments among these lines settle the invoices among them, let them settle
        the open documents of fees and interest (dunning fees, flat fees, late interest) that
        the follow-up charged on those invoices: costs and interest first, then the principal
        (§ 367(1) BGB). Companies switch it off with ``payment_followup_costs_first``. Credit
        notes are corrections, not payments: they settle what they are matched with."""
        if self.env.context.get("payment_followup_costs_first_done"):
            return
        open_lines = self.filtered(
            lambda line: (
                line.account_type == "asset_receivable"
                and not line.reconciled
                and line.company_id.payment_followup_costs_first
            )
        )
        payments = open_lines.filtered(
            lambda line: (
                line.amount_residual < 0
                and (line.move_id.origin_payment_id or line.move_id.statement_line_id)
            )
        )
        invoices = open_lines.filtered(
            lambda line: line.amount_residual > 0 and not line.move_id._payment_followup_is_charge()
        )
        if not payments or not invoices:
            return
        charges = self.env["payment.followup.charge"].search([("line_id", "in", invoices.ids)])
        costs = (
            charges.move_id.line_ids.filtered(
                lambda line: (
                    line.account_type == "asset_receivable"
                    and not line.reconciled
                    and line.amount_residual > 0
                )
            )
            - self
        )
        if costs:
            (payments | costs.sorted(lambda line: (line.date, line.id))).with_context(
                payment_followup_costs_first_done=True
            ).reconcile()

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

    # ------------------------------------------------------------------ limitation (Verjährung)

    @api.model
    def _payment_followup_limitations(self, company, today, partner_ids=None, line_ids=None):
        """The limitation of the open claims of ``company`` on ``today``, in one query: those of
        the customers ``partner_ids`` (commercial entities), of the items ``line_ids``, or all.

        A claim is an open receivable item with something left to pay that is not a document of
        fees and interest (accessory claims become time-barred with the main claim, § 217 BGB).
        What restarts the period (§ 212(1) no. 1 BGB): the last part payment reconciled with the
        item (from a payment or a bank statement line, not a credit note) and the
        acknowledgement recorded on its invoice. A court dunning order applied for in an open
        collection case of the item suspends it (§ 204(1) no. 3 BGB).

        Plain SQL (a read over every open item of a batch); it bypasses record rules and filters
        by company itself.

        :returns: ``{line id: (customer id, move id, residual, policy.limitation.Limitation)}``
        """
        conditions = [self._payment_followup_open_receivable_sql("l", company)]
        if partner_ids is not None:
            conditions.append(SQL("p.commercial_partner_id = ANY(%s)", list(partner_ids)))
        if line_ids is not None:
            conditions.append(SQL("l.id = ANY(%s)", list(line_ids)))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id, p.commercial_partner_id, l.move_id, l.amount_residual,
                       COALESCE(l.date_maturity, l.date),
                       m.payment_followup_limitation_agreed,
                       m.payment_followup_acknowledged_on,
                       (SELECT max(pr.max_date)
                          FROM account_partial_reconcile pr
                          JOIN account_move_line c ON c.id = pr.credit_move_id
                          JOIN account_move cm ON cm.id = c.move_id
                          JOIN account_journal j ON j.id = cm.journal_id
                         WHERE pr.debit_move_id = l.id
                           AND (cm.origin_payment_id IS NOT NULL
                                OR cm.statement_line_id IS NOT NULL
                                OR j.type IN ('bank', 'cash'))),
                       (SELECT min(c.court_order_date)
                          FROM payment_followup_collection c
                          JOIN payment_followup_collection_line_rel r ON r.collection_id = c.id
                         WHERE r.line_id = l.id
                           AND c.state = 'handed_over'
                           AND c.court_order_date IS NOT NULL)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE %(conditions)s
                   AND l.amount_residual > 0
                   AND NOT %(charge_document)s
                """,
                conditions=SQL(" AND ").join(conditions),
                charge_document=self.env["account.move"]._payment_followup_charge_sql("m"),
            )
        )
        result = {}
        for row in self.env.cr.fetchall():
            line_id, customer_id, move_id, residual, due, agreed, acknowledged, paid, court = row
            acts = [day for day in (acknowledged, paid) if day]
            result[line_id] = (
                customer_id,
                move_id,
                residual,
                limitation_policy.limitation(
                    due,
                    today,
                    acts=acts,
                    # an agreement before the due date is refused on the invoice; a due date
                    # moved after the agreement leaves it out
                    agreed=agreed if agreed and agreed >= due else None,
                    court_order=court,
                ),
            )
        return result

    @api.model
    def _payment_followup_limitation_dates(self, company, today, partner_ids):
        """``{customer id: date}``: the earliest limitation date of each customer's open claims
        that are not suspended by a court dunning order, for the worklist. One query."""
        earliest = {}
        for customer_id, _move, _residual, result in self._payment_followup_limitations(
            company, today, partner_ids=partner_ids
        ).values():
            if result.state == limitation_policy.SUSPENDED:
                continue
            if customer_id not in earliest or result.date < earliest[customer_id]:
                earliest[customer_id] = result.date
        return earliest
