"""How a follow-up step reaches the customer: email, letter, activity.

A level that sends an email to a customer without an email address sends a letter instead.

Pure: plain values in, bools out.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Channels:
    email: bool
    letter: bool
    activity: bool
    no_email: bool  # an email was due, but there is no address: a letter goes instead


def no_email(send_email, email):
    """True when a level sends emails (``send_email``) and the recipient has no ``email``."""
    return bool(send_email and not email)


def channels(*, send_email, send_letter, schedule_activity, email):
    """The channels of a step of a level to a recipient with the address ``email``."""
    missing = no_email(send_email, email)
    return Channels(
        email=bool(send_email) and not missing,
        letter=bool(send_letter) or missing,
        activity=bool(schedule_activity),
        no_email=missing,
    )
