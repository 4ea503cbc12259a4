"""Word styles found by their English name (``w:name``), never by style id.

Finnish and Swedish Word store built-in styles with localised ids
("Otsikko1", "Luettelokappale") but English names ("heading 1", "List
Paragraph"), so names are the only stable key (pandoc's StyleMap does the
same).  python-docx's ``styles[name]`` is not enough: it translates only a
dozen built-in names ("Heading 1" → "heading 1", not "TOC 1" → "toc 1") and
fails for built-in styles Word keeps latent until first use ("Hyperlink").

A style the template lacks is copied from sopimus's default reference
document, with the styles it is based on, so an agency's template only needs
the styles it wants to change.
"""
from __future__ import annotations

import copy

from docx.oxml.ns import qn

from .package import TemplateError

W_STYLE = qn("w:style")
W_NAME = qn("w:name")
W_VAL = qn("w:val")
W_TYPE = qn("w:type")
W_STYLE_ID = qn("w:styleId")
_REFERENCES = (qn("w:basedOn"), qn("w:next"), qn("w:link"))


class StyleError(TemplateError):
    pass


def _index(styles) -> tuple[dict[tuple[str, str], object], dict[str, object]]:
    by_name: dict[tuple[str, str], object] = {}
    by_id: dict[str, object] = {}
    for style in styles.iterchildren(W_STYLE):
        name = style.find(W_NAME)
        kind = style.get(W_TYPE, "paragraph")
        if name is not None:
            by_name.setdefault((kind, name.get(W_VAL, "").lower()), style)
        by_id[style.get(W_STYLE_ID, "")] = style
    return by_name, by_id


class StyleMap:
    """Style ids of ``styles`` (a ``w:styles`` element) by English name."""

    def __init__(self, styles, fallback=None):
        self.styles = styles
        self._by_name, self._by_id = _index(styles)
        self._fallback = fallback
        self._fb_by_name, self._fb_by_id = _index(fallback) if fallback is not None else ({}, {})

    def has(self, name: str, kind: str = "paragraph") -> bool:
        return (kind, name.lower()) in self._by_name

    def id(self, name: str, kind: str = "paragraph") -> str:
        """The id of the ``kind`` style named ``name`` (case-insensitive), imported if missing."""
        style = self._by_name.get((kind, name.lower()))
        if style is None:
            style = self._import(name, kind)
        return style.get(W_STYLE_ID)

    def _import(self, name: str, kind: str):
        source = self._fb_by_name.get((kind, name.lower()))
        if source is None:
            raise StyleError(f"the DOCX template has no {kind} style named {name!r}, "
                             "and neither has sopimus's default template")
        style = copy.deepcopy(source)
        style_id = base = source.get(W_STYLE_ID)
        n = 2
        while style_id in self._by_id:
            style_id, n = f"{base}{n}", n + 1
        style.set(W_STYLE_ID, style_id)
        for rsid in style.findall(qn("w:rsid")):
            style.remove(rsid)
        # Register before resolving references: styles link to each other in cycles.
        self.styles.append(style)
        self._by_name[(kind, name.lower())] = style
        self._by_id[style_id] = style
        for ref in [c for c in style if c.tag in _REFERENCES]:
            target = self._fb_by_id.get(ref.get(W_VAL))
            target_name = target.find(W_NAME) if target is not None else None
            if target_name is None:
                style.remove(ref)
                continue
            ref.set(W_VAL, self.id(target_name.get(W_VAL), target.get(W_TYPE, "paragraph")))
        return style
