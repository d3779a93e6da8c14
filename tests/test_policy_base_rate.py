"""Pure tests of policy.base_rate: no database, no Odoo."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy.base_rate import (
    HalfYear,
    MissingBaseRate,
    base_rate_on,
    is_change_date,
    missing_half_years,
    rate_segments,
    rates_to_enter,
)

TABLE = (
    (date(2022, 7, 1), Decimal("-0.88")),
    (date(2023, 1, 1), Decimal("1.62")),
    (date(2023, 7, 1), Decimal("3.12")),
    (date(2024, 1, 1), Decimal("3.62")),
)


def test_rate_of_the_half_year_containing_the_day():
    assert base_rate_on(date(2022, 12, 31), TABLE) == Decimal("-0.88")
    assert base_rate_on(date(2023, 1, 1), TABLE) == Decimal("1.62")
    assert base_rate_on(date(2023, 6, 30), TABLE) == Decimal("1.62")
    assert base_rate_on(date(2023, 7, 1), TABLE) == Decimal("3.12")


def test_no_rate_is_carried_forward_into_an_unpublished_half_year():
    with pytest.raises(MissingBaseRate) as missing:
        base_rate_on(date(2024, 7, 1), TABLE)
    assert missing.value.half_year == HalfYear(2024, 2)
    assert missing.value.half_year.start == date(2024, 7, 1)


def test_missing_half_years_in_a_range():
    assert missing_half_years(TABLE, date(2022, 8, 1), date(2024, 1, 31)) == []
    assert missing_half_years(TABLE, date(2023, 5, 1), date(2025, 2, 1)) == [
        HalfYear(2024, 2),
        HalfYear(2025, 1),
    ]


def test_segments_split_at_every_change():
    segments = rate_segments(date(2022, 12, 20), date(2023, 7, 3), TABLE)
    assert segments == [
        (date(2022, 12, 20), date(2022, 12, 31), Decimal("-0.88")),
        (date(2023, 1, 1), date(2023, 6, 30), Decimal("1.62")),
        (date(2023, 7, 1), date(2023, 7, 3), Decimal("3.12")),
    ]


def test_change_dates():
    assert is_change_date(date(2025, 1, 1))
    assert is_change_date(date(2025, 7, 1))
    assert not is_change_date(date(2025, 7, 2))
    assert not is_change_date(date(2025, 6, 1))


@given(
    st.dates(min_value=date(2022, 7, 1), max_value=date(2024, 6, 30)),
    st.integers(min_value=0, max_value=700),
)
def test_segments_cover_the_range_without_gap_or_overlap(first, length):
    last = min(date.fromordinal(first.toordinal() + length), date(2024, 6, 30))
    segments = rate_segments(first, last, TABLE)
    assert segments[0][0] == first
    assert segments[-1][1] == last
    for (_, end, _rate), (start, _end, _rate2) in pairwise(segments):
        assert start.toordinal() == end.toordinal() + 1
        assert is_change_date(start)
    assert sum(end.toordinal() - start.toordinal() + 1 for start, end, _ in segments) == (
        last.toordinal() - first.toordinal() + 1
    )


def test_the_next_rate_is_asked_for_fourteen_days_before_it_applies():
    table = ((date(2026, 1, 1), Decimal("1.27")), (date(2026, 7, 1), Decimal("1.27")))
    assert rates_to_enter(date(2026, 12, 17), table, 14) == []
    assert rates_to_enter(date(2026, 12, 18), table, 14) == [HalfYear(2027, 1)]
    assert rates_to_enter(date(2026, 6, 17), table, 14) == [], "known already"
    assert rates_to_enter(date(2027, 1, 5), table, 14) == [HalfYear(2027, 1)], "still missing"
    assert rates_to_enter(date(2026, 11, 30), table[:1], 14) == [HalfYear(2026, 2)]
