import csv
import io
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..policy import charges as charges_policy
from ..policy import court_order as court_policy
from ..policy import interest as interest_policy

# The claim types of the court dunning procedure's catalogue (Katalog der Anspruchsarten of
# the Mahngerichte) that invoices of goods and services use: (number, name).
CLAIM_TYPES = [
    ("11", "Purchase contract (Kaufvertrag)"),
    ("5", "Service contract (Dienstleistungsvertrag)"),
    ("8", "Craftsman's work (Handwerkerleistung)"),
]


class PaymentFollowupCollection(models.Model):
    """A claim handed over to a collection agency, a lawyer or the court dunning procedure.

    It holds the items handed over and gives the claim statement (Forderungsaufstellung):
    principal per invoice, fees, interest per period, flat fees, payments received, total. While
    it is handed over, its items get no reminder; withdrawn, they return to the follow-up.
    """

    _name = "payment.followup.collection"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "payment.followup.guarded.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, default=lambda self: self.env._("New"), copy=False
    )
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Handed Over On", required=True, default=fields.Date.context_today, tracking=True
    )
    state = fields.Selection(
        [
            ("handed_over", "Handed Over"),
            ("paid", "Paid"),
            ("written_off", "Written Off"),
            ("withdrawn", "Withdrawn"),
        ],
        default="handed_over",
        required=True,
        tracking=True,
    )
    agency_id = fields.Many2one(
        "res.partner", string="Agency / Lawyer", tracking=True, help="Who collects the claim."
    )
    agency_reference = fields.Char(string="Their Reference", tracking=True)
    history_id = fields.Many2one(
        "payment.followup.history", string="Follow-up Step", readonly=True, ondelete="set null"
    )
    item_ids = fields.Many2many(
        "account.move.line",
        "payment_followup_collection_line_rel",
        "collection_id",
        "line_id",
        string="Items",
        check_company=True,
    )
    amount_principal = fields.Monetary(string="Principal Open", compute="_compute_amounts")
    amount_costs = fields.Monetary(string="Fees and Interest Open", compute="_compute_amounts")
    amount_total = fields.Monetary(string="Total Claim", compute="_compute_amounts")
    note = fields.Html()
    write_off_move_ids = fields.Many2many(
        "account.move",
        "payment_followup_collection_write_off_rel",
        "collection_id",
        "move_id",
        string="Write-off Entries",
        readonly=True,
        copy=False,
        help="The entries that booked the claim as a bad debt, with the VAT corrected.",
    )

    @api.depends("item_ids.amount_residual", "partner_id")
    def _compute_amounts(self):
        for case in self:
            if not case.partner_id or not case.item_ids:
                case.amount_principal = case.amount_costs = case.amount_total = 0.0
                continue
            statement = case._claim_statement()
            case.amount_principal = statement["principal_open"]
            case.amount_costs = statement["costs_open"]
            case.amount_total = statement["total"]

    # ------------------------------------------------------------------ the statement

    def _claim_statement(self):
        """The Forderungsaufstellung as plain values for the report and the CSV export.

        Claims are the handed-over invoices (not the follow-up's own charge documents): amount,
        payments, open, first day of default. Costs are the charges booked on the handed-over
        charge documents (fees, interest per period, flat fees); what was paid on those is a
        payment. The total is what the handed-over items are still open: the same figure the
        follow-up letter of the step shows.
        """
        self.ensure_one()
        items = self.item_ids
        charge_items = items.filtered(lambda line: line.move_id._payment_followup_is_charge())
        claims = []
        claim_items = (items - charge_items).sorted(
            lambda line: (line.date_maturity or line.date, line.id)
        )
        years = {(line.date_maturity or line.date).year for line in claim_items}
        holidays = (
            self.env["payment.followup.charge"]._holidays(
                self.company_id, years | {year + 1 for year in years}
            )
            if years
            else frozenset()
        )
        consumer = self.partner_id.commercial_partner_id._payment_followup_is_consumer()
        facts = claim_items._payment_followup_default_facts(holidays=holidays)
        for line in claim_items:
            due = line.date_maturity or line.date
            claim = charges_policy.Claim(
                key=line.id,
                amount=Decimal(str(line.balance)),
                open=Decimal(str(line.amount_residual)),
                due_date=due,
                **facts[line.id],
            )
            claims.append(
                {
                    "line": line,
                    "invoice": line.move_id.name,
                    "invoice_date": line.move_id.invoice_date or line.date,
                    "due_date": due,
                    "interest_from": charges_policy.claim_default_start(
                        claim, consumer=consumer, holidays=holidays
                    ),
                    "amount": line.balance,
                    "paid": line.balance - line.amount_residual,
                    "open": line.amount_residual,
                }
            )
        # The fees and interest of the claim: those of the documents handed over, and those
        # charged on its invoices (documents paid already included: they show the allocation).
        charges = (
            self.env["payment.followup.charge"]
            .search(
                [
                    "|",
                    ("move_id", "in", charge_items.move_id.ids),
                    ("line_id", "in", claim_items.ids),
                ]
            )
            .sorted(lambda c: (c.date, c.kind, c.line_id.id, c.date_from or c.date))
        )
        documents = (charges.move_id | charge_items.move_id).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        charges_paid = sum(documents.mapped("balance")) - sum(documents.mapped("amount_residual"))
        principal_open = sum(claim["open"] for claim in claims)
        costs_open = sum(documents.mapped("amount_residual"))
        # § 367(1) BGB: what was paid on the documents of fees and interest went to the costs
        # (fees, flat fees) first, then to the interest.
        interest = charges.filtered(lambda c: c.kind == "interest")
        allocation = charges_policy.allocate(
            self._decimal(charges_paid),
            costs=self._decimal(sum((charges - interest).mapped("amount"))),
            interest=self._decimal(sum(interest.mapped("amount"))),
        )
        return {
            "claims": claims,
            "charges": charges,
            "charges_total": sum(charges.mapped("amount")),
            "charges_paid": charges_paid,
            "paid_costs": float(allocation.costs),
            "paid_interest": float(allocation.interest),
            "paid_principal": self.currency_id.round(sum(claim["paid"] for claim in claims)),
            "principal_open": principal_open,
            "costs_open": costs_open,
            "total": self.currency_id.round(principal_open + costs_open),
        }

    def _decimal(self, amount):
        """``amount`` rounded to the company's currency, as a ``Decimal`` for ``policy/``."""
        return Decimal(str(self.currency_id.round(amount)))

    # ------------------------------------------------------------------ actions

    @api.model_create_multi
    def create(self, vals_list):
        """A case gets its number from the sequence and is noted in the debtor's chatter, whether
        a level, the server action or an accountant (New) opens it."""
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "payment.followup.collection"
                ) or self.env._("New")
        cases = super().create(vals_list)
        for case in cases:
            if not case.item_ids:
                raise UserError(
                    self.env._(
                        "Collection case %(case)s lists no item: choose the open items of "
                        "%(debtor)s that are handed over.",
                        case=case.name,
                        debtor=case.partner_id.display_name,
                    )
                )
            case.partner_id._payment_followup_post(
                case.company_id,
                self.env._(
                    "Claim handed over to collection (%(case)s): %(total)s.",
                    case=case.name,
                    total=case.currency_id.format(case.amount_total),
                ),
            )
        return cases

    @api.onchange("partner_id", "company_id")
    def _onchange_partner_id_items(self):
        """A new case starts with every overdue item of the debtor that is not blocked."""
        if self._origin.id or not self.partner_id:
            return
        Line = self.env["account.move.line"]
        self.item_ids = Line.search(
            [
                *Line._payment_followup_open_receivable_domain(self.company_id),
                ("partner_id.commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("amount_residual", ">", 0),
                ("payment_followup_blocked", "=", False),
                ("date_maturity", "<", self.date or fields.Date.context_today(self)),
            ]
        )

    @api.model
    def _create_cases(self, company, partners_items, agency=None, histories=None, day=None):
        """One case per customer over ``partners_items`` (``{partner: move lines}``)."""
        histories = histories or {}
        day = day or fields.Date.context_today(self)
        return self.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date": day,
                    "agency_id": agency.id if agency else False,
                    "history_id": histories.get(partner.id, False),
                    "item_ids": [Command.set(items.ids)],
                }
                for partner, items in partners_items.items()
                if items
            ]
        )

    def _payment_followup_guarded(self, vals):
        guarded = {"state", "write_off_move_ids"} & set(vals)
        if self.filtered(lambda case: case.state != "handed_over"):
            guarded |= {"item_ids", "partner_id", "company_id"} & set(vals)
        return guarded

    def _close(self, state):
        for case in self:
            if case.state != "handed_over":
                raise UserError(
                    self.env._("Collection case %(case)s is closed already.", case=case.name)
                )
            case.sudo().state = state
            case.partner_id._payment_followup_post(case.company_id, case._close_message())

    def _close_message(self):
        if self.state == "paid":
            return self.env._("Collection case %(case)s: the claim was paid.", case=self.name)
        if self.state == "written_off":
            return self.env._(
                "Collection case %(case)s: the claim was written off.", case=self.name
            )
        return self.env._(
            "Collection case %(case)s withdrawn: the items return to the follow-up.",
            case=self.name,
        )

    def action_paid(self):
        self._close("paid")

    def action_written_off(self):
        """The claim is lost: book its open items as bad debts, with the VAT of the invoices
        corrected (§ 17(2) no. 1 UStG), and close the case. The items are reconciled with the
        write-off, so they leave the follow-up for good. For accounting managers."""
        if not self.env.su and not self.env.user.has_group("account.group_account_manager"):
            raise UserError(
                self.env._("Only accounting managers can write off a claim as a bad debt.")
            )
        for case in self:
            if case.state != "handed_over":
                raise UserError(
                    self.env._("Collection case %(case)s is closed already.", case=case.name)
                )
            case.sudo().write_off_move_ids = case._book_write_off()
        self._close("written_off")

    def _book_write_off(self):
        """One posted entry per open item of the case: the item's open amount credited to the
        receivable (and reconciled), debited to the bad-debt account (SKR03 2400 / SKR04 6930)
        split by the invoice's taxes, whose share of the VAT Odoo books back on the tax accounts
        with the refund tags of the VAT return. Fee and interest documents carry no VAT."""
        self.ensure_one()
        company = self.company_id
        items = self.item_ids.filtered(
            lambda line: (
                not line.reconciled
                and company.currency_id.compare_amounts(line.amount_residual, 0) > 0
            )
        )
        if not items:
            return self.env["account.move"]
        account = company._payment_followup_charge_accounts()["bad_debt"]
        Journal = self.env["account.journal"]
        journal = Journal.search(
            [*Journal._check_company_domain(company), ("type", "=", "general")], limit=1
        )
        if not account or not journal:
            raise UserError(
                self.env._(
                    "To write off the claim, %(company)s needs a miscellaneous journal and an "
                    "account for bad debts: choose the account in the Invoicing settings "
                    "(Follow-up Fees and Interest).",
                    company=company.name,
                )
            )
        today = fields.Date.context_today(self)
        moves = self.env["account.move"]
        for item in items:
            move = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "entry",
                        "journal_id": journal.id,
                        "date": today,
                        "ref": self.env._(
                            "Bad debt %(document)s, collection case %(case)s",
                            document=item.move_id.name,
                            case=self.name,
                        ),
                        "line_ids": self._write_off_lines(item, account),
                    }
                )
            )
            move.action_post()
            (
                item | move.line_ids.filtered(lambda line, i=item: line.account_id == i.account_id)
            ).reconcile()
            moves |= move
        return moves

    def _write_off_lines(self, item, account):
        """The line commands of the write-off of ``item`` (see ``_book_write_off``)."""
        currency = self.company_id.currency_id
        invoice = item.move_id
        residual = item.amount_residual
        label = self.env._("Bad debt %(document)s", document=invoice.name)
        lines = [
            Command.create(
                {
                    "account_id": item.account_id.id,
                    "partner_id": item.partner_id.id,
                    "name": label,
                    "balance": -residual,
                    "currency_id": item.currency_id.id,
                    "amount_currency": -item.amount_residual_currency,
                }
            )
        ]
        bases = {}
        if not invoice._payment_followup_is_charge() and invoice.is_sale_document():
            total = invoice.amount_total_signed
            for line in invoice.invoice_line_ids.filtered(
                lambda product: product.display_type == "product"
            ):
                bases[line.tax_ids] = bases.get(line.tax_ids, 0.0) - line.balance
            ratio = residual / total if total else 0.0
            bases = {taxes: currency.round(base * ratio) for taxes, base in bases.items()}
        booked = 0.0
        for taxes, base in bases.items():
            if currency.is_zero(base):
                continue
            booked += (
                taxes.compute_all(base, currency=currency, partner=item.partner_id)[
                    "total_included"
                ]
                if taxes
                else base
            )
            lines.append(
                Command.create(
                    {
                        "account_id": account.id,
                        "partner_id": item.partner_id.id,
                        "name": label,
                        "balance": base,
                        "tax_ids": [Command.set(taxes.ids)],
                    }
                )
            )
        rest = currency.round(residual - booked)
        if not currency.is_zero(rest):  # no VAT in it: fees and interest, or rounding
            lines.append(
                Command.create(
                    {
                        "account_id": account.id,
                        "partner_id": item.partner_id.id,
                        "name": label,
                        "balance": rest,
                    }
                )
            )
        return lines

    def action_withdraw(self):
        """Back to the normal follow-up: the items get reminders again."""
        self._close("withdrawn")

    def action_print_statement(self):
        return self.env.ref(
            "payment_followup_ext.action_report_collection_statement"
        ).report_action(self)

    def action_export_csv(self):
        """The claim statement as CSV (agency import, online court dunning application)."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Claim statement %(case)s.csv", case=self.name).replace(
                    "/", "-"
                ),
                "raw": self._statement_csv(),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _statement_csv(self):
        """Semicolon-separated, UTF-8 with BOM, decimal point: one row per claim, charge and
        payment, with the debtor and the Mahnantrag fields (claim, dates, interest from, rate)."""
        self.ensure_one()
        statement = self._claim_statement()
        debtor = self.partner_id.commercial_partner_id
        head = [
            self.env._("Case"),
            self.env._("Debtor"),
            self.env._("Street"),
            self.env._("ZIP"),
            self.env._("City"),
            self.env._("Country"),
            self.env._("Type"),
            self.env._("Document"),
            self.env._("Document Date"),
            self.env._("Due Date"),
            self.env._("Interest From"),
            self.env._("Interest To"),
            self.env._("Rate (% p.a.)"),
            self.env._("Amount"),
        ]
        base = [
            self.name,
            debtor.name,
            " ".join(filter(None, [debtor.street, debtor.street2])),
            debtor.zip or "",
            debtor.city or "",
            debtor.country_id.code or "",
        ]

        def money(amount):
            return f"{self.currency_id.round(amount):.2f}"

        rows = []
        for claim in statement["claims"]:
            rows.append(
                [
                    *base,
                    self.env._("Principal"),
                    claim["invoice"],
                    str(claim["invoice_date"]),
                    str(claim["due_date"]),
                    str(claim["interest_from"] or ""),
                    "",
                    "",
                    money(claim["amount"]),
                ]
            )
            if claim["paid"]:
                rows.append(
                    [
                        *base,
                        self.env._("Payment"),
                        claim["invoice"],
                        "",
                        "",
                        "",
                        "",
                        "",
                        money(-claim["paid"]),
                    ]
                )
        kinds = dict(
            self.env["payment.followup.charge"]._fields["kind"]._description_selection(self.env)
        )
        for charge in statement["charges"]:
            rows.append(
                [
                    *base,
                    kinds[charge.kind],
                    charge.move_id.name or "",
                    str(charge.date),
                    "",
                    str(charge.date_from or ""),
                    str(charge.date_to or ""),
                    f"{charge.rate:.2f}" if charge.kind == "interest" else "",
                    money(charge.amount),
                ]
            )
        for key, label in (
            ("paid_costs", self.env._("Payment on costs")),
            ("paid_interest", self.env._("Payment on interest")),
        ):
            if statement[key]:
                rows.append([*base, label, "", "", "", "", "", "", money(-statement[key])])
        rows.append([*base, self.env._("Total"), "", "", "", "", "", "", money(statement["total"])])
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(head)
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Claim statement %(case)s", case=self.name)

    # ------------------------------------------------------------------ court dunning order

    court_order_date = fields.Date(
        string="Court Dunning Order Applied For On",
        tracking=True,
        copy=False,
        help="The day the court dunning order (Mahnbescheid) was applied for. Its delivery "
        "suspends the limitation of the case's claims while the proceedings run (§ 204(1) no. 3 "
        "BGB): the limitation monitor shows them as suspended, not as time-barred.",
    )
    court_claim_type = fields.Selection(
        CLAIM_TYPES,
        string="Claim Type (Catalogue No.)",
        default="11",
        required=True,
        help="The claim type of the court dunning application's catalogue for the invoices of "
        "this case.",
    )
    court_other_costs = fields.Monetary(
        string="Other Costs",
        help="Further costs claimed in the court dunning order, e.g. the collection agency's "
        "costs (Inkassokosten), beyond the fees, interest and flat fee of the claim statement.",
    )

    # ------------------------------------------------------------------ the data sheet

    def _court_sheet(self):
        """The court dunning order application (Online-Mahnantrag) of this case as plain values,
        laid out as the court form asks for them. Built from the claim statement
        (``_claim_statement``), never computed differently: the main claims are the
        statement's open amounts per invoice (after the payments allocated by § 367 BGB), the
        calculated interest and the costs are the statement's charges less what was paid on
        them, running interest continues from the day after the interest charged (or from the
        first day of default).

        Works on a saved case and on an unsaved one (``res.partner``'s sheet of a customer).
        """
        self.ensure_one()
        company = self.company_id
        currency = self.currency_id
        if not (company.street and company.zip and company.city):
            raise UserError(
                self.env._(
                    "The court dunning application needs the applicant's address: enter the "
                    "street, ZIP and city of %(company)s in its settings.",
                    company=company.name,
                )
            )
        statement = self._claim_statement()
        debtor = self.partner_id.commercial_partner_id
        debtor_company = debtor.with_company(company)
        consumer = debtor._payment_followup_is_consumer()
        regime = debtor_company.payment_followup_interest_regime or "statutory"
        charges = statement["charges"]
        interest = charges.filtered(lambda c: c.kind == "interest")
        booked_to = {}
        for charge in interest:
            last = charge.date_to or charge.date
            if charge.line_id.id not in booked_to or last > booked_to[charge.line_id.id]:
                booked_to[charge.line_id.id] = last
        claim_type = dict(self._fields["court_claim_type"]._description_selection(self.env))[
            self.court_claim_type or "11"
        ]
        claims = []
        for claim in statement["claims"]:
            if currency.compare_amounts(claim["open"], 0) <= 0:
                continue
            start = court_policy.running_interest_from(
                claim["interest_from"], booked_to.get(claim["line"].id)
            )
            if regime == "none" or not start:
                rate = None
            elif regime == "contractual":
                rate = {
                    "kind": "fixed",
                    "rate": debtor_company.payment_followup_interest_rate,
                    "from": start,
                }
            else:
                points = interest_policy.CONSUMER_POINTS if consumer else interest_policy.B2B_POINTS
                rate = {"kind": "base_rate", "points": int(points), "from": start}
            claims.append(
                {
                    "catalogue": self.court_claim_type or "11",
                    "claim_type": claim_type,
                    "description": self.env._(
                        "Invoice %(number)s of %(date)s",
                        number=claim["invoice"],
                        date=format_date(self.env, claim["invoice_date"]),
                    ),
                    "invoice": claim["invoice"],
                    "date": claim["invoice_date"],
                    "due_date": claim["due_date"],
                    "amount": claim["open"],
                    "interest": rate,
                    "interest_text": self._court_interest_text(rate),
                }
            )

        def dec(amount):
            return Decimal(str(currency.round(amount)))

        fees = sum(charges.filtered(lambda c: c.kind == "fee").mapped("amount"))
        flat_fee = sum(
            charges.filtered(lambda c: c.kind in ("flat_fee", "flat_fee_credit")).mapped("amount")
        )
        costs = court_policy.open_costs(
            dec(fees), max(dec(flat_fee), Decimal(0)), dec(statement["paid_costs"])
        )
        interest_open = currency.round(sum(interest.mapped("amount")) - statement["paid_interest"])
        first, last = court_policy.period(
            [c.date_from or c.date for c in interest] + [c.date_to or c.date for c in interest]
        )
        sheet = {
            "case": self,
            "currency": currency,
            "date": fields.Date.context_today(self),
            "applicant": self._court_party(company.partner_id)
            | {"registry": company.company_registry or "", "vat": company.vat or ""},
            "respondent": self._court_party(debtor) | {"consumer": consumer},
            "claims": claims,
            "interest_amount": interest_open,
            "interest_period": (first, last),
            "fees": float(costs.fees),
            "flat_fee": float(costs.flat_fee),
            "other_costs": self.court_other_costs or 0.0,
        }
        sheet["principal"] = currency.round(sum(claim["amount"] for claim in claims))
        sheet["total"] = currency.round(
            sheet["principal"]
            + interest_open
            + sheet["fees"]
            + sheet["flat_fee"]
            + sheet["other_costs"]
        )
        if currency.compare_amounts(sheet["total"], 0) <= 0 or not claims:
            raise UserError(
                self.env._(
                    "%(debtor)s owes nothing that a court dunning order could claim: no "
                    "overdue invoice is open.",
                    debtor=debtor.display_name,
                )
            )
        return sheet

    def _court_party(self, partner):
        return {
            "name": partner.name or "",
            "street": " ".join(filter(None, [partner.street, partner.street2])),
            "zip": partner.zip or "",
            "city": partner.city or "",
            "country": partner.country_id.name or "",
            "company": partner.is_company,
        }

    def _court_interest_text(self, rate):
        """The interest of a claim in the words of the court form."""
        if not rate:
            return ""
        if rate["kind"] == "fixed":
            percent = f"{rate['rate']:.2f}"
            return self.env._(
                "%(rate)s %% per year since %(date)s",
                rate=percent,
                date=format_date(self.env, rate["from"]),
            )
        return self.env._(
            "%(points)s percentage points above the base rate since %(date)s",
            points=rate["points"],
            date=format_date(self.env, rate["from"]),
        )

    def _court_sheet_csv(self):
        """The data sheet as CSV: one row per field of the court form (section, field, value),
        semicolon-separated, UTF-8 with BOM, amounts with a decimal point and dates as
        YYYY-MM-DD, as the claim statement's CSV."""
        sheet = self._court_sheet()

        def money(amount):
            return f"{sheet['currency'].round(amount):.2f}"

        rows = []
        for section, party in (
            (self.env._("Applicant"), sheet["applicant"]),
            (self.env._("Respondent"), sheet["respondent"]),
        ):
            rows += [
                [section, self.env._("Name"), party["name"]],
                [section, self.env._("Street"), party["street"]],
                [section, self.env._("ZIP"), party["zip"]],
                [section, self.env._("City"), party["city"]],
                [section, self.env._("Country"), party["country"]],
            ]
        rows += [
            [
                self.env._("Applicant"),
                self.env._("Commercial Register"),
                sheet["applicant"]["registry"],
            ],
            [self.env._("Applicant"), self.env._("VAT ID"), sheet["applicant"]["vat"]],
            [
                self.env._("Respondent"),
                self.env._("Consumer"),
                self.env._("yes") if sheet["respondent"]["consumer"] else self.env._("no"),
            ],
        ]
        for index, claim in enumerate(sheet["claims"], start=1):
            section = self.env._("Main claim %(number)s", number=index)
            rows += [
                [section, self.env._("Catalogue No."), claim["catalogue"]],
                [section, self.env._("Claim Type"), claim["claim_type"]],
                [section, self.env._("Invoice"), claim["description"]],
                [section, self.env._("Date"), str(claim["date"])],
                [section, self.env._("Amount"), money(claim["amount"])],
            ]
            rate = claim["interest"]
            if rate:
                rows += [
                    [section, self.env._("Running Interest"), claim["interest_text"]],
                    [
                        section,
                        self.env._("Percentage Points above Base Rate")
                        if rate["kind"] == "base_rate"
                        else self.env._("Interest Rate (% p.a.)"),
                        str(rate["points"])
                        if rate["kind"] == "base_rate"
                        else f"{rate['rate']:.2f}",
                    ],
                    [section, self.env._("Interest From"), str(rate["from"])],
                ]
        first, last = sheet["interest_period"]
        rows += [
            [
                self.env._("Calculated Interest"),
                self.env._("Amount"),
                money(sheet["interest_amount"]),
            ],
            [self.env._("Calculated Interest"), self.env._("From"), str(first or "")],
            [self.env._("Calculated Interest"), self.env._("To"), str(last or "")],
            [self.env._("Costs"), self.env._("Dunning Costs"), money(sheet["fees"])],
            [self.env._("Costs"), self.env._("Flat Fee (§ 288(5) BGB)"), money(sheet["flat_fee"])],
            [self.env._("Costs"), self.env._("Other Costs"), money(sheet["other_costs"])],
            [self.env._("Total"), self.env._("Main Claims"), money(sheet["principal"])],
            [self.env._("Total"), self.env._("Total"), money(sheet["total"])],
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([self.env._("Section"), self.env._("Field"), self.env._("Value")])
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def _court_sheet_filename(self, extension):
        return (
            self.env._(
                "Court dunning order %(debtor)s", debtor=self.partner_id.commercial_partner_id.name
            ).replace("/", "-")
            + extension
        )

    def action_print_court_sheet(self):
        self.ensure_one()
        self._court_sheet()  # refuse before the report opens
        return self.env.ref("payment_followup_ext.action_report_court_order_case").report_action(
            self
        )

    def action_export_court_csv(self):
        self.ensure_one()
        return self._court_sheet_download(self._name, self.id)

    def _court_sheet_download(self, res_model, res_id):
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._court_sheet_filename(".csv"),
                "raw": self._court_sheet_csv(),
                "mimetype": "text/csv",
                "res_model": res_model,
                "res_id": res_id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
