"""What every builder shares: where outputs go and how they are written."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import ast as A


@dataclass
class BuildOptions:
    strict: bool = False
    allow_draft: bool = False
    period: str | None = None


class Builder:
    """A builder renders one document in one language to bytes.

    Subclasses set ``name`` and ``ext`` and implement :meth:`render`; the
    framework localises, writes atomically and reports.
    """

    name = ""
    ext = ""
    per_language = True  # False: one output per document, in the source language

    def __init__(self, project, outdir: Path, options: BuildOptions | None = None):
        self.project = project
        self.outdir = Path(outdir)
        self.options = options or BuildOptions()

    def output_path(self, doc_id: str, lang: str) -> Path:
        return self.outdir / self.name / lang / f"{doc_id}.{self.ext}"

    def prepare(self) -> None:
        """Load what every document needs (imports, theme, fonts, template) once.

        Called before rendering in parallel, so that forked workers inherit
        it instead of each loading it again. Problems are left for
        :meth:`outputs` to report.
        """

    def render(self, doc: A.Document) -> bytes:
        raise NotImplementedError

    def outputs(self, doc: A.Document) -> list[tuple[Path, bytes]]:
        """Every file this builder writes for ``doc`` (most builders: one)."""
        return [(self.output_path(doc.id, doc.language), self.render(doc))]
