"""Payment behaviour of a customer (Zahlungsverhalten): what the customer form and the worklist
show, measured over the last ``BEHAVIOUR_DAYS`` days."""

from typing import NamedTuple

BEHAVIOUR_DAYS = 365


class Behaviour(NamedTuple):
    avg_days_late: float
    on_time_share: float
    dso: float
    # Whether an invoice of the period is paid or overdue: without one the averages and the
    # share paid on time are unknown (shown empty), not 0.
    known: bool = False


NO_BEHAVIOUR = Behaviour(0.0, 0.0, 0.0)
