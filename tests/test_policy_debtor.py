"""Pure tests of policy.debtor: consumer (§ 13 BGB) or business (§ 14 BGB)."""

import pytest

from policy.debtor import AUTO, BUSINESS, CONSUMER, is_consumer


def test_derived_a_person_is_a_consumer_a_company_is_not():
    assert is_consumer(AUTO, is_company=False)
    assert not is_consumer(AUTO, is_company=True)


def test_set_by_hand_wins():
    assert is_consumer(CONSUMER, is_company=True)
    assert not is_consumer(BUSINESS, is_company=False)


def test_unknown_type_is_an_error():
    with pytest.raises(ValueError):
        is_consumer("trader", is_company=True)
