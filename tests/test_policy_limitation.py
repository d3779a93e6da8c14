"""Pure tests of policy.limitation: when an open claim becomes time-barred (§§ 195-212 BGB)."""

from datetime import date

import pytest

from policy.limitation import (
    AGREED,
    REGULAR,
    RESTARTED,
    RUNNING,
    SUSPENDED,
    TIME_BARRED,
    Limitation,
    limitation,
    regular_date,
    warning_due,
    year_end_window,
    years_later,
)

TODAY = date(2026, 11, 30)


def test_regular_limitation_ends_31_december_of_the_third_year():
    assert regular_date(date(2023, 1, 1)) == date(2026, 12, 31)
    assert regular_date(date(2023, 12, 31)) == date(2026, 12, 31)
    assert limitation(date(2023, 5, 15), TODAY) == Limitation(
        date(2026, 12, 31), REGULAR, None, RUNNING
    )


def test_claim_is_time_barred_the_day_after_the_limitation_date():
    assert limitation(date(2023, 5, 15), date(2026, 12, 31)).state == RUNNING
    assert limitation(date(2023, 5, 15), date(2027, 1, 1)).state == TIME_BARRED


def test_part_payment_restarts_three_years_to_the_day_without_the_year_end_rule():
    result = limitation(date(2023, 5, 15), TODAY, acts=[date(2025, 3, 15)])
    assert result == Limitation(date(2028, 3, 15), RESTARTED, date(2025, 3, 15), RUNNING)


def test_latest_act_counts():
    result = limitation(date(2022, 5, 15), TODAY, acts=[date(2025, 3, 15), date(2024, 1, 10)])
    assert (result.date, result.restarted_on) == (date(2028, 3, 15), date(2025, 3, 15))


def test_act_after_the_limitation_date_revives_nothing():
    result = limitation(date(2021, 5, 15), TODAY, acts=[date(2025, 1, 10)])
    assert result == Limitation(date(2024, 12, 31), REGULAR, None, TIME_BARRED)


def test_act_in_the_year_the_claim_fell_due_does_not_shorten_the_period():
    result = limitation(date(2023, 5, 15), TODAY, acts=[date(2023, 6, 1)])
    assert (result.date, result.basis) == (date(2026, 12, 31), REGULAR)


def test_restart_on_29_february_ends_on_28_february():
    assert years_later(date(2024, 2, 29)) == date(2027, 2, 28)
    assert limitation(date(2023, 5, 15), TODAY, acts=[date(2024, 2, 29)]).date == date(2027, 2, 28)


def test_agreed_date_replaces_the_computed_one():
    result = limitation(date(2023, 5, 15), TODAY, agreed=date(2027, 6, 30))
    assert result == Limitation(date(2027, 6, 30), AGREED, None, RUNNING)
    # an acknowledgement still restarts the agreed period when the new one ends later
    restarted = limitation(
        date(2023, 5, 15), TODAY, acts=[date(2026, 10, 1)], agreed=date(2027, 6, 30)
    )
    assert (restarted.date, restarted.basis) == (date(2029, 10, 1), RESTARTED)


def test_agreed_date_before_the_due_date_is_refused():
    with pytest.raises(ValueError):
        limitation(date(2023, 5, 15), TODAY, agreed=date(2023, 5, 14))


def test_court_dunning_order_before_the_limitation_date_suspends():
    result = limitation(date(2023, 5, 15), date(2027, 3, 1), court_order=date(2026, 12, 20))
    assert (result.date, result.state) == (date(2026, 12, 31), SUSPENDED)


def test_court_dunning_order_after_the_limitation_date_comes_too_late():
    result = limitation(date(2023, 5, 15), date(2027, 3, 1), court_order=date(2027, 1, 5))
    assert result.state == TIME_BARRED


def test_year_end_window_and_warning_from_1_november():
    assert year_end_window(TODAY) == (TODAY, date(2026, 12, 31))
    assert not warning_due(date(2026, 10, 31))
    assert warning_due(date(2026, 11, 1))
    assert warning_due(date(2026, 12, 31))
