import functools
import logging
import subprocess

from odoo import models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

# Reports the follow-up prints for many records at once (letters, statements, invoice PDFs).
_BATCH_REPORTS = (
    "payment_followup_ext.report_followup_letter",
    "payment_followup_ext.report_followup_statement",
    "account.report_invoice",
    "account.report_invoice_with_payments",
)


_STATEMENT_REPORT = "payment_followup_ext.report_followup_statement"

# The follow-up letters: printed with fonts of the system by an unpatched wkhtmltopdf.
_LETTER_REPORTS = (
    "payment_followup_ext.report_followup_letter",
    "payment_followup_ext.report_followup_statement",
)


@functools.cache
def _wkhtmltopdf_patched():
    """Whether wkhtmltopdf was built with the patched Qt Odoo recommends.

    Builds against an unpatched Qt (Debian's package) refuse more than one input document, so
    Odoo cannot print several records into one PDF with them; they print no header and footer
    (letterhead, page numbers) and draw web fonts as outlines, which leaves no text in the PDF.
    """
    try:
        done = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return True  # no wkhtmltopdf: let Odoo report it as usual
    return b"patched qt" in done.stdout.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The statement of account printed from its dialog carries the dialog's option as data:
        the web client then sends the customers' ids in the data's context instead of the URL.
        Given as records, they print one statement each (see
        ``_render_qweb_pdf_prepare_streams``)."""
        if not res_ids and data and self._get_report(report_ref).report_name == _STATEMENT_REPORT:
            res_ids = (data.get("context") or {}).get("active_ids")
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Render follow-up letters one by one where wkhtmltopdf cannot take several
        documents; Odoo merges the streams into one PDF as for any multi-record report."""
        report = self._get_report(report_ref)
        if (
            res_ids
            and len(res_ids) > 1
            and report.report_name in _BATCH_REPORTS
            and not _wkhtmltopdf_patched()
        ):
            _logger.info(
                "wkhtmltopdf without patched Qt: rendering %s one by one", report.report_name
            )
            streams = {}
            for res_id in res_ids:
                streams.update(super()._render_qweb_pdf_prepare_streams(report_ref, data, [res_id]))
            return streams
        return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)

    def _get_rendering_context(self, report, docids, data):
        """The letters know whether wkhtmltopdf draws web fonts as text (see
        ``_wkhtmltopdf_patched``): otherwise they print in fonts of the system."""
        values = super()._get_rendering_context(report, docids, data)
        if report.report_name in _LETTER_REPORTS and values.get("report_type") == "pdf":
            values["payment_followup_system_font"] = not _wkhtmltopdf_patched()
        return values
