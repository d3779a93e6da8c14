"""Pure tests of policy.discount_reminders: the early-discount (Skonto) reminder."""

from datetime import date
from decimal import Decimal

from policy.discount_reminders import Offer, is_due, remind_on, reminder

INVOICED = date(2026, 3, 2)
DISCOUNT = date(2026, 3, 16)  # 14 days of Skonto


def offer(item_id=1, discount_date=DISCOUNT, amount="1190.00", discounted="1166.20", **values):
    return Offer(
        item_id=item_id,
        invoice_date=values.pop("invoice_date", INVOICED),
        discount_date=discount_date,
        amount=Decimal(amount),
        discounted=Decimal(discounted),
        **values,
    )


def test_reminded_n_days_before_the_discount_date():
    assert remind_on(offer(), 3) == date(2026, 3, 13)
    assert not is_due(offer(), date(2026, 3, 12), 3)
    assert is_due(offer(), date(2026, 3, 13), 3)


def test_a_missed_day_is_caught_up_until_the_discount_date_but_not_after():
    assert is_due(offer(), date(2026, 3, 16), 3)
    assert not is_due(offer(), date(2026, 3, 17), 3)


def test_never_twice_never_blocked_never_when_switched_off():
    assert not is_due(offer(reminded=True), date(2026, 3, 13), 3)
    assert not is_due(offer(blocked=True), date(2026, 3, 13), 3)
    assert not is_due(offer(), date(2026, 3, 13), 0)


def test_an_invoice_younger_than_the_lead_is_not_reminded():
    short = offer(invoice_date=date(2026, 3, 13))
    assert not is_due(short, date(2026, 3, 13), 3)
    assert not is_due(short, date(2026, 3, 14), 3)


def test_one_reminder_per_customer_with_totals_and_saving():
    later = offer(2, date(2026, 3, 18), amount="595.00", discounted="583.10")
    result = reminder([later, offer()], date(2026, 3, 15), 3)
    assert result.item_ids == (1, 2)
    assert result.discount_date == DISCOUNT
    assert result.amount == Decimal("1785.00")
    assert result.discounted == Decimal("1749.30")
    assert result.saving == Decimal("35.70")


def test_excluded_and_postponed_customers_get_none():
    today = date(2026, 3, 13)
    assert reminder([offer()], today, 3, excluded=True) is None
    assert reminder([offer()], today, 3, postponed_until=date(2026, 3, 20)) is None
    assert reminder([offer()], today, 3, postponed_until=today) is not None
    assert reminder([offer()], date(2026, 3, 10), 3) is None
