"""Service suspension until paid ("Leistungssperre"): set by a follow-up level when strict
criteria hold, lifted automatically once every overdue invoice and every fee and interest
document of the customer is paid, or set and lifted by hand by an accounting manager."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, plaintext2html
from odoo.tools.misc import format_date, formatLang

MANAGER_GROUP = "account.group_account_manager"


class PaymentFollowupLevel(models.Model):
    _inherit = "payment.followup.level"

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


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Stored, tracked and written through the ORM: automations "on update" react to it.
    service_suspended = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="The service of this customer is suspended until paid: no deliveries, no work.",
    )
    service_suspended_date = fields.Date(
        string="Service Suspended Since", readonly=True, copy=False
    )
    service_suspension_reason = fields.Text(readonly=True, copy=False)
    service_suspension_level_id = fields.Many2one(
        "payment.followup.level",
        string="Suspended by Level",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The follow-up level that suspended the service; empty when set by hand. A "
        "suspension by a level is lifted automatically once everything overdue is paid.",
    )
    # The commercial entity's suspension, for the banner on contacts and their documents.
    partner_service_suspended = fields.Boolean(
        string="Customer Service Suspended", compute="_compute_partner_service_suspended"
    )
    partner_service_suspended_date = fields.Date(
        string="Customer Suspended Since", compute="_compute_partner_service_suspended"
    )
    partner_service_suspension_reason = fields.Text(
        string="Customer Suspension Reason", compute="_compute_partner_service_suspended"
    )

    @api.depends(
        "commercial_partner_id.service_suspended",
        "commercial_partner_id.service_suspended_date",
        "commercial_partner_id.service_suspension_reason",
    )
    def _compute_partner_service_suspended(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.partner_service_suspended = commercial.service_suspended
            partner.partner_service_suspended_date = commercial.service_suspended_date
            partner.partner_service_suspension_reason = commercial.service_suspension_reason

    # ------------------------------------------------------------------ public API

    def _is_service_suspended(self):
        """True when the service of this partner's commercial entity is suspended (for one
        partner; for several: when any of them is). The one method other modules read."""
        return any(self.commercial_partner_id.mapped("service_suspended"))

    # ------------------------------------------------------------------ manual actions

    def _check_service_suspension_rights(self):
        # Superuser mode: automations run their server actions so (set up by an administrator).
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise UserError(
                self.env._(
                    "Only accounting managers can suspend a customer's service or lift the "
                    "suspension. Ask your accounting manager."
                )
            )

    def _service_suspension_customers(self):
        customers = self.commercial_partner_id
        if not customers:
            raise UserError(
                self.env._("Select the customers whose service you want to suspend or resume.")
            )
        return customers

    def action_service_suspend(self, reason=None):
        """Suspend the service of the selected customers (managers). Opens the wizard that asks
        for the reason; with ``reason``, or run by an automation, suspends at once."""
        self._check_service_suspension_rights()
        customers = self._service_suspension_customers()
        if reason or "__action_done" in self.env.context:
            customers._service_suspend(reason or self.env._("Suspended by an automated action."))
            return True
        return customers._service_suspension_wizard("suspend")

    def action_service_lift(self, reason=None):
        """Lift the suspension of the selected customers (managers); see
        ``action_service_suspend``."""
        self._check_service_suspension_rights()
        customers = self._service_suspension_customers()
        if reason or "__action_done" in self.env.context:
            customers._service_lift(reason or self.env._("Lifted by an automated action."))
            return True
        return customers._service_suspension_wizard("lift")

    def _service_suspension_wizard(self, mode):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suspend Service")
            if mode == "suspend"
            else self.env._("Lift Suspension"),
            "res_model": "payment.followup.suspension",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_mode": mode,
                "default_partner_ids": [fields.Command.set(self.ids)],
            },
        }

    # ------------------------------------------------------------------ writing

    def _service_suspend(self, reason, level=None, notes=None, today=None):
        """Suspend the service of the customers ``self`` (commercial entities) with ``reason``;
        ``level``: the follow-up level that did it (else by hand); ``notes``: ``{partner_id:
        chatter text}`` instead of the reason. Customers suspended already keep their date.

        Sudo: suspending is a follow-up operation that accountants (and the daily run) perform
        without the right to edit contacts; the callers check who may do it.
        """
        if not self:
            return
        today = today or fields.Date.context_today(self)
        customers = self.sudo()
        new = customers.filtered(lambda partner: not partner.service_suspended)
        values = {
            "service_suspension_reason": reason,
            "service_suspension_level_id": level.id if level else False,
        }
        if new:
            new.write(dict(values, service_suspended=True, service_suspended_date=today))
        if customers - new:
            (customers - new).write(values)
        notes = notes or {}
        customers._service_suspension_log(
            {
                partner.id: notes.get(partner.id)
                or self.env._("Service suspended: %(reason)s", reason=reason)
                for partner in customers
            }
        )

    def _service_lift(self, reason):
        """Lift the suspension of the suspended customers among ``self``; sudo as in
        ``_service_suspend``."""
        customers = self.sudo().filtered("service_suspended")
        if not customers:
            return
        customers.write(
            {
                "service_suspended": False,
                "service_suspended_date": False,
                "service_suspension_reason": False,
                "service_suspension_level_id": False,
            }
        )
        text = self.env._("Service suspension lifted: %(reason)s", reason=reason)
        customers._service_suspension_log(dict.fromkeys(customers.ids, text))

    def _service_suspension_log(self, texts):
        """A note in the chatter of each customer: ``texts`` is ``{partner_id: text}``.
        One create for all of them."""
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        self.env["mail.message"].sudo().create(
            [
                {
                    "model": "res.partner",
                    "res_id": partner_id,
                    "message_type": "comment",
                    "subtype_id": note,
                    "author_id": self.env.user.partner_id.id,
                    "body": plaintext2html(text),
                }
                for partner_id, text in texts.items()
            ]
        )

    # ------------------------------------------------------------------ automatic lifting

    @api.model
    def _service_suspension_lift_paid(self, partner_ids=None, today=None):
        """Lift the suspensions set by a follow-up level of ``partner_ids`` (all when None)
        whose customer has nothing left open in the level's company: no overdue item and no
        fee or interest document (blocked items do not count, as for the suspension). One
        query for all customers. Suspensions set by hand are lifted by hand.

        Plain SQL; bypasses record rules and filters by the level's company itself.
        """
        today = today or fields.Date.context_today(self)
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model(["payment_followup_charge_step_id"])
        self.flush_model(
            ["service_suspended", "service_suspension_level_id", "commercial_partner_id"]
        )
        partner_filter = (
            SQL("AND p.id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
                  JOIN payment_followup_level lv ON lv.id = p.service_suspension_level_id
                 WHERE p.service_suspended %(partner_filter)s
                   AND NOT EXISTS (
                       SELECT 1
                         FROM account_move_line l
                         JOIN account_account a ON a.id = l.account_id
                         JOIN account_move m ON m.id = l.move_id
                        WHERE l.partner_id IN (
                              SELECT c.id FROM res_partner c WHERE c.commercial_partner_id = p.id)
                          AND l.company_id = lv.company_id
                          AND l.parent_state = 'posted'
                          AND a.account_type = 'asset_receivable'
                          AND NOT l.reconciled
                          AND l.amount_residual > 0
                          AND NOT COALESCE(l.payment_followup_blocked, FALSE)
                          AND (COALESCE(l.date_maturity, l.date) < %(today)s
                               OR m.payment_followup_charge_step_id IS NOT NULL))
                """,
                partner_filter=partner_filter,
                today=today,
            )
        )
        paid = self.browse(row[0] for row in self.env.cr.fetchall())
        paid._service_lift(
            self.env._("every overdue invoice and every fee and interest document is paid.")
        )
        return paid


class PaymentFollowupHistory(models.Model):
    _inherit = "payment.followup.history"

    def _execute_level_actions(self, today):
        result = super()._execute_level_actions(today)
        self._suspend_service(today)
        return result

    def _suspend_service(self, today):
        """Suspend the service of the customers of the steps whose level says so, when the
        level's criteria hold: one aggregate query for the whole batch."""
        steps = self.filtered(lambda step: step.level_id.suspend_service)
        if not steps:
            return
        company = steps.company_id
        overdue = self._service_suspension_overdue(company, steps.partner_id.ids, today)
        currency = company.currency_id
        Partner = self.env["res.partner"]
        to_suspend = {}  # level: {partner_id: chatter text}
        for step in steps:
            level = step.level_id
            amount, oldest = overdue.get(step.partner_id.id, (0.0, None))
            days = (today - oldest).days if oldest else 0
            if (
                currency.compare_amounts(amount, level.suspend_min_amount) < 0
                or days < level.suspend_min_days
            ):
                continue
            to_suspend.setdefault(level, {})[step.partner_id.id] = self.env._(
                "Service suspended by follow-up level %(level)s: %(amount)s overdue, the oldest "
                "item for %(days)s days. It is lifted automatically once every overdue invoice "
                "and every fee and interest document is paid.",
                level=level.name,
                amount=formatLang(self.env, amount, currency_obj=currency),
                days=days,
            )
        # A customer suspended already keeps its suspension as it is (date, reason, and a
        # suspension by hand stays one: it is not lifted automatically).
        suspended = set(
            Partner.browse({pid for notes in to_suspend.values() for pid in notes})
            .sudo()
            .filtered("service_suspended")
            .ids
        )
        for level, notes in to_suspend.items():
            customers = Partner.browse([pid for pid in notes if pid not in suspended])
            customers._service_suspend(
                self.env._(
                    "Overdue invoices not paid (follow-up level %(level)s of %(date)s).",
                    level=level.name,
                    date=format_date(self.env, today),
                ),
                level=level,
                notes=notes,
                today=today,
            )

    @api.model
    def _service_suspension_overdue(self, company, partner_ids, today):
        """``{partner_id: (overdue amount, oldest due date)}`` of the customers in ``company``
        on ``today``: their overdue items that are not blocked, less their unapplied credit.

        Plain SQL, one query; bypasses record rules and filters by company itself.
        """
        self.env["account.move.line"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       SUM(CASE WHEN l.amount_residual < 0
                                  OR COALESCE(l.date_maturity, l.date) < %(today)s
                                THEN l.amount_residual ELSE 0 END),
                       MIN(CASE WHEN l.amount_residual > 0
                                 AND COALESCE(l.date_maturity, l.date) < %(today)s
                                THEN COALESCE(l.date_maturity, l.date) END)
                  FROM account_move_line l
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s
                   AND l.parent_state = 'posted'
                   AND l.account_id IN (
                       SELECT id FROM account_account
                        WHERE account_type = 'asset_receivable'
                          AND id IN (SELECT account_account_id
                                       FROM account_account_res_company_rel
                                      WHERE res_company_id = %(company)s))
                   AND l.partner_id IN (
                       SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%(partners)s))
                   AND NOT l.reconciled
                   AND l.amount_residual != 0
                   AND NOT COALESCE(l.payment_followup_blocked, FALSE)
                 GROUP BY p.commercial_partner_id
                """,
                company=company.id,
                partners=list(partner_ids),
                today=today,
            )
        )
        return {
            pid: (float(amount or 0.0), oldest) for pid, amount, oldest in self.env.cr.fetchall()
        }


class AccountMove(models.Model):
    _inherit = "account.move"

    partner_service_suspended = fields.Boolean(
        string="Customer Service Suspended", related="commercial_partner_id.service_suspended"
    )
    partner_service_suspended_date = fields.Date(
        string="Customer Suspended Since", related="commercial_partner_id.service_suspended_date"
    )
    partner_service_suspension_reason = fields.Text(
        string="Customer Suspension Reason",
        related="commercial_partner_id.service_suspension_reason",
    )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        """A payment may settle the last open item of a suspended customer: lift it then."""
        result = super().reconcile()
        customers = (
            self.filtered(lambda line: line.account_type == "asset_receivable")
            .partner_id.commercial_partner_id.sudo()
            .filtered("service_suspended")
        )
        if customers:
            self.env["res.partner"]._service_suspension_lift_paid(customers.ids)
        return result


class PaymentFollowupStatus(models.Model):
    _inherit = "payment.followup.status"

    @api.model
    def _cron_process(self, batch_size=1000):
        result = super()._cron_process(batch_size=batch_size)
        # Paid without a reconciliation of their own (an item blocked, a day later): lift.
        self.env["res.partner"]._service_suspension_lift_paid()
        return result
