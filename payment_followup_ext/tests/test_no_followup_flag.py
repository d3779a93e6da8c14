"""The add-on's own "No Follow-up" flag on journal items (Odoo 18 dropped ``blocked``): an
accountant sets it in the journal items list, finds flagged items with a filter, and the run
leaves them alone while the customer's other invoices are reminded."""

from datetime import timedelta

from odoo.tests import tagged

from .common import DUE, FollowupCase


@tagged("post_install", "-at_install")
class TestNoFollowupFlag(FollowupCase):
    def receivable(self, invoice):
        return invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")

    def test_the_flag_is_in_the_items_list_and_filters(self):
        Line = self.env["account.move.line"].with_user(self.accountant)
        views = Line.get_views([(False, "list"), (False, "search")])["views"]
        self.assertIn('name="payment_followup_blocked"', views["list"]["arch"])
        self.assertIn('name="payment_followup_blocked"', views["search"]["arch"])
        self.assertIn('name="payment_followup_not_blocked"', views["search"]["arch"])
        self.assertEqual(Line._fields["payment_followup_blocked"].string, "No Follow-up")

    def test_a_flagged_item_is_skipped_and_the_others_are_reminded(self):
        disputed = self.invoice(amount=800.0, taxed=False)
        other = self.invoice(amount=300.0, taxed=False)
        self.receivable(disputed).with_user(self.accountant).payment_followup_blocked = True
        flagged = self.env["account.move.line"].search(
            [("payment_followup_blocked", "=", True), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(flagged, self.receivable(disputed))

        step = self.run_followup(DUE + timedelta(days=5))
        self.assertEqual(step.line_ids, self.receivable(other), "only the unflagged invoice")
        self.assertEqual(step.amount_due, 300.0)
        self.assertFalse(self.receivable(disputed).payment_followup_level_id)
        self.assertEqual(self.receivable(other).payment_followup_level_id, step.level_id)
