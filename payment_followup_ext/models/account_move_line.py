from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    payment_followup_level_id = fields.Many2one(
        "payment.followup.level",
        string="Follow-up Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The highest follow-up level this item reached.",
    )
    payment_followup_date = fields.Date(string="Last Reminder", readonly=True, copy=False)
    # Odoo 18 dropped the core flag ``blocked`` of journal items: the add-on owns its own.
    payment_followup_blocked = fields.Boolean(
        string="No Follow-up",
        copy=False,
        help="This item is never reminded, charged or counted for a suspension (e.g. disputed).",
    )

    def _payment_followup_days_overdue(self, today):
        self.ensure_one()
        return max(0, (today - (self.date_maturity or self.date)).days)
