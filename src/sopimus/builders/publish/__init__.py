"""The publication package an agency hosts and Tutkihallintoa.fi links to: ``OUTDIR/publish/``.

A self-contained static site, the same bytes for the same sources::

    index.html                      the documents, in the source language
    <lang>/index.html               … in every other language
    <document-id>.<lang>.html       the accessible web form (the html builder's page)
    <document-id>.<lang>.pdf        the final PDF   (the pdf builder's output)
    <document-id>.<lang>.docx       the DOCX        (the docx builder's output)
    assets/                         stylesheets and fonts
    manifest.json                   metadata, addresses and hashes of every document file
    SHA256SUMS                      every file but itself, for ``sha256sum -c``

The PDF and DOCX come from their builders through the registry, in memory;
nothing is re-implemented here.  The site is assembled in :meth:`finish`,
because the index, the language switches and the manifest need every
document in every language; ``build()`` then writes it atomically.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ... import ast as A
from ...config import show_path
from ...diagnostics import Diagnostic
from ...htmlkit.site import Alternate, PageLinks, Site
from ...i18n import labels
from .. import REGISTRY
from .. import get as get_builder
from ..base import Builder
from ..html.page import document_page
from .files import SiteFile, checksums, document_entry, manifest, manifest_header
from .index import downloads, render_index
from .layout import Layout

DEFAULT_FORMATS = ["html", "pdf", "docx"]


class PublishBuilder(Builder):
    name = "publish"
    ext = "html"

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self.site = Site.for_project(project)
        self.formats: list[str] = list(self.site.theme.section("publish").get("formats") or DEFAULT_FORMATS)
        self._require_builders()
        self.diagnostics: list[Diagnostic] = self.site.diagnostics
        self.base_url = self._base_url()
        self._builders = {fmt: get_builder(fmt)(project, outdir, self.options)
                          for fmt in self.formats if fmt != "html"}
        self.layout = Layout(project.config.source_language,
                             {"html": self.ext, **{fmt: b.ext for fmt, b in self._builders.items()}})
        self._docs: dict[tuple[str, str], A.Document] = {}
        self._rendered: dict[tuple[str, str], dict[str, bytes]] = {}
        self._refused: list[str] = []

    def _require_builders(self) -> None:
        missing = [fmt for fmt in self.formats if fmt != "html" and fmt not in REGISTRY]
        if missing:
            from ...diagnostics import BuildError
            raise BuildError(
                f"publish needs the {' and '.join(repr(m) for m in missing)} builder for the "
                f"{' and '.join(missing)} files of the package, but it is not available "
                f"(available builders: {', '.join(sorted(REGISTRY))})")

    # --- per document ----------------------------------------------------------

    def outputs(self, doc: A.Document) -> list[tuple[Path, bytes]]:
        """Render the document's PDF, DOCX … in memory; the site comes from :meth:`finish`."""
        if doc.is_draft and not self.options.allow_draft:
            if doc.id not in self._refused:
                self._refused.append(doc.id)
            return []
        self._docs[(doc.id, doc.language)] = doc
        self._rendered[(doc.id, doc.language)] = {fmt: self._render_with(builder, doc)
                                                  for fmt, builder in self._builders.items()}
        return []

    @staticmethod
    def _render_with(builder: Builder, doc: A.Document) -> bytes:
        """What ``builder`` writes for ``doc`` as ``build/<builder>/<lang>/<id>.<ext>``."""
        wanted = builder.output_path(doc.id, doc.language)
        for path, data in builder.outputs(doc):
            if path == wanted:
                return data
        raise RuntimeError(f"the {builder.name} builder gave no {wanted.name} for {doc.id} ({doc.language})")

    # --- the whole site ----------------------------------------------------------

    def finish(self) -> list[tuple[Path, bytes]]:
        # Findings are added here, never in outputs(): build() reports this list once, after finish().
        self.diagnostics.extend(self._draft_refused(doc_id) for doc_id in self._refused)
        for builder in self._builders.values():
            self.diagnostics.extend(getattr(builder, "diagnostics", []))
        if any(d.is_error for d in self.diagnostics) or not self._docs:
            return []
        langs = [lang for lang in self.project.languages if any(k[1] == lang for k in self._docs)]
        keys = [(doc.id, lang) for doc in self.project.documents for lang in langs if (doc.id, lang) in self._docs]
        site: list[SiteFile] = [SiteFile(path, data) for path, data in self.site.assets()]
        per_doc = {key: self._document_files(*key, langs) for key in keys}
        for files in per_doc.values():
            site.extend(f for _fmt, f in files)
        site.extend(render_index(self.site, self.layout, lang, langs, self.base_url, self._docs, per_doc)
                    for lang in langs)
        site.append(manifest(manifest_header(self.project, self.base_url, langs),
                             [document_entry(self._docs[key], self.project, [f for _fmt, f in per_doc[key]],
                                             self.base_url) for key in keys]))
        site.append(checksums(site))
        return [(self.outdir / self.name / f.path, f.data) for f in site]

    def _document_files(self, doc_id: str, lang: str, langs: list[str]) -> list[tuple[str, SiteFile]]:
        """(format, file) of one document in one language, in the order of ``formats``."""
        files = {fmt: SiteFile(self.layout.file(doc_id, lang, fmt), data)
                 for fmt, data in self._rendered[(doc_id, lang)].items()}
        if "html" in self.formats:
            page = self.layout.file(doc_id, lang, "html")
            links = PageLinks(
                page=page, stylesheets=self.site.stylesheet_links(Layout.folder(page)),
                alternates=[Alternate(other, Layout.rel(page, self.layout.file(doc_id, other, "html")), other == lang)
                            for other in langs],
                home=Layout.rel(page, self.layout.index(lang)), canonical=self.base_url + page,
                downloads=downloads(list(files.items()), page, labels(lang).gettext, lang))
            files["html"] = SiteFile(page, document_page(self.site, self._docs[(doc_id, lang)], links))
        return [(fmt, files[fmt]) for fmt in self.formats]

    # --- findings ------------------------------------------------------------------

    def _draft_refused(self, doc_id: str) -> Diagnostic:
        meta = self.project.metadata[doc_id]
        return Diagnostic(
            show_path(meta.path), _key_line(meta.path, "status"), 1, "error", "publish-draft",
            f"document {doc_id!r} is a draft (status: draft) and is not published",
            "set 'status: final' once the agreement is final, or build with --allow-draft "
            "to publish it marked as a draft")

    def _base_url(self) -> str:
        """``base_url`` of sopimus.yaml, ending in ``/``; an error when it is not an absolute http(s) URL."""
        url = (self.project.config.base_url or "").strip()
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return url if url.endswith("/") else url + "/"
        path = self.project.config.path
        self.diagnostics.append(Diagnostic(
            show_path(path), _key_line(path, "base_url"), 1, "error", "publish-base-url",
            f"base_url {url!r} is not an absolute http(s) address; publish needs it for manifest.json"
            if url else "publish needs base_url, the address the package is hosted at",
            "add e.g. 'base_url: https://www.example.fi/tulossopimukset/' to sopimus.yaml"))
        return "https://invalid.example/"


def _key_line(path: Path, key: str) -> int:
    """The line of a top-level ``key`` in a YAML file (1 when it is not there)."""
    from ...diagnostics import Diagnostics
    from ...yamlio import load_yaml
    try:
        y = load_yaml(path.read_text("utf-8-sig"), path, Diagnostics())
    except OSError:
        return 1
    return (y.key_lines.get(key, 1) if y is not None and y.kind == "map" else 1) or 1
