"""Limitation of claims (Verjährung): when an open claim becomes time-barred.

- § 195 BGB: the regular limitation period is three years.
- § 199(1) BGB: it starts at the end of the year in which the claim arose (an invoice: fell
  due), so it ends on 31 December of the third year after that year.
- § 202 BGB: the parties may agree otherwise: an agreed limitation date replaces the computed
  one of the first period.
- § 212(1) no. 1 BGB: an acknowledgement of the claim (also by a part payment, an interest
  payment or a security) makes the period begin anew. The new period runs from the day after
  the act for three years, without the year-end rule of § 199 (which applies only to the first
  start, as the BGH holds): it ends on the day of the act three years later (§§ 187(1), 188(2)
  BGB; 29 February: the last day of February, § 188(3) BGB). An act after the period ended
  restarts nothing: a time-barred claim is not revived (§ 214(2) BGB covers payments made
  after that). A restart never shortens the period already running.
- § 204(1) no. 3 BGB: the delivery of a court dunning order suspends the limitation (Hemmung;
  with § 167 ZPO from the day of the application when it is delivered soon after). While the
  proceedings run, the claim is shown as suspended, not as time-barred; an application after
  the limitation date comes too late.

Pure: dates come in (``today`` included), a frozen ``Limitation`` goes out.
"""

from dataclasses import dataclass
from datetime import date

# The regular limitation period in years (§ 195 BGB).
YEARS = 3

# How the limitation date came about (``Limitation.basis``).
REGULAR = "regular"  # §§ 195, 199 BGB
AGREED = "agreed"  # § 202 BGB
RESTARTED = "restarted"  # § 212 BGB

# Where the claim stands (``Limitation.state``).
RUNNING = "running"
SUSPENDED = "suspended"  # § 204(1) no. 3 BGB
TIME_BARRED = "time_barred"


@dataclass(frozen=True)
class Limitation:
    date: date  # the last day on which the claim can still be enforced
    basis: str  # REGULAR, AGREED or RESTARTED
    restarted_on: date | None  # the act (part payment, acknowledgement) that restarted it
    state: str  # RUNNING, SUSPENDED or TIME_BARRED (on ``today``)


def years_later(day, years=YEARS):
    """``day`` ``years`` years later; 29 February becomes 28 February (§ 188(3) BGB)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def regular_date(due_date):
    """31 December of the third year after the year ``due_date`` falls in (§§ 195, 199 BGB)."""
    return date(due_date.year + YEARS, 12, 31)


def limitation(due_date, today, acts=(), agreed=None, court_order=None):
    """The ``Limitation`` of a claim that fell due on ``due_date``.

    :param acts: dates of part payments and acknowledgements of the claim (§ 212 BGB)
    :param agreed: the limitation date agreed with the debtor (§ 202 BGB), or None
    :param court_order: the day a court dunning order was applied for and its proceedings
        still run (§ 204(1) no. 3 BGB), or None
    """
    if agreed is not None and agreed < due_date:
        raise ValueError("an agreed limitation date lies on or after the due date")
    end = agreed if agreed is not None else regular_date(due_date)
    basis = AGREED if agreed is not None else REGULAR
    restarted_on = None
    for act in sorted(set(acts)):
        if act > end:
            break  # time-barred before: nothing to restart
        new_end = years_later(act)
        if new_end > end:
            end, basis, restarted_on = new_end, RESTARTED, act
    if court_order is not None and court_order <= end:
        state = SUSPENDED
    elif today > end:
        state = TIME_BARRED
    else:
        state = RUNNING
    return Limitation(date=end, basis=basis, restarted_on=restarted_on, state=state)


def year_end_window(today):
    """``(first, last)``: the limitation dates of the claims that become time-barred at the
    end of ``today``'s year and can still be saved: from today to 31 December."""
    return today, date(today.year, 12, 31)


def warning_due(today, month=11):
    """Whether ``today`` lies in the weeks before the year end in which the accounting manager
    is asked to act on the claims that become time-barred on 31 December (from 1 November)."""
    return today.month >= month
