"""Pure tests of policy.charges: what a step charges, and from which day interest runs."""

from datetime import date
from decimal import Decimal

import pytest

from policy.base_rate import MissingBaseRate
from policy.charges import (
    CONTRACTUAL,
    FEE,
    FLAT_FEE,
    FLAT_FEE_CREDIT,
    INTEREST,
    NO_INTEREST,
    Allocation,
    Charge,
    Claim,
    Terms,
    allocate,
    claim_default_start,
    in_default,
    late_interest,
    plan_in_default,
    plan_interest,
    plan_interest_by_instalment,
    split,
    step_charges,
)
from policy.fees import FIXED, FeeRule

D = Decimal
RATES = ((date(2024, 1, 1), D("3.62")), (date(2024, 7, 1), D("3.37")))
GERMAN_UNITY_2025 = date(2025, 10, 3)  # a Friday, a public holiday everywhere in Germany
FIVE_EUROS = FeeRule(kind=FIXED, fixed=D("5.00"), not_on_first=True)


def _claim(key=1, amount="10000.00", due=date(2024, 3, 15), **values):
    return Claim(
        key=key, amount=D(amount), open=D(values.pop("open", amount)), due_date=due, **values
    )


def test_default_starts_the_day_after_the_due_date():
    claim = _claim(due=date(2024, 3, 14))  # a Thursday
    assert claim_default_start(claim, consumer=False) == date(2024, 3, 15)


def test_a_due_date_on_a_holiday_moves_the_start_to_after_the_next_working_day():
    # § 193 BGB: Friday 3 October is a holiday, the weekend follows: due on Monday the 6th.
    claim, holiday = _claim(due=GERMAN_UNITY_2025), {GERMAN_UNITY_2025}
    assert claim_default_start(claim, consumer=False, holidays=holiday) == date(2025, 10, 7)
    assert claim_default_start(claim, consumer=False) == date(2025, 10, 4)  # without it
    assert not in_default(claim, date(2025, 10, 6), consumer=False, holidays=holiday)
    assert in_default(claim, date(2025, 10, 7), consumer=False, holidays=holiday)


def test_claim_without_agreed_terms_is_charged_from_the_reminder_or_the_thirty_days():
    """Not agreed: a consumer whose invoice lacked the § 286(3) notice is in default only
    from the day after the reminder reached them: interest and fees start there."""
    terms = Terms(charge_interest=True, charge_flat_fee=True, consumer=True)
    claim = _claim(due=date(2024, 3, 15), agreed=False, invoice_received=date(2024, 3, 1))
    assert step_charges([claim], date(2024, 4, 30), terms, base_rates=RATES) == ()
    reminded = _claim(
        due=date(2024, 3, 15),
        agreed=False,
        invoice_received=date(2024, 3, 1),
        reminder_received=date(2024, 3, 25),
    )
    (charge,) = step_charges([reminded], date(2024, 4, 30), terms, base_rates=RATES)
    assert (charge.kind, charge.date_from, charge.date_to) == (
        INTEREST,
        date(2024, 3, 26),
        date(2024, 4, 30),
    )
    # 10,000 * (3.62 + 5) % * 36 / 366
    assert charge.amount == D("84.79")
    # A business is in default 30 days after the later of receipt and due date (15 March):
    # the 30th day, Sunday 14 April, moves to Monday 15 April (§ 193); default from the 16th.
    business = Terms(charge_interest=True)
    (charge,) = step_charges([claim], date(2024, 4, 30), business, base_rates=RATES)
    assert charge.date_from == date(2024, 4, 16)


def test_business_step_charges_fee_interest_and_flat_fee_with_the_fee_credited():
    terms = Terms(fee_rule=FIVE_EUROS, charge_interest=True, charge_flat_fee=True)
    charges = step_charges([_claim(reminded=True)], date(2024, 4, 14), terms, base_rates=RATES)
    assert charges == (
        Charge(FEE, D("5.00"), key=1),
        # 10,000 * 12.62 % * 30 / 366 (leap year)
        Charge(
            INTEREST,
            D("103.44"),
            key=1,
            date_from=date(2024, 3, 16),
            date_to=date(2024, 4, 14),
            days=30,
            rate=D("12.62"),
            principal=D("10000.00"),
        ),
        Charge(FLAT_FEE, D("40.00"), key=1),
        # § 288(5) sentence 3: the fee of the same claim is credited against the flat fee
        Charge(FLAT_FEE_CREDIT, D("-5.00"), key=1),
    )


def test_consumer_pays_five_points_and_no_flat_fee():
    terms = Terms(charge_interest=True, charge_flat_fee=True, consumer=True)
    (charge,) = step_charges([_claim()], date(2024, 4, 14), terms, base_rates=RATES)
    assert (charge.kind, charge.rate, charge.amount) == (INTEREST, D("8.62"), D("70.66"))


def test_first_reminder_is_free_and_claims_not_in_default_are_not_charged():
    terms = Terms(fee_rule=FIVE_EUROS, charge_interest=True, charge_flat_fee=True)
    not_due = _claim(key=2, due=date(2024, 4, 14), reminded=True)
    charges = step_charges([_claim(), not_due], date(2024, 4, 14), terms, base_rates=RATES)
    assert [(c.kind, c.key, c.amount) for c in charges] == [
        (INTEREST, 1, D("103.44")),
        (FLAT_FEE, 1, D("40.00")),
    ]


def test_fee_is_charged_on_what_is_still_open():
    rule = FeeRule(kind="percent", percent=D("1"))
    charges = step_charges(
        [_claim(open="2500.50"), _claim(key=2, amount="99.99")],
        date(2024, 4, 14),
        Terms(fee_rule=rule),
        base_rates=RATES,
    )
    # 1 % of 2,600.49, shared by what is open of each
    assert charges == (Charge(FEE, D("25.00"), key=1), Charge(FEE, D("1.00"), key=2))


def test_no_late_interest_regime_charges_only_the_fee():
    terms = Terms(fee_rule=FIVE_EUROS, charge_interest=True, regime=NO_INTEREST)
    charges = step_charges([_claim(reminded=True)], date(2024, 4, 14), terms, base_rates=())
    assert charges == (Charge(FEE, D("5.00"), key=1),)


def test_contractual_rate_replaces_the_statutory_one():
    terms = Terms(charge_interest=True, regime=CONTRACTUAL, contract_rate=D("12"))
    (charge,) = step_charges([_claim()], date(2024, 4, 14), terms, base_rates=())
    assert (charge.rate, charge.amount) == (D("12"), D("98.36"))  # 10,000 * 12 % * 30 / 366


def test_days_charged_already_and_flat_fee_charged_already_are_not_charged_again():
    terms = Terms(charge_interest=True, charge_flat_fee=True)
    claim = _claim(charged_through=date(2024, 4, 4), flat_fee_charged=True)
    (charge,) = step_charges([claim], date(2024, 4, 14), terms, base_rates=RATES)
    # 5 April to 14 April: 10 days, 10,000 * 12.62 % * 10 / 366
    assert (charge.date_from, charge.days, charge.amount) == (date(2024, 4, 5), 10, D("34.48"))


def test_flat_fee_in_the_company_currency():
    terms = Terms(charge_flat_fee=True)
    charges = step_charges(
        [_claim()], date(2024, 4, 14), terms, base_rates=(), flat_fee_amount=D("34.21")
    )
    assert charges == (Charge(FLAT_FEE, D("34.21"), key=1),)


def test_interest_starts_after_a_holiday_due_date():
    terms = Terms(charge_interest=True)
    rates = ((date(2025, 7, 1), D("2.02")),)
    (charge,) = step_charges(
        [_claim(due=GERMAN_UNITY_2025)],
        date(2025, 10, 16),
        terms,
        base_rates=rates,
        holidays={GERMAN_UNITY_2025},
    )
    # 7 to 16 October: 10 days, 10,000 * 11.02 % * 10 / 365
    assert (charge.date_from, charge.days, charge.amount) == (date(2025, 10, 7), 10, D("30.19"))


def test_missing_base_rate_is_an_error():
    with pytest.raises(MissingBaseRate):
        step_charges([_claim()], date(2024, 4, 14), Terms(charge_interest=True), base_rates=())


def test_late_interest_none_without_interest():
    assert (
        late_interest(
            D("100"),
            date(2024, 3, 15),
            date(2024, 4, 14),
            consumer=False,
            base_rates=(),
            regime=NO_INTEREST,
        )
        is None
    )


def test_plan_interest_runs_from_the_agreement_to_each_later_instalment():
    instalments = ((date(2024, 3, 1), D("100.00")), (date(2024, 3, 31), D("1000.00")))
    # only the second: 2 to 31 March, 30 days, 1,000 * 12.62 % * 30 / 366
    assert plan_interest(instalments, date(2024, 3, 1), consumer=False, base_rates=RATES) == D(
        "10.34"
    )
    # consumer: 1,000 * 8.62 % * 30 / 366
    assert plan_interest(instalments, date(2024, 3, 1), consumer=True, base_rates=RATES) == D(
        "7.07"
    )
    assert plan_interest(
        instalments, date(2024, 3, 1), consumer=False, base_rates=(), regime=NO_INTEREST
    ) == D("0")


def test_split_shares_a_fee_to_the_cent_by_what_is_open():
    claims = [_claim(key=k, amount="100.00") for k in (1, 2, 3)]
    assert split(D("5.00"), claims) == [D("1.67"), D("1.67"), D("1.66")]
    uneven = [_claim(key=1, amount="2500.50"), _claim(key=2, amount="99.99")]
    assert split(D("26.00"), uneven) == [D("25.00"), D("1.00")]
    assert split(D("5.00"), []) == []


FINAL_NOTICE = Terms(fee_rule=FIVE_EUROS, charge_interest=False, charge_flat_fee=True)


def test_final_notice_credits_the_earlier_fees_against_the_flat_fee():
    """Two reminders charged EUR 5 each; the final notice charges EUR 5 and the flat fee of EUR
    40: together the dunning costs and the flat fee come to EUR 40, not EUR 55 (§ 288(5)
    sentence 3 BGB)."""
    claim = _claim(reminded=True, fees_charged=D("10.00"))
    charges = step_charges([claim], date(2024, 4, 14), FINAL_NOTICE, base_rates=())
    assert charges == (
        Charge(FEE, D("5.00"), key=1),
        Charge(FLAT_FEE, D("40.00"), key=1),
        Charge(FLAT_FEE_CREDIT, D("-15.00"), key=1),
    )
    assert D("10.00") + sum(charge.amount for charge in charges) == D("40.00")


def test_after_the_flat_fee_a_credited_fee_charges_nothing_and_fees_beyond_it_are_charged():
    covered = _claim(
        reminded=True, flat_fee_charged=True, fees_charged=D("15.00"), fees_credited=D("15.00")
    )
    assert step_charges([covered], date(2024, 4, 14), FINAL_NOTICE, base_rates=()) == ()
    # EUR 38 of fees credited: of a new EUR 5, EUR 2 are credited, EUR 3 go beyond the flat fee
    almost = _claim(
        reminded=True, flat_fee_charged=True, fees_charged=D("38.00"), fees_credited=D("38.00")
    )
    assert step_charges([almost], date(2024, 4, 14), FINAL_NOTICE, base_rates=()) == (
        Charge(FEE, D("5.00"), key=1),
        Charge(FLAT_FEE_CREDIT, D("-2.00"), key=1),
    )
    beyond = _claim(
        reminded=True, flat_fee_charged=True, fees_charged=D("40.00"), fees_credited=D("40.00")
    )
    assert step_charges([beyond], date(2024, 4, 14), FINAL_NOTICE, base_rates=()) == (
        Charge(FEE, D("5.00"), key=1),
    )


def test_a_fee_over_several_claims_is_credited_claim_by_claim():
    """The fee is shared by what is open; only the claim with a flat fee credits its share."""
    with_flat = _claim(key=1, amount="300.00", reminded=True, flat_fee_charged=True)
    without = _claim(key=2, amount="100.00", due=date(2024, 4, 1), reminded=True)
    terms = Terms(fee_rule=FIVE_EUROS)
    assert step_charges([with_flat, without], date(2024, 4, 14), terms, base_rates=()) == (
        Charge(FEE, D("3.75"), key=1),
        Charge(FEE, D("1.25"), key=2),
        Charge(FLAT_FEE_CREDIT, D("-3.75"), key=1),
    )


def test_consumers_owe_no_flat_fee_so_nothing_is_credited():
    consumer = Terms(fee_rule=FIVE_EUROS, charge_flat_fee=True, consumer=True)
    claim = _claim(reminded=True, fees_charged=D("10.00"))
    assert step_charges([claim], date(2024, 4, 14), consumer, base_rates=()) == (
        Charge(FEE, D("5.00"), key=1),
    )


def test_plan_interest_per_instalment_adds_up_to_the_plan_interest():
    instalments = (
        (date(2024, 3, 1), D("100.00")),
        (date(2024, 3, 31), D("1000.00")),
        (date(2024, 4, 30), D("1000.00")),
    )
    shares = plan_interest_by_instalment(
        instalments, date(2024, 3, 1), consumer=False, base_rates=RATES
    )
    # 1,000 * 12.62 % * 30 / 366 = 10.34; * 60 / 366 = 20.69
    assert shares == (D("0"), D("10.34"), D("20.69"))
    assert plan_interest(instalments, date(2024, 3, 1), consumer=False, base_rates=RATES) == D(
        "31.03"
    )
    assert plan_interest_by_instalment(
        instalments, date(2024, 3, 1), consumer=False, base_rates=(), regime=NO_INTEREST
    ) == (D("0"), D("0"), D("0"))


def test_payments_go_to_costs_then_interest_then_principal():
    assert allocate(D("100.00"), costs=D("10.00"), interest=D("39.39")) == Allocation(
        D("10.00"), D("39.39"), D("50.61")
    )
    assert allocate(D("30.00"), costs=D("10.00"), interest=D("39.39")) == Allocation(
        D("10.00"), D("20.00"), D("0.00")
    )
    assert allocate(D("5.00"), costs=D("10.00"), interest=D("39.39")) == Allocation(
        D("5.00"), D("0"), D("0.00")
    )


def test_a_plan_charges_interest_only_on_a_debt_in_default():
    agreed = _claim(due=date(2024, 3, 15))
    unagreed = _claim(key=2, due=date(2024, 3, 15), agreed=False)
    assert plan_in_default([agreed], date(2024, 3, 20), consumer=False)
    assert not plan_in_default([unagreed], date(2024, 3, 20), consumer=False)
    assert not plan_in_default([agreed], date(2024, 3, 15), consumer=False), "due today"
    reminded = _claim(
        key=3, due=date(2024, 3, 15), agreed=False, reminder_received=date(2024, 3, 18)
    )
    assert plan_in_default([unagreed, reminded], date(2024, 3, 20), consumer=False)
