"""The PDF builder: the signature-ready agreement (PDF/A-2b, bookmarks, a
table of contents, one empty signature field per signatory), drawn with
reportlab from the AST and styled by the theme's ``pdf:`` section."""
from __future__ import annotations

from ... import ast as A
from ...theme import load_theme
from ..base import Builder, Rendered


class PDFBuilder(Builder):
    name = "pdf"
    ext = "pdf"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style = None

    @property
    def style(self):
        if self._style is None:
            from ...pdfkit.styles import PdfStyle
            self._style = PdfStyle(load_theme(self.project))
        return self._style

    @classmethod
    def preload(cls) -> None:
        from . import render  # noqa: F401  (reportlab, pikepdf)

    def prepare(self) -> list:
        self.preload()
        self.style  # a theme that cannot give the PDF's styles and fonts is a finding
        return []

    def render_document(self, doc: A.Document) -> Rendered:
        from ...pdfkit.glyphs import undrawable
        missing = undrawable(self.project, doc, self.style.chain)
        if missing:   # never a blank where the source has a character
            return Rendered(findings=missing)
        return super().render_document(doc)

    def render(self, doc: A.Document) -> bytes:
        from .render import render
        return render(doc, self.style)
