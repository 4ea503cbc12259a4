"""The page: A4 with the SFS 2487 header (organisation top left, document type
and date, page as ``3 (24)``) and the draft mark, laid out in ONE pass.

Numbers that are known only at the end (the page count in every header, the
page of each heading in the table of contents) are drawn as form XObjects
that the pages reference at once and that are defined when the last page is
done, so nothing is laid out twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import getAscent
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .. import ast as A
from .. import present
from . import glyphs
from .styles import PdfStyle

PAGE_MARK_WIDTH = 120.0   # points: room for "sivu 999 (999)" right-aligned in the header


@dataclass
class Layout:
    """What the layout found out: where headings landed, how many pages, where signatures go."""

    pages: dict[str, int] = field(default_factory=dict)
    total: int = 0
    # field name -> (page index from 0, (x0, y0, x1, y1) in points)
    signature_rects: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)
    # (page index from 0, top in points) of every heading -> its text: what a link to it leads to
    destinations: dict[tuple[int, float], str] = field(default_factory=dict)


class AgreementTemplate(BaseDocTemplate):
    """The layout of one document."""

    def __init__(self, buffer, style: PdfStyle, doc: A.Document, _, tagger=None):
        geometry = style.page
        super().__init__(
            buffer, pagesize=(geometry.width, geometry.height),
            leftMargin=geometry.left, rightMargin=geometry.right,
            topMargin=geometry.top, bottomMargin=geometry.bottom,
            invariant=1, initialFontName=style.font(), initialFontSize=10,
            title=doc.title, author=doc.organisation, lang=pdf_lang(doc.language),
            creator="sopimus", subject=present.document_type(doc, _), pageCompression=1)
        self.style, self.document, self._ = style, doc, _
        self.layout = Layout()
        self.tagger = tagger
        # form name -> (anchor, width, height, paragraph style) of each page reference drawn
        self._page_refs: dict[str, tuple[str, float, float, object]] = {}
        frame = Frame(geometry.left, geometry.bottom, geometry.frame_width, geometry.frame_height,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._draw_furniture)])
        self.header = present.page_header(doc, _)

    def afterPage(self):
        self.layout.total = self.page

    def record_anchor(self, anchor: str, page: int, title: str, top: float) -> None:
        self.layout.pages.setdefault(anchor, page)
        self.layout.destinations[(page - 1, round(top, 2))] = title

    def page_reference(self, anchor: str, width: float, height: float, style) -> str:
        """The name of a form that will show the page ``anchor`` lands on (drawn later)."""
        name = f"pageref{len(self._page_refs)}"
        self._page_refs[name] = (anchor, width, height, style)
        return name

    def _endBuild(self):
        self._doSave = 0
        super()._endBuild()
        self._define_number_forms()
        self.canv.save()

    def _define_number_forms(self) -> None:
        canv, page = self.canv, self.style.page_data
        size = page.get("header_size", 8.5)
        for number in range(1, self.layout.total + 1):
            canv.beginForm(f"pagemark{number}", lowerx=0, lowery=-size, upperx=PAGE_MARK_WIDTH, uppery=size * 2)
            canv.setFillColor(self.style.colour(page.get("header_colour"), "muted"))
            canv.setFont(self.style.font(), size)
            canv.drawRightString(PAGE_MARK_WIDTH, 0, present.page_mark(number, self.layout.total, self._))
            canv.endForm()
        for name, (anchor, width, height, style) in self._page_refs.items():
            if anchor not in self.layout.pages:
                raise ValueError(f"the table of contents refers to {anchor!r}, which was never laid out")
            canv.beginForm(name, lowerx=0, lowery=0, upperx=width, uppery=height)
            canv.setFillColor(style.textColor)
            canv.setFont(style.fontName, style.fontSize)
            canv.drawRightString(width, height - getAscent(style.fontName, style.fontSize),
                                 str(self.layout.pages[anchor]))
            canv.endForm()

    # --- page furniture ---------------------------------------------------

    def _draw_furniture(self, canv, _doc) -> None:
        if self.tagger is not None:
            self.tagger.begin_artifact(canv, "Pagination")
        self._draw_header(canv)
        if self.tagger is not None:
            self.tagger.end_artifact(canv)

    def _draw_header(self, canv) -> None:
        style, geometry, page = self.style, self.style.page, self.style.page_data
        size = page.get("header_size", 8.5)
        top = geometry.height - geometry.header_top
        right = geometry.width - geometry.right
        middle = geometry.left + geometry.frame_width * 0.55
        canv.saveState()
        canv.setFillColor(style.colour(page.get("header_colour"), "muted"))
        glyphs.draw_string(canv, geometry.left, top, self.header.organisation, style.font("bold"), size)
        glyphs.draw_string(canv, middle, top, self.header.document_type, style.font("bold"), size)
        canv.saveState()
        canv.translate(right - PAGE_MARK_WIDTH, top)
        canv.doForm(f"pagemark{canv.getPageNumber()}")   # defined when the page count is known
        canv.restoreState()
        canv.setFont(style.font(), size)
        if self.header.date:
            canv.drawString(middle, top - size * 1.3, self.header.date)
        if self.header.draft:
            draft_size = page.get("draft_size", 11)
            canv.setFillColor(style.colour(page.get("draft_colour"), "red"))
            canv.setFont(style.font("bold"), draft_size)
            canv.drawString(geometry.left, top - size * 1.3 - draft_size * 1.3, self.header.draft)
        canv.setStrokeColor(style.colour("rule"))
        canv.setLineWidth(0.5)
        line_y = geometry.height - geometry.top + 6
        canv.line(geometry.left, line_y, right, line_y)
        canv.restoreState()


def pdf_lang(lang: str) -> str:
    """The document language as a BCP 47 tag of Finland's languages (``fi-FI``, ``sv-FI``)."""
    return f"{lang}-FI" if lang in ("fi", "sv") else lang
