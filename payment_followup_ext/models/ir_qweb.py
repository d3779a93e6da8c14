from lxml import etree

from odoo import models

# Context key: compile every inline template (a mail template's body) once per transaction.
COMPILE_ONCE = "payment_followup_compile_once"


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Compile an inline template once per transaction when ``COMPILE_ONCE`` is set.

        ``mail.template`` renders its body for every record from the source text, and Odoo
        compiles that text again each time (about 40 ms for a follow-up mail). The follow-up
        renders thousands of mails from a handful of templates; the compiled functions depend
        only on the source and the context, so they are kept for the cursor's life under both.
        """
        if not isinstance(template, etree._Element) or not self.env.context.get(COMPILE_ONCE):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(sorted((name, repr(value)) for name, value in self.env.context.items())),
        )
        compiled = self.env.cr.cache.setdefault(COMPILE_ONCE, {})
        if key not in compiled:
            compiled[key] = super()._compile(template)
        return compiled[key]
