"""The customer's answer to a reminder, given on the reply page of the step (no login).

Three answers: "I have paid" (the day, the amount, the reference), "I dispute an invoice" (which,
why) and "I need more time" (a day to pay by, or a payment plan). What an answer may say, until
when the link of a step works, and what an answer holds back is decided here:

- the link of a step works until its date plus the company's validity (in days);
- "paid" holds the items back for the company's days to wait for the payment, from the day of
  the answer (a bank transfer takes up to one business day, § 675s BGB, plus the days to match);
- "more time" holds the items back until the day asked for when that day is within the
  company's limit of days; a later day, or a payment plan, is for the accountant to decide (no
  hold, the responsible gets a to-do). A deferral is an agreement (Stundung): the customer has
  no claim to it, so a request beyond the limit only asks.

Pure: dates and ``Decimal`` amounts in, frozen dataclasses and error codes out.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

PAID = "paid"
DISPUTE = "dispute"
MORE_TIME = "more_time"
KINDS = (PAID, DISPUTE, MORE_TIME)

# What is wrong with an answer (the form shows a text for each).
NO_PAID_DATE = "no_paid_date"
PAID_DATE_FUTURE = "paid_date_future"
AMOUNT_NOT_POSITIVE = "amount_not_positive"
NO_INVOICE = "no_invoice"
FOREIGN_INVOICE = "foreign_invoice"
NO_REASON = "no_reason"
NO_REQUEST = "no_request"
REQUESTED_DATE_PAST = "requested_date_past"


@dataclass(frozen=True)
class Hold:
    """What an answer holds back: the customer's open items until ``until`` (None: nothing),
    and whether the accountant has to decide (a request beyond the limits, a payment plan)."""

    until: date | None
    to_decide: bool


def link_expiry(step_date, validity_days):
    """The last day the reply link of a step of ``step_date`` works."""
    return step_date + timedelta(days=max(validity_days, 0))


def link_valid(today, step_date, validity_days):
    return today <= link_expiry(step_date, validity_days)


def errors(
    kind,
    today,
    paid_date=None,
    amount=None,
    invoice_id=None,
    invoice_ids=(),
    reason=None,
    requested_date=None,
    wants_plan=False,
):
    """The error codes of an answer of ``kind`` given on ``today``, in the order of the form's
    fields; empty when it may be recorded. ``invoice_ids``: the invoices the customer may
    dispute (their own open invoices of the step)."""
    found = []
    if kind == PAID:
        if not paid_date:
            found.append(NO_PAID_DATE)
        elif paid_date > today:
            found.append(PAID_DATE_FUTURE)
        if amount is None or Decimal(amount) <= 0:
            found.append(AMOUNT_NOT_POSITIVE)
    elif kind == DISPUTE:
        if not invoice_id:
            found.append(NO_INVOICE)
        elif invoice_id not in invoice_ids:
            found.append(FOREIGN_INVOICE)
        if not reason:
            found.append(NO_REASON)
    elif kind == MORE_TIME:
        if not requested_date and not wants_plan:
            found.append(NO_REQUEST)
        elif requested_date and requested_date <= today:
            found.append(REQUESTED_DATE_PAST)
    else:
        raise ValueError(f"unknown answer {kind!r}")
    return tuple(found)


def hold(kind, today, paid_days=0, max_days=0, requested_date=None, wants_plan=False):
    """What an answer of ``kind`` given on ``today`` holds back (see the module)."""
    if kind == PAID:
        return Hold(today + timedelta(days=max(paid_days, 0)), False)
    if kind == MORE_TIME:
        if wants_plan or not requested_date:
            return Hold(None, True)
        if requested_date <= today + timedelta(days=max(max_days, 0)):
            return Hold(requested_date, False)
        return Hold(None, True)
    # A dispute holds back its invoice, not the customer (the dispute's own block).
    return Hold(None, False)
