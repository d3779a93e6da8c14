"""Every user-visible string of the add-on, as Odoo extracts it now, has a German translation."""

import io
from datetime import date
from pathlib import Path

import polib

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestGermanTranslation(TransactionCase):
    def test_every_term_is_translated_to_german(self):
        buffer = io.BytesIO()
        trans_export(None, ["payment_followup_ext"], buffer, "po", self.cr)
        extracted = {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}
        german = {entry.msgid: entry.msgstr for entry in polib.pofile(str(I18N / "de.po"))}
        self.assertGreater(len(extracted), 20)
        untranslated = sorted(msgid for msgid in extracted if not german.get(msgid))
        self.assertFalse(
            untranslated, "not translated in i18n/de.po (run tools/i18n, then translate)"
        )

    def test_german_user_sees_german_labels(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        action = self.env.ref("payment_followup_ext.payment_followup_base_rate_action")
        self.assertEqual(action.with_context(lang="de_DE").name, "Basiszinssätze")
        rates = self.env["payment.followup.base.rate"].with_context(lang="de_DE")
        with self.assertRaisesRegex(
            UserError, "Für das 2. Halbjahr 2026 .* ist kein Basiszinssatz"
        ):
            rates._get_rate_on(date(2026, 8, 1))
