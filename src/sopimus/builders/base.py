"""The builder contract: what every builder is, and what the pipeline may ask of it.

A builder turns localised documents into files.  The pipeline
(:mod:`sopimus.pipeline`) calls, in this order and nothing else:

0. :meth:`Builder.preload` (a class method, optional to override) while the
   sources are read in worker processes: import what rendering needs.  It
   sees no project and returns nothing; a cold build pays the imports while
   it would otherwise wait.
1. :meth:`Builder.prepare` once, before any document: load what every
   document needs (theme, fonts, template) and return the problems found
   (a missing theme is a finding, not a traceback).  With an error among
   them nothing is rendered.
2. :meth:`Builder.render_document` once per document and language, possibly
   in a forked worker process: return a :class:`Rendered` — the files and the
   findings of that document.  It must not depend on state left by another
   document, so the parallel and the serial build give the same bytes.
3. :meth:`Builder.finish` once, for a *run-level* builder only (``run_level =
   True``: a site with an index, shared assets): it gets every document's
   rendering of the run and returns the files of the whole run.

Per-document builders' outputs are cached per document and language;
run-level builders' per run.  Nothing is written while any finding is an
error.  A builder never re-validates the sources: the reader has checked them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from .. import ast as A
from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from ..project import Project
    from ..signing.verify import Verification


@dataclass
class BuildOptions:
    """The options of ``sopimus build`` that change outputs (``--strict``, ``--allow-draft``, ``--period``)."""

    strict: bool = False
    allow_draft: bool = False
    allow_unsigned: bool = False  # publish: a final document without a verified signed copy
    period: str | None = None
    against: object | None = None  # redline: the old version (sopimus.versions.checkout.OldVersion)
    author: str | None = None      # redline: the author of the tracked changes


@dataclass
class Rendered:
    """What a builder rendered: files (path, bytes) to write, and its findings."""

    files: list[tuple[Path, bytes]] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)


@dataclass
class DocumentRendering:
    """One document in one language as a builder rendered it, for :meth:`Builder.finish`."""

    document: A.Document
    rendered: Rendered


class Builder:
    """Base of every builder; subclasses set ``name`` and ``ext`` and implement
    :meth:`render` (one file per document) or :meth:`render_document`."""

    name: ClassVar[str] = ""
    ext: ClassVar[str] = ""
    per_language: ClassVar[bool] = True  # False: one output per document, in the source language
    run_level: ClassVar[bool] = False    # True: finish() writes files of the whole run
    # A run-level builder that owns OUTDIR/<site_root>/: after a run the folder holds exactly the
    # files of the run (a document or language no longer built leaves nothing behind).
    site_root: ClassVar[str | None] = None

    def __init__(self, project: Project, outdir: Path, options: BuildOptions | None = None):
        self.project = project
        self.outdir = Path(outdir)
        self.options = options or BuildOptions()

    def output_path(self, doc_id: str, lang: str) -> Path:
        """``OUTDIR/<name>/<lang>/<doc_id>.<ext>``."""
        return self.outdir / self.name / lang / f"{doc_id}.{self.ext}"

    @classmethod
    def preload(cls) -> None:
        """Import the libraries rendering needs (no project, no theme: nothing that can fail
        for a user's mistake). Called while the sources are read, when they are read in
        worker processes; rendering must not rely on it having been called."""

    def prepare(self) -> list[Diagnostic]:
        """Load what every document needs, once; return what is wrong with it.

        Called before rendering (and before forking workers, which inherit
        what it loaded)."""
        return []

    def render(self, doc: A.Document) -> bytes:
        """The one file of ``doc`` (for builders that write one file per document)."""
        raise NotImplementedError(f"the {self.name} builder renders nothing")

    def render_document(self, doc: A.Document) -> Rendered:
        """Every file this builder writes for ``doc``, and its findings."""
        return Rendered([(self.output_path(doc.id, doc.language), self.render(doc))])

    def finish(self, documents: list[DocumentRendering]) -> Rendered:
        """The files of the whole run (run-level builders only)."""
        return Rendered()

    def signed_copy(self, doc: A.Document) -> "Verification | None":
        """The verification of ``doc``'s signed copy (``content/<id>/allekirjoitettu/<lang>.pdf``),
        or None when it has none: a ``signing.verify.Verification`` (``.ok``, ``.signers``,
        ``.data``), and ``signed.Signing.of()`` of it says what outputs show.

        The copy is compared with the PDF the pdf builder renders from the
        sources (through the registry), so a builder that only reports the
        signing needs no other builder itself."""
        from ..signing import verify_copy
        return verify_copy(self.project, doc.id, doc.language)
