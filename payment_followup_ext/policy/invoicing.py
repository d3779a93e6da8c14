"""When a customer with a monthly invoicing schedule gets their unsent invoices.

A customer is invoiced either immediately (Odoo's normal flow, nothing to decide here) or on a
day of the month at a time of day. Day 29, 30 or 31 means the last day of a shorter month
(day 31 is "the last day of every month"). The time is a float number of hours as Odoo's
``float_time`` widget stores it (8.5 = 08:30), in the company's local time.

Stdlib only, no clock: the caller passes the local "now".
"""

import calendar
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

FIRST_DAY = 1
LAST_DAY = 31


class InvoicingSlotError(ValueError):
    """A day of the month or a time of day outside its range."""


def check_slot(day, hours):
    """Raise ``InvoicingSlotError`` unless 1 <= day <= 31 and 0 <= hours < 24."""
    if not isinstance(day, int) or not FIRST_DAY <= day <= LAST_DAY:
        raise InvoicingSlotError(f"day of the month {day!r} is not between 1 and 31")
    if hours is None or not 0 <= hours < 24:
        raise InvoicingSlotError(f"time of day {hours!r} is not between 00:00 and 23:59")


def slot_time(hours):
    """The time of day of a ``float_time`` value, to the minute (8.5 -> 08:30)."""
    minutes = int((Decimal(str(hours)) * 60).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    # 23:59.7 rounds up to 24:00: keep it on the same day.
    minutes = min(minutes, 24 * 60 - 1)
    return time(minutes // 60, minutes % 60)


def slot_date(year, month, day):
    """The slot day of ``day`` in that month: the last day when the month is shorter."""
    check_slot(day, 0)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def slot_datetime(year, month, day, hours):
    """The slot of that month as a naive local datetime."""
    check_slot(day, hours)
    return datetime.combine(slot_date(year, month, day), slot_time(hours))


def is_slot_day(today, day):
    """Whether ``today`` is the invoicing day ``day`` of its month."""
    return today == slot_date(today.year, today.month, day)


def is_slot_due(now, day, hours):
    """Whether the invoices of a customer invoiced on ``day`` at ``hours`` go out at ``now``.

    True on the slot day of the month, from the slot time until the end of that day (the cron
    runs every hour, so it sends once the slot has passed; a later run on the same day sends
    what was posted meanwhile). ``now`` is a naive local datetime.
    """
    check_slot(day, hours)
    return is_slot_day(now.date(), day) and now.time() >= slot_time(hours)
