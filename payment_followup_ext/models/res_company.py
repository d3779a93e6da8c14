from odoo import fields, models
from odoo.exceptions import UserError

# Income accounts of the German charts for what a follow-up charges: no turnover, no VAT.
# SKR03 2650 / SKR04 7100: Sonstige Zinsen und ähnliche Erträge;
# SKR03 2700 / SKR04 4830: sonstige Erträge (dunning fees, flat fees).
CHART_ACCOUNTS = {
    "de_skr03": {"interest": "2650", "fee": "2700", "flat_fee": "2700"},
    "de_skr04": {"interest": "7100", "fee": "4830", "flat_fee": "4830"},
}
PRODUCTS = {
    "fee": "payment_followup_ext.product_dunning_fee",
    "interest": "payment_followup_ext.product_late_interest",
    "flat_fee": "payment_followup_ext.product_flat_fee",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    payment_followup_charge_journal_id = fields.Many2one(
        "account.journal",
        string="Journal for Fees and Interest",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Where the follow-up books its dunning fees and late interest. Empty: the first "
        "sales journal.",
    )
    payment_followup_fee_account_id = fields.Many2one(
        "account.account",
        string="Account for Dunning Fees",
        domain="[('deprecated', '=', False)]",
        check_company=True,
        help="Empty: SKR03 2700 / SKR04 4830 when the German chart is installed, else the "
        "product's income account.",
    )
    payment_followup_interest_account_id = fields.Many2one(
        "account.account",
        string="Account for Late Interest",
        domain="[('deprecated', '=', False)]",
        check_company=True,
        help="Empty: SKR03 2650 / SKR04 7100 when the German chart is installed, else the "
        "product's income account.",
    )
    payment_followup_charge_due_days = fields.Integer(
        string="Fees Due In (Days)",
        default=14,
        help="Days from the follow-up date to the due date of its fee and interest document.",
    )

    def _payment_followup_charge_journal(self):
        self.ensure_one()
        journal = self.payment_followup_charge_journal_id or self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.id)], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no sales journal to book follow-up fees and "
                    "interest. Create one, or choose a journal in the Invoicing settings.",
                    company=self.name,
                )
            )
        return journal

    def _payment_followup_charge_products(self):
        return {kind: self.env.ref(xmlid) for kind, xmlid in PRODUCTS.items()}

    def _payment_followup_charge_accounts(self):
        """``{kind: account or empty}``: the company's choice, else the German chart's account,
        else empty (the product's income account applies)."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        codes = CHART_ACCOUNTS.get(self.chart_template, {})
        chosen = {
            "fee": self.payment_followup_fee_account_id,
            "flat_fee": self.payment_followup_fee_account_id,
            "interest": self.payment_followup_interest_account_id,
        }
        accounts = {}
        for kind, account in chosen.items():
            if not account and kind in codes:
                account = Account.search(
                    [*Account._check_company_domain(self), ("code", "=", codes[kind])], limit=1
                )
            accounts[kind] = account
        return accounts
