"""The DOCX package: the theme's reference document in, reproducible bytes out."""
from __future__ import annotations

import datetime as _dt
import io
import zipfile

from docx.oxml import parse_xml

from ..theme import ThemeError


class TemplateError(ThemeError):
    """The theme's Word template cannot be used (with what to fix)."""


# Readers look for these first; the rest follow in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")
_EARLIEST = (1980, 1, 1, 0, 0, 0)  # the zip format's first date


def reproducible_zip(data: bytes, when: _dt.datetime) -> bytes:
    """``data`` (a zip) rewritten so that the same content gives the same bytes:
    fixed entry order, timestamps, attributes and compression."""
    stamp = max(_EARLIEST, tuple(when.astimezone(_dt.timezone.utc).timetuple()[:6]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = sorted(src.namelist(), key=lambda n: (_FIRST.index(n) if n in _FIRST else len(_FIRST), n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def styles_of(data: bytes):
    """The ``w:styles`` element of a DOCX given as bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return parse_xml(z.read("word/styles.xml"))


_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


MAX_PART_BYTES = 64 * 1024 * 1024     # one part, uncompressed
MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # all parts, uncompressed
MAX_PARTS = 2000
MAX_RATIO = 200                        # uncompressed / compressed: beyond this it is a zip bomb


def check_parts(src: zipfile.ZipFile) -> None:
    """Refuse a package whose parts expand past a sane size, or whose XML declares a DOCTYPE.

    The sizes are the zip's own claims, then enforced while reading: a part
    that reads longer than it claims is refused too.  A DOCTYPE (with its
    entities) has no place in Office XML and is how XML bombs and external
    entities come in.
    """
    infos = src.infolist()
    if len(infos) > MAX_PARTS:
        raise TemplateError(f"the package has {len(infos)} parts (more than {MAX_PARTS})")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_PACKAGE_BYTES or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO
                and info.file_size > 1024 * 1024):
            raise TemplateError(f"part {info.filename!r} expands to {info.file_size} bytes: refused "
                                "(a zip bomb?)")
        if info.filename.endswith((".xml", ".rels")):
            with src.open(info) as fh:
                blob = fh.read(MAX_PART_BYTES + 1)
            if len(blob) > MAX_PART_BYTES:
                raise TemplateError(f"part {info.filename!r} is larger than it claims: refused")
            if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
                raise TemplateError(f"part {info.filename!r} declares a DOCTYPE or entities, "
                                    "which Word documents never do: refused")


def as_document(data: bytes) -> bytes:
    """A Word template (.dotx) as a document python-docx opens; a .docx unchanged."""
    try:
        src_zip = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TemplateError("not a Word document (.docx or .dotx): not a zip file") from None
    with src_zip as src:
        check_parts(src)
        if "word/styles.xml" not in src.namelist():
            raise TemplateError("not a Word document (.docx or .dotx): it has no word/styles.xml")
        types = src.read("[Content_Types].xml")
        if _TEMPLATE_TYPE not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                blob = src.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
                dst.writestr(info, blob)
        return out.getvalue()
