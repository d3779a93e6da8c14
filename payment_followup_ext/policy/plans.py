"""Payment plans (Ratenzahlungsvereinbarungen): the instalment schedule and where a plan stands.

- The schedule splits a debt into instalments of equal size on a regular rhythm, the last one
  taking the rounding rest; an optional down payment comes first. Given an amount per instalment
  instead of a number, the last instalment is the rest.
- Payments are matched to instalments in due-date order (the oldest instalment is paid first),
  from what was paid on the covered items since the plan started.
- An instalment is late when it is not paid in full after its date; a plan is broken when an
  instalment is still not paid in full more than ``grace_days`` after its date (the one rule
  of the plan model); it is completed when everything is paid.

Pure: dates and ``Decimal`` amounts in, tuples out; the caller passes ``today``.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"

ACTIVE = "active"
BROKEN = "broken"
DONE = "done"


# At most this many instalments (ten years of monthly ones): a longer plan is no plan.
MAX_INSTALMENTS = 120
TOO_MANY = "more instalments than allowed"


class PlanError(ValueError):
    """The plan cannot be made as asked (the message says why)."""


def add_period(day, frequency, count):
    """``day`` moved ``count`` periods of ``frequency`` on; months keep the day of the month
    where they can (31 January + 1 month = 28/29 February)."""
    if frequency == WEEKLY:
        return day + timedelta(weeks=count)
    if frequency == BIWEEKLY:
        return day + timedelta(weeks=2 * count)
    months = {MONTHLY: 1, QUARTERLY: 3}.get(frequency)
    if months is None:
        raise PlanError(f"unknown frequency {frequency!r}")
    month_index = day.month - 1 + months * count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def schedule(total, first_date, frequency, *, count=None, amount=None, down_payment=ZERO):
    """The instalments ``((date, amount), ...)`` that pay ``total``.

    :param count: number of instalments after the down payment, or
    :param amount: the amount of each instalment (the last one is the rest)
    :param down_payment: paid first, on ``first_date``; the instalments follow one period later
    :raises PlanError: nothing to pay, both or neither of count/amount, amounts out of range
    """
    total, down_payment = Decimal(total), Decimal(down_payment)
    if total <= 0:
        raise PlanError("nothing to pay")
    if down_payment < 0 or down_payment >= total:
        raise PlanError("down payment out of range")
    if (count is None) == (amount is None):
        raise PlanError("give either the number of instalments or the amount per instalment")
    rest = total - down_payment
    if count is not None:
        if count < 1:
            raise PlanError("at least one instalment")
        if count > MAX_INSTALMENTS:
            raise PlanError(TOO_MANY)
        size = (rest / count).quantize(CENT, rounding=ROUND_DOWN)
        if size <= 0:
            raise PlanError("the instalments would be smaller than a cent")
        amounts = [size] * (count - 1) + [rest - size * (count - 1)]
    else:
        amount = Decimal(amount)
        if amount <= 0:
            raise PlanError("instalment amount must be positive")
        full = int(rest // amount)
        if full > MAX_INSTALMENTS:
            raise PlanError(TOO_MANY)
        amounts = [amount] * full
        if rest - amount * full > 0:
            amounts.append(rest - amount * full)
    if len(amounts) > MAX_INSTALMENTS:
        raise PlanError(TOO_MANY)
    instalments = []
    start = 0
    if down_payment > 0:
        instalments.append((first_date, down_payment))
        start = 1
    for index, value in enumerate(amounts):
        instalments.append((add_period(first_date, frequency, index + start), value))
    return tuple(instalments)


@dataclass(frozen=True)
class PlanState:
    state: str  # ACTIVE, BROKEN or DONE
    paid: tuple  # paid amount per instalment, in order
    missed: tuple  # indexes of instalments late beyond the grace days
    next_due: date | None  # the first instalment not paid in full
    late: tuple = ()  # indexes of instalments not paid in full after their date (grace or not)


def evaluate(instalments, paid_total, today, grace_days=0):
    """Where a plan stands on ``today`` after ``paid_total`` was paid towards it."""
    left = Decimal(paid_total)
    paid, missed, late, next_due = [], [], [], None
    for index, (day, amount) in enumerate(instalments):
        share = min(max(left, ZERO), amount)
        left -= share
        paid.append(share)
        if share < amount:
            next_due = next_due or day
            if day < today:
                late.append(index)
            if day + timedelta(days=grace_days) < today:
                missed.append(index)
    if next_due is None:
        state = DONE
    elif missed:
        state = BROKEN
    else:
        state = ACTIVE
    return PlanState(state, tuple(paid), tuple(missed), next_due, tuple(late))
