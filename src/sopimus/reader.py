"""Read a source folder into a :class:`Project`: one pass, every finding."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from . import ast as A
from .config import (PROJECT_FILE, DocumentMeta, ProjectConfig, pick,
                     read_document_meta, read_project, show_path)
from .diagnostics import Diagnostic, Diagnostics, SourceError
from .ids import slugify
from .textfile import decode_source

_HEADING_NUMBER = re.compile(r"^\s*(\d+[.)]?(\.\d+)*\.?|[IVX]+\.)\s+\S")


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
    outcomes: dict = field(default_factory=dict)  # doc id -> outcomes.DocumentOutcomes (follow-up)
    _localised: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def languages(self) -> list[str]:
        return self.config.languages

    def get(self, doc_id: str) -> A.Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def document(self, doc_id: str, language: str | None = None) -> A.Document:
        """The document ``doc_id`` in ``language`` (metadata and text translated)."""
        return self.localised(doc_id, language or self.config.source_language).document

    def localised(self, doc_id: str, language: str, strict: bool = False):
        """The document in ``language`` with the translation's findings and coverage.

        Each language is localised once per load, however many builders run.
        """
        from .localise import localise
        key = (doc_id, language, strict)
        if key not in self._localised:
            self._localised[key] = localise(self, self.get(doc_id), language, strict)
        return self._localised[key]


def read(root: Path | str, cache_dir: Path | None = None, jobs: int = 1) -> tuple[Project | None, Diagnostics]:
    """Read every source under ``root``; never raises for bad sources.

    With ``jobs > 1`` documents are parsed in parallel processes; the result
    is the same as a serial read.
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
                _read_rst(config.root, path, diags, None)
            continue
        metas[doc_id] = meta
    documents: list[A.Document] = []
    deps: dict[str, list[Path]] = {}
    from .outcomes import outcome_files, read_outcomes, read_report_settings
    report_settings = read_report_settings(config, diags)
    outcomes = {}
    for meta, (doc, doc_deps, found) in zip(metas.values(), _read_documents(config, list(metas.values()),
                                                                           cache_dir, jobs)):
        diags.extend(found)
        documents.append(doc)
        outcomes[meta.id] = read_outcomes(config, meta.folder, doc, report_settings, diags)
        deps[meta.id] = [*doc_deps, *outcome_files(meta.folder)]
    project = Project(config, documents, metas, diags.sorted(), deps, outcomes=outcomes)
    return project, diags


_READ_STATE: tuple | None = None


def _read_one(index: int):
    config, metas, cache_dir = _READ_STATE
    found = Diagnostics()
    doc, doc_deps = _read_document(config, metas[index], found, cache_dir)
    return doc, doc_deps, found.items


def _read_documents(config: ProjectConfig, metas: list[DocumentMeta], cache_dir: Path | None, jobs: int):
    """(document, dependencies, findings) per document, in order."""
    global _READ_STATE
    _READ_STATE = (config, metas, cache_dir)
    try:
        import multiprocessing
        if jobs <= 1 or len(metas) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [_read_one(i) for i in range(len(metas))]
        from .rst import convert, parse  # noqa: F401  (docutils: imported once, inherited by the workers)
        with multiprocessing.get_context("fork").Pool(min(jobs, len(metas))) as pool:
            return pool.map(_read_one, range(len(metas)), chunksize=1)
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
                   cache_dir: Path | None) -> tuple[A.Document, list[Path]]:
    files = [meta.folder / name for name, _ in meta.sources]
    key = _cache_key(config, meta, files)
    cached = _cache_get(cache_dir, meta.id, key)
    if cached is not None:
        doc, found, dep_files = cached
        diags.extend(found)
        return doc, dep_files
    local = Diagnostics()
    body: list[A.Node] = []
    includes: list[Path] = []
    for (name, line), path in zip(meta.sources, files):
        shown = show_path(path)
        if not path.is_file():
            local.error("file-missing", show_path(meta.path), line, f"source {name!r} not found",
                        f"create {shown} or remove it from 'sources'")
            continue
        blocks, inc = _read_rst(config.root, path, local, meta.period.years if meta.period.start else None)
        body.extend(blocks)
        includes.extend(inc)
    lang = config.source_language
    doc = A.Document(
        id=meta.id, language=lang, doc_type=meta.doc_type, title=pick(meta.title, lang) or meta.id,
        subtitle=pick(meta.subtitle, lang), organisation=pick(config.organisation.name, lang) or "",
        period=meta.period, binding_year=meta.binding_year, register_number=meta.register_number,
        status=meta.status, date=meta.date, place=pick(meta.place, lang),
        parties=[A.Party(p.id, p.kind, pick(p.name, lang) or "", p.abbreviation,
                         source=A.Source(_rel(config, meta.path), p.line)) for p in meta.parties],
        signatories=[A.Signatory(s.party, pick(s.role, lang) or "", s.name,
                                 source=A.Source(_rel(config, meta.path), s.line)) for s in meta.signatories],
        body=body, source=A.Source(_rel(config, meta.path), 1))
    finish_document(doc, meta, config, local)
    diags.extend(local)
    dep_files = [config.path, meta.path, *files, *includes]
    _cache_put(cache_dir, meta.id, key, doc, local.items, dep_files, includes)
    return doc, dep_files


def _rel(config: ProjectConfig, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_rst(root: Path, path: Path, diags: Diagnostics,
              years: range | None) -> tuple[list[A.Node], list[Path]]:
    from .rst.convert import Converter, report_messages
    from .rst.parse import parse_rst

    shown = show_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error("file-unreadable", shown, 1, f"cannot read file: {exc.strerror}")
        return [], []
    text = decode_source(data, shown, diags)
    if text is None:
        return [], []
    try:
        parsed = parse_rst(text, str(path), str(root))
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


# --- structure: numbers, ids, references, checks ------------------------------------

def finish_document(doc: A.Document, meta: DocumentMeta, config: ProjectConfig,
                    diags: Diagnostics) -> None:
    """Number sections and annexes, settle ids, resolve references, check."""
    def shown(node: A.Node) -> str:
        return show_path(config.root / node.source.file)

    _number(doc.body, "", meta.annex_numbering_start)
    seen: dict[str, A.Node] = {}
    section_ids: set[str] = set()
    goals: dict[str, A.Goal] = {}
    signatures = 0
    for node in doc.walk():
        if isinstance(node, A.Section):
            node.id = _unique(slugify(node.title), section_ids)
            if _HEADING_NUMBER.match(node.title):
                diags.error("heading-number", shown(node), node.source.line,
                            f"heading {node.title!r} starts with a number",
                            "numbers come from the structure: write the heading without it")
        elif isinstance(node, (A.Theme, A.Goal, A.Indicator, A.Annex, A.ImpactGoal)):
            given = bool(node.id)
            if not node.id:
                node.id = slugify(node.name if isinstance(node, A.Indicator) else
                                  node.text if isinstance(node, A.ImpactGoal) else node.title)
            other = seen.get(node.id)
            if other is not None:
                diags.error("duplicate-id", shown(node), node.source.line,
                            f"id {node.id!r} is already used by the {other.TYPE.replace('_', ' ')} "
                            f"at {other.source.file}:{other.source.line}",
                            "give this one its own :id:" if given else
                            "the id was derived from the title: give one of them an explicit :id:")
            else:
                seen[node.id] = node
            if isinstance(node, A.Goal):
                goals.setdefault(node.id, node)
            if isinstance(node, A.Indicator) and node.targets and not node.unit:
                diags.error("unit-missing", shown(node), node.source.line,
                            f"indicator {node.id!r} has numeric targets but no unit",
                            "add ':unit:' (pv, kk, %, kpl, Asteikko 1–5 …)")
        elif isinstance(node, A.Signatures):
            signatures += 1
            if signatures > 1:
                diags.error("signatures-duplicate", shown(node), node.source.line,
                            "the signatures directive appears more than once")
    for node in doc.walk():
        if isinstance(node, A.GoalRef):
            goal = goals.get(node.target)
            if goal is None:
                diags.error("goal-ref", shown(node), node.source.line,
                            f"reference to goal {node.target!r}, which does not exist",
                            _close_match(node.target, goals))
            else:
                node.title = goal.title
    if signatures == 0 and doc.signatories:
        diags.warning("signatures-missing", show_path(meta.path), 1,
                      "the document has signatories but no '.. signatures::' in its text",
                      "the signature blocks are placed at the end; add '.. signatures::' to place them")
        doc.body.append(A.Signatures(source=A.Source(doc.source.file, 1)))


def _number(blocks: list[A.Node], prefix: str, annex_start: int) -> int:
    count = 0
    annex = annex_start
    for node in blocks:
        if isinstance(node, A.Section):
            count += 1
            node.number = f"{prefix}{count}"
            _number(node.body, node.number + ".", annex_start)
        elif isinstance(node, A.Annex):
            node.number = annex
            annex += 1
    return count


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def _close_match(name: str, known: dict) -> str | None:
    import difflib
    match = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {match[0]!r}?" if match else None


# --- read cache ------------------------------------------------------------------

def _hash_files(paths: list[Path]) -> str:
    h = hashlib.sha256(__version__.encode())
    for p in paths:
        h.update(str(p).encode() + b"\0")
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def _cache_key(config: ProjectConfig, meta: DocumentMeta, files: list[Path]) -> str:
    return _hash_files([config.path, meta.path, *files])


def _cache_get(cache_dir: Path | None, doc_id: str, key: str):
    if cache_dir is None:
        return None
    try:
        entry = json.loads((cache_dir / f"{doc_id}.json").read_text("utf-8"))
        if entry["key"] != key:
            return None
        includes = [Path(p) for p in entry["includes"]]
        if includes and _hash_files(includes) != entry["includes_key"]:
            return None
        doc = A.from_dict(entry["document"])
        found = [Diagnostic(**d) for d in entry["diagnostics"]]
        if not isinstance(doc, A.Document):
            return None
        return doc, found, [Path(p) for p in entry["deps"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing, stale or corrupt entry means: read again


def _cache_put(cache_dir: Path | None, doc_id: str, key: str, doc: A.Document,
               found: list[Diagnostic], deps: list[Path], includes: list[Path]) -> None:
    if cache_dir is None:
        return
    from .fsutil import atomic_write
    entry = {"key": key, "includes": [str(p) for p in includes], "includes_key": _hash_files(includes),
             "deps": [str(p) for p in deps], "document": A.to_dict(doc),
             "diagnostics": [d.__dict__ for d in found]}
    try:
        atomic_write(cache_dir / f"{doc_id}.json", json.dumps(entry, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs time
