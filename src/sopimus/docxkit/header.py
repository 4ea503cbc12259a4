"""The template's header and footer, filled in.

A template's header (and footer) may hold placeholders that sopimus fills in:
``{organisation}``, ``{document_type}``, ``{title}``, ``{period}``,
``{date}``, ``{register_number}`` and ``{draft}`` (the draft mark, empty in
a final document).  Word often splits what one types over several runs, so
placeholders are found in a paragraph's whole text and replaced in the runs
they span, keeping the formatting of the run where each starts.

A template without a header gets the standard one (SFS 2487 layout):
organisation left, document type and date right, page ``3 (24)`` at the
right margin, the draft mark under the organisation.
"""
from __future__ import annotations

import re

from docx.oxml.ns import qn

from . import fields
from .package import TemplateError
from .xml import XML_SPACE, el, ppr, rpr, text_runs

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = ("organisation", "document_type", "title", "period", "date", "register_number", "draft", "page")
W_T = qn("w:t")


def fill(root, values: dict[str, str], where: str) -> set[str]:
    """Replace the placeholders in every paragraph under ``root``; the names found."""
    found: set[str] = set()
    for p in root.iter(qn("w:p")):
        texts = list(p.iter(W_T))
        whole = "".join(t.text or "" for t in texts)
        matches = list(PLACEHOLDER.finditer(whole))
        for match in reversed(matches):
            name = match.group(1)
            if name not in values:
                raise TemplateError(f"the {where} of the DOCX template has an unknown placeholder "
                                    f"{{{name}}}; known: " + ", ".join(f"{{{n}}}" for n in PLACEHOLDERS))
            found.add(name)
            _replace(texts, match.start(), match.end(), values[name])
    return found


def _replace(texts: list, start: int, end: int, value: str) -> None:
    pos, placed = 0, False
    for t in texts:
        text = t.text or ""
        a, b = pos, pos + len(text)
        pos = b
        if b <= start or a >= end:
            continue
        s, e = max(start, a) - a, min(end, b) - a
        t.text = text[:s] + (value if not placed else "") + text[e:]
        placed = True
        t.set(XML_SPACE, "preserve")


def standard_header(hdr, header_style: str, draft_style: str, text_width: int, column: int,
                    style_tabs: list[int], lang: str | None = None) -> None:
    """Write the standard header into ``hdr`` (a ``w:hdr``), with placeholders;
    ``column`` (twips) is where the document type and the date start."""
    def tabs():
        # Clear the header style's own tab stops so these columns are the only ones.
        return el("w:tabs", None, *(el("w:tab", {"w:val": "clear", "w:pos": pos}) for pos in style_tabs
                                    if pos not in (column, text_width)),
                  el("w:tab", {"w:val": "left", "w:pos": column}),
                  el("w:tab", {"w:val": "right", "w:pos": text_width}))

    def plain():
        return rpr(lang=lang)

    def draft():
        return rpr(style=draft_style, lang=lang)

    def props():
        node = ppr(style=header_style)
        node.append(tabs())  # w:tabs follows w:pStyle in schema order
        return node

    for child in list(hdr):
        hdr.remove(child)
    hdr.append(el("w:p", None, props(), *text_runs("{organisation}\t{document_type}\t{page} ", plain),
                  *fields.page_of_pages(plain)))
    hdr.append(el("w:p", None, props(), *text_runs("{draft}", draft),
                  *text_runs("\t{date}\t{register_number}", plain)))


def draft_paragraph(text: str, header_style: str, draft_style: str, lang: str | None) -> object:
    """The draft mark as a paragraph of its own, for templates whose header has no ``{draft}``."""
    return el("w:p", None, ppr(style=header_style), *text_runs(text, lambda: rpr(style=draft_style, lang=lang)))


def describe_images(root, text: str) -> None:
    """Give every image without alt text ``text`` (a template's logo: the organisation)."""
    for doc_pr in root.iter(qn("wp:docPr")):
        if not doc_pr.get("descr"):
            doc_pr.set("descr", text)


def style_tab_positions(styles, style_id: str) -> list[int]:
    style = next((s for s in styles.iterchildren(qn("w:style")) if s.get(qn("w:styleId")) == style_id), None)
    if style is None:
        return []
    return [int(t.get(qn("w:pos"))) for t in style.iter(qn("w:tab")) if t.get(qn("w:val")) != "clear"]


