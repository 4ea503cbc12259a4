"""Inline nodes as runs and hyperlinks."""
from __future__ import annotations

from dataclasses import dataclass, replace

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from .. import ast as A
from .. import present as P
from ..walk import Walker
from .context import WordContext
from .xml import el, text_runs


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    style_role: str | None = None
    lang: str | None = None   # w:lang of text not in the document's language ("fi-FI")


def inlines(nodes: list[A.Node], ctx: WordContext, fmt: Format = Format()) -> list:
    return InlineRuns(ctx).inlines(nodes, fmt)


class InlineRuns(Walker):
    """Inline nodes as Word runs and hyperlinks."""

    FORMAT = "DOCX"
    def __init__(self, ctx: WordContext):
        self.ctx = ctx

    def inlines(self, nodes: list[A.Node], fmt: Format) -> list:
        out: list = []
        for handle, node in self.inline_items(nodes):
            out.extend(handle(node, fmt))
        return out

    def visit_text(self, node: A.Text, fmt: Format) -> list:
        return runs(node.text, self.ctx, fmt)

    def visit_emphasis(self, node: A.Emphasis, fmt: Format) -> list:
        return self.inlines(node.content, replace(fmt, italic=True))

    def visit_strong(self, node: A.Strong, fmt: Format) -> list:
        return self.inlines(node.content, replace(fmt, bold=True))

    def visit_literal(self, node: A.Literal, fmt: Format) -> list:
        return runs(node.text, self.ctx, replace(fmt, style_role="literal"))

    def visit_link(self, node: A.Link, fmt: Format) -> list:
        r_id = self.ctx.part.relate_to(node.url, RT.HYPERLINK, is_external=True)
        children = self.inlines(node.content or [A.Text(node.url)], replace(fmt, style_role="hyperlink"))
        address = P.printed_address(node)   # printed, the address must show too
        return [el("w:hyperlink", {"r:id": r_id, "w:history": "1"}, *children),
                *(runs(f" ({address})", self.ctx, fmt) if address else [])]

    def visit_goal_ref(self, node: A.GoalRef, fmt: Format) -> list:
        children = runs(node.title or node.target, self.ctx, replace(fmt, style_role="hyperlink"))
        return [el("w:hyperlink", {"w:anchor": self.ctx.bookmarks.goal(node.target), "w:history": "1"},
                   *children)]


def runs(text: str, ctx: WordContext, fmt: Format = Format()) -> list:
    return text_runs(text, ctx.rpr_factory(style_role=fmt.style_role, bold=fmt.bold, italic=fmt.italic,
                                           lang=fmt.lang))
