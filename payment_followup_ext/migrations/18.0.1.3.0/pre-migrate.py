"""18.0.1.3.0, before the module's new code is loaded: a customer's suspension became per
company (company-dependent fields, stored as JSON by company). The old columns are kept aside
under another name; ``post-migrate`` moves their values into the new ones."""

from odoo.tools import SQL

SUSPENSION_COLUMNS = (
    "payment_followup_suspended",
    "payment_followup_suspended_date",
    "payment_followup_suspension_reason",
    "payment_followup_suspension_level_id",
)
SUFFIX = "_pre_company"


def migrate(cr, version):
    for column in SUSPENSION_COLUMNS:
        cr.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'res_partner' AND column_name = %s",
            [column],
        )
        row = cr.fetchone()
        if row and row[0] != "jsonb":
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner RENAME COLUMN %s TO %s",
                    SQL.identifier(column),
                    SQL.identifier(column + SUFFIX),
                )
            )
