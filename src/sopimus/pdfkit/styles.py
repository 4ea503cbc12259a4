"""The PDF look, read from the theme's ``pdf:`` section: fonts, page geometry,
paragraph and table styles.  Nothing here decides how things look; it only
turns the theme's data into reportlab objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from hashlib import sha256
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..resources import BUILTIN_THEMES
from ..theme import LoadedTheme, ThemeError
from .glyphs import FACES, FontChain

_PAGE_SIZES = {"A4": A4, "A5": A5, "LETTER": LETTER}
_ALIGNMENTS = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}
# theme key -> ParagraphStyle attribute, with the unit the theme writes it in
_LENGTHS = {"space_before": "spaceBefore", "space_after": "spaceAfter", "left_indent": "leftIndent",
            "right_indent": "rightIndent", "first_indent": "firstLineIndent",
            "bullet_indent": "bulletIndent", "border_padding": "borderPadding"}


def _digest(files) -> str:
    hasher = sha256()
    for file in files:
        hasher.update(Path(file).read_bytes())
    return hasher.hexdigest()[:10]


@dataclass(frozen=True)
class PageGeometry:
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    header_top: float

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


class PdfStyle:
    """Everything the PDF builder draws with, from one theme."""

    def __init__(self, theme: LoadedTheme):
        self.theme = theme
        self.data: dict[str, Any] = theme.section("pdf")
        if not self.data:
            raise ThemeError(f"theme {theme.name!r} has no pdf: section")
        self.colours: dict[str, str] = theme.section("colours")
        self.fonts = self._register_fonts()
        page = self.data.get("page", {})
        size = _PAGE_SIZES[str(page.get("size", "A4")).upper()]
        margin = page.get("margin", {})
        self.page = PageGeometry(size[0], size[1], margin.get("top", 30) * mm, margin.get("bottom", 20) * mm,
                                 margin.get("left", 25) * mm, margin.get("right", 20) * mm,
                                 page.get("header_top", 12) * mm)
        self.page_data = page
        self.paragraph = {name: self.paragraph_style(name, spec)
                          for name, spec in self.data.get("styles", {}).items()}
        self.table = self.data.get("table", {})
        self.signature = self.data.get("signature", {})

    # --- values -----------------------------------------------------------

    def colour(self, value: str | None, default: str = "#000000") -> colors.Color:
        """A colour by theme name (``accent``) or as ``#rrggbb``."""
        value = value or default
        return colors.HexColor(self.colours.get(value, value))

    def font(self, face: str = "regular") -> str:
        return self.fonts[face]

    def style(self, name: str) -> ParagraphStyle:
        try:
            return self.paragraph[name]
        except KeyError:
            raise ThemeError(f"theme {self.theme.name!r} has no pdf style {name!r}") from None

    def spec(self, name: str) -> dict[str, Any]:
        """The raw theme entry of a style (for inline styles such as ``literal``)."""
        return self.data.get("styles", {}).get(name, {})

    @property
    def icc_profile(self) -> bytes:
        return self.theme.file(self.data.get("icc_profile", "icc/sRGB.icc")).read_bytes()

    # --- building ---------------------------------------------------------

    def _register_fonts(self) -> dict[str, str]:
        """The main family's faces, registered now; the fallback families' files are
        checked now and registered when a text first needs them. Together they make
        the chain every text is drawn with (:mod:`.glyphs`)."""
        main = self.data.get("font", "NotoSans")
        families = [(family, partial(self._register_family, family, self._font_files(family)))
                    for family in [main, *self.data.get("fallback_fonts", [])]]
        self.chain = FontChain.of(families)
        return self.chain.main.faces

    def _font_files(self, family: str) -> dict[str, str]:
        """Face -> font file of ``family``, each checked to be in the theme."""
        files = self.theme.section("fonts").get(family)
        if not files:
            raise ThemeError(f"theme {self.theme.name!r}: pdf font {family!r} is not in fonts:")
        return {face: str(self.theme.file(files[face])) for face in FACES}

    @staticmethod
    def _register_family(family: str, files: dict[str, str]) -> dict[str, str]:
        # reportlab's font registry is process-wide and keyed by name: fonts of a
        # project's theme get names of their own (a digest of the files), so two
        # themes with a family of one name never draw with each other's files
        key = family if all(Path(f).is_relative_to(BUILTIN_THEMES) for f in files.values()) \
            else f"{family}-{_digest(files.values())}"
        names = {}
        for face in FACES:
            name = f"{key}-{face}"
            if name not in pdfmetrics.getRegisteredFontNames():
                try:
                    pdfmetrics.registerFont(TTFont(name, files[face]))
                except (TTFError, OSError) as exc:
                    raise ThemeError(f"font {family!r} ({face}): {files[face]} is not a usable "
                                     f"TrueType font ({exc})") from None
            names[face] = name
        pdfmetrics.registerFontFamily(key, normal=names["regular"], bold=names["bold"],
                                      italic=names["italic"], boldItalic=names["bold_italic"])
        return names

    def paragraph_style(self, name: str, spec: dict[str, Any]) -> ParagraphStyle:
        size = spec.get("size", 10)
        kwargs: dict[str, Any] = {
            "fontName": self.font(spec.get("font", "regular")),
            "fontSize": size,
            "leading": spec.get("leading", size * 1.3),
            "textColor": self.colour(spec.get("colour"), "text"),
            "alignment": _ALIGNMENTS[spec.get("alignment", "left")],
        }
        for key, attr in _LENGTHS.items():
            if key in spec:
                # indents and spacing are points in the theme, like font sizes
                kwargs[attr] = float(spec[key])
        # bullets and list labels: the style's own font unless the theme says otherwise
        # (reportlab's default, Helvetica, is not embedded and would break PDF/A)
        kwargs["bulletFontName"] = self.font(spec.get("bullet_font", spec.get("font", "regular")))
        kwargs["bulletFontSize"] = size
        if "bullet_colour" in spec:
            kwargs["bulletColor"] = self.colour(spec["bullet_colour"])
        if "back_colour" in spec:
            kwargs["backColor"] = self.colour(spec["back_colour"])
        return ParagraphStyle(name, **kwargs)
