"""The figures of the court dunning order application (Mahnantrag, §§ 688 ff. ZPO) from a
claim statement: what is still open of the costs, and from which day running interest is
claimed.

The statement (Forderungsaufstellung) has allocated the payments already (§ 367(1) BGB: costs,
then interest, then the principal); the application asks for the costs split into dunning
fees (Mahnkosten) and the flat fee of § 288(5) BGB (Verzugspauschale), so what was paid on the
costs is taken off the older of them first: the dunning fees, then the flat fee (§ 366(2) BGB,
the oldest debt first).

Pure: ``Decimal`` amounts and dates in, a frozen ``Costs`` or a date out.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Costs:
    fees: Decimal  # dunning fees still open (Mahnkosten)
    flat_fee: Decimal  # flat fee of § 288(5) BGB still open, net of what was credited
    paid: Decimal  # what was paid on the costs and taken off them here


def open_costs(fees, flat_fee, paid_costs):
    """The ``Costs`` open of ``fees`` and ``flat_fee`` (after the credit of § 288(5) sentence
    3 BGB) once ``paid_costs`` (the statement's payments on costs) is taken off, fees first."""
    if min(fees, flat_fee, paid_costs) < ZERO:
        raise ValueError("fees, flat fee and payments on costs are never negative")
    on_fees = min(fees, paid_costs)
    on_flat_fee = min(flat_fee, paid_costs - on_fees)
    return Costs(fees=fees - on_fees, flat_fee=flat_fee - on_flat_fee, paid=on_fees + on_flat_fee)


def running_interest_from(default_from, booked_to):
    """The first day of the running interest (laufende Zinsen) of a claim: the day after the
    last day of interest already charged (the calculated interest, ausgerechnete Zinsen, is
    claimed as an amount), else the first day of default (``default_from``, None: not in
    default, no interest)."""
    if booked_to is not None:
        return booked_to + timedelta(days=1)
    return default_from


def period(days):
    """``(first, last)`` of the ``days`` (dates), or ``(None, None)``."""
    days = [day for day in days if isinstance(day, date)]
    return (min(days), max(days)) if days else (None, None)
