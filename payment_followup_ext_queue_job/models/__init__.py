from . import payment_followup_run
