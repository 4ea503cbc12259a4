"""One document to PDF bytes: one layout pass with reportlab, then one
pikepdf pass that adds what reportlab cannot write (signature fields, the
structure tree, PDF/A)."""
from __future__ import annotations

import io

import pikepdf

from ... import ast as A
from ... import present
from ...pdfkit.archive import make_archival
from ...pdfkit.fields import add_signature_fields
from ...pdfkit.page import AgreementTemplate, Layout, pdf_lang
from ...pdfkit.structure import write_structure
from ...pdfkit.styles import PdfStyle
from ...pdfkit.tagging import Tagger
from .story import StoryBuilder


def layout(doc: A.Document, style: PdfStyle, _) -> tuple[bytes, Layout, Tagger]:
    """Lay the document out once: the story, its structure tree and what landed where."""
    buffer = io.BytesIO()
    tagger = Tagger(pdf_lang(doc.language))
    template = AgreementTemplate(buffer, style, doc, _, tagger)
    template.build(StoryBuilder(doc, style, _, tagger.root).story())
    return buffer.getvalue(), template.layout, tagger


def render(doc: A.Document, style: PdfStyle) -> bytes:
    _ = present.labels_for(doc).gettext
    data, found, tagger = layout(doc, style, _)
    return archival(data, tagger, found.destinations, doc, style, _, fields=lambda pdf: add_signature_fields(
        pdf, present.signature_blocks(doc), found.signature_rects,
        lambda b: _("Signature: {party}, {role}", party=b.party, role=b.role)))


def archival(data: bytes, tagger: Tagger, destinations, doc: A.Document, style: PdfStyle, _,
             title: str | None = None, fields=None) -> bytes:
    """The laid-out PDF with its structure tree (and the form fields ``fields(pdf)`` adds),
    as PDF/A-2b identified as PDF/UA, saved reproducibly."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        widgets = fields(pdf) if fields else {}
        write_structure(pdf, tagger, widgets, destinations)
        make_archival(pdf, title=title or doc.title, author=doc.organisation,
                      subject=present.document_type(doc, _), lang=pdf_lang(doc.language),
                      icc_profile=style.icc_profile, pdfua=True)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
