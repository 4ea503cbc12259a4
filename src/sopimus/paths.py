"""Paths read and written, confined to their roots after resolving symlinks.

Every file sopimus reads (sources, document folders, document.yaml, outcome
files, catalogs, a theme's files) and every file it writes (under OUTDIR)
must lie inside its allowed root once ``..`` and symlinks are resolved: a
symlink in a source tree must not publish a file of the build machine, and
a symlinked ``build/json`` must not send outputs elsewhere.
"""
from __future__ import annotations

import os
from pathlib import Path


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path`` lies in ``root`` (or is it), both resolved."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, base]) == base
    except ValueError:  # different drives
        return False


def inside_folder(path: Path | str, folder: Path | str) -> bool:
    """Whether ``path`` lies in ``folder`` and ``folder`` in the folder it is in, all resolved.

    For a folder found by its name beside the sources (the project's
    ``locales/``): the folder itself, any folder between it and ``path`` and
    ``path`` must not be links out of the project."""
    return inside(path, folder) and inside(folder, Path(folder).parent)


def confined(path: Path, root: Path) -> Path | None:
    """``path`` resolved, or None when it leaves ``root``."""
    return Path(os.path.realpath(path)) if inside(path, root) else None


def is_name(text: str) -> bool:
    """A single plain path component: no separator, no '..', no control characters."""
    return (bool(text) and text not in (".", "..") and "/" not in text and "\\" not in text
            and not any(ord(c) < 32 or ord(c) == 127 for c in text))
