"""``sopimus build -b redline --against REV|DIR``: what changed since the old version.

For each document and language, ``build/redline/<lang>/<document-id>.{json,docx,html,pdf}``:
the diff as JSON (``"schema": "sopimus-diff/1"``), a Word document with
real tracked changes, a web page with ``<ins>``/``<del>`` and a tagged PDF
with underline and strike-through, all three opening with the change summary. A document only in the old version gets the same
files, everything in them deleted. The old version comes in
``options.against`` (:class:`sopimus.versions.checkout.OldVersion`), the
author of the changes in ``options.author``, else
``redline: author:`` of sopimus.yaml, else the organisation's name.
"""
from __future__ import annotations

from pathlib import Path

from ... import ast as A
from ... import present
from ...diagnostics import ERROR, Diagnostic
from ..base import Builder, DocumentRendering, Rendered

FORMATS = ("json", "docx", "html", "pdf")


class RedlineBuilder(Builder):
    name = "redline"
    ext = "json"
    run_level = True  # finish() writes the documents only the old version has; never cached (a
    #                   revision's name says nothing of its contents)

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self.old = self.options.against
        self._template = None
        self._site = None
        self._pdf_style = None

    @property
    def label(self) -> str:
        return self.old.label if self.old is not None else ""

    def author(self, doc: A.Document) -> str:
        return self.options.author or self.project.config.redline_author or doc.organisation or "sopimus"

    def prepare(self) -> list[Diagnostic]:
        if self.old is None or self.old.project is None:
            return [Diagnostic(str(self.project.config.path), 1, 1, ERROR, "redline-against",
                               "the redline needs the old version to compare with",
                               "give --against REV (a git revision or tag) or --against DIR")]
        from ...docxkit.template import load_template
        from ...htmlkit.site import Site
        self._template = load_template(self.project)
        from ...pdfkit.styles import PdfStyle
        from ...theme import load_theme
        from . import pdf  # noqa: F401  (reportlab, pikepdf: loaded once, before forking)
        self._site = Site.for_project(self.project)
        self._pdf_style = PdfStyle(load_theme(self.project))
        return []

    def _old_document(self, doc_id: str, lang: str) -> A.Document | None:
        old_project = self.old.project
        if not any(d.id == doc_id for d in old_project.documents):
            return None
        if lang not in old_project.languages:
            lang = old_project.config.source_language
        return old_project.document(doc_id, lang)

    def render_document(self, doc: A.Document) -> Rendered:
        return self._render(self._old_document(doc.id, doc.language), doc)

    def _render(self, old: A.Document | None, new: A.Document | None) -> Rendered:
        from ...versions import diff, dumps
        from ...versions.summary import summarise
        from .docx import render_docx
        from .html import render_html
        from .pdf import render_pdf

        d = diff(old, new)
        shown = d.document
        summary = summarise(d, present.labels_for(shown))
        findings: list[Diagnostic] = []
        rendered = {
            "json": dumps(d, self.label),
            "docx": render_docx(d, summary, self._template, self.author(shown)),
            "html": render_html(d, summary, self._site, self.label, findings),
            "pdf": render_pdf(d, summary, self._pdf_style),
        }
        return Rendered([(self.outdir / self.name / shown.language / f"{shown.id}.{ext}", rendered[ext])
                         for ext in FORMATS], findings)

    def finish(self, documents: list[DocumentRendering]) -> Rendered:
        """Documents that only the old version has: everything in them deleted."""
        current = {d.id for d in self.project.documents}
        languages = list(dict.fromkeys(r.document.language for r in documents)) or self.project.languages
        out = Rendered()
        for lang in languages:
            for old_doc in self.old.project.documents:
                if old_doc.id not in current:
                    one = self._render(self._old_document(old_doc.id, lang), None)
                    out.files.extend(one.files)
                    out.findings.extend(one.findings)
        return out
