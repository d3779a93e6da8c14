"""18.0.1.1.0, before the module's new code is loaded: models and fields renamed out of other
modules' namespaces keep their data.

- ``payment.plan`` (with its lines) and ``payment.credit.check`` became
  ``payment.followup.plan`` and ``payment.followup.credit.check``: tables, sequences, the plans'
  items table, and every reference by model name (chatter, followers, activities, attachments,
  the model's and its fields' records and external ids) are renamed, not recreated empty.
- The fields the add-on puts on partners start with ``payment_followup_``: their columns and
  field records are renamed, so that suspensions, invoicing schedules and the texts a customer
  was given stay.
- The add-ons' views name the old fields: those whose external ids are gone (views merged
  into one file per model) are deleted now, not at the end of the update, and the extension
  views that stay are emptied until the update writes them anew from the data files; otherwise
  the first new view validated together with them fails on a field that no longer exists.
"""

import logging

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tools import SQL
from odoo.tools.misc import file_path
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)

MODULE = "payment_followup_ext"
# The add-ons whose views extend the add-on's views (updated with it, as its dependents).
VIEW_MODULES = (MODULE, "payment_followup_ext_sale")
MODELS = [
    ("payment.plan", "payment.followup.plan"),
    ("payment.plan.line", "payment.followup.plan.line"),
    ("payment.credit.check", "payment.followup.credit.check"),
]
TABLES = [("payment_plan_line_rel", "payment_followup_plan_line_rel")]
# (old, new) field names on res.partner; res.users shows the same fields through its partner.
PARTNER_FIELDS = [
    ("service_suspended", "payment_followup_suspended"),
    ("service_suspended_date", "payment_followup_suspended_date"),
    ("service_suspension_level_id", "payment_followup_suspension_level_id"),
    ("service_suspension_reason", "payment_followup_suspension_reason"),
    ("payment_invoicing_day", "payment_followup_invoicing_day"),
    ("payment_invoicing_schedule", "payment_followup_invoicing_schedule"),
    ("payment_invoicing_time", "payment_followup_invoicing_time"),
    ("payment_incentive_text", "payment_followup_incentive_text"),
    ("payment_plan_ids", "payment_followup_plan_ids"),
    ("payment_credit_check_ids", "payment_followup_credit_check_ids"),
    ("payment_credit_check_id", "payment_followup_credit_check_id"),
    ("payment_discount_currency_id", "payment_followup_discount_currency_id"),
    ("payment_discount_granted", "payment_followup_discount_granted"),
    ("payment_discount_missed", "payment_followup_discount_missed"),
]
# Records of the data files whose external ids were renamed: kept (a sequence goes on counting,
# a cron keeps its schedule), not duplicated.
XMLIDS = [
    ("ir_cron_payment_invoicing_send", "ir_cron_payment_followup_invoicing_send"),
    ("ir_cron_payment_credit_check_expiry", "ir_cron_payment_followup_credit_check_expiry"),
    ("seq_payment_plan", "seq_payment_followup_plan"),
    ("mail_template_payment_plan", "mail_template_payment_followup_plan"),
]
# Where other records name a model.
MODEL_REFERENCES = [
    ("ir_model", "model"),
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_model_data", "model"),
    ("mail_message", "model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
    ("ir_attachment", "res_model"),
    ("ir_act_window", "res_model"),
    ("ir_ui_view", "model"),
]


def _table(model):
    return model.replace(".", "_")


def _rename_table(cr, old_table, new_table):
    """Rename ``old_table`` unless it is gone or renamed already; True when renamed."""
    if not table_exists(cr, old_table) or table_exists(cr, new_table):
        return False
    cr.execute(
        SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(old_table), SQL.identifier(new_table))
    )
    return True


def _rename_models(cr):
    for old, new in MODELS:
        old_table, new_table = _table(old), _table(new)
        if _rename_table(cr, old_table, new_table):
            cr.execute(
                SQL(
                    "ALTER SEQUENCE IF EXISTS %s RENAME TO %s",
                    SQL.identifier(f"{old_table}_id_seq"),
                    SQL.identifier(f"{new_table}_id_seq"),
                )
            )
            _logger.info("table %s renamed to %s", old_table, new_table)
        for table, column in MODEL_REFERENCES:
            if column_exists(cr, table, column):
                cr.execute(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE %s = %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        new,
                        SQL.identifier(column),
                        old,
                    )
                )
        # The external ids of the model and of its fields follow the new name.
        cr.execute(
            "UPDATE ir_model_data SET name = %s WHERE module = %s AND model = 'ir.model' "
            "AND name = %s",
            (f"model_{new_table}", MODULE, f"model_{old_table}"),
        )
        cr.execute(
            # left(), not LIKE: "_" would match any character (payment_plan_wizard)
            "UPDATE ir_model_data SET name = %s || substr(name, %s) "
            "WHERE module = %s AND model = 'ir.model.fields' AND left(name, %s) = %s",
            (
                f"field_{new_table}__",
                len(f"field_{old_table}__") + 1,
                MODULE,
                len(f"field_{old_table}__"),
                f"field_{old_table}__",
            ),
        )
    for old_table, new_table in TABLES:
        _rename_table(cr, old_table, new_table)


def _rename_partner_fields(cr):
    for old, new in PARTNER_FIELDS:
        if column_exists(cr, "res_partner", old) and not column_exists(cr, "res_partner", new):
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner RENAME COLUMN %s TO %s",
                    SQL.identifier(old),
                    SQL.identifier(new),
                )
            )
        for model in ("res.partner", "res.users"):
            cr.execute(
                "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
                (new, model, old),
            )
            cr.execute(
                "UPDATE ir_model_data SET name = %s WHERE module = %s "
                "AND model = 'ir.model.fields' AND name = %s",
                (f"field_{_table(model)}__{new}", MODULE, f"field_{_table(model)}__{old}"),
            )


def _views_of_the_new_code():
    """The external ids of the views the module's data files define now."""
    names = set()
    for path in get_manifest(MODULE).get("data", []):
        if not path.endswith(".xml"):
            continue
        root = etree.parse(file_path(f"{MODULE}/{path}")).getroot()
        names.update(node.get("id") for node in root.iter("template"))
        names.update(
            node.get("id") for node in root.iter("record") if node.get("model") == "ir.ui.view"
        )
    return {name if "." in name else f"{MODULE}.{name}" for name in names if name}


def _clear_the_old_views(cr):
    current = _views_of_the_new_code()
    cr.execute(
        "SELECT d.id, d.module || '.' || d.name, v.id, v.inherit_id IS NOT NULL "
        "FROM ir_model_data d JOIN ir_ui_view v ON v.id = d.res_id "
        "WHERE d.module IN %s AND d.model = 'ir.ui.view'",
        (VIEW_MODULES,),
    )
    rows = cr.fetchall()
    gone = [(data_id, view_id) for data_id, xmlid, view_id, _ext in rows if xmlid not in current]
    if gone:
        # Views that inherit from them go with them (ON DELETE CASCADE), as Odoo would do.
        cr.execute("DELETE FROM ir_ui_view WHERE id = ANY(%s)", ([view for _d, view in gone],))
        cr.execute("DELETE FROM ir_model_data WHERE id = ANY(%s)", ([data for data, _v in gone],))
        _logger.info("%s views of the previous version deleted", len(gone))
    kept = [view for _d, xmlid, view, extension in rows if extension and xmlid in current]
    if kept:
        cr.execute(
            "UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US', '<data/>') "
            "WHERE id = ANY(%s)",
            (kept,),
        )


def _rename_xmlids(cr):
    for old, new in XMLIDS:
        for suffix in ("", "_ir_actions_server"):  # a cron's server action is named after it
            cr.execute(
                "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s "
                "AND NOT EXISTS (SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s)",
                (new + suffix, MODULE, old + suffix, MODULE, new + suffix),
            )
    # The plans' sequence is noupdate: its code follows the model.
    cr.execute("UPDATE ir_sequence SET code = 'payment.followup.plan' WHERE code = 'payment.plan'")


def migrate(cr, version):
    if not version:
        return
    _rename_models(cr)
    _rename_partner_fields(cr)
    _rename_xmlids(cr)
    _clear_the_old_views(cr)
