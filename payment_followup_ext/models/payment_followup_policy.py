from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PaymentFollowupPolicy(models.Model):
    """An escalation ladder ("Standard B2B", "Consumer", "Key account"), per company."""

    _name = "payment.followup.policy"
    _description = "Follow-up Policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    is_default = fields.Boolean(
        string="Company Default",
        help="Customers without a policy of their own are followed up with this one.",
    )
    level_ids = fields.One2many("payment.followup.level", "policy_id", string="Levels", copy=True)
    level_count = fields.Integer(compute="_compute_level_count")
    note = fields.Text(string="Description", translate=True)
    base_rate_warning = fields.Char(compute="_compute_base_rate_warning")
    discount_reminder_days = fields.Integer(
        string="Early-Discount Reminder",
        help="Remind customers this many days before the early-payment discount (Skonto) of "
        "an invoice expires, with the discounted amount and the date; once per invoice, "
        "independent of the levels. 0: no such reminder.",
    )
    discount_mail_template_id = fields.Many2one(
        "mail.template",
        string="Early-Discount Email",
        domain=[("model", "=", "payment.followup.discount.reminder")],
        default=lambda self: self.env.ref(
            "payment_followup_ext.mail_template_followup_discount", raise_if_not_found=False
        ),
        help="Empty: the shipped template.",
    )

    @api.depends("level_ids.charge_interest")
    def _compute_base_rate_warning(self):
        """Levels that charge interest need today's base rate: say which one is missing."""
        BaseRate = self.env["payment.followup.base.rate"]
        half_year = BaseRate._missing_half_year(fields.Date.context_today(self))
        message = str(BaseRate._missing_rate_error(half_year)) if half_year else False
        for policy in self:
            charging = any(policy.level_ids.mapped("charge_interest"))
            policy.base_rate_warning = message if charging else False

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("discount_reminder_days")
    def _check_discount_reminder_days(self):
        for policy in self:
            if policy.discount_reminder_days < 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the early-discount reminder cannot come after the "
                        "discount date. Enter the days before it, or 0 for no reminder.",
                        policy=policy.name,
                    )
                )

    @api.constrains("is_default", "company_id", "active")
    def _check_one_default(self):
        defaults = self.filtered(lambda policy: policy.is_default and policy.active)
        for company in defaults.company_id:
            count = self.search_count([("company_id", "=", company.id), ("is_default", "=", True)])
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s can have only one default follow-up policy. "
                        "Untick 'Company Default' on the other policy first.",
                        company=company.name,
                    )
                )

    @api.model
    def _get_company_default(self, company):
        return self.search([("company_id", "=", company.id), ("is_default", "=", True)], limit=1)
