"""AST nodes to HTML with the theme's macros: one macro per node type.

The markup lives in ``themes/<theme>/html/nodes.html``; this module walks the
tree with :class:`sopimus.walk.Walker` (which groups runs of indicators and
impact goals and fails on a node it cannot render) and hands each node to its
macro.  A theme without a node's macro is a [theme] finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup

from .. import ast as A
from .. import present
from ..diagnostics import Diagnostic
from ..i18n import Labels
from ..walk import Walker



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


class NodeRenderer(Walker):
    """Renders one localised document's nodes with the theme's macros (one
    per node type, named after it: ``paragraph``, ``goal_ref`` …); used by the
    templates as ``r``."""

    FORMAT = "HTML"
    def __init__(self, doc: A.Document, labels: Labels, load_macros: Callable[[dict], object],
                 diagnostics: list[Diagnostic]):
        self.doc = doc
        self._ = labels.gettext
        self.diagnostics = diagnostics
        self.macros = load_macros({"_": self._, "r": self, "doc": doc})

    # --- walking -------------------------------------------------------------

    def blocks(self, nodes: list[A.Node], level: int) -> Markup:
        """Block nodes under a heading of ``level`` (1 = the page's h1)."""
        return Markup("").join(macro(item, level) for macro, item in self.block_runs(nodes))

    def inlines(self, nodes: list[A.Node]) -> Markup:
        return Markup("").join(macro(node) for macro, node in self.inline_items(nodes))

    def resolve(self, type_name: str):
        """The theme's macro for nodes of ``type_name`` (``paragraph``, ``goal_ref`` …)."""
        return getattr(self.macros, type_name, None)

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

    def lang(self, node_or_lang) -> Markup:
        """`` lang="fi"`` where a text is not in the page's language (a translation fell back)."""
        lang = node_or_lang if isinstance(node_or_lang, str) or node_or_lang is None else node_or_lang.lang
        return Markup(' lang="{}"').format(lang) if lang and lang != self.doc.language else Markup("")

    def cover_value(self, fact: present.CoverFact) -> Markup:
        """A cover fact's lines, one per ``<br>``; a line in another language
        than the page (a party's name without a translation) in a ``<span lang>``."""
        return Markup("<br>").join(Markup("<span{}>{}</span>").format(self.lang(lang), line) if lang else line
                                   for line, lang in fact.lines)

    def place_and_date(self) -> str:
        """The place-and-date line of a paper signing; empty when signed electronically."""
        return str(present.place_and_date(self.doc, self._)) if present.signed_on_paper(self.doc) else ""

    def table_grid(self, node: A.Table):
        """(columns, rows of placed cells) of a table of the text."""
        return present.table_grid(node, self.doc.language)

    def indicator_group(self, indicators: list[A.Indicator]) -> IndicatorGroup:
        tables = [present.indicator_table(ind, self.doc, self._, indicators) for ind in indicators]
        rows = [IndicatorRow(ind, present.anchor(ind), t.row) for ind, t in zip(indicators, tables)]
        return IndicatorGroup(tables[0].header, rows, rows[0].anchor + "-caption")

    def goal_href(self, ref: A.GoalRef) -> str:
        return "#" + present.goal_anchor(ref.target)

    def link_href(self, link: A.Link) -> str:
        """The link's URL: the reader let only https/http/mailto links and #anchors into the AST."""
        return link.url

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

