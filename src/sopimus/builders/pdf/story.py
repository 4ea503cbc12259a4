"""The AST as a reportlab story and, alongside it, the structure tree of the
tagged PDF: one handler per node class, found by class.

The story is flat (headings, paragraphs and tables one after another) so
that reportlab's keep-with-next keeps every heading with what follows it.
The structure tree is built here, in AST order, so the reading order of the
tagged PDF is the AST's.  A node type without a handler is an error, never
silence.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, PageBreak, Spacer, TableStyle

from ... import ast as A
from ... import present
from ...walk import Walker
from ...pdfkit.flowables import (
    Heading,
    LabelledParagraph,
    PageReference,
    Rule,
    SignatureSpace,
    TaggedParagraph,
    TaggedTable,
)
from ...pdfkit.inline import markup, text
from ...pdfkit.page import pdf_lang
from ...pdfkit.styles import PdfStyle
from ...pdfkit.tagging import StructElem


@dataclass(frozen=True)
class Placement:
    """Where in the document a block stands: its structure element, paragraph
    style and heading depth."""

    parent: StructElem
    para: ParagraphStyle
    outline_level: int = 0
    label: tuple[str, StructElem] | None = None   # a list item's label and LI, for its first paragraph


class StoryBuilder(Walker):
    FORMAT = "PDF"
    def __init__(self, doc: A.Document, style: PdfStyle, _, root: StructElem):
        self.doc, self.style, self._ = doc, style, _
        self.root = root
        self.width = style.page.frame_width
        self._derived: dict[tuple, ParagraphStyle] = {}

    # --- the whole document -----------------------------------------------

    def story(self) -> list:
        out = list(self.cover())
        out.extend(self.contents())
        out.extend(self.blocks(self.doc.body, Placement(self.root, self.style.style("body"))))
        return out

    def lang(self, lang: str | None) -> str | None:
        """The ``/Lang`` of an element whose text is not in the document's language."""
        return pdf_lang(lang) if lang and lang != self.doc.language else None

    def para(self, parent: StructElem, markup_text: str, style: ParagraphStyle, role: str = "P",
             plain: str = "", lang: str | None = None) -> TaggedParagraph:
        """A paragraph that is a new ``role`` element under ``parent``."""
        elem = parent.add(role, lang=self.lang(lang))
        return TaggedParagraph(markup_text, style).tag(elem.slot(plain))

    def cover(self) -> Iterator:
        s, doc, _ = self.style, self.doc, self._
        yield self.para(self.root, text(doc.title), s.style("title"), "Title", doc.title, lang=doc.lang)
        if doc.subtitle:
            yield self.para(self.root, text(doc.subtitle), s.style("subtitle"), lang=doc.subtitle_lang)
        table = self.root.add("Table")
        rows = []
        for fact in present.cover_facts(doc, _):
            tr = table.add("TR")
            label = TaggedParagraph(text(fact.label), s.style("cover_label")).tag(
                tr.add("TH", attributes={"O": "Table", "Scope": "Row"}).slot())
            td = tr.add("TD")
            if fact.mixed:   # a line in another language: a paragraph of its own, with its /Lang
                rows.append([label, [self.para(td, text(line), s.style("cover_value"), plain=line, lang=lang)
                                     for line, lang in fact.lines]])
            else:
                rows.append([label, TaggedParagraph("<br/>".join(text(line) for line in fact.value.split("\n")),
                                                    s.style("cover_value")).tag(td.slot())])
        flowable = TaggedTable(rows, colWidths=[self.width * 0.32, self.width * 0.68], hAlign="LEFT")
        flowable.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                            ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        yield flowable
        yield from self.history()
        yield PageBreak()

    def history(self) -> Iterator:
        """The versions of the agreement so far (nothing without a history)."""
        s, history = self.style, present.history_table(self.doc, self._)
        if history is None:
            return
        table = self.root.add("Table")
        caption = self.para(table, text(history.caption), s.style("cover_label"), "Caption", history.caption)
        caption.keepWithNext = 1
        yield Spacer(1, 6)
        yield caption
        rows = [self.header_row(table, history.header)]
        rows.extend(self.data_row(table, [(c, s.style("cell")) for c in row]) for row in history.rows)
        flowable = TaggedTable(rows, colWidths=[self.width * f for f in (0.16, 0.12, 0.22, 0.5)],
                               repeatRows=1, hAlign="LEFT")
        flowable.setStyle(self.table_style(self.grid_commands()))
        yield flowable

    def contents(self) -> Iterator:
        s, _ = self.style, self._
        entries = present.toc(self.doc, _, max_level=int(s.data.get("toc_levels", 2)))
        if not entries:
            return
        yield self.para(self.root, text(_("Contents")), s.style("toc_title"), "TOCHead", _("Contents"))
        toc = self.root.add("TOC")
        link = s.colour(s.spec("toc_1").get("colour"), "text").hexval()[2:]
        rows = []
        for entry in entries:
            item = toc.add("TOCI").add("P")
            rows.append([
                TaggedParagraph(f'<a href="#{entry.anchor}" color="#{link}">{text(entry.text)}</a>',
                                s.style(f"toc_{min(entry.level, 3)}")).tag(item.add("Link").slot(entry.text)),
                PageReference(entry.anchor, s.style("toc_page")).tag(item.slot())])
        table = TaggedTable(rows, colWidths=[self.width - 18 * mm, 18 * mm], hAlign="LEFT")
        table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                         ("TOPPADDING", (0, 0), (-1, -1), 1),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        yield table
        yield PageBreak()

    # --- blocks -----------------------------------------------------------

    def blocks(self, nodes: list[A.Node], ctx: Placement) -> Iterator:
        """Blocks in order (runs of indicators as one table, of impact goals as one list)."""
        for handle, item in self.block_runs(nodes):
            yield from handle(item, ctx)
            ctx = replace(ctx, label=None)   # only a list item's first block carries its label

    def heading(self, ctx: Placement, node: A.Node, title: str, style: ParagraphStyle, anchor: str,
                outline: bool = True) -> tuple[Heading, StructElem]:
        """A heading (H1…H6 by depth) opening a section element for what follows it."""
        sect = ctx.parent.add("Sect")
        level = min(ctx.outline_level + 1, 6)
        elem = sect.add(f"H{level}", title=title, lang=self.lang(node.lang))
        flowable = Heading(text(title), style).tag(elem.slot(title))
        flowable.mark(anchor, title, ctx.outline_level if outline else None)
        return flowable, sect

    def visit_paragraph(self, node: A.Paragraph, ctx: Placement) -> Iterator:
        content = markup(node.content, self.style)
        plain = A.plain_text(node.content)
        if ctx.label is None:
            yield self.para(ctx.parent, content, ctx.para, plain=plain, lang=node.lang)
            return
        label, item = ctx.label
        body = item.add("LBody")
        yield LabelledParagraph(content, ctx.para).tag(
            body.add("P", lang=self.lang(node.lang)).slot(plain)).labelled(
            label, item.kids[0].slot(label))

    def visit_list(self, node: A.ItemList, ctx: Placement) -> Iterator:
        base, spec = ctx.para, self.style.style("list_item")
        # each list level indents by the theme's list_item indents, from where its context stands
        item_style = self.derived(base, leftIndent=base.leftIndent + spec.leftIndent,
                                  bulletIndent=base.leftIndent + spec.bulletIndent,
                                  spaceAfter=spec.spaceAfter)
        lst = ctx.parent.add("L", attributes={"O": "List",
                                              "ListNumbering": "Decimal" if node.ordered else "Disc"})
        for number, item in enumerate(node.items, start=1):
            label = f"{number}." if node.ordered else "\u2022"
            li = lst.add("LI")
            li.add("Lbl")
            if not item.body or not isinstance(item.body[0], A.Paragraph):
                # the label stands on a line of its own before what is not a paragraph
                yield LabelledParagraph("", item_style).tag(li.add("LBody").add("P").slot()).labelled(
                    label, li.kids[0].slot(label))
                item_ctx = replace(ctx, parent=li.kids[-1], para=item_style, label=None)
            else:
                item_ctx = replace(ctx, parent=li, para=item_style, label=(label, li))
            if item.body and item_ctx.label is not None:
                # the first paragraph makes the LBody; the rest of the item goes into it
                first, rest = item.body[0], item.body[1:]
                yield from self.visit_paragraph(first, item_ctx)
                yield from self.blocks(rest, replace(item_ctx, parent=li.kids[-1], label=None))
            else:
                yield from self.blocks(item.body, item_ctx)

    def visit_quote(self, node: A.Quote, ctx: Placement) -> Iterator:
        q = self.style.style("quote")
        para = self.derived(q, leftIndent=ctx.para.leftIndent + q.leftIndent)
        yield from self.blocks(node.body, replace(ctx, parent=ctx.parent.add("BlockQuote"), para=para))

    def visit_section(self, node: A.Section, ctx: Placement) -> Iterator:
        title = present.heading_text(node, self._)
        flowable, sect = self.heading(ctx, node, title, self.style.style(f"heading_{min(node.level, 4)}"),
                                      present.anchor(node))
        yield flowable
        yield from self.blocks(node.body, Placement(sect, self.style.style("body"), ctx.outline_level + 1))

    def visit_annex(self, node: A.Annex, ctx: Placement) -> Iterator:
        title = present.heading_text(node, self._)
        yield PageBreak()
        flowable, sect = self.heading(replace(ctx, outline_level=0), node, title,
                                      self.style.style("heading_1"), present.anchor(node))
        yield flowable
        yield from self.blocks(node.body, Placement(sect, self.style.style("body"), 1))

    def visit_theme(self, node: A.Theme, ctx: Placement) -> Iterator:
        flowable, sect = self.heading(ctx, node, node.title, self.style.style("theme"), present.anchor(node))
        yield flowable
        yield from self.blocks(node.body, Placement(sect, self.style.style("body"), ctx.outline_level + 1))

    def visit_goal(self, node: A.Goal, ctx: Placement) -> Iterator:
        style = self.style.style(f"goal_{min(node.level, 2)}")
        flowable, sect = self.heading(ctx, node, node.title, style, present.goal_anchor(node.id))
        yield flowable
        para = self.derived(self.style.style("body"), leftIndent=style.leftIndent)
        yield from self.blocks(node.body, Placement(sect, para, ctx.outline_level + 1))

    def visit_target(self, node: A.YearTarget, ctx: Placement) -> Iterator:
        title = present.target_heading(node.year, self._)
        sect = ctx.parent.add("Sect")
        level = min(ctx.outline_level + 1, 6)
        label = TaggedParagraph(text(title), self.style.style("target_label")).tag(
            sect.add(f"H{level}", title=title).slot(title))
        label.keepWithNext = 1
        yield label
        yield from self.blocks(node.body, replace(ctx, parent=sect, para=self.style.style("target_body")))

    def visit_signatures(self, node: A.Signatures, ctx: Placement) -> Iterator:
        yield KeepTogether(list(self.signature_page(ctx.parent.add("Div"))))

    def visit_rating_scale(self, node: A.RatingScale, ctx: Placement) -> Iterator:
        s, _ = self.style, self._
        cols = s.table.get("rating_columns", {})
        widths = [self.width * cols.get("rating", 0.1), self.width * cols.get("word", 0.25)]
        widths.append(self.width - sum(widths))
        table = ctx.parent.add("Table")
        rows = [self.header_row(table, [_("Rating"), _("Colour"), _("Meaning")])]
        commands = self.grid_commands()
        for row, level in enumerate(node.levels, start=1):
            swatch = present.rating_colour(level.rating)
            word_style = self.derived(s.style("cell_header"), textColor=s.colour(
                s.table.get("rating_text", {}).get(swatch or "", "text")))
            rows.append(self.data_row(table, [(str(level.rating), s.style("cell")),
                                              (present.rating_word(level.rating, _), word_style),
                                              (level.text, s.style("cell"))]))
            if swatch:
                commands.append(("BACKGROUND", (1, row), (1, row), s.colour(swatch)))
        flowable = TaggedTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        flowable.setStyle(self.table_style(commands))
        yield flowable
        yield Spacer(1, 6)

    def visit_table(self, node: A.Table, ctx: Placement) -> Iterator:
        """A tagged table: Caption, TR, TH (scope Column) and TD with their spans;
        the header rows repeat on every page."""
        s = self.style
        columns, grid = present.table_grid(node, self.doc.language)
        weights = present.column_weights(node, columns)
        widths = [self.width * w / sum(weights) for w in weights]
        table = ctx.parent.add("Table")
        if node.title:
            caption = self.para(table, text(node.title), s.style("cell_header"), "Caption", node.title,
                                lang=node.lang)
            caption.keepWithNext = 1
            yield caption
        rows = []
        commands = self.grid_commands() if node.header_rows else [c for c in self.grid_commands()
                                                                   if c[0] != "BACKGROUND"]
        for r, placed in enumerate(grid):
            tr = table.add("TR")
            row: list = [""] * columns
            for g in placed:
                attributes = {"O": "Table"}
                if g.header:
                    attributes["Scope"] = "Column"
                if g.cell.colspan > 1:
                    attributes["ColSpan"] = g.cell.colspan
                if g.cell.rowspan > 1:
                    attributes["RowSpan"] = g.cell.rowspan
                style = s.style("cell_header" if g.header else "cell_number" if g.numeric else "cell")
                plain = A.plain_text(g.content)
                elem = tr.add("TH" if g.header else "TD", attributes=attributes if len(attributes) > 1 else {},
                              lang=self.lang(g.cell.lang))
                row[g.column] = TaggedParagraph(markup(g.content, s), style).tag(elem.slot(plain))
                if g.cell.colspan > 1 or g.cell.rowspan > 1:
                    commands.append(("SPAN", (g.column, r), (g.column + g.cell.colspan - 1, r + g.cell.rowspan - 1)))
            rows.append(row)
        if rows:
            flowable = TaggedTable(rows, colWidths=widths, repeatRows=node.header_rows, hAlign="LEFT")
            flowable.setStyle(self.table_style(commands))
            yield flowable
            yield Spacer(1, 6)

    # --- runs -------------------------------------------------------------

    def visit_indicator(self, run: list[A.Indicator], ctx: Placement) -> Iterator:
        flowable, _drawn = self.indicator_table([(ind, self.doc) for ind in run], ctx)
        yield flowable
        yield Spacer(1, 6)

    def indicator_table(self, entries: list[tuple[A.Indicator, A.Document]], ctx: Placement,
                        columns: A.Document | None = None) -> tuple[TaggedTable, list[list]]:
        """One table of indicators, each with the document whose target levels it shows; the
        columns (one per year) follow ``columns`` (default: the first entry's document). Also
        the rows each entry drew (its values, and its note if it has one)."""
        s, _ = self.style, self._
        run = [ind for ind, _doc in entries]
        first = present.indicator_table(entries[0][0], columns or entries[0][1], _, run)
        cols = s.table.get("indicator_columns", {})
        name_w, unit_w = self.width * cols.get("name", 0.36), self.width * cols.get("unit", 0.16)
        if not first.years:   # follow-up indicators: the name takes the room of the years
            name_w = self.width - unit_w
        year_w = (self.width - name_w - unit_w) / max(len(first.years), 1)
        widths = [name_w, unit_w] + [year_w] * len(first.years)
        table = ctx.parent.add("Table")
        rows = [self.header_row(table, first.header)]
        commands = self.grid_commands()
        drawn = []
        for ind, doc in entries:
            start = len(rows)
            cells = (present.indicator_table(ind, doc, _, run).row + [""] * len(widths))[:len(widths)]
            rows.append(self.data_row(table, [(cells[0], s.style("cell")), (cells[1], s.style("cell"))]
                                      + [(v, s.style("cell_number")) for v in cells[2:]], self.lang(ind.lang)))
            if ind.body:
                td = table.add("TR").add("TD", attributes={"O": "Table", "ColSpan": len(widths)})
                note = list(self.blocks(ind.body, Placement(td, s.style("cell_note"))))
                rows.append([note] + [""] * (len(widths) - 1))
                commands.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
            drawn.append(rows[start:])
        flowable = TaggedTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        flowable.setStyle(self.table_style(commands))
        return flowable, drawn

    def visit_impact_goal(self, run: list[A.ImpactGoal], ctx: Placement) -> Iterator:
        """The ministry's code in the hanging indent, then the goal. A code too wide
        for the theme's indent (up to six letters are allowed) widens the indent of
        the whole list, so that no code touches its text and the texts stay aligned."""
        style = self.style.style("impact_goal")
        widest = max(stringWidth(goal.ministry, style.bulletFontName, style.bulletFontSize) for goal in run)
        room = widest + style.fontSize / 2   # at least half an em between the code and the text
        if style.bulletIndent + room > style.leftIndent:
            style = ParagraphStyle(style.name + "-wide", parent=style, leftIndent=style.bulletIndent + room)
        lst = ctx.parent.add("L", attributes={"O": "List", "ListNumbering": "None"})
        for goal in run:
            li = lst.add("LI")
            label = li.add("Lbl").slot(goal.ministry)
            yield LabelledParagraph(text(goal.text), style).tag(
                li.add("LBody").add("P", lang=self.lang(goal.lang)).slot(goal.text)).labelled(goal.ministry, label)
        yield Spacer(1, 4)

    # --- signatures -------------------------------------------------------

    def signature_page(self, div: StructElem) -> Iterator:
        s, doc, _ = self.style, self.doc, self._
        sig = s.signature
        columns = max(int(sig.get("columns", 2)), 1)
        gap = sig.get("gap", 10) * mm
        cell_w = (self.width - gap * (columns - 1)) / columns
        field_w = min(sig.get("field_width", 70) * mm, cell_w)
        yield self.para(div, text(present.signatures_title(_)), s.style("signature_party"))
        where = present.place_and_date(doc, _)
        if not present.signed_on_paper(doc):
            yield Spacer(1, s.style("signature_place").spaceBefore)
        elif where.complete:
            yield self.para(div, text(where.known), s.style("signature_place"))
        else:
            # a line to fill in by hand, with what is already known written on it
            if where.known:
                yield self.para(div, text(where.known), s.style("signature_place"))
            else:
                yield Spacer(1, s.style("signature_place").spaceBefore + s.style("signature_place").leading)
            yield Rule(field_w, s.colour("text"))
            yield self.para(div, text(where.caption), s.style("signature_caption"))
        yield Spacer(1, 10)
        cells = []
        for block in present.signature_blocks(doc):
            box = div.add("Div")
            cell = [self.para(box, text(block.party), s.style("signature_party"), lang=block.party_lang),
                    SignatureSpace(block.field_name, field_w, sig.get("field_height", 20) * mm, s.colour("text")),
                    Spacer(1, 3)]
            box.add("Form", form_field=block.field_name, alt=_("Signature: {party}, {role}",
                                                               party=block.party, role=block.role))
            if block.name:
                cell.append(self.para(box, text(block.name), s.style("signature_text")))
            else:
                cell.append(self.para(box, text(_("Printed name")), s.style("signature_caption")))
            cell.append(self.para(box, text(block.role), s.style("signature_text"), lang=block.role_lang))
            cells.append(cell)
        rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
        if rows:
            rows[-1] += [""] * (columns - len(rows[-1]))
            widths = []
            for c in range(columns):
                widths += [cell_w] + ([gap] if c < columns - 1 else [])
            grid = [[part for c, cell in enumerate(row) for part in ([cell, ""] if c < columns - 1 else [cell])]
                    for row in rows]
            table = TaggedTable(grid, colWidths=widths, hAlign="LEFT")
            table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                             ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                             ("BOTTOMPADDING", (0, 0), (-1, -1), 18)]))
            yield table

    # --- helpers ----------------------------------------------------------

    def header_row(self, table: StructElem, labels: list[str]) -> list:
        tr = table.add("TR")
        return [TaggedParagraph(text(label), self.style.style("cell_header")).tag(
                    tr.add("TH", attributes={"O": "Table", "Scope": "Column"}).slot(label))
                for label in labels]

    def data_row(self, table: StructElem, cells: list[tuple[str, ParagraphStyle]],
                 first_lang: str | None = None) -> list:
        """A row of cells; ``first_lang``: the ``/Lang`` of the first (a name shown untranslated)."""
        tr = table.add("TR")
        return [TaggedParagraph(text(value), style).tag(tr.add("TD", lang=first_lang if i == 0 else None).slot(value))
                for i, (value, style) in enumerate(cells)]

    def grid_commands(self) -> list:
        t, s = self.style.table, self.style
        pad = t.get("padding", 3)
        return [("GRID", (0, 0), (-1, -1), t.get("grid_width", 0.5), s.colour(t.get("grid_colour"), "rule")),
                ("BACKGROUND", (0, 0), (-1, 0), s.colour(t.get("header_background"), "table_header_bg")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]

    def table_style(self, commands: list) -> TableStyle:
        # tables set a cell font even around paragraphs; reportlab's default,
        # Helvetica, is not embedded and would break PDF/A
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.style.font())] + list(commands))

    def derived(self, base: ParagraphStyle, **changes) -> ParagraphStyle:
        """A variant of a style (cached: every variant is built once per document)."""
        key = (base.name, tuple(sorted((k, repr(v)) for k, v in changes.items())))
        style = self._derived.get(key)
        if style is None:
            style = ParagraphStyle(f"{base.name}+{len(self._derived)}", parent=base, **changes)
            self._derived[key] = style
        return style

