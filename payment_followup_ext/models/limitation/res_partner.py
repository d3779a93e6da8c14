from odoo import Command, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _payment_followup_court_case(self, company=None):
        """An unsaved collection case over the customer's overdue items in ``company``: the
        court dunning order sheet of a customer is that of the case the customer would be
        handed over with (same claims, same claim statement), without opening one."""
        self.ensure_one()
        company = company or self.env.company
        Line = self.env["account.move.line"]
        today = fields.Date.context_today(self)
        items = Line.search(
            [
                *Line._payment_followup_open_receivable_domain(company),
                ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id),
                ("amount_residual", ">", 0),
                ("date_maturity", "<", today),
            ]
        )
        return self.env["payment.followup.collection"].new(
            {
                "partner_id": self.commercial_partner_id.id,
                "company_id": company.id,
                "date": today,
                "item_ids": [Command.set(items.ids)],
            }
        )

    def _payment_followup_court_sheet(self):
        """The court dunning order sheet of this customer (see ``_payment_followup_court_case``)."""
        return self._payment_followup_court_case()._court_sheet()

    def action_payment_followup_court_sheet(self):
        self.ensure_one()
        self._payment_followup_court_sheet()  # refuse before the report opens
        return self.env.ref(
            "payment_followup_ext.action_report_court_order_partner"
        ).report_action(self)

    def action_payment_followup_court_csv(self):
        self.ensure_one()
        return self._payment_followup_court_case()._court_sheet_download(self._name, self.id)
