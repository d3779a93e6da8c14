"""Test-suite wide rules, for the pure tests in tests/ and the add-ons' Odoo tests alike.

A skipped test is a failed test here: Odoo skips a tour silently when Chromium or
websocket-client is missing, and ``AccountTestInvoicingCommon`` skips when the chart of accounts
module is not installed. ``make test`` must never turn green on such a run.
"""

import ast
import importlib.util
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CPython 3.11.7 (this machine's python3) can raise "SystemError: AST constructor recursion depth
# mismatch" when two threads build an AST at once (python/cpython#106905). Odoo's test HTTP server
# answers a tour's parallel first requests in threads that all parse manifests
# (``ast.literal_eval``) and compile QWeb (``ast.parse``): a tour then fails at random.
# Building one AST at a time removes the race; an RLock because a finalizer may parse again on
# the same thread.
_AST_LOCK = threading.RLock()
_ast_parse = ast.parse


def _serialised_parse(*args, **kwargs):
    with _AST_LOCK:
        return _ast_parse(*args, **kwargs)


ast.parse = _serialised_parse


def _stand_in_for_missing_test_mimetypes():
    """See ``tools/odoo_subset.py`` (shared with ``tools/odoo-tests``)."""
    spec = importlib.util.spec_from_file_location(
        "pfx_odoo_subset", Path(__file__).resolve().parent / "tools" / "odoo_subset.py"
    )
    subset = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(subset)
    subset.stand_in_for_missing_test_mimetypes()


try:
    from odoo.tools import config as odoo_config
except ImportError:  # the pure policy tests run without Odoo
    odoo_config = None
else:
    _stand_in_for_missing_test_mimetypes()
    # Odoo 18 logs an error (with a stack) when its test framework is imported outside its test
    # mode; pytest-odoo imports it right after reading the configuration, and Odoo's test mode
    # would run every installed module's tests while the registry loads. Importing the framework
    # here, in test mode for the import only, keeps the log clean and the registry load quiet.
    odoo_config["test_enable"] = True
    import odoo.tests  # noqa: F401

    odoo_config["test_enable"] = False

# Hypothesis times its examples (a 200 ms deadline, a "generation is slow" health check). In this
# suite the pure tests share the process with Odoo's test server and its threads, so a pause of
# the process fails a property that holds. Timing belongs to `make bench`: the properties are
# checked with the same number of examples, untimed.
settings.register_profile("untimed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("untimed")


@pytest.fixture(autouse=True)
def _odoo_current_test(request):
    """Mark the running Odoo test as Odoo's own runner does (``current_test``), so that code
    which must not commit a test's transaction (Odoo's ``_can_commit``, the follow-up's
    batches) knows it; pytest-odoo does so itself only from Odoo 19 on."""
    instance = getattr(request, "instance", None)
    if odoo_config is None or instance is None or not hasattr(instance, "registry"):
        yield
        return
    from odoo.modules import module

    module.current_test = instance
    try:
        yield
    finally:
        module.current_test = False


_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report)


def pytest_terminal_summary(terminalreporter):
    if _skipped and not os.environ.get("PFX_ALLOW_SKIPS"):
        terminalreporter.section("skipped tests fail this run", red=True)
        for report in _skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            terminalreporter.write_line(f"{report.nodeid}: {reason}")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _skipped and not os.environ.get("PFX_ALLOW_SKIPS") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
