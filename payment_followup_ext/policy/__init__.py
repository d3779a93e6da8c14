"""Pure decisions and arithmetic of payment_followup_ext.

Nothing here imports ``odoo`` or reads the clock: dates, amounts (``Decimal``), rate tables and
configuration come in as arguments, frozen dataclasses come out. With ``payment_followup_ext/``
on ``sys.path`` the package imports on its own (``import policy.base_rate``).
"""
