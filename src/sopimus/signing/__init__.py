"""Signed copies: where they live, and checking them against the sources.

The file the signing service returns is committed beside the sources as
``content/<document-id>/allekirjoitettu/<lang>.pdf`` (the folder's name is
``signing.folder`` in sopimus.yaml).  :func:`verify_project` verifies every
copy (``sopimus check``, ``publish``, ``report``); :func:`verify_file` one
file (``sopimus verify``).  The PDF a copy is compared with is rendered in
memory by the pdf builder from the registry — never read from ``build/``,
whose caches must not decide what is verified.
"""
from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import show_path
from ..diagnostics import Diagnostic
from ..paths import inside

if TYPE_CHECKING:  # pyHanko is imported only when a copy is verified
    from .verify import Verification


@dataclass
class SignedCopies:
    """The verification of every signed copy of a project, by (document id, language)."""

    verified: dict[tuple[str, str], "object"] = field(default_factory=dict)  # -> verify.Verification
    findings: list[Diagnostic] = field(default_factory=list)

    def get(self, doc_id: str, lang: str):
        return self.verified.get((doc_id, lang))

    def signed(self, doc_id: str, lang: str):
        """The verification of a copy that passed, else None."""
        v = self.get(doc_id, lang)
        return v if v is not None and v.ok else None


def folder(project, doc_id: str) -> Path:
    return project.root / doc_id / project.config.signing.folder


def copy_path(project, doc_id: str, lang: str) -> Path:
    """``content/<document-id>/allekirjoitettu/<lang>.pdf``."""
    return folder(project, doc_id) / f"{lang}.pdf"


def find_copies(project) -> tuple[list[tuple[str, str, Path]], list[Diagnostic]]:
    """(document id, language, path) of every signed copy, and findings for files that are none."""
    found, findings = [], []
    for doc in project.documents:
        where = folder(project, doc.id)
        if not where.is_dir():
            continue
        for path in sorted(where.iterdir()):
            lang = path.stem if path.suffix.lower() == ".pdf" else None
            if not inside(path, project.root):
                findings.append(Diagnostic(
                    show_path(path), 1, 1, "error", "signed-outside",
                    f"{path.name!r} leads outside the source folder (a symbolic link?) and is not read",
                    "put the signed file itself here, not a link to it"))
            elif path.is_file() and lang in project.languages and path.suffix == ".pdf":
                found.append((doc.id, lang, path))
            elif not path.name.startswith("."):
                findings.append(Diagnostic(
                    show_path(path), 1, 1, "warning", "signed-unknown-file",
                    f"{path.name!r} is not a signed copy: this folder holds <language>.pdf files "
                    f"({', '.join(lang + '.pdf' for lang in project.languages)})"))
    return found, findings


def expected_for(project, doc_id: str, lang: str):
    """``expected(build date)``: the PDF the sources build for ``doc_id`` in ``lang``, and its fields."""
    from .. import builders, clock, present
    from .verify import Expected

    def expected(recorded: _dt.datetime | None) -> Expected:
        when, origin = clock.for_document(project.metadata[doc_id])
        if recorded is not None:
            when, origin = recorded, "built on " + recorded.strftime("%Y-%m-%d %H:%M:%S UTC") + \
                " as the signed copy records"
        else:
            origin = {"SOURCE_DATE_EPOCH": "dated by SOURCE_DATE_EPOCH", "date": "dated by date: in document.yaml",
                      "sources": "dated by the newest commit of the sources"}[origin]
        loc = project.localised(doc_id, lang)
        doc = loc.document
        pdf = builders.get("pdf")(project, project.root.parent / "build")
        with clock.stamped(when):
            data = pdf.render(doc)
        blocks = {b.field_name: (f"{b.party}, {b.role}", b.name) for b in present.signature_blocks(doc)}
        placed = _field_names(data)
        return Expected(data, {name: blocks.get(name, (name, None)) for name in placed}, origin)
    return expected


def _field_names(data: bytes) -> list[str]:
    import pikepdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        form = pdf.Root.get("/AcroForm")
        if form is None:
            return []
        return [str(f.T) for f in form.get("/Fields", []) if f.get("/FT") == "/Sig"]


def verify_project(project, trust: list[Path] | None = None) -> SignedCopies:
    """Verify every signed copy of ``project`` against its sources."""
    result = SignedCopies()
    copies, result.findings = find_copies(project)
    for doc_id, lang, path in copies:
        v = verify_copy(project, doc_id, lang, path, trust)
        result.verified[(doc_id, lang)] = v
        result.findings.extend(v.findings)
    return result


def verify_copy(project, doc_id: str, lang: str, path: Path | None = None,
                trust: list[Path] | None = None) -> "Verification | None":
    """The verification of the signed copy of ``doc_id`` in ``lang`` (None when there is none)."""
    from .verify import Verification, verify

    path = path or copy_path(project, doc_id, lang)
    if not path.is_file():
        return None
    if not inside(path, project.root):
        v = Verification(show_path(path))
        v.error("signed-outside", "the signed copy leads outside the source folder (a symbolic link?) "
                                  "and is not read")
        return v
    shown = show_path(path)
    roots = list(trust) if trust else list(project.config.signing.trust)
    try:
        data = path.read_bytes()
    except OSError as exc:
        v = Verification(shown)
        v.error("signed-unreadable", f"cannot read the signed copy ({exc.strerror})")
        return v
    v = verify(data, shown, expected_for(project, doc_id, lang), roots)
    v.data = data
    return v


def identify(project, path: Path) -> tuple[str, str] | None:
    """(document id, language) when ``path`` is a signed copy of ``project``, else None."""
    copies, _ = find_copies(project)
    target = path.resolve()
    for doc_id, lang, p in copies:
        if p.resolve() == target:
            return doc_id, lang
    return None
