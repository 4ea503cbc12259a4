"""Block nodes as Word paragraphs and tables, one handler per node class
(found by :class:`sopimus.walk.Walker`: an unknown one is an error, never skipped)."""
from __future__ import annotations

from ... import ast as A
from ... import present as P
from ...walk import Walker
from ...docxkit.context import WordContext
from ...docxkit.inlines import Format, inlines, runs
from ...docxkit.xml import el, paragraph, ppr
from . import tables


class BodyWriter(Walker):
    """Appends the elements of the body (``w:p``, ``w:tbl``) to ``out``."""

    FORMAT = "DOCX"
    def __init__(self, ctx: WordContext):
        self.ctx = ctx
        self.out: list = []
        self.body_style = "body"  # the role of plain paragraphs here

    # --- dispatch ----------------------------------------------------------

    def blocks(self, nodes: list[A.Node]) -> None:
        """Blocks in order (runs of indicators as one table, of impact goals as one list)."""
        for handle, item in self.block_runs(nodes):
            handle(item)

    def block(self, node: A.Node) -> None:
        self.blocks([node])

    def cell_blocks(self, nodes: list[A.Node], style_role: str = "table_note") -> list:
        """Blocks rendered for a table cell: a list of their own, in a table text style."""
        saved = self.out, self.body_style
        self.out, self.body_style = [], style_role
        try:
            self.blocks(nodes)
            return self.out
        finally:
            self.out, self.body_style = saved

    def _blocks_in(self, nodes: list[A.Node], style_role: str) -> None:
        saved, self.body_style = self.body_style, style_role
        try:
            self.blocks(nodes)
        finally:
            self.body_style = saved

    # --- text --------------------------------------------------------------

    def visit_paragraph(self, node: A.Paragraph, style_role: str | None = None) -> None:
        style = self.ctx.style(style_role or self.body_style)
        self.out.append(paragraph(ppr(style=style), inlines(node.content, self.ctx, Format(lang=self.ctx.lang_of(node.lang)))))

    def visit_quote(self, node: A.Quote) -> None:
        for block in node.body:
            if isinstance(block, A.Paragraph):
                self.visit_paragraph(block, "quote")
            else:
                self.block(block)

    def visit_list(self, node: A.ItemList, level: int = 0) -> None:
        ctx = self.ctx
        num = ctx.numbering.new_ordered() if node.ordered else ctx.numbering.bullets()
        style = ctx.style("list")
        for item in node.items:
            numbered = False
            for block in item.body:
                if isinstance(block, A.ItemList):
                    if not numbered:  # an item that starts with a list still gets its marker
                        self.out.append(paragraph(ppr(style=style, num=(num, level)), []))
                        numbered = True
                    self.visit_list(block, level + 1)
                elif isinstance(block, A.Paragraph):
                    props = (ppr(style=style, num=(num, level)) if not numbered
                             else ppr(style=style, ind_left=ctx.numbering.indent_of(level)))
                    self.out.append(paragraph(props, inlines(block.content, ctx, Format(lang=ctx.lang_of(block.lang)))))
                    numbered = True
                else:
                    self.block(block)
            if not numbered:
                self.out.append(paragraph(ppr(style=style, num=(num, level)), []))

    # --- headings ----------------------------------------------------------

    def _heading(self, style: str, text: str, bookmark: str | None = None,
                 page_break_before: bool = False, lang: str | None = None) -> None:
        content = runs(text, self.ctx, Format(lang=self.ctx.lang_of(lang)))
        if bookmark:
            mark_id = self.ctx.bookmarks.next_id()
            content = [el("w:bookmarkStart", {"w:id": mark_id, "w:name": bookmark}), *content,
                       el("w:bookmarkEnd", {"w:id": mark_id})]
        self.out.append(paragraph(ppr(style=style, page_break_before=page_break_before), content))

    def visit_section(self, node: A.Section) -> None:
        level = min(max(node.level, 1), 9)
        self._heading(self.ctx.style("heading", level=level), P.heading_text(node, self.ctx._),
                      self.ctx.bookmarks.toc_bookmark(node), lang=node.lang)
        self.blocks(node.body)

    def visit_annex(self, node: A.Annex) -> None:
        self._heading(self.ctx.style("heading", level=1), P.heading_text(node, self.ctx._),
                      self.ctx.bookmarks.toc_bookmark(node),
                      page_break_before=bool(self.ctx.settings.get("annex_page_break")), lang=node.lang)
        self.blocks(node.body)

    def visit_theme(self, node: A.Theme) -> None:
        self._heading(self.ctx.style("theme"), node.title, lang=node.lang)
        self.blocks(node.body)

    def visit_goal(self, node: A.Goal) -> None:
        role = "goal" if node.level <= 1 else "subgoal"
        self._heading(self.ctx.style(role), node.title, self.ctx.bookmarks.goal(node.id) if node.id else None,
                      lang=node.lang)
        self.blocks(node.body)

    def visit_target(self, node: A.YearTarget) -> None:
        self._heading(self.ctx.style("target"), P.target_heading(node.year, self.ctx._))
        self._blocks_in(node.body, "target_body")

    # --- data --------------------------------------------------------------

    def visit_indicator(self, nodes: list[A.Indicator]) -> None:
        self.out.append(tables.indicator_table(nodes, self.ctx, self))
        self.space_after_table()

    def visit_impact_goal(self, nodes: list[A.ImpactGoal]) -> None:
        """The ministry's code where a list has its bullet, then the goal (as in the PDF)."""
        ctx = self.ctx
        style = ctx.style("impact_goal")
        for goal in nodes:
            content = runs(goal.ministry, ctx, Format(bold=True)) if goal.ministry else []
            self.out.append(paragraph(ppr(style=style), [*content, *runs("\t" + goal.text, ctx, Format(lang=ctx.lang_of(goal.lang)))]))

    def visit_table(self, node: A.Table) -> None:
        self.out.extend(tables.text_table(node, self.ctx))
        self.space_after_table()

    def visit_rating_scale(self, node: A.RatingScale) -> None:
        self.out.append(tables.rating_table(node, self.ctx))
        self.space_after_table()

    def visit_signatures(self, node: A.Signatures) -> None:
        title = runs(P.signatures_title(self.ctx._), self.ctx, Format(bold=True))
        # keep-with-next: the caption never stays alone at the foot of a page
        self.out.append(paragraph(ppr(style=self.ctx.style(self.body_style), keep_next=True), title))
        self.out.append(tables.signature_table(self.ctx))
        self.space_after_table()

    def space_after_table(self) -> None:
        # Word joins adjacent tables into one and ends a body with a paragraph;
        # an empty paragraph after each table keeps both right.
        self.out.append(paragraph(ppr(style=self.ctx.style(self.body_style)), []))
