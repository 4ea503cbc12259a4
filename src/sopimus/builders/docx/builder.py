"""``sopimus build -b docx``: one Word document per document and language."""
from __future__ import annotations

from pathlib import Path

from ... import ast as A
from ...diagnostics import ERROR, Diagnostic
from ...docxkit.package import TemplateError
from ...docxkit.template import Template, load_template, template_file
from ...theme import ThemeError
from ..base import Builder, Rendered
from .document import render

HINT = ("'docx: template:' in the theme's theme.yaml names the Word template (.docx or .dotx); "
        "styles are found by their English names")


class DocxBuilder(Builder):
    name = "docx"
    ext = "docx"

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self._template: Template | None = None

    def template(self) -> Template:
        if self._template is None:
            self._template = load_template(self.project)
        return self._template

    def prepare(self) -> list[Diagnostic]:
        """Load the theme's Word template once; an unusable one is one finding."""
        try:
            self.template()
        except ThemeError as exc:
            return [self._finding(exc)]
        return []

    def render(self, doc: A.Document) -> bytes:
        return render(doc, self.template())

    def render_document(self, doc: A.Document) -> Rendered:
        try:
            return super().render_document(doc)
        except TemplateError as exc:  # a template that opens but cannot be filled in
            return Rendered(findings=[self._finding(exc)])

    def _finding(self, exc: ThemeError) -> Diagnostic:
        return Diagnostic(self._template_path(), 1, 1, ERROR, "docx-template", str(exc), HINT)

    def _template_path(self) -> str:
        try:
            return str(template_file(self.project))
        except ThemeError:
            return str(self.project.config.path)
