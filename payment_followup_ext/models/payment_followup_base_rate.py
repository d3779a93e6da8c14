from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date, formatLang

from ..policy import base_rate as base_rate_policy


class MissingBaseRateError(UserError):
    """A base rate the late interest needs is not in the table (names the half-year)."""


class PaymentFollowupBaseRate(models.Model):
    """The German base rate (Basiszinssatz, § 247 BGB), one record per half-year.

    It is law, the same for every company, so the table is shared (no ``company_id``).
    """

    _name = "payment.followup.base.rate"
    _description = "Base Interest Rate (Basiszinssatz)"
    _order = "date_from desc"

    date_from = fields.Date(
        string="Valid From",
        required=True,
        help="First day of the half-year the rate applies to: 1 January or 1 July (§ 247 BGB).",
    )
    rate = fields.Float(
        string="Base Rate (%)",
        digits=(5, 2),
        required=True,
        help="Basiszinssatz in percent per year as published by the Deutsche Bundesbank. "
        "It may be negative (as from 2013 to 2022).",
    )

    _sql_constraints = [
        (
            "date_from_uniq",
            "unique(date_from)",
            "There is already a base rate for this half-year.",
        ),
    ]

    @api.depends("date_from", "rate")
    def _compute_display_name(self):
        for record in self:
            date = format_date(self.env, record.date_from)
            rate = formatLang(self.env, record.rate, digits=2)
            record.display_name = self.env._("%(date)s: %(rate)s %%", date=date, rate=rate)

    @api.constrains("date_from")
    def _check_date_from(self):
        for record in self:
            if not base_rate_policy.is_change_date(record.date_from):
                raise ValidationError(
                    self.env._(
                        "The base rate changes only on 1 January and 1 July (§ 247 BGB). "
                        "Set the valid-from date %(date)s to the first day of its half-year.",
                        date=format_date(self.env, record.date_from),
                    )
                )

    @api.model
    def _get_rate_table(self):
        """All known rates as ``((valid_from, Decimal percent), ...)`` for ``policy/``."""
        # The whole table: two rows a year, and every rate is needed to split interest periods.
        rows = self.sudo().search_read([], ["date_from", "rate"], order="date_from")  # pylint: disable=no-search-all
        return tuple((row["date_from"], Decimal(f"{row['rate']:.2f}")) for row in rows)

    @api.model
    def _half_year_label(self, half_year):
        if half_year.half == 1:
            return self.env._("1st half-year %(year)s", year=half_year.year)
        return self.env._("2nd half-year %(year)s", year=half_year.year)

    @api.model
    def _get_rate_on(self, day):
        """The base rate in percent (``Decimal``) valid on ``day``.

        :raises UserError: naming the missing half-year and where to enter it
        """
        try:
            return base_rate_policy.base_rate_on(day, self._get_rate_table())
        except base_rate_policy.MissingBaseRate as missing:
            raise self._missing_rate_error(missing.half_year) from missing

    @api.model
    def _missing_half_year(self, day):
        """The half-year of ``day`` when the table has no rate for it, else None."""
        try:
            base_rate_policy.base_rate_on(day, self._get_rate_table())
        except base_rate_policy.MissingBaseRate as missing:
            return missing.half_year
        return None

    @api.model
    def _missing_rate_error(self, half_year):
        """The error for a missing rate: which half-year, and where to enter it."""
        return MissingBaseRateError(
            self.env._(
                "No base rate (Basiszinssatz) is known for the %(half_year)s "
                "(valid from %(date)s). Enter the rate published by the Deutsche Bundesbank "
                "under Invoicing > Configuration > Follow-up > Base Interest Rates.",
                half_year=self._half_year_label(half_year),
                date=format_date(self.env, half_year.start),
            )
        )
