"""What a customer owes, as the worklist shows it: the overdue amount, its age structure
(Altersstruktur: 1-30, 31-60, 61-90 and more than 90 days overdue) and whether reminders are
held back for everything that is open.

Unlike the decision (``schedule.decide``), which looks only at the items a reminder may claim,
this counts every open item: those paused by a promise to pay, a payment plan, a dispute or a
collection case are still owed. Documents of fees and interest are not counted as overdue:
they are what the next reminder adds to the claim.

Pure: ``schedule.Item`` tuples and dates come in, ``Decimal`` amounts go out.
"""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

ZERO = Decimal("0")

# The upper bound (days overdue) of every bucket but the last, which is open.
BUCKET_BOUNDS = (30, 60, 90)


class Ageing(NamedTuple):
    overdue: Decimal  # the sum of the buckets
    oldest: date | None  # the oldest due date of an overdue item
    days: int  # days overdue of the oldest item, 0 when nothing is overdue
    buckets: tuple  # (1-30, 31-60, 61-90, > 90 days), Decimal each


def bucket(days):
    """The index of the bucket of an item ``days`` overdue (at least 1)."""
    for index, bound in enumerate(BUCKET_BOUNDS):
        if days <= bound:
            return index
    return len(BUCKET_BOUNDS)


def ageing(items, today):
    """The ``Ageing`` of ``items`` (``schedule.Item``) on ``today``: an item is overdue from the
    day after its due date."""
    buckets = [ZERO] * (len(BUCKET_BOUNDS) + 1)
    oldest = None
    for item in items:
        if item.charge or item.residual <= 0 or item.due_date >= today:
            continue
        buckets[bucket((today - item.due_date).days)] += item.residual
        if oldest is None or item.due_date < oldest:
            oldest = item.due_date
    return Ageing(
        overdue=sum(buckets, ZERO),
        oldest=oldest,
        days=(today - oldest).days if oldest else 0,
        buckets=tuple(buckets),
    )


def held_back(customer):
    """Whether ``customer`` (``schedule.Customer``), whom the decision sees with nothing open,
    still owes items that no reminder may claim (blocked, promised, in a payment plan,
    disputed, handed over to collection) beyond its unapplied payments and credit notes."""
    owed = ZERO
    paused = False
    for item in customer.items:
        if item.charge or item.residual <= 0:
            continue
        owed += item.residual
        paused = paused or item.blocked
    return paused and owed > customer.credit


def reached_level(customer):
    """The id of the highest rung of ``customer``'s ladder that an open item reached, held back
    or not (None: none); the decision counts only the items it may remind."""
    order = {level.id: (level.offset_days, level.id) for level in customer.levels}
    reached = [
        order[item.level_id]
        for item in customer.items
        if item.level_id in order and not item.charge and item.residual > 0
    ]
    return max(reached)[1] if reached else None
