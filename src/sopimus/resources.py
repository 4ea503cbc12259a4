"""Where sopimus's own data lives: inside the package, found with importlib.resources.

The built-in themes (``sopimus/themes/<name>/``) and the label catalogs
(``sopimus/locales/<lang>/LC_MESSAGES/sopimus.po``) are package data, so an
installed wheel finds them wherever it is installed — not through the layout
of a source checkout. A project's own ``themes/`` and ``locales/`` beside its
source folder are looked up before these.

The no-op build path does not import this module (importlib.resources
costs it time); :data:`sopimus.incremental.PACKAGE` is the same folder.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_dir() -> Path:
    # Fonts, the ICC profile and templates are opened by path (reportlab,
    # pikepdf, jinja2), so the package must be installed as files: pip
    # always unpacks wheels; a zip import is not supported.
    root = Path(str(files("sopimus")))
    if not root.is_dir():
        raise RuntimeError(f"sopimus must be installed as files, not imported from an archive ({root})")
    return root.resolve()


PACKAGE = _package_dir()
BUILTIN_THEMES = PACKAGE / "themes"
BUILTIN_LOCALES = PACKAGE / "locales"


def search_path(source_root: Path) -> list[Path]:
    """Where themes are looked for: the project's own ``themes/`` beside the
    source folder first, then the built-in ones."""
    return [source_root.resolve().parent / "themes", BUILTIN_THEMES]


def find_theme(source_root: Path, name: str) -> Path | None:
    """The folder of theme ``name`` for the sources at ``source_root``, or None."""
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        return None  # a theme is a folder name, never a path
    for base in search_path(source_root):
        if (base / name).is_dir():
            return base / name
    return None
