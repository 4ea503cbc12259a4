"""Localisation: the theme's labels from gettext catalogs, and locale formats.

Labels are English msgids marked with ``_()`` in code and templates and
translated in ``src/sopimus/locales/<lang>/LC_MESSAGES/sopimus.po``, package
data (``make catalogs`` extracts them with babel).  A label without a translation is a finding, not
a silent English word in a Finnish document.
"""
from __future__ import annotations

import contextvars
import functools
import string
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..resources import BUILTIN_LOCALES

LABEL_DOMAIN = "sopimus"
# The locale folders of the project being built, searched before sopimus's own
# catalogs: a project's locales/<lang>/LC_MESSAGES/sopimus.po wins.
_PROJECT_LOCALES: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("project_locales", default=())


@contextmanager
def project_locales(*folders: Path) -> Iterator[None]:
    """Within the block, labels come from these folders first (the project's ``locales/``)."""
    token = _PROJECT_LOCALES.set(tuple(folders))
    try:
        yield
    finally:
        _PROJECT_LOCALES.reset(token)


def N_(message: str) -> str:
    """Mark a label for extraction where it is translated later."""
    return message


class Labels:
    """The theme's words in one language, from the catalog at ``path``.

    ``missing`` collects the words asked for that the catalog lacks, whichever
    builder asked: the pipeline reports them once.
    """

    def __init__(self, lang: str, catalog: dict[str, str], path: Path | None = None):
        self.lang = lang
        self.path = path
        self._catalog = catalog
        self.missing: set[str] = set()

    def gettext(self, message: str, **params) -> str:
        text = self._catalog.get(message)
        if not text:
            self.missing.add(message)
            text = message
        return text.format(**params) if params else text

    __call__ = gettext

    def line_of(self, message: str) -> int | None:
        """The line of ``message``'s translation in the catalog (for a finding), or None."""
        if self.path is None or message not in self._catalog:
            return None
        from ..diagnostics import Diagnostics
        from .pofile import read_catalog
        entries = read_catalog(self.path, str(self.path), Diagnostics()) or []
        return next((e.line for e in entries if e.msgid == message), None)



def _placeholders(text: str) -> list[str] | None:
    """The ``{name}`` placeholders of a label, or None when its braces do not parse."""
    try:
        return sorted(name or "" for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    except ValueError:
        return None


@functools.lru_cache(maxsize=None)
def _read_catalog(path: Path, mtime: int) -> tuple[dict[str, str], tuple]:
    """A label catalog's usable translations, and the findings about the rest.

    A translation whose ``{placeholders}`` differ from its English msgid
    (``{nummer}`` for ``{number}``) would fail when formatted: it is a
    finding and the English label stands.
    """
    from ..diagnostics import Diagnostics
    from .pofile import read_catalog
    found = Diagnostics()
    shown = str(path)
    out: dict[str, str] = {}
    for e in read_catalog(path, shown, found) or []:
        if not e.msgstr or e.fuzzy:
            continue
        if _placeholders(e.msgstr) != _placeholders(e.msgid):
            found.error("catalog-placeholder", shown, e.line,
                        f"the translation of {e.msgid!r} has the placeholders "
                        f"{_placeholders(e.msgstr) or 'none'}, not {_placeholders(e.msgid) or 'none'}",
                        "keep every {name} of the msgid as it is; translate the words around it")
            continue
        out[e.msgid] = e.msgstr
    return out, tuple(found.items)


def label_findings(lang: str, locale_dirs: list[Path] | None = None) -> list:
    """What is wrong with the label catalog of ``lang`` (for ``sopimus check``)."""
    path = label_catalog_path(lang, locale_dirs)
    found = label_refusals(lang, locale_dirs)
    return [*found, *_read_catalog(path, path.stat().st_mtime_ns)[1]] if path else found


def label_refusals(lang: str, locale_dirs: list[Path] | None = None) -> list:
    """A ``path-outside`` finding for each project label catalog of ``lang`` that is
    not read because it leads out of the project (for ``sopimus check`` and every build)."""
    from ..diagnostics import Diagnostic
    return [Diagnostic(str(path), 1, 1, "error", "path-outside",
                       "the label catalog is not a file inside the project's locales/ folder",
                       "a catalog and the folders on its way are not symlinks out of the project")
            for path in _label_catalogs(lang, locale_dirs)[1]]


def label_catalog_path(lang: str, locale_dirs: list[Path] | None = None) -> Path | None:
    """The label catalog of ``lang``: the project's own first (``locale_dirs``, or
    those of :func:`project_locales`), then sopimus's.  A catalog that leads
    out of its folder, or whose folder leads out of the project (a symbolic
    link), is not read (:func:`label_refusals`)."""
    return _label_catalogs(lang, locale_dirs)[0]


def _label_catalogs(lang: str, locale_dirs: list[Path] | None) -> tuple[Path | None, list[Path]]:
    """(the label catalog to read, the catalogs passed over because they lead out of the project)."""
    from ..paths import inside, inside_folder
    refused: list[Path] = []
    for base in locale_dirs or _PROJECT_LOCALES.get():
        path = base / lang / "LC_MESSAGES" / f"{LABEL_DOMAIN}.po"
        if not path.is_file():
            continue
        if inside_folder(path, base):  # nor is the project's locales/ itself a link out of the project
            return path, refused
        refused.append(path)
    path = BUILTIN_LOCALES / lang / "LC_MESSAGES" / f"{LABEL_DOMAIN}.po"
    return (path if path.is_file() and inside(path, BUILTIN_LOCALES) else None), refused


def labels(lang: str, locale_dirs: list[Path] | None = None) -> Labels:
    """The labels for ``lang`` (a project's own catalog first, then sopimus's).

    One :class:`Labels` per language and catalog version, so that every
    builder of a run shares its ``missing`` words."""
    path = label_catalog_path(lang, locale_dirs)
    return _labels(lang, path, path.stat().st_mtime_ns if path else 0)


@functools.lru_cache(maxsize=None)
def _labels(lang: str, path: Path | None, mtime: int) -> Labels:
    return Labels(lang, _read_catalog(path, mtime)[0] if path else {}, path)
