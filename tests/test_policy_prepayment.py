"""Pure tests of policy.prepayment: which invoice needs a prepayment, and how much, to the cent."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from policy.prepayment import PERCENT, THRESHOLD, amount, required, rule_errors

D = Decimal


def test_above_the_threshold_only():
    assert required(D("10000.01"), D("10000.00"), D("30"))
    assert not required(D("10000.00"), D("10000.00"), D("30"))
    assert not required(D("10000.004"), D("10000.00"), D("30"))  # the same to the cent


def test_no_percentage_no_prepayment():
    assert not required(D("50000"), D("0"), D("0"))


def test_amount_is_rounded_half_up_to_the_cent():
    assert amount(D("10000.05"), D("30")) == D("3000.02")  # 3,000.015
    assert amount(D("1234.56"), D("12.5")) == D("154.32")  # 154.32
    assert amount(D("0.05"), D("50")) == D("0.03")  # 0.025


def test_bad_rules():
    assert rule_errors(D("0"), D("0")) == ()
    assert rule_errors(D("-0.01"), D("100")) == (THRESHOLD,)
    assert rule_errors(D("5"), D("100.01")) == (PERCENT,)
    assert rule_errors(D("-1"), D("-1")) == (THRESHOLD, PERCENT)


@given(
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_amount_is_whole_cents_and_at_most_the_invoice(untaxed, percent):
    due = amount(untaxed, percent)
    assert due == due.quantize(D("0.01"))
    assert 0 <= due <= untaxed
