"""setup.py builds the add-on as odoo.addons.payment_followup_ext with all its data files."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "payment_followup_ext"


def test_build_installs_the_addon_under_odoo_addons(tmp_path):
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build", "--build-base", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    built = tmp_path / "lib" / "odoo" / "addons" / "payment_followup_ext"
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
    shipped = [*manifest["data"], *manifest["demo"], "i18n/de.po", "policy/base_rate.py"]
    for relative in shipped:
        assert (built / relative).is_file(), f"{relative} is missing from the build"
    assert not (tmp_path / "lib" / "odoo" / "__init__.py").exists(), "must not ship Odoo itself"
