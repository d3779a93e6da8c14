import math

from odoo import SUPERUSER_ID, fields, http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.payment_followup_reply import REPLY_KINDS

# The HTTP status of a link that is not (or no longer) good: a wrong token is forbidden, an
# expired link is gone.
STATUS = {"invalid": 403, "expired": 410}


class PaymentFollowupReplyController(http.Controller):
    """The reply page of a follow-up step: the customer answers the reminder without a login,
    through the signed link of the step's email or letter (``payment.followup.reply._url``)."""

    @http.route(
        "/payment_followup/reply/<int:step_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=False,
        sitemap=False,
    )
    def payment_followup_reply(self, step_id, token, **post):
        # As the follow-up itself: the public user may read nothing of it. The token is checked
        # before anything of the step is read for the page.
        env = request.env(user=SUPERUSER_ID)
        Reply = env["payment.followup.reply"]
        step = env["payment.followup.history"].browse(step_id)
        today = fields.Date.context_today(Reply)
        check = Reply._check_token(step, token, today)
        if check != "ok":
            return request.render(
                "payment_followup_ext.reply_refused",
                {"reason": check, "res_company": env.company},
                status=STATUS[check],
            )
        company = step.company_id
        partner = step.partner_id.commercial_partner_id
        lang = (
            (step.recipient_id or partner).lang
            or partner.lang
            or company.partner_id.lang
            or "en_US"
        )
        request.update_context(lang=lang)
        # The customer's language for the page and its errors; the company's for the notes
        # and to-dos its accountants read.
        customer_env = env(context=dict(request.env.context, lang=lang))
        office = env(context=dict(env.context, lang=company.partner_id.lang or lang))
        step = step.with_env(customer_env).with_company(company)
        errors, kind = {}, post.get("kind")
        if request.httprequest.method == "POST":
            if kind not in dict(REPLY_KINDS):
                return request.redirect(self._page_url(step, token))
            values, errors = self._parse(customer_env, post)
            if not errors:
                errors = customer_env["payment.followup.reply"]._answer_errors(
                    step, kind, values, today
                )
            if not errors:
                try:
                    Reply.with_env(office).with_company(company)._submit(
                        step.with_env(office), kind, values, today=today
                    )
                except UserError as error:
                    errors = {"form": str(error)}
            if not errors:
                return request.redirect(f"{self._page_url(step, token)}?done={kind}")
        return request.render(
            "payment_followup_ext.reply_page",
            self._page_values(
                step, token, kind or post.get("answer") or post.get("done"), errors, post
            ),
        )

    def _page_url(self, step, token):
        return f"/payment_followup/reply/{step.id}/{token}"

    def _parse(self, env, post):
        """The form's values, converted; ``({field: value}, {field: error})``."""
        values, errors = {}, {}
        for name in ("paid_date", "requested_date"):
            if post.get(name):
                try:
                    values[name] = fields.Date.to_date(post[name])
                except ValueError:
                    errors[name] = env._("Enter a valid date.")
        if post.get("amount"):
            try:
                values["amount"] = self._amount(post["amount"])
            except ValueError:
                errors["amount"] = env._("Enter the amount as a number, e.g. 1190.00.")
        if post.get("move_id"):
            try:
                values["move_id"] = int(post["move_id"])
            except ValueError:
                errors["move_id"] = env._(
                    "Choose one of the open invoices listed in this reminder."
                )
        for name in ("reference", "reason", "note"):
            if post.get(name):
                values[name] = post[name].strip()[:2000]
        values["wants_plan"] = bool(post.get("wants_plan"))
        return values, errors

    @staticmethod
    def _amount(text):
        """The amount typed by the customer: ``1190.00``, ``1190,00`` or ``1.190,00``."""
        text = text.replace("€", "").replace(" ", "").replace("\xa0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        amount = float(text)
        if not math.isfinite(amount):
            raise ValueError(text)
        return amount

    def _page_values(self, step, token, kind, errors, post):
        Reply = step.env["payment.followup.reply"]
        replies = {reply.kind: reply for reply in step.reply_ids}
        lines = step.line_ids.filtered(
            lambda line: line.move_id.commercial_partner_id == step.partner_id.commercial_partner_id
        ).sorted(lambda line: (line.date_maturity or line.date, line.id))
        return {
            "step": step,
            "company": step.company_id,
            "res_company": step.company_id,
            "partner": step.partner_id.commercial_partner_id,
            "lines": lines,
            "currency": step.currency_id,
            "disputable": Reply._disputable_moves(step),
            "replies": replies,
            "kind": kind if kind in dict(REPLY_KINDS) else None,
            "done": post.get("done") if post.get("done") in dict(REPLY_KINDS) else None,
            "form": post if errors else {},
            "errors": errors,
            "action": self._page_url(step, token),
            "expiry": Reply._link_expiry(step),
            "reasons": Reply._fields["reason"]._description_selection(step.env),
            "today": fields.Date.context_today(Reply),
        }
