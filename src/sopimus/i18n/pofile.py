"""Reading gettext catalogs (.po) as untrusted data.

A catalog that is not a PO file, declares an unknown charset or has a
malformed header or entry gives a finding at its file and line; babel's own
warnings (which print the offending line, i.e. file contents, to the log)
are never let through.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics
from ..textfile import control_character

MAX_CATALOG_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str
    fuzzy: bool
    line: int


def read_catalog(path: Path, shown: str, diags: Diagnostics) -> list[Entry] | None:
    """The entries of the catalog at ``path``, or None after a finding."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CATALOG_BYTES + 1)
    except OSError as exc:
        diags.error("catalog-invalid", shown, 1, f"cannot read the catalog: {exc.strerror}")
        return None
    if len(data) > MAX_CATALOG_BYTES:
        diags.error("catalog-invalid", shown, 1, f"the catalog is larger than {MAX_CATALOG_BYTES} bytes")
        return None
    if b"\x00" in data:
        diags.error("catalog-invalid", shown, data.count(b"\n", 0, data.index(b"\x00")) + 1,
                    "binary data (NUL byte): not a PO file", "a catalog is a UTF-8 text file (.po)")
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        diags.error("catalog-invalid", shown, data.count(b"\n", 0, exc.start) + 1,
                    f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                    "save the catalog as UTF-8 with 'Content-Type: text/plain; charset=UTF-8'")
        return None
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
        messages = list(catalog)
    except PoFileError as exc:
        diags.error("catalog-invalid", shown, (getattr(exc, "lineno", 0) or 0) + 1,
                    f"not a valid PO file: {_plain(str(exc))}")
        return None
    except (LookupError, UnicodeError, ValueError) as exc:  # unknown charset, bad header
        diags.error("catalog-invalid", shown, 1, f"the catalog's header is not usable: {_plain(str(exc))}",
                    "the header says 'Content-Type: text/plain; charset=UTF-8'")
        return None
    if catalog.charset and catalog.charset.lower().replace("-", "") not in ("utf8", "ascii", "usascii", "charset"):
        diags.error("catalog-invalid", shown, 1, f"the catalog declares charset {_plain(catalog.charset)!r}",
                    "catalogs are UTF-8: 'Content-Type: text/plain; charset=UTF-8'")
        return None
    lines = data.split(b"\n")
    out: list[Entry] = []
    for m in messages:
        if not m.id or not isinstance(m.id, str) or not isinstance(m.string, str):
            continue  # the header, and plural forms (sopimus uses none)
        line = _msgstr_line(lines, m.lineno or 1)
        bad = control_character(m.string)
        if bad is not None:
            diags.error("control-character", shown, line, f"control character {bad} in the translation",
                        "remove it: documents cannot hold control characters")
            continue
        out.append(Entry(m.id, m.string, bool(m.fuzzy), line))
    return out


def _msgstr_line(lines: list[bytes], msgid_line: int) -> int:
    """The line of the msgstr that follows the msgid on ``msgid_line`` (1-based)."""
    for i in range(msgid_line - 1, min(len(lines), msgid_line + 10_000)):
        if lines[i].startswith(b"msgstr"):
            return i + 1
    return msgid_line


def _plain(text: str) -> str:
    """A message from babel on one line, printable, without its own line number."""
    text = re.sub(r" on \d+$", "", text.split("\n", 1)[0])
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text[:120]
