"""17.0.1.1.0: the items a follow-up step lists moved from a relation table to a list on the
step (``listed_item_ids``); the daily run no longer writes a row per listed item."""


def migrate(cr, version):
    cr.execute("SELECT to_regclass('payment_followup_history_line_rel') IS NOT NULL")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        """
        UPDATE payment_followup_history h
           SET listed_item_ids = r.ids
          FROM (SELECT history_id, jsonb_agg(line_id ORDER BY line_id) AS ids
                  FROM payment_followup_history_line_rel
                 GROUP BY history_id) AS r
         WHERE r.history_id = h.id AND h.listed_item_ids IS NULL
        """
    )
    cr.execute("DROP TABLE payment_followup_history_line_rel")
    cr.execute("DELETE FROM ir_model_relation WHERE name = 'payment_followup_history_line_rel'")
