"""The files of a publication package and their checksums: ``manifest.json`` and ``SHA256SUMS``.

``manifest.json`` carries the metadata Tutkihallintoa.fi links by (one entry
per document and language); ``SHA256SUMS`` lists every other file of the
site in the form ``sha256sum -c`` reads.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

MEDIA_TYPES = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "css": "text/css",
    "ttf": "font/ttf",
    "txt": "text/plain",
    "json": "application/json",
}
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
SCHEMA = "sopimus-publish/1"


@dataclass(frozen=True)
class SiteFile:
    """One file of the package: its path under the site root and its bytes."""

    path: str
    data: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES.get(self.path.rsplit(".", 1)[-1], "application/octet-stream")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def describe(self, base_url: str) -> dict:
        return {"path": self.path, "url": base_url + self.path, "media_type": self.media_type,
                "bytes": len(self.data), "sha256": self.sha256}


def document_entry(doc, project, files: list[tuple[str, SiteFile]], base_url: str, signing=None) -> dict:
    """One document in one language as ``manifest.json`` describes it; ``files[0]`` is its address.

    ``files`` are (format, file); the PDF's entry says whether it is signed
    and by whom (``signing``: signed.Signing).
    """
    from ...config import pick

    cfg = project.config
    org = cfg.organisation
    meta = project.metadata[doc.id]
    return {
        "id": doc.id, "type": doc.doc_type, "title": doc.title, "language": doc.language,
        "period": {"start": doc.period.start, "end": doc.period.end},
        "organisation": doc.organisation or pick(org.name, doc.language, cfg.source_language),
        "business_id": org.business_id or None,
        "administrative_branch": pick(org.administrative_branch, doc.language, cfg.source_language),
        "status": doc.status, "version": meta.version or None,
        "date": doc.date.isoformat() if doc.date else None,
        "register_number": doc.register_number or None,
        "url": base_url + files[0][1].path,
        "files": [{**f.describe(base_url), **(signing.manifest() if signing is not None and fmt == "pdf" else {})}
                  for fmt, f in files],
    }


def manifest_header(project, base_url: str, langs: list[str]) -> dict:
    org = project.config.organisation
    return {"base_url": base_url,
            "organisation": {"name": dict(org.name), "business_id": org.business_id or None,
                             "administrative_branch": dict(org.administrative_branch or {})},
            "languages": langs}


def manifest(header: dict, documents: list[dict]) -> SiteFile:
    data = {"schema": SCHEMA, **header, "documents": documents}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return SiteFile(MANIFEST, text.encode("utf-8"))


def checksums(files: list[SiteFile]) -> SiteFile:
    """``<sha256>  <path>`` for every file, sorted by path (``sha256sum -c SHA256SUMS``)."""
    lines = [f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path)]
    return SiteFile(CHECKSUMS, "".join(lines).encode("utf-8"))
