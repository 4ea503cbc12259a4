"""Set label translations in src/sopimus/locales/<lang>/LC_MESSAGES/sopimus.po from the command line.

    python tools/po_set.py fi "Target {year}=Tavoite {year}" "Unit=Mittayksikkö"

Only the named messages change; the file is rewritten atomically.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from sopimus.fsutil import atomic_write  # noqa: E402


def main(argv: list[str]) -> int:
    lang, pairs = argv[0], argv[1:]
    path = Path(__file__).resolve().parents[1] / "src" / "sopimus" / "locales" / lang / "LC_MESSAGES" / "sopimus.po"
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    for pair in pairs:
        msgid, sep, msgstr = pair.partition("=")
        if not sep or msgid not in catalog:
            print(f"not in catalog (run 'make catalogs' first): {msgid!r}", file=sys.stderr)
            return 1
        message = catalog[msgid]
        message.string = msgstr
        message.flags.discard("fuzzy")
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, omit_header=False)
    atomic_write(path, buf.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
