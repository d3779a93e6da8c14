"""Pure tests of policy.court_order: the costs and running interest of the Mahnantrag."""

from datetime import date
from decimal import Decimal

import pytest

from policy.court_order import Costs, open_costs, period, running_interest_from

D = Decimal


def test_nothing_paid_on_costs_leaves_them_whole():
    assert open_costs(D("10.00"), D("30.00"), D("0")) == Costs(D("10.00"), D("30.00"), D("0"))


def test_payment_on_costs_goes_to_the_dunning_fees_first():
    assert open_costs(D("10.00"), D("30.00"), D("15.00")) == Costs(
        D("0.00"), D("25.00"), D("15.00")
    )


def test_payment_beyond_the_costs_is_not_taken_twice():
    assert open_costs(D("10.00"), D("30.00"), D("50.00")) == Costs(D("0.00"), D("0.00"), D("40.00"))


def test_negative_costs_are_refused():
    with pytest.raises(ValueError):
        open_costs(D("-1"), D("0"), D("0"))


def test_running_interest_continues_after_the_interest_charged():
    assert running_interest_from(date(2026, 3, 3), date(2026, 3, 30)) == date(2026, 3, 31)
    assert running_interest_from(date(2026, 3, 3), None) == date(2026, 3, 3)
    assert running_interest_from(None, None) is None


def test_period_of_dates():
    assert period([date(2026, 3, 3), None, date(2026, 1, 5)]) == (
        date(2026, 1, 5),
        date(2026, 3, 3),
    )
    assert period([]) == (None, None)
