"""Pure tests of policy.fees: dunning fees and the § 288(5) BGB flat fee."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy.fees import FIXED, NONE, PERCENT, FeeRule, dunning_fee, flat_fee

D = Decimal


def test_no_fee_rule_charges_nothing():
    assert dunning_fee(FeeRule(NONE), D("1000"), consumer=False, first_reminder=False) == 0


def test_fixed_fee():
    rule = FeeRule(FIXED, fixed=D("5.00"))
    assert dunning_fee(rule, D("12.00"), consumer=False, first_reminder=False) == D("5.00")


def test_percent_fee_between_minimum_and_maximum():
    rule = FeeRule(PERCENT, percent=D("1.5"), minimum=D("2.50"), maximum=D("25.00"))
    assert dunning_fee(rule, D("100.00"), consumer=False, first_reminder=False) == D("2.50")
    assert dunning_fee(rule, D("1000.00"), consumer=False, first_reminder=False) == D("15.00")
    assert dunning_fee(rule, D("1000.30"), consumer=False, first_reminder=False) == D("15.00")
    assert dunning_fee(rule, D("1000.34"), consumer=False, first_reminder=False) == D("15.01")
    assert dunning_fee(rule, D("9000.00"), consumer=False, first_reminder=False) == D("25.00")


def test_not_on_the_first_reminder():
    """The reminder that puts the debtor in default is not caused by the default."""
    rule = FeeRule(FIXED, fixed=D("5.00"), not_on_first=True)
    assert dunning_fee(rule, D("500"), consumer=False, first_reminder=True) == 0
    assert dunning_fee(rule, D("500"), consumer=False, first_reminder=False) == D("5.00")


def test_consumer_cap():
    rule = FeeRule(FIXED, fixed=D("10.00"), consumer_max=D("2.50"))
    assert dunning_fee(rule, D("500"), consumer=True, first_reminder=False) == D("2.50")
    assert dunning_fee(rule, D("500"), consumer=False, first_reminder=False) == D("10.00")


def test_nothing_overdue_no_fee():
    rule = FeeRule(FIXED, fixed=D("5.00"))
    assert dunning_fee(rule, D("0"), consumer=False, first_reminder=False) == 0


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        dunning_fee(FeeRule("weird"), D("1"), consumer=False, first_reminder=False)


def test_flat_fee_once_per_claim_in_default_never_from_consumers():
    assert flat_fee(consumer=False, in_default=True, already_charged=False) == D("40.00")
    assert flat_fee(consumer=True, in_default=True, already_charged=False) == 0
    assert flat_fee(consumer=False, in_default=False, already_charged=False) == 0
    assert flat_fee(consumer=False, in_default=True, already_charged=True) == 0


@given(
    overdue=st.decimals(min_value=0, max_value=10**7, places=2),
    percent=st.decimals(min_value=0, max_value=20, places=2),
    minimum=st.decimals(min_value=0, max_value=50, places=2),
    extra=st.decimals(min_value=D("0.01"), max_value=500, places=2),
    consumer=st.booleans(),
)
def test_percent_fee_stays_within_its_limits(overdue, percent, minimum, extra, consumer):
    rule = FeeRule(
        PERCENT, percent=percent, minimum=minimum, maximum=minimum + extra, consumer_max=D("5")
    )
    fee = dunning_fee(rule, overdue, consumer=consumer, first_reminder=False)
    assert fee == fee.quantize(D("0.01"))
    if overdue > 0:
        assert min(minimum, D("5") if consumer else minimum) <= fee <= minimum + extra
    else:
        assert fee == 0
