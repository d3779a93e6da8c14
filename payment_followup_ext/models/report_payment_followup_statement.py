from decimal import Decimal

from odoo import api, fields, models

from ..policy import statement as statement_policy


class ReportPaymentFollowupStatement(models.AbstractModel):
    """The statement of account (Kontoauszug / Offene-Posten-Liste) of customers: every open
    item of their account in the current company (invoices, fee and interest documents, and as
    negative amounts credit notes and payments not yet applied) with days overdue, the age
    buckets and the balance (``policy.statement``).

    Values of ``data``: ``overdue_only`` (leave out the claims not yet due) and ``date`` (the
    day of the statement, ISO; default today, the run gives its step's day).
    """

    _name = "report.payment_followup_ext.report_followup_statement"
    _description = "Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        # Printed with data (the print dialog's option), the web client sends the customers'
        # ids in the data's context, not in the URL.
        docids = docids or (data.get("context") or {}).get("active_ids") or []
        docs = self.env["res.partner"].browse(docids)
        day = fields.Date.to_date(data.get("date")) or fields.Date.context_today(self)
        overdue_only = bool(data.get("overdue_only"))
        company = self.env.company
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": docs,
            "company": company,
            "statements": self._statements(docs.commercial_partner_id, company, day, overdue_only),
            "statement_date": day,
            "overdue_only": overdue_only,
        }

    @api.model
    def _statements(self, customers, company, day, overdue_only=False):
        """``{customer id: {...}}``: the statement of account of each of ``customers``
        (commercial entities) in ``company`` on ``day``; one search for all of them.

        Each statement: ``rows`` (``(account.move.line, policy.statement.Line, kind)``, by due
        date), ``buckets`` (five floats: not due, 1-30, 31-60, 61-90, > 90 days), ``balance``,
        ``recipient`` (who receives the reminders) and ``address_lines``/``sender_line`` of the
        letter's address field."""
        Line = self.env["account.move.line"]
        lines = Line.search(
            [
                *Line._payment_followup_open_receivable_domain(company),
                ("partner_id", "child_of", customers.ids),
            ],
            order="date_maturity, date, id",
        )
        by_customer = lines.grouped(lambda line: line.partner_id.commercial_partner_id)
        recipients = self.env["payment.followup.run"]._recipients(customers)
        History = self.env["payment.followup.history"]
        result = {}
        for customer in customers:
            items = by_customer.get(customer, Line)
            entries = [
                statement_policy.Entry(
                    key=line.id,
                    due_date=line.date_maturity or line.date,
                    amount=Decimal(str(line.balance)),
                    residual=Decimal(str(line.amount_residual)),
                )
                for line in items
            ]
            computed = statement_policy.statement(entries, day, overdue_only)
            line_of = {line.id: line for line in items}
            recipient = recipients[customer.id]
            letter = History.new({"partner_id": customer.id, "company_id": company.id})
            result[customer.id] = {
                "rows": [
                    (line_of[row.key], row, self._kind(line_of[row.key])) for row in computed.lines
                ],
                "buckets": [float(amount) for amount in computed.buckets],
                "balance": float(computed.balance),
                "recipient": recipient,
                "address_lines": letter._letter_address_lines(customer, recipient),
                "sender_line": letter._letter_sender_line(customer, recipient),
            }
        return result

    @api.model
    def _kind(self, line):
        """What the item is (the statement names it in the customer's language): invoice,
        charge (fees and interest), refund, payment or entry."""
        move = line.move_id
        if move.move_type == "out_invoice":
            return "charge" if move._payment_followup_is_charge() else "invoice"
        if move.move_type == "out_refund":
            return "refund"
        if move.origin_payment_id or move.statement_line_id:
            return "payment"
        return "entry"
