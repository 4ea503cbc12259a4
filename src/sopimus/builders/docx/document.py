"""One document rendered into the reference template: cover, table of
contents, body, header and metadata, saved as reproducible bytes."""
from __future__ import annotations

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ... import ast as A
from ... import clock
from ... import present as P
from ...docxkit import fields, header, meta
from ...docxkit.context import WordContext
from ...docxkit.inlines import Format, runs
from ...docxkit.lists import Numbering
from ...docxkit.package import TemplateError, reproducible_zip
from ...docxkit.styles import StyleMap
from ...docxkit.template import Template
from ...docxkit.xml import el, paragraph, ppr
from . import tables
from .blocks import BodyWriter

EMU_PER_TWIP = 635


def render(doc: A.Document, template: Template) -> bytes:
    document, ctx = start(doc, template)
    writer = BodyWriter(ctx)
    cover(writer)
    table_of_contents(writer)
    first_body = len(writer.out)
    writer.blocks(doc.body)
    start_on_new_page(writer.out, first_body)
    return finish(document, ctx, writer.out)


def start(doc: A.Document, template: Template):
    """The template opened for ``doc``, its own text removed, and the rendering context."""
    try:
        document = docx.Document(io.BytesIO(template.data))
    except (ValueError, KeyError) as exc:  # e.g. a macro-enabled .docm
        raise TemplateError(f"the DOCX template cannot be opened: {exc}") from None
    _ = P.labels_for(doc)
    settings = template.settings
    lang = meta.language_tag(doc.language)
    body = document.element.body
    for child in list(body):  # the template's own text is not part of the agreement
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = document.sections[-1]
    lists = settings["lists"]
    ctx = WordContext(
        doc=doc, _=_, styles=StyleMap(document.styles.element, template.fallback_styles),
        roles=settings["styles"],
        numbering=Numbering(document.part.numbering_part.element, lists["bullets"], lists["numbers"],
                            float(lists["indent_cm"])),
        part=document.part, lang=lang,
        text_width=int((section.page_width - section.left_margin - section.right_margin) / EMU_PER_TWIP),
        settings=settings, colours=template.colours)
    return document, ctx


def finish(document, ctx: WordContext, elements: list) -> bytes:
    """``elements`` as the body; headers, properties and language set; reproducible bytes."""
    doc, _ = ctx.doc, ctx._
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for element in elements:
        sect_pr.addprevious(element) if sect_pr is not None else body.append(element)

    fill_headers(document, ctx)
    meta.set_core_properties(document, doc, _, clock.build_datetime())
    settings_el = document.settings.element
    meta.set_language(document.styles.element, settings_el, ctx.lang)
    meta.set_update_fields(settings_el)
    meta.set_number_symbols(settings_el, ",", ";")

    out = io.BytesIO()
    document.save(out)
    return reproducible_zip(out.getvalue(), clock.build_datetime())


def cover(writer: BodyWriter) -> None:
    ctx = writer.ctx
    doc = ctx.doc
    writer.out.append(paragraph(ppr(style=ctx.style("title")), runs(doc.title, ctx, Format(lang=ctx.lang_of(doc.lang)))))
    if doc.subtitle:
        writer.out.append(paragraph(ppr(style=ctx.style("subtitle")),
                                    runs(doc.subtitle, ctx, Format(lang=ctx.lang_of(doc.subtitle_lang)))))
    facts = tables.cover_table(ctx)
    if facts is not None:
        writer.out.append(facts)
        writer.space_after_table()
    history = tables.history_table(ctx)
    if history:
        writer.out.extend(history)
        writer.space_after_table()


def table_of_contents(writer: BodyWriter) -> None:
    """The TOC field, already showing the headings Word will list (Heading 1 … n)."""
    ctx = writer.ctx
    levels = int(ctx.settings["toc_levels"])
    writer.out.append(paragraph(ppr(style=ctx.style("toc_heading")), runs(ctx._("Contents"), ctx)))
    entries = [(e.level, e.text, ctx.bookmarks.toc_bookmark(e.node))
               for e in P.toc(ctx.doc, ctx._, max_level=levels)]
    writer.out.extend(fields.toc(entries, levels, lambda level: ctx.style("toc", level=level),
                                 ctx.rpr_factory()))


def start_on_new_page(elements: list, index: int) -> None:
    """The body starts on a new page, after the cover and the table of contents."""
    if index >= len(elements):
        return
    first = elements[index]
    props = first.find(qn("w:pPr")) if first.tag == qn("w:p") else None
    if props is None:
        elements.insert(index, paragraph(ppr(page_break_before=True), []))
        return
    style = props.find(qn("w:pStyle"))  # w:pageBreakBefore follows it in schema order
    marker = el("w:pageBreakBefore")
    style.addnext(marker) if style is not None else props.insert(0, marker)


def _parts(document, reltype: str) -> list:
    return [rel.target_part for rel in document.part.rels.values() if rel.reltype == reltype]


def fill_headers(document, ctx: WordContext) -> None:
    doc, _ = ctx.doc, ctx._
    if document.sections[-1].header.is_linked_to_previous:
        # A template without a header gets the standard one.
        hdr = document.sections[-1].header
        hdr.is_linked_to_previous = False
        header_style = ctx.style("header")
        column = round(ctx.text_width * float(ctx.settings["header_column"]) / 100)
        header.standard_header(hdr.part.element, header_style, ctx.style("draft_mark", "character"),
                               ctx.text_width, column,
                               header.style_tab_positions(document.styles.element, header_style), ctx.lang)
    head = P.page_header(doc, _)
    values = {
        "organisation": head.organisation,
        "document_type": head.document_type,
        "title": doc.title,
        "period": P.period_text(doc),
        "date": head.date,
        "register_number": doc.register_number or "",
        "draft": head.draft,
        "page": P.page_word(_),
    }
    found: set[str] = set()
    for where, reltype in (("header", RT.HEADER), ("footer", RT.FOOTER)):
        for part in _parts(document, reltype):
            found |= header.fill(part.element, values, where)
            header.describe_images(part.element, doc.organisation)
            for lang in part.element.iter(qn("w:lang")):
                lang.set(qn("w:val"), ctx.lang)
    if doc.is_draft and "draft" not in found:
        # The template has no place for the draft mark: it goes on top of every header.
        for part in _parts(document, RT.HEADER):
            part.element.insert(0, header.draft_paragraph(values["draft"], ctx.style("header"),
                                                           ctx.style("draft_mark", "character"), ctx.lang))
