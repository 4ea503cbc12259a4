"""Word fields: page numbers as ``3 (24)`` and a table of contents that shows
its entries before Word ever updates it.

A field is ``begin · instruction · separate · result · end``; the result is
what a reader sees until the field is updated, so the TOC's result holds the
real heading texts (linked to bookmarks on the headings, with ``PAGEREF``
fields for the page numbers) instead of "update this field".  The TOC is
marked dirty and the settings ask Word to update fields on opening, so Word
fills in the page numbers.
"""
from __future__ import annotations

from typing import Callable

from .xml import XML_SPACE, el, ppr, text_runs

RprFactory = Callable[[], object]


def _char(kind: str, rpr: RprFactory, dirty: bool = False):
    attrs = {"w:fldCharType": kind}
    if dirty:
        attrs["w:dirty"] = "true"
    return el("w:r", None, rpr(), el("w:fldChar", attrs))


def _instr(code: str, rpr: RprFactory):
    instr = el("w:instrText")
    instr.text = f" {code} "
    instr.set(XML_SPACE, "preserve")
    return el("w:r", None, rpr(), instr)


def field(code: str, result: str, rpr: RprFactory, dirty: bool = False) -> list:
    """The runs of a complex field with a cached ``result``."""
    return [_char("begin", rpr, dirty), _instr(code, rpr), _char("separate", rpr),
            *text_runs(result, rpr), _char("end", rpr)]


def page_of_pages(rpr: RprFactory) -> list:
    """``3 (24)``: the page number and the number of pages, as Finnish documents write them."""
    return [*field("PAGE", "1", rpr), *text_runs(" (", rpr), *field("NUMPAGES", "1", rpr),
            *text_runs(")", rpr)]


def toc_instruction(levels: int) -> str:
    return f'TOC \\o "1-{levels}" \\h \\z'


def toc(entries: list[tuple[int, str, str]], levels: int, style_id: Callable[[int], str],
        rpr: RprFactory) -> list:
    """Paragraphs of a TOC field whose result lists ``entries`` (level, text, bookmark)."""
    begin = [_char("begin", rpr, dirty=True), _instr(toc_instruction(levels), rpr), _char("separate", rpr)]
    paragraphs = []
    for i, (level, text, bookmark) in enumerate(entries):
        link = el("w:hyperlink", {"w:anchor": bookmark, "w:history": "1"},
                  *text_runs(text, rpr), el("w:r", None, rpr(), el("w:tab")),
                  *field(f"PAGEREF {bookmark} \\h", "", rpr))
        content = [*(begin if i == 0 else []), link]
        if i == len(entries) - 1:
            content.append(_char("end", rpr))
        paragraphs.append(el("w:p", None, ppr(style=style_id(level)), *content))
    if not paragraphs:  # a document without headings still gets its (empty) TOC field
        paragraphs.append(el("w:p", None, ppr(style=style_id(1)), *begin, _char("end", rpr)))
    return paragraphs
