from . import payment_followup_base_rate
from . import payment_followup_policy
from . import payment_followup_level
from . import payment_followup_history
from . import payment_followup_status
from . import res_partner
from . import account_move_line
from . import account_move
