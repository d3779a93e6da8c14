"""Prepayment of large invoices (Vorkasse / Anzahlung): above a threshold of the untaxed amount
a share of it is invoiced in advance.

Pure: ``Decimal`` amounts in, bools and ``Decimal`` amounts rounded half-up to the cent out.
"""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

THRESHOLD = "threshold"
PERCENT = "percent"


def _cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def rule_errors(threshold, percent):
    """What is wrong with a rule: ``THRESHOLD`` (below 0), ``PERCENT`` (outside 0-100)."""
    errors = []
    if Decimal(threshold) < 0:
        errors.append(THRESHOLD)
    if not ZERO <= Decimal(percent) <= HUNDRED:
        errors.append(PERCENT)
    return tuple(errors)


def required(untaxed, threshold, percent):
    """True when an invoice of ``untaxed`` (company currency) needs a prepayment: the rule
    asks for one (``percent`` above 0) and the amount is above ``threshold``, to the cent."""
    return Decimal(percent) > 0 and _cents(untaxed) > _cents(threshold)


def amount(untaxed, percent):
    """The prepayment: ``percent`` % of ``untaxed``, rounded half-up to the cent."""
    return _cents(Decimal(untaxed) * Decimal(percent) / HUNDRED)
