from . import payment_followup_preview_wizard
from . import payment_followup_postpone_wizard
from . import payment_followup_plan_wizard
from . import payment_followup_suspension_wizard
from . import payment_followup_dispute_wizard
from . import payment_followup_dispute_resolve_wizard
from . import payment_followup_promise_wizard
from . import account_move_send
