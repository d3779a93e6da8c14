"""Pure tests of policy.interest.default_start: the first day of default under § 286 BGB."""

from datetime import date

import pytest

from policy.interest import default_start, first_reminder_received

# 2026: 1 May a Friday (holiday), 2/3 May the weekend; 4 May a Monday.
MAY_DAY = date(2026, 5, 1)
HOLIDAYS = (MAY_DAY, date(2026, 5, 14), date(2026, 5, 25))


def test_agreed_due_date_default_from_the_next_day():
    assert default_start(date(2026, 3, 2), agreed=True) == date(2026, 3, 3)


def test_agreed_due_date_on_a_holiday_before_a_weekend_moves_to_monday():
    # § 193: Friday 1 May (holiday), Saturday, Sunday -> due Monday 4 May, default 5 May.
    assert default_start(MAY_DAY, agreed=True, holidays=HOLIDAYS) == date(2026, 5, 5)
    # without the holiday list only the weekend is skipped: due Friday, default Saturday
    assert default_start(MAY_DAY, agreed=True) == date(2026, 5, 2)


def test_agreed_ignores_reminder_and_receipt():
    start = default_start(
        date(2026, 3, 2),
        agreed=True,
        reminder_received=date(2026, 4, 1),
        invoice_received=date(2026, 2, 20),
    )
    assert start == date(2026, 3, 3)


def test_not_agreed_and_nothing_known_is_no_default_yet():
    assert default_start(date(2026, 3, 2), agreed=False) is None


def test_thirty_days_after_receipt_for_a_business():
    # Invoice received Wednesday 4 March, due the same day: the 30 days run from 5 March
    # (§ 187(1)) to Friday 3 April; default from Saturday 4 April.
    start = default_start(date(2026, 3, 4), agreed=False, invoice_received=date(2026, 3, 4))
    assert start == date(2026, 4, 4)


def test_thirty_days_count_from_the_later_of_due_date_and_receipt():
    received = date(2026, 3, 10)
    assert default_start(
        date(2026, 3, 4), agreed=False, invoice_received=received
    ) == default_start(received, agreed=False, invoice_received=received)
    # a due date after the receipt: the 30 days count from the due date, 20 March; the 30th
    # day, Sunday 19 April, moves to Monday 20 April; default from 21 April
    assert default_start(
        date(2026, 3, 20), agreed=False, invoice_received=date(2026, 3, 2)
    ) == date(2026, 4, 21)


def test_thirtieth_day_on_a_weekend_and_holidays_moves_by_section_193():
    # Received 1 April 2026: the 30th day is Friday 1 May (holiday), then the weekend: the
    # period ends Monday 4 May, default from Tuesday 5 May.
    start = default_start(
        date(2026, 4, 1), agreed=False, invoice_received=date(2026, 4, 1), holidays=HOLIDAYS
    )
    assert start == date(2026, 5, 5)


def test_consumer_only_with_the_notice_on_the_invoice():
    due = received = date(2026, 3, 4)
    without = default_start(due, agreed=False, invoice_received=received, consumer=True)
    assert without is None
    with_notice = default_start(
        due, agreed=False, invoice_received=received, consumer=True, notice_on_invoice=True
    )
    assert with_notice == date(2026, 4, 4)


def test_reminder_after_the_due_date_starts_default_the_next_day():
    start = default_start(
        date(2026, 3, 4), agreed=False, reminder_received=date(2026, 3, 12), consumer=True
    )
    assert start == date(2026, 3, 13)


def test_reminder_before_or_on_the_due_date_is_ignored():
    due = date(2026, 3, 4)
    assert default_start(due, agreed=False, reminder_received=date(2026, 3, 1)) is None
    assert default_start(due, agreed=False, reminder_received=due) is None


def test_reminder_on_the_moved_due_date_is_not_after_it():
    # Due Saturday 7 March, moved to Monday 9 March: a reminder received that Monday is not
    # after the due date; one received on Tuesday is.
    due = date(2026, 3, 7)
    assert default_start(due, agreed=False, reminder_received=date(2026, 3, 9)) is None
    assert default_start(due, agreed=False, reminder_received=date(2026, 3, 10)) == date(
        2026, 3, 11
    )


@pytest.mark.parametrize(
    ("reminder", "expected"),
    [
        (date(2026, 3, 12), date(2026, 3, 13)),  # the reminder comes first
        (date(2026, 4, 20), date(2026, 4, 4)),  # the 30 days come first
    ],
)
def test_the_earlier_of_reminder_and_thirty_days(reminder, expected):
    start = default_start(
        date(2026, 3, 4),
        agreed=False,
        invoice_received=date(2026, 3, 4),
        reminder_received=reminder,
    )
    assert start == expected


def test_only_a_reminder_received_after_the_moved_due_date_counts():
    # Due on Saturday 7 March 2026, moved to Monday the 9th.
    due = date(2026, 3, 7)
    receipts = [date(2026, 3, 5), date(2026, 3, 9), date(2026, 3, 12), date(2026, 3, 10)]
    assert first_reminder_received(due, receipts) == date(2026, 3, 10)
    assert first_reminder_received(due, [date(2026, 3, 9)]) is None
    assert first_reminder_received(due, []) is None
