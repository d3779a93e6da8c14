"""Pure tests of policy.channels: email, letter or both."""

from policy.channels import Channels, channels, no_email


def test_no_address_turns_the_email_into_a_letter():
    assert no_email(True, "")
    assert channels(send_email=True, send_letter=False, schedule_activity=False, email=None) == (
        Channels(email=False, letter=True, activity=False, no_email=True)
    )


def test_an_address_gets_the_email():
    assert not no_email(True, "buchhaltung@example.de")
    assert channels(
        send_email=True, send_letter=False, schedule_activity=True, email="a@example.de"
    ) == Channels(email=True, letter=False, activity=True, no_email=False)


def test_a_level_without_email_never_misses_an_address():
    assert not no_email(False, "")
    assert channels(send_email=False, send_letter=True, schedule_activity=False, email="") == (
        Channels(email=False, letter=True, activity=False, no_email=False)
    )
