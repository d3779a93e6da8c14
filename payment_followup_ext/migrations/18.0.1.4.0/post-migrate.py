"""18.0.1.4.0: the add-on's mail templates (noupdate) where they still hold the old expressions:

- the payment deadline is the step's own date (``payment.followup.history.payment_deadline``,
  from the level's payment days), the date the letter prints too, instead of a number of days
  written into each template;
- the payment reference names every document in the total: the listed invoices and the step's
  fee and interest document.

Templates changed otherwise keep their text. A level keeps the deadline its template gave: the
days written into the template become the level's ``payment_deadline_days`` (where it has none
yet), and the steps made before get their deadline from them."""

import re

from odoo.tools import SQL

OLD_DEADLINE = r"format_date\(object\.date \+ relativedelta\(days=[0-9]+\)\)"
NEW_DEADLINE = "object.payment_deadline and format_date(object.payment_deadline)"
OLD_REFERENCES = "move.payment_reference or move.name for move in lines.move_id)"
NEW_REFERENCES = (
    "move.payment_reference or move.name for move in lines.move_id"
    " | object.charge_move_id.filtered(lambda move: move.state == 'posted'))"
)
OURS = SQL(
    "id IN (SELECT res_id FROM ir_model_data WHERE module = 'payment_followup_ext'"
    " AND model = 'mail.template')"
)


def _deadline_days_from_templates(cr):
    cr.execute(
        SQL(
            "SELECT id, body_html->>'en_US' FROM mail_template WHERE %(ours)s"
            " AND body_html::text ~ %(old)s",
            ours=OURS,
            old=OLD_DEADLINE,
        )
    )
    for template_id, body in cr.fetchall():
        found = re.search(r"relativedelta\(days=([0-9]+)\)", body or "")
        if not found:
            continue
        cr.execute(
            "UPDATE payment_followup_level SET payment_deadline_days = %s"
            " WHERE mail_template_id = %s AND COALESCE(payment_deadline_days, 0) = 0",
            [int(found.group(1)), template_id],
        )
    cr.execute(
        """
        UPDATE payment_followup_history h
           SET payment_deadline = h.date + l.payment_deadline_days
          FROM payment_followup_level l
         WHERE l.id = h.level_id AND h.payment_deadline IS NULL AND l.payment_deadline_days > 0
        """
    )


def migrate(cr, version):
    _deadline_days_from_templates(cr)
    cr.execute(
        SQL(
            "UPDATE mail_template"
            " SET body_html = regexp_replace(body_html::text, %(old)s, %(new)s, 'g')::jsonb"
            " WHERE %(ours)s AND body_html::text ~ %(old)s",
            old=OLD_DEADLINE,
            new=NEW_DEADLINE,
            ours=OURS,
        )
    )
    cr.execute(
        SQL(
            "UPDATE mail_template SET body_html = replace(body_html::text, %(old)s, %(new)s)::jsonb"
            " WHERE %(ours)s AND body_html::text LIKE %(like)s",
            old=OLD_REFERENCES,
            new=NEW_REFERENCES,
            ours=OURS,
            like=f"%{OLD_REFERENCES}%",
        )
    )
