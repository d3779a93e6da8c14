"""18.0.1.5.0: the add-on's mail templates (noupdate) where they still hold the old text:

- the links "I have already paid" / "I have a question about an invoice" (``mailto:`` the
  company) become the links of the step's reply page (``mail_followup_reply_links``: paid,
  dispute, more time; signed, no login);
- the pre-due and the friendly reminder name the level's payment date when the level has one.

Each language of a template is changed where it still reads as shipped; a text the user changed
keeps its wording. The statement report's German name follows its new content."""

import json
import re

from odoo.tools import SQL

REPLY_LINKS = '<t t-call="payment_followup_ext.mail_followup_reply_links"/>'
# The paragraph of both mailto links, in every language it was shipped in (the English one
# as stored holds &nbsp;, the translations &#160;).
MAILTO = re.compile(
    r'<p t-if="company\.email"[^>]*>\s*<a t-attf-href="mailto:\{\{ company\.email \}\}\?subject='
    r".*?</a>\s*(?:&#160;|&nbsp;|\xa0)\|(?:&#160;|&nbsp;|\xa0)\s*"
    r'<a t-attf-href="mailto:\{\{ company\.email \}\}\?subject='
    r".*?</a>\s*</p>",
    re.S,
)
AMOUNT = '<strong t-out="format_amount(object.amount_total, object.currency_id)"/>'
DEADLINE = '<strong t-out="format_date(object.payment_deadline)"/>'
# {template: [(old, new)]}: the sentence with the amount, English and German.
DEADLINE_TEXTS = {
    "mail_template_followup_pre_due": [
        (
            f"{AMOUNT} by the due date.</p>",
            f'{AMOUNT} by <t t-if="object.payment_deadline">{DEADLINE}</t>'
            '<t t-else="">the due date</t>.</p>',
        ),
        (
            f"{AMOUNT} bis zum jeweiligen Fälligkeitsdatum.</p>",
            f'{AMOUNT} <t t-if="object.payment_deadline">bis zum {DEADLINE}</t>'
            '<t t-else="">bis zum jeweiligen Fälligkeitsdatum</t>.</p>',
        ),
    ],
    "mail_template_followup_friendly": [
        (
            f"{AMOUNT} within the next few days.</p>",
            f'{AMOUNT} <t t-if="object.payment_deadline">by {DEADLINE}</t>'
            '<t t-else="">within the next few days</t>.</p>',
        ),
        (
            f"{AMOUNT} in den nächsten Tagen überweisen.</p>",
            f'{AMOUNT} <t t-if="object.payment_deadline">bis zum {DEADLINE}</t>'
            '<t t-else="">in den nächsten Tagen</t> überweisen.</p>',
        ),
    ],
}


def _templates(cr):
    cr.execute(
        SQL(
            "SELECT d.name, t.id, t.body_html FROM mail_template t"
            " JOIN ir_model_data d ON d.res_id = t.id AND d.model = 'mail.template'"
            " WHERE d.module = 'payment_followup_ext'"
        )
    )
    return cr.fetchall()


def migrate(cr, version):
    for name, template_id, body in _templates(cr):
        if not body:
            continue
        changed = {}
        for lang, text in body.items():
            new = MAILTO.sub(REPLY_LINKS, text or "")
            for old, replacement in DEADLINE_TEXTS.get(name, ()):
                new = new.replace(old, replacement)
            changed[lang] = new
        if changed != body:
            cr.execute(
                "UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
                [json.dumps(changed), template_id],
            )
    cr.execute(
        """
        UPDATE ir_act_report_xml r
           SET name = r.name || jsonb_build_object('de_DE', 'Kontoauszug')
          FROM ir_model_data d
         WHERE d.module = 'payment_followup_ext' AND d.name = 'action_report_followup_statement'
           AND d.model = 'ir.actions.report' AND d.res_id = r.id AND r.name ? 'de_DE'
        """
    )
