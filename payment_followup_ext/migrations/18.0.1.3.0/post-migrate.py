"""18.0.1.3.0, after the update: the suspensions set before (one per customer) become
suspensions per company: a suspension set by a follow-up level in the level's company, one set
by hand in the customer's company, or in every company for a contact they share (as it was
effective before). The old columns are dropped."""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

SUFFIX = "_pre_company"


def migrate(cr, version):
    if not column_exists(cr, "res_partner", "payment_followup_suspended" + SUFFIX):
        return
    cr.execute(
        SQL(
            """
            WITH target AS (
                SELECT p.id AS partner_id, c.id::text AS company,
                       p.payment_followup_suspended_date_pre_company AS day,
                       p.payment_followup_suspension_reason_pre_company AS reason,
                       p.payment_followup_suspension_level_id_pre_company AS level
                  FROM res_partner p
                  LEFT JOIN payment_followup_level lv
                         ON lv.id = p.payment_followup_suspension_level_id_pre_company
                  JOIN res_company c
                    ON c.id = COALESCE(lv.company_id, p.company_id, c.id)
                 WHERE p.payment_followup_suspended_pre_company
            ), by_partner AS (
                SELECT partner_id,
                       jsonb_object_agg(company, true) AS suspended,
                       jsonb_object_agg(company, day) AS day,
                       jsonb_object_agg(company, reason) AS reason,
                       jsonb_object_agg(company, level) AS level
                  FROM target
                 GROUP BY partner_id
            )
            UPDATE res_partner p
               SET payment_followup_suspended = b.suspended,
                   payment_followup_suspended_date = b.day,
                   payment_followup_suspension_reason = b.reason,
                   payment_followup_suspension_level_id = b.level
              FROM by_partner b
             WHERE p.id = b.partner_id
            """
        )
    )
    _logger.info("payment_followup_ext: %s suspensions made per company", cr.rowcount)
    for column in (
        "payment_followup_suspended",
        "payment_followup_suspended_date",
        "payment_followup_suspension_reason",
        "payment_followup_suspension_level_id",
    ):
        cr.execute(
            SQL(
                "ALTER TABLE res_partner DROP COLUMN IF EXISTS %s",
                SQL.identifier(column + SUFFIX),
            )
        )
