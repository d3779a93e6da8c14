import logging

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..policy import channels as channels_policy

_logger = logging.getLogger(__name__)

LETTER_REPORT = "payment_followup_ext.action_report_followup_letter"

# The kinds of payment.followup.charge shown as fees (interest is shown apart).
FEE_KINDS = ("fee", "flat_fee", "flat_fee_credit")


class PaymentFollowupPreviewWizard(models.TransientModel):
    """What a follow-up run would do for the selected customers, before anything is sent: per
    customer the step, its fees and interest, the email and the letter exactly as they go out.

    The preview executes the real steps (``payment.followup.history._execute_steps``: steps,
    charge documents) in a savepoint, renders the email with the level's template and the
    letter with its report, keeps the rendered texts and rolls the savepoint back: nothing is
    written, numbered or sent, and the preview cannot differ from what is sent.
    """

    _name = "payment.followup.preview.wizard"
    _inherit = ["payment.followup.wizard.mixin"]
    _description = "Follow-up Preview"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    partner_ids = fields.Many2many("res.partner", string="Customers")
    line_ids = fields.One2many("payment.followup.preview.wizard.line", "preview_id", string="Steps")
    line_id = fields.Many2one(
        "payment.followup.preview.wizard.line",
        string="Shown Customer",
        domain="[('preview_id', '=', id)]",
        help="The customer whose email and letter are shown below.",
    )
    amount_total = fields.Monetary(
        compute="_compute_amount_total",
        string="Total Claims",
        help="The total claims of the customers selected for sending.",
    )
    mixed_currencies = fields.Boolean(compute="_compute_amount_total")
    # The shown customer's communication (a form field of the wizard: switching the customer
    # shows it at once, without saving).
    mail_to = fields.Char(related="line_id.mail_to")
    mail_cc = fields.Char(related="line_id.mail_cc")
    mail_subject = fields.Char(related="line_id.mail_subject")
    mail_body = fields.Html(related="line_id.mail_body")
    letter_html = fields.Html(related="line_id.letter_html")
    error = fields.Text(related="line_id.error")
    no_email = fields.Boolean(related="line_id.no_email")

    @api.depends("line_ids.amount_total", "line_ids.selected", "line_ids.currency_id")
    def _compute_amount_total(self):
        for preview in self:
            lines = preview.line_ids.filtered("selected")
            preview.mixed_currencies = len(lines.currency_id) > 1
            preview.amount_total = (
                0.0 if preview.mixed_currencies else sum(lines.mapped("amount_total"))
            )

    @api.model_create_multi
    def create(self, vals_list):
        previews = super().create(vals_list)
        for preview in previews:
            preview._compute_lines()
        return previews

    def _compute_lines(self):
        self.ensure_one()
        Run = self.env["payment.followup.run"].with_company(self.company_id)
        customers = self.partner_ids.commercial_partner_id
        decisions, _policy = Run._decide(self.company_id, customers.ids, self.date)
        steps = {pid: d.step for pid, d in decisions.items() if d.step}
        recipients = Run._recipients(customers.filtered(lambda p: p.id in steps))
        levels = self.env["payment.followup.level"].browse(
            {step.level_id for step in steps.values()}
        )
        level_of = {level.id: level for level in levels}
        rendered = self._render(steps)
        lines = []
        for partner_id, step in steps.items():
            level = level_of[step.level_id]
            recipient = recipients[partner_id]
            channels = channels_policy.channels(
                send_email=level.send_email,
                send_letter=level.send_letter,
                schedule_activity=level.schedule_activity,
                email=recipient.email_normalized,
            )
            values = rendered[partner_id]
            lines.append(
                Command.create(
                    {
                        "partner_id": partner_id,
                        "level_id": level.id,
                        "recipient_id": recipient.id,
                        "channels": self._channels(level, channels),
                        "item_count": len(step.item_ids),
                        "currency_id": values.get("currency_id") or self.currency_id.id,
                        "amount_due": float(step.amount_due),
                        "amount_total": float(step.amount_due),
                        "manual_review": step.manual_review,
                        "no_email": channels.no_email,
                        # a customer whose step fails is not sent with the others
                        "selected": not values.get("error"),
                    }
                    | values
                )
            )
        self.line_ids = [Command.clear(), *lines]
        self.line_id = self.line_ids[:1]

    def _render(self, steps):
        """``{partner_id: line values}``: the charges, email and letter of ``steps``
        (``{partner_id: policy.schedule.Step}``) as executing them makes them. All steps are
        tried together; when that fails, one by one, and a failing customer's line tells why
        (the run would leave it out the same way)."""
        if not steps:
            return {}
        try:
            return self._render_rolled_back(steps)
        except psycopg2.OperationalError:
            raise
        except Exception as error:  # pylint: disable=broad-except
            if len(steps) == 1:
                (partner_id,) = steps
                _logger.info("follow-up preview of customer %s failed: %s", partner_id, error)
                message = self.env["payment.followup.run"]._failure_message(error)
                return {partner_id: {"error": message}}
        rendered = {}
        for partner_id, step in steps.items():
            rendered |= self._render({partner_id: step})
        return rendered

    def _render_rolled_back(self, steps):
        """``_render`` of ``steps`` in a savepoint that is always rolled back: the steps, their
        charge documents and the escalation of the items are made, read and undone. The
        flushing savepoint writes pending changes before it and drops the caches and precommit
        hooks of the undone work after it."""
        savepoint = self.env.cr.savepoint()
        try:
            done = (
                self.env["payment.followup.history"]
                .sudo()
                .with_company(self.company_id)
                ._execute_steps(self.company_id, steps, self.date, preview=True)
            )
            return self._read_steps(done)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all(flush=False)

    def _read_steps(self, done):
        """``{partner_id: line values}`` of the executed (not yet undone) steps ``done``."""
        to_email = done._to_email()
        mails = to_email._render_emails()
        Report = self.env["ir.actions.report"]
        values = {}
        for step in done:
            fees = step.charge_ids.filtered(
                lambda charge: charge.active and charge.kind in FEE_KINDS
            )
            interest = step.charge_ids.filtered(
                lambda charge: charge.active and charge.kind == "interest"
            )
            mail = mails.get(step.id, {})
            line = {
                "currency_id": step.currency_id.id,
                "amount_due": step.amount_due,
                "amount_fees": self._in_step_currency(step, fees),
                "amount_interest": self._in_step_currency(step, interest),
                "amount_total": step.amount_total,
                "charge_document": step.charge_move_id.name or False,
                "mail_subject": mail.get("subject") or False,
                "mail_body": mail.get("body_html") or False,
                "mail_to": step.recipient_id.email_formatted if step in to_email else False,
                "mail_cc": step._email_cc(mail.get("email_cc")) if step in to_email else False,
                "letter_html": False,
            }
            if step.letter_state == "to_print":
                # As the user prints it (the report's access rules apply).
                html, _kind = Report._render_qweb_html(LETTER_REPORT, step.ids)
                line["letter_html"] = html.decode() if isinstance(html, bytes) else str(html)
            values[step.partner_id.id] = line
        return values

    @api.model
    def _in_step_currency(self, step, charges):
        """The sum of ``charges`` in the currency of ``step``, as the step's total counts them."""
        return sum(
            charge.currency_id._convert(charge.amount, step.currency_id, step.company_id, step.date)
            for charge in charges
        )

    @api.model
    def _channels(self, level, channels):
        """The names of ``channels`` (``policy.channels.Channels``) of a step of ``level``."""
        names = []
        if channels.email:
            names.append(self.env._("Email"))
        if channels.letter:
            names.append(self.env._("Letter"))
        if channels.activity:
            names.append(level.activity_type_id.name or self.env._("Activity"))
        return ", ".join(names)

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Follow-up Preview"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }

    def action_execute(self):
        """Execute the reviewed selection now (manual-review levels included)."""
        self.ensure_one()
        self._payment_followup_visible("partner_ids")
        selected = self.line_ids.filtered("selected").partner_id
        if not selected:
            raise UserError(self.env._("Select at least one customer to follow up."))
        executed = self.env["payment.followup.run"]._process(
            self.company_id, self.date, partner_ids=selected.ids, manual=True
        )
        return executed._action_result()


class PaymentFollowupPreviewWizardLine(models.TransientModel):
    _name = "payment.followup.preview.wizard.line"
    _description = "Follow-up Preview Step"
    _order = "amount_total desc, id"

    preview_id = fields.Many2one(
        "payment.followup.preview.wizard", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    selected = fields.Boolean(string="Send", default=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    recipient_id = fields.Many2one("res.partner", readonly=True)
    level_id = fields.Many2one("payment.followup.level", readonly=True)
    channels = fields.Char(readonly=True)
    item_count = fields.Integer(string="Items", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    amount_fees = fields.Monetary(string="Fees", readonly=True)
    amount_interest = fields.Monetary(string="Interest", readonly=True)
    amount_total = fields.Monetary(string="Total Claim", readonly=True)
    charge_document = fields.Char(
        readonly=True, help="The number the document of the fees and interest gets when sent."
    )
    manual_review = fields.Boolean(readonly=True)
    no_email = fields.Boolean(string="No Email Address", readonly=True)
    mail_to = fields.Char(string="Send To", readonly=True)
    mail_cc = fields.Char(string="Copy To", readonly=True)
    mail_subject = fields.Char(string="Subject", readonly=True)
    # Rendered by the level's template and the letter report as they go out: shown as they
    # are, not sanitized again (a transient copy of what the send path makes).
    mail_body = fields.Html(string="Email", readonly=True, sanitize=False)
    letter_html = fields.Html(string="Letter", readonly=True, sanitize=False)
    error = fields.Text(readonly=True, help="Why this customer's step cannot be made.")

    @api.depends("partner_id", "level_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.partner_id.display_name} \N{EN DASH} {line.level_id.name}"

    def action_show(self):
        """Show this customer's email and letter in the preview."""
        self.ensure_one()
        self.preview_id.line_id = self
        return self.preview_id._action_open()
