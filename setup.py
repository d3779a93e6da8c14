"""Installs every add-on of this repository as ``odoo.addons.<name>`` (Odoo 18.0 itself is not a
requirement: the project's scripts install it, see README.md)."""

import ast
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
MAIN = "payment_followup_ext"
# Every folder with a manifest is an add-on: the main one and its bridges.
ADDONS = sorted(manifest.parent.name for manifest in HERE.glob("*/__manifest__.py"))
MANIFEST = ast.literal_eval((HERE / MAIN / "__manifest__.py").read_text(encoding="utf-8"))
DATA_FILES = [
    "data/*.xml",
    "demo/*.xml",
    "i18n/*.po",
    "i18n/*.pot",
    "migrations/*/*.py",
    "readme/*.md",
    "report/*.xml",
    "security/*.csv",
    "security/*.xml",
    "static/description/*",
    "static/src/**/*",
    "static/tests/**/*",
    "views/*.xml",
    "wizards/*.xml",
]
TEST_REQUIREMENTS = [
    line.split("#", 1)[0].strip()
    for line in (HERE / "requirements-test.txt").read_text(encoding="utf-8").splitlines()
    if line.split("#", 1)[0].strip()
]

setup(
    name=f"odoo-addon-{MAIN}",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license=MANIFEST["license"],
    author=MANIFEST["author"],
    url=MANIFEST["website"],
    python_requires=">=3.10",
    package_dir={f"odoo.addons.{addon}": addon for addon in ADDONS},
    packages=[
        ".".join(("odoo", "addons", *init.parent.relative_to(HERE).parts))
        for addon in ADDONS
        for init in sorted((HERE / addon).rglob("__init__.py"))
    ],
    package_data={f"odoo.addons.{addon}": DATA_FILES for addon in ADDONS},
    install_requires=["lxml", "holidays"],
    extras_require={"test": TEST_REQUIREMENTS},
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        "Programming Language :: Python :: 3",
    ],
)
