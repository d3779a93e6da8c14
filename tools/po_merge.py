"""Merge a .pot into a .po: keep existing translations, drop obsolete terms, list the missing."""

import sys

import polib


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path)
    try:
        po = polib.pofile(po_path)
    except OSError:
        po = polib.POFile()
        po.metadata = dict(pot.metadata)
    po.merge(pot)
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.save(po_path)
    return [entry.msgid for entry in po if not entry.msgstr or entry.fuzzy]


if __name__ == "__main__":
    missing = merge(sys.argv[1], sys.argv[2])
    for msgid in missing:
        print(f"untranslated or fuzzy: {msgid!r}")
    sys.exit(1 if missing else 0)
