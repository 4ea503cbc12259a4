"""Read a source folder into a :class:`Project`: one pass, every finding."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from .version import __version__
from . import ast as A
from .config import (PROJECT_FILE, DocumentMeta, ProjectConfig, confined_file, pick,
                     read_document_meta, read_project, show_path)
from .cachecheck import verified
from .diagnostics import Diagnostic, Diagnostics, SourceError
from .paths import inside
from .incremental import fingerprint, unchanged
from .localise import localise
from .project import Project
from .readmemo import ParseMemo
from .structure import check_structure
from .textfile import decode_source

CACHE_FORMAT = 2

def read(root: Path | str, cache_dir: Path | None = None, jobs: int = 1,
         memo: ParseMemo | None = None,
         meanwhile: Callable[[], None] | None = None) -> tuple[Project | None, Diagnostics]:
    """Read every source under ``root``; never raises for bad sources.

    With ``jobs > 1`` documents are parsed in parallel processes; the result
    is the same as a serial read, and ``meanwhile()`` is called in this process
    while the workers parse (a builder's :meth:`~sopimus.builders.base.Builder.preload`).
    With a ``memo`` (serial only), files read before with the same bytes are
    not parsed again.
    """
    root = Path(root)
    diags = Diagnostics()
    if not (root / PROJECT_FILE).is_file():
        diags.error("file-missing", show_path(root / PROJECT_FILE), 1,
                    f"no {PROJECT_FILE} in {show_path(root)!r}",
                    "run 'sopimus new DIR' to start a project, or name the source folder")
        return None, diags
    config = read_project(root, diags)
    if config is None:
        return None, diags
    metas: dict[str, DocumentMeta] = {}
    for doc_id, line in config.documents:
        meta = read_document_meta(config, doc_id, line, diags)
        if meta is None:
            # Still check the document's text, so that one run reports every finding.
            for path in sorted((config.root / doc_id).glob("*.rst")):
                if not confined_file(path, config.root / doc_id, show_path(path), diags):
                    continue
                _read_rst(config.root, config.root / doc_id, path, diags, None, memo)
            continue
        metas[doc_id] = meta
    documents: list[A.Document] = []
    deps: dict[str, list[Path]] = {}
    from .outcomes import outcome_files, read_report_settings
    report_settings = read_report_settings(config, diags)
    outcomes = {}
    as_read: dict[str, list | None] = {}
    read_docs = _read_documents(config, list(metas.values()), report_settings, cache_dir, jobs, memo, meanwhile)
    for meta, (doc, doc_deps, found, prints, doc_outcomes) in zip(metas.values(), read_docs):
        diags.extend(found)
        as_read.update(prints)
        documents.append(doc)
        outcomes[meta.id] = doc_outcomes
        deps[meta.id] = [*doc_deps, *outcome_files(meta.folder)]
    project = Project(config, documents, metas, diags.sorted(), deps, outcomes=outcomes, localiser=localise,
                      as_read=as_read)
    return project, diags


_READ_STATE: tuple | None = None


def _read_one(index: int):
    from .outcomes import read_outcomes
    config, metas, report_settings, cache_dir, memo = _READ_STATE
    found = Diagnostics()
    doc, doc_deps, prints = _read_document(config, metas[index], found, cache_dir, memo)
    # its outcome files too: checking their reasons goes through docutils, in parallel here
    doc_outcomes = read_outcomes(config, metas[index].folder, doc, report_settings, found)
    return doc, doc_deps, found.items, prints, doc_outcomes


def _read_documents(config: ProjectConfig, metas: list[DocumentMeta], report_settings, cache_dir: Path | None,
                    jobs: int, memo: ParseMemo | None = None, meanwhile: Callable[[], None] | None = None):
    """(document, dependencies, findings, fingerprints as read, outcomes) per document, in order."""
    global _READ_STATE
    _READ_STATE = (config, metas, report_settings, cache_dir, memo)
    try:
        import multiprocessing
        if jobs <= 1 or memo is not None or len(metas) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [_read_one(i) for i in range(len(metas))]
        from .rst import convert, parse  # noqa: F401  (docutils: imported once, inherited by the workers)
        with multiprocessing.get_context("fork").Pool(min(jobs, len(metas))) as pool:
            pending = pool.map_async(_read_one, range(len(metas)), chunksize=1)
            if meanwhile is not None:   # the workers were forked when the pool started
                meanwhile()
            return pending.get()
    finally:
        _READ_STATE = None


def load(path: Path | str = "content", cache_dir: Path | None = None) -> Project:
    """Load the project at ``path``; raise :class:`SourceError` if it has errors."""
    project, diags = read(path, cache_dir)
    if project is None or diags.errors:
        raise SourceError(diags.sorted())
    return project


# --- one document -------------------------------------------------------------

def _read_document(config: ProjectConfig, meta: DocumentMeta, diags: Diagnostics,
                   cache_dir: Path | None, memo: ParseMemo | None = None) -> tuple[A.Document, list[Path], dict]:
    """The document, the files it was read from, and their fingerprints as read.

    The fingerprints are those of the bytes the document was made from, so a
    source saved again while a build runs leaves the build's outputs stale.
    """
    files = [meta.folder / name for name, _ in meta.sources]
    # Taken before reading: a source saved again while it is read no longer matches next time.
    before = fingerprint([config.path, meta.path, *files])
    cached = _cache_get(cache_dir, meta.id, config)
    if cached is not None:
        doc, found, dep_files, prints = cached
        diags.extend(found)
        return doc, dep_files, prints
    local = Diagnostics()
    body: list[A.Node] = []
    includes: list[Path] = []
    for (name, line), path in zip(meta.sources, files):
        shown = show_path(path)
        if not confined_file(path, meta.folder, shown, local, show_path(meta.path), line):
            continue
        if not path.is_file():
            local.error("file-missing", show_path(meta.path), line, f"source {name!r} not found",
                        f"create {shown} or remove it from 'sources'")
            continue
        blocks, inc = _read_rst(config.root, meta.folder, path, local,
                                meta.period.years if meta.period.start else None, memo)
        body.extend(blocks)
        includes.extend(inc)
    lang = config.source_language
    doc = A.Document(
        id=meta.id, language=lang, doc_type=meta.doc_type, title=pick(meta.title, lang) or meta.id,
        subtitle=pick(meta.subtitle, lang), organisation=pick(config.organisation.name, lang) or "",
        period=meta.period, binding_year=meta.binding_year, register_number=meta.register_number,
        status=meta.status, signing=meta.signing, date=meta.date, place=pick(meta.place, lang),
        parties=[A.Party(p.id, p.kind, pick(p.name, lang) or "", p.abbreviation,
                         source=A.Source(_rel(config, meta.path), p.line)) for p in meta.parties],
        signatories=[A.Signatory(s.party, pick(s.role, lang) or "", s.name,
                                 source=A.Source(_rel(config, meta.path), s.line)) for s in meta.signatories],
        version=meta.version,
        history=[A.HistoryEntry(h.date, h.version, h.register_number, pick(h.agreed, lang) or "",
                                source=A.Source(_rel(config, meta.path), h.line)) for h in meta.history],
        body=body, source=A.Source(_rel(config, meta.path), 1))
    check_structure(doc, meta, config, local)
    diags.extend(local)
    dep_files = [config.path, meta.path, *files, *includes]
    prints = {**before, **fingerprint(includes)}
    _cache_put(cache_dir, meta.id, prints, doc, local.items, dep_files)
    return doc, dep_files, prints


def _rel(config: ProjectConfig, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_rst(root: Path, folder: Path, path: Path, diags: Diagnostics, years: range | None,
              memo: ParseMemo | None = None) -> tuple[list[A.Node], list[Path]]:
    """One source of the document in ``folder`` (includes stay inside that folder)."""
    shown = show_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error("file-unreadable", shown, 1, f"cannot read file: {exc.strerror}")
        return [], []
    if memo is None:
        return _parse_rst(root, folder, path, data, diags, years)
    hit = memo.get(path, years, data)
    if hit is not None:
        blocks, includes, found = hit
        diags.extend(found)
        return blocks, includes
    local = Diagnostics()
    blocks, includes = _parse_rst(root, folder, path, data, local, years)
    memo.put(path, years, data, blocks, includes, local.items)
    diags.extend(local)
    return blocks, includes


def _parse_rst(root: Path, folder: Path, path: Path, data: bytes, diags: Diagnostics,
               years: range | None) -> tuple[list[A.Node], list[Path]]:
    from .rst.convert import Converter, report_messages
    from .rst.parse import parse_rst
    from .rst.policy import source_policy

    shown = show_path(path)
    text = decode_source(data, shown, diags)
    if text is None:
        return [], []
    try:
        parsed = parse_rst(text, str(path), source_policy(str(folder)))
        report_messages(parsed.messages, shown, diags)
        rel = path.relative_to(root).as_posix()
        blocks = Converter(rel, shown, diags, years).blocks(parsed.document.children, {})
    except RecursionError:
        diags.error("nesting", shown, 1, "the text is nested too deeply to read")
        return [], []
    except Exception as exc:  # a bug in sopimus or docutils must not become a drafter's traceback
        diags.error("internal", shown, 1, f"sopimus could not read this file ({type(exc).__name__}: {exc})",
                    "this is a bug in sopimus: please report it with the file")
        return [], []
    return blocks, [Path(p) for p in parsed.includes]


# --- read cache ------------------------------------------------------------------
# One entry per document in OUTDIR/.cache/read/<id>.json: the finished document,
# its findings, and the fingerprints (sopimus.incremental, as for outputs) of every
# file it was read from. Stat first, hash only on a change; any doubt means: read again.

def _cache_get(cache_dir: Path | None, doc_id: str, config: ProjectConfig):
    if cache_dir is None:
        return None
    try:
        entry = json.loads((cache_dir / f"{doc_id}.json").read_text("utf-8"))
        if entry["format"] != CACHE_FORMAT or entry["version"] != __version__ or not unchanged(entry["deps"]):
            return None
        doc = A.from_dict(entry["document"])
        files = [Path(p) for p in entry["files"]]
        # The cache is not trusted: an edited entry must not reach an output or a file name.
        if not isinstance(doc, A.Document) or not verified(doc, doc_id, config) or not all(
                inside(p, config.root) for p in [*files, *map(Path, entry["deps"])]):
            return None
        found = [Diagnostic(**d) for d in entry["diagnostics"]]
        return doc, found, files, entry["deps"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # a missing, stale or corrupt entry means: read again


def _cache_put(cache_dir: Path | None, doc_id: str, deps: dict, doc: A.Document,
               found: list[Diagnostic], files: list[Path]) -> None:
    if cache_dir is None:
        return
    from .fsutil import atomic_write
    entry = {"format": CACHE_FORMAT, "version": __version__, "deps": deps, "files": [str(p) for p in files],
             "document": A.to_dict(doc), "diagnostics": [d.__dict__ for d in found]}
    try:
        atomic_write(cache_dir / f"{doc_id}.json", json.dumps(entry, ensure_ascii=False).encode("utf-8"),
                     outdir=cache_dir.parent.parent)  # OUTDIR/.cache/read: never through a symlink out
    except OSError:
        pass  # a cache that cannot be written only costs time
