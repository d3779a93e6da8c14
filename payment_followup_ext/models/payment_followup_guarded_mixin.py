from odoo import api, models
from odoo.exceptions import AccessError


def changed_fields(records, vals, names):
    """The fields of ``names`` whose value in ``vals`` differs from what ``records`` hold (on
    create, ``records`` empty: that are set at all): a form saving a value unchanged is no
    edit."""
    changed = set()
    for name in names:
        value, field = vals[name], records._fields[name]
        if not records:
            if value:
                changed.add(name)
        elif field.type in ("one2many", "many2many") or any(
            record[name] != field.convert_to_record(field.convert_to_cache(value, record), record)
            for record in records
        ):
            changed.add(name)
    return changed


def check_guarded(records, vals, names):
    """Refuse a user's write (or create, ``records`` empty) that changes fields of ``names``;
    the add-on's actions write them in superuser mode."""
    if records.env.su:
        return
    guarded = changed_fields(records, vals, names)
    if guarded:
        env = records.env
        labels = ", ".join(
            sorted(records._fields[name].get_description(env)["string"] for name in guarded)
        )
        raise AccessError(
            env._(
                "%(fields)s of %(model)s change through the follow-up's buttons only, not by "
                "editing them.",
                fields=labels,
                model=env["ir.model"].sudo()._get(records._name).name,
            )
        )


class PaymentFollowupGuardedMixin(models.AbstractModel):
    """Fields that only the add-on's actions change: states, approvals, amounts of running
    plans. The actions write them in superuser mode (``sudo()``, the user stays the author); a
    direct write or create by a user, from a form or over RPC, is refused. Models name their
    guarded fields in ``_payment_followup_guarded`` (``res.partner`` calls ``check_guarded``
    itself for the suspension)."""

    _name = "payment.followup.guarded.mixin"
    _description = "Follow-up: Fields Changed by Actions Only"

    def _payment_followup_guarded(self, vals):
        """The fields of ``vals`` that a user may not change on ``self`` (empty on create)."""
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_guarded(self.browse(), vals, self.browse()._payment_followup_guarded(vals))
        return super().create(vals_list)

    def write(self, vals):
        check_guarded(self, vals, self._payment_followup_guarded(vals))
        return super().write(vals)
