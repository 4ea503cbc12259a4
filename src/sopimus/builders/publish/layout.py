"""Where each file of the publication package sits: stable names, relative links."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """File names inside the site; they never change for the same document, language and format."""

    source_language: str
    exts: dict[str, str]  # format (builder name) -> file extension

    def file(self, doc_id: str, lang: str, fmt: str) -> str:
        """``<document-id>.<lang>.<ext>``, at the top of the site."""
        return f"{doc_id}.{lang}.{self.exts[fmt]}"

    def index(self, lang: str) -> str:
        """``index.html`` in the source language, ``<lang>/index.html`` in the others."""
        return "index.html" if lang == self.source_language else f"{lang}/index.html"

    def index_url(self, lang: str) -> str:
        """The index's address below the base URL, as a web server serves it (``""``, ``sv/``)."""
        return "" if lang == self.source_language else f"{lang}/"

    @staticmethod
    def rel(page: str, target: str) -> str:
        """``target`` as linked from ``page`` (both paths inside the site)."""
        return posixpath.relpath(target, posixpath.dirname(page) or ".")

    @staticmethod
    def folder(page: str) -> str:
        return posixpath.dirname(page)
