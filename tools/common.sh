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
PYTHON=${PYTHON:-python3}
export PGHOST PGPORT PGUSER

die() {
    echo "ERROR: $*" >&2
    exit 1
}

require_odoo() {
    "$PYTHON" -c "import odoo" 2>/dev/null || die "Odoo 17 is not importable by $PYTHON.
  Install Odoo 17.0 (Community) outside this project and make 'import odoo' work
  (e.g. a .pth file in site-packages pointing at its source), then run this again."
    "$PYTHON" -c "import odoo.release as r, sys; sys.exit(r.version_info[:2] != (17, 0))" \
        || die "$PYTHON imports an Odoo that is not 17.0."
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
