from datetime import date

from odoo import api, models

from ...policy import limitation as limitation_policy


class PaymentFollowupRun(models.AbstractModel):
    _inherit = "payment.followup.run"

    @api.model
    def _warn_limitation(self, company, today):
        """From 1 November to 31 December: one to-do a year for the accounting manager of
        ``company`` with the open claims that become time-barred at the end of the year (§§ 195,
        199 BGB) and are not suspended yet: customer, invoice, amount and limitation date, their
        total, and what to do (apply for a court dunning order before 31 December, § 204(1)
        no. 3 BGB). Never a second while the year's to-do is open; on the company's contact."""
        if not limitation_policy.warning_due(today):
            return
        first, last = limitation_policy.year_end_window(today)
        Activity = self.env["mail.activity"].sudo()
        activity_type = self.env.ref("payment_followup_ext.mail_activity_type_limitation")
        partner = company.partner_id
        if Activity.search_count(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("date_deadline", ">=", date(today.year, 1, 1)),
                ("date_deadline", "<=", last),
            ],
            limit=1,
        ):
            return
        Line = self.env["account.move.line"]
        found = Line._payment_followup_limitations(company, today)
        claims = [
            (line_id, residual, result)
            for line_id, (_customer, _move, residual, result) in found.items()
            if result.state == limitation_policy.RUNNING and first <= result.date <= last
        ]
        if not claims:
            return
        manager = self.env["payment.followup.history"]._payment_followup_manager(company)
        env = self.with_context(lang=manager.lang or self.env.lang).env
        lines = env["account.move.line"].sudo().browse([line_id for line_id, _r, _l in claims])
        by_line = {line_id: (residual, result) for line_id, residual, result in claims}
        rows = [
            {
                "customer": line.partner_id.commercial_partner_id.name,
                "invoice": line.move_id.name,
                "amount": by_line[line.id][0],
                "date": by_line[line.id][1].date,
            }
            for line in lines.sorted(
                lambda line: (by_line[line.id][1].date, line.partner_id.commercial_partner_id.name)
            )
        ]
        total = company.currency_id.round(sum(row["amount"] for row in rows))
        note = env["ir.qweb"]._render(
            "payment_followup_ext.limitation_activity_note",
            {
                "rows": rows,
                "total": total,
                "currency": company.currency_id,
                "last": last,
                "company": company,
            },
        )
        Activity.create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "summary": env._(
                    "%(count)s claims become time-barred on 31 December %(year)s",
                    count=len(rows),
                    year=today.year,
                ),
                "note": note,
                "user_id": manager.id,
                "date_deadline": min(row["date"] for row in rows),
            }
        )
