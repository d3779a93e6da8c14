"""Pure tests of policy.interest: German statutory late interest to the cent."""

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy.base_rate import MissingBaseRate
from policy.interest import late_interest, next_working_day

DATA = Path(__file__).resolve().parent.parent / "payment_followup_ext" / "data"


def _shipped_rates():
    """The table the add-on ships (XML), read without Odoo."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(DATA / "payment_followup_base_rate_data.xml")
    rates = []
    for record in tree.iter("record"):
        values = {field.get("name"): field.text for field in record.iter("field")}
        rates.append((date.fromisoformat(values["date_from"]), Decimal(values["rate"])))
    return tuple(rates)


RATES = _shipped_rates()
D = Decimal


def test_shipped_table_matches_the_published_csv():
    csv_path = Path(__file__).resolve().parents[2] / "shared" / "data" / "basiszinssatz.csv"
    if not csv_path.exists():  # the steering folder lies beside the repository, not in a clone
        csv_path = Path("/work/shared/data/basiszinssatz.csv")
    with open(csv_path, encoding="utf-8") as rows:
        published = tuple(
            (date.fromisoformat(row["valid_from"]), Decimal(row["basiszinssatz_percent"]))
            for row in csv.DictReader(rows)
        )
    assert published == RATES


def test_business_rate_is_base_plus_nine_points():
    result = late_interest(
        D("10000.00"), date(2024, 3, 15), date(2024, 4, 14), b2b=True, base_rates=RATES
    )
    (period,) = result.periods
    assert (period.start, period.end, period.days) == (date(2024, 3, 16), date(2024, 4, 14), 30)
    assert period.rate == D("12.62")
    assert result.total == D("103.44")  # 10,000 * 12.62 % * 30 / 366 (leap year)


def test_consumer_rate_is_base_plus_five_points():
    result = late_interest(
        D("10000.00"), date(2024, 3, 15), date(2024, 4, 14), b2b=False, base_rates=RATES
    )
    assert result.periods[0].rate == D("8.62")
    assert result.total == D("70.66")


def test_period_is_split_at_a_base_rate_change():
    result = late_interest(
        D("1000.00"), date(2023, 6, 20), date(2023, 7, 10), b2b=True, base_rates=RATES
    )
    assert [(p.start, p.end, p.days, p.rate, p.interest) for p in result.periods] == [
        (date(2023, 6, 21), date(2023, 6, 30), 10, D("10.62"), D("2.91")),
        (date(2023, 7, 1), date(2023, 7, 10), 10, D("12.12"), D("3.32")),
    ]
    assert result.total == D("6.23")


def test_negative_base_rate_lowers_the_consumer_rate_below_five():
    result = late_interest(
        D("5000.00"), date(2020, 2, 3), date(2020, 3, 3), b2b=False, base_rates=RATES
    )
    (period,) = result.periods
    assert period.rate == D("4.12")  # -0.88 + 5
    assert period.days == 29  # February 2020 has 29 days
    assert result.total == D("16.32")


def test_year_end_uses_each_years_own_day_count():
    result = late_interest(
        D("1000.00"), date(2023, 12, 20), date(2024, 1, 10), b2b=True, base_rates=RATES
    )
    assert [(p.days, p.rate, p.interest) for p in result.periods] == [
        (11, D("12.12"), D("3.65")),  # / 365
        (10, D("12.62"), D("3.45")),  # / 366
    ]
    assert result.total == D("7.10")


def test_several_rate_changes():
    result = late_interest(
        D("2000.00"), date(2022, 11, 30), date(2024, 2, 29), b2b=True, base_rates=RATES
    )
    assert [p.rate for p in result.periods] == [D("8.12"), D("10.62"), D("12.12"), D("12.62")]
    assert sum(p.days for p in result.periods) == (date(2024, 2, 29) - date(2022, 11, 30)).days
    assert result.total == sum(p.interest for p in result.periods)


def test_due_date_on_a_weekend_or_holiday_moves_to_the_next_working_day():
    saturday = date(2024, 6, 15)
    assert next_working_day(saturday) == date(2024, 6, 17)
    result = late_interest(D("1000.00"), saturday, date(2024, 6, 20), b2b=True, base_rates=RATES)
    assert result.start == date(2024, 6, 18)
    assert result.total == D("1.03")  # 3 days, not 5
    christmas = (date(2024, 12, 25), date(2024, 12, 26))
    result = late_interest(
        D("1000.00"),
        date(2024, 12, 25),
        date(2024, 12, 31),
        b2b=True,
        base_rates=RATES,
        holidays=christmas,
    )
    assert result.start == date(2024, 12, 28)
    assert result.total == D("1.35")  # 4 days at 12.37 %


def test_paying_on_the_due_date_costs_nothing():
    due = date(2025, 3, 10)
    assert late_interest(D("800.00"), due, due, b2b=True, base_rates=RATES).total == 0
    paid = late_interest(
        D("800.00"),
        due,
        date(2025, 6, 1),
        b2b=True,
        base_rates=RATES,
        payments=[(due, D("800.00"))],
    )
    assert paid.total == 0
    assert paid.periods == ()
    assert paid.principal_open == 0


def test_partial_payment_pays_interest_first_then_principal():
    result = late_interest(
        D("1000.00"),
        date(2025, 1, 15),
        date(2025, 3, 16),
        b2b=True,
        base_rates=RATES,
        payments=[(date(2025, 2, 14), D("500.00"))],
    )
    first, second = result.periods
    assert (first.start, first.end, first.days, first.interest) == (
        date(2025, 1, 16),
        date(2025, 2, 14),
        30,
        D("9.26"),
    )
    # § 367 BGB: 9.26 pay the interest, 490.74 the principal; § 289: no interest on interest.
    assert second.principal == D("509.26")
    assert (second.start, second.days, second.interest) == (date(2025, 2, 15), 30, D("4.72"))
    assert result.total == D("13.98")
    assert result.interest_paid == D("9.26")
    assert result.interest_open == D("4.72")
    assert result.principal_open == D("509.26")


def test_each_period_is_rounded_half_up_to_the_cent():
    rates = ((date(2025, 1, 1), D("1")), (date(2025, 7, 1), D("1")))
    # 100.25 * 10 % * 73 / 365 = 2.005 exactly: half-up gives 2.01 (banker's rounding 2.00).
    result = late_interest(
        D("100.25"), date(2024, 12, 31), date(2025, 3, 14), b2b=True, base_rates=rates
    )
    assert result.periods[0].days == 73
    assert result.total == D("2.01")


def test_missing_base_rate_is_an_error_not_a_guess():
    with pytest.raises(MissingBaseRate) as missing:
        late_interest(D("1000.00"), date(2026, 6, 1), date(2026, 8, 1), b2b=True, base_rates=RATES)
    assert missing.value.half_year.start == date(2026, 7, 1)


@given(
    principal=st.decimals(min_value="0.01", max_value="1000000", places=2),
    due=st.dates(min_value=date(2002, 1, 1), max_value=date(2025, 6, 1)),
    length=st.integers(min_value=0, max_value=400),
    b2b=st.booleans(),
    payment=st.one_of(
        st.none(), st.tuples(st.integers(0, 400), st.decimals("0.01", "1000000", places=2))
    ),
)
def test_totals_are_the_sum_of_rounded_periods_covering_every_day(
    principal, due, length, b2b, payment
):
    end = min(due + timedelta(days=length), date(2025, 12, 31))
    payments = [(due + timedelta(days=payment[0]), payment[1])] if payment else []
    result = late_interest(principal, due, end, b2b=b2b, base_rates=RATES, payments=payments)
    assert result.total == sum(p.interest for p in result.periods)
    assert all(p.interest == p.interest.quantize(D("0.01")) for p in result.periods)
    assert result.total >= 0
    assert result.interest_paid + result.interest_open == result.total
    days = [p.days for p in result.periods]
    assert all(d > 0 for d in days)
    if not payments and result.periods:
        assert result.periods[0].start == next_working_day(due) + timedelta(days=1)
        assert sum(days) == (end - result.periods[0].start).days + 1
        longer = late_interest(
            principal,
            due,
            min(end + timedelta(days=30), date(2025, 12, 31)),
            b2b=b2b,
            base_rates=RATES,
        )
        assert longer.total >= result.total


def test_charged_through_charges_only_the_days_since():
    """A later step charges the days after the last charge, on the principal as paid down."""
    first = late_interest(
        D("10000.00"), date(2024, 1, 31), date(2024, 3, 15), b2b=True, base_rates=RATES
    )
    later = late_interest(
        D("10000.00"),
        date(2024, 1, 31),
        date(2024, 8, 15),
        b2b=True,
        base_rates=RATES,
        payments=[(date(2024, 5, 1), D("4000.00"))],
        charged_through=date(2024, 3, 15),
    )
    assert first.periods[-1].end == date(2024, 3, 15)
    assert later.start == date(2024, 3, 16)
    assert [(p.start, p.end) for p in later.periods] == [
        (date(2024, 3, 16), date(2024, 5, 1)),
        (date(2024, 5, 2), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 8, 15)),
    ]
    # 3.62 % + 9 points in H1 2024, 3.37 % + 9 in H2; § 367: the payment first covers interest.
    assert later.periods[0].interest == D("162.06")  # 10000 * 12.62 % * 47 / 366
    # Interest accrued up to the payment: 151.72 (charged before) + 162.06 = 313.78.
    assert later.periods[1].principal == D("6313.78")  # 10000 - (4000 - 313.78)
    assert later.total == sum(p.interest for p in later.periods)


def test_charged_through_at_or_after_the_end_charges_nothing():
    result = late_interest(
        D("500.00"),
        date(2024, 1, 31),
        date(2024, 3, 15),
        b2b=False,
        base_rates=RATES,
        charged_through=date(2024, 3, 15),
    )
    assert result.total == 0 and result.periods == () and result.start is None


@given(
    split=st.integers(min_value=0, max_value=400),
    length=st.integers(min_value=1, max_value=400),
)
def test_charged_through_never_charges_a_day_twice(split, length):
    due = date(2023, 11, 30)
    charged = due + timedelta(days=split)
    end = charged + timedelta(days=length)
    before = late_interest(D("1234.56"), due, charged, b2b=True, base_rates=RATES)
    after = late_interest(
        D("1234.56"), due, end, b2b=True, base_rates=RATES, charged_through=charged
    )
    whole = late_interest(D("1234.56"), due, end, b2b=True, base_rates=RATES)
    days = [
        p.start + timedelta(days=i) for p in before.periods + after.periods for i in range(p.days)
    ]
    assert len(days) == len(set(days)) == sum(p.days for p in whole.periods)


def test_contractual_fixed_rate_ignores_the_base_rate():
    result = late_interest(
        D("1000.00"),
        date(2030, 1, 31),  # no base rate is known for 2030: a fixed rate needs none
        date(2030, 3, 2),
        b2b=True,
        base_rates=RATES,
        fixed_rate=D("8"),
    )
    assert [(p.rate, p.days) for p in result.periods] == [(D("8"), 30)]
    assert result.total == D("6.58")  # 1000 * 8 % * 30 / 365 = 6.575, half-up
