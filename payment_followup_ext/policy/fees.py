"""Dunning fees (Mahngebühren) and the EUR 40 flat fee of § 288(5) BGB.

- A dunning fee is damage caused by the default (§ 280(1), (2), § 286 BGB); it is no consideration
  for a supply, so no VAT is due on it. The reminder that first puts the debtor in default is not
  caused by the default: a level may therefore skip the fee on the first reminder.
- A level charges a fixed amount or a percentage of the overdue amount, kept between a minimum and
  a maximum; consumers may get a lower cap, as courts accept only the real costs of a reminder.
- § 288(5) BGB: a debtor who is not a consumer owes EUR 40 for every claim in default, once.

Pure: ``Decimal`` amounts in, ``Decimal`` amounts rounded half-up to the cent out.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
FLAT_FEE_EUR = Decimal("40.00")  # § 288(5) sentence 1 BGB

NONE = "none"
FIXED = "fixed"
PERCENT = "percent"


@dataclass(frozen=True)
class FeeRule:
    """The fee of one level; zero ``maximum`` or ``consumer_max`` means no limit."""

    kind: str = NONE
    fixed: Decimal = ZERO
    percent: Decimal = ZERO
    minimum: Decimal = ZERO
    maximum: Decimal = ZERO
    consumer_max: Decimal = ZERO
    not_on_first: bool = False


def _cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def dunning_fee(rule, overdue, *, consumer, first_reminder):
    """The fee ``rule`` charges on a reminder over ``overdue`` (the overdue principal)."""
    if rule.kind == NONE or overdue <= 0 or (rule.not_on_first and first_reminder):
        return ZERO
    if rule.kind == FIXED:
        fee = _cents(rule.fixed)
    elif rule.kind == PERCENT:
        fee = max(_cents(overdue * rule.percent / 100), _cents(rule.minimum))
        if rule.maximum > 0:
            fee = min(fee, _cents(rule.maximum))
    else:
        raise ValueError(f"unknown fee kind {rule.kind!r}")
    if consumer and rule.consumer_max > 0:
        fee = min(fee, _cents(rule.consumer_max))
    return max(fee, ZERO)


def flat_fee(*, consumer, in_default, already_charged):
    """The § 288(5) BGB flat fee of one claim: EUR 40 once, never from a consumer."""
    if consumer or not in_default or already_charged:
        return ZERO
    return FLAT_FEE_EUR
