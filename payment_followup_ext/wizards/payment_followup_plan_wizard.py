from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..models.payment_followup_plan import FREQUENCIES
from ..policy import charges as charges_policy
from ..policy import plans as plan_policy
from ..policy.base_rate import MissingBaseRate


class PaymentPlanWizard(models.TransientModel):
    """Set up a payment plan over a customer's overdue items: instalments, rhythm, first date,
    optional down payment, plan fee and interest; the schedule is previewed before it is made."""

    _name = "payment.followup.plan.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Create Payment Plan"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    item_ids = fields.Many2many(
        "account.move.line",
        string="Items",
        compute="_compute_item_ids",
        store=True,
        readonly=False,
        domain="[('partner_id.commercial_partner_id', '=', partner_id), "
        "('account_id.account_type', '=', 'asset_receivable'), ('reconciled', '=', False), "
        "('parent_state', '=', 'posted'), ('amount_residual', '>', 0), "
        "('company_id', '=', company_id)]",
    )
    amount_items = fields.Monetary(string="Debt", compute="_compute_schedule")
    mode = fields.Selection(
        [("count", "Number of Instalments"), ("amount", "Amount per Instalment")],
        default="count",
        required=True,
    )
    count = fields.Integer(string="Instalments", default=3)
    instalment_amount = fields.Monetary(string="Amount per Instalment")
    frequency = fields.Selection(FREQUENCIES, default=plan_policy.MONTHLY, required=True)
    first_date = fields.Date(
        string="First Instalment On",
        required=True,
        default=lambda self: fields.Date.context_today(self),
    )
    down_payment = fields.Monetary()
    fee_amount = fields.Monetary(string="Plan Fee")
    charge_interest = fields.Boolean(
        help="Interest on every instalment from the agreement to its date, at the customer's "
        "late interest rate (statutory or contractual).",
    )
    interest_amount = fields.Monetary(string="Plan Interest", compute="_compute_schedule")
    grace_days = fields.Integer(default=5)
    resume_level_id = fields.Many2one(
        "payment.followup.level",
        string="Resume Follow-up At",
        domain="[('company_id', '=', company_id)]",
    )
    preview = fields.Html(compute="_compute_schedule")
    error = fields.Char(compute="_compute_schedule")

    @api.depends("partner_id", "company_id")
    def _compute_item_ids(self):
        for wizard in self:
            wizard.item_ids = wizard._default_items()

    def _default_items(self):
        """The customer's overdue open items that may be planned (not blocked/disputed), with
        the open fee and interest documents charged on them even where those are not due yet:
        a payment settles them first (§ 367(1) BGB), so a plan without them would count its
        instalments short and break."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["account.move.line"]
        today = fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        overdue = Line.search(
            [
                *Line._payment_followup_open_receivable_domain(self.company_id),
                ("partner_id.commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("amount_residual", ">", 0),
                ("payment_followup_blocked", "=", False),
                ("date_maturity", "<", today),
            ]
        )
        charges = self.env["payment.followup.charge"].search([("line_id", "in", overdue.ids)])
        costs = charges.move_id.line_ids.filtered(
            lambda line: (
                line.account_type == "asset_receivable"
                and not line.reconciled
                and line.amount_residual > 0
                and not line.payment_followup_blocked
            )
        )
        return (overdue | costs).sorted(lambda line: (line.date_maturity or line.date, line.id))

    def _instalments(self):
        """``((date, Decimal amount, Decimal interest), ...)``: each instalment with the
        interest it bears (booked when it falls due; paid with the last instalment), and the
        interest in total; raises PlanError for bad input."""
        self.ensure_one()
        currency = self.currency_id
        debt = Decimal(str(currency.round(sum(self.item_ids.mapped("amount_residual")))))
        fee = Decimal(str(currency.round(self.fee_amount)))
        base = plan_policy.schedule(
            debt + fee,
            self.first_date,
            self.frequency,
            count=self.count if self.mode == "count" else None,
            amount=Decimal(str(currency.round(self.instalment_amount)))
            if self.mode == "amount"
            else None,
            down_payment=Decimal(str(currency.round(self.down_payment))),
        )
        shares = self._interest(base) if self.charge_interest else (Decimal(0),) * len(base)
        interest = sum(shares, Decimal(0))
        # The interest is paid with the last instalment.
        *head, (last_day, last_amount) = base
        amounts = [*head, (last_day, last_amount + interest)]
        return (
            tuple(
                (day, amount, share) for (day, amount), share in zip(amounts, shares, strict=True)
            ),
            interest,
        )

    def _interest(self, instalments):
        """The interest of every instalment from the agreement to its date (customer's
        regime): ``(Decimal, ...)``; none when the covered debt is not in default on the day
        of the agreement (§ 286 BGB, ``policy.charges.plan_in_default``)."""
        partner = self.partner_id.commercial_partner_id
        consumer = partner._payment_followup_is_consumer()
        today = fields.Date.context_today(self)
        items = self.item_ids
        years = {today.year} | {day.year for day, _amount in instalments}
        years |= {(line.date_maturity or line.date).year for line in items}
        holidays = self.env["payment.followup.charge"]._holidays(
            self.company_id, years | {max(years) + 1}
        )
        facts = items._payment_followup_default_facts(holidays=holidays)
        claims = [
            charges_policy.Claim(
                key=line.id,
                amount=Decimal(str(line.amount_currency)),
                open=Decimal(str(line.amount_residual_currency)),
                due_date=line.date_maturity or line.date,
                **facts[line.id],
            )
            for line in items
        ]
        if not charges_policy.plan_in_default(claims, today, consumer=consumer, holidays=holidays):
            return (Decimal(0),) * len(instalments)
        try:
            return charges_policy.plan_interest_by_instalment(
                instalments,
                today,
                consumer=consumer,
                base_rates=self.env["payment.followup.base.rate"]._get_rate_table(),
                regime=partner.payment_followup_interest_regime or charges_policy.STATUTORY,
                contract_rate=Decimal(str(partner.payment_followup_interest_rate)),
                holidays=holidays,
            )
        except MissingBaseRate as missing:
            raise self.env["payment.followup.base.rate"]._missing_rate_error(
                missing.half_year
            ) from missing

    @api.depends(
        "item_ids",
        "mode",
        "count",
        "instalment_amount",
        "frequency",
        "first_date",
        "down_payment",
        "fee_amount",
        "charge_interest",
    )
    def _compute_schedule(self):
        for wizard in self:
            wizard.amount_items = sum(wizard.item_ids.mapped("amount_residual"))
            wizard.interest_amount = 0.0
            wizard.error = False
            wizard.preview = False
            if not wizard.item_ids or not wizard.first_date:
                continue
            try:
                instalments, interest = wizard._instalments()
            except (plan_policy.PlanError, UserError) as error:
                wizard.error = wizard._explain(error)
                continue
            wizard.interest_amount = float(interest)
            rows = "".join(
                f"<tr><td>{format_date(self.env, day)}</td>"
                f"<td class='text-end'>{wizard.currency_id.format(float(amount))}</td></tr>"
                for day, amount, _interest in instalments
            )
            due_on, amount_label = self.env._("Due On"), self.env._("Amount")
            wizard.preview = (
                f"<table class='table table-sm'><thead><tr><th>{due_on}</th>"
                f"<th class='text-end'>{amount_label}</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
            )

    def _explain(self, error):
        if isinstance(error, UserError):
            return str(error)
        if error.args and error.args[0] == plan_policy.TOO_MANY:
            return self.env._(
                "A payment plan has at most %(count)s instalments: raise the amount per "
                "instalment or lower their number.",
                count=plan_policy.MAX_INSTALMENTS,
            )
        return self.env._(
            "These terms give no valid schedule: check the number or amount of the instalments "
            "and the down payment (it must be less than the debt)."
        )

    def action_create(self):
        """Create and confirm the plan; opens it."""
        self.ensure_one()
        self._payment_followup_visible("partner_id", "item_ids")
        today = fields.Date.context_today(self)
        if not self.item_ids:
            raise UserError(self.env._("Select the overdue items the payment plan covers."))
        if self.first_date < today:
            raise UserError(
                self.env._(
                    "The first instalment cannot lie in the past. Choose today or a later day."
                )
            )
        if self.item_ids.filtered("payment_followup_blocked"):
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s is disputed or excluded from follow-up: resolve that "
                    "first, or leave it out of the payment plan.",
                    invoice=self.item_ids.filtered("payment_followup_blocked")[0].move_id.name,
                )
            )
        if (
            self.mode == "amount"
            and self.currency_id.compare_amounts(self.instalment_amount, 0) <= 0
        ):
            raise UserError(self.env._("Enter the amount of each instalment."))
        try:
            instalments, _interest = self._instalments()
        except plan_policy.PlanError as error:
            raise UserError(self._explain(error)) from error
        plan = self.env["payment.followup.plan"].create(
            {
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "date_start": today,
                "item_ids": [Command.set(self.item_ids.ids)],
                "amount_items": sum(self.item_ids.mapped("amount_residual")),
                "fee_amount": self.fee_amount,
                "grace_days": self.grace_days,
                "resume_level_id": self.resume_level_id.id,
                "line_ids": [
                    Command.create(
                        {"date": day, "amount": float(amount), "interest_amount": float(share)}
                    )
                    for day, amount, share in instalments
                ],
            }
        )
        plan.action_confirm()
        return plan._get_records_action()
