"""Pure tests of policy.replies: the customer's answer on the reply page of a step."""

from datetime import date
from decimal import Decimal

import pytest

from policy import replies
from policy.replies import Hold

TODAY = date(2026, 5, 4)


def test_link_works_until_step_date_plus_validity():
    assert replies.link_expiry(date(2026, 5, 1), 60) == date(2026, 6, 30)
    assert replies.link_valid(date(2026, 6, 30), date(2026, 5, 1), 60)
    assert not replies.link_valid(date(2026, 7, 1), date(2026, 5, 1), 60)


def test_paid_needs_a_past_day_and_a_positive_amount():
    assert replies.errors("paid", TODAY, paid_date=TODAY, amount=Decimal("0.01")) == ()
    assert replies.errors("paid", TODAY, paid_date=date(2026, 5, 5), amount=Decimal("10")) == (
        replies.PAID_DATE_FUTURE,
    )
    assert replies.errors("paid", TODAY, paid_date=None, amount=Decimal("0")) == (
        replies.NO_PAID_DATE,
        replies.AMOUNT_NOT_POSITIVE,
    )
    assert replies.errors("paid", TODAY, paid_date=TODAY, amount=Decimal("-5")) == (
        replies.AMOUNT_NOT_POSITIVE,
    )


def test_dispute_only_of_the_customers_own_invoices():
    assert (
        replies.errors("dispute", TODAY, invoice_id=7, invoice_ids={7, 8}, reason="quality") == ()
    )
    assert replies.errors("dispute", TODAY, invoice_id=9, invoice_ids={7, 8}, reason="quality") == (
        replies.FOREIGN_INVOICE,
    )
    assert replies.errors("dispute", TODAY, invoice_ids={7}) == (
        replies.NO_INVOICE,
        replies.NO_REASON,
    )


def test_more_time_asks_for_a_later_day_or_a_plan():
    assert replies.errors("more_time", TODAY, requested_date=date(2026, 5, 5)) == ()
    assert replies.errors("more_time", TODAY, wants_plan=True) == ()
    assert replies.errors("more_time", TODAY, requested_date=TODAY) == (
        replies.REQUESTED_DATE_PAST,
    )
    assert replies.errors("more_time", TODAY) == (replies.NO_REQUEST,)


def test_unknown_answer_refused():
    with pytest.raises(ValueError):
        replies.errors("thanks", TODAY)


def test_paid_holds_back_for_the_days_to_wait_for_the_payment():
    assert replies.hold("paid", TODAY, paid_days=5) == Hold(date(2026, 5, 9), False)


def test_more_time_within_the_limit_holds_back_until_the_day():
    assert replies.hold("more_time", TODAY, max_days=30, requested_date=date(2026, 6, 3)) == Hold(
        date(2026, 6, 3), False
    )


def test_more_time_beyond_the_limit_or_a_plan_is_for_the_accountant():
    assert replies.hold("more_time", TODAY, max_days=30, requested_date=date(2026, 6, 4)) == Hold(
        None, True
    )
    assert replies.hold("more_time", TODAY, max_days=30, wants_plan=True) == Hold(None, True)


def test_dispute_holds_back_no_customer():
    assert replies.hold("dispute", TODAY) == Hold(None, False)
