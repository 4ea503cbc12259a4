"""The state of a live preview: the project as last read, and its renderings.

Everything stays in memory between saves: the parsed files (a
:class:`~sopimus.readmemo.ParseMemo`), the catalogs, the theme, and every
page or file rendered so far. A change re-reads the project — docutils parses
only the files whose bytes changed — and drops the renderings of the
documents the changed files belong to; the others are served as they were.

A read or a rendering with errors replaces nothing: the last good rendering
of each address is kept, to be shown under the list of findings.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import builders
from ..builders.base import BuildOptions, Rendered
from ..config import show_path
from ..diagnostics import Diagnostic
from ..readmemo import ParseMemo
from ..reader import read

# The builders a preview offers: the page to read, and the files to open on request.
PAGE_BUILDER = "html"
FILE_BUILDERS = ("pdf", "docx")


@dataclass
class Rendering:
    """One builder's output for one document and language (or the site's shared files)."""

    files: dict[str, bytes]  # address (``html/fi/<id>.html``) -> bytes
    findings: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.findings)


@dataclass(frozen=True)
class Lookup:
    """What the server answers for one address."""

    data: bytes | None  # the current rendering, None when there are errors
    previous: bytes | None  # the last good rendering of the address, if any
    findings: list[Diagnostic]
    doc_id: str | None  # the document the address belongs to


def render(project, builder: str, doc_id: str | None, lang: str | None, instance) -> Rendering:
    """``instance``'s files for ``doc_id`` in ``lang`` (``doc_id`` None: the run's shared files),
    in memory, with the same findings a build reports. Addresses are the paths a build
    would write under its output folder."""
    from ..i18n import project_locales
    from ..i18n.content import locale_dir
    from ..pipeline import _guarded, _render_group

    try:
        with project_locales(locale_dir(project)):  # as in a build: the project's label catalogs win
            if doc_id is None:
                finished = _guarded(project, lambda: instance.finish([]), Rendered)
                files, findings = finished.files, finished.findings
            else:
                group = _render_group(project, instance, lang, doc_id, BuildOptions())
                files, findings = group.rendered.files, group.findings
    except Exception as exc:  # noqa: BLE001 - a bug in one builder must not stop the preview
        files, findings = [], [_internal(project, builder, exc)]
    return Rendering({Path(path).as_posix(): data for path, data in files}, list(findings))


def _internal(project, builder: str, exc: Exception) -> Diagnostic:
    return Diagnostic(show_path(project.config.path), 1, 1, "error", "internal",
                      f"the {builder} builder failed ({type(exc).__name__}: {exc})",
                      "this is a bug in sopimus: please report it with the sources")


class Session:
    """The project under ``root``, read again on every change, and what it renders to."""

    def __init__(self, root: Path, languages: list[str] | None = None):
        self.root = Path(root)
        self.requested = list(languages or [])
        self.memo = ParseMemo()
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.boot = f"{time.time_ns():x}"
        self.serial = 0
        self.project = None
        self.findings: list[Diagnostic] = []
        self.last_affected: set[str] | None = None
        self.last_seconds = 0.0
        self._renderings: dict[tuple[str, str | None, str | None], Rendering] = {}
        self._instances: dict[str, object] = {}
        self._good: dict[str, bytes] = {}
        self.refresh()

    # --- state ----------------------------------------------------------------------

    @property
    def generation(self) -> str:
        """Changes on every refresh; open pages compare it with their own."""
        return f"{self.boot}-{self.serial}"

    @property
    def ok(self) -> bool:
        return self.project is not None and not any(d.is_error for d in self.findings)

    @property
    def languages(self) -> list[str]:
        if self.project is None:
            return self.requested
        return [lang for lang in self.project.languages if not self.requested or lang in self.requested]

    def watched(self) -> list[Path]:
        """What to watch: the sources, their catalogs and themes, and sopimus's own."""
        from ..resources import BUILTIN_LOCALES, search_path

        root = self.root.resolve()
        return [root, root.parent / "locales", *search_path(root), BUILTIN_LOCALES]

    # --- reading --------------------------------------------------------------------------

    def refresh(self, changed: set[Path] | None = None) -> None:
        """Read the project again after ``changed`` (None: everything).

        Renderings of the documents ``changed`` belongs to are dropped; they are
        made again when asked for (an open page asks at once when told to reload).
        """
        started = time.perf_counter()
        _forget_cached(changed)
        project, diags = read(self.root, None, 1, self.memo)
        self.memo.forget_missing()
        with self.lock:
            was_ok = self.ok
            old = self.project
            self.project = project if project is not None else old  # keep the addresses known
            self.findings = diags.sorted()
            affected = None if changed is None or old is None or was_ok != self.ok \
                else _affected(changed, old, project)
            self._drop(affected)
            self._instances.clear()  # builders hold the project they were made for
            self.last_affected = affected
            self.serial += 1
            self.last_seconds = time.perf_counter() - started
            self.changed.notify_all()

    def _drop(self, affected: set[str] | None) -> None:
        for key in list(self._renderings):
            if affected is None or key[1] is None or key[1] in affected:
                del self._renderings[key]

    # --- rendering --------------------------------------------------------------------------

    def _instance(self, builder: str):
        """The builder, made and prepared once per read of the project: (builder, its findings)."""
        if builder not in self._instances:
            from ..pipeline import _guarded
            try:
                instance = builders.get(builder)(self.project, Path(), BuildOptions())
                prepared = list(_guarded(self.project, instance.prepare, list))
            except Exception as exc:  # noqa: BLE001 - reported on the page, the preview goes on
                instance, prepared = None, [_internal(self.project, builder, exc)]
            self._instances[builder] = (instance, prepared)
        return self._instances[builder]

    def _rendering(self, builder: str, doc_id: str | None, lang: str | None) -> Rendering:
        key = (builder, doc_id, lang)
        done = self._renderings.get(key)
        if done is None:
            instance, prepared = self._instance(builder)
            if any(d.is_error for d in prepared):
                done = Rendering({}, prepared)
            else:
                done = render(self.project, builder, doc_id, lang, instance)
                done.findings[:0] = prepared
            self._renderings[key] = done
            if done.ok:
                self._good.update(done.files)
        return done

    def routes(self) -> dict[str, tuple[str, str | None, str | None]]:
        """Every address the preview serves -> (builder, document, language)."""
        out: dict[str, tuple[str, str | None, str | None]] = {}
        if self.project is None:
            return out
        from ..htmlkit.site import ASSETS_DIR
        for builder in (PAGE_BUILDER, *FILE_BUILDERS):
            cls = builders.get(builder)
            for lang in self.languages:
                for doc in self.project.documents:
                    out[f"{builder}/{lang}/{doc.id}.{cls.ext}"] = (builder, doc.id, lang)
        out[f"{PAGE_BUILDER}/{ASSETS_DIR}/"] = (PAGE_BUILDER, None, None)  # a prefix: the shared files
        return out

    def lookup(self, address: str) -> Lookup | None:
        """The answer for ``address`` (``html/fi/<id>.html``), or None if the preview has no such thing."""
        with self.lock:
            routes = self.routes()
            target = routes.get(address)
            if target is None and address.startswith(f"{PAGE_BUILDER}/assets/"):
                target = routes.get(f"{PAGE_BUILDER}/assets/")
            if target is None:
                if address in self._good:  # e.g. a document whose metadata is broken just now
                    return Lookup(None, self._good[address], self.findings, None)
                return None
            builder, doc_id, lang = target
            if not self.ok:
                return Lookup(None, self._good.get(address), self.findings, doc_id)
            done = self._rendering(builder, doc_id, lang)
            if address not in done.files and done.ok:
                return None
            if not done.ok:
                return Lookup(None, self._good.get(address), self.findings + done.findings, doc_id)
            return Lookup(done.files[address], None, self.findings + done.findings, doc_id)

    def documents(self) -> list[tuple[str, str, str]]:
        """(document id, language, title) of every served page, for the index."""
        with self.lock:
            if self.project is None:
                return []
            out = []
            for doc in self.project.documents:
                for lang in self.languages:
                    title = doc.title
                    if self.ok:
                        title = self.project.document(doc.id, lang).title
                    out.append((doc.id, lang, title))
            return out


def _affected(changed: set[Path], old, new) -> set[str] | None:
    """The documents whose output ``changed`` can change; None: every document."""
    if new is None:
        return None
    docs: set[str] = set()
    config = new.config.path.resolve()
    for path in (p.resolve() for p in changed):
        owner = None if path == config else _owner(path, new) or _owner(path, old) or _catalog_owner(path, new)
        if owner is None:
            return None  # sopimus.yaml, a theme, a label catalog …: everything
        docs.add(owner)
    return docs


def _owner(path: Path, project) -> str | None:
    """The document whose folder holds ``path`` (its sources, includes and outcome files)."""
    for doc_id in project.dependencies:
        folder = (project.root / doc_id).resolve()
        if path == folder or folder in path.parents:
            return doc_id
    return None


def _catalog_owner(path: Path, project) -> str | None:
    """``locales/<lang>/LC_MESSAGES/<document-id>.po`` belongs to that document."""
    if path.suffix == ".po" and path.parent.name == "LC_MESSAGES" and path.stem in project.dependencies:
        return path.stem
    return None


def _forget_cached(changed: set[Path] | None) -> None:
    """Drop what sopimus keeps across reads for the kinds of file in ``changed``."""
    from .. import theme
    from ..i18n import _labels, _read_catalog
    from ..i18n.content import _read as _read_translations

    if changed is None or any(p.suffix == ".po" for p in changed):
        for cached in (_read_catalog, _labels, _read_translations):
            cached.cache_clear()  # keyed by mtime: they would only grow
    if changed is None or any(p.suffix not in (".rst", ".po") for p in changed):
        theme._load_cached.cache_clear()  # keyed by theme.yaml's mtime and size: it would only grow
