"""Service suspension until paid (Leistungsverweigerung, § 273, § 320 BGB).

- A follow-up level that suspends the service does so only when the customer's overdue amount
  reaches the level's minimum and the oldest overdue item is at least the level's minimum number
  of days overdue.
- A suspension set by a level is lifted by itself once nothing is open any more (no overdue
  item, no fee or interest document); one set by hand is lifted by hand.

Pure: ``Decimal`` amounts and dates in, bools out; the caller passes ``today``.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def days_overdue(oldest_due, today):
    """Days the oldest overdue item (due on ``oldest_due``, None: none) is overdue on ``today``."""
    return max((today - oldest_due).days, 0) if oldest_due else 0


def should_suspend(overdue, oldest_due, today, *, min_amount, min_days):
    """True when a level with the minimums ``min_amount`` / ``min_days`` suspends a customer
    with ``overdue`` (``Decimal``) overdue, the oldest item due on ``oldest_due``."""
    return _cents(overdue) >= _cents(min_amount) and days_overdue(oldest_due, today) >= min_days


def may_lift(*, suspended, by_level, anything_open):
    """True when a suspension lifts by itself: set by a level and nothing is open any more."""
    return bool(suspended and by_level and not anything_open)
