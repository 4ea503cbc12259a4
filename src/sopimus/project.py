"""The project model: a loaded source folder, its configuration and documents."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import ast as A
from .config import DocumentMeta, ProjectConfig
from .diagnostics import Diagnostic


@dataclass
class Project:
    """A loaded source folder: its configuration and its documents.

    ``documents`` hold the source language; :meth:`document` gives a document
    in any of the project's languages.
    """

    config: ProjectConfig
    documents: list[A.Document]
    metadata: dict[str, DocumentMeta]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dependencies: dict[str, list[Path]] = field(default_factory=dict)
    outcomes: dict[str, Any] = field(default_factory=dict)  # doc id -> outcomes.DocumentOutcomes (follow-up)
    # How a document reads in another language: set by the reader (sopimus.localise.localise),
    # so the model does not import the layers above it.
    localiser: Callable[..., Any] | None = field(default=None, repr=False, compare=False)
    _localised: dict[tuple[str, str, bool], Any] = field(default_factory=dict, repr=False, compare=False)
    # The fingerprint (sopimus.incremental) of each source file as it was read: what the outputs
    # are recorded as made from, even when a file is saved again while the build runs.
    as_read: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def root(self) -> Path:
        """The source folder (the one holding ``sopimus.yaml``)."""
        return self.config.root

    @property
    def languages(self) -> list[str]:
        """The project's languages; the first is the source language."""
        return self.config.languages

    def get(self, doc_id: str) -> A.Document:
        """The document ``doc_id`` in the source language; KeyError if there is none."""
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def document(self, doc_id: str, language: str | None = None) -> A.Document:
        """The document ``doc_id`` in ``language`` (metadata and text translated)."""
        document: A.Document = self.localised(doc_id, language or self.config.source_language).document
        return document

    def localised(self, doc_id: str, language: str, strict: bool = False) -> Any:
        """The document in ``language`` with the translation's findings and coverage.

        Each language is localised once per load, however many builders run.
        """
        if self.localiser is None:
            raise RuntimeError("this Project was not made by sopimus.read()/load(): it cannot localise")
        key = (doc_id, language, strict)
        if key not in self._localised:
            self._localised[key] = self.localiser(self, self.get(doc_id), language, strict)
        return self._localised[key]
