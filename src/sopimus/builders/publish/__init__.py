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

The PDF and DOCX come from their builders through the registry, in memory,
per document; nothing is re-implemented here.  The pages, the index and the
manifest are assembled in :meth:`finish`, because the language switches,
download lists and hashes need every document in every language; ``build()``
then writes it all atomically.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ... import ast as A
from ...config import show_path
from ...diagnostics import BuildError, Diagnostic
from ...htmlkit.site import Alternate, PageLinks, Site
from ...i18n import labels
from ...signed import Signing
from .. import REGISTRY
from .. import get as get_builder
from ..base import Builder, DocumentRendering, Rendered
from ..html.page import document_page
from .files import SiteFile, checksums, document_entry, manifest, manifest_header
from .index import downloads, render_index
from .layout import Layout

DEFAULT_FORMATS = ["html", "pdf", "docx"]


class PublishBuilder(Builder):
    name = "publish"
    ext = "html"
    run_level = True  # the index, the manifest and the checksums cover every document
    site_root = "publish"  # the folder equals its manifest: nothing stale is left in it

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self._site: Site | None = None
        self._builders: dict[str, Builder] = {}
        self.base_url = ""
        self._signing: dict[tuple[str, str], Signing] = {}  # verified signed copies, from prepare()

    @property
    def site(self) -> Site:
        if self._site is None:
            self._site = Site.for_project(self.project)
        return self._site

    @property
    def formats(self) -> list[str]:
        return list(self.site.theme.section("publish").get("formats") or DEFAULT_FORMATS)

    def prepare(self) -> list[Diagnostic]:
        self._require_builders()
        found: list[Diagnostic] = []
        self.base_url = self._base_url(found)
        self._builders = {fmt: get_builder(fmt)(self.project, self.outdir, self.options)
                          for fmt in self.formats if fmt != "html"}
        self.layout = Layout(self.project.config.source_language,
                             {"html": self.ext, **{fmt: b.ext for fmt, b in self._builders.items()}})
        for builder in self._builders.values():
            found.extend(builder.prepare())
        found.extend(self._verify_signed_copies())
        return found

    def _verify_signed_copies(self) -> list[Diagnostic]:
        """Verify every signed copy once, before documents render (in parallel, they inherit the result)."""
        if "pdf" not in self._builders:
            return []
        from ...signing import find_copies, verify_copy
        copies, found = find_copies(self.project)
        for doc_id, lang, path in copies:
            if self.project.metadata[doc_id].status == "draft":
                continue
            verification = verify_copy(self.project, doc_id, lang, path)  # once, before rendering forks
            found.extend(verification.findings)
            if verification.ok:
                self._signing[(doc_id, lang)] = Signing(verification)
        return found

    def signing(self, doc: A.Document) -> Signing | None:
        """How ``doc`` is published: its verified signed copy, unsigned, or (None) not at all."""
        if doc.is_draft or "pdf" not in self._builders:
            return Signing(None)
        if (doc.id, doc.language) in self._signing:
            return self._signing[(doc.id, doc.language)]
        from ...signing import copy_path
        if copy_path(self.project, doc.id, doc.language).is_file():
            return None  # a copy that failed verification: prepare() reported why
        return Signing(None) if self.options.allow_unsigned else None

    def _require_builders(self) -> None:
        missing = [fmt for fmt in self.formats if fmt != "html" and fmt not in REGISTRY]
        if missing:
            raise BuildError(
                f"publish needs the {' and '.join(repr(m) for m in missing)} builder for the "
                f"{' and '.join(missing)} files of the package, but it is not available "
                f"(available builders: {', '.join(sorted(REGISTRY))})")

    # --- per document ----------------------------------------------------------

    def render_document(self, doc: A.Document) -> Rendered:
        """The document's PDF, DOCX … in the package; its page and the site come from :meth:`finish`."""
        if doc.is_draft and not self.options.allow_draft:
            return Rendered(findings=[self._draft_refused(doc.id)])
        signing = self.signing(doc)
        if signing is None:
            return Rendered(findings=[] if self._has_copy(doc) else [self._unsigned_refused(doc)])
        out = Rendered()
        for fmt, builder in self._builders.items():
            if fmt == "pdf" and signing.signed:  # the signed copy, byte for byte
                out.files.append((self._path(self.layout.file(doc.id, doc.language, fmt)), signing.verification.data))
                continue
            wanted = builder.output_path(doc.id, doc.language)
            rendered = builder.render_document(doc)
            out.findings.extend(rendered.findings)
            out.files.extend((self._path(self.layout.file(doc.id, doc.language, fmt)), data)
                             for path, data in rendered.files if path == wanted)
        return out

    def _path(self, site_path: str) -> Path:
        return self.outdir / self.name / site_path

    # --- the whole site ----------------------------------------------------------

    def finish(self, documents: list[DocumentRendering]) -> Rendered:
        docs = {(d.document.id, d.document.language): d.document for d in documents if d.rendered.files}
        if not docs:
            return Rendered()
        written = {path: data for d in documents for path, data in d.rendered.files}
        langs = [lang for lang in self.project.languages if any(k[1] == lang for k in docs)]
        keys = [(doc.id, lang) for doc in self.project.documents for lang in langs if (doc.id, lang) in docs]
        site: list[SiteFile] = [SiteFile(path, data) for path, data in self.site.assets()]
        findings: list[Diagnostic] = []
        per_doc = {key: self._document_files(docs[key], langs, written, findings) for key in keys}
        for files in per_doc.values():
            site.extend(f for _fmt, f in files)
        signing = {key: self.signing(docs[key]) or Signing(None) for key in keys}
        site.extend(render_index(self.site, self.layout, lang, langs, self.base_url, docs, per_doc, signing)
                    for lang in langs)
        site.append(manifest(manifest_header(self.project, self.base_url, langs),
                             [document_entry(docs[key], self.project, per_doc[key], self.base_url, signing[key])
                              for key in keys]))
        site.append(checksums(site))
        return Rendered([(self._path(f.path), f.data) for f in site if self._path(f.path) not in written],
                        findings)

    def _document_files(self, doc: A.Document, langs: list[str], written: dict[Path, bytes],
                        findings: list[Diagnostic]) -> list[tuple[str, SiteFile]]:
        """(format, file) of one document in one language, in the order of ``formats``."""
        doc_id, lang = doc.id, doc.language
        files = {fmt: SiteFile(self.layout.file(doc_id, lang, fmt), written[self._path(self.layout.file(doc_id, lang, fmt))])
                 for fmt in self._builders}
        if "html" in self.formats:
            page = self.layout.file(doc_id, lang, "html")
            links = PageLinks(
                page=page, stylesheets=self.site.stylesheet_links(Layout.folder(page)),
                alternates=[Alternate(other, Layout.rel(page, self.layout.file(doc_id, other, "html")), other == lang)
                            for other in langs],
                home=Layout.rel(page, self.layout.index(lang)), canonical=self.base_url + page,
                downloads=downloads(list(files.items()), page, labels(lang).gettext, lang))
            note = None if doc.is_draft else (self.signing(doc) or Signing(None)).note(labels(lang).gettext, lang)
            files["html"] = SiteFile(page, document_page(self.site, doc, links, findings, signing_note=note))
        return [(fmt, files[fmt]) for fmt in self.formats]

    # --- findings ------------------------------------------------------------------

    def _draft_refused(self, doc_id: str) -> Diagnostic:
        meta = self.project.metadata[doc_id]
        return Diagnostic(
            show_path(meta.path), _key_line(meta.path, "status"), 1, "error", "publish-draft",
            f"document {doc_id!r} is a draft (status: draft) and is not published",
            "set 'status: final' once the agreement is final, or build with --allow-draft "
            "to publish it marked as a draft")

    def _has_copy(self, doc: A.Document) -> bool:
        from ...signing import copy_path
        return copy_path(self.project, doc.id, doc.language).is_file()

    def _unsigned_refused(self, doc: A.Document) -> Diagnostic:
        from ...signing import copy_path
        meta = self.project.metadata[doc.id]
        return Diagnostic(
            show_path(meta.path), _key_line(meta.path, "status"), 1, "error", "publish-unsigned",
            f"document {doc.id!r} is final but has no signed copy in {doc.language}: "
            f"{show_path(copy_path(self.project, doc.id, doc.language))}",
            "put the signed PDF there (see the README: Signing), or publish it unsigned, marked so, "
            "with --allow-unsigned")

    def _base_url(self, found: list[Diagnostic]) -> str:
        """``base_url`` of sopimus.yaml, ending in ``/``; an error when it is not an absolute http(s) URL."""
        url = (self.project.config.base_url or "").strip()
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return url if url.endswith("/") else url + "/"
        path = self.project.config.path
        found.append(Diagnostic(
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
