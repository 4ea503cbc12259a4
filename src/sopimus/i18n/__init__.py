"""Localisation: the theme's labels from gettext catalogs, and locale formats.

Labels are English msgids marked with ``_()`` in code and templates and
translated in ``src/sopimus/locales/<lang>/LC_MESSAGES/sopimus.po``, package
data (``make catalogs`` extracts them with babel).  A label without a translation is a finding, not
a silent English word in a Finnish document.
"""
from __future__ import annotations

import functools
from pathlib import Path

from ..resources import BUILTIN_LOCALES

LABEL_DOMAIN = "sopimus"


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


@functools.lru_cache(maxsize=None)
def _read_catalog(path: Path, mtime: int) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def label_catalog_path(lang: str, locale_dirs: list[Path] | None = None) -> Path | None:
    for base in [*(locale_dirs or []), BUILTIN_LOCALES]:
        path = base / lang / "LC_MESSAGES" / f"{LABEL_DOMAIN}.po"
        if path.is_file():
            return path
    return None


def labels(lang: str, locale_dirs: list[Path] | None = None) -> Labels:
    """The labels for ``lang`` (a project's own catalog first, then sopimus's).

    One :class:`Labels` per language and catalog version, so that every
    builder of a run shares its ``missing`` words."""
    path = label_catalog_path(lang, locale_dirs)
    return _labels(lang, path, path.stat().st_mtime_ns if path else 0)


@functools.lru_cache(maxsize=None)
def _labels(lang: str, path: Path | None, mtime: int) -> Labels:
    return Labels(lang, _read_catalog(path, mtime) if path else {}, path)
