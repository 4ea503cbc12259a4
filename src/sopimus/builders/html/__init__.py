"""The accessible web form of an agreement: ``build/html/<lang>/<document-id>.html``.

One page per document and language, from the theme's jinja2 templates
(autoescaped), with the same headings, numbering, tables and signature blocks
as the PDF (everything shown comes from :mod:`sopimus.present`).  The
stylesheets and the theme's fonts are written once, to ``build/html/assets/``.
"""
from __future__ import annotations

import posixpath
from pathlib import Path

from ... import ast as A
from ...htmlkit.site import Alternate, PageLinks, Site
from ...diagnostics import Diagnostic
from ..base import Builder, DocumentRendering, Rendered
from .page import document_page


class HTMLBuilder(Builder):
    name = "html"
    ext = "html"
    run_level = True  # the stylesheets and fonts are shared by every page

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self._site: Site | None = None

    @property
    def site(self) -> Site:
        if self._site is None:
            self._site = Site.for_project(self.project)
        return self._site

    def prepare(self) -> list[Diagnostic]:
        self.site  # a theme without HTML templates is a finding
        return []

    def _page_path(self, doc_id: str, lang: str) -> str:
        """The page's path inside ``build/html/``."""
        return f"{lang}/{doc_id}.{self.ext}"

    def links(self, doc: A.Document) -> PageLinks:
        here = self._page_path(doc.id, doc.language)
        base = posixpath.dirname(here)
        return PageLinks(
            page=here,
            stylesheets=self.site.stylesheet_links(base),
            alternates=[Alternate(lang, posixpath.relpath(self._page_path(doc.id, lang), base),
                                  lang == doc.language)
                        for lang in self.project.languages])

    def render_document(self, doc: A.Document) -> Rendered:
        findings: list[Diagnostic] = []
        page = document_page(self.site, doc, self.links(doc), findings)
        return Rendered([(self.output_path(doc.id, doc.language), page)], findings)

    def finish(self, documents: list[DocumentRendering]) -> Rendered:
        """The shared stylesheets and fonts, once per run."""
        return Rendered([(self.outdir / self.name / rel, data) for rel, data in self.site.assets()])
