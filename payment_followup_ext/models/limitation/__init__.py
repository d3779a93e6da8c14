# The limitation monitor (Verjährung, §§ 195, 199, 202, 204, 212 BGB) and the court dunning
# order data sheet (Mahnantrag): one feature, its files named after the models they extend.
from . import account_move_line
from . import account_move
from . import payment_followup_collection
from . import res_partner
from . import payment_followup_run
