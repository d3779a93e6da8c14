"""German statutory late interest (Verzugszinsen), exact to the cent.

The rules, each cited where it is applied:
- § 193 BGB: a due date on a Saturday, Sunday or public holiday moves to the next working day.
- § 286(2) no. 1 BGB: with a calendar due date the debtor is in default from the next day, without
  a reminder; interest runs from the day after the (shifted) due date through the end date.
- § 288(1), (2) BGB: base rate + 5 points per year (consumer involved), + 9 points (no consumer).
- § 247 BGB: the base rate changes on 1 January and 1 July; a period spanning a change is split.
- § 367(1) BGB: a partial payment first pays (costs, then) interest, then the principal;
  § 289 BGB: no interest on interest, so unpaid interest never earns interest.

Conventions of German practice: a period's interest is principal * rate * days / days of that
calendar year (365 or 366); every period is rounded half-up to the cent and the total is the sum
of the rounded periods. Only ``Decimal`` is used, never binary floats.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .base_rate import HalfYear, rate_segments

CENT = Decimal("0.01")
ZERO = Decimal("0")
B2B_POINTS = Decimal("9")  # § 288(2) BGB
CONSUMER_POINTS = Decimal("5")  # § 288(1) BGB


@dataclass(frozen=True)
class Period:
    """Days with one principal and one rate; ``end`` inclusive."""

    start: date
    end: date
    days: int
    rate: Decimal
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class LateInterest:
    total: Decimal  # all interest accrued, including interest a partial payment later covered
    periods: tuple
    start: date | None  # first day charged (of default, unless charged_through); None: none
    interest_paid: Decimal  # interest covered by partial payments (§ 367 BGB)
    interest_open: Decimal  # accrued interest still unpaid at the end date
    principal_open: Decimal  # principal still unpaid at the end date


def cents(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _days_in_year(year):
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 366 if leap else 365


def next_working_day(day, holidays=()):
    """``day``, or the next day that is no Saturday, Sunday or holiday (§ 193 BGB)."""
    holidays = frozenset(holidays)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def default_start(
    due_date,
    *,
    agreed,
    invoice_received=None,
    consumer=False,
    notice_on_invoice=False,
    reminder_received=None,
    holidays=(),
):
    """The first day of default (Verzug) of a claim due on ``due_date``, or None when the
    debtor is not in default yet on any rule; late interest and the flat fee start that day.

    - ``agreed`` (the due date comes from a payment term the debtor agreed to): § 286(2) no. 1
      BGB, default from the day after the due date, moved to the next working day first when it
      is a Saturday, Sunday or one of ``holidays`` (§ 193 BGB).
    - Otherwise the earlier of: the day after ``reminder_received``, if that day is after the
      (moved) due date (§ 286(1) BGB: a reminder before the claim is due does not count); and
      § 286(3) BGB: the day after the 30th day after the later of the due date and
      ``invoice_received`` (the day of receipt not counted, § 187(1) BGB; the 30th day moved by
      § 193 BGB), for a ``consumer`` only when the invoice carried the § 286(3) notice
      (``notice_on_invoice``), and only when the day of receipt is known.
    """
    due = next_working_day(due_date, holidays)
    if agreed:
        return due + timedelta(days=1)
    starts = []
    if reminder_received is not None and reminder_received > due:
        starts.append(reminder_received + timedelta(days=1))
    if invoice_received is not None and (notice_on_invoice or not consumer):
        last_day = next_working_day(max(due_date, invoice_received) + timedelta(days=30), holidays)
        starts.append(last_day + timedelta(days=1))
    return min(starts, default=None)


def first_reminder_received(due_date, receipts, holidays=()):
    """The first of ``receipts`` (days reminders reached the debtor) that counts for § 286(1)
    BGB: after the due date, moved by § 193 BGB; None when no reminder counts."""
    due = next_working_day(due_date, holidays)
    return min((day for day in receipts if day > due), default=None)


def _constant_rates(rate, first_day, last_day):
    """A rate table with ``rate`` in every half-year from ``first_day`` to ``last_day``."""
    table, day = [], HalfYear.of(first_day).start
    while day <= last_day:
        table.append((day, rate))
        day = HalfYear.of(day).end + timedelta(days=1)
    return tuple(table)


def late_interest(
    principal,
    due_date,
    end_date,
    *,
    b2b,
    base_rates,
    payments=(),
    holidays=(),
    charged_through=None,
    fixed_rate=None,
    default_from=None,
):
    """Statutory late interest on ``principal`` due on ``due_date``, up to ``end_date``.

    :param principal: the claim, ``Decimal``
    :param due_date: the agreed calendar due date
    :param end_date: payment or calculation date (interest runs through it, inclusive)
    :param b2b: True: base rate + 9 points (no consumer involved); False: + 5 points
    :param base_rates: sequence of ``(valid_from, Decimal percent)``
    :param payments: sequence of ``(date, Decimal)`` partial payments
    :param holidays: extra non-working days for the due-date shift
    :param charged_through: the last day whose interest was already charged: the periods, and
        ``total``, cover only the days after it (principal and § 367 allocation still follow
        every payment since the default), so that no day is ever charged twice
    :param fixed_rate: a contractual rate in percent per year, used instead of the base rate
        plus points (``b2b`` and ``base_rates`` are then ignored)
    :param default_from: the first day of default (see ``default_start``); default: the day
        after the due date, moved by § 193 BGB (an agreed calendar due date)
    :raises policy.base_rate.MissingBaseRate: when a half-year in the period has no rate
    """
    points = B2B_POINTS if b2b else CONSUMER_POINTS
    if fixed_rate is not None:
        points, base_rates = ZERO, _constant_rates(Decimal(fixed_rate), due_date, end_date)
    principal = Decimal(principal)
    first_day = default_from or default_start(due_date, agreed=True, holidays=holidays)

    paid_by_day = {}
    for day, amount in payments:
        if day <= end_date:
            paid_by_day[day] = paid_by_day.get(day, ZERO) + Decimal(amount)
    # Payments before the default are on time: they reduce the claim itself.
    for day in [day for day in paid_by_day if day < first_day]:
        principal -= paid_by_day.pop(day)
    principal = max(principal, ZERO)

    periods = []
    open_interest = paid_interest = ZERO
    if first_day <= end_date and principal > 0:
        cuts = {day for day in paid_by_day if first_day <= day <= end_date}
        if charged_through and first_day <= charged_through < end_date:
            cuts.add(charged_through)
        cuts = sorted(cuts)
        start = first_day
        for stop in [*cuts, end_date]:
            if start <= stop and principal > 0:
                # Half-year segments (§ 247 BGB) never cross a year end.
                for seg_start, seg_end, base in rate_segments(start, stop, base_rates):
                    rate = base + points
                    days = (seg_end - seg_start).days + 1
                    year_days = _days_in_year(seg_start.year)
                    interest = cents(principal * rate / 100 * days / year_days)
                    periods.append(Period(seg_start, seg_end, days, rate, principal, interest))
                    open_interest += interest
            if stop in paid_by_day:  # § 367(1) BGB: interest first, then principal
                payment = paid_by_day[stop]
                to_interest = min(payment, open_interest)
                open_interest -= to_interest
                paid_interest += to_interest
                principal = max(principal - (payment - to_interest), ZERO)
            start = stop + timedelta(days=1)
    if charged_through:
        periods = [period for period in periods if period.start > charged_through]
    total = sum((period.interest for period in periods), ZERO)
    return LateInterest(
        total=total,
        periods=tuple(periods),
        start=periods[0].start if periods else None,
        interest_paid=paid_interest,
        interest_open=open_interest,
        principal_open=principal,
    )
