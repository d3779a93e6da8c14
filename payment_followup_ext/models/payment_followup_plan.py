from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date, formatLang

from ..policy import plans as plan_policy

FREQUENCIES = [
    (plan_policy.WEEKLY, "Weekly"),
    (plan_policy.BIWEEKLY, "Every Two Weeks"),
    (plan_policy.MONTHLY, "Monthly"),
    (plan_policy.QUARTERLY, "Quarterly"),
]


class PaymentPlan(models.Model):
    """An instalment agreement (Ratenzahlungsvereinbarung) over a customer's overdue items.

    While it is honoured its items get no reminder. Payments reconciled with the covered items
    pay the instalments in date order; an instalment unpaid ``grace_days`` after its date breaks
    the plan (the follow-up resumes at ``resume_level_id``), everything paid completes it.
    """

    _name = "payment.followup.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "payment.followup.guarded.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, default=lambda self: self.env._("New"), copy=False
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Running"),
            ("broken", "Broken"),
            ("done", "Paid"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    date_start = fields.Date(
        string="Agreed On", required=True, default=fields.Date.context_today, tracking=True
    )
    item_ids = fields.Many2many(
        "account.move.line",
        "payment_followup_plan_line_rel",
        "plan_id",
        "line_id",
        string="Covered Items",
        check_company=True,
        help="The open receivable items the plan pays; they get no reminder while it runs.",
    )
    line_ids = fields.One2many(
        "payment.followup.plan.line", "plan_id", string="Instalments", copy=True
    )
    amount_items = fields.Monetary(
        string="Covered Amount", help="What the covered items were open when the plan started."
    )
    fee_amount = fields.Monetary(string="Plan Fee", help="Booked when the plan is confirmed.")
    interest_amount = fields.Monetary(
        string="Plan Interest",
        compute="_compute_amounts",
        store=True,
        help="The interest of the instalments, each booked when its instalment falls due.",
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, help="Instalments in total."
    )
    amount_paid = fields.Monetary(string="Paid", compute="_compute_progress")
    amount_open = fields.Monetary(string="Still Open", compute="_compute_progress")
    next_date = fields.Date(string="Next Instalment", compute="_compute_progress")
    grace_days = fields.Integer(
        default=5, help="Days an instalment may be late before the plan counts as broken."
    )
    resume_level_id = fields.Many2one(
        "payment.followup.level",
        string="Resume Follow-up At",
        check_company=True,
        help="When the plan breaks, the covered items continue at this level. Empty: where they "
        "stood.",
    )
    charge_move_id = fields.Many2one(
        "account.move", string="Fee Document", readonly=True, copy=False
    )
    charge_move_ids = fields.One2many(
        "account.move",
        "payment_followup_charge_plan_id",
        string="Fee and Interest Documents",
        help="The customer invoices of the plan's fee and of its interest as it fell due, "
        "reversals included.",
    )
    date_broken = fields.Date(string="Broken On", readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    note = fields.Html(string="Terms")

    @api.depends("line_ids.amount", "line_ids.interest_amount")
    def _compute_amounts(self):
        for plan in self:
            plan.amount_total = sum(plan.line_ids.mapped("amount"))
            plan.interest_amount = sum(plan.line_ids.mapped("interest_amount"))

    def _active_charge_moves(self):
        """The plan's fee and interest documents that count: posted, not reversed."""
        return self.charge_move_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state != "reversed"
            )
        )

    def _paid_total(self):
        """What was paid since the start on the covered items and the plan's fee and interest
        documents (whether the interest is booked yet or not)."""
        self.ensure_one()
        if self.state == "draft":
            return 0.0
        receivable = self._active_charge_moves().line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        paid_items = self.amount_items - sum(self.item_ids.mapped("amount_residual"))
        paid_charges = sum(receivable.mapped("balance")) - sum(receivable.mapped("amount_residual"))
        return paid_items + paid_charges

    @api.depends("line_ids.amount", "item_ids.amount_residual", "state")
    def _compute_progress(self):
        today = fields.Date.context_today(self)
        for plan in self:
            if not plan.line_ids:
                plan.amount_paid = plan.amount_open = 0.0
                plan.next_date = False
                continue
            paid = plan._paid_total()
            evaluation = plan._evaluate(today)
            plan.amount_paid = paid
            plan.amount_open = plan.amount_total - paid
            plan.next_date = evaluation.next_due

    def _evaluate(self, today):
        self.ensure_one()
        currency = self.currency_id
        instalments = tuple(
            (line.date, Decimal(str(currency.round(line.amount))))
            for line in self.line_ids.sorted("date")
        )
        paid = Decimal(str(currency.round(self._paid_total())))
        return plan_policy.evaluate(instalments, paid, today, self.grace_days)

    @api.constrains("line_ids", "amount_items", "fee_amount", "interest_amount", "state")
    def _check_instalments(self):
        for plan in self.filtered(lambda plan: plan.state != "cancel"):
            currency = plan.currency_id
            expected = plan.amount_items + plan.fee_amount + plan.interest_amount
            if plan.line_ids and currency.compare_amounts(plan.amount_total, expected) > 0:
                raise ValidationError(
                    self.env._(
                        "The instalments of %(plan)s add up to %(total)s, more than the debt of "
                        "%(debt)s. Lower the instalments.",
                        plan=plan.name,
                        total=plan.amount_total,
                        debt=expected,
                    )
                )
            if plan.line_ids and currency.compare_amounts(plan.amount_total, expected) < 0:
                raise ValidationError(
                    self.env._(
                        "The instalments of %(plan)s add up to %(total)s, less than the debt of "
                        "%(debt)s. Add an instalment or raise one.",
                        plan=plan.name,
                        total=plan.amount_total,
                        debt=expected,
                    )
                )
            if any(
                currency.compare_amounts(amount, 0) <= 0
                for amount in plan.line_ids.mapped("amount")
            ):
                raise ValidationError(self.env._("Every instalment must be above zero."))
            if any(
                currency.compare_amounts(amount, 0) < 0
                for amount in plan.line_ids.mapped("interest_amount")
            ):
                raise ValidationError(
                    self.env._("The interest of an instalment cannot be negative.")
                )

    # What a running plan agreed: changed by its buttons only (cancel, reset to draft).
    _PAYMENT_FOLLOWUP_AGREED = frozenset(
        ("partner_id", "company_id", "item_ids", "line_ids", "amount_items", "fee_amount")
    )

    def _payment_followup_guarded(self, vals):
        guarded = {"state", "date_broken", "charge_move_id"} & set(vals)
        if self.filtered(lambda plan: plan.state != "draft"):
            guarded |= self._PAYMENT_FOLLOWUP_AGREED & set(vals)
        return guarded

    @api.constrains("grace_days", "fee_amount", "amount_items", "item_ids", "state")
    def _check_terms(self):
        """Sane terms: grace days and the plan fee not negative, a covered amount above zero
        and, while the plan is a draft, no more than what its items still have open (a plan
        cannot make a debt larger than it is)."""
        for plan in self:
            currency = plan.currency_id
            if plan.grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(plan)s: the grace days cannot be negative. Enter 0 or more days.",
                        plan=plan.name,
                    )
                )
            if currency.compare_amounts(plan.fee_amount, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "%(plan)s: the plan fee cannot be negative. Enter 0 or a fee.",
                        plan=plan.name,
                    )
                )
            if plan.state != "draft" or not plan.item_ids:
                continue
            still_open = sum(plan.item_ids.mapped("amount_residual"))
            if currency.compare_amounts(plan.amount_items, 0) <= 0:
                raise ValidationError(
                    self.env._("%(plan)s covers nothing: select open items.", plan=plan.name)
                )
            if currency.compare_amounts(plan.amount_items, still_open) > 0:
                raise ValidationError(
                    self.env._(
                        "%(plan)s covers %(amount)s, but its items have only %(open)s open. A "
                        "payment plan cannot cover more than is owed.",
                        plan=plan.name,
                        amount=formatLang(self.env, plan.amount_items, currency_obj=currency),
                        open=formatLang(self.env, still_open, currency_obj=currency),
                    )
                )

    @api.constrains("item_ids", "partner_id")
    def _check_items(self):
        for plan in self:
            foreign = plan.item_ids.filtered(
                lambda line, plan=plan: (
                    line.partner_id.commercial_partner_id != plan.partner_id.commercial_partner_id
                )
            )
            if foreign:
                raise ValidationError(
                    self.env._("A payment plan covers items of its own customer only.")
                )
            if plan.state in ("draft", "active") and plan.item_ids.filtered(
                "payment_followup_blocked"
            ):
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s is disputed or excluded from follow-up: resolve "
                        "that first, or leave it out of the payment plan.",
                        invoice=plan.item_ids.filtered("payment_followup_blocked")[0].move_id.name,
                    )
                )

    # ------------------------------------------------------------------ life cycle

    def action_confirm(self):
        """Start the plan: number it, book its fee and interest, pause the covered items."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft payment plan can be confirmed."))
            if not plan.line_ids:
                raise UserError(
                    self.env._("Add the instalments before confirming the payment plan.")
                )
            other = self.search(
                [
                    ("id", "!=", plan.id),
                    ("state", "=", "active"),
                    ("item_ids", "in", plan.item_ids.ids),
                ],
                limit=1,
            )
            if other:
                raise UserError(
                    self.env._(
                        "Some items are already covered by the running payment plan %(plan)s.",
                        plan=other.name,
                    )
                )
            if plan.name == self.env._("New"):
                plan.name = (
                    self.env["ir.sequence"].next_by_code("payment.followup.plan") or plan.name
                )
            plan._book_fee()
            plan.sudo().state = "active"
            plan.partner_id.commercial_partner_id._payment_followup_post(
                plan.company_id,
                self.env._(
                    "Payment plan %(plan)s agreed: %(count)s instalments, %(total)s in total.",
                    plan=plan.name,
                    count=len(plan.line_ids),
                    total=plan.currency_id.format(plan.amount_total),
                ),
            )

    def _book_fee(self):
        """The plan's fee on a customer invoice without tax, due with the last instalment; once:
        a fee document that still counts (a plan confirmed again) is not booked twice."""
        self.ensure_one()
        if self.currency_id.is_zero(self.fee_amount) or (
            self.charge_move_id and self.charge_move_id in self._active_charge_moves()
        ):
            return
        plan = self.with_context(lang=self.partner_id.lang or self.env.lang)
        self.sudo().charge_move_id = self._book_charges(
            [("fee", self.fee_amount, plan._label_fee())], self.date_start
        )

    def _book_due_interest(self, today):
        """Book the interest of the instalments due by ``today`` that is not booked yet: one
        customer invoice without tax, due with the last instalment. Interest is income of the
        period its instalment falls in, not of the day the plan is agreed."""
        self.ensure_one()
        booked = self._active_charge_moves()
        due = self.line_ids.filtered(
            lambda line: (
                line.date <= today
                and not line.currency_id.is_zero(line.interest_amount)
                and line.interest_move_id not in booked
            )
        ).sorted("date")
        if not due:
            return
        plan = self.with_context(lang=self.partner_id.lang or self.env.lang)
        move = self._book_charges(
            [
                ("interest", line.interest_amount, plan._label_interest(line))
                for line in due.with_context(lang=plan.env.lang)
            ],
            today,
        )
        due.interest_move_id = move

    def _book_charges(self, charges, day):
        """Post a customer invoice without tax for ``charges`` (``[(kind, amount, label)]``) of
        the plan on ``day``, due with the last instalment; returns it."""
        self.ensure_one()
        company = self.company_id
        products = company._payment_followup_charge_products()
        accounts = company._payment_followup_charge_accounts()
        last = self.line_ids.sorted("date")[-1:].date or day
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "journal_id": company._payment_followup_charge_journal().id,
                    "invoice_date": day,
                    "date": day,
                    "invoice_payment_term_id": False,
                    "invoice_date_due": max(last, day),
                    "ref": self.with_context(
                        lang=self.partner_id.lang or self.env.lang
                    )._label_document(),
                    "payment_followup_charge_plan_id": self.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": products[kind].id,
                                "name": label,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                **({"account_id": accounts[kind].id} if accounts[kind] else {}),
                            }
                        )
                        for kind, amount, label in charges
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _label_fee(self):
        return self.env._("Fee for payment plan %(plan)s", plan=self.name)

    def _label_interest(self, line):
        return self.env._(
            "Interest for payment plan %(plan)s, instalment of %(date)s",
            plan=self.name,
            date=format_date(self.env, line.date),
        )

    def _label_document(self):
        return self.env._("Payment plan %(plan)s: fee and interest", plan=self.name)

    def action_cancel(self):
        """Cancel the plan: its fee and interest documents are reversed, as if it had never
        been agreed; the follow-up of its items resumes and charges the late interest of the
        whole time again. Refused while a document of the plan is (partly) paid."""
        for plan in self:
            if plan.state not in ("draft", "active", "broken"):
                raise UserError(
                    self.env._("Only a draft, running or broken payment plan can be cancelled.")
                )
            moves = plan._active_charge_moves()
            if moves.filtered(lambda move: move.payment_state in ("paid", "in_payment", "partial")):
                raise UserError(
                    self.env._(
                        "A fee or interest document of payment plan %(plan)s is already (partly) "
                        "paid. Unreconcile its payment first, then cancel the plan.",
                        plan=plan.name,
                    )
                )
            if moves:
                reversals = moves._payment_followup_reverse()
                reversals.payment_followup_charge_plan_id = plan
            plan.sudo().write({"state": "cancel", "date_broken": False})

    def action_draft(self):
        self.filtered(lambda plan: plan.state == "cancel").sudo().state = "draft"

    @api.model
    def _cron_update_plans(self, today=None):
        """Close the paid plans and break the late ones (called by the daily follow-up)."""
        today = today or fields.Date.context_today(self)
        for plan in self.search([("state", "=", "active")]):
            plan._book_due_interest(today)
            plan._update_state(today)

    def _update_state(self, today):
        self.ensure_one()
        evaluation = self._evaluate(today)
        if evaluation.state == plan_policy.DONE:
            self.sudo().state = "done"
            self.partner_id.commercial_partner_id._payment_followup_post(
                self.company_id,
                self.env._("Payment plan %(plan)s is paid in full.", plan=self.name),
            )
        elif evaluation.state == plan_policy.BROKEN:
            self._break(evaluation, today)

    def _break(self, evaluation, today):
        """The follow-up resumes at the plan's level; the responsible is told."""
        self.ensure_one()
        # The interest booked so far stays owed; from the day after the break the open items
        # bear late interest again (see payment.followup.charge._charged).
        self.sudo().write({"state": "broken", "date_broken": today})
        late = self.line_ids.sorted("date")[evaluation.missed[0]]
        if self.resume_level_id:
            ladder = self.resume_level_id.policy_id.level_ids.sorted("offset_days")
            below = ladder.filtered(
                lambda level: level.offset_days < self.resume_level_id.offset_days
            )[-1:]
            # The next climb of every open item is the resume level (one rung at a time).
            self.item_ids.filtered(lambda line: not line.reconciled)._payment_followup_set_level(
                below
            )
        message = self.env._(
            "Payment plan %(plan)s is broken: the instalment of %(date)s is not paid. The "
            "follow-up of its items resumes.",
            plan=self.name,
            date=format_date(self.env, late.date),
        )
        self.message_post(body=message)
        self.partner_id.commercial_partner_id._payment_followup_post(self.company_id, message)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=self.env._("Payment plan broken"),
            note=message,
            user_id=(self.user_id or self.env.user).id,
        )

    def action_print_agreement(self):
        for plan in self:
            plan.message_post(body=self.env._("Payment plan agreement printed."))
        return self.env.ref(
            "payment_followup_ext.action_report_payment_followup_plan"
        ).report_action(self)

    def action_send_agreement(self):
        """The agreement by email, in the customer's language, with the PDF attached."""
        self.ensure_one()
        template = self.env.ref("payment_followup_ext.mail_template_payment_followup_plan")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "payment.followup.plan",
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Payment plan %(plan)s", plan=self.name)


class PaymentPlanLine(models.Model):
    _name = "payment.followup.plan.line"
    _inherit = ["payment.followup.guarded.mixin"]
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        "payment.followup.plan", required=True, ondelete="cascade", index=True
    )
    # Stored for the record rule that keeps companies apart.
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(string="Due On", required=True)
    amount = fields.Monetary(required=True)
    interest_amount = fields.Monetary(
        string="Interest",
        help="The interest this instalment bears from the agreement to its date: booked when it "
        "falls due, paid with the last instalment.",
    )
    interest_move_id = fields.Many2one(
        "account.move", string="Interest Document", readonly=True, copy=False
    )
    amount_paid = fields.Monetary(string="Paid", compute="_compute_paid")
    state = fields.Selection(
        [("open", "Open"), ("paid", "Paid"), ("late", "Late")], compute="_compute_paid"
    )

    def _payment_followup_guarded(self, vals):
        """The instalments of a running plan are its agreement: only its actions change them."""
        plans = self.plan_id or self.env["payment.followup.plan"].browse(vals.get("plan_id"))
        if plans.filtered(lambda plan: plan.state != "draft"):
            return set(vals) - {"interest_move_id"}
        return set()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running_plan(self):
        if not self.env.su and self.plan_id.filtered(lambda plan: plan.state != "draft"):
            raise AccessError(
                self.env._(
                    "The instalments of a running payment plan are its agreement: cancel the "
                    "plan and reset it to draft to change them."
                )
            )

    @api.constrains("amount", "interest_amount", "date")
    def _check_plan(self):
        self.plan_id._check_instalments()

    @api.depends("plan_id.line_ids.amount", "plan_id.item_ids.amount_residual")
    def _compute_paid(self):
        today = fields.Date.context_today(self)
        for plan in self.plan_id:
            lines = plan.line_ids.sorted("date")
            evaluation = plan._evaluate(today) if lines else None
            paid = evaluation.paid if evaluation else ()
            for index, (line, share) in enumerate(zip(lines, paid, strict=True)):
                line.amount_paid = float(share)
                if share >= Decimal(str(plan.currency_id.round(line.amount))):
                    line.state = "paid"
                elif index in evaluation.late:
                    line.state = "late"
                else:
                    line.state = "open"
        for line in self.filtered(lambda line: not line.plan_id):
            line.amount_paid, line.state = 0.0, "open"
