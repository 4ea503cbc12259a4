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

THEME_FILE = "theme.yaml"


class ThemeError(Exception):
    """The theme cannot give what a builder needs; ``path`` is the file to fix, when known."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class LoadedTheme:
    name: str
    path: Path
    data: dict[str, Any]

    def file(self, relative: str) -> Path:
        """A file of the theme; ThemeError if it is missing."""
        path = self.path / relative
        if not path.is_file():
            raise ThemeError(f"theme {self.name!r} has no {relative} ({path})", self.path / THEME_FILE)
        return path

    def section(self, key: str) -> dict[str, Any]:
        return self.data.get(key) or {}


def builtin_theme(name: str = "default") -> LoadedTheme:
    """A theme that ships with sopimus (the fallback for settings a project's theme leaves out)."""
    return _load(BUILTIN_THEMES / name, name)


def theme_dirs(project) -> list[Path]:
    return search_path(project.root)


def load_theme(project) -> LoadedTheme:
    name = project.config.theme
    path = find_theme(project.root, name)
    if path is None:  # `sopimus check` reports this while reading (theme-unknown)
        raise ThemeError(f"theme {name!r} not found in " + ", ".join(str(d) for d in theme_dirs(project)))
    return _load(path, name)


@functools.lru_cache(maxsize=None)
def _load(path: Path, name: str) -> LoadedTheme:
    data: dict[str, Any] = {}
    file = path / THEME_FILE
    if file.is_file():
        from ruamel.yaml import YAML
        loaded = YAML(typ="safe", pure=False).load(file.read_text("utf-8"))  # libyaml when installed
        data = loaded or {}
    return LoadedTheme(name, path, data)
