"""Reading source files as text: UTF-8 only, with findings for bad bytes."""
from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostics

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# A source larger than this is refused before parsing: no agreement is that long.
MAX_SOURCE_BYTES = 20 * 1024 * 1024


def decode_source(data: bytes, path: Path | str, diags: Diagnostics) -> str | None:
    """UTF-8 text with ``\\n`` line ends, or None after reporting why not."""
    if len(data) > MAX_SOURCE_BYTES:
        diags.error("file-too-large", path, 1,
                    f"file is {len(data)} bytes, more than the {MAX_SOURCE_BYTES} allowed")
        return None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        diags.error("encoding", path, line, "binary data (NUL byte) in a text source",
                    "sources are plain UTF-8 text files")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        diags.warning("encoding-bom", path, 1, "UTF-8 byte order mark ignored",
                      "save the file as UTF-8 without BOM")
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error("encoding", path, line,
                    f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                    "save the file as UTF-8 (it looks like Latin-1 or Windows-1252)", col=col)
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    m = _CONTROL.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        diags.error("control-character", path, line, f"control character U+{ord(m.group()):04X} in the text",
                    "remove it: documents (DOCX, PDF) cannot hold control characters", col=col)
        return None
    return text


def read_source(path: Path, diags: Diagnostics, shown: str | Path | None = None) -> str | None:
    """Read and decode ``path``; report a missing or unreadable file."""
    name = shown if shown is not None else path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        diags.error("file-missing", name, 1, "file not found")
        return None
    except OSError as exc:
        diags.error("file-unreadable", name, 1, f"cannot read file: {exc.strerror}")
        return None
    return decode_source(data, name, diags)


def control_character(text: str) -> str | None:
    """The first control character of ``text`` (other than newline and tab), as U+XXXX, or None.

    DOCX (XML 1.0) cannot hold them and a terminal would obey them.
    """
    m = _CONTROL.search(text) or (re.search("\r", text))
    return f"U+{ord(m.group()):04X}" if m else None
