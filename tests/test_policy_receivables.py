"""Pure tests of policy.receivables: what a customer owes overdue, by age, and when it is held
back entirely."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from policy.receivables import ageing, bucket, held_back, reached_level
from policy.schedule import Customer, Item, Level

TODAY = date(2026, 6, 1)


def item(days_overdue, amount, item_id=1, **values):
    return Item(item_id, TODAY - timedelta(days=days_overdue), Decimal(amount), **values)


def test_buckets_bounds():
    assert [bucket(days) for days in (1, 30, 31, 60, 61, 90, 91, 400)] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_ageing_counts_held_back_items_but_not_charges_or_items_not_due():
    items = (
        item(10, "100.00", 1),
        item(45, "200.00", 2, blocked=True),  # promised or disputed: still owed
        item(75, "300.00", 3),
        item(120, "400.00", 4),
        item(50, "5.00", 5, charge=True),  # the fee: the next reminder adds it
        item(0, "999.00", 6),  # due today: not overdue
        item(-5, "999.00", 7),
    )
    result = ageing(items, TODAY)
    assert result.buckets == (
        Decimal("100.00"),
        Decimal("200.00"),
        Decimal("300.00"),
        Decimal("400.00"),
    )
    assert result.overdue == Decimal("1000.00")
    assert result.oldest == TODAY - timedelta(days=120)
    assert result.days == 120


def test_nothing_overdue():
    result = ageing((item(-3, "50.00"),), TODAY)
    assert result.overdue == 0
    assert result.oldest is None
    assert result.days == 0


@given(st.lists(st.tuples(st.integers(-30, 500), st.integers(1, 10**7)), max_size=30))
def test_buckets_add_up_to_the_overdue_amount(specs):
    items = tuple(
        item(days, Decimal(cents) / 100, index) for index, (days, cents) in enumerate(specs)
    )
    result = ageing(items, TODAY)
    assert sum(result.buckets) == result.overdue
    assert result.overdue == sum((i.residual for i in items if i.due_date < TODAY), Decimal(0))


def test_held_back_when_everything_open_is_paused():
    paused = Customer(1, items=(item(20, "500.00", blocked=True),), levels=())
    assert held_back(paused)
    # an unapplied payment covering everything: nothing is owed
    assert not held_back(paused.__class__(1, paused.items, (), credit=Decimal("500.00")))
    assert not held_back(Customer(1, items=(item(20, "5.00", charge=True),), levels=()))
    assert not held_back(Customer(1, items=(), levels=()))


def test_reached_level_counts_held_back_items():
    levels = (Level(7, 14), Level(5, 3), Level(9, 28))
    items = (
        item(20, "100.00", 1, level_id=5),
        item(30, "100.00", 2, level_id=7, blocked=True),
        item(40, "5.00", 3, level_id=9, charge=True),
    )
    assert reached_level(Customer(1, items=items, levels=levels)) == 7
    assert reached_level(Customer(1, items=items[:1], levels=levels)) == 5
    assert reached_level(Customer(1, items=(item(5, "1.00"),), levels=levels)) is None
