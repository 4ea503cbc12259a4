"""Run builders over documents × languages and write their outputs.

Outputs are grouped per document and language; a group whose dependencies
are unchanged since it was written is skipped (:mod:`sopimus.incremental`).
Groups render in parallel with ``jobs > 1`` — the same bytes as a serial
run, since rendering depends on nothing but the sources.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import builders, clock
from .version import __version__
from . import ast as A
from .builders.base import BuildOptions, DocumentRendering, Rendered
from .diagnostics import BuildError, Diagnostic
from .fsutil import check_outdir, prune, write_all
from .incremental import PACKAGE, OutputCache
from .theme import ThemeError
from .walk import Unrenderable


@dataclass
class BuildResult:
    """What a build did: the files written, those up to date, the findings, translation coverage, time."""

    outputs: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    coverage: dict[tuple[str, str], object] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        """The findings that are errors."""
        return [d for d in self.diagnostics if d.is_error]


def settings_key(builder: str, options: BuildOptions, *parts: str) -> str:
    """Everything besides files that changes an output."""
    return json.dumps([__version__, builder, options.strict, options.allow_draft, options.allow_unsigned, options.period,
                       os.environ.get("SOURCE_DATE_EPOCH", ""), *parts])


def dependencies(project, doc_id: str | None = None, lang: str | None = None) -> tuple[list[Path], list[Path]]:
    """(folders, files) whose contents an output depends on: the outputs of ``doc_id``
    in ``lang``, or with neither given, everything a whole run reads."""
    from .resources import BUILTIN_LOCALES
    from .i18n.content import locale_dir
    from .theme import theme_dirs

    def narrow(folder: Path, part: str | None) -> Path:
        return folder / part if part else folder

    roots = [narrow(project.root, doc_id), narrow(locale_dir(project), lang), narrow(BUILTIN_LOCALES, lang), PACKAGE]
    roots += [d / project.config.theme for d in theme_dirs(project)]
    # The built-in themes and label catalogs are package data: PACKAGE lists them already.
    roots = [r for r in roots if r == PACKAGE or not r.resolve().is_relative_to(PACKAGE)]
    doc_ids = [doc_id] if doc_id else list(project.dependencies)
    files = [project.config.path, *(p for d in doc_ids for p in project.dependencies.get(d, []))]
    return roots, files  # a root that does not exist yet (locales/sv, themes/<name>) is recorded empty


def build(project, builder: str, languages: Iterable[str] | None = None, outdir: Path | str = "build",
          options: BuildOptions | None = None,
          progress: Callable[[str, str, str, Path], None] | None = None,
          jobs: int = 1, fresh: bool = False) -> BuildResult:
    """Render every document of ``project`` with ``builder`` in ``languages``.

    Every output is rendered in memory before anything is written, so an
    error leaves the previous outputs in ``outdir`` as they were.
    """
    from .i18n import project_locales
    from .i18n.content import locale_dir
    with project_locales(locale_dir(project)):  # the project's own label catalogs win
        return _build(project, builder, languages, outdir, options, progress, jobs, fresh)


def _build(project, builder: str, languages: Iterable[str] | None, outdir: Path | str,
           options: BuildOptions | None, progress: Callable[[str, str, str, Path], None] | None,
           jobs: int, fresh: bool) -> BuildResult:
    started = time.perf_counter()
    options = options or BuildOptions()
    outdir = Path(outdir)
    languages = list(languages or project.languages)
    for lang in languages:
        if lang not in project.languages:
            raise BuildError(f"language {lang!r} is not one of the project's: {', '.join(project.languages)}")
    try:
        builder_cls = builders.get(builder)
    except KeyError:
        raise BuildError(f"unknown builder {builder!r}; available: {', '.join(builders.available())}") from None
    except Exception as exc:  # an installed package's builder that does not import
        raise BuildError(f"builder {builder!r} could not be loaded: {type(exc).__name__}: {exc}") from exc
    if not builder_cls.per_language:
        languages = [project.config.source_language]
    check_outdir(outdir)  # OutputError (an OSError): the caller says "cannot write the outputs"
    result = BuildResult()
    instance = builder_cls(project, outdir, options)
    result.diagnostics.extend(_guarded(project, instance.prepare, list))
    if result.errors:
        return _done(result, started)
    cache = None if builder_cls.run_level else OutputCache(outdir, builder)

    todo: list[tuple[str, str]] = []
    for lang in languages:
        for doc in project.documents:
            kept = None if fresh or cache is None else cache.fresh(
                f"{lang}/{doc.id}", settings_key(builder, options, lang, doc.id))
            if kept is not None:
                result.skipped.extend(kept)
            else:
                todo.append((lang, doc.id))

    groups = _render_all(project, instance, todo, options, jobs)
    pending: list[tuple[str, str, Path, bytes]] = []
    for group in groups:
        result.diagnostics.extend(group.findings)
        if group.coverage is not None:
            result.coverage[(group.doc_id, group.lang)] = group.coverage
        pending.extend((group.doc_id, group.lang, path, data) for path, data in group.rendered.files)
    if builder_cls.run_level and not result.errors:
        documents = [DocumentRendering(g.document, g.rendered) for g in groups]
        finished = _guarded(project, lambda: instance.finish(documents), Rendered)
        result.diagnostics.extend(finished.findings)
        pending.extend(("*", "*", path, data) for path, data in finished.files)
    result.diagnostics = _once(result.diagnostics)
    if result.errors:
        return _done(result, started)  # nothing is written when anything failed

    write_all([(path, data) for _, _, path, data in pending], outdir)  # all or nothing; OSError as above
    if builder_cls.site_root and pending:
        prune(outdir / builder_cls.site_root, [path for _, _, path, _ in pending], outdir)
    for doc_id, lang, path, data in pending:
        result.outputs.append(path)
        if progress:
            progress(builder, lang, doc_id, path)
    if cache is not None:
        for group in groups:
            roots, files = dependencies(project, group.doc_id, group.lang)
            cache.record(f"{group.lang}/{group.doc_id}", settings_key(builder, options, group.lang, group.doc_id),
                         roots, files, [p for p, _ in group.rendered.files], as_read=project.as_read)
        cache.save()
    return _done(result, started)


def _done(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result


def _once(findings: list[Diagnostic]) -> list[Diagnostic]:
    """Each finding once, in the order first found (documents in several
    languages, or several documents, may find the same thing)."""
    return list(dict.fromkeys(findings))


def _guarded(project, call: Callable, empty: Callable):
    """``call()``; a theme that cannot give what the builder needs is a finding, not a traceback."""
    try:
        return call()
    except ThemeError as exc:
        found = theme_finding(project, exc)
    except Unrenderable as exc:  # a node type a builder has no rendering for: a bug, said where it stands
        found = Diagnostic(exc.node.source.file, exc.node.source.line, 1, "error", "unrenderable", str(exc),
                           "this is a bug in sopimus or in the builder: please report it")
    except (TypeError, ValueError, KeyError, AttributeError) as exc:  # a theme value of the wrong type or form
        found = theme_finding(project, ThemeError(
            f"theme {project.config.theme!r}: a value is not usable ({type(exc).__name__}: "
            f"{' '.join(str(exc).split())[:160]})"))
    return [found] if empty is list else Rendered(findings=[found])


def theme_finding(project, exc: ThemeError) -> Diagnostic:
    from .config import show_path
    where = exc.path or project.config.path
    return Diagnostic(show_path(where), exc.line if exc.path else 1, 1, "error", "theme", str(exc),
                      "see 'Themes' in the README: a theme is a folder with theme.yaml")


# --- rendering, serial or in worker processes ------------------------------------------

@dataclass
class _Group:
    """One document in one language: its rendering and every finding about it."""

    lang: str
    doc_id: str
    document: A.Document
    rendered: Rendered
    findings: list[Diagnostic] = field(default_factory=list)
    coverage: object | None = None


_WORKER_STATE: tuple | None = None


def _render_group(project, instance, lang: str, doc_id: str, options: BuildOptions) -> _Group:
    from .i18n import label_refusals
    from .i18n.content import locale_dir
    loc = project.localised(doc_id, lang, options.strict)
    with clock.stamped(lambda: clock.for_document(project.metadata[doc_id])[0]):
        rendered = _guarded(project, lambda: instance.render_document(loc.document), Rendered)
    return _Group(lang, doc_id, loc.document, rendered,
                  [*loc.diagnostics, *rendered.findings, *missing_labels(loc.document),
                   *label_refusals(lang, [locale_dir(project)])], loc.coverage)  # a label catalog not read


def missing_labels(doc: A.Document) -> list[Diagnostic]:
    """A word of the theme without a translation in the document's language, whichever builder printed it."""
    from .present import labels_for
    labels = labels_for(doc)
    where = str(labels.path or f"locales/{doc.language}/LC_MESSAGES/sopimus.po")
    return [Diagnostic(where, 1, 1, "warning", "label-missing",
                       f"no {doc.language!r} translation of the label {message!r}",
                       "run 'make catalogs' and translate it in the label catalog")
            for message in sorted(labels.missing)]


def _worker(task: tuple[str, str]) -> _Group:
    project, instance, options = _WORKER_STATE
    return _render_group(project, instance, task[0], task[1], options)


def _render_all(project, instance, todo: list[tuple[str, str]], options: BuildOptions, jobs: int) -> list[_Group]:
    import multiprocessing
    if jobs <= 1 or len(todo) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_render_group(project, instance, lang, doc_id, options) for lang, doc_id in todo]
    global _WORKER_STATE
    _WORKER_STATE = (project, instance, options)  # prepare() has loaded what the forked workers inherit
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(todo))) as pool:
            return pool.map(_worker, todo, chunksize=1)  # results in task order: output as serial
    finally:
        _WORKER_STATE = None
