from . import payment_followup_base_rate
