"""Every character the PDF draws exists in the font it is drawn with.

The theme names a main font family (``pdf: font:``) and fallback families
(``pdf: fallback_fonts:``).  A run of characters the main family lacks is
drawn in the first fallback family that has them — ``<font face=…>`` in
paragraph markup, a font switch on the canvas — in the same weight and
slant.  Text the main family covers is left exactly as it was, so outputs
without such characters do not change.  A character that no configured
font has is an error at its source's line (:func:`missing_findings`), never
a blank or a ``.notdef`` box.

reportlab's font registry is process-wide; so is the map here from a main
face's font name to its :class:`FontChain`.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable, Iterator

from reportlab.lib.fonts import ps2tt
from reportlab.pdfbase import pdfmetrics

from .. import ast as A
from ..diagnostics import ERROR, Diagnostic

FACES = ("regular", "bold", "italic", "bold_italic")
_FACE_OF = {(0, 0): "regular", (1, 0): "bold", (0, 1): "italic", (1, 1): "bold_italic"}
_TAG = re.compile(r"(<[^>]*>)")
_CHAINS: dict[str, "FontChain"] = {}


def _drawn(ch: str) -> bool:
    """Whether a character is drawn with a glyph (line breaks and controls are not)."""
    return unicodedata.category(ch) not in ("Cc", "Zl", "Zp")


class Family:
    """A font family: its faces' registered font names and the code points every face has.

    The faces are registered on first use: a fallback family costs nothing
    (four font files parsed) in a document whose text the main family covers.
    """

    def __init__(self, name: str, register: Callable[[], dict[str, str]]):
        self.name = name
        self._register = register
        self._faces: dict[str, str] | None = None
        self._covers: frozenset[int] | None = None

    @property
    def faces(self) -> dict[str, str]:
        """Face (regular, bold, italic, bold_italic) -> registered font name."""
        if self._faces is None:
            self._faces = dict(self._register())
        return self._faces

    @property
    def covers(self) -> frozenset[int]:
        """The code points every face has."""
        if self._covers is None:
            covers: set[int] | None = None
            for font in self.faces.values():
                cmap = set(pdfmetrics.getFont(font).face.charToGlyph)
                covers = cmap if covers is None else covers & cmap
            self._covers = frozenset(covers or ())
        return self._covers

    def has(self, ch: str) -> bool:
        return ord(ch) in self.covers


class FontChain:
    """The main family and its fallbacks, in order.

    Texts are checked as sets of characters against the main family's cover
    (most texts need nothing else), and a character's family is looked up
    once: an agreement has tens of thousands of characters but few distinct ones.
    """

    def __init__(self, families: list[Family]):
        self.families = families
        self._main_chars = frozenset(map(chr, families[0].covers)) if families else frozenset()
        self._family_of: dict[str, Family | None] = {}
        for family in families[:1]:
            for name in family.faces.values():
                _CHAINS[name] = self

    @classmethod
    def of(cls, families: list[tuple[str, Callable[[], dict[str, str]]]]) -> "FontChain":
        """A chain of families: (family name, a function that registers its faces and
        returns face -> font name), the main family first."""
        return cls([Family(name, register) for name, register in families])

    @property
    def main(self) -> Family:
        return self.families[0]

    def family_for(self, ch: str) -> Family | None:
        """The first family that draws ``ch``; None when none does."""
        try:
            return self._family_of[ch]
        except KeyError:
            found = self.main if not _drawn(ch) else next((f for f in self.families if f.has(ch)), None)
            self._family_of[ch] = found
            return found

    def _beyond_main(self, text: str) -> set[str]:
        """The distinct characters of ``text`` the main family has no glyph for."""
        return set(text).difference(self._main_chars)

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` that no family draws, each once, in order."""
        lacking = {ch for ch in self._beyond_main(text) if self.family_for(ch) is None}
        if not lacking:
            return []
        return sorted(lacking, key=text.index)

    def runs(self, text: str, face: str) -> Iterator[tuple[str, str]]:
        """``text`` cut into (font name, text) runs in ``face``."""
        current, start = None, 0
        for i, ch in enumerate(text):
            family = self.family_for(ch) or self.main   # none: reported by missing_findings
            if family is not current:
                if current is not None and i > start:
                    yield current.faces[face], text[start:i]
                current, start = family, i
        if current is not None and start < len(text):
            yield current.faces[face], text[start:]

    def needs_fallback(self, text: str) -> bool:
        return any(_drawn(ch) for ch in self._beyond_main(text))


def chain_for(font_name: str) -> FontChain | None:
    """The chain whose main family has the face ``font_name``."""
    return _CHAINS.get(font_name)


def markup(text: str, font_name: str) -> str:
    """Paragraph markup with every run the main family lacks switched to a fallback.

    ``font_name`` is the paragraph style's font; ``<b>`` and ``<i>`` in the
    markup are followed so a fallback run keeps the weight and slant around it.
    """
    chain = chain_for(font_name)
    if chain is None or not chain.needs_fallback(_TAG.sub("", text)):
        return text
    _family, bold, italic = ps2tt(font_name)
    out: list[str] = []
    for part in _TAG.split(text):
        if part.startswith("<"):
            tag = part.strip("</> ").split()[0].lower() if part.strip("</> ") else ""
            step = -1 if part.startswith("</") else 1
            if tag == "b":
                bold += step
            elif tag == "i":
                italic += step
            out.append(part)
            continue
        face = _FACE_OF[(min(bold, 1), min(italic, 1))]
        for font, chunk in chain.runs(part, face):
            out.append(chunk if font == chain.main.faces[face] else f'<font face="{font}">{chunk}</font>')
    return "".join(out)


def font_runs(text: str, font_name: str) -> list[tuple[str, str]]:
    """``text`` as (font name, text) runs for drawing it in ``font_name``: one run
    when the main font has every glyph, else the fallbacks' runs in its weight and slant."""
    chain = chain_for(font_name)
    if chain is None or not chain.needs_fallback(text):
        return [(font_name, text)]
    _family, bold, italic = ps2tt(font_name)
    return list(chain.runs(text, _FACE_OF[(bold, italic)]))


def placed_runs(runs: list[tuple[str, str]], size: float, x: float,
                align: str = "left") -> list[tuple[float, str, str]]:
    """(left edge, font name, text) of each run drawn side by side from ``x``
    (for ``align="right"``, ``x`` is where the last run ends)."""
    widths = [pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs]
    left = x - sum(widths) if align == "right" else x
    out = []
    for (font, chunk), width in zip(runs, widths):
        out.append((left, font, chunk))
        left += width
    return out


def draw_string(canv, x: float, y: float, text: str, font_name: str, size: float,
                align: str = "left") -> None:
    """``canv.drawString`` (or right-aligned) with fallback fonts where the main font lacks a glyph."""
    runs = font_runs(text, font_name)
    if runs == [(font_name, text)]:
        canv.setFont(font_name, size)
        (canv.drawRightString if align == "right" else canv.drawString)(x, y, text)
        return
    for left, font, chunk in placed_runs(runs, size, x, align):
        canv.setFont(font, size)
        canv.drawString(left, y, chunk)
    canv.setFont(font_name, size)


# --- findings ------------------------------------------------------------------------

def node_texts(node: A.Node) -> Iterator[str]:
    """The texts of one node (not of its child nodes) that a builder may draw."""
    if isinstance(node, A.Link):
        yield node.url
    for name, value in vars(node).items():
        if name in ("source", "id", "kind", "target", "url"):
            continue
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, A.RatingLevel):
                    yield item.text


def document_texts(doc: A.Document) -> Iterator[tuple[A.Source, str]]:
    """Every text of ``doc`` with where it comes from."""
    for node in doc.walk():   # parties and signatories too
        for value in node_texts(node):
            yield node.source, value


def undrawable(project, doc: A.Document, chain: FontChain) -> list[Diagnostic]:
    """An error for every character of ``doc`` that no font of the theme draws."""
    from ..config import show_path
    return missing_findings(document_texts(doc), chain, lambda file: show_path(project.root / file))


def missing_findings(texts: Iterable[tuple[A.Source, str]], chain: FontChain,
                     show=str) -> list[Diagnostic]:
    """An error for every character no font of ``chain`` draws, at its source's line."""
    found: list[Diagnostic] = []
    seen: set[tuple[str, int, str]] = set()
    for source, value in texts:
        for ch in chain.missing(value):
            key = (source.file, source.line, ch)
            if key in seen:
                continue
            seen.add(key)
            name = unicodedata.name(ch, "unnamed character")
            families = ", ".join(f.name for f in chain.families)
            found.append(Diagnostic(
                show(source.file) if source.file else "<metadata>", max(source.line, 1), 1, ERROR,
                "glyph-missing", f"no font of the theme can draw {ch!r} (U+{ord(ch):04X} {name})",
                f"the PDF fonts are {families}; add a font that has it to the theme's "
                "pdf: fallback_fonts, or write the text without it"))
    return found
