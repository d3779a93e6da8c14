"""Each reminder states its deadline and its cut-off (payments booked until then are taken
into account), and carries the electronic original of each invoice with its Leitweg-ID."""

import subprocess
import tempfile
from datetime import timedelta

import lxml.html

from odoo.service import server
from odoo.tests import tagged
from odoo.tools import config
from odoo.tools.misc import format_date

from .common import DUE, FollowupCase

FRIENDLY_DAY = DUE + timedelta(days=5)  # 2026-03-07, the friendly reminder (3 days after due)
LEITWEG_ID = "04011000-12345-03"


@tagged("post_install", "-at_install")
class TestFollowupCutoffEinvoice(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls._make_customer(
            "Stadtverwaltung Musterstadt",
            "rechnung@musterstadt.example",
            lang="en_US",
            ref=LEITWEG_ID,
            street="Rathausplatz 1",
            zip="14467",
            city="Potsdam",
            country_id=cls.env.ref("base.de").id,
        )
        cls.company.write({"phone": "+49 30 1234567", "email": "info@firma.example"})
        cls.friendly.write(
            {
                "payment_deadline_days": 7,
                "send_letter": True,
                "mail_template_id": cls.env.ref(
                    "payment_followup_ext.mail_template_followup_friendly"
                ).id,
            }
        )
        cls.pre_due.mail_template_id = cls.env.ref(
            "payment_followup_ext.mail_template_followup_pre_due"
        )

    def day(self, value):
        return format_date(self.env(context={"lang": "en_US"}), value)

    def mail_text(self, step):
        return " ".join(lxml.html.fromstring(step.mail_id.body_html).text_content().split())

    def pdf_text(self, step):
        """The text layer of the printed letter (pdftotext)."""
        if server.server:
            self.env["ir.config_parameter"].set_param(
                "report.url", f"http://127.0.0.1:{config['http_port']}"
            )
        with self.printing():
            content, _kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("payment_followup_ext.action_report_followup_letter", step.ids)
            )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            done = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, check=True)
        return " ".join(done.stdout.decode().split())

    def xrechnung(self, invoice):
        """The invoice's XRechnung as Odoo's ``account_edi_ubl_cii`` makes and stores it."""
        xml, _errors = self.env["account.edi.xml.ubl_de"]._export_invoice(invoice)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{invoice.name.replace('/', '_')}_ubl_de.xml",
                "raw": xml,
                "mimetype": "application/xml",
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "ubl_cii_xml_file",
            }
        )
        invoice.invalidate_recordset(["ubl_cii_xml_id", "ubl_cii_xml_file"])
        self.assertEqual(invoice.ubl_cii_xml_id, attachment)
        return attachment

    # ------------------------------------------------------------------ deadline and cut-off

    def test_mail_and_letter_give_deadline_and_cutoff_as_calendar_dates(self):
        invoice = self.invoice(self.client, amount=500.0, taxed=False)
        step = self.run_followup(FRIENDLY_DAY)
        self.assertEqual(step.level_id, self.friendly)
        self.assertEqual(str(step.payment_deadline), "2026-03-14")
        self.assertEqual(step.payment_cutoff_date, FRIENDLY_DAY)
        mail = self.mail_text(step)
        self.assertIn(f"by {self.day(step.payment_deadline)}.", mail)
        self.assertNotIn("within the next few days", mail)
        self.assertIn(
            f"Payments booked until {self.day(FRIENDLY_DAY)} are taken into account.", mail
        )
        self.assertIn("If you have paid in the meantime", mail)

        # A payment that crossed the reminder: booked the day after its cut-off. The letter
        # printed later shows what is still open and the step's own cut-off, not the print day.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": 200.0, "payment_date": FRIENDLY_DAY + timedelta(days=1)}
        )._create_payments()
        self.assertEqual(invoice.amount_residual, 300.0)
        text = self.pdf_text(step)
        self.assertIn(
            f"Payments booked until {self.day(FRIENDLY_DAY)} are taken into account.", text
        )
        self.assertIn("If you have paid in the meantime", text)
        self.assertIn(self.day(step.payment_deadline), text)
        self.assertIn("300.00", text)

    def test_a_level_without_deadline_keeps_its_words_and_states_the_cutoff(self):
        self.invoice(self.client, amount=500.0, taxed=False)
        step = self.run_followup(DUE - timedelta(days=3))
        self.assertEqual(step.level_id, self.pre_due)
        self.assertFalse(step.payment_deadline)
        mail = self.mail_text(step)
        self.assertIn("by the due date.", mail)
        self.assertIn(
            f"Payments booked until {self.day(DUE - timedelta(days=3))} are taken into account.",
            mail,
        )
        # With a deadline on the level, its date instead of "the due date".
        self.pre_due.payment_deadline_days = 10
        other = self._make_customer("Zweiter Kunde KG", "zwei@example.com", lang="en_US")
        self.invoice(other, amount=500.0, taxed=False)
        step = self.run_followup(DUE - timedelta(days=3), partners=other)
        self.assertEqual(step.payment_deadline, DUE + timedelta(days=7))
        self.assertIn(f"by {self.day(DUE + timedelta(days=7))}.", self.mail_text(step))

    # ------------------------------------------------------------------ e-invoices

    def test_the_xrechnung_goes_with_the_mail_and_its_leitweg_id_is_quoted(self):
        invoice = self.invoice(self.client, amount=500.0, taxed=False)
        plain = self.invoice(self.client, amount=100.0, taxed=False)
        xml = self.xrechnung(invoice)
        self.assertIn(LEITWEG_ID.encode(), xml.raw)
        step = self.run_followup(FRIENDLY_DAY)
        self.assertEqual(step.mail_id.attachment_ids, xml, "the e-invoice, nothing for the other")
        mail = self.mail_text(step)
        self.assertIn(f"{invoice.name}: Leitweg-ID {LEITWEG_ID}", mail)
        self.assertNotIn(f"{plain.name}: Leitweg-ID", mail)
        self.assertIn(
            f"Attached to this email: the electronic original (XRechnung, Factur-X or UBL) of "
            f"{invoice.name}.",
            mail,
        )
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "payment_followup_ext.action_report_followup_letter", step.ids
        )
        letter = " ".join(lxml.html.fromstring(html).text_content().split())
        self.assertIn(f"Leitweg-ID: {LEITWEG_ID}", letter)
        self.assertEqual(letter.count("Leitweg-ID"), 1)

    def test_a_factur_x_pdf_is_attached_once_with_the_invoice_copies(self):
        self.friendly.attach_invoices = True
        invoice = self.invoice(self.client, amount=500.0, taxed=False)
        xml, _errors = self.env["account.edi.xml.cii"]._export_invoice(invoice)
        self.env["ir.attachment"].create(
            {
                "name": f"{invoice.name.replace('/', '_')}_factur_x.xml",
                "raw": xml,
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "ubl_cii_xml_file",
            }
        )
        pdf = self.env["ir.attachment"].create(
            {
                "name": f"{invoice.name.replace('/', '_')}.pdf",
                "raw": b"%PDF-1.7 Factur-X",
                "mimetype": "application/pdf",
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "invoice_pdf_report_file",
            }
        )
        invoice.invalidate_recordset()
        self.assertEqual(invoice.invoice_pdf_report_id, pdf)
        step = self.run_followup(FRIENDLY_DAY)
        self.assertEqual(step.mail_id.attachment_ids, pdf, "the Factur-X PDF, once")
        self.assertIn(f"{invoice.name}: Buyer reference {LEITWEG_ID}", self.mail_text(step))
