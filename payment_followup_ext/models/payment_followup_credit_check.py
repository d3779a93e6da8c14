"""Credit checks (Bonitätsprüfung) of customers and the payment term of unchecked customers."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date


class PaymentCreditCheck(models.Model):
    _name = "payment.followup.credit.check"
    _description = "Credit Check"
    _inherit = ["mail.thread", "mail.activity.mixin", "payment.followup.guarded.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Check Date", required=True, default=fields.Date.context_today, tracking=True
    )
    source = fields.Selection(
        [("internal", "Internal Assessment"), ("bureau", "Credit Bureau")],
        required=True,
        default="internal",
    )
    bureau_name = fields.Char(
        string="Credit Bureau", help="E.g. Creditreform, SCHUFA, Bürgel, Dun & Bradstreet."
    )
    score = fields.Char(string="Score / Rating")
    credit_limit = fields.Monetary(string="Approved Credit Limit", tracking=True)
    valid_until = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=365),
        tracking=True,
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Documents")
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("rejected", "Rejected")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    note = fields.Text()
    expiry_notified = fields.Boolean(
        readonly=True, copy=False, help="The expiry of this check was announced by a to-do."
    )

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for check in self:
            check.display_name = self.env._(
                "Credit check %(customer)s, %(date)s",
                customer=check.partner_id.name or "",
                date=format_date(self.env, check.date) if check.date else "",
            )

    @api.constrains("date", "valid_until")
    def _check_valid_until(self):
        for check in self:
            if check.valid_until and check.date and check.valid_until < check.date:
                raise ValidationError(
                    self.env._(
                        "The credit check of %(customer)s is valid until %(until)s, before its "
                        "check date %(date)s. Enter a validity date on or after the check date.",
                        customer=check.partner_id.display_name,
                        until=format_date(self.env, check.valid_until),
                        date=format_date(self.env, check.date),
                    )
                )

    @api.constrains("credit_limit")
    def _check_credit_limit(self):
        for check in self:
            if check.currency_id.compare_amounts(check.credit_limit, 0) < 0:
                raise ValidationError(
                    self.env._("The approved credit limit cannot be negative: enter 0 or more.")
                )

    @api.constrains("source", "bureau_name")
    def _check_bureau_name(self):
        for check in self:
            if check.source == "bureau" and not check.bureau_name:
                raise ValidationError(
                    self.env._("Enter the name of the credit bureau of the check.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        # A check is about the customer as a whole: the commercial entity, never a contact.
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
        return super().write(vals)

    def _payment_followup_guarded(self, vals):
        """Decisions are made by the buttons (four-eyes); a decided check is not edited."""
        guarded = {"state", "decided_by_id"} & set(vals)
        if self.filtered(lambda check: check.state != "draft"):
            guarded |= {"credit_limit", "partner_id", "company_id", "valid_until"} & set(vals)
        return guarded

    def _close_dialog(self):
        if self.env.context.get("payment_followup_credit_check_dialog"):
            return {"type": "ir.actions.act_window_close"}
        return True

    def _check_may_decide(self, approve=False):
        """Only accounting managers decide on credit checks, and a check is approved by
        somebody else than who entered it (four-eyes principle)."""
        if self.env.su:
            return
        if not self.env.user.has_group("account.group_account_manager"):
            raise UserError(
                self.env._(
                    "Only accounting managers can approve, reject or reopen credit checks. "
                    "Save the check as a draft: an accounting manager decides on it."
                )
            )
        own = self.filtered(lambda check: check.create_uid == self.env.user)
        if approve and own:
            raise UserError(
                self.env._(
                    "You entered %(check)s yourself: another accounting manager approves it "
                    "(four-eyes principle).",
                    check=own[0].display_name,
                )
            )

    def action_approve(self):
        self._check_may_decide(approve=True)
        not_draft = self.filtered(lambda c: c.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Only draft credit checks can be approved: reset %(check)s to draft first.",
                    check=not_draft[0].display_name,
                )
            )
        self.sudo().write({"state": "approved", "decided_by_id": self.env.uid})
        self._apply_credit_limit()
        return self._close_dialog()

    def action_reject(self):
        self._check_may_decide()
        if self.filtered(lambda c: c.state == "rejected"):
            raise UserError(self.env._("This credit check is rejected already."))
        self.sudo().write({"state": "rejected", "decided_by_id": self.env.uid})
        return self._close_dialog()

    def action_draft(self):
        self._check_may_decide()
        self.sudo().write({"state": "draft", "decided_by_id": False})

    def _apply_credit_limit(self):
        """Odoo's credit limit of the customer follows its approved check.

        sudo: ``credit_limit`` lives on the customer record, and writing customers needs the
        contact-manager right that an accountant does not necessarily have; approving the check
        (access-checked above) is what entitles this one write.
        """
        for check in self.filtered(lambda c: c.state == "approved"):
            check.partner_id.sudo().with_company(check.company_id).credit_limit = check.credit_limit

    @api.model
    def _valid_checks(self, company, partner_ids, today):
        """``{commercial partner id: check}``: the newest approved check of each customer
        valid on ``today`` in ``company``."""
        checks = self.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", list(partner_ids)),
                ("state", "=", "approved"),
                ("date", "<=", today),
                ("valid_until", ">=", today),
            ],
            order="date desc, id desc",
        )
        valid = {}
        for check in checks:
            valid.setdefault(check.partner_id.id, check)
        return valid

    @api.model
    def _cron_notify_expired(self):
        """A to-do per expired approved check, once, for the customer's follow-up responsible
        (else the person who approved it). sudo: the cron serves every company."""
        today = fields.Date.context_today(self)
        Check = self.sudo()
        expired = Check.search(
            [
                ("state", "=", "approved"),
                ("valid_until", "<", today),
                ("expiry_notified", "=", False),
            ]
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for company, checks in expired.grouped("company_id").items():
            responsible = {
                partner.id: partner.payment_followup_responsible_id
                for partner in checks.partner_id.sudo().with_company(company)
            }
            renewed = Check._valid_checks(company, checks.partner_id.ids, today)
            for check in checks:
                if check.partner_id.id in renewed:
                    continue  # a newer check covers the customer: nothing to do
                user = responsible.get(check.partner_id.id) or check.decided_by_id
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": check.id,
                        "activity_type_id": todo.id,
                        "summary": self.env._(
                            "Credit check of %(customer)s expired: renew it",
                            customer=check.partner_id.name,
                        ),
                        "note": self.env._(
                            "The credit check expired on %(date)s. Until a new check is "
                            "approved, new invoices of this customer get the no-credit "
                            "payment term.",
                            date=format_date(self.env, check.valid_until),
                        ),
                        "date_deadline": today,
                        "user_id": (user or check.create_uid).id,
                    }
                )
        self.env["mail.activity"].sudo().create(activities)
        expired.write({"expiry_notified": True})
