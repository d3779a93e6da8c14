"""Consumer or business (§ 13, § 14 BGB): decides the statutory interest rate (§ 288(1), (2)
BGB), the § 288(5) flat fee, a fee's consumer cap and the consumer notice (§ 286(3) BGB).

Pure: plain values in, a bool out.
"""

AUTO = "auto"
CONSUMER = "consumer"
BUSINESS = "business"


def is_consumer(debtor_type, is_company):
    """True for a consumer: as set by hand (``CONSUMER``/``BUSINESS``); derived (``AUTO``), a
    person who is no company (the commercial entity's ``is_company``) is a consumer."""
    if debtor_type == CONSUMER:
        return True
    if debtor_type == BUSINESS:
        return False
    if debtor_type in (AUTO, None, False):
        return not is_company
    raise ValueError(f"unknown debtor type {debtor_type!r}")
