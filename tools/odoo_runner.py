"""Odoo's own command line (``odoo-bin``) on the Odoo 18.0 subset of ../shared/odoo/: run as
``python tools/odoo_runner.py <odoo-bin arguments>``, e.g. ``--test-enable --test-tags
/payment_followup_ext`` (Python puts this script's folder first on its path, where
``odoo_subset`` is).

The subset leaves out Odoo's test_* modules and website, which the tests of some of Odoo's own
modules import (``web``'s import website); Odoo's runner imports the tests of every module it
loads, even those that --test-tags leaves out. On the subset this runner therefore imports the
tests only of the modules the tags name (whose tests are all that run anyway), and stands in for
``test_mimetypes`` (see ``odoo_subset``). With the official source it changes nothing.
"""

import importlib.util
import re
import sys

from odoo_subset import stand_in_for_missing_test_mimetypes

import odoo


def _tagged_modules(argv):
    """The modules named by ``--test-tags`` (``/module`` or ``/module:Class...``)."""
    tags = ""
    for index, arg in enumerate(argv):
        if arg == "--test-tags" and index + 1 < len(argv):
            tags = argv[index + 1]
        elif arg.startswith("--test-tags="):
            tags = arg.split("=", 1)[1]
    return set(re.findall(r"/(\w+)", tags))


def _only_tagged_tests(modules):
    # Odoo logs an error when its test framework is imported outside its test mode: this
    # runner is one (--test-enable), whose configuration is read only later.
    odoo.tools.config["test_enable"] = True
    from odoo.tests import loader

    original = loader.get_test_modules

    def get_test_modules(module):
        return original(module) if module in modules else []

    loader.get_test_modules = get_test_modules


if __name__ == "__main__":
    stand_in_for_missing_test_mimetypes()
    if importlib.util.find_spec("odoo.addons.website") is None:  # the subset
        _only_tagged_tests(_tagged_modules(sys.argv[1:]))
    odoo.cli.main()
