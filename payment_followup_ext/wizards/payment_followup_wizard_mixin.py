from odoo import models
from odoo.exceptions import AccessError


class PaymentFollowupWizardMixin(models.AbstractModel):
    """What the follow-up's wizards share: they act only on records the user can see. Odoo
    leaves the records a user may not read out of a many2many field without a word, so a wizard
    opened on them (by another company's ids, over RPC) would act on fewer records, or none, and
    report success; ``_payment_followup_visible`` refuses instead."""

    _name = "payment.followup.wizard.mixin"
    _description = "Follow-up Wizard: Records the User Can See"

    def _payment_followup_visible(self, *field_names):
        """The records of ``field_names`` of this wizard, after checking that the user can read
        every one of them; an AccessError names how many are hidden."""
        self.ensure_one()
        result = []
        for name in field_names:
            records = self.sudo()[name].with_env(self.env)
            hidden = records - records._filtered_access("read")
            if hidden:
                raise AccessError(
                    self.env._(
                        "%(count)s of the selected records (%(what)s) are not visible to you, "
                        "e.g. they belong to a company you are not working in. Nothing was "
                        "done: select the company in the company switcher or ask a colleague "
                        "of that company.",
                        count=len(hidden),
                        what=self._fields[name].get_description(self.env)["string"],
                    )
                )
            result.append(records)
        return result[0] if len(result) == 1 else tuple(result)
