from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date, formatLang

from ..policy import channels
from .ir_qweb import COMPILE_ONCE


class PaymentFollowupHistory(models.Model):
    """One executed follow-up step. One partner, one level, one day: never twice."""

    _name = "payment.followup.history"
    _description = "Follow-up Step"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "level_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # The currency of the amounts, stored with the step as on a journal item: set from the
    # company when the step is created. Not readonly: Odoo would drop it from the create
    # values of the run, which gives it, and build a new record for each step to compute it.
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True, readonly=False
    )
    level_id = fields.Many2one(
        "payment.followup.level", required=True, ondelete="restrict", check_company=True
    )
    # The level's policy, computed before the row is inserted (no UPDATE of every new step
    # afterwards); not readonly for the same reason as the currency.
    policy_id = fields.Many2one(
        "payment.followup.policy",
        compute="_compute_policy_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    # Fixed with the step (a later change of the level does not move the date a customer was
    # given); not readonly for the same reason as the currency.
    payment_deadline = fields.Date(
        string="Pay By",
        compute="_compute_payment_deadline",
        store=True,
        precompute=True,
        readonly=False,
        help="The date by which the email and the letter of the step ask for payment.",
    )
    # The cut-off of the step: the letter and the email say "payments booked until <date> are
    # taken into account". It is the step's day: the run reads the open amounts as they are
    # booked when it runs, whatever the date of the last bank statement (a company that
    # registers payments by hand has none, and an account without transactions would move
    # the date back for everyone). Stored, so that a reprint says what the first print said.
    payment_cutoff_date = fields.Date(
        string="Payments Booked Until",
        compute="_compute_payment_cutoff_date",
        store=True,
        precompute=True,
        readonly=False,
        help="The email and the letter of the step take into account the payments booked "
        "until this day; a payment booked later crossed the reminder.",
    )
    user_id = fields.Many2one("res.users", string="Executed By", default=lambda self: self.env.user)
    # A list on the step, not a relation table: a step lists many items, and a relation costs a
    # row and two foreign key checks per item in every daily run.
    listed_item_ids = fields.Json(
        string="Listed Item IDs",
        readonly=True,
        copy=False,
        help="Technical: the ids of the journal items the communication lists.",
    )
    line_ids = fields.Many2many(
        "account.move.line",
        string="Items",
        compute="_compute_line_ids",
        inverse="_inverse_line_ids",
        help="Every item the communication lists.",
    )
    escalated_line_ids = fields.Many2many(
        "account.move.line",
        "payment_followup_history_escalated_rel",
        "history_id",
        "line_id",
        string="Escalated Items",
        help="The items that reached a new level with this step.",
    )
    amount_due = fields.Monetary()
    recipient_id = fields.Many2one("res.partner")
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null", readonly=True)
    email_state = fields.Selection(
        [
            ("none", "No Email"),
            ("no_address", "No Email Address"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
        ],
        compute="_compute_email_state",
        string="Email Status",
    )
    no_email = fields.Boolean(
        string="No Usable Email", help="The email level fell back to a letter."
    )
    letter_state = fields.Selection(
        [("none", "No Letter"), ("to_print", "To Print"), ("printed", "Printed")],
        default="none",
        required=True,
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)

    _sql_constraints = [
        (
            "partner_level_date_uniq",
            "unique(partner_id, level_id, date)",
            "This customer already got this follow-up level on this day.",
        ),
    ]

    charge_ids = fields.One2many(
        "payment.followup.charge", "history_id", string="Charges", context={"active_test": False}
    )

    charge_move_id = fields.Many2one(
        "account.move",
        string="Charge Document",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    amount_charges = fields.Monetary(string="Fees and Interest", compute="_compute_amount_charges")

    amount_total = fields.Monetary(
        string="Total Claim",
        compute="_compute_amount_charges",
        help="The listed items plus the fees and interest this step charged.",
    )

    collection_id = fields.Many2one(
        "payment.followup.collection", string="Collection Case", readonly=True, copy=False
    )

    reply_ids = fields.One2many(
        "payment.followup.reply", "history_id", string="Customer Answers", readonly=True
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for record in self:
            record.currency_id = record.company_id.currency_id

    @api.depends("level_id")
    def _compute_policy_id(self):
        for step in self:
            step.policy_id = step.level_id.policy_id

    @api.depends("level_id", "date")
    def _compute_payment_deadline(self):
        for step in self:
            step.payment_deadline = (
                step.level_id and step.date and step.level_id._payment_deadline(step.date)
            )

    @api.depends("date")
    def _compute_payment_cutoff_date(self):
        for step in self:
            step.payment_cutoff_date = step.date

    @api.depends("mail_id.state", "no_email")
    def _compute_email_state(self):
        states = {"outgoing": "queued", "sent": "sent", "received": "sent", "exception": "failed"}
        for step in self:
            if step.no_email:
                step.email_state = "no_address"
            elif step.mail_id:
                step.email_state = states.get(step.mail_id.state, "queued")
            else:
                step.email_state = "none"

    @api.depends("listed_item_ids")
    def _compute_line_ids(self):
        Line = self.env["account.move.line"]
        listed = {line_id for step in self for line_id in step.listed_item_ids or ()}
        existing = set(Line.browse(listed).exists().ids)  # an item may be gone since
        for step in self:
            step.line_ids = Line.browse(
                [line_id for line_id in step.listed_item_ids or () if line_id in existing]
            )

    def _inverse_line_ids(self):
        for step in self:
            step.listed_item_ids = step.line_ids.ids

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for step in self:
            day = format_date(self.env, step.date)
            step.display_name = f"{step.level_id.name} · {step.partner_id.name} · {day}"

    def unlink(self):
        """The worklist keeps the date of each customer's last step: recompute it."""
        customers = {(step.company_id.id, step.partner_id.id) for step in self}
        result = super().unlink()
        statuses = (
            self.env["payment.followup.status"]
            .sudo()
            .search(
                [
                    ("company_id", "in", list({company_id for company_id, _pid in customers})),
                    ("partner_id", "in", list({pid for _company_id, pid in customers})),
                ]
            )
        )
        statuses = statuses.filtered(
            lambda status: (status.company_id.id, status.partner_id.id) in customers
        )
        if statuses:
            last = {
                (company.id, partner.id): day
                for company, partner, day in self.sudo()._read_group(
                    [
                        ("company_id", "in", statuses.company_id.ids),
                        ("partner_id", "in", statuses.partner_id.ids),
                    ],
                    ["company_id", "partner_id"],
                    ["date:max"],
                )
            }
            for status in statuses:
                status.last_followup_date = last.get(
                    (status.company_id.id, status.partner_id.id), False
                )
        return result

    def _letter_address_lines(self, partner, recipient):
        """The lines of the letter's address field: the customer, the addressee when it is
        another contact, and the postal address (the addressee's, else the customer's),
        without the country line when the letter stays in the company's country (DIN 5008)."""
        self.ensure_one()
        address = self._letter_address_partner(partner, recipient)
        address_format, args = address._prepare_display_address(without_company=True)
        if address.country_id == self.company_id.country_id:
            args["country_name"] = ""
        lines = [partner.name]
        if recipient != partner and recipient.name:
            lines.append(recipient.name)
        lines += (address_format % args).split("\n")
        return [line.strip() for line in lines if line and line.strip()]

    def _letter_sender_line(self, partner, recipient):
        """The company's return address above the address field, on one line; its country
        only on a letter to another country."""
        self.ensure_one()
        company = self.company_id
        address = self._letter_address_partner(partner, recipient)
        city = " ".join(part for part in (company.zip, company.city) if part)
        parts = [company.name, company.street, company.street2, city]
        if address.country_id and address.country_id != company.country_id:
            parts.append(company.country_id.name)
        return " · ".join(part for part in parts if part)

    @api.model
    def _letter_address_partner(self, partner, recipient):
        """Whose postal address the letter goes to: an invoice contact without an address of
        its own is written to at the customer's address."""
        return recipient if recipient.street or recipient.zip or recipient.city else partner

    def _reply_url(self, kind=None):
        """The step's reply page for the customer (mails and letters link to it)."""
        self.ensure_one()
        return self.env["payment.followup.reply"]._url(self, kind)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._(
            "Follow-up %(partner)s %(date)s", partner=self.partner_id.name, date=self.date
        )

    def action_print_letter(self):
        if not self:
            raise UserError(
                self.env._("Select the follow-up steps whose letters you want to print.")
            )
        self.filtered(lambda step: step.letter_state == "to_print").sudo().letter_state = "printed"
        return self.env.ref("payment_followup_ext.action_report_followup_letter").report_action(
            self
        )

    # ------------------------------------------------------------------ execution

    @api.model
    def _execute_steps(self, company, steps, today, preview=False):
        """Execute ``steps`` (``{partner_id: policy.schedule.Step}``) of ``company``: one
        history record, one email or letter and the activity of each customer, items escalated.
        Set-based: the number of queries does not depend on the number of customers.

        With ``preview`` (the preview wizard, inside a savepoint it rolls back), only what the
        communication shows is made: the steps, the escalation and the charges with their
        documents; no collection case or suspension, no email, activity or note.
        """
        addresses = self.env["payment.followup.run"]._recipient_addresses(list(steps))
        levels = self.env["payment.followup.level"].browse({s.level_id for s in steps.values()})
        level_of = {level.id: level for level in levels}
        in_currency = self._foreign_currency_amounts(company, steps)
        vals_list = []
        for pid, step in steps.items():
            level = level_of[step.level_id]
            recipient_id, email = addresses[pid]
            reach = channels.channels(
                send_email=level.send_email,
                send_letter=level.send_letter,
                schedule_activity=level.schedule_activity,
                email=email,
            )
            vals_list.append(
                {
                    # The fields computed before insertion given (Odoo would build a new record
                    # for each step to compute them), the currency first: the amounts'
                    # conversions read it.
                    "currency_id": in_currency.get(pid, (company.currency_id.id,))[0],
                    "policy_id": level.policy_id.id,
                    "partner_id": pid,
                    "company_id": company.id,
                    "level_id": level.id,
                    "date": today,
                    "payment_deadline": level._payment_deadline(today),
                    "payment_cutoff_date": today,
                    "user_id": self.env.uid,
                    "amount_due": in_currency.get(pid, (None, float(step.amount_due)))[1],
                    "recipient_id": recipient_id,
                    "no_email": reach.no_email,
                    "letter_state": "to_print" if reach.letter else "none",
                    "listed_item_ids": list(step.item_ids),
                    "escalated_line_ids": [
                        Command.set([line_id for line_id, _level in step.escalations])
                    ],
                }
            )
        # One create for the batch (Odoo inserts the rows in a few statements); the unique
        # constraint refuses a step that exists already.
        steps_done = self.create(vals_list)
        self._escalate([pair for step in steps.values() for pair in step.escalations], today)
        self.env["payment.followup.charge"]._book(steps_done)
        if preview:
            return steps_done
        steps_done._execute_level_actions(today)
        steps_done._send_emails()
        steps_done._schedule_activities(today)
        steps_done._log_without_email()
        return steps_done

    @api.model
    def _foreign_currency_amounts(self, company, steps):
        """``{partner_id: (currency id, amount due)}`` of the ``steps`` (``{partner_id:
        policy.schedule.Step}``) whose items are all in one currency other than the company's:
        such a step is written in that currency. One query for the batch; the decision itself
        (amounts in the company's currency) is unchanged."""
        item_ids = [item_id for step in steps.values() for item_id in step.item_ids]
        if not item_ids:
            return {}
        self.env["account.move.line"].flush_model(["currency_id", "amount_residual_currency"])
        self.env.cr.execute(
            SQL(
                "SELECT id, currency_id, amount_residual_currency::text FROM account_move_line "
                "WHERE id = ANY(%s) AND currency_id != %s",
                item_ids,
                company.currency_id.id,
            )
        )
        foreign = {
            line_id: (currency_id, amount)
            for line_id, currency_id, amount in self.env.cr.fetchall()
        }
        if not foreign:
            return {}
        result = {}
        for pid, step in steps.items():
            rows = [foreign.get(item_id) for item_id in step.item_ids]
            currencies = {row[0] for row in rows if row}
            if all(rows) and len(currencies) == 1:
                result[pid] = (currencies.pop(), float(sum(Decimal(row[1]) for row in rows)))
        return result

    def _execute_level_actions(self, today):
        """The actions of the steps' levels beyond communication, set-based over ``self`` (the
        steps executed now, of one company, on ``today``), in this order: hand the claim over to
        collection, then suspend the service."""
        self._hand_over_to_collection(today)
        self._suspend_service(today)

    @api.model
    def _escalate(self, escalations, today):
        """Record on the items the level they reached: one write per level reached.

        The write concerns two fields of the follow-up only, so the invoice synchronisation
        and the balance check that a write on journal items of posted invoices runs for every
        line (about 5 ms a line) are skipped.
        """
        lines_of = defaultdict(list)
        for line_id, level_id in escalations:
            lines_of[level_id].append(line_id)
        Line = self.env["account.move.line"].with_context(
            # the write compares the two fields only: no need to load every column of the lines
            prefetch_fields=False,
            check_move_validity=False,
            skip_invoice_sync=True,
            skip_invoice_line_sync=True,
            skip_account_move_synchronization=True,
            tracking_disable=True,
        )
        for level_id, line_ids in lines_of.items():
            Line.browse(line_ids).write(
                {"payment_followup_level_id": level_id, "payment_followup_date": today}
            )

    def _send_emails(self):
        """Queue one email per step in ``mail.mail``, rendered per template and language."""
        to_send = self._to_email()
        mail_vals, history_ids = [], []
        threads = to_send._threads()
        rendered = to_send._render_emails()
        for template, steps in to_send.grouped(lambda step: step.level_id.mail_template_id).items():
            attachments = steps._invoice_attachments()
            statements = steps._statement_attachments()
            for step in steps:
                values = rendered[step.id]
                mail_vals.append(
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        "email_from": values.get("email_from")
                        or step.company_id.email_formatted
                        or self.env.user.email_formatted,
                        "reply_to": values.get("reply_to"),
                        "email_cc": step._email_cc(values.get("email_cc")),
                        "recipient_ids": [Command.link(step.recipient_id.id)],
                        "model": threads[step.id]._name,
                        "res_id": threads[step.id].id,
                        "record_name": step.partner_id.display_name,
                        "message_type": "comment",
                        "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
                        "author_id": self.env.user.partner_id.id,
                        "auto_delete": False,
                        "mail_server_id": template.mail_server_id.id,
                        "attachment_ids": [
                            Command.set(attachments.get(step.id, []) + statements.get(step.id, []))
                        ],
                    }
                )
                history_ids.append(step.id)
        if not mail_vals:
            return
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        self._link(history_ids, "mail_id", mails.ids)

    def _to_email(self):
        """The steps of ``self`` that send an email."""
        return self.filtered(lambda step: step.level_id.send_email and not step.no_email)

    def _render_emails(self):
        """``{history_id: {field: value}}``: subject, body, sender, reply-to and cc of the
        emails of ``self``, rendered by their levels' templates in the recipients' languages,
        as they go out (the sending and the preview wizard both use it)."""
        rendered = {}
        for template, steps in self.grouped(lambda step: step.level_id.mail_template_id).items():
            rendered.update(
                template.with_context(**{COMPILE_ONCE: True})._generate_template(
                    steps.ids, ["subject", "body_html", "email_from", "reply_to", "email_cc"]
                )
            )
        return rendered

    def _invoice_attachments(self):
        """``{history_id: [attachment ids]}``: the electronic original of every listed invoice
        that has one (its XRechnung/UBL XML or its Factur-X PDF, see
        ``account.move._payment_followup_einvoices``), on every level; and for the levels that
        attach invoices the PDF of every listed invoice, missing PDFs rendered once, in one
        batch. Each file once per email (a Factur-X PDF is both)."""
        einvoices = self.line_ids.move_id._payment_followup_einvoices()
        result = {
            step.id: [
                einvoices[move.id].attachment.id
                for move in step.line_ids.move_id
                if move.id in einvoices
            ]
            for step in self
        }
        steps = self.filtered(lambda step: step.level_id.attach_invoices)
        moves = steps.line_ids.move_id
        if not moves:
            return {step_id: ids for step_id, ids in result.items() if ids}
        pdf = {
            move.id: move.invoice_pdf_report_id or move.message_main_attachment_id for move in moves
        }
        missing = moves.filtered(lambda move: not pdf[move.id])
        if missing:
            report = self.env["ir.actions.report"]
            streams = report._render_qweb_pdf_prepare_streams(
                "account.account_invoices", {}, res_ids=missing.ids
            )
            created = self.env["ir.attachment"].create(
                [
                    {
                        "name": f"{move._get_report_base_filename()}.pdf",
                        "raw": streams[move.id]["stream"].getvalue(),
                        "res_model": "account.move",
                        "res_id": move.id,
                        "mimetype": "application/pdf",
                    }
                    for move in missing
                ]
            )
            for move, attachment in zip(missing, created, strict=True):
                pdf[move.id] = attachment
        for step in steps:
            result[step.id] += [pdf[move.id].id for move in step.line_ids.move_id]
        return {step_id: list(dict.fromkeys(ids)) for step_id, ids in result.items() if ids}

    def _email_cc(self, template_cc):
        """The copy addresses of this step's email: the template's and the customer's
        (``res.partner.payment_followup_cc_emails``)."""
        self.ensure_one()
        addresses = [template_cc] if template_cc else []
        addresses += self.partner_id.commercial_partner_id._payment_followup_cc_list()
        return ", ".join(addresses) or False

    def _statement_attachments(self):
        """``{history_id: [attachment id]}``: the customer's statement of account on the step's
        day (every open item), for the levels that attach it; rendered in one batch per company
        and day."""
        steps = self.filtered(lambda step: step.level_id.attach_statement)
        result = {}
        Report = self.env["ir.actions.report"]
        for (company, day), group in steps.grouped(lambda s: (s.company_id, s.date)).items():
            customers = group.partner_id
            streams = Report.with_company(company)._render_qweb_pdf_prepare_streams(
                "payment_followup_ext.action_report_followup_statement",
                {"date": fields.Date.to_string(day)},
                res_ids=customers.ids,
            )
            created = self.env["ir.attachment"].create(
                [
                    {
                        "name": "{}.pdf".format(
                            customer.with_context(
                                lang=step.recipient_id.lang or customer.lang
                            )._payment_followup_statement_filename(day)
                        ),
                        "raw": streams[customer.id]["stream"].getvalue(),
                        "res_model": step._name,
                        "res_id": step.id,
                        "mimetype": "application/pdf",
                    }
                    for step in group
                    for customer in step.partner_id
                ]
            )
            for step, attachment in zip(group, created, strict=True):
                result[step.id] = [attachment.id]
        return result

    def _schedule_activities(self, today):
        steps = self.filtered(lambda step: step.level_id.schedule_activity)
        if not steps:
            return
        responsible = {
            row["id"]: row["payment_followup_responsible_id"]
            for row in steps.partner_id.with_company(steps.company_id[:1]).read(
                ["payment_followup_responsible_id"], load=None
            )
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        # The daily run works as OdooBot, who must not get the calls to make.
        runner = self.env.user if not self.env.user._is_superuser() else None
        managers = {}
        for step in steps:
            salesperson = step.partner_id.with_company(step.company_id).user_id
            if salesperson.share:
                salesperson = None
            if not managers.get(step.company_id):
                managers[step.company_id] = self._payment_followup_manager(step.company_id)
            user = (
                step.level_id.activity_user_id
                or self.env["res.users"].browse(responsible.get(step.partner_id.id))
                or runner
                or salesperson
                or managers[step.company_id]
            )
            # The to-do is read by the one who makes the call: in their language.
            level = step.level_id.with_context(lang=user.lang or self.env.lang)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": step.partner_id.id,
                    "activity_type_id": level.activity_type_id.id,
                    "summary": level.activity_summary or level.name,
                    "note": level.activity_note,
                    "user_id": user.id,
                    "date_deadline": today + timedelta(days=level.activity_deadline_days),
                }
            )
        # As the follow-up, not as the user: scheduling an activity on a customer needs write
        # access to it, which an accountant running the follow-up may not have.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
        self._link(steps.ids, "activity_id", activities.ids)

    def _payment_followup_manager(self, company):
        """The company's first accounting manager (not OdooBot), else the current user."""
        manager = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("account.group_account_manager").id),
                ("company_ids", "in", company.id),
                ("share", "=", False),
                ("id", "!=", self.env.ref("base.user_root").id),
            ],
            order="id",
            limit=1,
        )
        return manager or self.env.user

    def _log_without_email(self):
        """A note in the customer's chatter for every step that sends no email."""
        steps = self.filtered(lambda step: not step.mail_id)
        if not steps:
            return
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        threads = steps._threads()
        self.env["mail.message"].sudo().create(
            [
                {
                    "model": threads[step.id]._name,
                    "res_id": threads[step.id].id,
                    "message_type": "notification",
                    "subtype_id": note,
                    "author_id": self.env.user.partner_id.id,
                    "body": step._chatter_note(),
                }
                for step in steps
            ]
        )

    def _threads(self):
        """``{history_id: record}``: where each step's email and note go (the customer, or its
        worklist row for a contact shared by several companies, see
        ``res.partner._payment_followup_thread``)."""
        threads = {}
        for company, steps in self.grouped("company_id").items():
            of_partner = steps.partner_id._payment_followup_threads(company)
            threads.update({step.id: of_partner[step.partner_id.id] for step in steps})
        return threads

    def _chatter_note(self):
        self.ensure_one()
        if self.no_email:
            return self.env._(
                "Follow-up %(level)s: no usable email address, letter to print.",
                level=self.level_id.name,
            )
        if self.letter_state == "to_print":
            return self.env._("Follow-up %(level)s: letter to print.", level=self.level_id.name)
        return self.env._("Follow-up %(level)s executed.", level=self.level_id.name)

    def _link(self, history_ids, field, target_ids):
        """Set ``field`` of many steps at once (flushed by Odoo in a few statements)."""
        for step, target_id in zip(self.browse(history_ids), target_ids, strict=True):
            step[field] = target_id

    def _action_result(self):
        """What the accountant sees after a manual run: the executed steps."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "payment_followup_ext.payment_followup_history_action"
        )
        action["domain"] = [("id", "in", self.ids)]
        action["context"] = {}
        if not self:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "Nothing to send: no follow-up step is due for these customers."
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return action

    @api.depends("charge_ids.amount", "charge_ids.active", "amount_due")
    def _compute_amount_charges(self):
        for step in self:
            step.amount_charges = sum(
                charge.currency_id._convert(
                    charge.amount, step.currency_id, step.company_id, step.date
                )
                for charge in step.charge_ids.filtered("active")
            )
            step.amount_total = step.amount_due + step.amount_charges

    def action_cancel_charges(self):
        """Reverse the charge documents of the selected steps (managers): the fees and the days
        of interest they charged are free again."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise UserError(
                self.env._("Only accounting managers can cancel the charges of a follow-up.")
            )
        moves = (self.charge_move_id | self.charge_ids.move_id).filtered(
            lambda move: move.state == "posted" and move.payment_state != "reversed"
        )
        if not moves:
            raise UserError(
                self.env._("The selected follow-up steps have no charges left to cancel.")
            )
        if moves.filtered(lambda move: move.payment_state in ("paid", "in_payment", "partial")):
            raise UserError(
                self.env._(
                    "A charge document is already (partly) paid. Unreconcile its payment "
                    "first, then cancel the charges."
                )
            )
        reversals = moves._payment_followup_reverse()
        for step in self.filtered(lambda step: step.charge_move_id in moves):
            step.partner_id._payment_followup_post(
                step.company_id,
                self.env._(
                    "Charges of follow-up %(level)s of %(date)s cancelled (%(document)s reversed).",
                    level=step.level_id.name,
                    date=format_date(self.env, step.date),
                    document=step.charge_move_id.name,
                ),
            )
        return reversals._get_records_action(name=self.env._("Reversals"))

    def _charge_move_vals(self, charges, journal):
        """The values of the step's charge document, in the customer's language (context)."""
        self.ensure_one()
        charges = charges.with_env(self.env)  # labels in the customer's language
        company = self.company_id
        products = company._payment_followup_charge_products()
        accounts = company._payment_followup_charge_accounts()
        lines = []
        fee = charges.filtered(lambda charge: charge.kind == "fee")
        if fee:
            lines.append(
                {
                    "product_id": products["fee"].id,
                    "name": self.env._(
                        "Dunning fee (%(level)s of %(date)s)",
                        level=self.level_id.name,
                        date=format_date(self.env, self.date),
                    ),
                    "amount": sum(fee.mapped("amount")),
                    "account": accounts["fee"],
                }
            )
        interest = charges.filtered(lambda charge: charge.kind == "interest")
        for line, periods in interest.grouped("line_id").items():
            detail = "\n".join(period._label() for period in periods.sorted("date_from"))
            lines.append(
                {
                    "product_id": products["interest"].id,
                    "name": self.env._(
                        "Late interest, invoice %(invoice)s", invoice=line.move_id.name
                    )
                    + "\n"
                    + detail,
                    "amount": sum(periods.mapped("amount")),
                    "account": accounts["interest"],
                }
            )
        for charge in charges.filtered(
            lambda charge: charge.kind in ("flat_fee", "flat_fee_credit")
        ):
            lines.append(
                {
                    "product_id": products["flat_fee"].id,
                    "name": charge._label(),
                    "amount": charge.amount,
                    "account": accounts["flat_fee"],
                }
            )
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": company.id,
            "journal_id": journal.id,
            "invoice_date": self.date,
            "date": self.date,
            "invoice_payment_term_id": False,
            "invoice_date_due": self.date
            + timedelta(days=company.payment_followup_charge_due_days),
            "ref": self.env._(
                "Dunning fees and late interest, %(level)s of %(date)s",
                level=self.level_id.name,
                date=format_date(self.env, self.date),
            ),
            "narration": self.env._("Dunning fees and late interest"),
            "payment_followup_charge_step_id": self.id,
            "currency_id": charges.currency_id.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": line["product_id"],
                        "name": line["name"],
                        "quantity": 1,
                        "price_unit": line["amount"],
                        "tax_ids": [Command.clear()],
                        **({"account_id": line["account"].id} if line["account"] else {}),
                    }
                )
                for line in lines
            ],
        }

    def _hand_over_to_collection(self, today):
        """Open a collection case for the customers of the steps whose level hands over."""
        steps = self.filtered(lambda step: step.level_id.hand_over_collection)
        if not steps:
            return
        Collection = self.env["payment.followup.collection"]
        for level, level_steps in steps.grouped("level_id").items():
            partners_items = {
                step.partner_id: (step.line_ids | step.charge_move_id.line_ids).filtered(
                    lambda line: (
                        line.account_id.account_type == "asset_receivable" and not line.reconciled
                    )
                )
                for step in level_steps
            }
            cases = Collection._create_cases(
                level_steps.company_id,
                partners_items,
                agency=level.collection_agency_id,
                histories={step.partner_id.id: step.id for step in level_steps},
                day=today,
            )
            for case in cases:
                case.history_id.collection_id = case

    def _suspend_service(self, today):
        """Suspend the service of the customers of the steps whose level says so, when the
        level's criteria hold: one aggregate query for the whole batch."""
        steps = self.filtered(lambda step: step.level_id.suspend_service)
        if not steps:
            return
        company = steps.company_id
        overdue = self._payment_followup_suspension_overdue(company, steps.partner_id.ids, today)
        currency = company.currency_id
        Partner = self.env["res.partner"]
        to_suspend = {}  # level: {partner_id: chatter text}
        for step in steps:
            level = step.level_id
            amount, oldest = overdue.get(step.partner_id.id, (0, None))
            if not level._suspends(amount, oldest, today):
                continue
            to_suspend.setdefault(level, {})[step.partner_id.id] = self.env._(
                "Service suspended by follow-up level %(level)s: %(amount)s overdue, the oldest "
                "item for %(days)s days. It is lifted automatically once every overdue invoice "
                "and every fee and interest document is paid.",
                level=level.name,
                amount=formatLang(self.env, float(amount), currency_obj=currency),
                days=(today - oldest).days if oldest else 0,
            )
        # A customer suspended already keeps its suspension as it is (date, reason, and a
        # suspension by hand stays one: it is not lifted automatically).
        suspended = set(
            Partner.browse({pid for notes in to_suspend.values() for pid in notes})
            .sudo()
            .filtered("payment_followup_suspended")
            .ids
        )
        for level, notes in to_suspend.items():
            customers = Partner.browse([pid for pid in notes if pid not in suspended])
            customers._payment_followup_suspend(
                self.env._(
                    "Overdue invoices not paid (follow-up level %(level)s of %(date)s).",
                    level=level.name,
                    date=format_date(self.env, today),
                ),
                level=level,
                notes=notes,
                today=today,
            )

    @api.model
    def _payment_followup_suspension_overdue(self, company, partner_ids, today):
        """``{partner_id: (overdue amount, oldest due date)}`` of the customers in ``company``
        on ``today``: their overdue items that are not blocked, less their unapplied credit.
        The amount is a ``Decimal`` (PostgreSQL's numeric), for ``policy.suspension``.

        Plain SQL, one query; bypasses record rules and filters by company itself.
        """
        self.env["account.move.line"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       SUM(CASE WHEN l.amount_residual < 0
                                  OR COALESCE(l.date_maturity, l.date) < %(today)s
                                THEN l.amount_residual ELSE 0 END),
                       MIN(CASE WHEN l.amount_residual > 0
                                 AND COALESCE(l.date_maturity, l.date) < %(today)s
                                THEN COALESCE(l.date_maturity, l.date) END)
                  FROM account_move_line l
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE %(open_item)s
                   AND l.partner_id IN (
                       SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%(partners)s))
                   AND NOT COALESCE(l.payment_followup_blocked, FALSE)
                 GROUP BY p.commercial_partner_id
                """,
                open_item=self.env["account.move.line"]._payment_followup_open_receivable_sql(
                    "l", company
                ),
                company=company.id,
                partners=list(partner_ids),
                today=today,
            )
        )
        return {pid: (amount or 0, oldest) for pid, amount, oldest in self.env.cr.fetchall()}
