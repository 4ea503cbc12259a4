"""Message templates for translators: ``build/gettext/<document-id>.pot``."""
from __future__ import annotations

from pathlib import Path

from .. import ast as A
from .base import Builder


class GettextBuilder(Builder):
    name = "gettext"
    ext = "pot"
    per_language = False  # the template holds the source language only

    def output_path(self, doc_id: str, lang: str) -> Path:
        return self.outdir / self.name / f"{doc_id}.{self.ext}"

    def render(self, doc: A.Document) -> bytes:
        from ..i18n.catalogs import template, write_catalog
        return write_catalog(template(doc), template=True)
