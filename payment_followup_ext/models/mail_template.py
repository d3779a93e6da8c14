from odoo import api, models
from odoo.exceptions import ValidationError

# The model the templates of follow-up levels render: one executed step.
STEP_MODEL = "payment.followup.history"


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.constrains("model_id")
    def _check_payment_followup_levels(self):
        """A template used by a follow-up level stays a template of the step model: rendered
        on another model, its placeholders would read other records (and may leak them)."""
        levels = (
            self.env["payment.followup.level"]
            .sudo()
            .with_context(active_test=False)
            .search([("mail_template_id", "in", self.ids)])
        )
        levels.mail_template_id._check_payment_followup_model()

    def _check_payment_followup_model(self):
        for template in self:
            if template.model != STEP_MODEL:
                raise ValidationError(
                    self.env._(
                        "The email template %(template)s is used by follow-up levels and must "
                        "be made for the model Follow-up Step, not %(model)s. Choose a "
                        "follow-up template for the level.",
                        template=template.name,
                        model=template.model_id.name or template.model,
                    )
                )
