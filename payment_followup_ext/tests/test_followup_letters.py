"""The follow-up letters as real PDFs (wkhtmltopdf), one customer and a batch."""

import subprocess
import tempfile
from datetime import timedelta
from unittest.mock import patch

import lxml.html

from odoo.service import server
from odoo.tests import tagged
from odoo.tools import config
from odoo.tools.misc import formatLang

from ..models.ir_actions_report import _wkhtmltopdf_patched
from .common import DUE, FollowupCase

SECOND_DAY = DUE + timedelta(days=28)  # 2026-03-30
IBAN = "DE89370400440532013000"


@tagged("post_install", "-at_install")
class TestFollowupLetters(FollowupCase):
    def test_letter_of_a_step_lists_the_items_and_how_to_pay(self):
        self.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": self.company.partner_id.id}
        )
        invoice = self.invoice(amount=1000.0)
        step = self.run_followup(DUE + timedelta(days=14 + 3))
        text = self.render_pdf("payment_followup_ext.action_report_followup_letter", step)
        self.assertIn(invoice.name, text)
        self.assertIn("Kunde Eins GmbH", text)
        self.assertIn("DE89", text.replace(" ", ""))

    def test_batch_of_letters_and_statement_in_the_customers_language(self):
        self.env["ir.module.module"]._load_module_terms(["payment_followup_ext"], ["de_DE"])
        other = self._make_customer("Zweiter Kunde KG", "zwei@example.com", lang="en_US")
        first = self.invoice()
        second = self.invoice(partner=other)
        steps = self.run_followup(DUE + timedelta(days=5))
        self.assertEqual(len(steps), 2)
        steps.invalidate_recordset()
        action = steps.action_print_letter()
        self.assertEqual(action["report_name"], "payment_followup_ext.report_followup_letter")
        text = self.render_pdf("payment_followup_ext.action_report_followup_letter", steps)
        self.assertIn(first.name, text)
        self.assertIn(second.name, text)
        self.assertIn("Sehr geehrte Damen und Herren", text)  # Kunde Eins GmbH speaks German
        self.assertIn("Dear Sir or Madam", text)  # Zweiter Kunde KG speaks English
        statement = self.render_pdf(
            "payment_followup_ext.action_report_followup_statement", self.customer + other
        )
        self.assertIn("Zweiter Kunde KG", statement)
        self.assertIn(second.name, statement)

    # ------------------------------------------------------------------ the German business letter

    def pdf_text(self, report, records):
        """The text layer of the printed PDF (pdftotext, Debian's poppler-utils). With Odoo's
        HTTP server up (pytest --odoo-http, Odoo's runner), wkhtmltopdf loads the report's
        style sheets and web fonts from it, as in production."""
        if server.server:
            self.env["ir.config_parameter"].set_param(
                "report.url", f"http://127.0.0.1:{config['http_port']}"
            )
        with self.printing():
            content, _kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, records.ids)
            )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            done = subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True
            )
        return done.stdout.decode()

    def german_second_notice(self):
        """A domestic customer's second notice with a dunning fee and late interest, printed
        by a German company on the DIN 5008 layout; returns the step."""
        self.env["ir.module.module"]._load_module_terms(
            ["payment_followup_ext", "l10n_din5008"], ["de_DE"]
        )
        germany = self.env.ref("base.de")
        self.company.write(
            {
                "street": "Hauptstraße 1",
                "zip": "10115",
                "city": "Berlin",
                "country_id": germany.id,
                "external_report_layout_id": self.env.ref(
                    "l10n_din5008.external_layout_din5008"
                ).id,
                "paperformat_id": self.env.ref("l10n_din5008.paperformat_euro_din").id,
            }
        )
        bank = self.env["res.bank"].create({"name": "Commerzbank", "bic": "COBADEFFXXX"})
        self.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": self.company.partner_id.id, "bank_id": bank.id}
        )
        self.customer.write(
            {"street": "Kundenweg 5", "zip": "80331", "city": "München", "country_id": germany.id}
        )
        self.second.write(
            {
                "fee_type": "fixed",
                "fee_fixed": 5.0,
                "charge_interest": True,
                "send_letter": True,
                "payment_deadline_days": 7,
                "mail_template_id": self.env.ref(
                    "payment_followup_ext.mail_template_followup_second"
                ).id,
            }
        )
        self.claim_without_tax(amount=1000.0)
        self.claim_without_tax(amount=500.0, due=DUE + timedelta(days=1))
        for day in (DUE + timedelta(days=3), DUE + timedelta(days=14), SECOND_DAY):
            step = self.run_followup(day)
        self.assertEqual(step.level_id, self.second)
        self.assertTrue(step.charge_move_id, "the step booked its fee and interest")
        return step

    def test_second_notice_is_a_german_business_letter_with_a_text_layer(self):
        step = self.german_second_notice()
        deadline = "06.04.2026"  # the step's date plus the level's 7 days
        self.assertEqual(str(step.payment_deadline), "2026-04-06")
        self.assertIn(deadline, step.mail_id.body_html, "the mail gives the same date")
        bank = self.env["res.partner.bank"]
        build_qr = type(bank).build_qr_code_base64
        with patch.object(
            type(bank), "build_qr_code_base64", autospec=True, side_effect=build_qr
        ) as qr:
            text = self.pdf_text("payment_followup_ext.action_report_followup_letter", step)
        total = formatLang(self.env(context={"lang": "de_DE"}), step.amount_total)
        documents = [move.name for move in step.line_ids.move_id | step.charge_move_id]
        # The text layer: deadline, total and IBAN can be copied out of the PDF.
        self.assertIn(deadline, text)
        self.assertIn(total, text)
        self.assertIn(IBAN, text.replace(" ", ""))
        self.assertNotIn("Deutschland", text, "no country line on a domestic letter")
        html = lxml.html.fromstring(
            self.env["ir.actions.report"]._render_qweb_html(
                "payment_followup_ext.action_report_followup_letter", step.ids
            )[0]
        )
        # The payment reference and the QR code name every document in the total.
        (reference,) = html.xpath("//td[@name='td_payment_reference']")
        for name in documents:
            self.assertIn(name, reference.text_content())
            self.assertIn(name, text)
        self.assertIn(step.charge_move_id.name, qr.call_args.args[2])
        self.assertEqual(qr.call_args.args[1], step.currency_id.round(step.amount_total))
        # Totals read top to bottom; the overdue part is no addend.
        rows = html.xpath("//div[@id='total']//tr/@name")
        self.assertEqual(rows, ["total_items", "total_fees", "total_interest", "total_claim"])
        # The closing stays with the totals and the payment details on one page.
        (end,) = html.xpath("//div[@name='followup_end']")
        self.assertIn("page-break-inside: avoid", end.get("style"))
        self.assertTrue(end.xpath(".//div[@name='closing']"))
        # The sender line on one line, without a separator at its end nor the country.
        (sender,) = html.xpath("//div[hasclass('o_followup_sender')]")
        self.assertEqual(
            sender.text_content(), f"{self.company.name} · Hauptstraße 1 · 10115 Berlin"
        )
        # Page numbers: in the footer, which only wkhtmltopdf with patched Qt prints.
        footer = " ".join(html.xpath("//div[hasclass('footer')]")[0].text_content().split())
        self.assertIn("Seite", footer)
        if _wkhtmltopdf_patched():
            self.assertIn("Seite 1 von", " ".join(text.replace(":", "").split()))

    def test_letter_abroad_names_the_countries(self):
        austria = self.env.ref("base.at")
        self.company.country_id = self.env.ref("base.de")
        self.customer.write(
            {"street": "Ringstraße 1", "zip": "1010", "city": "Wien", "country_id": austria.id}
        )
        step = self.env["payment.followup.history"].new(
            {"partner_id": self.customer.id, "company_id": self.company.id}
        )
        lines = step._letter_address_lines(self.customer, self.customer)
        self.assertEqual(lines[0], "Kunde Eins GmbH")
        self.assertEqual(lines[-1], austria.name)
        self.assertTrue(
            step._letter_sender_line(self.customer, self.customer).endswith(
                self.env.ref("base.de").name
            )
        )
        self.customer.country_id = self.company.country_id
        self.assertNotIn(
            self.company.country_id.name,
            step._letter_address_lines(self.customer, self.customer),
        )
