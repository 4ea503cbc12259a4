"""The redline as a Word document with real tracked changes.

The change summary comes first (plain text: it is about the changes, not
one of them); then the agreement as the DOCX builder renders it, with every
difference to the old version as a tracked change: reworded text word by
word, added and removed blocks as inserted and deleted paragraphs and table
rows, moved goals as Word moves. Blocks the DOCX builder draws as a whole
(an indicator's row, a list, an impact goal) are deleted in their old form
and inserted in their new one. Headers carry the draft mark: a redline is
never the signed document.
"""
from __future__ import annotations

import dataclasses

from ... import ast as A
from ... import clock
from ... import present as P
from ...versions import DELETE, EQUAL, INSERT, MOVE_FROM, MOVE_TO, BlockDiff, DocumentDiff
from ...versions.summary import Summary
from ...versions.words import diff_text
from ...docxkit import tables as kit
from ...docxkit.inlines import Format, inlines, runs
from ...docxkit.template import Template
from ...docxkit.xml import paragraph, ppr
from ..docx import tables
from ..docx.blocks import BodyWriter
from ..docx.document import finish, start, start_on_new_page
from .track import DEL, INS, MOVE_FROM as W_MOVE_FROM, MOVE_TO as W_MOVE_TO, Revisions, mark_elements, \
    mark_row, segment_runs

_CONTAINERS = (A.Section, A.Annex, A.Theme, A.Goal, A.YearTarget)
_KIND = {INSERT: INS, DELETE: DEL, MOVE_FROM: W_MOVE_FROM, MOVE_TO: W_MOVE_TO}


def render_docx(d: DocumentDiff, summary: Summary, template: Template, author: str) -> bytes:
    new = d.document
    shown = dataclasses.replace(new, status="draft")  # the header's draft mark
    document, ctx = start(shown, template)
    # a redline is a draft: its changes are dated when it was made (SOURCE_DATE_EPOCH when set)
    rev = Revisions(author, clock.draft_datetime().strftime("%Y-%m-%dT%H:%M:%SZ"), ctx.bookmarks.next_id)
    writer = RedlineWriter(ctx, rev, d.old or new)
    if d.old is not None and d.new is not None:
        writer.signatures_changed = _signing(d.old, ctx._) != _signing(d.new, ctx._)
    summary_elements(writer, summary)
    first = len(writer.out)
    writer.cover(d)
    writer.diffs(d.body)
    start_on_new_page(writer.out, first)  # the agreement starts after the summary
    return finish(document, ctx, writer.out)


def summary_elements(writer: BodyWriter, s: Summary) -> None:
    ctx = writer.ctx
    writer.out.append(paragraph(ppr(style=ctx.style("heading", level=1)), runs(s.title, ctx)))
    if s.empty:
        writer.out.append(paragraph(ppr(style=ctx.style("body")), runs(s.none, ctx)))
        return

    def table(header: list[str], rows: list[list[str]], percents: list[float]) -> None:
        t = kit.Table(kit.widths_from_percent(percents, ctx.text_width), style=ctx.style("table", "table"))
        t.rows.append(kit.Row([kit.text_cell(ctx, h) for h in header], header=True))
        t.rows.extend(kit.Row([kit.text_cell(ctx, c) for c in row]) for row in rows)
        writer.out.append(kit.write(t))
        writer.space_after_table()

    if s.targets:
        table(s.target_header, s.targets, [52, 12, 18, 18])
    for title, lines in ((s.structure_title, s.structure),
                         (s.sections_title, [text for text, _ in s.sections])):
        if lines:
            writer.out.append(paragraph(ppr(style=ctx.style("heading", level=2)), runs(title, ctx)))
            writer.out.extend(paragraph(ppr(style=ctx.style("list")), runs("– " + line, ctx)) for line in lines)
    if s.metadata:
        writer.out.append(paragraph(ppr(style=ctx.style("heading", level=2)), runs(s.metadata_title, ctx)))
        table(s.metadata_header, s.metadata, [40, 30, 30])


class RedlineWriter(BodyWriter):
    """The body writer, walking the merged tree of a diff instead of one document."""

    def __init__(self, ctx, rev: Revisions, old_doc: A.Document):
        super().__init__(ctx)
        self.rev = rev
        self.old_doc = old_doc
        self.signatures_changed = False  # the signature blocks show the document's signatories
        self.period_changed = old_doc.period != ctx.doc.period

    # --- capture and mark --------------------------------------------------

    def _rendered(self, node_or_nodes, old: bool) -> list:
        """The elements the DOCX builder writes for a node (in the old document's terms when ``old``)."""
        saved_out, saved_doc = self.out, self.ctx.doc
        self.out = []
        if old:
            self.ctx.doc = dataclasses.replace(self.old_doc, status=saved_doc.status)
        try:
            nodes = node_or_nodes if isinstance(node_or_nodes, list) else [node_or_nodes]
            self.blocks(nodes)
            return self.out
        finally:
            self.out, self.ctx.doc = saved_out, saved_doc

    def _marked(self, node: A.Node, op: str) -> None:
        old = op in (DELETE, MOVE_FROM)
        self.out.extend(mark_elements(self._rendered(node, old), _KIND[op], self.rev))

    # --- the cover ---------------------------------------------------------

    def cover(self, d: DocumentDiff) -> None:
        ctx = self.ctx
        old, new = d.old, d.new
        for role, before, after in (("title", old and old.title, new and new.title),
                                    ("subtitle", old and old.subtitle, new and new.subtitle)):
            if before or after:
                self._text_paragraph(ctx.style(role), before or "", after or "")
        before = P.cover_lines(old, ctx._) if old else []
        after = P.cover_lines(new, ctx._) if new else []
        if not before and not after:
            return
        t = kit.Table(kit.widths_from_percent(ctx.settings["cover_columns"], ctx.text_width),
                         style=ctx.style("plain_table", "table"), header_look=False)
        marks: list[str | None] = []
        old_rows = dict(before)
        new_labels = {label for label, _ in after}
        for label, value in before:
            if label not in new_labels:
                t.rows.append(self._cover_row(label, value))
                marks.append(DEL)
        for label, value in after:
            if label in old_rows and old_rows[label] != value:
                t.rows.append(self._cover_row(label, old_rows[label]))
                marks.append(DEL)
            t.rows.append(self._cover_row(label, value))
            marks.append(None if old_rows.get(label) == value else INS)
        table = kit.write(t)
        for tr, mark in zip(_rows(table), marks):
            if mark:
                mark_row(tr, mark, self.rev)
        self.out.append(table)
        self.space_after_table()

    def _cover_row(self, label: str, value: str):
        ctx = self.ctx
        return kit.Row([kit.text_cell(ctx, label, bold=True, style_role="body"),
                           kit.text_cell(ctx, value, style_role="body")])

    def _text_paragraph(self, style: str, before: str, after: str, fmt: Format = Format()) -> None:
        content: list = []
        for seg in diff_text(before, after):
            content.extend(segment_runs(inlines(seg.inlines, self.ctx, fmt), seg.op, self.rev))
        self.out.append(paragraph(ppr(style=style), content))

    # --- the body ----------------------------------------------------------

    def diffs(self, items: list[BlockDiff]) -> None:
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item.node, A.Indicator):
                j = i
                while j < len(items) and isinstance(items[j].node, A.Indicator):
                    j += 1
                self.indicator_diffs(items[i:j])
                i = j
                continue
            self.diff(item)
            i += 1

    def diff(self, d: BlockDiff) -> None:
        if d.op == EQUAL and isinstance(d.new, A.Signatures) and self.signatures_changed:
            self._marked(d.old, DELETE)
            self._marked(d.new, INSERT)
        elif d.op == EQUAL and self.period_changed and isinstance(d.new, _CONTAINERS) \
                and any(isinstance(n, A.Indicator) for n in d.new.walk()):
            # the indicator tables have a column per year: their header rows change
            self.container(BlockDiff(EQUAL, d.old, d.new, children=[
                BlockDiff(EQUAL, o, n) for o, n in zip(d.old.body, d.new.body)]))
        elif d.op == EQUAL:
            self.block(d.new)
        elif d.op in (INSERT, DELETE, MOVE_FROM):
            self._marked(d.node, d.op)
        elif d.op == MOVE_TO:
            self._marked(d.new, MOVE_TO)
        elif isinstance(d.node, A.Paragraph):
            style = self.ctx.style(self.body_style)
            content: list = []
            for seg in d.text or []:
                content.extend(segment_runs(inlines(seg.inlines, self.ctx), seg.op, self.rev))
            self.out.append(paragraph(ppr(style=style), content))
        elif isinstance(d.node, _CONTAINERS):
            self.container(d)
        else:  # drawn as a whole: the old form deleted, the new one inserted
            self._marked(d.old, DELETE)
            self._marked(d.new, INSERT)

    def container(self, d: BlockDiff) -> None:
        ctx, old, new = self.ctx, d.old, d.new
        if isinstance(new, (A.Section, A.Annex)):
            level = min(max(new.level, 1), 9) if isinstance(new, A.Section) else 1
            style = ctx.style("heading", level=level)
            self._heading_diff(style, P.heading_text(old, ctx._), P.heading_text(new, ctx._))
            self.diffs(d.children)
        elif isinstance(new, A.Theme):
            self._heading_diff(ctx.style("theme"), old.title, new.title)
            self.diffs(d.children)
        elif isinstance(new, A.Goal):
            self._heading_diff(ctx.style("goal" if new.level <= 1 else "subgoal"), old.title, new.title)
            self.diffs(d.children)
        else:  # a year's target text
            self._heading_diff(ctx.style("target"), P.target_heading(old.year, ctx._),
                               P.target_heading(new.year, ctx._))
            saved, self.body_style = self.body_style, "target_body"
            try:
                self.diffs(d.children)
            finally:
                self.body_style = saved

    def _heading_diff(self, style: str, before: str, after: str) -> None:
        if before == after:
            self.out.append(paragraph(ppr(style=style), runs(after, self.ctx)))
        else:
            self._text_paragraph(style, before, after)

    def indicator_diffs(self, items: list[BlockDiff]) -> None:
        """Consecutive indicators as one table, as the DOCX builder draws them; the rows
        of a removed or changed indicator deleted, of an added or changed one inserted."""
        old_doc = dataclasses.replace(self.old_doc, status=self.ctx.doc.status)
        nodes: list[tuple[A.Indicator, str | None, bool]] = []  # indicator, mark, in the old document's terms
        for item in items:
            if item.op == EQUAL:
                nodes.append((item.new, None, False))
            elif item.op in (DELETE, MOVE_FROM):
                nodes.append((item.old, DEL, True))
            elif item.op in (INSERT, MOVE_TO):
                nodes.append((item.new, INS, False))
            else:
                nodes.extend([(item.old, DEL, True), (item.new, INS, False)])
        header_before = P.indicator_table(nodes[0][0], old_doc, self.ctx._).header
        header_after = P.indicator_table(nodes[0][0], self.ctx.doc, self.ctx._).header
        table = tables.indicator_table([n for n, _, _ in nodes], self.ctx, self)
        rows = _rows(table)
        marks: list[str | None] = [None]
        for node, mark, _ in nodes:
            marks.extend([mark] * (2 if node.body else 1))
        if header_before != header_after:  # the period changed: the old header row, deleted
            old_header = _rows(tables.indicator_table([nodes[0][0]], dataclasses.replace(self.ctx, doc=old_doc),
                                                      self))[0]
            rows[0].addprevious(old_header)
            mark_row(old_header, DEL, self.rev)
            marks[0] = INS
        for tr, mark in zip(rows, marks):
            if mark:
                mark_row(tr, mark, self.rev)
        self.out.append(table)
        self.space_after_table()


def _signing(doc: A.Document, _) -> tuple:
    return tuple(P.signature_blocks(doc)), P.place_and_date(doc, _)


def _rows(table) -> list:
    from docx.oxml.ns import qn
    return table.findall(qn("w:tr"))
