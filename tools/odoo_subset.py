"""Odoo 18.0 subset support shared by the test runners (``conftest.py``, ``tools/odoo-tests``).

The Odoo 18.0 subset in ../shared/odoo/ (CI's ODOO_SOURCE) leaves out Odoo's test_* modules, but
the package ``odoo.addons.account.tests`` (imported with AccountTestInvoicingCommon) imports one
helper of ``test_mimetypes`` at import time, for a test of Odoo's own that this suite never runs.
Where that module is absent (and only there), an empty stand-in lets the package import; calling
the helper fails loudly. With the official nightly tarball the real module is used.
"""

import importlib.util
import sys
import types


def stand_in_for_missing_test_mimetypes():
    try:
        missing = importlib.util.find_spec("odoo.addons.test_mimetypes") is None
    except ModuleNotFoundError:
        missing = True
    if not missing:
        return
    names = ("odoo.addons.test_mimetypes", "odoo.addons.test_mimetypes.tests")
    for name in names:
        sys.modules.setdefault(name, types.ModuleType(name))
    helper = types.ModuleType("odoo.addons.test_mimetypes.tests.test_guess_mimetypes")

    def contents(extension):
        raise RuntimeError("odoo.addons.test_mimetypes is not installed (Odoo subset)")

    helper.contents = contents
    sys.modules[helper.__name__] = helper
