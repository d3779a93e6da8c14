"""Promise to pay (Zahlungszusage): kept or broken once its date has passed.

A promise of an amount is kept when at least that amount was received on the covered items by
the promised date; a promise without an amount is kept when the covered items were paid in full
by then. Received is what the covered items owed when promised less what they still owed on the
promised date (never below zero).

Pure: ``Decimal`` amounts in, a frozen dataclass out.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Outcome:
    kept: bool
    received: Decimal  # to the cent


def outcome(amount_open, residual, promised=ZERO):
    """The outcome of a promise over items that owed ``amount_open`` when it was made and
    ``residual`` on the promised date; ``promised``: the amount promised (0: everything)."""
    received = max(_cents(Decimal(amount_open) - Decimal(residual)), ZERO)
    promised = _cents(promised or ZERO)
    kept = received >= promised if promised > 0 else _cents(residual) <= 0
    return Outcome(kept, received)
