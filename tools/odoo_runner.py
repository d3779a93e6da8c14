"""Odoo's own command line (``odoo-bin``) with the subset support of ``odoo_subset``: run as
``python tools/odoo_runner.py <odoo-bin arguments>``, e.g. ``--test-tags /payment_followup_ext``
(Python puts this script's folder first on its path, where ``odoo_subset`` is)."""

from odoo_subset import stand_in_for_missing_test_mimetypes

import odoo

if __name__ == "__main__":
    stand_in_for_missing_test_mimetypes()
    odoo.cli.main()
