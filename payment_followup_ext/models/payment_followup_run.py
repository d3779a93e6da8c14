"""The follow-up run: who is due for which step, executed exactly once, at scale.

The engine of the add-on. It gathers the open items and settings of customers in sets, lets
``policy.schedule`` decide, executes the steps (``payment.followup.history``) and keeps the
worklist (``payment.followup.status``) up to date. Work is split into batches of customers: each
batch is locked, decided, executed and stored in one transaction. The daily cron works through
the batches itself, committing each and asking Odoo to call it again while batches are left
(``ir.cron._notify_progress``); the bridge ``payment_followup_ext_queue_job`` hands each batch
to a job of OCA's job queue instead, so that several Odoo servers share a run.
"""

import gc
import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

import psycopg2

from odoo import api, fields, models, modules
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, plaintext2html, split_every

from ..policy import base_rate as base_rate_policy
from ..policy import channels, limitation, receivables, schedule
from ..policy.behaviour import NO_BEHAVIOUR
from .payment_followup_base_rate import MissingBaseRateError
from .payment_followup_status import FAILED, ITEM_PAUSES, PAUSED

_logger = logging.getLogger(__name__)


class Settings(NamedTuple):
    """The company-dependent follow-up settings of a customer."""

    policy_id: int | None
    responsible_id: int | None
    excluded: bool
    postponed_until: date | None
    grace_days: int = 0  # the payment contract's days added to the offsets after the due date
    # Why items of the customer are held back (one of ``ITEM_PAUSES``), None when none is.
    pause: str | None = None


# The company-dependent fields of res.partner that make up Settings.
_SETTING_FIELDS = (
    "payment_followup_policy_id",
    "payment_followup_responsible_id",
    "payment_followup_excluded",
    "payment_followup_postponed_until",
    "payment_followup_grace_days",
)

# The fields of a worklist row that a decision sets.
_STATUS_FIELDS = (
    "policy_id",
    "level_id",
    "next_level_id",
    "next_date",
    "reason",
    "action_needed",
    "manual_review",
    "no_email",
    "amount_due",
    "amount_overdue",
    "amount_overdue_30",
    "amount_overdue_60",
    "amount_overdue_90",
    "amount_overdue_older",
    "oldest_overdue_date",
    "days_overdue",
    "pause_reason",
    "responsible_id",
    "last_followup_date",
    "failure",
    "limitation_date",
)

# Customers per batch of the daily run, and batches per call of the cron before it hands over
# to Odoo's cron runner (which calls it again while batches are left): system parameters.
BATCH_SIZE_PARAM = "payment_followup_ext.batch_size"
BATCH_SIZE = 1000
BATCHES_PER_CALL_PARAM = "payment_followup_ext.batches_per_call"
BATCHES_PER_CALL = 10

# Customers per query of the payment behaviour.
BEHAVIOUR_BATCH = 1000

# Days before 1 January and 1 July from which the accounting manager is asked for the new base
# rate (the Bundesbank publishes it in the last days before).
BASE_RATE_LEAD_DAYS = 14

# The type of a customer's child contact who receives its reminders (res.partner.type).
DUNNING_CONTACT = "payment_followup"

# First key of the PostgreSQL advisory locks that mark a customer as being followed up.
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


class PaymentFollowupRun(models.AbstractModel):
    """The follow-up run: gathering, deciding (``policy.schedule``), locking, executing and
    storing, in batches of customers. No table of its own; the daily cron calls ``_run_daily``.
    """

    _name = "payment.followup.run"
    _description = "Follow-up Run"

    # ------------------------------------------------------------------ the daily run

    @api.model
    def _run_daily(self):
        """The daily work of every company, in this order:

        1. payment plans: instalments paid, late or broken (a broken plan resumes the
           follow-up of its items today);
        2. promises to pay whose date has passed: kept or broken (the chatter then tells why the
           follow-up resumes before the reminders of this run go out);
        3. the follow-up run: the batches of customers not yet followed up today, each
           committed (``_run_batches``);
        4. suspensions of customers who paid without a reconciliation of their own: lifted;
        5. the payment behaviour shown in the worklist;
        6. the early-discount (Skonto) reminders, independent of the follow-up ladder
           (``payment.followup.discount.reminder``; rerun-safe, once per invoice).

        Before the batches, each company's warnings: a missing base rate and, in November and
        December, the claims that become time-barred at the end of the year.

        Steps 1 and 2 change only what is due, so a call that continues a run repeats them at
        no cost; steps 4 to 6 wait for the last batch.
        """
        today = fields.Date.context_today(self)
        self.env["payment.followup.plan"]._cron_update_plans(today)
        self.env["payment.followup.promise"]._cron_evaluate(today)
        batches = []
        for company in self._companies_to_follow_up():
            self._warn_missing_base_rate(company, today)
            self._warn_limitation(company, today)
            done_up_to = company._payment_followup_run_done_up_to(today)
            pending = [pid for pid in self._candidate_partner_ids(company) if pid > done_up_to]
            batches += [(company, batch) for batch in split_every(self._batch_size(), pending)]
        if self._run_batches(batches, today):
            self._run_daily_finish(today)

    @api.model
    def _run_daily_finish(self, today):
        """Steps 4 to 6 of ``_run_daily``, once every batch of the day is done."""
        self.env["res.partner"]._payment_followup_suspension_lift_paid()
        for company in self._companies_to_follow_up():
            self.with_company(company)._refresh_behaviour(company)
        self.env["payment.followup.discount.reminder"]._cron_send(today)

    @api.model
    def _companies_to_follow_up(self):
        """The companies with a follow-up policy."""
        groups = self.env["payment.followup.policy"]._read_group([], ["company_id"])
        return self.env["res.company"].union(*(company for (company,) in groups)).sorted("id")

    @api.model
    def _batch_size(self):
        param = self.env["ir.config_parameter"].sudo().get_param(BATCH_SIZE_PARAM)
        return max(int(param or BATCH_SIZE), 1)

    @api.model
    def _run_batches(self, batches, today):
        """Run ``batches`` (``[(company, [partner id])]``) of the daily run, each committed, at
        most ``payment_followup_ext.batches_per_call`` of them; Odoo's cron runner calls the
        cron again while some are left (``_notify_progress``). A crash loses no committed
        batch: each records on its company how far the run has come today
        (``payment_followup_run_progress``), and the next call starts after it.

        :returns: whether every batch of the day is done
        """
        param = self.env["ir.config_parameter"].sudo().get_param(BATCHES_PER_CALL_PARAM)
        budget = max(int(param or BATCHES_PER_CALL), 1)
        ladders = {}
        with _old_objects_frozen():
            for index, (company, partner_ids) in enumerate(batches[:budget], start=1):
                self.with_company(company)._run_batch(
                    company, today, partner_ids, ladders, mark_progress=True
                )
                self.env["ir.cron"]._notify_progress(done=index, remaining=len(batches) - index)
        return len(batches) <= budget

    @api.model
    def _run_batch(
        self, company, today, partner_ids, ladders=None, commit=True, mark_progress=False
    ):
        """One batch of the daily run, committed unless ``commit`` is false (a job of the job
        queue, which commits itself). A customer whose step cannot be made (a template that
        fails to render, a fee that cannot be booked, a missing base rate) is left out with the
        reason on its worklist row; the rest of the batch goes out (``_execute_isolated``).
        With ``mark_progress`` (the cron's batches, taken in the order of the customers' ids),
        the company records the batch's last customer as done today, in the batch's
        transaction.

        :returns: the executed ``payment.followup.history`` records
        """
        if mark_progress:
            # The cron's batch: a failure of the batch as a whole (not of one customer, see
            # ``_execute_isolated``) is logged and the run goes on with the next batch and
            # company; the customers of the batch are tried again tomorrow.
            try:
                with self.env.cr.savepoint():
                    done = self._process_chunk(
                        company, today, partner_ids, True, False, ladders, isolate=True
                    )
            except psycopg2.OperationalError:
                raise
            except Exception:  # pylint: disable=broad-except
                _logger.exception(
                    "follow-up of %s: a batch of %s customers failed",
                    company.name,
                    len(partner_ids),
                )
                done = self.env["payment.followup.history"]
        else:
            done = self._process_chunk(
                company, today, partner_ids, True, False, ladders, isolate=True
            )
        if mark_progress:
            company.sudo().payment_followup_run_progress = {
                "date": fields.Date.to_string(today),
                "partner_id": max(partner_ids),
            }
        if commit and can_commit(self.env):
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _process(
        self,
        company,
        today,
        partner_ids=None,
        execute=True,
        manual=False,
        commit=False,
        batch_size=BATCH_SIZE,
    ):
        """Decide (and execute, with ``execute``) the follow-up of ``company`` on ``today``, in
        batches of customers, in the current transaction; with ``commit`` every batch is
        committed as the daily run does it. Without ``manual``, steps whose level asks for a
        manual review wait in the worklist.

        :returns: the executed ``payment.followup.history`` records
        """
        run = self.with_company(company)
        if partner_ids is None:
            partner_ids = run._candidate_partner_ids(company)
        executed = run.env["payment.followup.history"]
        ladders = {}
        with _old_objects_frozen():
            for chunk in split_every(batch_size, partner_ids):
                if commit:
                    executed |= run._run_batch(company, today, chunk, ladders)
                else:
                    executed |= run._process_chunk(company, today, chunk, execute, manual, ladders)
        return executed

    @api.model
    def _process_chunk(
        self, company, today, partner_ids, execute, manual, ladders=None, isolate=False
    ):
        """One batch in the current transaction; returns the executed history records.
        ``ladders``: the ladder cache of the run (see ``_ladders``). With ``isolate`` (the
        daily run), a customer whose step fails is left out with the reason on its worklist
        row instead of failing the batch; without it (a user's action), the error reaches the
        user and nothing is written."""
        # The steps, their charges and communication are the follow-up's records: users read
        # them, the run writes them (sudo; the user stays the author).
        History = self.env["payment.followup.history"].sudo()
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
        failed, taken = {}, set()
        if not steps:
            done = History
        elif isolate:
            done, failed, taken = self._execute_isolated(company, steps, today)
        else:
            with self.env.cr.savepoint():
                done = History._execute_steps(company, steps, today)
        for pid in done.partner_id.ids:
            customers[pid] = schedule.after_step(customers[pid], steps[pid], today)
            decisions[pid] = schedule.decide(customers[pid], today)
        if taken:
            # Done by another run that committed after this transaction began: its worklist
            # row is that run's to write.
            _logger.info("follow-up: %s customers already followed up by another run", len(taken))
            for pid in taken:
                del decisions[pid]
        last_followups = {pid: c.last_followup for pid, c in customers.items()}
        try:
            with self.env.cr.savepoint():
                self._store(company, decisions, settings, last_followups, failed, customers, today)
        except psycopg2.errors.UniqueViolation:
            # A worklist refresh (it takes no lock) created some of the rows meanwhile: they
            # are right as of its moment and refreshed by the next run; the steps stand.
            _logger.info("follow-up: worklist rows written meanwhile by another transaction")
        if failed:
            self._report_failures(company, failed, steps, settings)
        return done.sudo(False)

    @api.model
    def _execute_isolated(self, company, steps, today):
        """Execute ``steps`` (``{partner_id: policy.schedule.Step}``) so that one customer's
        failure costs no other customer its step: the steps are tried together in a savepoint;
        when that fails, each half is tried again, down to the single customer that fails.
        A batch without a failure costs one attempt; one failing customer among a thousand
        costs about twenty.

        A unique violation of a single customer means that another run committed its step
        after this transaction began (its snapshot cannot see it): the customer is left to
        that run. Errors of the database connection or of concurrent updates end the batch
        (the job or the cron runs it again).

        :returns: ``(executed history records, {partner_id: error}, {partner_id taken by
            another run})``
        """
        History = self.env["payment.followup.history"].sudo()
        try:
            with self.env.cr.savepoint():
                return History._execute_steps(company, steps, today), {}, set()
        except psycopg2.OperationalError:
            raise
        except Exception as error:  # pylint: disable=broad-except
            if len(steps) > 1:
                items = list(steps.items())
                half = len(items) // 2
                done, failed, taken = self._execute_isolated(company, dict(items[:half]), today)
                more = self._execute_isolated(company, dict(items[half:]), today)
                return done | more[0], failed | more[1], taken | more[2]
            (pid,) = steps
            if isinstance(error, psycopg2.errors.UniqueViolation):
                return History, {}, {pid}
            _logger.warning("follow-up of customer %s in %s failed: %s", pid, company.name, error)
            return History, {pid: error}, set()

    @api.model
    def _report_failures(self, company, failed, steps, settings):
        """A to-do on the worklist row of each customer in ``failed`` (``{partner_id:
        error}``) for its responsible: what failed and what to fix, one open to-do a
        customer however many runs fail. A missing base rate asks the accounting manager once
        for the company (``_warn_missing_base_rate``), not once per customer."""
        failed = {
            pid: error
            for pid, error in failed.items()
            if not isinstance(error, MissingBaseRateError)
        }
        if not failed:
            return
        Status = self.env["payment.followup.status"].sudo()
        rows = Status.search([("company_id", "=", company.id), ("partner_id", "in", list(failed))])
        todo = self.env.ref("payment_followup_ext.mail_activity_type_step_failed")
        open_todos = {
            activity.res_id: activity
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", Status._name),
                    ("res_id", "in", rows.ids),
                    ("activity_type_id", "=", todo.id),
                ]
            )
        }
        fallback = self._accounting_managers(company)[:1] or self.env.user
        levels = self.env["payment.followup.level"].browse(
            {step.level_id for pid, step in steps.items() if pid in failed}
        )
        level_name = {level.id: level.name for level in levels}
        Activity = self.env["mail.activity"].sudo()
        for row in rows:
            pid = row.partner_id.id
            summary = self.env._(
                "Follow-up step failed: %(level)s", level=level_name[steps[pid].level_id]
            )
            note = plaintext2html(self._failure_message(failed[pid]))
            if row.id in open_todos:
                open_todos[row.id].write({"summary": summary, "note": note})
                continue
            Activity.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(Status._name),
                    "res_id": row.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "note": note,
                    "user_id": settings[pid].responsible_id or fallback.id,
                }
            )

    @api.model
    def _failure_message(self, error):
        """What the accountant reads about a failed step: the message of a user error (it says
        what to fix), else the technical error, named as such. A missing base rate is a user
        error whatever caused it: its message names the half-year and where to enter it."""
        if isinstance(error, MissingBaseRateError) or (
            isinstance(error, UserError) and error.__cause__ is None
        ):
            return _shorten(str(error.args[0]), 1000)
        root = error
        while (root.__cause__ or root.__context__) is not None:
            root = root.__cause__ or root.__context__
        # A technical error, maybe wrapped by Odoo in a user error that quotes a whole
        # template and its traceback: the first words of the wrapper and the cause suffice.
        technical = f"{type(root).__name__}: {_shorten(str(root), 300)}"
        if root is not error:
            wrapper = str(error.args[0] if error.args else error).split("\n", 1)[0]
            technical = f"{_shorten(wrapper.split(': ', 1)[0], 80)}: {technical}"
        return self.env._("Technical error, for your administrator: %(error)s", error=technical)

    @api.model
    def _accounting_managers(self, company):
        """The internal accounting managers of ``company``."""
        return self.env.ref("account.group_account_manager").users.filtered(
            lambda user: company in user.company_ids and not user.share
        )

    # ------------------------------------------------------------------ gathering

    @api.model
    def _candidate_partner_ids(self, company):
        """Customers with open receivable items in ``company``, or a worklist row to refresh,
        in the order of their ids.

        Plain SQL for speed (a read: the run's first query over every open item); it bypasses
        record rules and filters by company itself.
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
                       -- the customers' few charge documents (of steps and payment plans),
                       -- hashed once: cheaper than joining the move of every item
                       l.move_id IN (
                           SELECT m.id FROM account_move m
                            WHERE %(charge_document)s
                              AND m.commercial_partner_id = ANY(%(partners)s))
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
                charge_document=self.env["account.move"]._payment_followup_charge_sql("m"),
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

        :returns: ``{account.move.line id: pause}``, the pause of ``ITEM_PAUSES`` that comes
            first for an item held back by several
        """
        paused = dict.fromkeys(self._paused_by_promises(company, partner_ids, today), "promise")
        paused.update(dict.fromkeys(self._paused_by_plans(company, partner_ids, today), "plan"))
        paused.update(
            dict.fromkeys(self._paused_by_collection(company, partner_ids, today), "collection")
        )
        return paused

    @api.model
    def _disputed_line_ids(self, company, line_ids):
        """The items of ``line_ids`` whose invoice is disputed (an open dispute): what holds
        them back, for the worklist; the decision sees them blocked (``No Follow-up``). One
        query; plain SQL that bypasses record rules and filters by company itself."""
        if not line_ids:
            return set()
        self.env["payment.followup.dispute"].flush_model(["move_id", "state", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id
                  FROM account_move_line l
                  JOIN payment_followup_dispute d ON d.move_id = l.move_id
                 WHERE d.state = 'open' AND d.company_id = %(company)s
                   AND l.id = ANY(%(lines)s)
                """,
                company=company.id,
                lines=list(line_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

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
        in ``company``, with the fallbacks of ``ir.default``.

        A read in SQL, built by the ORM itself (``_field_to_sql`` gives the company's value,
        the fallback and the existence check of a related record): one query a batch instead of
        loading every partner record (about a quarter of the decision's time).
        """
        Partner = self.env["res.partner"].with_company(company)
        rows = self.env.execute_query(
            SQL(
                "SELECT id, %(columns)s FROM res_partner WHERE id = ANY(%(partners)s)",
                columns=SQL(", ").join(
                    Partner._field_to_sql("res_partner", name) for name in _SETTING_FIELDS
                ),
                partners=list(partner_ids),
            )
        )
        return {
            pid: Settings(
                policy_id=policy_id or None,
                responsible_id=responsible_id or None,
                excluded=bool(excluded),
                postponed_until=postponed_until or None,
                grace_days=max(grace_days or 0, 0),
            )
            for pid, policy_id, responsible_id, excluded, postponed_until, grace_days in rows
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
        disputed = self._disputed_line_ids(
            company, [item.id for items in open_items.values() for item in items if item.blocked]
        )
        customers = {}
        for pid in partner_ids:
            setting = settings[pid]
            items = open_items.get(pid, ())
            if paused or disputed:
                pauses = {
                    paused.get(item.id) or ("dispute" if item.id in disputed else "blocked")
                    for item in items
                    if item.blocked or item.id in paused
                }
                if pauses:
                    settings[pid] = setting._replace(pause=min(pauses, key=ITEM_PAUSES.index))
                items = [
                    item._replace(blocked=True) if item.id in paused else item for item in items
                ]
            elif any(item.blocked for item in items):
                settings[pid] = setting._replace(pause="blocked")
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
    def _store(
        self, company, decisions, settings, last_followups, failed=None, customers=None, today=None
    ):
        """Write the worklist rows of ``decisions`` (customers locked by this transaction);
        ``failed`` (``{partner_id: error}``): the customers whose step failed, shown with the
        reason. ``customers`` (``{partner_id: policy.schedule.Customer}``, as decided on
        ``today``) give what each customer owes, also the items held back: a customer whose
        open items are all held back keeps its row, paused, with the reason.

        Through the ORM, as the follow-up itself (``sudo``: the worklist is kept by the run, not
        edited by users). Most rows come out as they were the day before: only new and changed
        rows are written (Odoo flushes them in a few statements), and the rows of customers with
        nothing open any more are deleted.
        """
        if not decisions:
            return
        # No chatter of their own for rows the run writes (the rows hold the notes of shared
        # contacts, see ``res.partner._payment_followup_thread``).
        Status = self.env["payment.followup.status"].sudo().with_context(tracking_disable=True)
        # The recipient matters only for a step (is there an email address to send it to?).
        addresses = self._recipient_addresses([pid for pid, d in decisions.items() if d.step])
        level_ids = {d.step.level_id for d in decisions.values() if d.step}
        send_email = {
            level.id: level.send_email
            for level in self.env["payment.followup.level"].browse(level_ids)
        }
        # The rows as they are, read in one query to compare (a read: the ORM would build a
        # record and convert 15 values per row for the same answer).
        Status.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, id, %(columns)s FROM payment_followup_status "
                "WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s)",
                columns=SQL(", ").join(SQL.identifier(name) for name in _STATUS_FIELDS),
                company=company.id,
                partners=list(decisions),
            )
        )
        stored = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        limitation_dates = self.env["account.move.line"]._payment_followup_limitation_dates(
            company, today or fields.Date.context_today(self), list(decisions)
        )
        currency = company.currency_id
        to_create, to_write, gone = [], {}, []
        for pid, decision in decisions.items():
            row = stored.get(pid)
            customer = customers[pid] if customers else None
            reason = decision.reason
            if reason == schedule.NOTHING_OPEN and customer and receivables.held_back(customer):
                reason = PAUSED
            if reason == schedule.NOTHING_OPEN:
                if row and row[1 + _STATUS_FIELDS.index("reason")] != schedule.NOTHING_OPEN:
                    gone.append(row[0])
                continue
            step, setting = decision.step, settings[pid]
            error = failed.get(pid) if failed else None
            if customer:
                ageing = receivables.ageing(customer.items, today)
            else:
                ageing = receivables.Ageing(
                    decision.amount_overdue, decision.oldest_overdue, 0, (None,) * 4
                )
            if reason == PAUSED:
                pause = setting.pause
            elif reason in (schedule.EXCLUDED, schedule.POSTPONED):
                pause = reason
            else:
                pause = None
            values = {
                "policy_id": setting.policy_id or None,
                "level_id": (
                    receivables.reached_level(customer) if reason == PAUSED else decision.level_id
                )
                or None,
                "next_level_id": step.level_id if step else None,
                "next_date": decision.next_date or None,
                "reason": FAILED if error else reason,
                "action_needed": bool(step),
                "manual_review": bool(step and step.manual_review),
                "no_email": bool(step)
                and channels.no_email(send_email[step.level_id], addresses[pid][1]),
                # sums of stored residuals: exact to the cent already, no rounding needed
                "amount_due": float(step.amount_due) if step else 0.0,
                "amount_overdue": float(ageing.overdue),
                "amount_overdue_30": float(ageing.buckets[0] or 0),
                "amount_overdue_60": float(ageing.buckets[1] or 0),
                "amount_overdue_90": float(ageing.buckets[2] or 0),
                "amount_overdue_older": float(ageing.buckets[3] or 0),
                "oldest_overdue_date": ageing.oldest or None,
                "days_overdue": ageing.days,
                "pause_reason": pause,
                "responsible_id": setting.responsible_id or None,
                "last_followup_date": last_followups.get(pid) or None,
                "failure": self._failure_message(error) if error else None,
                "limitation_date": limitation_dates.get(pid),
            }
            if row is None:
                to_create.append(
                    # the currency first: the amounts' conversions read it
                    {"currency_id": currency.id, "partner_id": pid, "company_id": company.id}
                    | {name: value or False for name, value in values.items()}
                )
                continue
            status_id, *current = row
            changed = {
                name: value or False
                for (name, value), old in zip(values.items(), current, strict=True)
                if value != (float(old) if isinstance(old, Decimal) else old)
            }
            if changed:
                to_write[status_id] = changed
        if to_write:
            Status.browse(to_write).mapped("currency_id")  # their amounts' currency, read at once
            # Rows with the same changes in one write each (e.g. every customer who got a step
            # today): a few writes, not one a row.
            same_changes = defaultdict(list)
            for status_id, changed in to_write.items():
                same_changes[tuple(sorted(changed.items()))].append(status_id)
            for changed, status_ids in same_changes.items():
                Status.browse(status_ids).write(dict(changed))
        if to_create:
            Status.create(to_create)
        if gone:
            # Rows with notes in their chatter stay, as "nothing open"; the others go.
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT res_id FROM mail_message "
                    "WHERE model = %s AND res_id = ANY(%s)",
                    Status._name,
                    gone,
                )
            )
            keep = Status.browse(row[0] for row in self.env.cr.fetchall())
            keep.write(
                dict.fromkeys(set(_STATUS_FIELDS) - {"last_followup_date"}, False)
                | {"reason": schedule.NOTHING_OPEN}
            )
            (Status.browse(gone) - keep).unlink()
        Status.flush_model()

    @api.model
    def _recipient_addresses(self, partner_ids, dunning=True):
        """``{partner_id: (recipient id, normalized email)}``: who gets the follow-up of each
        customer: its first active dunning contact (child contact of type ``payment_followup``),
        else its first active invoicing contact (type invoice, as ``address_get(['invoice'])``
        finds it), else the customer itself. Without ``dunning`` (invoices), the dunning contact
        is passed over. One query; the partners are not loaded."""
        self.env["res.partner"].flush_model(["parent_id", "type", "active", "email_normalized"])
        types = [DUNNING_CONTACT, "invoice"] if dunning else ["invoice"]
        self.env.cr.execute(
            SQL(
                """
                WITH contact AS (
                    SELECT DISTINCT ON (parent_id) parent_id, id, email_normalized
                      FROM res_partner
                     WHERE parent_id = ANY(%(partners)s) AND type = ANY(%(types)s) AND active
                     ORDER BY parent_id, array_position(%(types)s, type::text), id
                )
                SELECT p.id, COALESCE(c.id, p.id),
                       CASE WHEN c.id IS NULL THEN p.email_normalized ELSE c.email_normalized END
                  FROM res_partner p
                  LEFT JOIN contact c ON c.parent_id = p.id
                 WHERE p.id = ANY(%(partners)s)
                """,
                partners=list(partner_ids),
                types=types,
            )
        )
        return {pid: (rid, email) for pid, rid, email in self.env.cr.fetchall()}

    @api.model
    def _recipients(self, partners, dunning=True):
        """``{partner_id: res.partner}``: the recipients of ``_recipient_addresses``."""
        addresses = self._recipient_addresses(partners.ids, dunning=dunning)
        return {partner.id: partners.browse(addresses[partner.id][0]) for partner in partners}

    @api.model
    def _warn_missing_base_rate(self, company, today):
        """A to-do for an accounting manager of ``company`` when a level charges interest and a
        base rate is missing: today's (the steps that charge interest wait for it) or the next
        half-year's, from 14 days before it applies (``BASE_RATE_LEAD_DAYS``). One to-do per
        half-year, due the day before the rate applies (today when it applies already)."""
        BaseRate = self.env["payment.followup.base.rate"]
        missing = base_rate_policy.rates_to_enter(
            today, BaseRate._get_rate_table(), BASE_RATE_LEAD_DAYS
        )
        if not missing or not self.env["payment.followup.level"].search_count(
            [("company_id", "=", company.id), ("charge_interest", "=", True)], limit=1
        ):
            return
        partner = company.partner_id
        Activity = self.env["mail.activity"].sudo()
        managers = self._accounting_managers(company)
        for half_year in missing:
            summary = self.env._(
                "Enter the base rate (Basiszinssatz) of the %(half_year)s",
                half_year=BaseRate._half_year_label(half_year),
            )
            if Activity.search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("summary", "=", summary),
                ],
                limit=1,
            ):
                continue
            Activity.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": partner.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "summary": summary,
                    "note": str(BaseRate._missing_rate_error(half_year)),
                    "user_id": (managers[:1] or self.env.user).id,
                    "date_deadline": max(today, half_year.start - timedelta(days=1)),
                }
            )

    @api.model
    def _refresh_behaviour(self, company, partner_ids=None):
        """Write the payment behaviour of the worklist rows of ``company`` (of ``partner_ids``
        only, when given): one query to compute per batch of customers, the changed rows written
        through the ORM (flushed by Odoo in a few statements).
        """
        Status = self.env["payment.followup.status"].sudo()
        domain = [("company_id", "=", company.id)]
        if partner_ids is not None:
            domain.append(("partner_id", "in", list(partner_ids)))
        statuses = Status.search_fetch(
            domain,
            ["partner_id", "avg_days_late", "on_time_share", "dso", "behaviour_known"],
            order="id",
        )
        today = fields.Date.context_today(self)
        for batch in split_every(BEHAVIOUR_BATCH, statuses.ids, statuses.browse):
            behaviour = self.env["res.partner"]._payment_behaviour(
                company, batch.partner_id.ids, today
            )
            for status in batch:
                value = behaviour.get(status.partner_id.id, NO_BEHAVIOUR)
                values = {
                    "avg_days_late": value.avg_days_late,
                    "on_time_share": value.on_time_share,
                    "dso": value.dso,
                    "behaviour_known": value.known,
                }
                if not all(_same_value(status, name, v, None) for name, v in values.items()):
                    status.write(values)
        Status.flush_model(["avg_days_late", "on_time_share", "dso", "behaviour_known"])

    # ------------------------------------------------------------------ limitation (Verjährung)

    @api.model
    def _warn_limitation(self, company, today):
        """From 1 November to 31 December: one to-do a year for the accounting manager of
        ``company`` with the open claims that become time-barred at the end of the year (§§ 195,
        199 BGB) and are not suspended yet: customer, invoice, amount and limitation date, their
        total, and what to do (apply for a court dunning order before 31 December, § 204(1)
        no. 3 BGB). Never a second while the year's to-do is open; on the company's contact."""
        if not limitation.warning_due(today):
            return
        first, last = limitation.year_end_window(today)
        Activity = self.env["mail.activity"].sudo()
        activity_type = self.env.ref("payment_followup_ext.mail_activity_type_limitation")
        partner = company.partner_id
        if Activity.search_count(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("date_deadline", ">=", date(today.year, 1, 1)),
                ("date_deadline", "<=", last),
            ],
            limit=1,
        ):
            return
        Line = self.env["account.move.line"]
        found = Line._payment_followup_limitations(company, today)
        claims = [
            (line_id, residual, result)
            for line_id, (_customer, _move, residual, result) in found.items()
            if result.state == limitation.RUNNING and first <= result.date <= last
        ]
        if not claims:
            return
        manager = self.env["payment.followup.history"]._payment_followup_manager(company)
        env = self.with_context(lang=manager.lang or self.env.lang).env
        lines = env["account.move.line"].sudo().browse([line_id for line_id, _r, _l in claims])
        by_line = {line_id: (residual, result) for line_id, residual, result in claims}
        rows = [
            {
                "customer": line.partner_id.commercial_partner_id.name,
                "invoice": line.move_id.name,
                "amount": by_line[line.id][0],
                "date": by_line[line.id][1].date,
            }
            for line in lines.sorted(
                lambda line: (by_line[line.id][1].date, line.partner_id.commercial_partner_id.name)
            )
        ]
        total = company.currency_id.round(sum(row["amount"] for row in rows))
        note = env["ir.qweb"]._render(
            "payment_followup_ext.limitation_activity_note",
            {
                "rows": rows,
                "total": total,
                "currency": company.currency_id,
                "last": last,
                "company": company,
            },
        )
        Activity.create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "summary": env._(
                    "Claims becoming time-barred on 31 December %(year)s: %(count)s",
                    count=len(rows),
                    year=today.year,
                ),
                "note": note,
                "user_id": manager.id,
                "date_deadline": min(row["date"] for row in rows),
            }
        )


def _shorten(text, length):
    """``text`` cut to ``length`` characters, marked with an ellipsis when cut."""
    return text if len(text) <= length else text[: length - 1] + "…"


def _same_value(record, name, value, currency):
    """Whether field ``name`` of ``record`` holds ``value`` already (ids for relations,
    amounts compared to the cent)."""
    current = record[name]
    field = record._fields[name]
    if field.type == "many2one":
        return current.id == (value or False) or (not current and not value)
    if field.type == "monetary":
        return currency.is_zero(current - value)
    if field.type == "float":
        digits = field.get_digits(record.env)
        return float_compare(current, value, precision_digits=digits[1] if digits else 6) == 0
    return current == value
