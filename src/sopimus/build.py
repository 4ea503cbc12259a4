"""Run builders over documents × languages and write their outputs."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import builders
from .builders.base import BuildOptions
from .diagnostics import Diagnostic
from .fsutil import atomic_write


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    coverage: dict[tuple[str, str], object] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


class BuildError(Exception):
    """A build could not produce its outputs (e.g. an unknown builder or language)."""


def build(project, builder: str, languages: Iterable[str] | None = None, outdir: Path | str = "build",
          options: BuildOptions | None = None,
          progress: Callable[[str, str, str, Path], None] | None = None) -> BuildResult:
    """Render every document of ``project`` with ``builder`` in ``languages``.

    Every output is rendered in memory before anything is written, so an
    error leaves the previous outputs in ``outdir`` as they were.
    """
    started = time.perf_counter()
    options = options or BuildOptions()
    languages = list(languages or project.languages)
    for lang in languages:
        if lang not in project.languages:
            raise BuildError(f"language {lang!r} is not one of the project's: {', '.join(project.languages)}")
    try:
        builder_cls = builders.get(builder)
    except KeyError:
        raise BuildError(f"unknown builder {builder!r}; available: {', '.join(builders.available())}") from None
    if not builder_cls.per_language:
        languages = [project.config.source_language]
    instance = builder_cls(project, Path(outdir), options)
    result = BuildResult()
    pending: list[tuple[str, str, Path, bytes]] = []
    for lang in languages:
        for source_doc in project.documents:
            loc = project.localised(source_doc.id, lang, options.strict)
            result.diagnostics.extend(loc.diagnostics)
            if loc.coverage is not None:
                result.coverage[(source_doc.id, lang)] = loc.coverage
            for path, data in instance.outputs(loc.document):
                pending.append((source_doc.id, lang, path, data))
    finish = getattr(instance, "finish", None)
    if finish is not None:
        pending.extend(("*", "*", path, data) for path, data in finish())
    result.diagnostics.extend(getattr(instance, "diagnostics", []))
    if result.errors:
        result.seconds = time.perf_counter() - started
        return result  # nothing is written when anything failed
    for doc_id, lang, path, data in pending:
        atomic_write(path, data)
        result.outputs.append(path)
        if progress:
            progress(builder, lang, doc_id, path)
    result.seconds = time.perf_counter() - started
    return result
