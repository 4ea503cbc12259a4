"""The few flowables reportlab lacks.  Each draws its content as marked
content of its structure element and its decoration as an artifact, so the
tagged PDF needs no fork of reportlab: only these subclasses."""
from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import getAscent
from reportlab.platypus import Flowable, Paragraph, Table

from . import glyphs
from .tagging import Slot, artifact, tagger_of


def _box(canv, x: float, y: float, width: float, height: float) -> tuple[float, float, float, float]:
    x0, y0 = canv.absolutePosition(x, y)
    x1, y1 = canv.absolutePosition(x + width, y + height)
    return (round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3))


class TaggedParagraph(Paragraph):
    """A paragraph whose text is the content of one structure element."""

    slot: Slot | None = None

    def __init__(self, text: str, style=None, *args, **kwargs):
        # what the style's font has no glyph for is drawn in a fallback font
        super().__init__(glyphs.markup(text, style.fontName) if text and style is not None else text,
                         style, *args, **kwargs)

    def tag(self, slot: Slot) -> "TaggedParagraph":
        self.slot = slot
        return self

    def drawOn(self, canv, x, y, _sW=0):
        tagger = tagger_of(canv)
        if tagger is None:
            return super().drawOn(canv, x, y, _sW)
        with tagger.content(canv, self.slot, _box(canv, x, y, self.width, self.height)):
            super().drawOn(canv, x, y, _sW)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:          # a paragraph split over pages stays one element
            part.slot = self.slot
        return parts


class LabelledParagraph(TaggedParagraph):
    """A list item's first paragraph with its label (bullet, number or ministry
    code) drawn in the hanging indent as a separate Lbl element."""

    label: str = ""
    label_slot: Slot | None = None

    def labelled(self, label: str, label_slot: Slot) -> "LabelledParagraph":
        self.label, self.label_slot = label, label_slot
        return self

    def drawOn(self, canv, x, y, _sW=0):
        if self.label:
            style = self.style
            size = style.bulletFontSize
            baseline = y + self.height - getAscent(style.fontName, style.fontSize)
            tagger = tagger_of(canv)
            box = _box(canv, x + style.bulletIndent, baseline, style.leftIndent - style.bulletIndent, size)
            if tagger is None:
                self._draw_label(canv, x, baseline)
            else:
                with tagger.content(canv, self.label_slot, box):
                    self._draw_label(canv, x, baseline)
        super().drawOn(canv, x, y, _sW)

    def _draw_label(self, canv, x, baseline):
        style = self.style
        canv.saveState()
        canv.setFillColor(getattr(style, "bulletColor", None) or style.textColor)
        glyphs.draw_string(canv, x + style.bulletIndent, baseline, self.label,
                           style.bulletFontName, style.bulletFontSize)
        canv.restoreState()

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for index, part in enumerate(parts):   # the label goes with the first part only
            part.label = self.label if index == 0 else ""
            part.label_slot = self.label_slot
        return parts


class Heading(TaggedParagraph):
    """A heading: a named destination, an outline entry and its page number
    (for the table of contents of the next pass)."""

    anchor: str | None = None
    outline_text: str = ""
    outline_level: int | None = None

    def mark(self, anchor: str, outline_text: str, outline_level: int | None) -> "Heading":
        self.anchor, self.outline_text, self.outline_level = anchor, outline_text, outline_level
        self.keepWithNext = 1
        return self

    def draw(self):
        if self.anchor:
            canv = self.canv
            canv.bookmarkHorizontal(self.anchor, 0, self.height)
            _x, top = canv.absolutePosition(0, self.height)
            canv._doctemplate.record_anchor(self.anchor, canv.getPageNumber(), self.outline_text, top)
            if self.outline_level is not None:
                canv.addOutlineEntry(self.outline_text, self.anchor, self.outline_level,
                                     closed=self.outline_level >= 1)
        super().draw()

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if parts:
            # only the first part carries the mark
            first = parts[0]
            first.anchor, first.outline_text, first.outline_level = \
                self.anchor, self.outline_text, self.outline_level
            for part in parts[1:]:
                part.anchor = None
        return parts


def _table_events(table, event, *args):
    """Table drawing callbacks: a header row repeated on a later page is an
    artifact (its cells were already read where the table began)."""
    tagger = tagger_of(table.canv)
    if tagger is None or not getattr(table, "continues", False):
        return
    rows = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
    if event == "startCell" and args[0] < rows:
        tagger.begin_artifact(table.canv, "Pagination")
    elif event == "endCell" and table._current_artifact_row:
        tagger.end_artifact(table.canv)
    if event == "startCell":
        table._current_artifact_row = args[0] < rows


class TaggedTable(Table):
    """A table whose grid and backgrounds are artifacts; its cells' paragraphs
    carry their own tags (TH/TD)."""

    continues = False          # True on the parts of a split table after the first
    _current_artifact_row = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("renderCB", _table_events)
        super().__init__(*args, **kwargs)

    def _drawBkgrnd(self):
        with artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self):
        with artifact(self.canv):
            super()._drawLines()

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts[1:]:
            part.continues = True
        if parts and self.continues:
            parts[0].continues = True
        return parts


class Rule(Flowable):
    """A horizontal line to write on (place and date): decoration, an artifact."""

    def __init__(self, width: float, colour, thickness: float = 0.6, space_after: float = 2):
        super().__init__()
        self.width, self.colour, self.thickness = width, colour, thickness
        self.height = thickness
        self.spaceAfter = space_after

    def wrap(self, availWidth, availHeight):
        self.width = min(self.width, availWidth)
        return self.width, self.height

    def draw(self):
        with artifact(self.canv):
            self.canv.saveState()
            self.canv.setStrokeColor(self.colour)
            self.canv.setLineWidth(self.thickness)
            self.canv.line(0, 0, self.width, 0)
            self.canv.restoreState()


class SignatureSpace(Rule):
    """The empty space a signature goes in, with a line to sign on; records
    where it landed so the empty signature field can be put exactly there."""

    def __init__(self, field_name: str, width: float, height: float, colour, thickness: float = 0.6):
        super().__init__(width, colour, thickness, space_after=0)
        self.field_name = field_name
        self.height = height

    def draw(self):
        super().draw()
        canv = self.canv
        canv._doctemplate.layout.signature_rects[self.field_name] = (
            canv.getPageNumber() - 1, _box(canv, 0, 0, self.width, self.height))


class PageReference(Flowable):
    """The page a heading lands on, for the table of contents: known only when
    the layout is done, so it is drawn as a form the template defines then."""

    def __init__(self, anchor: str, style):
        super().__init__()
        self.anchor, self.style = anchor, style
        self.slot: Slot | None = None

    def tag(self, slot: Slot) -> "PageReference":
        self.slot = slot
        return self

    def wrap(self, availWidth, availHeight):
        self.width, self.height = availWidth, self.style.leading
        return self.width, self.height

    def draw(self):
        canv = self.canv
        name = canv._doctemplate.page_reference(self.anchor, self.width, self.height, self.style)
        tagger = tagger_of(canv)
        if tagger is None:
            canv.doForm(name)
            return
        with tagger.content(canv, self.slot, _box(canv, 0, 0, self.width, self.height)):
            canv.doForm(name)
