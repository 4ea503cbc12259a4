"""``sopimus build -b redline --against REV|DIR``: what changed since the old version.

For each document and language, ``build/redline/<lang>/<document-id>.{json,docx,html}``:
the diff as JSON (``"schema": "sopimus-diff/1"``), a Word document with
real tracked changes and a web page with ``<ins>``/``<del>``, both opening
with the change summary. A document only in the old version gets the same
files, everything in them deleted. The old version comes in
``options.extra["against"]`` (:class:`sopimus.versions.checkout.OldVersion`),
the author of the changes in ``options.extra["author"]``, else
``redline: author:`` of sopimus.yaml, else the organisation's name.
"""
from __future__ import annotations

from pathlib import Path

from ... import ast as A
from ... import present
from ...diagnostics import ERROR, Diagnostic
from ..base import Builder

FORMATS = ("json", "docx", "html")


class RedlineBuilder(Builder):
    name = "redline"
    ext = "json"

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self.diagnostics: list[Diagnostic] = []
        self.old = self.options.extra.get("against")
        self._template = None
        self._site = None
        self._languages: list[str] = []
        if self.old is None or self.old.project is None:
            self.diagnostics.append(Diagnostic(str(project.config.path), 1, 1, ERROR, "redline-against",
                                               "the redline needs the old version to compare with",
                                               "give --against REV (a git revision or tag) or --against DIR"))

    @property
    def label(self) -> str:
        return self.old.label if self.old is not None else ""

    def author(self, doc: A.Document) -> str:
        return (self.options.extra.get("author") or self.project.config.redline_author
                or doc.organisation or "sopimus")

    def template(self):
        if self._template is None:
            from ..docx.template import load_template
            self._template = load_template(self.project)
        return self._template

    def site(self):
        if self._site is None:
            from ..html.pages import Site
            self._site = Site.for_project(self.project)
        return self._site

    def prepare(self) -> None:
        self.template()
        self.site()

    def _old_document(self, doc_id: str, lang: str) -> A.Document | None:
        old_project = self.old.project
        if not any(d.id == doc_id for d in old_project.documents):
            return None
        if lang not in old_project.languages:
            lang = old_project.config.source_language
        return old_project.document(doc_id, lang)

    def outputs(self, doc: A.Document) -> list[tuple[Path, bytes]]:
        if self.old is None or self.old.project is None:
            return []
        if doc.language not in self._languages:
            self._languages.append(doc.language)
        return self._render(self._old_document(doc.id, doc.language), doc)

    def _render(self, old: A.Document | None, new: A.Document | None) -> list[tuple[Path, bytes]]:
        from ...versions import diff, dumps
        from ...versions.summary import summarise
        from .docx import render_docx
        from .html import render_html

        d = diff(old, new)
        shown = d.document
        summary = summarise(d, present.labels_for(shown))
        rendered = {
            "json": dumps(d, self.label),
            "docx": render_docx(d, summary, self.template(), self.author(shown)),
            "html": render_html(d, summary, self.site(), self.label),
        }
        return [(self.outdir / self.name / shown.language / f"{shown.id}.{ext}", rendered[ext]) for ext in FORMATS]

    def finish(self) -> list[tuple[Path, bytes]]:
        """Documents that only the old version has: everything in them deleted."""
        if self.old is None or self.old.project is None:
            return []
        current = {d.id for d in self.project.documents}
        out: list[tuple[Path, bytes]] = []
        for lang in self._languages or self.project.languages:
            for old_doc in self.old.project.documents:
                if old_doc.id not in current:
                    out.extend(self._render(self._old_document(old_doc.id, lang), None))
        return out
