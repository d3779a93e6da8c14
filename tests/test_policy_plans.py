"""Pure tests of policy.plans: instalment schedules and where a plan stands."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy.plans import (
    ACTIVE,
    BROKEN,
    DONE,
    MONTHLY,
    QUARTERLY,
    TOO_MANY,
    WEEKLY,
    PlanError,
    add_period,
    evaluate,
    schedule,
)

D = Decimal


def test_equal_instalments_the_last_takes_the_rest():
    plan = schedule(D("1000.00"), date(2026, 1, 31), MONTHLY, count=3)
    assert plan == (
        (date(2026, 1, 31), D("333.33")),
        (date(2026, 2, 28), D("333.33")),
        (date(2026, 3, 31), D("333.34")),
    )


def test_down_payment_first_then_instalments():
    plan = schedule(D("1000.00"), date(2026, 5, 4), WEEKLY, count=2, down_payment=D("200"))
    assert plan == (
        (date(2026, 5, 4), D("200")),
        (date(2026, 5, 11), D("400.00")),
        (date(2026, 5, 18), D("400.00")),
    )


def test_amount_per_instalment():
    plan = schedule(D("1000.00"), date(2026, 1, 15), QUARTERLY, amount=D("300"))
    assert [amount for _day, amount in plan] == [D("300")] * 3 + [D("100.00")]
    assert plan[-1][0] == date(2026, 10, 15)


def test_bad_input_is_refused():
    with pytest.raises(PlanError):
        schedule(D("0"), date(2026, 1, 1), MONTHLY, count=2)
    with pytest.raises(PlanError):
        schedule(D("100"), date(2026, 1, 1), MONTHLY, count=2, amount=D("50"))
    with pytest.raises(PlanError):
        schedule(D("100"), date(2026, 1, 1), MONTHLY, count=2, down_payment=D("100"))
    with pytest.raises(PlanError):
        schedule(D("100"), date(2026, 1, 1), MONTHLY, count=0)
    with pytest.raises(PlanError):
        add_period(date(2026, 1, 1), "daily", 1)


def test_evaluate_honoured_broken_done():
    plan = schedule(D("900"), date(2026, 3, 1), MONTHLY, count=3)
    assert evaluate(plan, D("0"), date(2026, 3, 1)).state == ACTIVE
    late = evaluate(plan, D("0"), date(2026, 3, 7), grace_days=5)
    assert (late.state, late.missed) == (BROKEN, (0,))
    assert evaluate(plan, D("0"), date(2026, 3, 6), grace_days=5).state == ACTIVE
    paid_first = evaluate(plan, D("300"), date(2026, 3, 20), grace_days=5)
    assert (paid_first.state, paid_first.next_due) == (ACTIVE, date(2026, 4, 1))
    partly = evaluate(plan, D("450"), date(2026, 4, 10), grace_days=5)
    assert (partly.state, partly.paid) == (BROKEN, (D("300"), D("150"), D("0")))
    assert evaluate(plan, D("900"), date(2027, 1, 1)).state == DONE


@given(
    total=st.decimals(min_value=D("0.01"), max_value=10**7, places=2),
    count=st.integers(min_value=1, max_value=60),
)
def test_instalments_always_add_up_to_the_debt(total, count):
    if total < count * D("0.01"):
        with pytest.raises(PlanError):
            schedule(total, date(2026, 1, 31), MONTHLY, count=count)
        return
    plan = schedule(total, date(2026, 1, 31), MONTHLY, count=count)
    assert sum(amount for _day, amount in plan) == total
    assert all(amount > 0 for _day, amount in plan)
    assert [day for day, _amount in plan] == sorted(day for day, _amount in plan)


def test_late_within_the_grace_days_is_not_broken():
    instalments = ((date(2026, 3, 1), D("100")), (date(2026, 4, 1), D("100")))
    within = evaluate(instalments, D("0"), date(2026, 3, 6), grace_days=5)
    assert (within.state, within.late, within.missed) == (ACTIVE, (0,), ())
    beyond = evaluate(instalments, D("0"), date(2026, 3, 7), grace_days=5)
    assert (beyond.state, beyond.late, beyond.missed) == (BROKEN, (0,), (0,))


def test_a_plan_has_at_most_120_instalments():
    assert len(schedule(Decimal("1200"), date(2026, 1, 31), MONTHLY, count=120)) == 120
    with pytest.raises(PlanError, match=TOO_MANY):
        schedule(Decimal("1200"), date(2026, 1, 31), MONTHLY, count=121)
    with pytest.raises(PlanError, match=TOO_MANY):
        schedule(Decimal("1200"), date(2026, 1, 31), MONTHLY, amount=Decimal("9.99"))
    assert len(schedule(Decimal("1200"), date(2026, 1, 31), MONTHLY, amount=Decimal("10"))) == 120
