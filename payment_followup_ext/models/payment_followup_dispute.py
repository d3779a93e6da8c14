from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

DISPUTE_REASONS = [
    ("wrong_amount", "Wrong amount"),
    ("not_received", "Goods or service not received"),
    ("quality", "Quality complaint"),
    ("other", "Other"),
]

DISPUTE_RESOLUTIONS = [
    ("accepted", "Accepted: invoice corrected or credited"),
    ("rejected", "Rejected: the invoice stands"),
    ("withdrawn", "Withdrawn by the customer"),
]


class PaymentFollowupDispute(models.Model):
    """A customer disputes an invoice: its receivable items get no reminder while it is open.

    The items leave the follow-up through the add-on's flag ``payment_followup_blocked`` ("No
    Follow-up"), which the engine already honours; the dispute remembers which items it
    flagged, so that resolving it restores the flag as it was before.
    """

    _name = "payment.followup.dispute"
    _description = "Disputed Invoice"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="move_id.commercial_partner_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_total = fields.Monetary(related="move_id.amount_total", string="Invoice Total")
    amount_residual = fields.Monetary(related="move_id.amount_residual", string="Amount Due")
    reason = fields.Selection(DISPUTE_REASONS, required=True)
    note = fields.Text()
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        required=True,
        readonly=True,
        index=True,
    )
    date = fields.Date(
        string="Disputed On", required=True, readonly=True, default=fields.Date.context_today
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, default=lambda self: self.env.user
    )
    resolved_date = fields.Date(string="Resolved On", readonly=True)
    resolved_user_id = fields.Many2one("res.users", string="Resolved By", readonly=True)
    resolution = fields.Selection(DISPUTE_RESOLUTIONS, string="Outcome", readonly=True)
    resolution_note = fields.Text(string="Outcome Note", readonly=True)
    blocked_line_ids = fields.Many2many(
        "account.move.line",
        "payment_followup_dispute_line_rel",
        "dispute_id",
        "line_id",
        string="Items Excluded",
        readonly=True,
        help='The receivable items this dispute set to "No Follow-up". Resolving the dispute '
        "releases them; items that were excluded before the dispute stay excluded.",
    )

    @api.constrains("move_id", "state")
    def _check_move(self):
        for dispute in self:
            move = dispute.move_id
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(
                    self.env._(
                        "%(move)s is not a posted customer invoice: only posted customer "
                        "invoices can be disputed.",
                        move=move.display_name,
                    )
                )
            if dispute.state == "open" and self.search_count(
                [("move_id", "=", move.id), ("state", "=", "open"), ("id", "!=", dispute.id)],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "%(move)s is already disputed: resolve the open dispute first.",
                        move=move.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("move_id") and not vals.get("company_id"):
                vals["company_id"] = self.env["account.move"].browse(vals["move_id"]).company_id.id
        disputes = super().create(vals_list)
        disputes._block_lines()
        for dispute in disputes:
            dispute._post_message(
                self.env._(
                    "Invoice %(move)s disputed by the customer: %(reason)s. "
                    "No follow-up for it until the dispute is resolved.",
                    move=dispute.move_id.name,
                    reason=dispute._reason_label(),
                ),
                dispute.note,
            )
        disputes._refresh_worklist()
        return disputes

    def _reason_label(self):
        self.ensure_one()
        return dict(self._fields["reason"]._description_selection(self.env))[self.reason]

    def _receivable_lines(self):
        return self.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _block_lines(self):
        for dispute in self:
            to_block = dispute._receivable_lines().filtered(
                lambda line: not line.payment_followup_blocked
            )
            to_block.payment_followup_blocked = True
            dispute.blocked_line_ids = to_block

    def _post_message(self, text, note=None):
        """The message on the invoice's and on the customer's chatter. The customer's as
        superuser: an accountant may not be allowed to edit contacts."""
        self.ensure_one()
        body = plaintext2html(f"{text}\n{note}" if note else text)
        author = self.env.user.partner_id.id
        self.move_id.message_post(body=body, subtype_xmlid="mail.mt_note", author_id=author)
        self.partner_id.commercial_partner_id._payment_followup_post(
            self.company_id, f"{text}\n{note}" if note else text
        )

    def _refresh_worklist(self):
        today = fields.Date.context_today(self)
        Run = self.env["payment.followup.run"]
        for company, disputes in self.grouped("company_id").items():
            Run.with_company(company)._process(
                company, today, partner_ids=disputes.partner_id.ids, execute=False
            )

    def _resolve(self, resolution, note=None):
        """Close the disputes with the outcome ``resolution``; their items are reminded again
        (unless they were excluded before the dispute)."""
        if not resolution:
            raise UserError(self.env._("Choose the outcome of the dispute."))
        resolved = self.filtered(lambda dispute: dispute.state != "open")
        if resolved:
            raise UserError(
                self.env._(
                    "The dispute of %(moves)s is already resolved.",
                    moves=", ".join(resolved.move_id.mapped("name")),
                )
            )
        self.write(
            {
                "state": "resolved",
                "resolution": resolution,
                "resolution_note": note or False,
                "resolved_date": fields.Date.context_today(self),
                "resolved_user_id": self.env.user.id,
            }
        )
        labels = dict(self._fields["resolution"]._description_selection(self.env))
        for dispute in self:
            dispute.blocked_line_ids.payment_followup_blocked = False
            dispute._post_message(
                self.env._(
                    "Dispute of invoice %(move)s resolved: %(outcome)s. "
                    "The invoice is followed up again.",
                    move=dispute.move_id.name,
                    outcome=labels[resolution],
                ),
                note,
            )
        self._refresh_worklist()

    def action_resolve(self):
        return self.move_id.action_payment_followup_resolve_dispute()

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
