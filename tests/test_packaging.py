"""setup.py builds every add-on as odoo.addons.<name> with all its data files and tests."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(manifest.parent.name for manifest in ROOT.glob("*/__manifest__.py"))


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    base = tmp_path_factory.mktemp("build")
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build", "--build-base", str(base)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return base / "lib" / "odoo"


def test_the_repository_holds_the_addon_and_its_bridges():
    assert {
        "payment_followup_ext",
        "payment_followup_ext_sale",
        "payment_followup_ext_queue_job",
    } <= set(ADDONS)


@pytest.mark.parametrize("addon", ADDONS)
def test_build_installs_each_addon_under_odoo_addons(build, addon):
    built = build / "addons" / addon
    manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))
    shipped = [*manifest.get("data", []), *manifest.get("demo", []), "tests/__init__.py"]
    if (ROOT / addon / "i18n" / "de.po").exists():
        shipped.append("i18n/de.po")
    for relative in shipped:
        assert (built / relative).is_file(), f"{addon}: {relative} is missing from the build"
    assert not (build / "__init__.py").exists(), "must not ship Odoo itself"


def test_build_ships_the_migration_scripts(build):
    """Migration folders are no Python packages (their names hold dots): shipped as data."""
    migrations = ROOT / "payment_followup_ext" / "migrations"
    scripts = sorted(path.relative_to(migrations) for path in migrations.glob("*/*.py"))
    assert scripts, "the add-on has migration scripts"
    built = build / "addons" / "payment_followup_ext" / "migrations"
    for script in scripts:
        assert (built / script).is_file(), f"migrations/{script} is missing from the build"


def test_build_ships_the_pure_core(build):
    core = build / "addons" / "payment_followup_ext" / "policy"
    assert (core / "__init__.py").is_file()
    assert (core / "interest.py").is_file()
    assert (core / "schedule.py").is_file()
