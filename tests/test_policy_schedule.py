"""Pure tests of policy.schedule: who gets which follow-up step on which day."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from policy.schedule import (
    DUE,
    EXCLUDED,
    INTERVAL,
    NOT_DUE,
    NOTHING_OPEN,
    POSTPONED,
    Customer,
    Item,
    Level,
    after_step,
    decide,
)

PRE_DUE = Level(1, -3)
FRIENDLY = Level(2, 3)
FIRST = Level(3, 14, min_days_since_previous=7)
SECOND = Level(4, 28, min_amount=Decimal("100"), min_days_since_previous=7)
LAST = Level(5, 42, min_amount=Decimal("100"), min_days_since_previous=7, manual_review=True)
LADDER = (LAST, FIRST, PRE_DUE, SECOND, FRIENDLY)  # any order: sorted by offset
DUE_DATE = date(2026, 3, 2)


def customer(*items, **values):
    return Customer(1, items=items, levels=LADDER, **values)


def item(item_id=10, due=DUE_DATE, residual="500.00", level=None, blocked=False):
    return Item(item_id, due, Decimal(residual), level.id if level else None, blocked)


def on(days):
    return DUE_DATE + timedelta(days=days)


def test_pre_due_reminder_three_days_before_due():
    assert decide(customer(item()), on(-4)).reason == NOT_DUE
    assert decide(customer(item()), on(-4)).next_date == on(-3)
    decision = decide(customer(item()), on(-3))
    assert decision.reason == DUE
    assert decision.step.level_id == PRE_DUE.id
    assert decision.step.item_ids == (10,)
    assert decision.amount_overdue == 0


def test_pre_due_reminder_is_skipped_once_the_item_is_due():
    decision = decide(customer(item()), on(5))
    assert decision.step.level_id == FRIENDLY.id
    assert decision.step.escalations == ((10, FRIENDLY.id),)


def test_one_rung_at_a_time_even_when_long_overdue():
    decision = decide(customer(item()), on(60))
    assert decision.step.level_id == FRIENDLY.id
    decision = decide(customer(item(level=FRIENDLY)), on(61))
    assert decision.step.level_id == FIRST.id


def test_escalation_waits_for_offset_and_interval():
    first_sent = customer(item(level=FIRST), last_followup=on(14))
    assert decide(first_sent, on(27)).reason == NOT_DUE
    assert decide(first_sent, on(27)).next_date == on(28)
    decision = decide(first_sent, on(28))
    assert decision.step.level_id == SECOND.id
    # Reminded recently (e.g. a late first reminder): the interval holds the next rung.
    late_first = customer(item(level=FIRST), last_followup=on(25))
    assert decide(late_first, on(28)).reason == INTERVAL
    assert decide(late_first, on(28)).next_date == on(32)
    assert decide(late_first, on(32)).step.level_id == SECOND.id


def test_minimum_amount_keeps_small_debts_on_a_lighter_rung():
    small = customer(item(residual="80.00", level=FIRST), last_followup=on(14))
    assert decide(small, on(40)).reason == NOT_DUE
    assert decide(small, on(40)).next_date is None
    # A second overdue item lifts the open amount over the minimum.
    more = customer(
        item(residual="80.00", level=FIRST),
        item(11, due=on(-10), residual="30.00", level=FRIENDLY),
        last_followup=on(14),
    )
    decision = decide(more, on(40))
    assert decision.step.level_id == SECOND.id
    assert dict(decision.step.escalations)[10] == SECOND.id


def test_one_communication_covers_all_overdue_items_at_the_highest_level():
    items = (
        item(10, due=on(0), residual="1000.00", level=SECOND),
        item(11, due=on(30), residual="200.00"),  # 5 days late: climbs to the friendly rung
        item(12, due=on(40), residual="300.00"),  # not due yet: not listed
    )
    decision = decide(customer(*items, last_followup=on(28)), on(35))
    assert decision.reason == DUE
    assert decision.step.escalations == ((11, FRIENDLY.id),)
    assert decision.step.item_ids == (10, 11)
    assert decision.step.level_id == SECOND.id
    assert decision.step.amount_due == Decimal("1200.00")
    assert decision.amount_overdue == Decimal("1200.00")
    assert decision.oldest_overdue == on(0)


def test_nothing_to_do_without_a_climb():
    top = customer(item(level=LAST), last_followup=on(42))
    decision = decide(top, on(90))
    assert decision.reason == NOT_DUE
    assert decision.step is None
    assert decision.level_id == LAST.id
    assert decision.amount_overdue == Decimal("500.00")


def test_manual_review_level():
    decision = decide(customer(item(level=SECOND), last_followup=on(28)), on(42))
    assert decision.step.level_id == LAST.id
    assert decision.step.manual_review


def test_excluded_blocked_postponed_and_paid():
    assert decide(customer(item(), excluded=True), on(20)).reason == EXCLUDED
    assert decide(customer(item(blocked=True)), on(20)).reason == NOTHING_OPEN
    assert decide(customer(item(residual="0")), on(20)).reason == NOTHING_OPEN
    covered = customer(item(), credit=Decimal("500.00"))
    assert decide(covered, on(20)).reason == NOTHING_OPEN
    partly = customer(item(), credit=Decimal("499.99"))
    assert decide(partly, on(20)).reason == DUE
    held = decide(customer(item(), postponed_until=on(25)), on(20))
    assert (held.reason, held.next_date) == (POSTPONED, on(25))
    assert decide(customer(item(), postponed_until=on(20)), on(20)).reason == DUE


def test_grace_days_delay_rungs_after_due_only():
    patient = customer(item(), grace_days=5)
    assert decide(patient, on(-3)).step.level_id == PRE_DUE.id
    assert decide(patient, on(7)).reason == NOT_DUE
    assert decide(patient, on(7)).next_date == on(8)
    assert decide(patient, on(8)).step.level_id == FRIENDLY.id


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-20, max_value=120),
            st.decimals(min_value="0.01", max_value="5000", places=2),
            st.sampled_from([None, *LADDER]),
        ),
        min_size=1,
        max_size=6,
    ),
    st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)
def test_a_step_never_lowers_an_item_and_lists_every_overdue_item(rows, last):
    today = date(2026, 6, 1)
    items = tuple(
        Item(index, today - timedelta(days=late), amount, level.id if level else None)
        for index, (late, amount, level) in enumerate(rows)
    )
    last_followup = today - timedelta(days=last) if last is not None else None
    decision = decide(Customer(1, items, LADDER, last_followup=last_followup), today)
    rank = {level.id: level.offset_days for level in LADDER}
    if decision.step is None:
        return
    step = decision.step
    assert step.escalations
    by_id = {item.id: item for item in items}
    for item_id, level_id in step.escalations:
        before = by_id[item_id].level_id
        assert before is None or rank[level_id] > rank[before]
        assert rank[level_id] <= (today - by_id[item_id].due_date).days
    overdue = {item.id for item in items if item.due_date < today}
    assert overdue <= set(step.item_ids)
    assert rank[step.level_id] == max(
        [rank[level_id] for _id, level_id in step.escalations]
        + [rank[by_id[i].level_id] for i in step.item_ids if by_id[i].level_id]
    )


def test_after_step_is_the_next_run_of_the_same_day():
    """The worklist row written after a step equals what a second run that day would decide."""
    before = customer(item(10, level=FRIENDLY), item(11, due=on(20)), last_followup=on(3))
    step = decide(before, on(14)).step
    assert step.escalations == ((10, FIRST.id),)
    after = after_step(before, step, on(14))
    assert after.last_followup == on(14)
    assert [i.level_id for i in after.items] == [FIRST.id, None]
    decision = decide(after, on(14))
    assert decision.reason == NOT_DUE and decision.step is None
    assert decision.level_id == FIRST.id
    assert decision.next_date == on(17)  # item 11 pre-due: 3 days before its due date


def test_fee_documents_are_listed_but_climb_no_ladder():
    fees = Item(20, on(20), Decimal("44.39"), None, False, True)
    # A fee document alone is never reminded.
    assert decide(customer(fees), on(40)).reason == NOTHING_OPEN
    # With an invoice climbing, every communication lists the open fee document.
    decision = decide(customer(item(10, level=FRIENDLY), fees), on(14))
    assert decision.step.level_id == FIRST.id
    assert decision.step.escalations == ((10, FIRST.id),)
    assert decision.step.item_ids == (10, 20)
    assert decision.step.amount_due == Decimal("544.39")
    assert decision.amount_overdue == Decimal("500.00")
