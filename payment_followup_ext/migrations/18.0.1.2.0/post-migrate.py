"""18.0.1.2.0:

- Payment plans book their interest as each instalment falls due, on documents that point to
  the plan (``account.move.payment_followup_charge_plan_id``). A plan of 18.0.1.1.0 booked fee
  and interest when it was confirmed: that document now points to its plan, and its interest
  counts as the booked interest of the last instalment (nothing is booked again).
- Follow-up emails list each item in the currency of the step (an invoice in USD reminded in
  USD): the mail templates (noupdate) get the new amount expression where they still hold the
  old one; templates changed otherwise keep their text.
- The late payment clause and the consumer notice on invoices are written by the
add-on in the invoice's language (see ``account.move._payment_followup_late_clause``); the
company fields hold the company's own wording only. The English defaults that 18.0.1.1.0 stored
in them are removed, so that German invoices get the German texts."""

from odoo.tools import SQL

OLD_DEFAULTS = {
    "payment_followup_late_clause": (
        "If payment is late, we charge late interest at the statutory rate (§ 288 BGB) "
        "and dunning fees for every reminder."
    ),
    "payment_followup_consumer_notice": (
        "Notice under § 286(3) BGB: you are in default of payment if you do not pay "
        "within 30 days after the due date and receipt of this invoice."
    ),
}


OLD_AMOUNT = "format_amount(line.amount_residual, object.currency_id)"
NEW_AMOUNT = (
    "format_amount(line._payment_followup_residual_in(object.currency_id), object.currency_id)"
)


def migrate(cr, version):
    cr.execute(
        SQL(
            "UPDATE mail_template SET body_html = replace(body_html::text, %(old)s, %(new)s)::jsonb"
            " WHERE id IN (SELECT res_id FROM ir_model_data WHERE module = 'payment_followup_ext'"
            " AND model = 'mail.template') AND body_html::text LIKE %(like)s",
            old=OLD_AMOUNT,
            new=NEW_AMOUNT,
            like=f"%{OLD_AMOUNT}%",
        )
    )
    cr.execute(
        """
        UPDATE account_move m SET payment_followup_charge_plan_id = p.id
          FROM payment_followup_plan p
         WHERE p.charge_move_id = m.id
        """
    )
    cr.execute(
        """
        UPDATE payment_followup_plan_line l
           SET interest_amount = p.interest_amount, interest_move_id = p.charge_move_id
          FROM (SELECT DISTINCT ON (plan_id) id, plan_id FROM payment_followup_plan_line
                 ORDER BY plan_id, date DESC, id DESC) AS last
          JOIN payment_followup_plan p ON p.id = last.plan_id
         WHERE l.id = last.id AND COALESCE(p.interest_amount, 0) <> 0
        """
    )
    for column, text in OLD_DEFAULTS.items():
        cr.execute(
            SQL(
                "UPDATE res_company SET %(column)s = NULL WHERE %(column)s->>'en_US' = %(text)s",
                column=SQL.identifier(column),
                text=text,
            )
        )
