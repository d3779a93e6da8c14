"""The statement of account (Kontoauszug / Offene-Posten-Liste) of a customer: every open item
with its days overdue, the age structure (not due, 1-30, 31-60, 61-90, more than 90 days) and
the balance.

Unlike the worklist's ``receivables.ageing``, which sums what is overdue, the statement lists
everything the customer's account holds: invoices, fee and interest documents, and, as negative
amounts, credit notes and payments not yet applied. Its buckets add up to the balance, as an
accountant checks a statement of account: a credit falls into the bucket of its own date (a
payment received 40 days ago counts in 31-60), as in an aged receivables report.

"Overdue only" leaves out the claims not yet due; credits stay, since they reduce what is owed.
The balance is then that of the listed items.

Pure: ``Entry`` tuples and the day come in, a ``Statement`` with ``Decimal`` amounts comes out.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .receivables import BUCKET_BOUNDS, bucket

ZERO = Decimal("0")
# The index of the bucket "not due" in ``Statement.buckets``; the overdue ones follow.
NOT_DUE = 0
BUCKET_COUNT = len(BUCKET_BOUNDS) + 2


@dataclass(frozen=True)
class Entry:
    """An open item of the customer's account."""

    key: int  # the journal item's id
    due_date: date  # its due date (a payment's or credit's: its date)
    amount: Decimal  # the original amount, negative for a credit
    residual: Decimal  # what is open of it, negative for a credit


@dataclass(frozen=True)
class Line:
    key: int
    days_overdue: int  # days after the due date of a claim; 0 when not due and for a credit
    bucket: int  # the index in ``Statement.buckets``


@dataclass(frozen=True)
class Statement:
    lines: tuple  # ``Line`` per listed entry, in the order given
    buckets: tuple  # (not due, 1-30, 31-60, 61-90, > 90 days): Decimal each
    balance: Decimal  # the sum of the listed open amounts (= the sum of the buckets)


def age_bucket(due_date, today):
    """The index in ``Statement.buckets`` of an item due on ``due_date``: overdue from the day
    after its due date (§ 286(2) no. 1 BGB for a due date agreed by contract)."""
    days = (today - due_date).days
    return NOT_DUE if days <= 0 else bucket(days) + 1


def statement(entries, today, overdue_only=False):
    """The ``Statement`` of ``entries`` (``Entry``) on ``today``; with ``overdue_only`` the
    claims not yet due are left out."""
    buckets = [ZERO] * BUCKET_COUNT
    lines = []
    for entry in entries:
        if not entry.residual:
            continue
        index = age_bucket(entry.due_date, today)
        credit = entry.residual < 0
        if overdue_only and not credit and index == NOT_DUE:
            continue
        buckets[index] += entry.residual
        days = 0 if credit else max(0, (today - entry.due_date).days)
        lines.append(Line(key=entry.key, days_overdue=days, bucket=index))
    return Statement(lines=tuple(lines), buckets=tuple(buckets), balance=sum(buckets, ZERO))
