from odoo import api, models
from odoo.tools import SQL

from ...policy import limitation as limitation_policy


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

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
