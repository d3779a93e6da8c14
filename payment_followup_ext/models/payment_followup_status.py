from datetime import timedelta

from odoo import Command, api, fields, models

from ..policy import schedule

# The reason of a row whose step the daily run could not make (see ``failure``).
FAILED = "failed"
# The reason of a row whose open items are all held back (see ``pause_reason``).
PAUSED = "paused"

# Why a customer gets no reminder although it owes (``pause_reason``). The item pauses first,
# in the order that names the customer's pause when its items are held back for several
# reasons: a collection case outweighs a dispute, which outweighs a plan, and so on.
ITEM_PAUSES = ("collection", "dispute", "plan", "promise", "blocked")
PAUSE_REASONS = [
    ("collection", "Collection case"),
    ("dispute", "Disputed"),
    ("plan", "Payment plan"),
    ("promise", "Promise to pay"),
    ("blocked", "Items blocked"),
    (schedule.POSTPONED, "Postponed"),
    (schedule.EXCLUDED, "Excluded"),
]


class PaymentFollowupStatus(models.Model):
    """Where a customer stands in the follow-up of one company: the worklist.

    One row per customer (commercial entity) and company with open items, rewritten by every
    follow-up run and when the worklist opens. Rows are written only by the run
    (``payment.followup.run``), under a per-customer advisory lock, so that runs in parallel
    never write the same row.
    """

    _name = "payment.followup.status"
    # The chatter of a customer's follow-up in one company: notes and emails about the claims
    # of a contact that several companies share go here, not on the contact (see
    # ``res.partner._payment_followup_thread``).
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Follow-up Status"
    # Who may read the row may also act on its to-dos (the row itself is written by the run).
    _mail_post_access = "read"
    _order = "action_needed desc, next_date, amount_overdue desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    # The currency of the amounts, stored with the row as on a journal item: set from the
    # company when the row is created. Not readonly: Odoo would drop it from the create
    # values of the run, which gives it, and build a new record for each row to compute it.
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True, readonly=False
    )
    policy_id = fields.Many2one("payment.followup.policy", readonly=True)
    level_id = fields.Many2one(
        "payment.followup.level", string="Current Level", readonly=True, ondelete="set null"
    )
    next_level_id = fields.Many2one("payment.followup.level", readonly=True, ondelete="set null")
    next_date = fields.Date(string="Next Action", readonly=True)
    reason = fields.Selection(
        [
            (schedule.DUE, "Action due"),
            (schedule.NOT_DUE, "Nothing due"),
            (schedule.INTERVAL, "Waiting for the interval"),
            (schedule.POSTPONED, "Postponed"),
            (schedule.EXCLUDED, "Excluded"),
            (schedule.NO_LADDER, "No policy"),
            (FAILED, "Step failed"),
            (PAUSED, "Paused"),
            (schedule.NOTHING_OPEN, "Nothing open"),
        ],
        string="Status",
        readonly=True,
    )
    failure = fields.Text(
        readonly=True,
        help="Why the daily run could not make the due step: what to fix. The run tries again "
        "every day; the other customers are not held up.",
    )
    action_needed = fields.Boolean(string="Step Due", readonly=True)
    manual_review = fields.Boolean(string="Manual Action", readonly=True)
    no_email = fields.Boolean(string="No Email Address", readonly=True)
    pause_reason = fields.Selection(
        PAUSE_REASONS,
        string="Paused Because",
        readonly=True,
        help="Why this customer gets no reminder although it owes: its open items are held "
        "back by a collection case, a dispute, a payment plan, a promise to pay or the "
        '"No Follow-up" mark, or its follow-up is postponed or excluded.',
    )
    amount_due = fields.Monetary(
        string="Amount of Next Step",
        readonly=True,
        help="What the next reminder claims: the overdue items it may claim plus open fees and "
        "interest charged before.",
    )
    amount_overdue = fields.Monetary(
        string="Overdue",
        readonly=True,
        help="Every overdue item of the customer, also those held back (promise, plan, dispute, "
        "collection); without fees and interest, which the next reminder adds to its claim.",
    )
    amount_overdue_30 = fields.Monetary(
        string="1-30 Days Overdue", readonly=True, help="Overdue by 1 to 30 days."
    )
    amount_overdue_60 = fields.Monetary(
        string="31-60 Days Overdue", readonly=True, help="Overdue by 31 to 60 days."
    )
    amount_overdue_90 = fields.Monetary(
        string="61-90 Days Overdue", readonly=True, help="Overdue by 61 to 90 days."
    )
    amount_overdue_older = fields.Monetary(
        string="Over 90 Days Overdue", readonly=True, help="Overdue by more than 90 days."
    )
    oldest_overdue_date = fields.Date(string="Oldest Overdue", readonly=True)
    # Stored by the run (every day and when the worklist opens), so that groups average it.
    days_overdue = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days since the due date of the oldest overdue item.",
    )
    last_followup_date = fields.Date(string="Last Reminder", readonly=True)
    limitation_date = fields.Date(
        string="Time-barred After",
        readonly=True,
        help="The earliest limitation date of the customer's open invoices (§§ 195, 199, 212 "
        "BGB), those suspended by a court dunning order left out: after that day the customer "
        "may refuse to pay (§ 214 BGB).",
    )
    responsible_id = fields.Many2one("res.users", readonly=True)
    send_email = fields.Boolean(related="next_level_id.send_email", string="Email")
    send_letter = fields.Boolean(related="next_level_id.send_letter", string="Letter")
    schedule_activity = fields.Boolean(related="next_level_id.schedule_activity", string="Call")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for record in self:
            record.currency_id = record.company_id.currency_id

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "One status per customer."),
    ]

    # Averages: a group of rows shows their average, not their sum.
    avg_days_late = fields.Float(
        string="Avg. Days Late", digits=(16, 1), readonly=True, aggregator="avg"
    )

    on_time_share = fields.Float(
        string="Paid on Time (%)", digits=(5, 1), readonly=True, aggregator="avg"
    )

    dso = fields.Float(string="DSO (Days)", digits=(16, 1), readonly=True, aggregator="avg")

    behaviour_known = fields.Boolean(
        string="Payment Behaviour Known",
        readonly=True,
        help="The customer has invoices of the last 12 months that are paid or overdue: without "
        "them its payment behaviour is unknown, not 0 %.",
    )

    open_line_ids = fields.Many2many(
        "account.move.line",
        string="Open Items",
        compute="_compute_open_line_ids",
        help="The customer's open receivable items in this company, also those held back.",
    )
    history_ids = fields.Many2many(
        "payment.followup.history",
        string="Follow-up Steps",
        compute="_compute_history_ids",
    )

    promise_date = fields.Date(
        string="Promised By",
        compute="_compute_promise_date",
        help="The customer promised to pay by this day: no reminder for the covered items "
        "until then.",
    )

    recipient_id = fields.Many2one(
        "res.partner",
        string="Reminders Go To",
        compute="_compute_recipient",
        help="Who receives the reminders: the customer's dunning contact, else its invoicing "
        "contact, else the customer itself.",
    )
    recipient_warning = fields.Char(compute="_compute_recipient")

    def _compute_recipient(self):
        recipients = self.env["payment.followup.run"]._recipients(self.partner_id)
        for status in self:
            recipient = recipients.get(status.partner_id.id, status.partner_id)
            status.recipient_id = recipient
            status.recipient_warning = bool(recipient) and (
                recipient._payment_followup_no_email_warning(status.partner_id)
            )

    def _compute_open_line_ids(self):
        Line = self.env["account.move.line"]
        for status in self:
            if not status.partner_id or not status.company_id:
                status.open_line_ids = Line
                continue
            status.open_line_ids = Line.search(
                [
                    *Line._payment_followup_open_receivable_domain(status.company_id),
                    ("partner_id", "child_of", status.partner_id.id),
                    ("amount_residual", ">", 0),
                ],
                order="date_maturity, id",
            )

    def _compute_history_ids(self):
        History = self.env["payment.followup.history"]
        for status in self:
            status.history_ids = History.search(
                [
                    ("partner_id", "=", status.partner_id.id),
                    ("company_id", "=", status.company_id.id),
                ]
            )

    @api.model
    def _for_customer(self, partner, company):
        """The worklist row of ``partner`` in ``company``, made when there is none yet (a
        customer with nothing open: the row keeps its chatter)."""
        row = self.search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1
        )
        if row:
            return row
        return self.with_context(tracking_disable=True).create(
            {
                "currency_id": company.currency_id.id,
                "partner_id": partner.id,
                "company_id": company.id,
                "reason": schedule.NOTHING_OPEN,
            }
        )

    @api.model
    def action_open_worklist(self):
        """Refresh the worklist of the selected companies, then open it."""
        return self._open_refreshed("payment_followup_ext.payment_followup_status_action")

    @api.model
    def action_open_receivables(self):
        """Refresh the worklist of the selected companies, then open its pivot and graph."""
        return self._open_refreshed(
            "payment_followup_ext.payment_followup_status_action_receivables"
        )

    @api.model
    def _open_refreshed(self, xml_id):
        today = fields.Date.context_today(self)
        for company in self.env.companies:
            Run = self.env["payment.followup.run"].with_company(company)
            Run._process(company, today, execute=False)
            Run._refresh_behaviour(company)
        return self.env["ir.actions.act_window"]._for_xml_id(xml_id)

    def action_process(self):
        """Send the due follow-up of the selected customers now (manual review included)."""
        today = fields.Date.context_today(self)
        executed = self.env["payment.followup.history"]
        for company, statuses in self.grouped("company_id").items():
            executed |= self.env["payment.followup.run"]._process(
                company, today, partner_ids=statuses.partner_id.ids, manual=True
            )
        return executed._action_result()

    def action_preview(self):
        return self.partner_id.action_payment_followup_preview()

    def action_print_letter(self):
        return self.partner_id.action_payment_followup_print()

    def action_log_call(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "default_res_id": self.partner_id.id,
                "default_activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "default_date_deadline": fields.Date.context_today(self),
            },
        }

    def action_postpone(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Postpone Follow-up"),
            "res_model": "payment.followup.postpone.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": [Command.set(self.partner_id.ids)],
                "default_date": fields.Date.context_today(self) + timedelta(days=7),
            },
        }

    @api.depends_context("company")
    def _compute_promise_date(self):
        today = fields.Date.context_today(self)
        groups = self.env["payment.followup.promise"]._read_group(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("state", "=", "open"),
                ("date", ">=", today),
            ],
            ["partner_id", "company_id"],
            ["date:min"],
        )
        first = {(partner.id, company.id): day for partner, company, day in groups}
        for status in self:
            status.promise_date = first.get((status.partner_id.id, status.company_id.id))

    def action_payment_followup_plan(self):
        return self.partner_id.action_payment_followup_plan()
