"""Inline AST nodes as reportlab paragraph markup."""
from __future__ import annotations

from xml.sax.saxutils import escape

from .. import ast as A
from .styles import PdfStyle


def text(value: str) -> str:
    """Plain text as markup (escaped)."""
    return escape(value)


def goal_anchor(goal_id: str) -> str:
    """The named destination of a goal heading (what ``:goal:`` links to)."""
    return f"goal-{goal_id}"


def markup(inlines: list[A.Node], style: PdfStyle) -> str:
    """Inline nodes as markup; an unknown inline node type is an error."""
    return "".join(_inline(node, style) for node in inlines)


def _inline(node: A.Node, style: PdfStyle) -> str:
    if isinstance(node, A.Text):
        return escape(node.text)
    if isinstance(node, A.Emphasis):
        return f"<i>{markup(node.content, style)}</i>"
    if isinstance(node, A.Strong):
        return f"<b>{markup(node.content, style)}</b>"
    if isinstance(node, A.Literal):
        colour = style.colour(style.spec("literal").get("colour"), "text").hexval()[2:]
        return f'<font color="#{colour}">{escape(node.text)}</font>'
    if isinstance(node, A.Link):
        colour = style.colour(style.spec("link").get("colour"), "accent").hexval()[2:]
        label = markup(node.content, style) or escape(node.url)
        return f'<a href="{escape(node.url, {chr(34): "&quot;"})}" color="#{colour}" underline="1">{label}</a>'
    if isinstance(node, A.GoalRef):
        colour = style.colour(style.spec("link").get("colour"), "accent").hexval()[2:]
        return (f'<a href="#{goal_anchor(node.target)}" color="#{colour}">'
                f"{escape(node.title or node.target)}</a>")
    raise TypeError(f"{node.source}: the PDF builder cannot render inline node {node.TYPE!r}")
