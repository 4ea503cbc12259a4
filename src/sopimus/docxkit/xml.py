"""Small constructors for WordprocessingML elements.

Word is strict about the order of children in property elements (``w:pPr``,
``w:rPr``, ``w:tcPr`` …), so every constructor here writes them in schema
order; :func:`insert_ordered` does the same for elements added to existing
parts (settings, styles).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from docx.oxml import OxmlElement
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@lru_cache(maxsize=None)
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    """The Clark name and namespace map of ``w:p``, as ``OxmlElement`` makes them."""
    name = NamespacePrefixedTag(tag)
    return name.clark_name, name.nsmap


_qn = lru_cache(maxsize=None)(qn)


def el(tag: str, attrs: dict[str, str] | None = None, *children) -> OxmlElement:
    """``el("w:jc", {"w:val": "center"})``; children that are None are skipped."""
    # OxmlElement itself, without parsing the tag anew for each of a document's ~7,000 elements
    clark, nsmap = _tag(tag)
    node = oxml_parser.makeelement(clark, nsmap=nsmap)
    for key, value in (attrs or {}).items():
        node.set(_qn(key), str(value))
    for child in children:
        if child is not None:
            node.append(child)
    return node


def val(tag: str, value) -> OxmlElement:
    return el(tag, {"w:val": value})


def text_runs(text: str, rpr_factory) -> list:
    """Runs for ``text``: tabs become ``w:tab``, newlines ``w:br`` (one run, Word's way)."""
    run = el("w:r", None, rpr_factory())
    buf: list[str] = []

    def flush() -> None:
        if buf:
            t = el("w:t")
            t.text = "".join(buf)
            if t.text != t.text.strip():
                t.set(XML_SPACE, "preserve")
            run.append(t)
            buf.clear()

    if "\t" not in text and "\n" not in text:   # most runs: one w:t (none for no text)
        if text:
            buf.append(text)
            flush()
        return [run]
    for ch in text:
        if ch == "\t":
            flush()
            run.append(el("w:tab"))
        elif ch == "\n":
            flush()
            run.append(el("w:br"))
        else:
            buf.append(ch)
    flush()
    return [run]


# Schema order of w:rPr children (the ones sopimus writes).
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
              "w:strike", "w:noProof", "w:color", "w:sz", "w:szCs", "w:u", "w:shd", "w:vertAlign",
              "w:lang")


def rpr(*, style: str | None = None, bold: bool = False, italic: bool = False,
        color: str | None = None, lang: str | None = None) -> OxmlElement:
    parts: dict[str, OxmlElement] = {}
    if style:
        parts["w:rStyle"] = val("w:rStyle", style)
    if bold:
        parts["w:b"] = el("w:b")
        parts["w:bCs"] = el("w:bCs")
    if italic:
        parts["w:i"] = el("w:i")
        parts["w:iCs"] = el("w:iCs")
    if color:
        parts["w:color"] = val("w:color", color)
    if lang:
        parts["w:lang"] = lang_element(lang)
    return el("w:rPr", None, *(parts[k] for k in _RPR_ORDER if k in parts))


def lang_element(lang: str) -> OxmlElement:
    # Only w:val: w:eastAsia and w:bidi name the languages of other scripts.
    return val("w:lang", lang)


def ppr(*, style: str | None = None, keep_next: bool = False, page_break_before: bool = False,
        num: tuple[int, int] | None = None, jc: str | None = None,
        ind_left: int | None = None, outline_level: int | None = None) -> OxmlElement:
    """Paragraph properties in schema order; ``num`` is ``(numId, ilvl)``."""
    children = []
    if style:
        children.append(val("w:pStyle", style))
    if keep_next:
        children.append(el("w:keepNext"))
    if page_break_before:
        children.append(el("w:pageBreakBefore"))
    if num is not None:
        children.append(el("w:numPr", None, val("w:ilvl", num[1]), val("w:numId", num[0])))
    if ind_left is not None:
        children.append(el("w:ind", {"w:left": ind_left}))
    if jc:
        children.append(val("w:jc", jc))
    if outline_level is not None:
        children.append(val("w:outlineLvl", outline_level))
    return el("w:pPr", None, *children)


def paragraph(props: OxmlElement | None, content: Iterable) -> OxmlElement:
    return el("w:p", None, props, *content)


def insert_ordered(parent, child, successors: Iterable[str]) -> None:
    """Insert ``child`` before the first existing child named in ``successors``
    (the elements the schema puts after it), else append it."""
    names = {qn(s) for s in successors}
    for existing in parent:
        if existing.tag in names:
            existing.addprevious(child)
            return
    parent.append(child)
