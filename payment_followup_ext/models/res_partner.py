from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    payment_followup_policy_id = fields.Many2one(
        "payment.followup.policy",
        string="Follow-up Policy",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Empty: the company's default follow-up policy.",
    )
    payment_followup_responsible_id = fields.Many2one(
        "res.users",
        string="Follow-up Responsible",
        company_dependent=True,
        help="Gets the follow-up phone calls of this customer.",
    )
    payment_followup_excluded = fields.Boolean(
        string="Exclude from Follow-up",
        company_dependent=True,
        help="No reminders at all for this customer.",
    )
    payment_followup_postponed_until = fields.Date(
        string="Remind Me On",
        company_dependent=True,
        help="No follow-up before this day.",
    )
    payment_followup_debtor_type = fields.Selection(
        [("auto", "Derived"), ("consumer", "Consumer"), ("business", "Business")],
        string="Debtor Type",
        default="auto",
        help="Derived: a person without a company is a consumer (§ 13 BGB), a company or a "
        "contact of one is a business (§ 14 BGB). Decides the statutory interest rate and "
        "the flat fee.",
    )
    payment_followup_is_consumer = fields.Boolean(
        string="Consumer", compute="_compute_payment_followup_is_consumer"
    )
    payment_followup_interest_regime = fields.Selection(
        [
            ("statutory", "Statutory (§ 288 BGB)"),
            ("contractual", "Contractual Rate"),
            ("none", "No Late Interest"),
        ],
        string="Late Interest",
        default="statutory",
        help="Statutory: base rate + 9 points for businesses, + 5 points for consumers.",
    )
    payment_followup_interest_rate = fields.Float(string="Contractual Rate (% p.a.)", digits=(5, 2))
    payment_followup_status_ids = fields.One2many(
        "payment.followup.status", "partner_id", string="Follow-up Status"
    )
    payment_followup_history_ids = fields.One2many(
        "payment.followup.history", "partner_id", string="Follow-up History"
    )
    payment_followup_level_id = fields.Many2one(
        "payment.followup.level", string="Follow-up Level", compute="_compute_payment_followup"
    )
    payment_followup_next_date = fields.Date(
        string="Next Follow-up",
        compute="_compute_payment_followup",
        inverse="_inverse_payment_followup_next_date",
        help="When the next follow-up step is due. Set a later day to postpone it.",
    )
    payment_followup_last_date = fields.Date(
        string="Last Reminder", compute="_compute_payment_followup"
    )
    payment_followup_amount_overdue = fields.Monetary(
        string="Total Overdue", compute="_compute_payment_followup"
    )
    payment_followup_oldest_date = fields.Date(
        string="Oldest Overdue", compute="_compute_payment_followup"
    )
    payment_followup_history_count = fields.Integer(
        string="Follow-up Steps", compute="_compute_payment_followup"
    )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "payment_followup_debtor_type",
            "payment_followup_interest_regime",
            "payment_followup_interest_rate",
        ]

    @api.depends("payment_followup_debtor_type", "is_company", "commercial_partner_id.is_company")
    def _compute_payment_followup_is_consumer(self):
        for partner in self:
            partner.payment_followup_is_consumer = partner._payment_followup_is_consumer()

    def _payment_followup_is_consumer(self):
        """A consumer (§ 13 BGB): set by hand, else a person without a company."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        if commercial.payment_followup_debtor_type != "auto":
            return commercial.payment_followup_debtor_type == "consumer"
        return not commercial.is_company

    @api.constrains("payment_followup_interest_regime", "payment_followup_interest_rate")
    def _check_payment_followup_interest_rate(self):
        for partner in self:
            regime = partner.payment_followup_interest_regime
            rate = partner.payment_followup_interest_rate
            if regime == "contractual" and not 0 < rate <= 100:
                raise ValidationError(
                    self.env._(
                        "%(partner)s has a contractual late interest rate: enter a rate above "
                        "0 and at most 100 %% per year.",
                        partner=partner.display_name,
                    )
                )

    @api.depends_context("company")
    @api.depends("payment_followup_status_ids", "payment_followup_history_ids")
    def _compute_payment_followup(self):
        company = self.env.company
        statuses = self.env["payment.followup.status"].search(
            [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", company.id)]
        )
        status_of = {status.partner_id.id: status for status in statuses}
        counts = dict(
            self.env["payment.followup.history"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            status = status_of.get(commercial.id, self.env["payment.followup.status"])
            partner.payment_followup_level_id = status.level_id
            partner.payment_followup_next_date = (
                commercial.payment_followup_postponed_until or status.next_date
            )
            partner.payment_followup_last_date = status.last_followup_date
            partner.payment_followup_amount_overdue = status.amount_overdue
            partner.payment_followup_oldest_date = status.oldest_overdue_date
            partner.payment_followup_history_count = counts.get(commercial, 0)

    def _inverse_payment_followup_next_date(self):
        for partner in self:
            partner.commercial_partner_id.payment_followup_postponed_until = (
                partner.payment_followup_next_date
            )

    def _payment_followup_customers(self):
        customers = self.commercial_partner_id
        if not customers:
            raise UserError(self.env._("Select the customers to follow up."))
        return customers

    def action_payment_followup_process(self):
        """Run the due follow-up steps of the selected customers now, in the current company
        (server action on the customer list; also callable from automations)."""
        customers = self._payment_followup_customers()
        executed = self.env["payment.followup.status"]._process(
            self.env.company,
            fields.Date.context_today(self),
            partner_ids=customers.ids,
            manual=True,
        )
        return executed._action_result()

    def action_payment_followup_preview(self):
        customers = self._payment_followup_customers()
        wizard = self.env["payment.followup.preview"].create(
            {"partner_ids": [fields.Command.set(customers.ids)]}
        )
        return wizard._action_open()

    def action_payment_followup_print(self):
        """The follow-up letter of the selected customers as they stand today (PDF)."""
        customers = self._payment_followup_customers()
        return self.env.ref("payment_followup_ext.action_report_followup_statement").report_action(
            customers
        )

    def action_payment_followup_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "payment_followup_ext.payment_followup_history_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def _payment_followup_open_lines(self):
        """The open receivable items of this customer in the current company, oldest first."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0),
                ("payment_followup_blocked", "=", False),
            ],
            order="date_maturity, id",
        )
