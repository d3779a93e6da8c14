from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from ...policy import limitation as limitation_policy

LIMITATION_STATES = [
    (limitation_policy.RUNNING, "Running"),
    (limitation_policy.SUSPENDED, "Suspended (court dunning order)"),
    (limitation_policy.TIME_BARRED, "Time-barred"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    payment_followup_limitation_agreed = fields.Date(
        string="Agreed Limitation Date",
        copy=False,
        tracking=True,
        help="The limitation date agreed with the customer for this invoice (§ 202 BGB). It "
        "replaces the statutory one: 31 December of the third year after the year the invoice "
        "fell due (§§ 195, 199 BGB).",
    )
    payment_followup_acknowledged_on = fields.Date(
        string="Acknowledged On",
        copy=False,
        readonly=True,
        help="The customer acknowledged the claim on this day (§ 212(1) no. 1 BGB): the "
        "limitation period began anew.",
    )
    payment_followup_acknowledgement_note = fields.Char(
        string="Acknowledgement", copy=False, readonly=True
    )
    payment_followup_limitation_date = fields.Date(
        string="Time-barred After",
        compute="_compute_payment_followup_limitation",
        help="The last day on which the open claim can be enforced: 31 December of the third "
        "year after the due date (§§ 195, 199 BGB), or the agreed date, begun anew three years "
        "after a part payment or an acknowledgement (§ 212 BGB).",
    )
    payment_followup_limitation_state = fields.Selection(
        LIMITATION_STATES, string="Limitation", compute="_compute_payment_followup_limitation"
    )

    @api.depends_context("company")
    @api.depends(
        "line_ids.amount_residual",
        "payment_followup_limitation_agreed",
        "payment_followup_acknowledged_on",
    )
    def _compute_payment_followup_limitation(self):
        self.payment_followup_limitation_date = False
        self.payment_followup_limitation_state = False
        today = fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        for company, moves in self.filtered("id").grouped("company_id").items():
            found = {}
            for _customer, move_id, _residual, result in Line._payment_followup_limitations(
                company, today, line_ids=moves.line_ids.ids
            ).values():
                found.setdefault(move_id, []).append(result)
            for move in moves:
                results = found.get(move.id)
                if not results:
                    continue
                # the instalment that becomes time-barred first, suspended ones last
                first = min(
                    results,
                    key=lambda r: (r.state == limitation_policy.SUSPENDED, r.date),
                )
                move.payment_followup_limitation_date = first.date
                move.payment_followup_limitation_state = first.state

    @api.constrains("payment_followup_limitation_agreed", "invoice_date_due")
    def _check_payment_followup_limitation_agreed(self):
        for move in self:
            agreed = move.payment_followup_limitation_agreed
            due = move.invoice_date_due or move.date
            if agreed and due and agreed < due:
                raise ValidationError(
                    self.env._(
                        "The agreed limitation date of %(invoice)s (%(agreed)s) lies before its "
                        "due date (%(due)s): enter a day on or after the due date.",
                        invoice=move.display_name,
                        agreed=format_date(self.env, agreed),
                        due=format_date(self.env, due),
                    )
                )

    def action_payment_followup_acknowledge(self):
        """Open the wizard that records the customer's acknowledgement of this claim."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Acknowledgement"),
            "res_model": "payment.followup.acknowledgement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def _payment_followup_acknowledge(self, day, note):
        """Record that the customer acknowledged this claim on ``day`` (§ 212(1) no. 1 BGB),
        with a note in the invoice's chatter."""
        self.ensure_one()
        self.write(
            {
                "payment_followup_acknowledged_on": day,
                "payment_followup_acknowledgement_note": note,
            }
        )
        self.invalidate_recordset(["payment_followup_limitation_date"])
        self.message_post(
            body=self.env._(
                "Claim acknowledged by the customer on %(date)s (§ 212 BGB): %(note)s. The "
                "limitation period begins anew; the claim is now time-barred after %(until)s.",
                date=format_date(self.env, day),
                note=note,
                until=format_date(self.env, self.payment_followup_limitation_date),
            )
        )
