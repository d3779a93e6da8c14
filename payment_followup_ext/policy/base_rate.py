"""The German base rate (Basiszinssatz, § 247 BGB) by half-year.

§ 247(1) BGB: the base rate changes on 1 January and 1 July of every year; the Bundesbank
publishes the rate for each half-year (§ 247(2) BGB). A rate is therefore known for a day only
when the table has an entry for the very half-year that contains the day. Nothing is carried
forward from an earlier half-year: a missing entry is an error that names the half-year.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


@dataclass(frozen=True, order=True)
class HalfYear:
    """A calendar half-year: ``half`` 1 is January-June, 2 is July-December."""

    year: int
    half: int

    @classmethod
    def of(cls, day):
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self):
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self):
        if self.half == 1:
            return date(self.year, 6, 30)
        return date(self.year, 12, 31)

    def next(self):
        if self.half == 1:
            return HalfYear(self.year, 2)
        return HalfYear(self.year + 1, 1)


class MissingBaseRate(LookupError):
    """No base rate is known for ``half_year``."""

    def __init__(self, half_year):
        self.half_year = half_year
        super().__init__(f"no base rate for the half-year starting {half_year.start.isoformat()}")


def is_change_date(day):
    """Whether ``day`` is a date on which the base rate may change (1 January or 1 July)."""
    return day.day == 1 and day.month in (1, 7)


def _by_start(base_rates):
    return {valid_from: Decimal(percent) for valid_from, percent in base_rates}


def base_rate_on(day, base_rates):
    """The base rate in percent valid on ``day``.

    :param day: a ``date``
    :param base_rates: iterable of ``(valid_from: date, percent: Decimal)``
    :raises MissingBaseRate: when the table has no entry for the half-year of ``day``
    """
    half_year = HalfYear.of(day)
    rate = _by_start(base_rates).get(half_year.start)
    if rate is None:
        raise MissingBaseRate(half_year)
    return rate


def missing_half_years(base_rates, first_day, last_day):
    """The half-years between ``first_day`` and ``last_day`` (inclusive) with no entry."""
    if last_day < first_day:
        return []
    known = _by_start(base_rates)
    missing = []
    half_year = HalfYear.of(first_day)
    last = HalfYear.of(last_day)
    while half_year <= last:
        if half_year.start not in known:
            missing.append(half_year)
        half_year = half_year.next()
    return missing


def rates_to_enter(today, base_rates, lead_days):
    """The half-years whose base rate should be entered by ``today``: the current one when it
    is missing, and the next one when it starts within ``lead_days`` days and is missing (the
    Bundesbank publishes the rate a few days before 1 January and 1 July)."""
    current = HalfYear.of(today)
    coming = current.next()
    last = coming.start if (coming.start - today).days <= lead_days else today
    return missing_half_years(base_rates, today, last)


def rate_segments(first_day, last_day, base_rates):
    """Split ``first_day``..``last_day`` (inclusive) at every rate change.

    :returns: list of ``(start, end, percent)`` with ``end`` inclusive
    :raises MissingBaseRate: for the first half-year in the range without an entry
    """
    segments = []
    day = first_day
    while day <= last_day:
        half_year = HalfYear.of(day)
        end = min(half_year.end, last_day)
        segments.append((day, end, base_rate_on(day, base_rates)))
        day = end + timedelta(days=1)
    return segments
