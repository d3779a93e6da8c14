from . import payment_followup_preview
from . import payment_followup_postpone
from . import payment_followup_plan_wizard
from . import payment_followup_suspension
from . import payment_followup_dispute_wizard
from . import payment_followup_promise_wizard
from . import account_move_send
