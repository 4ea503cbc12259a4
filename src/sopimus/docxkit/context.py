"""What every part of one DOCX rendering shares: the document, its labels,
the template's styles, numbering, bookmarks and the theme's settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import ast as A
from ..i18n import Labels
from .lists import Numbering
from .styles import StyleMap
from .xml import rpr


class Bookmarks:
    """Hidden Word bookmarks (``_Toc…``, ``_Ref…``): names Word accepts
    (40 characters, no hyphens) and that do not clutter its bookmark list."""

    def __init__(self) -> None:
        self._next_id = 0
        self._goals: dict[str, str] = {}
        self._toc: dict[int, str] = {}
        self._serial = 0

    def name(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}{self._serial:08d}"

    def toc_bookmark(self, node: A.Node) -> str:
        """The bookmark of a section or annex heading, shared by the heading and its TOC entry."""
        key = id(node)
        if key not in self._toc:
            self._toc[key] = self.name("_Toc")
        return self._toc[key]

    def goal(self, goal_id: str) -> str:
        """The bookmark of a goal, the same for the goal and every reference to it."""
        if goal_id not in self._goals:
            self._goals[goal_id] = self.name("_Ref")
        return self._goals[goal_id]

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id


@dataclass
class WordContext:
    doc: A.Document
    _: Labels
    styles: StyleMap
    roles: dict[str, str]
    numbering: Numbering
    part: Any  # the python-docx DocumentPart, for hyperlink relationships
    lang: str  # "fi-FI"
    text_width: int  # twips
    settings: dict[str, Any]
    colours: dict[str, str]
    bookmarks: Bookmarks = field(default_factory=Bookmarks)

    def style(self, role: str, kind: str = "paragraph", **fmt) -> str:
        """The style id for one of sopimus's roles (``heading``, ``quote`` …), found by name."""
        return self.styles.id(self.roles[role].format(**fmt), kind)

    def rpr(self, *, style_role: str | None = None, bold: bool = False, italic: bool = False,
            color: str | None = None, lang: str | None = None):
        style = self.style(style_role, "character") if style_role else None
        return rpr(style=style, bold=bold, italic=italic, color=color, lang=lang or self.lang)

    def lang_of(self, node_lang: str | None) -> str | None:
        """A node's own ``w:lang`` (``fi-FI``) when its text is not in the document's language."""
        from .meta import language_tag
        return language_tag(node_lang) if node_lang and node_lang != self.doc.language else None

    def rpr_factory(self, **kw):
        return lambda: self.rpr(**kw)

    def colour(self, name_or_hex: str) -> str:
        """A theme colour (``green``) or ``#rrggbb`` as Word's ``RRGGBB``."""
        value = self.colours.get(name_or_hex, name_or_hex)
        return value.lstrip("#").upper()
