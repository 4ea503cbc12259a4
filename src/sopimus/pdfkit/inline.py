"""Inline AST nodes as reportlab paragraph markup."""
from __future__ import annotations

from xml.sax.saxutils import escape

from .. import ast as A
from .. import present
from ..walk import Walker
from .styles import PdfStyle


def text(value: str) -> str:
    """Plain text as markup (escaped)."""
    return escape(value)


def markup(inlines: list[A.Node], style: PdfStyle) -> str:
    """Inline nodes as markup; an unknown inline node type is an error."""
    return InlineMarkup(style).markup(inlines)


class InlineMarkup(Walker):
    FORMAT = "PDF"
    def __init__(self, style: PdfStyle):
        self.style = style

    def markup(self, inlines: list[A.Node]) -> str:
        return "".join(handle(node) for handle, node in self.inline_items(inlines))

    def _colour(self, role: str, fallback: str) -> str:
        style = self.style
        return style.colour(style.spec(role).get("colour"), fallback).hexval()[2:]

    def visit_text(self, node: A.Text) -> str:
        return escape(node.text)

    def visit_emphasis(self, node: A.Emphasis) -> str:
        return f"<i>{self.markup(node.content)}</i>"

    def visit_strong(self, node: A.Strong) -> str:
        return f"<b>{self.markup(node.content)}</b>"

    def visit_literal(self, node: A.Literal) -> str:
        return f'<font color="#{self._colour("literal", "text")}">{escape(node.text)}</font>'

    def visit_link(self, node: A.Link) -> str:
        label = self.markup(node.content) or escape(node.url)
        address = present.printed_address(node)
        return (f'<a href="{escape(node.url, {chr(34): "&quot;"})}" color="#{self._colour("link", "accent")}" '
                f'underline="1">{label}</a>' + (f" ({escape(address)})" if address else ""))

    def visit_goal_ref(self, node: A.GoalRef) -> str:
        return (f'<a href="#{present.goal_anchor(node.target)}" color="#{self._colour("link", "accent")}">'
                f"{escape(node.title or node.target)}</a>")
