"""The redline as a tagged PDF: the change summary, then the agreement with
every change marked.

Inserted text is underlined, deleted text struck through (and coloured: the
colour is never the only cue); a bar in the left margin marks each changed
block (solid: inserted or changed, dotted: deleted); the structure element
of a marked block carries an ``/Alt`` that says what happened to it
("[lisätty] …", "[poistettu] …"), and the text of both versions stays in the
text layer. The draft mark is on every page: a redline is never the signed
document. Tagged (PDF/UA identified), PDF/A-2b, like the agreement.
"""
from __future__ import annotations

import dataclasses
import io
from dataclasses import replace

from ...pdfkit import platypus as _platypus  # noqa: F401  (first: see its docstring)
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table

from ... import ast as A
from ... import present
from ...pdfkit.flowables import Heading, PageReference, TaggedParagraph, TaggedTable
from ...pdfkit.inline import markup, text
from ...pdfkit.page import AgreementTemplate, pdf_lang
from ...pdfkit.styles import PdfStyle
from ...pdfkit.tagging import Tagger, artifact
from ...versions import DELETE, EQUAL, INSERT, MOVE_FROM, MOVE_TO, BlockDiff, DocumentDiff
from ...versions.summary import Summary
from ...versions.words import Segment, diff_text
from ..pdf.render import archival
from ..pdf.story import Placement, StoryBuilder

_CONTAINERS = (A.Section, A.Annex, A.Theme, A.Goal, A.YearTarget)
INS_COLOUR, DEL_COLOUR = "#0b5d1e", "#9b1c1c"


def render_pdf(d: DocumentDiff, summary: Summary, style: PdfStyle) -> bytes:
    shown = dataclasses.replace(d.document, status="draft")  # the draft mark on every page
    _ = present.labels_for(shown).gettext
    buffer = io.BytesIO()
    tagger = Tagger(pdf_lang(shown.language))
    template = AgreementTemplate(buffer, style, shown, _, tagger)
    story = RedlineStory(d, summary, shown, style, _, tagger.root)
    template.build(story.story())
    return archival(buffer.getvalue(), tagger, template.layout.destinations, shown, style, _,
                    title=f"{summary.title}: {shown.title}")


class _Bar:
    """Mixed into a paragraph: a bar in the left margin beside it (an artifact)."""

    bar_dotted = False

    def drawOn(self, canv, x, y, _sW=0):
        super().drawOn(canv, x, y, _sW)
        with artifact(canv):
            canv.saveState()
            canv.setLineWidth(2)
            if self.bar_dotted:
                canv.setDash(2, 2)
            edge = x - 5 * mm
            canv.line(edge, y, edge, y + self.height)
            canv.restoreState()


_BARRED: dict[type, type] = {}


def with_bar(flowable: Paragraph, dotted: bool) -> None:
    cls = type(flowable)
    if not issubclass(cls, _Bar):
        flowable.__class__ = _BARRED.setdefault(cls, type(f"Barred{cls.__name__}", (_Bar, cls), {}))
    flowable.bar_dotted = dotted


def wrap(markup_text: str, op: str) -> str:
    if op in ("insert", INSERT, MOVE_TO):
        return f'<u><font color="{INS_COLOUR}">{markup_text}</font></u>'
    return f'<strike><font color="{DEL_COLOUR}">{markup_text}</font></strike>'


class RedlineStory(StoryBuilder):
    def __init__(self, d: DocumentDiff, summary: Summary, shown: A.Document, style: PdfStyle, _, root):
        super().__init__(shown, style, _, root)
        self.d, self.summary = d, summary
        self.old_doc = dataclasses.replace(d.old or shown, status="draft")
        self.words = {INSERT: _("added"), DELETE: _("removed"), MOVE_TO: _("moved"), MOVE_FROM: _("moved")}

    def story(self) -> list:
        out = list(self.summary_flowables())
        out.append(PageBreak())
        out.extend(self.cover())
        out.extend(self.diffs(self.d.body, Placement(self.root, self.style.style("body"))))
        return out

    # --- the change summary --------------------------------------------------

    def summary_flowables(self):
        s, sm = self.style, self.summary
        sect = self.root.add("Sect")
        yield self.para(sect, text(sm.title), s.style("heading_1"), "H1", sm.title)
        if sm.empty:
            yield self.para(sect, text(sm.none), s.style("body"), plain=sm.none)
            return
        if sm.targets:
            yield from self.summary_table(sect, sm.target_header, sm.targets, [0.52, 0.12, 0.18, 0.18])
        for title, lines in ((sm.structure_title, sm.structure), (sm.sections_title, None)):
            entries = lines if lines is not None else sm.sections
            if not entries:
                continue
            yield self.para(sect, text(title), s.style("heading_2"), "H2", title)
            lst = sect.add("L", attributes={"O": "List", "ListNumbering": "None"})
            for entry in entries:
                body = lst.add("LI").add("LBody")
                if lines is not None:
                    yield self.para(body, text("– " + entry), s.style("body"), plain=entry)
                    continue
                heading, section = entry  # a section, with the page it starts on
                row = [TaggedParagraph(text(heading), s.style("toc_1")).tag(body.add("P").slot(heading)),
                       PageReference(present.anchor(section), s.style("toc_page")).tag(body.slot())]
                table = TaggedTable([row], colWidths=[self.width - 18 * mm, 18 * mm], hAlign="LEFT")
                table.setStyle(self.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
                yield table
        if sm.metadata:
            yield self.para(sect, text(sm.metadata_title), s.style("heading_2"), "H2", sm.metadata_title)
            yield from self.summary_table(sect, sm.metadata_header, sm.metadata, [0.4, 0.3, 0.3])

    def summary_table(self, parent, header: list[str], rows: list[list[str]], shares: list[float]):
        s = self.style
        table = parent.add("Table")
        data = [self.header_row(table, header)]
        data.extend(self.data_row(table, [(c, s.style("cell")) for c in row]) for row in rows)
        flowable = TaggedTable(data, colWidths=[self.width * f for f in shares], repeatRows=1, hAlign="LEFT")
        flowable.setStyle(self.table_style(self.grid_commands()))
        yield flowable
        yield Spacer(1, 6)

    # --- marking what the story builder drew --------------------------------------

    def marked(self, flowables: list, op: str) -> list:
        word = self.words[op]
        for flowable in flowables:
            self._mark(flowable, op, word)
        return flowables

    def _mark(self, flowable, op: str, word: str, bar: bool = True) -> None:
        if isinstance(flowable, Paragraph):
            Paragraph.__init__(flowable, wrap(flowable.text, op), flowable.style)
            slot = getattr(flowable, "slot", None)
            if slot is not None and slot.text:
                slot.elem.alt = f"[{word}] {slot.text}"
            if bar:
                with_bar(flowable, dotted=op in (DELETE, MOVE_FROM))
        elif isinstance(flowable, Table):  # cells: no bar inside the table's columns
            for row in flowable._cellvalues:
                for cell in row:
                    for inner in cell if isinstance(cell, (list, tuple)) else [cell]:
                        self._mark(inner, op, word, bar=False)

    def _rendered(self, node: A.Node, ctx: Placement, old: bool) -> list:
        saved = self.doc
        if old:
            self.doc = self.old_doc
        try:
            return list(self.blocks([node], ctx))
        finally:
            self.doc = saved

    # --- the body ---------------------------------------------------------

    def diffs(self, items: list[BlockDiff], ctx: Placement):
        i = 0
        while i < len(items):
            if isinstance(items[i].node, A.Indicator):
                j = i
                while j < len(items) and isinstance(items[j].node, A.Indicator):
                    j += 1
                yield from self.indicator_diffs(items[i:j], ctx)
                i = j
                continue
            yield from self.diff(items[i], ctx)
            i += 1

    def diff(self, d: BlockDiff, ctx: Placement):
        if d.op == EQUAL:
            yield from self.blocks([d.new], ctx)
        elif d.op in (INSERT, MOVE_TO):
            yield from self.marked(self._rendered(d.new, ctx, False), d.op)
        elif d.op in (DELETE, MOVE_FROM):
            yield from self.marked(self._rendered(d.old, ctx, True), d.op)
        elif isinstance(d.node, A.Paragraph):
            content = self.segments(d.text or [])
            paragraph = self.para(ctx.parent, content, ctx.para, plain=A.plain_text(d.new.content))
            paragraph.slot.elem.alt = self.spoken(d.text or [])
            with_bar(paragraph, dotted=False)
            yield paragraph
        elif isinstance(d.node, _CONTAINERS):
            yield from self.container(d, ctx)
        else:
            yield from self.marked(self._rendered(d.old, ctx, True), DELETE)
            yield from self.marked(self._rendered(d.new, ctx, False), INSERT)

    def segments(self, segments: list[Segment]) -> str:
        return "".join(markup(seg.inlines, self.style) if seg.op == "equal" else wrap(
            markup(seg.inlines, self.style), seg.op) for seg in segments)

    def spoken(self, segments: list[Segment]) -> str:
        """The text as a screen reader should say it: "… [poistettu] old [lisätty] new …"."""
        words = {"insert": self.words[INSERT], "delete": self.words[DELETE]}
        return "".join(s.text if s.op == "equal" else f" [{words[s.op]}] {s.text.strip()} " for s in segments)

    def changed_heading(self, ctx: Placement, before: str, after: str, style, anchor: str,
                        outline: bool = True) -> tuple[Heading, object]:
        sect = ctx.parent.add("Sect")
        level = min(ctx.outline_level + 1, 6)
        segments = diff_text(before, after)
        elem = sect.add(f"H{level}", title=after)
        flowable = Heading(self.segments(segments), style).tag(elem.slot(after))
        if before != after:
            elem.alt = self.spoken(segments)
            with_bar(flowable, dotted=False)
        flowable.mark(anchor, after, ctx.outline_level if outline else None)
        return flowable, sect

    def container(self, d: BlockDiff, ctx: Placement):
        s, old, new, _ = self.style, d.old, d.new, self._
        if isinstance(new, A.YearTarget):
            title = present.target_heading(new.year, _)
            sect = ctx.parent.add("Sect")
            level = min(ctx.outline_level + 1, 6)
            label = TaggedParagraph(text(title), s.style("target_label")).tag(
                sect.add(f"H{level}", title=title).slot(title))
            label.keepWithNext = 1
            yield label
            yield from self.diffs(d.children, replace(ctx, parent=sect, para=s.style("target_body")))
            return
        if isinstance(new, A.Section):
            flowable, sect = self.changed_heading(ctx, present.heading_text(old, _), present.heading_text(new, _),
                                                  s.style(f"heading_{min(new.level, 4)}"), present.anchor(new))
            inner = Placement(sect, s.style("body"), ctx.outline_level + 1)
        elif isinstance(new, A.Annex):
            yield PageBreak()
            flowable, sect = self.changed_heading(replace(ctx, outline_level=0), present.heading_text(old, _),
                                                  present.heading_text(new, _), s.style("heading_1"),
                                                  present.anchor(new))
            inner = Placement(sect, s.style("body"), 1)
        elif isinstance(new, A.Theme):
            flowable, sect = self.changed_heading(ctx, old.title, new.title, s.style("theme"), present.anchor(new))
            inner = Placement(sect, s.style("body"), ctx.outline_level + 1)
        else:
            style = s.style(f"goal_{min(new.level, 2)}")
            flowable, sect = self.changed_heading(ctx, old.title, new.title, style, present.goal_anchor(new.id))
            inner = Placement(sect, self.derived(s.style("body"), leftIndent=style.leftIndent),
                              ctx.outline_level + 1)
        yield flowable
        yield from self.diffs(d.children, inner)

    def indicator_diffs(self, items: list[BlockDiff], ctx: Placement):
        """One table, as the story builder draws a run of indicators; the row of a removed
        or changed indicator struck through, of an added or changed one underlined."""
        rows: list[tuple[A.Indicator, A.Document, str | None]] = []
        for item in items:
            if item.op == EQUAL:
                rows.append((item.new, self.doc, None))
            elif item.op in (DELETE, MOVE_FROM):
                rows.append((item.old, self.old_doc, DELETE))
            elif item.op in (INSERT, MOVE_TO):
                rows.append((item.new, self.doc, INSERT))
            else:
                rows.extend([(item.old, self.old_doc, DELETE), (item.new, self.doc, INSERT)])
        flowable, drawn = self.indicator_table([(ind, doc) for ind, doc, _ in rows], ctx, columns=self.doc)
        for (_ind, _doc, mark), drawn_rows in zip(rows, drawn):
            if mark:
                for row in drawn_rows:
                    for cell in row:
                        for inner in cell if isinstance(cell, list) else [cell]:
                            self._mark(inner, mark, self.words[mark], bar=False)
        yield flowable
        yield Spacer(1, 6)
