"""Pure tests of policy.statement: the statement of account's days overdue, age buckets and
balance, with and without the items not yet due."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from policy.statement import NOT_DUE, Entry, age_bucket, statement

TODAY = date(2026, 6, 1)


def entry(key, due, amount, residual=None):
    amount = Decimal(amount)
    return Entry(key, due, amount, amount if residual is None else Decimal(residual))


def test_bucket_bounds_count_from_the_day_after_the_due_date():
    days = (0, 1, 30, 31, 60, 61, 90, 91, 400, -5)
    assert [age_bucket(TODAY - timedelta(days=d), TODAY) for d in days] == [
        NOT_DUE, 1, 1, 2, 2, 3, 3, 4, 4, NOT_DUE
    ]  # fmt: skip


def test_statement_buckets_payments_and_credits_and_balance():
    entries = (
        entry(1, date(2026, 6, 15), "1190.00"),  # not due yet
        entry(2, date(2026, 6, 1), "100.00"),  # due today: not overdue
        entry(3, date(2026, 5, 12), "500.00", "250.00"),  # 20 days, half paid
        entry(4, date(2026, 4, 2), "300.00"),  # 60 days
        entry(5, date(2026, 3, 3), "238.00"),  # 90 days
        entry(6, date(2026, 1, 1), "5.00"),  # 151 days: a dunning fee document
        entry(7, date(2026, 5, 22), "-200.00"),  # a payment not applied, 10 days ago
        entry(8, date(2026, 4, 1), "-119.00", "-50.00"),  # a credit note partly used, 61 days
        entry(9, date(2026, 5, 1), "80.00", "0.00"),  # settled: not listed
    )
    result = statement(entries, TODAY)
    assert [(line.key, line.days_overdue, line.bucket) for line in result.lines] == [
        (1, 0, 0),
        (2, 0, 0),
        (3, 20, 1),
        (4, 60, 2),
        (5, 90, 3),
        (6, 151, 4),
        (7, 0, 1),
        (8, 0, 3),
    ]
    assert result.buckets == (
        Decimal("1290.00"),
        Decimal("50.00"),  # 250 - 200
        Decimal("300.00"),
        Decimal("188.00"),  # 238 - 50
        Decimal("5.00"),
    )
    assert result.balance == Decimal("1833.00")


def test_overdue_only_leaves_out_claims_not_due_but_keeps_credits():
    entries = (
        entry(1, date(2026, 6, 15), "1190.00"),
        entry(2, date(2026, 5, 2), "400.00"),  # 30 days
        entry(3, date(2026, 7, 1), "-100.00"),  # a credit note due later: still reduces
    )
    result = statement(entries, TODAY, overdue_only=True)
    assert [line.key for line in result.lines] == [2, 3]
    assert result.buckets == (
        Decimal("-100.00"), Decimal("400.00"), Decimal("0"), Decimal("0"), Decimal("0")
    )  # fmt: skip
    assert result.balance == Decimal("300.00")


def test_nothing_open():
    result = statement((), TODAY)
    assert result.lines == ()
    assert result.balance == Decimal("0")


amounts = st.decimals(min_value=-5000, max_value=5000, places=2, allow_nan=False)


@given(st.lists(st.tuples(st.integers(-60, 400), amounts), max_size=20), st.booleans())
def test_the_buckets_add_up_to_the_balance(rows, overdue_only):
    entries = [entry(i, TODAY - timedelta(days=d), a) for i, (d, a) in enumerate(rows)]
    result = statement(entries, TODAY, overdue_only)
    assert sum(result.buckets) == result.balance
    listed = {line.key for line in result.lines}
    assert result.balance == sum((e.residual for e in entries if e.key in listed), Decimal(0))
    if not overdue_only:
        assert result.balance == sum((e.residual for e in entries), Decimal(0))
