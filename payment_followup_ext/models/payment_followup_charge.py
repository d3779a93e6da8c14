from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL, float_round
from odoo.tools.misc import format_date, formatLang

from ..policy import charges as charges_policy
from ..policy import fees as fees_policy
from ..policy.base_rate import MissingBaseRate

NO_FEE = fees_policy.FeeRule()  # no dunning fee

KINDS = [
    ("fee", "Dunning Fee"),
    ("interest", "Late Interest"),
    ("flat_fee", "Flat Fee (§ 288(5) BGB)"),
    ("flat_fee_credit", "Credited against the Flat Fee"),
]


class PaymentFollowupCharge(models.Model):
    """What a follow-up step charged beyond the invoices: the share of one item in a dunning fee,
    the late interest of one item over one period (one rate, one principal), the flat fee of one
    item, or the dunning costs of one item credited against its flat fee (a negative amount,
    § 288(5) sentence 3 BGB).

    Charges are booked on the step's customer invoice ("Mahngebühren und Verzugszinsen"). A charge
    counts while that document is posted and not reversed: cancelling or reversing it frees the
    days and the flat fee it charged, so a later step may charge them again.
    """

    _name = "payment.followup.charge"
    _description = "Follow-up Charge"
    _order = "history_id desc, kind, line_id, date_from, id"
    _check_company_auto = True

    history_id = fields.Many2one(
        "payment.followup.history", string="Follow-up Step", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="history_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="history_id.company_id", store=True, index=True)
    # The currency of the item charged (an invoice in USD is charged in USD); fees without an
    # item (before 18.0.1.2.0) are in the company's currency.
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    date = fields.Date(related="history_id.date", store=True)
    kind = fields.Selection(KINDS, required=True)
    line_id = fields.Many2one(
        "account.move.line",
        string="Item",
        index="btree_not_null",
        ondelete="cascade",
        help="The overdue item the interest or flat fee is charged on.",
    )
    invoice_id = fields.Many2one(related="line_id.move_id", string="Invoice")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    days = fields.Integer()
    rate = fields.Float(string="Rate (% p.a.)", digits=(5, 2))
    principal = fields.Monetary()
    amount = fields.Monetary(required=True)
    move_id = fields.Many2one(
        "account.move", string="Charge Document", index="btree_not_null", ondelete="set null"
    )
    active = fields.Boolean(
        compute="_compute_active",
        store=True,
        help="Counts while its document is posted and not reversed.",
    )

    @api.depends("line_id", "history_id")
    def _compute_currency_id(self):
        for charge in self:
            charge.currency_id = (
                charge.line_id.currency_id or charge.history_id.company_id.currency_id
            )

    @api.depends("move_id.state", "move_id.payment_state")
    def _compute_active(self):
        for charge in self:
            move = charge.move_id
            charge.active = bool(
                move and move.state == "posted" and move.payment_state != "reversed"
            )

    @api.depends("kind", "line_id", "date_from", "date_to")
    def _compute_display_name(self):
        for charge in self:
            charge.display_name = charge._label()

    def _label(self):
        """What the customer reads on the letter and the charge document."""
        self.ensure_one()
        invoice = self.line_id.move_id.name or ""
        if self.kind == "fee":
            return self.env._("Dunning fee")
        if self.kind == "flat_fee":
            return self.env._(
                "Flat fee for late payment (§ 288(5) BGB), invoice %(invoice)s", invoice=invoice
            )
        if self.kind == "flat_fee_credit":
            return self.env._(
                "Dunning costs credited against the flat fee (§ 288(5) sentence 3 BGB), "
                "invoice %(invoice)s",
                invoice=invoice,
            )
        return self.env._(
            "Late interest on invoice %(invoice)s: %(rate)s %% p.a. on %(principal)s "
            "from %(start)s to %(end)s (%(days)s days)",
            invoice=invoice,
            rate=formatLang(self.env, self.rate, digits=2),
            principal=formatLang(self.env, self.principal, currency_obj=self.currency_id),
            start=format_date(self.env, self.date_from),
            end=format_date(self.env, self.date_to),
            days=self.days,
        )

    def _display_rows(self, currency=None):
        """``[(label, amount)]``: the charges as a letter or an email lists them, the shares of
        a step's dunning fee in one row; amounts in ``currency`` (default: their own),
        converted on the day of their step."""

        def amount(charge):
            if not currency or charge.currency_id == currency:
                return charge.amount
            return charge.currency_id._convert(
                charge.amount, currency, charge.company_id, charge.date
            )

        rows, fee = [], 0.0
        for charge in self:
            if charge.kind == "fee":
                fee += amount(charge)
            else:
                rows.append((charge._label(), amount(charge)))
        if fee:
            rows.insert(0, (self.env._("Dunning fee"), fee))
        return rows

    # ------------------------------------------------------------------ computing

    @api.model
    def _holidays(self, company, years):
        """Public holidays at the company's place (its federal state; nationwide ones when
        the state is not set) for § 193 BGB, from the ``holidays`` package."""
        import holidays  # pylint: disable=import-outside-toplevel

        country = company.country_id.code or "DE"
        state = None
        if company.state_id.country_id.code == country:
            state = company.state_id.code.rsplit("-", 1)[-1]  # Odoo's "DE-BY": subdivision "BY"
        try:
            calendar = holidays.country_holidays(country, subdiv=state, years=sorted(years))
        except NotImplementedError:
            calendar = holidays.country_holidays(country, years=sorted(years))
        return frozenset(calendar)

    @api.model
    def _payments(self, lines):
        """``{line_id: [(date, Decimal amount)]}``: what was paid or credited on each item,
        from its reconciliations, in the item's currency."""
        payments = defaultdict(list)
        if not lines:
            return payments
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT debit_move_id, max_date, debit_amount_currency::text "
                "FROM account_partial_reconcile "
                "WHERE debit_move_id = ANY(%(lines)s)",
                lines=lines.ids,
            )
        )
        for line_id, day, amount in self.env.cr.fetchall():
            payments[line_id].append((day, Decimal(amount)))
        return payments

    @api.model
    def _charged(self, lines):
        """What the active charges of ``lines`` charged so far, per item: ``{line_id: last day
        of interest}``, the items with a flat fee, ``{line_id: dunning fees}`` and ``{line_id:
        dunning costs credited against the flat fee}`` (positive)."""
        self.flush_model()
        charged_through, fees, credited = {}, defaultdict(Decimal), defaultdict(Decimal)
        flat = set()
        for line, kind, last_day, amount in self._read_group(
            [("line_id", "in", lines.ids)], ["line_id", "kind"], ["date_to:max", "amount:sum"]
        ):
            if kind == "interest":
                charged_through[line.id] = last_day
            elif kind == "flat_fee":
                flat.add(line.id)
            elif kind == "fee":
                fees[line.id] = Decimal(str(amount))
            elif kind == "flat_fee_credit":
                credited[line.id] = -Decimal(str(amount))
        # A broken payment plan: its interest covered the time up to the break.
        for plan in self.env["payment.followup.plan"].search(
            [("state", "=", "broken"), ("item_ids", "in", lines.ids)]
        ):
            for line in plan.item_ids & lines:
                if not charged_through.get(line.id) or charged_through[line.id] < plan.date_broken:
                    charged_through[line.id] = plan.date_broken
        return charged_through, flat, fees, credited

    @api.model
    def _reminded_before(self, steps):
        """The items of ``steps`` that an earlier step of a level after the due date listed."""
        self.env["payment.followup.history"].flush_model(["listed_item_ids", "partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT item.id::int
                  FROM payment_followup_history h
                  JOIN payment_followup_level l ON l.id = h.level_id
                 CROSS JOIN LATERAL jsonb_array_elements_text(h.listed_item_ids) AS item(id)
                 WHERE h.partner_id = ANY(%(partners)s) AND NOT h.id = ANY(%(steps)s)
                   AND l.offset_days > 0
                   AND item.id::int = ANY(%(lines)s)
                """,
                partners=steps.partner_id.ids,
                lines=steps.line_ids.ids,
                steps=steps.ids,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _compute_for(self, steps):
        """``{history_id: [charge values]}`` of ``steps`` (one company, executed today).

        Every item is charged in its own currency: interest on its amounts in that currency,
        the flat fee of EUR 40 and the level's fee (in the company's currency) converted at the
        step's date. A step over items in several currencies charges its fee in the currency
        of the largest part of what is overdue.

        :raises UserError: a base rate needed for the interest is missing; nothing is written
        """
        company = steps.company_id
        charging = steps.filtered(lambda step: step.level_id._charges_anything())
        if not charging:
            return {}
        lines = charging.line_ids
        payments = self._payments(lines)
        charged_through, flat_charged, fees_charged, fees_credited = self._charged(lines)
        reminded = self._reminded_before(charging)
        base_rates = self.env["payment.followup.base.rate"]._get_rate_table()
        years = {step.date.year for step in charging} | {
            (line.date_maturity or line.date).year for line in lines
        }
        holidays = self._holidays(company, years | {year + 1 for year in years})
        facts = lines._payment_followup_default_facts(exclude_steps=steps, holidays=holidays)
        result = {}
        for step in charging:
            level, partner = step.level_id, step.partner_id.commercial_partner_id
            # Charge documents never earn interest, fees or flat fees themselves (§ 289 BGB).
            items = step.line_ids.filtered(
                lambda line: not line.move_id._payment_followup_is_charge()
            )
            by_currency = items.grouped("currency_id")
            fee_currency = max(
                by_currency,
                key=lambda currency, groups=by_currency: sum(
                    groups[currency].mapped("amount_residual")
                ),
                default=None,
            )
            terms = charges_policy.Terms(
                fee_rule=level._fee_rule_for(partner),
                charge_interest=level.charge_interest,
                charge_flat_fee=level.charge_flat_fee,
                consumer=partner._payment_followup_is_consumer(),
                regime=partner.payment_followup_interest_regime or charges_policy.STATUTORY,
                contract_rate=Decimal(str(partner.payment_followup_interest_rate)),
            )
            values = []
            for currency, currency_items in by_currency.items():
                values += self._compute_in_currency(
                    step,
                    currency,
                    currency_items,
                    terms if currency == fee_currency else replace(terms, fee_rule=NO_FEE),
                    {
                        "payments": payments,
                        "charged_through": charged_through,
                        "flat_charged": flat_charged,
                        "fees_charged": fees_charged,
                        "fees_credited": fees_credited,
                        "reminded": reminded,
                        "facts": facts,
                    },
                    base_rates,
                    holidays,
                )
            if values:
                result[step.id] = values
        return result

    @api.model
    def _compute_in_currency(self, step, currency, items, terms, known, base_rates, holidays):
        """The charge values of ``step`` on its ``items`` in ``currency`` (see
        ``_compute_for``; ``known``: what was charged and paid before, per item)."""
        company = step.company_id

        def convert(amount, source):
            """``amount`` (Decimal) of ``source`` currency in ``currency`` on the step's day."""
            if source == currency:
                return amount
            return Decimal(str(source._convert(float(amount), currency, company, step.date)))

        def money(amount):
            return float_round(float(amount), precision_rounding=currency.rounding)

        rule = terms.fee_rule
        if company.currency_id != currency:
            fixed = {
                name: convert(getattr(rule, name), company.currency_id)
                for name in ("fixed", "minimum", "maximum", "consumer_max")
            }
            terms = replace(terms, fee_rule=replace(rule, **fixed))
        claims = [
            charges_policy.Claim(
                key=line.id,
                amount=Decimal(str(line.amount_currency)),
                open=Decimal(str(line.amount_residual_currency)),
                due_date=line.date_maturity or line.date,
                payments=tuple(known["payments"].get(line.id, ())),
                charged_through=known["charged_through"].get(line.id),
                flat_fee_charged=line.id in known["flat_charged"],
                fees_charged=known["fees_charged"].get(line.id, Decimal(0)),
                fees_credited=known["fees_credited"].get(line.id, Decimal(0)),
                reminded=line.id in known["reminded"],
                **known["facts"][line.id],
            )
            for line in items
        ]
        try:
            charges = charges_policy.step_charges(
                claims,
                step.date,
                terms,
                base_rates=base_rates,
                holidays=holidays,
                flat_fee_amount=convert(fees_policy.FLAT_FEE_EUR, self.env.ref("base.EUR")),
            )
        except MissingBaseRate as missing:
            raise self.env["payment.followup.base.rate"]._missing_rate_error(
                missing.half_year
            ) from missing
        return [
            dict(self._prepare_charge_vals(charge, money), currency_id=currency.id)
            for charge in charges
        ]

    @api.model
    def _prepare_charge_vals(self, charge, money):
        """The values of a ``policy.charges.Charge``; ``money`` rounds to the currency."""
        values = {"kind": charge.kind, "amount": money(charge.amount)}
        if charge.key:
            values["line_id"] = charge.key
        if charge.kind == charges_policy.INTEREST:
            values.update(
                date_from=charge.date_from,
                date_to=charge.date_to,
                days=charge.days,
                rate=float(charge.rate),
                principal=money(charge.principal),
            )
        return values

    # ------------------------------------------------------------------ booking

    @api.model
    def _book(self, steps):
        """Compute, record and book the charges of ``steps``: one posted customer invoice per
        step with one line per fee, per item's interest and per flat fee, without tax."""
        charge_values = self._compute_for(steps)
        if not charge_values:
            return self
        company = steps.company_id
        journal = company._payment_followup_charge_journal()
        charges = self.create(
            [
                dict(values, history_id=step_id)
                for step_id, values_list in charge_values.items()
                for values in values_list
            ]
        )
        move_vals = []
        # One document per step and currency, the company's currency first.
        by_document = sorted(
            charges.grouped(lambda charge: (charge.history_id, charge.currency_id)).items(),
            key=lambda item: (item[0][0].id, item[0][1] != company.currency_id, item[0][1].id),
        )
        for (step, _currency), document_charges in by_document:
            lang = step.partner_id.lang or self.env.lang
            move_vals.append(
                step.with_context(lang=lang)._charge_move_vals(document_charges, journal)
            )
        moves = (
            self.env["account.move"]
            .with_company(company)
            .with_context(default_move_type="out_invoice", tracking_disable=True)
            .create(move_vals)
        )
        moves.action_post()
        for ((step, _currency), document_charges), move in zip(by_document, moves, strict=True):
            document_charges.move_id = move
            if not step.charge_move_id:
                step.charge_move_id = move
        return charges

    def action_open_document(self):
        self.ensure_one()
        return self.move_id._get_records_action()
