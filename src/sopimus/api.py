"""The library's entry points: read, check, load and build a project from Python.

Everything here is re-exported by :mod:`sopimus`; import it from there.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .builders.base import BuildOptions
from .diagnostics import BuildError, Diagnostic, SourceError
from .pipeline import BuildResult
from .pipeline import build as _build
from .project import Project
from .reader import read as _read


def read(path: Path | str = "content") -> tuple[Project | None, list[Diagnostic]]:
    """Read the sources at ``path`` without raising.

    Returns the project (None when even ``sopimus.yaml`` could not be read)
    and every finding, sorted by file and line. A project is returned even
    when there are errors, so a tool can show what was read.

    >>> project, findings = sopimus.read("content")
    >>> [d.format() for d in findings if d.is_error]
    []
    """
    project, diagnostics = _read(Path(path))
    return project, diagnostics.sorted()


def check(path: Path | str = "content", trust: list[Path] | None = None) -> list[Diagnostic]:
    """The findings ``sopimus check`` prints for the sources at ``path``, in its order:
    the sources, then what a build reads beyond them (catalogs, the theme),
    then — when nothing else is wrong — the signed copies (``trust``: root
    certificates, as ``--trust``).

    >>> [d.format() for d in sopimus.check("content") if d.is_error]
    []
    """
    from .inputs import check_inputs, check_signed_copies
    project, findings = read(path)
    if project is None:
        return findings
    findings = findings + check_inputs(project)
    if not any(d.is_error for d in findings):
        findings = findings + check_signed_copies(project, trust)[0]
    return findings


def load(path: Path | str = "content") -> Project:
    """Load the sources at ``path``; raise :class:`SourceError` if they have errors.

    >>> project = sopimus.load("content")
    >>> [doc.id for doc in project.documents]
    ['virasto-tulossopimus']
    """
    project, findings = read(path)
    if project is None or any(d.is_error for d in findings):
        raise SourceError(findings)
    return project


def build(project: Project, builder: str, languages: Iterable[str] | None = None,
          outdir: Path | str = "build", *, strict: bool = False, allow_draft: bool = False,
          period: str | None = None, jobs: int = 1, fresh: bool = False) -> BuildResult:
    """Render every document of ``project`` with ``builder`` into ``outdir``.

    ``languages`` defaults to all of the project's; the other options are
    those of ``sopimus build`` (``--strict``, ``--allow-draft``,
    ``--period``, ``-j``, ``-E``). Outputs unchanged since the last build
    are kept (``result.skipped``). Raises :class:`BuildError` for an unknown
    builder or language or an output folder that cannot be written, and
    with the findings in ``diagnostics`` when rendering found errors — then
    nothing is written.

    >>> result = sopimus.build(project, "json", ["fi"], "build")
    >>> [str(p) for p in result.outputs]
    ['build/json/fi/virasto-tulossopimus.json']
    """
    options = BuildOptions(strict=strict, allow_draft=allow_draft, period=period)
    try:
        result = _build(project, builder, languages, Path(outdir), options, jobs=jobs, fresh=fresh)
    except OSError as exc:
        raise BuildError(f"cannot write the outputs: {exc.strerror or exc}: {exc.filename or outdir}") from exc
    if result.errors:
        raise BuildError(f"{len(result.errors)} error(s) building {builder!r}; nothing written",
                         result.diagnostics)
    return result
