from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang, plaintext2html

from ..policy import promises as promise_policy


class PaymentFollowupPromise(models.Model):
    """The customer promised to pay by a day: the covered items get no reminder until then.

    The covered items are the customer's open receivable items when the promise is recorded,
    or only those of one invoice. From the day after the promised date the follow-up resumes
    by itself (the pause simply ends, see ``payment.followup.run._paused_line_ids``); the
    daily run then records whether the promise was kept.
    """

    _name = "payment.followup.promise"
    _description = "Promise to Pay"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        help="Only this invoice is covered. Empty: every open item of the customer.",
    )
    date = fields.Date(
        string="Promised Payment Date",
        required=True,
        help="No reminder for the covered items until this day; the follow-up resumes the day "
        "after.",
    )
    amount = fields.Monetary(
        string="Promised Amount", help="Empty: everything covered is to be paid by the date."
    )
    note = fields.Text()
    recorded_date = fields.Date(
        string="Recorded On", required=True, readonly=True, default=fields.Date.context_today
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, default=lambda self: self.env.user
    )
    line_ids = fields.Many2many(
        "account.move.line",
        "payment_followup_promise_line_rel",
        "promise_id",
        "line_id",
        string="Covered Items",
        readonly=True,
    )
    amount_open = fields.Monetary(
        string="Open When Promised", readonly=True, help="What the covered items owed."
    )
    amount_received = fields.Monetary(
        string="Received by the Date",
        readonly=True,
        help="Paid or credited on the covered items by the promised date (set with the outcome).",
    )
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancel", "Cancelled")],
        default="open",
        required=True,
        readonly=True,
        index=True,
    )
    outcome_date = fields.Date(readonly=True)

    @api.constrains("date", "amount")
    def _check_date_amount(self):
        for promise in self:
            if promise.state == "open" and promise.date < promise.recorded_date:
                raise ValidationError(promise._past_date_error(promise.date))
            if promise.currency_id.compare_amounts(promise.amount, 0) < 0:
                raise ValidationError(self._negative_amount_error())

    @api.model
    def _past_date_error(self, day):
        return self.env._(
            "The promised payment date %(date)s is in the past: enter today or a later day.",
            date=format_date(self.env, day),
        )

    @api.model
    def _negative_amount_error(self):
        return self.env._(
            "The promised amount cannot be negative: enter the amount the customer promised to "
            "pay, or leave it empty when everything open is to be paid."
        )

    # ------------------------------------------------------------------ recording

    @api.model
    def _record(self, date, amount=0.0, note=False, partners=None, moves=None):
        """Record a promise to pay by ``date``: one per invoice of ``moves``, else one per
        customer of ``partners`` (commercial entities) covering all their open items in the
        current company. Raises a ``UserError`` that says what to fix on bad input.

        :returns: the new promises
        """
        company = self.env.company
        today = fields.Date.context_today(self)
        if not date:
            raise UserError(self.env._("Enter the day the customer promised to pay by."))
        if date < today:
            raise UserError(self._past_date_error(date))
        if company.currency_id.compare_amounts(amount or 0.0, 0) < 0:
            raise UserError(self._negative_amount_error())
        moves = moves or self.env["account.move"]
        partners = (partners or self.env["res.partner"]).commercial_partner_id
        if not moves and not partners:
            raise UserError(self.env._("Select the customer or the invoice the promise is for."))
        for move in moves:
            if move.move_type != "out_invoice" or move.state != "posted":
                raise UserError(
                    self.env._(
                        "A promise to pay can only cover a posted customer invoice; %(move)s is "
                        "not one.",
                        move=move.display_name,
                    )
                )
        domain = [
            *self.env["account.move.line"]._payment_followup_open_receivable_domain(company),
            ("amount_residual", ">", 0),
            ("payment_followup_blocked", "=", False),
        ]
        if moves:
            lines = self.env["account.move.line"].search([("move_id", "in", moves.ids), *domain])
            lines_of = defaultdict(lambda: self.env["account.move.line"], lines.grouped("move_id"))
            targets = [(move.commercial_partner_id, move, lines_of[move]) for move in moves]
        else:
            lines = self.env["account.move.line"].search(
                [("partner_id", "child_of", partners.ids), *domain]
            )
            lines_of = defaultdict(
                lambda: self.env["account.move.line"],
                lines.grouped(lambda line: line.partner_id.commercial_partner_id),
            )
            targets = [(partner, None, lines_of[partner]) for partner in partners]
        vals_list = []
        for partner, move, covered in targets:
            if not covered:
                if move:
                    raise UserError(
                        self.env._(
                            "Invoice %(move)s has no open amount to follow up: there is nothing "
                            "to promise for it.",
                            move=move.display_name,
                        )
                    )
                raise UserError(
                    self.env._(
                        "%(partner)s has no open items to follow up in %(company)s (items "
                        "excluded from the follow-up, e.g. disputed ones, do not count): there "
                        "is nothing to promise.",
                        partner=partner.display_name,
                        company=company.name,
                    )
                )
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "move_id": move.id if move else False,
                    "date": date,
                    "amount": amount or 0.0,
                    "note": note or False,
                    "recorded_date": today,
                    "line_ids": [fields.Command.set(covered.ids)],
                    "amount_open": sum(covered.mapped("amount_residual")),
                }
            )
        promises = self.create(vals_list)
        for promise in promises:
            promise._post_message(promise._recorded_text(), promise.note)
        self._refresh_worklist(company, promises.partner_id, today)
        return promises

    def _recorded_text(self):
        self.ensure_one()
        values = {
            "date": format_date(self.env, self.date),
            "amount": formatLang(self.env, self.amount, currency_obj=self.currency_id),
            "move": self.move_id.name,
        }
        if self.move_id and self.amount:
            text = self.env._(
                "Promise to pay %(amount)s on invoice %(move)s by %(date)s: no reminder for it "
                "until then.",
                **values,
            )
        elif self.move_id:
            text = self.env._(
                "Promise to pay invoice %(move)s by %(date)s: no reminder for it until then.",
                **values,
            )
        elif self.amount:
            text = self.env._(
                "Promise to pay %(amount)s by %(date)s: no reminder for the open items until then.",
                **values,
            )
        else:
            text = self.env._(
                "Promise to pay the open items by %(date)s: no reminder for them until then.",
                **values,
            )
        return text

    def _post_message(self, text, note=None):
        """On the customer's chatter (as superuser: an accountant may not be allowed to edit
        contacts) and on the invoice's, if the promise is for one."""
        self.ensure_one()
        body = plaintext2html(f"{text}\n{note}" if note else text)
        author = self.env.user.partner_id.id
        self.partner_id.commercial_partner_id._payment_followup_post(
            self.company_id, f"{text}\n{note}" if note else text
        )
        if self.move_id:
            self.move_id.sudo().message_post(
                body=body, subtype_xmlid="mail.mt_note", author_id=author
            )

    @api.model
    def _refresh_worklist(self, company, partners, today):
        if partners:
            self.env["payment.followup.run"].with_company(company)._process(
                company, today, partner_ids=partners.ids, execute=False
            )

    def action_cancel(self):
        """Withdraw open promises: their items are followed up again from today."""
        if self.filtered(lambda promise: promise.state != "open"):
            raise UserError(self.env._("Only open promises can be cancelled."))
        today = fields.Date.context_today(self)
        self.write({"state": "cancel", "outcome_date": today})
        for promise in self:
            promise._post_message(
                self.env._(
                    "Promise to pay by %(date)s cancelled: the follow-up resumes.",
                    date=format_date(self.env, promise.date),
                )
            )
        for company, promises in self.grouped("company_id").items():
            self._refresh_worklist(company, promises.partner_id, today)

    # ------------------------------------------------------------------ outcome

    @api.model
    def _evaluate_due_promises(self, company, today):
        """Record the outcome of the open promises of ``company`` whose date has passed: kept
        when the covered items were paid (or the promised amount was received) by the date,
        broken otherwise. Set-based: one search for the promises, one for the payments.

        :returns: the promises evaluated
        """
        promises = self.search(
            [("company_id", "=", company.id), ("state", "=", "open"), ("date", "<", today)]
        )
        if not promises:
            return promises
        lines = promises.line_ids
        # What was reconciled with the covered items after a promise's date did not count for
        # it: add it back to today's residual to get the residual on the promised date.
        later = self.env["account.partial.reconcile"].search(
            [("debit_move_id", "in", lines.ids), ("max_date", ">", min(promises.mapped("date")))]
        )
        for promise in promises:
            currency = promise.currency_id
            residual = sum(promise.line_ids.mapped("amount_residual")) + sum(
                partial.amount
                for partial in later
                if partial.max_date > promise.date and partial.debit_move_id in promise.line_ids
            )
            outcome = promise_policy.outcome(
                Decimal(str(currency.round(promise.amount_open))),
                Decimal(str(currency.round(residual))),
                Decimal(str(currency.round(promise.amount))),
            )
            kept, received = outcome.kept, float(outcome.received)
            promise.write(
                {
                    "state": "kept" if kept else "broken",
                    "outcome_date": today,
                    "amount_received": received,
                }
            )
            values = {
                "date": format_date(self.env, promise.date),
                "received": formatLang(self.env, received, currency_obj=currency),
                "expected": formatLang(
                    self.env, promise.amount or promise.amount_open, currency_obj=currency
                ),
            }
            if kept:
                text = self.env._(
                    "Promise to pay by %(date)s kept: %(received)s received.", **values
                )
            else:
                text = self.env._(
                    "Promise to pay by %(date)s broken: %(received)s of %(expected)s received "
                    "by then. The follow-up resumes.",
                    **values,
                )
            promise._post_message(text)
        return promises

    @api.model
    def _cron_evaluate(self, today=None):
        """The daily outcome of the promises of every company the user may work in (all of
        them for the cron's superuser)."""
        today = today or fields.Date.context_today(self)
        Company = self.env["res.company"]
        # pylint: disable-next=no-search-all
        companies = Company.search([]) if self.env.su else self.env.user.company_ids
        for company in companies:
            self.with_company(company)._evaluate_due_promises(company, today)
