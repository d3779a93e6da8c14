"""Which follow-up step a customer gets today, if any.

Every open item (invoice instalment) climbs the escalation ladder on its own, one rung at a time,
as in classic dunning (SAP, DATEV): the next rung of an item is due when the item is that many
days past its due date (a negative offset is a friendly reminder before the due date). A customer
gets at most one communication per run. It is sent when at least one item climbs a rung; it
covers every overdue item plus the items that climb, and its level is the highest rung among them.

Guards, all per customer:
- excluded customers and blocked items (core ``blocked``, "No Follow-up") are never reminded;
- documents of fees and interest (``Item.charge``) climb no ladder of their own: every
  communication lists them while they are open, as part of the claim;
- a rung whose minimum amount exceeds what is open at that rung is not climbed (small debts get
  a lighter touch);
- the rung's minimum number of days since the previous reminder is respected;
- a postponement ("remind me on") holds everything until that day;
- a reminder before the due date is skipped for an item that is already due;
- nothing is sent while unapplied payments or credit notes cover everything that is open.

Pure: dates, ``Decimal`` amounts and the ladder come in, frozen dataclasses go out.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

ZERO = Decimal("0")

# Why no step is taken today (Decision.reason).
NOTHING_OPEN = "nothing_open"
NO_LADDER = "no_ladder"
EXCLUDED = "excluded"
POSTPONED = "postponed"
INTERVAL = "interval"
NOT_DUE = "not_due"
DUE = "due"


@dataclass(frozen=True)
class Level:
    """One rung of the ladder."""

    id: int
    offset_days: int
    min_amount: Decimal = ZERO
    min_days_since_previous: int = 0
    manual_review: bool = False


class Item(NamedTuple):
    """An open receivable item; ``level_id`` is the rung it reached (None: none yet).
    A named tuple: a run builds one per open item, and tuples are the cheapest to build."""

    id: int
    due_date: date
    residual: Decimal
    level_id: int | None = None
    blocked: bool = False
    charge: bool = False  # a document of fees and interest the follow-up charged earlier


@dataclass(frozen=True)
class Customer:
    """What the decision needs to know about one customer (commercial entity)."""

    id: int
    items: tuple
    levels: tuple
    last_followup: date | None = None
    postponed_until: date | None = None
    excluded: bool = False
    grace_days: int = 0
    credit: Decimal = ZERO  # unapplied payments and credit notes (positive amount)


@dataclass(frozen=True)
class Step:
    """One communication: its level, the items that climb a rung, and the items it lists."""

    level_id: int
    escalations: tuple  # ((item_id, level_id), ...)
    item_ids: tuple  # every item the communication lists, oldest due date first
    amount_due: Decimal
    manual_review: bool


@dataclass(frozen=True)
class Decision:
    customer_id: int
    reason: str
    step: Step | None
    next_date: date | None  # the day something is due next (today when a step is due)
    amount_overdue: Decimal
    oldest_overdue: date | None
    level_id: int | None  # highest rung reached by an open item


@lru_cache(maxsize=256)
def _prepared(levels):
    """``(ladder, position, after_due)`` of ``levels``: the rungs in order, the index of each
    rung id, and the index of the first rung after the due date. A run has a handful of
    ladders and thousands of customers: computed once per ladder."""
    ladder = tuple(sorted(levels, key=lambda level: (level.offset_days, level.id)))
    position = {level.id: index for index, level in enumerate(ladder)}
    after_due = next((i for i, level in enumerate(ladder) if level.offset_days >= 0), len(ladder))
    return ladder, position, after_due


def _delay(level, grace_days):
    """Due date to the first day an item may climb to ``level``; grace days only delay rungs
    after the due date."""
    grace = grace_days if level.offset_days > 0 else 0
    return timedelta(days=level.offset_days + grace)


def _amount_at(level, items, day):
    """What is open at ``level`` on ``day``: the residual of the items at least that many days
    late then."""
    last_due = day - timedelta(days=level.offset_days)
    return sum((item.residual for item in items if item.due_date <= last_due), ZERO)


def decide(customer, today):
    """The follow-up decision for ``customer`` on ``today``."""
    ladder, position, after_due = _prepared(tuple(customer.levels))
    # One pass over the items: what climbs (items), what is listed only (charges), the totals.
    items, charges = [], []
    total = amount_overdue = ZERO
    oldest = None
    top = -1  # highest rung reached by an item
    for item in customer.items:
        if item.blocked or item.residual <= 0:
            continue
        if item.charge:
            charges.append(item)
            continue
        items.append(item)
        total += item.residual
        if item.due_date < today:
            amount_overdue += item.residual
            if oldest is None or item.due_date < oldest:
                oldest = item.due_date
        rank = position.get(item.level_id, -1)
        if rank > top:
            top = rank
    level_id = ladder[top].id if top >= 0 else None

    def decision(reason, step=None, next_date=None):
        return Decision(customer.id, reason, step, next_date, amount_overdue, oldest, level_id)

    # Nothing to remind when unapplied payments or credit notes cover what is open.
    if not items or total <= customer.credit:
        return decision(NOTHING_OPEN)
    if not ladder:
        return decision(NO_LADDER)
    if customer.excluded:
        return decision(EXCLUDED)

    climbs = []  # (item, rung index) climbing today
    upcoming = []  # first days a later climb may happen
    held_by_interval = False
    amounts = {}  # (offset, day): what is open at that rung on that day
    # Per rung, computed once: the delay from the due date to the climb, and the first day
    # the interval since the last reminder allows it. A reminder before the due date makes no
    # sense once the item is due: such an item goes to the first rung after the due date.
    rungs = len(ladder)
    delays = [_delay(level, customer.grace_days) for level in ladder]
    last = customer.last_followup
    not_before = [
        last + timedelta(days=level.min_days_since_previous)
        if last and level.min_days_since_previous
        else None
        for level in ladder
    ]
    for item in items:
        index = position.get(item.level_id, -1) + 1
        if index < after_due and item.due_date <= today:
            index = after_due
        if index >= rungs:
            continue
        level = ladder[index]
        reached_on = eligible = item.due_date + delays[index]
        if not_before[index] and not_before[index] > eligible:
            eligible = not_before[index]
        if level.min_amount:
            key = (level.offset_days, max(eligible, today))
            if key not in amounts:
                amounts[key] = _amount_at(level, items, key[1])
            if amounts[key] < level.min_amount:
                continue  # stays where it is unless more becomes overdue
        if eligible <= today:
            climbs.append((item, index))
        else:
            upcoming.append(eligible)
            held_by_interval = held_by_interval or reached_on <= today

    if customer.postponed_until and today < customer.postponed_until:
        return decision(POSTPONED, next_date=customer.postponed_until)
    if not climbs:
        reason = INTERVAL if held_by_interval else NOT_DUE
        return decision(reason, next_date=min(upcoming, default=None))

    climbing = {item.id for item, _index in climbs}
    listed = sorted(
        [item for item in items if item.id in climbing or item.due_date < today] + charges,
        key=lambda item: (item.due_date, item.id),
    )
    ranks = [index for _item, index in climbs] + [
        position[item.level_id] for item in listed if item.level_id in position
    ]
    level = ladder[max(ranks)]
    step = Step(
        level_id=level.id,
        escalations=tuple(sorted((item.id, ladder[index].id) for item, index in climbs)),
        item_ids=tuple(item.id for item in listed),
        amount_due=sum((item.residual for item in listed), ZERO),
        manual_review=level.manual_review,
    )
    return decision(DUE, step=step, next_date=today)


def after_step(customer, step, today):
    """``customer`` as it stands once ``step`` was executed on ``today``: the escalated items
    on their new rung, today the last reminder."""
    reached = dict(step.escalations)
    items = tuple(
        item._replace(level_id=reached[item.id]) if item.id in reached else item
        for item in customer.items
    )
    return replace(customer, items=items, last_followup=today)
