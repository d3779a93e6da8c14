import csv
import io
from decimal import Decimal

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ...policy import court_order as court_policy
from ...policy import interest as interest_policy

# The claim types of the court dunning procedure's catalogue (Katalog der Anspruchsarten of
# the Mahngerichte) that invoices of goods and services use: (number, name).
CLAIM_TYPES = [
    ("11", "Purchase contract (Kaufvertrag)"),
    ("5", "Service contract (Dienstleistungsvertrag)"),
    ("44", "Contract for work (Werkvertrag/Werklieferungsvertrag)"),
    ("8", "Craftsman's work (Handwerkerleistung)"),
]


class PaymentFollowupCollection(models.Model):
    _inherit = "payment.followup.collection"

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
                points = (
                    interest_policy.CONSUMER_POINTS if consumer else interest_policy.B2B_POINTS
                )
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
        interest_open = currency.round(
            sum(interest.mapped("amount")) - statement["paid_interest"]
        )
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
            return self.env._(
                "%(rate)s %% per year since %(date)s",
                rate=f"{rate['rate']:.2f}",
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
        _ = self.env._

        def money(amount):
            return f"{sheet['currency'].round(amount):.2f}"

        rows = []
        for section, party in (
            (_("Applicant"), sheet["applicant"]),
            (_("Respondent"), sheet["respondent"]),
        ):
            rows += [
                [section, _("Name"), party["name"]],
                [section, _("Street"), party["street"]],
                [section, _("ZIP"), party["zip"]],
                [section, _("City"), party["city"]],
                [section, _("Country"), party["country"]],
            ]
        rows += [
            [_("Applicant"), _("Commercial Register"), sheet["applicant"]["registry"]],
            [_("Applicant"), _("VAT ID"), sheet["applicant"]["vat"]],
            [
                _("Respondent"),
                _("Consumer"),
                _("yes") if sheet["respondent"]["consumer"] else _("no"),
            ],
        ]
        for index, claim in enumerate(sheet["claims"], start=1):
            section = _("Main claim %(number)s", number=index)
            rows += [
                [section, _("Catalogue No."), claim["catalogue"]],
                [section, _("Claim Type"), claim["claim_type"]],
                [section, _("Invoice"), claim["description"]],
                [section, _("Date"), str(claim["date"])],
                [section, _("Amount"), money(claim["amount"])],
            ]
            rate = claim["interest"]
            if rate:
                rows += [
                    [section, _("Running Interest"), claim["interest_text"]],
                    [
                        section,
                        _("Percentage Points above Base Rate")
                        if rate["kind"] == "base_rate"
                        else _("Interest Rate (% p.a.)"),
                        str(rate["points"]) if rate["kind"] == "base_rate" else f"{rate['rate']:.2f}",
                    ],
                    [section, _("Interest From"), str(rate["from"])],
                ]
        first, last = sheet["interest_period"]
        rows += [
            [_("Calculated Interest"), _("Amount"), money(sheet["interest_amount"])],
            [_("Calculated Interest"), _("From"), str(first or "")],
            [_("Calculated Interest"), _("To"), str(last or "")],
            [_("Costs"), _("Dunning Costs"), money(sheet["fees"])],
            [_("Costs"), _("Flat Fee (§ 288(5) BGB)"), money(sheet["flat_fee"])],
            [_("Costs"), _("Other Costs"), money(sheet["other_costs"])],
            [_("Total"), _("Main Claims"), money(sheet["principal"])],
            [_("Total"), _("Total"), money(sheet["total"])],
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Section"), _("Field"), _("Value")])
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
