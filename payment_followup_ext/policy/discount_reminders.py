"""Reminders of an early-payment discount (Skonto) before it expires.

A payment term with an early discount grants it only when the discounted amount is paid in full
by the discount date (a condition agreed with the invoice, §§ 133, 157 BGB; Odoo's
``account.payment.term``: ``early_discount``, ``discount_percentage``, ``discount_days``). The
reminder tells the customer, some days before that date, how much to pay by when, and what they
save. It is no dunning: the invoice is not due yet, so it is independent of the follow-up
ladder (a customer may get a reminder before the due date on another day).

Pure: plain values in, frozen dataclasses out; amounts are ``Decimal``.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Offer:
    """An open instalment of an invoice with an early discount still offered."""

    item_id: int
    invoice_date: date
    discount_date: date  # the last day on which the discounted amount settles the instalment
    amount: Decimal  # the instalment's open amount (invoice currency)
    discounted: Decimal  # the amount that settles it by the discount date
    blocked: bool = False  # "No Follow-up" (e.g. a dispute): no reminder of any kind
    reminded: bool = False  # a discount reminder was sent for it already


@dataclass(frozen=True)
class Reminder:
    """One reminder to a customer: the offers it lists and their totals."""

    item_ids: tuple
    discount_date: date  # the earliest discount date of the listed offers
    amount: Decimal
    discounted: Decimal
    saving: Decimal


def remind_on(offer, days_before):
    """The day the reminder of ``offer`` is due: ``days_before`` days before its discount
    date."""
    return offer.discount_date - timedelta(days=days_before)


def is_due(offer, today, days_before):
    """Whether ``offer`` gets its reminder on ``today``: the reminder is switched on
    (``days_before`` > 0), the offer is not blocked nor reminded yet, its reminder day has come
    and its discount date has not passed. A run that missed the exact day (no run on a
    weekend) still reminds up to the discount date; never before it, and not for an invoice
    issued on or after its reminder day (its discount period is shorter than the lead: the
    invoice itself just told the customer)."""
    if days_before <= 0 or offer.blocked or offer.reminded:
        return False
    day = remind_on(offer, days_before)
    return offer.invoice_date < day <= today <= offer.discount_date


def _cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def reminder(offers, today, days_before, excluded=False, postponed_until=None):
    """The reminder to a customer with the ``offers`` on ``today``, or None: none for a
    customer left out of the follow-up (``excluded``) or whose follow-up is postponed past
    ``today`` (as the follow-up ladder, ``policy.schedule``)."""
    if excluded or (postponed_until and today < postponed_until):
        return None
    due = sorted(
        (offer for offer in offers if is_due(offer, today, days_before)),
        key=lambda offer: (offer.discount_date, offer.item_id),
    )
    if not due:
        return None
    amount = sum((_cents(offer.amount) for offer in due), Decimal(0))
    discounted = sum((_cents(offer.discounted) for offer in due), Decimal(0))
    return Reminder(
        item_ids=tuple(offer.item_id for offer in due),
        discount_date=due[0].discount_date,
        amount=amount,
        discounted=discounted,
        saving=amount - discounted,
    )
