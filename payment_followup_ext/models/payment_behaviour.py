"""Payment behaviour of customers (Zahlungsverhalten): average days late, share of invoices paid
on time and DSO over the last 12 months, one SQL query for many customers."""

from datetime import timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.tools import SQL, split_every

BEHAVIOUR_DAYS = 365
BEHAVIOUR_BATCH = 1000


class Behaviour(NamedTuple):
    avg_days_late: float
    on_time_share: float
    dso: float


NO_BEHAVIOUR = Behaviour(0.0, 0.0, 0.0)


class ResPartner(models.Model):
    _inherit = "res.partner"

    payment_followup_avg_days_late = fields.Float(
        string="Avg. Days Late",
        digits=(16, 1),
        compute="_compute_payment_behaviour",
        help="Customer invoices of the last 12 months: days paid after the due date (0 when on "
        "time), on average; open overdue invoices count with their days overdue so far.",
    )
    payment_followup_on_time_share = fields.Float(
        string="Paid on Time (%)",
        digits=(5, 1),
        compute="_compute_payment_behaviour",
        help="Share of the customer invoices of the last 12 months paid by their due date, out "
        "of those paid or overdue.",
    )
    payment_followup_dso = fields.Float(
        string="DSO (Days)",
        digits=(16, 1),
        compute="_compute_payment_behaviour",
        help="Days sales outstanding: open receivables / invoiced in the last 12 months x 365.",
    )

    @api.depends_context("company")
    def _compute_payment_behaviour(self):
        partners = self.commercial_partner_id.filtered("id")
        behaviour = self._payment_behaviour(
            self.env.company, partners.ids, fields.Date.context_today(self)
        )
        for partner in self:
            values = behaviour.get(partner.commercial_partner_id.id, NO_BEHAVIOUR)
            partner.payment_followup_avg_days_late = values.avg_days_late
            partner.payment_followup_on_time_share = values.on_time_share
            partner.payment_followup_dso = values.dso

    @api.model
    def _payment_behaviour(self, company, partner_ids, today):
        """``{commercial partner id: Behaviour}`` of the customers in ``company`` on ``today``,
        one query per batch of customers (customers without invoices are left out).

        Counted: the receivable items of posted customer invoices dated in the 12 months up to
        ``today``. An item paid (fully reconciled) is late by the days from its due date to the
        date of its last reconciliation, 0 when paid on time; an open item past due is late by
        its days overdue so far; open items not due yet are not judged. DSO = open receivables
        (all dates) / invoiced in the 12 months x 365.

        Plain SQL for speed; it bypasses record rules and filters by company itself.
        """
        self.env.flush_all()
        result = {}
        for batch in split_every(BEHAVIOUR_BATCH, list(partner_ids)):
            self.env.cr.execute(
                SQL(
                    """
                WITH receivable AS (
                    SELECT l.id, p.commercial_partner_id AS partner_id, l.date, m.move_type,
                           COALESCE(l.date_maturity, l.date) AS due, l.balance,
                           l.amount_residual, l.reconciled
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.company_id = %(company)s
                       AND l.parent_state = 'posted'
                       AND l.date <= %(today)s
                       AND l.account_id IN (
                           SELECT id FROM account_account
                            WHERE account_type = 'asset_receivable'
                              AND id IN (SELECT account_account_id
                                           FROM account_account_res_company_rel
                                          WHERE res_company_id = %(company)s))
                       AND l.partner_id IN (
                           SELECT id FROM res_partner
                            WHERE commercial_partner_id = ANY(%(partners)s))
                ), judged AS (
                    SELECT r.partner_id, r.balance,
                           CASE WHEN r.reconciled THEN GREATEST((
                                    SELECT max(apr.max_date) FROM account_partial_reconcile apr
                                     WHERE apr.debit_move_id = r.id) - r.due, 0)
                                WHEN r.due < %(today)s THEN %(today)s - r.due
                           END AS days_late
                      FROM receivable r
                     WHERE r.move_type = 'out_invoice'
                       AND r.date > %(since)s
                       AND r.balance > 0
                )
                SELECT partner_id,
                       COALESCE((SELECT avg(j.days_late) FROM judged j
                                  WHERE j.partner_id = c.partner_id), 0)::float,
                       COALESCE((SELECT 100.0 * count(*) FILTER (WHERE j.days_late = 0)
                                        / NULLIF(count(j.days_late), 0)
                                   FROM judged j WHERE j.partner_id = c.partner_id), 0)::float,
                       COALESCE(c.open_amount * %(days)s
                                / NULLIF((SELECT sum(j.balance) FROM judged j
                                           WHERE j.partner_id = c.partner_id), 0), 0)::float
                  FROM (SELECT partner_id,
                               sum(amount_residual) FILTER (WHERE NOT reconciled) AS open_amount
                          FROM receivable GROUP BY partner_id) c
                """,
                    company=company.id,
                    partners=list(batch),
                    today=today,
                    since=today - timedelta(days=BEHAVIOUR_DAYS),
                    days=BEHAVIOUR_DAYS,
                )
            )
            for partner_id, avg_late, on_time, dso in self.env.cr.fetchall():
                result[partner_id] = Behaviour(
                    round(avg_late, 1), round(on_time, 1), round(max(dso, 0.0), 1)
                )
        return result


class PaymentFollowupStatus(models.Model):
    _inherit = "payment.followup.status"

    avg_days_late = fields.Float(string="Avg. Days Late", digits=(16, 1), readonly=True)
    on_time_share = fields.Float(string="Paid on Time (%)", digits=(5, 1), readonly=True)
    dso = fields.Float(string="DSO (Days)", digits=(16, 1), readonly=True)

    @api.model
    def _refresh_behaviour(self, company, partner_ids=None):
        """Write the payment behaviour of the worklist rows of ``company`` (of ``partner_ids``
        only, when given): one query to compute, one UPDATE to write per batch of customers.

        Plain SQL; bypasses record rules and filters by company itself.
        """
        self.env.flush_all()
        cr = self.env.cr
        if partner_ids is None:
            cr.execute(
                SQL(
                    "SELECT partner_id FROM payment_followup_status WHERE company_id = %(company)s",
                    company=company.id,
                )
            )
            partner_ids = [row[0] for row in cr.fetchall()]
        today = fields.Date.context_today(self)
        for batch in split_every(BEHAVIOUR_BATCH, list(partner_ids)):
            behaviour = self.env["res.partner"]._payment_behaviour(company, batch, today)
            values = [behaviour.get(pid, NO_BEHAVIOUR) for pid in batch]
            cr.execute(
                SQL(
                    """
                    UPDATE payment_followup_status s
                       SET avg_days_late = v.avg_days_late, on_time_share = v.on_time_share,
                           dso = v.dso
                      FROM unnest(%(partners)s::int[], %(late)s::float[], %(on_time)s::float[],
                                  %(dso)s::float[]) AS v(partner_id, avg_days_late,
                                                         on_time_share, dso)
                     WHERE s.company_id = %(company)s AND s.partner_id = v.partner_id
                       AND (s.avg_days_late, s.on_time_share, s.dso)
                           IS DISTINCT FROM (v.avg_days_late, v.on_time_share, v.dso)
                    """,
                    partners=list(batch),
                    late=[v.avg_days_late for v in values],
                    on_time=[v.on_time_share for v in values],
                    dso=[v.dso for v in values],
                    company=company.id,
                )
            )
        self.invalidate_model(["avg_days_late", "on_time_share", "dso"])

    @api.model
    def _cron_process(self, batch_size=1000):
        res = super()._cron_process(batch_size=batch_size)
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            self.with_company(company)._refresh_behaviour(company)
        return res

    @api.model
    def action_open_worklist(self):
        action = super().action_open_worklist()
        for company in self.env.companies:
            self._refresh_behaviour(company)
        return action
