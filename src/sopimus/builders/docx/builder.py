"""``sopimus build -b docx``: one Word document per document and language."""
from __future__ import annotations

from pathlib import Path

from ... import ast as A
from ...diagnostics import ERROR, Diagnostic
from ...docxkit.package import TemplateError
from ...docxkit.template import Template, load_template, template_file
from ...theme import ThemeError
from ..base import Builder
from .document import render

HINT = ("'docx: template:' in the theme's theme.yaml names the Word template (.docx or .dotx); "
        "styles are found by their English names")


class DocxBuilder(Builder):
    name = "docx"
    ext = "docx"

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self.diagnostics: list[Diagnostic] = []
        self._template: Template | None = None
        self._failed = False

    def template(self) -> Template:
        if self._template is None:
            self._template = load_template(self.project)
        return self._template

    def prepare(self) -> None:
        try:
            self.template()
        except (ThemeError, TemplateError, OSError):
            pass  # reported with the document by outputs()

    def render(self, doc: A.Document) -> bytes:
        return render(doc, self.template())

    def outputs(self, doc: A.Document) -> list[tuple[Path, bytes]]:
        """The document, or nothing and one finding when the theme's template is unusable."""
        if self._failed:
            return []
        try:
            return super().outputs(doc)
        except (ThemeError, TemplateError) as exc:
            self._failed = True
            where = self._template_path()
            self.diagnostics.append(Diagnostic(where, 1, 1, ERROR, "docx-template", str(exc), HINT))
            return []

    def _template_path(self) -> str:
        try:
            return str(template_file(self.project))
        except ThemeError:
            return str(self.project.config.path)
