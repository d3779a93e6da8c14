"""Installs the add-on as ``odoo.addons.payment_followup_ext`` (Odoo 17 itself is not a
requirement: it is installed separately, see README.md)."""

import ast
from pathlib import Path

from setuptools import setup

ADDON = "payment_followup_ext"
HERE = Path(__file__).resolve().parent
MANIFEST = ast.literal_eval((HERE / ADDON / "__manifest__.py").read_text(encoding="utf-8"))
TEST_REQUIREMENTS = [
    line.split("#", 1)[0].strip()
    for line in (HERE / "requirements-test.txt").read_text(encoding="utf-8").splitlines()
    if line.split("#", 1)[0].strip()
]

setup(
    name=f"odoo-addon-{ADDON}",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license=MANIFEST["license"],
    author=MANIFEST["author"],
    url=MANIFEST["website"],
    python_requires=">=3.10",
    package_dir={f"odoo.addons.{ADDON}": ADDON},
    packages=[
        ".".join(("odoo", "addons", *init.parent.relative_to(HERE).parts))
        for init in sorted((HERE / ADDON).rglob("__init__.py"))
    ],
    package_data={
        f"odoo.addons.{ADDON}": [
            "data/*.xml",
            "demo/*.xml",
            "i18n/*.po",
            "i18n/*.pot",
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
    },
    install_requires=["lxml", "holidays"],
    extras_require={"test": TEST_REQUIREMENTS},
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        "Programming Language :: Python :: 3",
    ],
)
