"""Pure tests of policy.suspension: when a level suspends the service, when it is lifted."""

from datetime import date
from decimal import Decimal

from policy.suspension import days_overdue, may_lift, should_suspend

D = Decimal
TODAY = date(2026, 3, 31)


def test_suspends_from_the_minimum_amount_and_days():
    assert should_suspend(D("500.00"), date(2026, 3, 1), TODAY, min_amount=D("500"), min_days=30)


def test_one_cent_below_the_minimum_amount_does_not_suspend():
    assert not should_suspend(
        D("499.99"), date(2026, 1, 1), TODAY, min_amount=D("500.00"), min_days=0
    )


def test_a_day_too_young_does_not_suspend():
    assert days_overdue(date(2026, 3, 2), TODAY) == 29
    assert not should_suspend(
        D("9000.00"), date(2026, 3, 2), TODAY, min_amount=D("100"), min_days=30
    )


def test_nothing_overdue_never_suspends_with_a_minimum():
    assert days_overdue(None, TODAY) == 0
    assert not should_suspend(D("0"), None, TODAY, min_amount=D("0.01"), min_days=0)


def test_lifted_by_itself_only_when_set_by_a_level_and_nothing_is_open():
    assert may_lift(suspended=True, by_level=True, anything_open=False)
    assert not may_lift(suspended=True, by_level=True, anything_open=True)
    assert not may_lift(suspended=True, by_level=False, anything_open=False)
    assert not may_lift(suspended=False, by_level=True, anything_open=False)
