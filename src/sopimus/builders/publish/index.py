"""The index pages of the package: every document with its type, period, status and files."""
from __future__ import annotations

from dataclasses import dataclass

from ... import ast as A
from ... import present
from ...htmlkit.site import (
    Alternate,
    Download,
    PageLinks,
    Site,
    file_size,
    language_name,
)
from ...i18n import N_, labels
from .files import CHECKSUMS, MANIFEST, SiteFile
from .layout import Layout

FORMAT_LABELS = {"html": N_("Web page"), "pdf": N_("PDF"), "docx": N_("DOCX")}
STATUS_LABELS = {"final": N_("Final version"), "draft": N_("Draft version")}


def format_label(fmt: str, _) -> str:
    return _(FORMAT_LABELS.get(fmt, fmt.upper()))


@dataclass
class Version:
    """A document's files in one language."""

    lang: str
    name: str  # the language's own name: suomi, svenska
    files: list[Download]


@dataclass
class Entry:
    """One document as the index in one language shows it."""

    doc: A.Document
    type_text: str
    period: str
    status: str
    draft: bool
    page: str | None
    versions: list[Version]
    signing: str | None = None  # "Allekirjoitettu sähköisesti 12.1.2026" / "Allekirjoittamaton"


def downloads(files: list[tuple[str, SiteFile]], page: str, _, lang: str) -> list[Download]:
    """Links from ``page`` to ``(format, file)`` pairs, labelled and sized in ``lang``."""
    return [Download(format_label(fmt, _), Layout.rel(page, f.path), f.media_type, file_size(len(f.data), _, lang))
            for fmt, f in files]


def render_index(site: Site, layout: Layout, lang: str, langs: list[str], base_url: str,
                 docs: dict[tuple[str, str], A.Document],
                 files: dict[tuple[str, str], list[tuple[str, SiteFile]]],
                 signing: dict | None = None) -> SiteFile:
    _ = labels(lang).gettext
    path = layout.index(lang)
    doc_ids = list(dict.fromkeys(doc_id for doc_id, _lang in docs))
    entries = []
    for doc_id in doc_ids:
        doc = docs[(doc_id, lang)]
        page = dict(files[(doc_id, lang)]).get("html")
        entries.append(Entry(
            doc, present.document_type(doc, _), present.period_text(doc), _(STATUS_LABELS[doc.status]),
            doc.is_draft, Layout.rel(path, page.path) if page else None,
            [Version(other, language_name(other, other), downloads(files[(doc_id, other)], path, _, lang))
             for other in langs],
            None if doc.is_draft or signing is None or (doc_id, lang) not in signing
            else signing[(doc_id, lang)].note(_, lang)))
    links = PageLinks(page=path, stylesheets=site.stylesheet_links(Layout.folder(path)),
                      alternates=[Alternate(other, Layout.rel(path, layout.index(other)), other == lang)
                                  for other in langs],
                      canonical=base_url + layout.index_url(lang))
    html = site.index_page(lang, links, entries, manifest_href=Layout.rel(path, MANIFEST),
                           checksums_href=Layout.rel(path, CHECKSUMS))
    return SiteFile(path, html)
