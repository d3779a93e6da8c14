import gc
import logging
import os
import threading
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

import psycopg2

from odoo import Command, api, fields, models, modules
from odoo.tools import SQL, split_every

from ..policy import schedule
from ..policy.behaviour import NO_BEHAVIOUR
from .payment_followup_base_rate import MissingBaseRateError

_logger = logging.getLogger(__name__)

# The columns of a worklist row that the engine writes, partner first, with their SQL types.
_STATUS_COLUMNS = {
    "partner_id": "int",
    "policy_id": "int",
    "level_id": "int",
    "next_level_id": "int",
    "next_date": "date",
    "reason": "varchar",
    "action_needed": "bool",
    "manual_review": "bool",
    "no_email": "bool",
    "amount_due": "numeric",
    "amount_overdue": "numeric",
    "oldest_overdue_date": "date",
    "responsible_id": "int",
    "last_followup_date": "date",
}


class Settings(NamedTuple):
    """The company-dependent follow-up settings of a customer."""

    policy_id: int | None
    responsible_id: int | None
    excluded: bool
    postponed_until: date | None
    grace_days: int = 0  # the payment contract's days added to the offsets after the due date


# The company-dependent fields of res.partner that make up Settings.
_SETTING_FIELDS = (
    "payment_followup_policy_id",
    "payment_followup_responsible_id",
    "payment_followup_excluded",
    "payment_followup_postponed_until",
    "payment_followup_grace_days",
)

# First key of the PostgreSQL advisory locks that mark a customer as being followed up.
# Customers per query of the payment behaviour.
BEHAVIOUR_BATCH = 1000

_LOCK_KEY = 7_366_270


def can_commit(env):
    """Whether a batched cron may commit its finished work on ``env.cr``: not inside the
    transaction of a running test (Odoo 18 forbids it; savepoints keep the batches apart
    there) nor on the test cursors of a browser test. A cursor of its own, opened by a test to
    run the cron for real, commits."""
    test = modules.module.current_test
    if test and getattr(test, "cr", None) is env.cr:
        return False
    return not env.registry.in_test_mode()


@contextmanager
def _old_objects_frozen():
    """Keep Python's cyclic garbage collector off the objects that exist before a run (the
    registry and the caches, millions of them) while the run allocates its own. A run builds an
    object per open item, enough to trigger full collections that each walk the whole heap;
    frozen, the old objects are skipped. They return to the collector when the run ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class PaymentFollowupStatus(models.Model):
    """Where a customer stands in the follow-up of one company: the worklist.

    One row per customer (commercial entity) and company with open items, rewritten by every
    follow-up run and when the worklist opens. Rows are written only by the engine below, set
    based, under a per-customer advisory lock, so that runs in parallel never write the same row.
    """

    _name = "payment.followup.status"
    _description = "Follow-up Status"
    _order = "action_needed desc, next_date, amount_overdue desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    policy_id = fields.Many2one("payment.followup.policy", readonly=True)
    level_id = fields.Many2one(
        "payment.followup.level", string="Current Level", readonly=True, ondelete="set null"
    )
    next_level_id = fields.Many2one("payment.followup.level", readonly=True, ondelete="set null")
    next_date = fields.Date(string="Next Action", readonly=True)
    reason = fields.Selection(
        [
            (schedule.DUE, "Action due"),
            (schedule.NOT_DUE, "Nothing due"),
            (schedule.INTERVAL, "Waiting for the interval"),
            (schedule.POSTPONED, "Postponed"),
            (schedule.EXCLUDED, "Excluded"),
            (schedule.NO_LADDER, "No policy"),
        ],
        string="Status",
        readonly=True,
    )
    action_needed = fields.Boolean(readonly=True)
    manual_review = fields.Boolean(string="Manual Action", readonly=True)
    no_email = fields.Boolean(string="No Email Address", readonly=True)
    amount_due = fields.Monetary(string="Amount of Next Step", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    oldest_overdue_date = fields.Date(string="Oldest Overdue", readonly=True)
    days_overdue = fields.Integer(compute="_compute_days_overdue")
    last_followup_date = fields.Date(string="Last Reminder", readonly=True)
    responsible_id = fields.Many2one("res.users", readonly=True)
    send_email = fields.Boolean(related="next_level_id.send_email", string="Email")
    send_letter = fields.Boolean(related="next_level_id.send_letter", string="Letter")
    schedule_activity = fields.Boolean(related="next_level_id.schedule_activity", string="Call")

    @api.depends("oldest_overdue_date")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for status in self:
            oldest = status.oldest_overdue_date
            status.days_overdue = (today - oldest).days if oldest else 0

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "One status per customer."),
    ]

    avg_days_late = fields.Float(string="Avg. Days Late", digits=(16, 1), readonly=True)

    on_time_share = fields.Float(string="Paid on Time (%)", digits=(5, 1), readonly=True)

    dso = fields.Float(string="DSO (Days)", digits=(16, 1), readonly=True)

    promise_date = fields.Date(
        string="Promised By",
        compute="_compute_promise_date",
        help="The customer promised to pay by this day: no reminder for the covered items "
        "until then.",
    )

    # ------------------------------------------------------------------ gathering

    @api.model
    def _candidate_partner_ids(self, company):
        """Customers with open receivable items in ``company``, or a status row to refresh.

        Plain SQL for speed; it bypasses record rules and filters by company itself.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM res_partner p
                 WHERE p.id IN (
                       SELECT l.partner_id
                         FROM account_move_line l
                        WHERE %(open_item)s)
                 UNION
                SELECT partner_id FROM payment_followup_status WHERE company_id = %(company)s
                """,
                open_item=self.env["account.move.line"]._payment_followup_open_receivable_sql(
                    "l", company
                ),
                company=company.id,
            )
        )
        return sorted(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _open_items(self, company, partner_ids):
        """``({partner_id: [policy.schedule.Item]}, {partner_id: credit})``: the open receivable
        items of the customers, amounts exact; negative items (unapplied payments, credit notes)
        only count as the customer's credit.

        Plain SQL; bypasses record rules and filters by company itself.
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, commercial_partner_id FROM res_partner "
                "WHERE commercial_partner_id = ANY(%s)",
                list(partner_ids),
            )
        )
        customer_of = dict(cr.fetchall())  # contact -> customer: a dict, not a join per item
        cr.execute(
            SQL(
                """
                SELECT l.partner_id, l.id, COALESCE(l.date_maturity, l.date),
                       l.amount_residual::text, l.payment_followup_level_id,
                       l.payment_followup_blocked,
                       -- the customers' few charge documents, hashed once: cheaper than
                       -- joining the move of every item
                       l.move_id IN (
                           SELECT charge_move_id FROM payment_followup_history
                            WHERE charge_move_id IS NOT NULL AND partner_id = ANY(%(partners)s))
                  FROM account_move_line l
                 WHERE %(open_item)s
                   -- an array, not a join: lets PostgreSQL use the partner index
                   AND l.partner_id = ANY(%(contacts)s)
                """,
                open_item=self.env["account.move.line"]._payment_followup_open_receivable_sql(
                    "l", company
                ),
                partners=list(partner_ids),
                contacts=list(customer_of),
            )
        )
        items, credit = defaultdict(list), defaultdict(Decimal)
        Item = schedule.Item
        for contact_id, line_id, due, residual, level_id, blocked, charge in cr.fetchall():
            partner_id = customer_of[contact_id]
            amount = Decimal(residual)
            if amount > 0:
                items[partner_id].append(Item(line_id, due, amount, level_id, blocked, charge))
            else:
                credit[partner_id] -= amount
        return items, credit

    @api.model
    def _paused_line_ids(self, company, partner_ids, today):
        """The open items of ``partner_ids`` that get no reminder on ``today`` although they are
        open and not blocked: those of an open promise to pay, of a running payment plan and
        of a collection case. Set-based: one query per feature and batch. Paused items count as
        blocked in the decision.

        :returns: a set of ``account.move.line`` ids
        """
        return (
            self._paused_by_promises(company, partner_ids, today)
            | self._paused_by_plans(company, partner_ids, today)
            | self._paused_by_collection(company, partner_ids, today)
        )

    @api.model
    def _paused_by_promises(self, company, partner_ids, today):
        """Add the items covered by an open promise to pay whose date is not past. One query
        per batch; plain SQL that bypasses record rules and filters by company itself."""
        self.env["payment.followup.promise"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT rel.line_id
                  FROM payment_followup_promise_line_rel rel
                  JOIN payment_followup_promise p ON p.id = rel.promise_id
                 WHERE p.company_id = %(company)s
                   AND p.partner_id = ANY(%(partners)s)
                   AND p.state = 'open'
                   AND p.recorded_date <= %(today)s
                   AND p.date >= %(today)s
                """,
                company=company.id,
                partners=list(partner_ids),
                today=today,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _paused_by_plans(self, company, partner_ids, today):
        """Items of a running payment plan get no reminder."""
        self.env["payment.followup.plan"].flush_model(
            ["state", "item_ids", "partner_id", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT r.line_id
                  FROM payment_followup_plan_line_rel r
                  JOIN payment_followup_plan p ON p.id = r.plan_id
                  JOIN res_partner c ON c.id = p.partner_id
                 WHERE p.state = 'active' AND p.company_id = %(company)s
                   AND c.commercial_partner_id = ANY(%(partners)s)
                """,
                company=company.id,
                partners=list(partner_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _paused_by_collection(self, company, partner_ids, today):
        """Items handed over to collection get no reminder."""
        self.env["payment.followup.collection"].flush_model(["state", "item_ids", "partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT r.line_id
                  FROM payment_followup_collection_line_rel r
                  JOIN payment_followup_collection c ON c.id = r.collection_id
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE c.state = 'handed_over' AND c.company_id = %(company)s
                   AND p.commercial_partner_id = ANY(%(partners)s)
                """,
                company=company.id,
                partners=list(partner_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _settings(self, company, partner_ids):
        """``{partner_id: Settings}``: the company-dependent follow-up settings of the customers
        in ``company``. Odoo 18 stores company-dependent fields as JSON on the partner row: one
        read of the batch's partners, with the company's values and fallbacks."""
        partners = self.env["res.partner"].with_company(company).browse(list(partner_ids))
        partners.fetch(list(_SETTING_FIELDS))
        return {
            partner.id: Settings(
                policy_id=partner.payment_followup_policy_id.id or None,
                responsible_id=partner.payment_followup_responsible_id.id or None,
                excluded=bool(partner.payment_followup_excluded),
                postponed_until=partner.payment_followup_postponed_until or None,
                grace_days=max(partner.payment_followup_grace_days or 0, 0),
            )
            for partner in partners
        }

    @api.model
    def _ladders(self, policy_ids, cache=None):
        """``{policy_id: (policy.schedule.Level, ...)}``; ``cache``, a dict a run passes to all
        its batches, keeps the ladders it read."""
        cache = {} if cache is None else cache
        missing = [pid for pid in policy_ids if pid not in cache]
        if missing:
            self.env["payment.followup.level"].flush_model()
            levels = self.env["payment.followup.level"].search([("policy_id", "in", missing)])
            read = dict.fromkeys(missing, ())
            for level in levels:
                read[level.policy_id.id] += (level._to_policy(),)
            cache.update(read)  # complete ladders only: workers share the cache
        return {pid: cache[pid] for pid in policy_ids}

    @api.model
    def _last_followups(self, company, partner_ids):
        """``{partner_id: date}`` of the customers' last follow-up step: the worklist keeps it;
        the history answers for customers without a worklist row."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT partner_id, last_followup_date FROM payment_followup_status "
                "WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s)",
                company=company.id,
                partners=list(partner_ids),
            )
        )
        last = dict(cr.fetchall())
        missing = [pid for pid in partner_ids if pid not in last]
        if missing:
            cr.execute(
                SQL(
                    "SELECT partner_id, max(date) FROM payment_followup_history "
                    "WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s) "
                    "GROUP BY partner_id",
                    company=company.id,
                    partners=missing,
                )
            )
            last.update(cr.fetchall())
        return {pid: day for pid, day in last.items() if day}

    @api.model
    def _gather(self, company, partner_ids, today, ladder_cache=None):
        """``({partner_id: policy.schedule.Customer}, {partner_id: Settings})``; the policy of
        the settings is the one that applies (the company default when the customer has none)."""
        self.env.flush_all()
        settings = self._settings(company, partner_ids)
        default_policy = self.env["payment.followup.policy"]._get_company_default(company).id
        for pid, setting in settings.items():
            if not setting.policy_id:
                settings[pid] = setting._replace(policy_id=default_policy or None)
        ladders = self._ladders(
            {s.policy_id for s in settings.values() if s.policy_id}, ladder_cache
        )
        last_followups = self._last_followups(company, partner_ids)
        open_items, credit = self._open_items(company, partner_ids)
        paused = self._paused_line_ids(company, partner_ids, today)
        customers = {}
        for pid in partner_ids:
            setting = settings[pid]
            items = open_items.get(pid, ())
            if paused:
                items = [
                    item._replace(blocked=True) if item.id in paused else item for item in items
                ]
            customers[pid] = schedule.Customer(
                id=pid,
                items=tuple(items),
                levels=ladders.get(setting.policy_id, ()),
                last_followup=last_followups.get(pid),
                postponed_until=setting.postponed_until,
                excluded=setting.excluded,
                grace_days=setting.grace_days,
                credit=credit.get(pid, Decimal(0)),
            )
        return customers, settings

    @api.model
    def _decide(self, company, partner_ids, today):
        """The pure decisions for ``partner_ids``: ``({partner_id: Decision}, settings)``."""
        customers, settings = self._gather(company, partner_ids, today)
        decisions = {pid: schedule.decide(customer, today) for pid, customer in customers.items()}
        return decisions, settings

    # ------------------------------------------------------------------ storing

    @api.model
    def _try_lock(self, partner_ids):
        """The customers of ``partner_ids`` that no other run is following up right now.

        Transaction-level advisory locks: released at commit or rollback, never waited for.
        """
        if not partner_ids:
            return []
        self.env.cr.execute(
            SQL(
                "SELECT id FROM unnest(%(ids)s::int[]) AS id "
                "WHERE pg_try_advisory_xact_lock(%(key)s, id) ORDER BY id",
                ids=list(partner_ids),
                key=_LOCK_KEY,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _store(self, company, decisions, settings, last_followups):
        """Write the worklist rows of ``decisions`` (customers locked by this transaction).

        Most rows come out as they were the day before; only new and changed rows are written,
        in one statement, and the rows of customers with nothing open any more are deleted.
        """
        if not decisions:
            return
        # The recipient matters only for a step (is there an email address to send it to?).
        addresses = self._recipient_addresses([pid for pid, d in decisions.items() if d.step])
        level_ids = {d.step.level_id for d in decisions.values() if d.step}
        send_email = {
            level.id: level.send_email
            for level in self.env["payment.followup.level"].browse(level_ids)
        }
        cr = self.env.cr
        names = list(_STATUS_COLUMNS)
        cr.execute(
            SQL(
                "SELECT %(columns)s FROM payment_followup_status "
                "WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s)",
                columns=SQL(", ").join(SQL.identifier(name) for name in names),
                company=company.id,
                partners=list(decisions),
            )
        )
        stored = {row[0]: row for row in cr.fetchall()}
        gone = [pid for pid, d in decisions.items() if d.reason == schedule.NOTHING_OPEN]
        rows = []
        for pid, decision in decisions.items():
            if decision.reason == schedule.NOTHING_OPEN:
                continue
            step, setting = decision.step, settings[pid]
            row = (
                pid,
                setting.policy_id,
                decision.level_id,
                step.level_id if step else None,
                decision.next_date,
                decision.reason,
                bool(step),
                bool(step and step.manual_review),
                bool(step and send_email[step.level_id]) and not addresses[pid][1],
                # floats: Odoo reads numeric columns as floats (exact for cent amounts)
                float(step.amount_due) if step else 0.0,
                float(decision.amount_overdue),
                decision.oldest_overdue,
                setting.responsible_id,
                last_followups.get(pid),
            )
            if stored.get(pid) != row:
                rows.append(row)
        if rows:
            cr.execute(
                SQL(
                    """
                    INSERT INTO payment_followup_status
                        (%(columns)s, company_id, create_uid, write_uid, create_date, write_date)
                    SELECT v.*, %(company)s, %(uid)s, %(uid)s,
                           now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM unnest(%(arrays)s) AS v(%(columns)s)
                    ON CONFLICT (partner_id, company_id) DO UPDATE SET %(updates)s,
                        write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                    """,
                    columns=SQL(", ").join(SQL.identifier(name) for name in names),
                    arrays=SQL(", ").join(
                        SQL(f"%s::{kind}[]", [row[index] for row in rows])
                        for index, kind in enumerate(_STATUS_COLUMNS.values())
                    ),
                    updates=SQL(", ").join(
                        SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
                        for name in names[1:]
                    ),
                    company=company.id,
                    uid=self.env.uid,
                )
            )
        if gone:
            cr.execute(
                SQL(
                    "DELETE FROM payment_followup_status "
                    "WHERE company_id = %(company)s AND partner_id = ANY(%(ids)s)",
                    company=company.id,
                    ids=gone,
                )
            )
        self.invalidate_model()

    @api.model
    def _recipient_addresses(self, partner_ids):
        """``{partner_id: (recipient id, normalized email)}``: who gets the follow-up of each
        customer, the first active child contact of type invoice (as ``address_get(['invoice'])``
        finds it), else the customer itself. One query; the partners are not loaded."""
        self.env["res.partner"].flush_model(["parent_id", "type", "active", "email_normalized"])
        self.env.cr.execute(
            SQL(
                """
                WITH contact AS (
                    SELECT DISTINCT ON (parent_id) parent_id, id, email_normalized
                      FROM res_partner
                     WHERE parent_id = ANY(%(partners)s) AND type = 'invoice' AND active
                     ORDER BY parent_id, id
                )
                SELECT p.id, COALESCE(c.id, p.id),
                       CASE WHEN c.id IS NULL THEN p.email_normalized ELSE c.email_normalized END
                  FROM res_partner p
                  LEFT JOIN contact c ON c.parent_id = p.id
                 WHERE p.id = ANY(%(partners)s)
                """,
                partners=list(partner_ids),
            )
        )
        return {pid: (rid, email) for pid, rid, email in self.env.cr.fetchall()}

    @api.model
    def _recipients(self, partners):
        """``{partner_id: res.partner}``: the recipients of ``_recipient_addresses``."""
        addresses = self._recipient_addresses(partners.ids)
        return {partner.id: partners.browse(addresses[partner.id][0]) for partner in partners}

    # ------------------------------------------------------------------ running

    @api.model
    def _process(
        self,
        company,
        today,
        partner_ids=None,
        execute=True,
        manual=False,
        commit=False,
        batch_size=500,
        workers=1,
    ):
        """Decide (and execute, with ``execute``) the follow-up of ``company`` on ``today``.

        Batches of customers, each locked, decided, executed and stored in one transaction;
        with ``commit`` (the cron) every batch is committed so a crash loses no finished work,
        and ``workers`` > 1 runs that many batches at once, each on a cursor of its own.
        Without ``manual``, steps whose level asks for a manual review wait in the worklist.

        :returns: the executed ``payment.followup.history`` records
        """
        status = self.with_company(company)
        if partner_ids is None:
            partner_ids = status._candidate_partner_ids(company)
        chunks = list(split_every(batch_size, partner_ids))
        with _old_objects_frozen():
            if workers > 1 and commit and len(chunks) > 1 and not self.env.registry.in_test_mode():
                return status._process_parallel(company, today, chunks, execute, manual, workers)
            executed = status.env["payment.followup.history"]
            ladders = {}
            for index, chunk in enumerate(chunks, start=1):
                if commit:
                    # The cron only: one finished batch survives a crash of the next.
                    executed |= status._process_chunk_committed(
                        company, today, chunk, execute, manual, ladders
                    )
                    # Odoo 18 shows the cron's progress (batches done / left) in its log.
                    status.env["ir.cron"]._notify_progress(
                        done=index, remaining=len(chunks) - index
                    )
                else:
                    executed |= status._process_chunk(
                        company, today, chunk, execute, manual, ladders
                    )
            return executed

    @api.model
    def _process_chunk_committed(self, company, today, chunk, execute, manual, ladders):
        """One committed batch. A missing base rate fails only the batches that need it: the
        others go on, and the accountant is asked to enter the rate (see ``_cron_process``)."""
        try:
            with self.env.cr.savepoint():
                done = self._process_chunk(company, today, chunk, execute, manual, ladders)
        except MissingBaseRateError as error:
            _logger.error("follow-up of %s: batch not executed: %s", company.name, error)
            return self.env["payment.followup.history"]
        if can_commit(self.env):
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _process_parallel(self, company, today, chunks, execute, manual, workers):
        """Committed batches on ``workers`` cursors at once: this one and ``workers - 1``
        threads. The customers' advisory locks and the unique step keep every step single."""
        pending = list(reversed(chunks))
        guard = threading.Lock()
        ladders = {}
        executed_ids, errors = [], []

        def work(env):
            status = env["payment.followup.status"].with_company(company.id)
            while True:
                with guard:
                    if not pending or errors:
                        return
                    chunk = pending.pop()
                try:
                    done = status._process_chunk_committed(
                        status.env.company, today, chunk, execute, manual, ladders
                    )
                except Exception as error:  # handed to the calling thread, raised there
                    env.cr.rollback()
                    with guard:
                        errors.append(error)
                    return
                with guard:
                    executed_ids.extend(done.ids)

        def thread_work():
            with self.env.registry.cursor() as cr:
                work(api.Environment(cr, self.env.uid, self.env.context))

        threads = [
            threading.Thread(target=thread_work, name=f"payment_followup_{index}", daemon=True)
            for index in range(1, workers)
        ]
        for thread in threads:
            thread.start()
        work(self.env)
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return self.env["payment.followup.history"].browse(executed_ids)

    @api.model
    def _process_chunk(self, company, today, partner_ids, execute, manual, ladders=None):
        """One batch in the current transaction; returns the executed history records.
        ``ladders``: the ladder cache of the run (see ``_ladders``)."""
        History = self.env["payment.followup.history"]
        # Only a run that executes steps holds its customers; a refresh of the worklist takes
        # no lock (one per customer until the end of a request would exhaust PostgreSQL's lock
        # table on large companies).
        locked = self._try_lock(partner_ids) if execute else list(partner_ids)
        if len(locked) < len(partner_ids):
            _logger.info(
                "follow-up: %s customers are being processed by another run",
                len(partner_ids) - len(locked),
            )
        customers, settings = self._gather(company, locked, today, ladders)
        decisions = {pid: schedule.decide(c, today) for pid, c in customers.items()}
        steps = {
            pid: d.step
            for pid, d in decisions.items()
            if execute and d.step and (manual or not d.step.manual_review)
        }
        try:
            with self.env.cr.savepoint():
                done = History._execute_steps(company, steps, today) if steps else History
                for pid, step in steps.items():
                    customers[pid] = schedule.after_step(customers[pid], step, today)
                    decisions[pid] = schedule.decide(customers[pid], today)
                last_followups = {pid: c.last_followup for pid, c in customers.items()}
                self._store(company, decisions, settings, last_followups)
        except psycopg2.errors.UniqueViolation:
            # Another run committed these steps after this transaction's snapshot.
            _logger.info("follow-up: batch already executed by another run")
            return History
        return done

    @api.model
    def _cron_process(self, batch_size=1000):
        """The daily work, in this order:

        1. payment plans: instalments paid, late or broken (a broken plan resumes the
           follow-up of its items today);
        2. promises to pay whose date has passed: kept or broken (the chatter then tells why the
           follow-up resumes before the reminders of this run go out);
        3. the follow-up run of every company with a policy;
        4. suspensions of customers who paid without a reconciliation of their own: lifted;
        5. the payment behaviour shown in the worklist.
        """
        self.env["payment.followup.plan"]._cron_update_plans()
        self.env["payment.followup.promise"]._cron_evaluate()
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        for company in companies:
            if not self.env["payment.followup.policy"].search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                continue
            self._warn_missing_base_rate(company, today)
            self._process_committed(company, today, batch_size=batch_size)
        self.env["res.partner"]._payment_followup_suspension_lift_paid()
        for company in companies:
            self.with_company(company)._refresh_behaviour(company)

    @api.model
    def _warn_missing_base_rate(self, company, today):
        """A to-do for the accounting managers when a level of ``company`` charges interest and
        today's half-year has no base rate: the steps that charge interest wait for it."""
        half_year = self.env["payment.followup.base.rate"]._missing_half_year(today)
        if not half_year or not self.env["payment.followup.level"].search_count(
            [("company_id", "=", company.id), ("charge_interest", "=", True)], limit=1
        ):
            return
        BaseRate = self.env["payment.followup.base.rate"]
        summary = self.env._(
            "Enter the base rate (Basiszinssatz) of the %(half_year)s",
            half_year=BaseRate._half_year_label(half_year),
        )
        partner = company.partner_id
        Activity = self.env["mail.activity"].sudo()
        if Activity.search_count(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("summary", "=", summary),
            ],
            limit=1,
        ):
            return
        managers = self.env.ref("account.group_account_manager").users.filtered(
            lambda user: company in user.company_ids and not user.share
        )
        Activity.create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "summary": summary,
                "note": str(BaseRate._missing_rate_error(half_year)),
                "user_id": (managers[:1] or self.env.user).id,
                "date_deadline": today,
            }
        )

    @api.model
    def _process_committed(self, company, today, batch_size=1000):
        """The daily run of ``company`` as the cron does it: committed batches, on as many
        cursors as the system parameter ``payment_followup_ext.workers`` says (default: one
        more than the CPUs, at most 4: a worker waiting for PostgreSQL leaves its CPU free)."""
        default = min((os.cpu_count() or 1) + 1, 4)
        workers = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("payment_followup_ext.workers", default)
        )
        return self.with_company(company)._process(
            company, today, commit=True, batch_size=batch_size, workers=max(workers, 1)
        )

    @api.model
    def action_open_worklist(self):
        """Refresh the worklist of the selected companies, then open it."""
        today = fields.Date.context_today(self)
        for company in self.env.companies:
            self._process(company, today, execute=False)
            self._refresh_behaviour(company)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "payment_followup_ext.payment_followup_status_action"
        )

    def action_process(self):
        """Send the due follow-up of the selected customers now (manual review included)."""
        today = fields.Date.context_today(self)
        executed = self.env["payment.followup.history"]
        for company, statuses in self.grouped("company_id").items():
            executed |= self._process(
                company, today, partner_ids=statuses.partner_id.ids, manual=True
            )
        return executed._action_result()

    def action_preview(self):
        return self.partner_id.action_payment_followup_preview()

    def action_print_letter(self):
        return self.partner_id.action_payment_followup_print()

    def action_log_call(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "default_res_id": self.partner_id.id,
                "default_activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "default_date_deadline": fields.Date.context_today(self),
            },
        }

    def action_postpone(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Postpone Follow-up"),
            "res_model": "payment.followup.postpone.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": [Command.set(self.partner_id.ids)],
                "default_date": fields.Date.context_today(self) + timedelta(days=7),
            },
        }

    @api.depends_context("company")
    def _compute_promise_date(self):
        today = fields.Date.context_today(self)
        groups = self.env["payment.followup.promise"]._read_group(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("state", "=", "open"),
                ("date", ">=", today),
            ],
            ["partner_id", "company_id"],
            ["date:min"],
        )
        first = {(partner.id, company.id): day for partner, company, day in groups}
        for status in self:
            status.promise_date = first.get((status.partner_id.id, status.company_id.id))

    def action_payment_followup_plan(self):
        return self.partner_id.action_payment_followup_plan()

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
