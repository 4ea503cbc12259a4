"""Inline nodes as runs and hyperlinks."""
from __future__ import annotations

from dataclasses import dataclass, replace

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from .. import ast as A
from .context import WordContext
from .xml import el, text_runs


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    style_role: str | None = None


def inlines(nodes: list[A.Node], ctx: WordContext, fmt: Format = Format()) -> list:
    out: list = []
    for node in nodes:
        out.extend(inline(node, ctx, fmt))
    return out


def inline(node: A.Node, ctx: WordContext, fmt: Format) -> list:
    if isinstance(node, A.Text):
        return runs(node.text, ctx, fmt)
    if isinstance(node, A.Emphasis):
        return inlines(node.content, ctx, replace(fmt, italic=True))
    if isinstance(node, A.Strong):
        return inlines(node.content, ctx, replace(fmt, bold=True))
    if isinstance(node, A.Literal):
        return runs(node.text, ctx, replace(fmt, style_role="literal"))
    if isinstance(node, A.Link):
        r_id = ctx.part.relate_to(node.url, RT.HYPERLINK, is_external=True)
        children = inlines(node.content or [A.Text(node.url)], ctx, replace(fmt, style_role="hyperlink"))
        return [el("w:hyperlink", {"r:id": r_id, "w:history": "1"}, *children)]
    if isinstance(node, A.GoalRef):
        children = runs(node.title or node.target, ctx, replace(fmt, style_role="hyperlink"))
        return [el("w:hyperlink", {"w:anchor": ctx.bookmarks.goal(node.target), "w:history": "1"}, *children)]
    raise TypeError(f"{node.source}: the DOCX builder cannot render inline node {node.TYPE!r}")


def runs(text: str, ctx: WordContext, fmt: Format = Format()) -> list:
    return text_runs(text, ctx.rpr_factory(style_role=fmt.style_role, bold=fmt.bold, italic=fmt.italic))
