from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, format_date, formatLang, plaintext2html
from odoo.tools.misc import hmac

from ..policy import replies as reply_policy
from .payment_followup_dispute import DISPUTE_REASONS

# The scope of the reply links' signature (``odoo.tools.misc.hmac``, keyed by the database
# secret): a token of another feature never opens a reply page.
TOKEN_SCOPE = "payment_followup_ext.reply"

REPLY_KINDS = [
    (reply_policy.PAID, "I have paid"),
    (reply_policy.DISPUTE, "I dispute an invoice"),
    (reply_policy.MORE_TIME, "I need more time"),
]


class PaymentFollowupReply(models.Model):
    """The customer's answer to a follow-up step, given on the step's reply page (no login).

    One answer of each kind per step: a second answer of the same kind updates the first. Each
    answer is noted on the customer's chatter and gives the responsible a to-do; it holds back
    what it should with the add-on's own means: a dispute (``payment.followup.dispute``) for a
    disputed invoice, a promise to pay (``payment.followup.promise``) for "paid" and for more
    time within the company's limits (see ``policy.replies``).
    """

    _name = "payment.followup.reply"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Customer Answer to a Follow-up"
    _order = "answered_on desc, id desc"
    _check_company_auto = True
    _rec_name = "kind"

    history_id = fields.Many2one(
        "payment.followup.history",
        string="Follow-up Step",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(REPLY_KINDS, string="Answer", required=True, readonly=True)
    state = fields.Selection(
        [("open", "To Handle"), ("done", "Handled")],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )
    answered_on = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    answer_count = fields.Integer(
        string="Answers", readonly=True, default=1, help="How often the customer gave this answer."
    )
    paid_date = fields.Date(string="Paid On", readonly=True)
    amount = fields.Monetary(string="Amount Paid", readonly=True)
    reference = fields.Char(string="Payment Reference", readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Disputed Invoice", readonly=True, check_company=True
    )
    reason = fields.Selection(DISPUTE_REASONS, readonly=True)
    note = fields.Text(string="Customer's Message", readonly=True)
    requested_date = fields.Date(string="Pay By (Requested)", readonly=True)
    wants_plan = fields.Boolean(string="Asks for a Payment Plan", readonly=True)
    hold_until = fields.Date(
        string="Follow-up Paused Until",
        readonly=True,
        help="The answer holds back the customer's open items until this day (a promise to "
        "pay). Empty: nothing is paused, or a dispute holds back its invoice.",
    )
    to_decide = fields.Boolean(
        string="Accountant Decides",
        readonly=True,
        help="The customer asks for more time than the company grants by itself, or for a "
        "payment plan: nothing is paused until the accountant agrees.",
    )
    promise_id = fields.Many2one("payment.followup.promise", readonly=True, ondelete="set null")
    dispute_id = fields.Many2one("payment.followup.dispute", readonly=True, ondelete="set null")

    _sql_constraints = [
        (
            "history_kind_uniq",
            "unique(history_id, kind)",
            "The customer already gave this answer to this follow-up step: update it instead.",
        ),
    ]

    @api.depends("kind", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for reply in self:
            reply.display_name = f"{reply.partner_id.name} · {labels.get(reply.kind, '')}"

    # ------------------------------------------------------------------ the link

    @api.model
    def _token(self, step):
        """The signature of ``step``'s reply link: the step and its customer, signed with the
        database secret. A token opens the page of its own step only."""
        # 128 bits of the SHA-256 signature: safe against guessing, short enough to type from
        # a letter.
        return hmac(self.env(su=True), TOKEN_SCOPE, (step.id, step.partner_id.id))[:32]

    @api.model
    def _link_expiry(self, step):
        return reply_policy.link_expiry(
            step.date, step.company_id.payment_followup_reply_validity_days
        )

    @api.model
    def _check_token(self, step, token, today):
        """``"ok"``, ``"invalid"`` (no such step, or a token not of this step) or ``"expired"``.
        The token is compared in constant time; an expired link is told apart only when the
        token is right (a wrong token learns nothing)."""
        step = step.sudo().exists()
        if not step or not token or not consteq(str(token), self._token(step)):
            return "invalid"
        if not reply_policy.link_valid(
            today, step.date, step.company_id.payment_followup_reply_validity_days
        ):
            return "expired"
        return "ok"

    @api.model
    def _url(self, step, kind=None):
        """The reply page of ``step`` (an unsaved step has none); ``kind`` opens that answer."""
        if not step.id:
            return ""
        base = step.company_id.get_base_url()
        url = f"{base}/payment_followup/reply/{step.id}/{self._token(step)}"
        return f"{url}?answer={kind}" if kind else url

    # ------------------------------------------------------------------ what may be answered

    @api.model
    def _disputable_moves(self, step):
        """The invoices of ``step`` the customer may dispute: their own posted customer
        invoices it lists that are still open."""
        return step.sudo().line_ids.move_id.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.commercial_partner_id == step.partner_id.commercial_partner_id
                and move.company_id == step.company_id
                and move.currency_id.compare_amounts(move.amount_residual, 0) > 0
            )
        )

    @api.model
    def _answer_errors(self, step, kind, values, today):
        """``{field: message}``: what is wrong with an answer (``values`` from the form:
        paid_date, amount, move_id, reason, requested_date, wants_plan), translated."""
        codes = reply_policy.errors(
            kind,
            today,
            paid_date=values.get("paid_date"),
            amount=Decimal(str(values["amount"])) if values.get("amount") is not None else None,
            invoice_id=values.get("move_id"),
            invoice_ids=set(self._disputable_moves(step).ids),
            reason=values.get("reason"),
            requested_date=values.get("requested_date"),
            wants_plan=values.get("wants_plan"),
        )
        texts = {
            reply_policy.NO_PAID_DATE: ("paid_date", self.env._("Enter the day you paid.")),
            reply_policy.PAID_DATE_FUTURE: (
                "paid_date",
                self.env._("The day of payment cannot be in the future: enter the day you paid."),
            ),
            reply_policy.AMOUNT_NOT_POSITIVE: (
                "amount",
                self.env._("Enter the amount you paid (more than 0)."),
            ),
            reply_policy.NO_INVOICE: ("move_id", self.env._("Choose the invoice you dispute.")),
            reply_policy.FOREIGN_INVOICE: (
                "move_id",
                self.env._("Choose one of the open invoices listed in this reminder."),
            ),
            reply_policy.NO_REASON: ("reason", self.env._("Tell us why you dispute the invoice.")),
            reply_policy.NO_REQUEST: (
                "requested_date",
                self.env._("Enter the day you can pay by, or ask for a payment plan."),
            ),
            reply_policy.REQUESTED_DATE_PAST: (
                "requested_date",
                self.env._("The day you can pay by must be after today."),
            ),
        }
        return dict(texts[code] for code in codes)

    # ------------------------------------------------------------------ recording

    @api.model
    def _submit(self, step, kind, values, today=None):
        """Record the customer's answer ``kind`` to ``step`` (the reply page and the demo call
        this): a new answer, or the update of the same answer given before. Raises a
        ``UserError`` with what to fix, before anything is written.

        :returns: the answer
        """
        today = today or fields.Date.context_today(self)
        errors = self._answer_errors(step, kind, values, today)
        if errors:
            raise UserError("\n".join(errors.values()))
        company = step.company_id
        Reply = self.with_company(company)
        partner = step.partner_id.commercial_partner_id
        hold = reply_policy.hold(
            kind,
            today,
            paid_days=company.payment_followup_reply_paid_days,
            max_days=company.payment_followup_reply_promise_days,
            requested_date=values.get("requested_date"),
            wants_plan=bool(values.get("wants_plan")),
        )
        vals = {
            "paid_date": values.get("paid_date") or False,
            "amount": values.get("amount") or 0.0,
            "reference": values.get("reference") or False,
            "move_id": values.get("move_id") or False,
            "reason": values.get("reason") or False,
            "note": values.get("note") or False,
            "requested_date": values.get("requested_date") or False,
            "wants_plan": bool(values.get("wants_plan")),
            "hold_until": hold.until or False,
            "to_decide": hold.to_decide,
            "answered_on": fields.Datetime.now(),
            "state": "open",
        }
        reply = Reply.search([("history_id", "=", step.id), ("kind", "=", kind)])
        if reply:
            vals["answer_count"] = reply.answer_count + 1
            reply.write(vals)
        else:
            reply = Reply.create(
                {
                    "history_id": step.id,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "kind": kind,
                    **vals,
                }
            )
        if kind == reply_policy.DISPUTE:
            reply._apply_dispute()
        else:
            reply._apply_hold(today)
        text = reply._summary()
        reply.message_post(
            body=plaintext2html(text), message_type="comment", subtype_xmlid="mail.mt_note"
        )
        partner._payment_followup_post(company, text)
        reply._schedule_todo(today)
        return reply

    def _apply_dispute(self):
        """The disputed invoice gets no reminder: the dispute of the answer (a new one, the one
        the accountant opened before, or the answer's earlier one when the invoice is the
        same); an earlier dispute of another invoice is withdrawn by the new answer."""
        self.ensure_one()
        Dispute = self.env["payment.followup.dispute"]
        previous = self.dispute_id.filtered(lambda dispute: dispute.state == "open")
        if previous and previous.move_id != self.move_id:
            previous._resolve("withdrawn", self.env._("The customer disputes another invoice."))
            previous = Dispute
        dispute = previous or self.move_id.payment_followup_dispute_id
        if previous:
            previous.write({"reason": self.reason, "note": self.note})
        elif not dispute:
            dispute = Dispute.create(
                {
                    "move_id": self.move_id.id,
                    "company_id": self.company_id.id,
                    "reason": self.reason,
                    "note": self.note,
                }
            )
        self.dispute_id = dispute

    def _apply_hold(self, today):
        """Pause the follow-up with a promise to pay until ``hold_until`` (the customer's open
        items, as a promise recorded by the accountant), or withdraw the answer's earlier
        promise when the new answer pauses nothing."""
        self.ensure_one()
        Promise = self.env["payment.followup.promise"]
        promise = self.promise_id.filtered(lambda promise: promise.state == "open")
        note = self._promise_note()
        if not self.hold_until:
            if promise:
                promise.action_cancel()
            return
        if promise:
            promise.write({"date": self.hold_until, "amount": self.amount, "note": note})
            promise._post_message(promise._recorded_text(), note)
            Promise._refresh_worklist(self.company_id, self.partner_id, today)
            return
        open_items = self.env["account.move.line"].search_count(
            [
                *self.env["account.move.line"]._payment_followup_open_receivable_domain(
                    self.company_id
                ),
                ("partner_id", "child_of", self.partner_id.id),
                ("amount_residual", ">", 0),
                ("payment_followup_blocked", "=", False),
            ],
            limit=1,
        )
        if open_items:
            self.promise_id = Promise._record(
                self.hold_until,
                amount=self.amount if self.kind == reply_policy.PAID else 0.0,
                note=note,
                partners=self.partner_id,
            )

    def _promise_note(self):
        self.ensure_one()
        if self.kind == reply_policy.PAID:
            return self.env._(
                "Recorded from the customer's answer: paid %(amount)s on %(date)s "
                "(reference: %(reference)s); waiting for the payment.",
                amount=formatLang(self.env, self.amount, currency_obj=self.currency_id),
                date=format_date(self.env, self.paid_date),
                reference=self.reference or self.env._("none"),
            )
        return self.env._("Recorded from the customer's answer: asks for more time.")

    def _summary(self):
        """The note of the answer, for the chatter (plain text)."""
        self.ensure_one()
        updated = self.answer_count > 1
        values = {
            "level": self.history_id.level_id.name,
            "date": format_date(self.env, self.history_id.date),
        }
        if updated:
            head = self.env._(
                "The customer updated the answer to the follow-up %(level)s of %(date)s:",
                **values,
            )
        else:
            head = self.env._(
                "The customer answered the follow-up %(level)s of %(date)s:", **values
            )
        money = formatLang(self.env, self.amount, currency_obj=self.currency_id)
        if self.kind == reply_policy.PAID:
            body = self.env._(
                "Paid %(amount)s on %(date)s, reference %(reference)s. No reminder until "
                "%(until)s, unless the payment arrives before.",
                amount=money,
                date=format_date(self.env, self.paid_date),
                reference=self.reference or self.env._("none"),
                until=format_date(self.env, self.hold_until),
            )
        elif self.kind == reply_policy.DISPUTE:
            body = self.env._(
                "Disputes invoice %(move)s: %(reason)s.",
                move=self.move_id.name,
                reason=dict(self._fields["reason"]._description_selection(self.env))[self.reason],
            )
        elif self.wants_plan:
            body = self.env._(
                "Asks for a payment plan. Nothing is paused: set up a plan or call the customer."
            )
        elif self.hold_until:
            body = self.env._(
                "Asks for time until %(date)s, within the company's limit: no reminder until then.",
                date=format_date(self.env, self.requested_date),
            )
        else:
            body = self.env._(
                "Asks for time until %(date)s, longer than the company grants by itself. "
                "Nothing is paused: decide whether to agree.",
                date=format_date(self.env, self.requested_date),
            )
        lines = [head, body]
        if self.note:
            lines.append(self.env._("Message: %(note)s", note=self.note))
        return "\n".join(lines)

    def _responsible(self):
        """Who handles the answer: the customer's follow-up responsible, else their
        salesperson (a user of the company), else the company's accounting manager (as for the
        phone calls of a step, ``payment.followup.history._schedule_activities``)."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        salesperson = partner.user_id if not partner.user_id.share else None
        return (
            partner.payment_followup_responsible_id.filtered("active")
            or salesperson
            or self.env["payment.followup.history"]._payment_followup_manager(self.company_id)
        )

    def _schedule_todo(self, today):
        """One open to-do per answer: the one of an earlier answer is rescheduled."""
        self.ensure_one()
        user = self._responsible()
        kind = self.with_context(lang=user.lang or self.env.lang)
        if self.wants_plan:
            summary = kind.env._("Set up a payment plan")
        elif self.to_decide:
            summary = kind.env._("Decide on the requested payment date")
        elif self.kind == reply_policy.PAID:
            summary = kind.env._("Check the reported payment")
        elif self.kind == reply_policy.DISPUTE:
            summary = kind.env._("Clarify the disputed invoice")
        else:
            summary = kind.env._("Check the payment by the promised date")
        deadline = self.hold_until or today + timedelta(days=1 if self.to_decide else 2)
        values = {
            "summary": summary,
            "note": plaintext2html(kind._summary()),
            "user_id": user.id,
            "date_deadline": deadline,
        }
        activity = self.activity_ids[:1]
        if activity:
            activity.write(values)
        else:
            self.activity_schedule("mail.mail_activity_data_todo", **values)

    # ------------------------------------------------------------------ actions

    def action_done(self):
        self.write({"state": "done"})
        self.activity_ids.action_feedback()

    def action_open_history(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "payment.followup.history",
            "res_id": self.history_id.id,
            "view_mode": "form",
        }
