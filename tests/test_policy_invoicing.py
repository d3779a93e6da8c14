"""Pure tests of policy.invoicing: on which day and from which time a monthly customer's
invoices go out."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy.invoicing import (
    InvoicingSlotError,
    check_slot,
    is_slot_day,
    is_slot_due,
    slot_date,
    slot_datetime,
    slot_time,
)


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2027, 2, 31, date(2027, 2, 28)),
        (2028, 2, 31, date(2028, 2, 29)),  # leap year
        (2027, 2, 29, date(2027, 2, 28)),
        (2027, 2, 30, date(2027, 2, 28)),
        (2027, 4, 31, date(2027, 4, 30)),
        (2027, 4, 30, date(2027, 4, 30)),
        (2027, 5, 31, date(2027, 5, 31)),
        (2027, 1, 1, date(2027, 1, 1)),
        (2027, 6, 15, date(2027, 6, 15)),
    ],
)
def test_slot_date_last_day_of_shorter_months(year, month, day, expected):
    assert slot_date(year, month, day) == expected


def test_slot_time_from_float_hours():
    assert slot_time(0) == time(0, 0)
    assert slot_time(8.5) == time(8, 30)
    assert slot_time(14.25) == time(14, 15)
    assert slot_time(23.999) == time(23, 59)
    assert slot_time(9 + 59.5 / 60) == time(10, 0)  # half a minute rounds up


def test_due_on_the_slot_day_from_the_slot_time():
    assert not is_slot_due(datetime(2027, 2, 28, 8, 29), 31, 8.5)
    assert is_slot_due(datetime(2027, 2, 28, 8, 30), 31, 8.5)
    assert is_slot_due(datetime(2027, 2, 28, 23, 59), 31, 8.5)
    assert not is_slot_due(datetime(2027, 2, 27, 12, 0), 31, 8.5)
    assert not is_slot_due(datetime(2027, 3, 1, 9, 0), 31, 8.5)
    assert is_slot_due(datetime(2027, 4, 30, 9, 0), 31, 8.5)
    assert not is_slot_due(datetime(2027, 5, 30, 9, 0), 31, 8.5)
    assert is_slot_due(datetime(2027, 5, 31, 9, 0), 31, 8.5)


def test_day_29_in_february_of_a_leap_year_is_the_29th():
    assert not is_slot_day(date(2028, 2, 28), 29)
    assert is_slot_day(date(2028, 2, 29), 29)
    assert is_slot_day(date(2027, 2, 28), 29)


@pytest.mark.parametrize(("day", "hours"), [(0, 8), (32, 8), (-1, 8), (1, 24), (1, 25), (1, -0.5)])
def test_bad_slots_are_refused(day, hours):
    with pytest.raises(InvoicingSlotError):
        check_slot(day, hours)
    with pytest.raises(InvoicingSlotError):
        slot_datetime(2027, 1, day, hours)


@given(
    st.integers(2000, 2100),
    st.integers(1, 12),
    st.integers(1, 31),
    st.floats(0, 23.99, allow_nan=False),
)
def test_exactly_one_slot_day_per_month(year, month, day, hours):
    first = date(year, month, 1)
    days = [first + timedelta(days=n) for n in range(31)]
    slot_days = [d for d in days if d.month == month and is_slot_day(d, day)]
    assert len(slot_days) == 1
    slot = slot_datetime(year, month, day, hours)
    assert slot.date() == slot_days[0]
    assert is_slot_due(slot, day, hours)
    assert not is_slot_due(slot - timedelta(minutes=1), day, hours)
