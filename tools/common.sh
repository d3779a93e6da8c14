# Shared settings of the project's scripts; sourced, not run.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR="$ROOT/.run"
PGDATA="$RUN_DIR/pgdata"
PGLOG="$RUN_DIR/postgresql.log"
PGHOST=127.0.0.1
PGPORT=${PFX_PGPORT:-55432}
PGUSER=odoo
ODOO_CONF="$RUN_DIR/odoo.conf"
DEMO_DB=${PFX_DEMO_DB:-payment_followup_demo}
TEST_DB=${PFX_TEST_DB:-payment_followup_test}
LIFECYCLE_DB=${PFX_LIFECYCLE_DB:-payment_followup_lifecycle}
QUEUE_DB=${PFX_QUEUE_DB:-payment_followup_queue} # with OCA queue_job and the job queue bridge
DEMO_TEST_DB=${PFX_DEMO_TEST_DB:-payment_followup_demo_test} # the demo of make run, for its tests
PYTHON=${PYTHON:-python3}
# The mail catcher of make run (tools/mailcatcher): SMTP on loopback, each mail a file in MAIL_DIR.
SMTP_PORT=${PFX_SMTP_PORT:-55025}
MAIL_DIR="$RUN_DIR/mail"
export PGHOST PGPORT PGUSER

die() {
    echo "ERROR: $*" >&2
    exit 1
}

# Odoo 18.0: the Python named by PYTHON when it imports Odoo 18.0 (an existing installation),
# otherwise the project's own virtualenv, installed from ODOO_SOURCE by tools/odoo-install.
VENV="$ROOT/.venv"
ODOO_DIR="$ROOT/.odoo"
ODOO_SRC="$ODOO_DIR/src"
ODOO_NIGHTLY=https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz

imports_odoo18() {
    [ -n "$1" ] && "$1" -c "import odoo.release as r, sys; sys.exit(r.version_info[:2] != (18, 0))" \
        >/dev/null 2>&1
}

# Sets PYTHON to a Python that imports Odoo 18.0, installing the project's venv when needed, puts
# its scripts (click-odoo-*) first on PATH and prints which Odoo is used, once per command.
# The OCA add-ons of requirements-addons.txt in the project's virtualenv, installed again when
# the file changes (a stamp per content). --no-deps (pip's PIP_NO_DEPS): their requirement
# "odoo" is the Odoo of the virtualenv, which is not on PyPI.
install_oca_addons() {
    local key log="$ODOO_DIR/pip-oca-addons.log"
    key=$(sha1sum <"$ROOT/requirements-addons.txt" | cut -c1-12)
    [ -f "$VENV/.stamp-oca-addons-$key" ] && return
    echo "Installing the OCA add-ons of requirements-addons.txt into $VENV"
    mkdir -p "$ODOO_DIR"
    PIP_NO_DEPS=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install \
        --root-user-action=ignore -r "$ROOT/requirements-addons.txt" >"$log" 2>&1 \
        || die "installing the OCA add-ons of requirements-addons.txt failed (no network to PyPI?):
$(tail -n 15 "$log")"
    rm -f "$VENV"/.stamp-oca-addons-*
    touch "$VENV/.stamp-oca-addons-$key"
}

require_odoo() {
    if ! imports_odoo18 "$PYTHON"; then
        if ! imports_odoo18 "$VENV/bin/python" || [ ! -f "$VENV/.odoo-installed" ]; then
            "$ROOT/tools/odoo-install" || exit 1
        fi
        install_oca_addons
        PYTHON="$VENV/bin/python"
    fi
    PYTHON=$("$PYTHON" -c "import sys; print(sys.executable)")
    PATH="$(dirname "$PYTHON"):$PATH"
    export PYTHON PATH
    if [ -z "${PFX_ODOO_ANNOUNCED:-}" ]; then
        "$PYTHON" -c "import os, odoo.release as r; print('Using Odoo %s from %s' % (r.version, os.path.dirname(os.path.dirname(r.__file__))))"
        export PFX_ODOO_ANNOUNCED=1
    fi
}

odoo_root() {
    "$PYTHON" -c "import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))"
}

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "PostgreSQL server binaries not found (Debian package 'postgresql')."
    echo "$dir"
}

# PostgreSQL refuses to run as root: as root, run its server tools as the 'postgres' user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "user 'postgres' missing (Debian package 'postgresql' creates it)."
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
