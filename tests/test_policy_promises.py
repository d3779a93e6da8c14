"""Pure tests of policy.promises: a promise to pay kept or broken."""

from decimal import Decimal

from policy.promises import Outcome, outcome

D = Decimal


def test_promise_of_everything_kept_when_paid_in_full():
    assert outcome(D("1190.00"), D("0.00")) == Outcome(True, D("1190.00"))


def test_promise_of_everything_broken_by_one_cent():
    assert outcome(D("1190.00"), D("0.01")) == Outcome(False, D("1189.99"))


def test_promise_of_an_amount_kept_when_that_amount_arrived():
    assert outcome(D("1190.00"), D("690.00"), D("500.00")) == Outcome(True, D("500.00"))
    assert outcome(D("1190.00"), D("690.01"), D("500.00")) == Outcome(False, D("499.99"))


def test_received_never_negative():
    # a new charge on the covered items raised what they owe
    assert outcome(D("100.00"), D("105.00"), D("50")) == Outcome(False, D("0"))
