"""Themes: the look of every output, as data and templates under ``themes/<name>/``.

A project's own ``themes/`` (beside its source folder) wins over the themes
that ship with sopimus, so an agency can restyle without touching code.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .resources import BUILTIN_THEMES, find_theme, search_path
from .paths import confined, inside, is_name

THEME_FILE = "theme.yaml"


class ThemeError(Exception):
    """The theme cannot give what a builder needs; ``path`` is the file to fix, when known."""

    def __init__(self, message: str, path: Path | None = None, line: int = 1):
        super().__init__(message)
        self.path = path
        self.line = line


@dataclass(frozen=True)
class LoadedTheme:
    name: str
    path: Path
    data: dict[str, Any]

    def file(self, relative: str) -> Path:
        """A file of the theme, resolved inside its folder; ThemeError if it is missing or outside."""
        path = self._inside(relative)
        if not path.is_file():
            raise ThemeError(f"theme {self.name!r} has no {relative} ({path})", self.path / THEME_FILE)
        return path

    def folder(self, relative: str) -> Path:
        """A folder of the theme (its templates), resolved inside the theme's folder."""
        path = self._inside(relative)
        if not path.is_dir():
            raise ThemeError(f"theme {self.name!r} has no folder {relative} ({path})", self.path / THEME_FILE)
        return path

    def _inside(self, relative: object) -> Path:
        if not isinstance(relative, str) or not relative or "\0" in relative:
            raise ThemeError(f"theme {self.name!r}: a file name must be text, not {relative!r}", self.path / THEME_FILE)
        path = confined(self.path / relative, self.path)
        if path is None or Path(relative).is_absolute():
            raise ThemeError(f"theme {self.name!r}: {relative!r} is outside the theme's folder", self.path / THEME_FILE)
        return path

    def section(self, key: str) -> dict[str, Any]:
        """A section of theme.yaml (``pdf:``, ``colours:`` …); ThemeError when it is not a mapping."""
        value = self.data.get(key) or {}
        if not isinstance(value, dict):
            raise ThemeError(f"theme {self.name!r}: '{key}:' must be a mapping of settings, "
                             f"not {type(value).__name__}", self.path / THEME_FILE)
        return value


def builtin_theme(name: str = "default") -> LoadedTheme:
    """A theme that ships with sopimus (the fallback for settings a project's theme leaves out)."""
    return _load(BUILTIN_THEMES / name, name)


def theme_dirs(project) -> list[Path]:
    return search_path(project.root)


def load_theme(project) -> LoadedTheme:
    """The project's theme by name: its own ``themes/<name>/`` first, then sopimus's."""
    name = project.config.theme
    if not is_name(name):
        raise ThemeError(f"theme {name!r} is not a name (a theme is a folder name, not a path)")
    path = find_theme(project.root, name)
    if path is None:  # `sopimus check` reports this while reading (theme-unknown)
        raise ThemeError(f"theme {name!r} not found in " + ", ".join(str(d) for d in theme_dirs(project)))
    if not inside(path, path.parent):
        raise ThemeError(f"theme {name!r} ({path}) is a link out of {path.parent}")
    return _load(path.resolve(), name)


def _load(path: Path, name: str) -> LoadedTheme:
    file = path / THEME_FILE
    try:
        stat = file.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    return _load_cached(path, name, key)


@functools.lru_cache(maxsize=None)
def _load_cached(path: Path, name: str, key) -> LoadedTheme:
    data: dict[str, Any] = {}
    file = path / THEME_FILE
    if key is not None:
        if not inside(file, path) or not file.is_file():
            raise ThemeError(f"theme {name!r}: {THEME_FILE} is not a file inside the theme's folder", path)
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError
        try:
            loaded = YAML(typ="safe", pure=False).load(file.read_bytes().decode("utf-8"))  # libyaml when installed
        except (YAMLError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ThemeError(f"{file}: not a usable theme: {' '.join(str(exc).split())[:200]}", file) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ThemeError(f"{file}: a theme is a mapping of sections (pdf:, docx:, html: …)", file)
        data = loaded or {}
    return LoadedTheme(name, path, data)
