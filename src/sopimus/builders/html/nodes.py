"""AST nodes to HTML with the theme's macros: one macro per node type.

The markup lives in ``themes/<theme>/html/nodes.html``; this module only
walks the tree, groups what reads as one block (consecutive indicators are
one table, consecutive impact goals one list), keeps heading levels in
order and hands each node to its macro.  A node type without a macro is an
error, never skipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator
from urllib.parse import urlsplit

from markupsafe import Markup

from ... import ast as A
from ... import present
from ...diagnostics import Diagnostic
from ...i18n import Labels

# node class -> macro name in nodes.html
BLOCK_MACROS: dict[type, str] = {
    A.Paragraph: "paragraph",
    A.ItemList: "list",
    A.Quote: "quote",
    A.Section: "section",
    A.Theme: "theme",
    A.Goal: "goal",
    A.YearTarget: "target",
    A.Annex: "annex",
    A.RatingScale: "rating_scale",
    A.Signatures: "signatures",
}
INLINE_MACROS: dict[type, str] = {
    A.Text: "text",
    A.Emphasis: "emphasis",
    A.Strong: "strong",
    A.Literal: "literal",
    A.Link: "link",
    A.GoalRef: "goal_ref",
}
# Runs of these render as one block (a table, a list).
GROUP_MACROS: dict[type, str] = {
    A.Indicator: "indicator_table",
    A.ImpactGoal: "impact_goals",
}
SAFE_SCHEMES = ("http", "https", "mailto")


class RenderError(Exception):
    """A node the theme cannot render."""


@dataclass(frozen=True)
class IndicatorRow:
    node: A.Indicator
    anchor: str
    cells: list[str]  # name, unit, one per year


@dataclass(frozen=True)
class IndicatorGroup:
    header: list[str]
    rows: list[IndicatorRow]
    caption_id: str


@dataclass(frozen=True)
class TocItem:
    text: str
    anchor: str
    children: list["TocItem"]


class NodeRenderer:
    """Renders one localised document's nodes; used by the templates as ``r``."""

    def __init__(self, doc: A.Document, labels: Labels, load_macros: Callable[[dict], object],
                 diagnostics: list[Diagnostic]):
        self.doc = doc
        self._ = labels.gettext
        self.diagnostics = diagnostics
        self.macros = load_macros({"_": self._, "r": self, "doc": doc})

    # --- walking -------------------------------------------------------------

    def blocks(self, nodes: list[A.Node], level: int) -> Markup:
        """Block nodes under a heading of ``level`` (1 = the page's h1)."""
        out: list[str] = []
        for kind, group in _runs(nodes):
            if kind in GROUP_MACROS:
                out.append(self._macro(GROUP_MACROS[kind], group[0])(group, level))
            else:
                node = group[0]
                macro = BLOCK_MACROS.get(type(node))
                if macro is None:
                    raise RenderError(f"{node.source}: the HTML builder has no rendering for "
                                      f"a {node.TYPE!r} node")
                out.append(self._macro(macro, node)(node, level))
        return Markup("").join(out)

    def inlines(self, nodes: list[A.Node]) -> Markup:
        out: list[str] = []
        for node in nodes:
            macro = INLINE_MACROS.get(type(node))
            if macro is None:
                raise RenderError(f"{node.source}: the HTML builder has no rendering for "
                                  f"a {node.TYPE!r} inline node")
            out.append(self._macro(macro, node)(node))
        return Markup("").join(out)

    def _macro(self, name: str, node: A.Node):
        macro = getattr(self.macros, name, None)
        if macro is None:
            raise RenderError(f"{node.source}: the theme's nodes.html has no macro {name!r} "
                              f"for {node.TYPE!r} nodes")
        return macro

    # --- what the macros show (all from present) ----------------------------

    def heading(self, node: A.Node) -> str:
        return present.heading_text(node, self._)

    def anchor(self, node: A.Node) -> str:
        return present.anchor(node)

    def target_heading(self, year: int) -> str:
        return present.target_heading(year, self._)

    def rating_word(self, rating: int) -> str:
        return present.rating_word(rating, self._)

    def signature_blocks(self) -> list[present.SignatureBlock]:
        return present.signature_blocks(self.doc)

    def place_and_date(self) -> str:
        return present.place_and_date(self.doc, self._)

    def indicator_group(self, indicators: list[A.Indicator]) -> IndicatorGroup:
        tables = [present.indicator_table(ind, self.doc, self._) for ind in indicators]
        rows = [IndicatorRow(ind, present.anchor(ind), t.row) for ind, t in zip(indicators, tables)]
        return IndicatorGroup(tables[0].header, rows, rows[0].anchor + "-caption")

    def goal_href(self, ref: A.GoalRef) -> str:
        return "#" + present.anchor(A.Goal(id=ref.target))

    def link_href(self, link: A.Link) -> str | None:
        """The link's URL if it is safe to follow; otherwise None, with an error."""
        scheme = urlsplit(link.url).scheme.lower()
        if scheme in SAFE_SCHEMES or (not scheme and link.url.startswith("#")):
            return link.url
        self.diagnostics.append(Diagnostic(
            link.source.file, link.source.line, 1, "error", "html-link",
            f"link to {link.url!r}: only http, https and mailto links are published",
            "write the full address, e.g. https://…"))
        return None

    def toc(self, max_level: int) -> list[TocItem]:
        """The table of contents as nested items (sections to ``max_level``, annexes)."""
        root: list[TocItem] = []
        stack: list[tuple[int, list[TocItem]]] = [(0, root)]
        for entry in present.toc(self.doc, self._, max_level):
            while stack[-1][0] >= entry.level:
                stack.pop()
            item = TocItem(entry.text, entry.anchor, [])
            stack[-1][1].append(item)
            stack.append((entry.level, item.children))
        return root


def _runs(nodes: list[A.Node]) -> Iterator[tuple[type, list[A.Node]]]:
    """Consecutive nodes of a grouped type together; every other node alone."""
    group: list[A.Node] = []
    for node in nodes:
        kind = type(node)
        if group and kind is type(group[0]) and kind in GROUP_MACROS:
            group.append(node)
            continue
        if group:
            yield type(group[0]), group
        group = [node]
    if group:
        yield type(group[0]), group
