"""sopimus: Finnish government performance agreements from sources to signature-ready documents.

The public API (see docs/library.md and docs/api.md)::

    import sopimus
    project = sopimus.load("content")           # raises sopimus.SourceError
    result = sopimus.build(project, "pdf")      # raises sopimus.BuildError

Everything public is listed in ``__all__``; the rest is private.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__  # written once, in version.py (pyproject reads it there)

__all__ = [
    "BuildError", "BuildResult", "Diagnostic", "Project", "SourceError",
    "ast", "build", "builders", "check", "diff", "diff_json", "load", "read", "__version__",
]

if TYPE_CHECKING:  # the names as type checkers see them; at run time imported on first use
    from . import ast, builders
    from .api import build, check, load, read
    from .diagnostics import BuildError, Diagnostic, SourceError
    from .pipeline import BuildResult
    from .project import Project
    from .versions import diff, diff_json

_WHERE = {
    "build": "api", "check": "api", "load": "api", "read": "api",
    "BuildError": "diagnostics", "Diagnostic": "diagnostics", "SourceError": "diagnostics",
    "BuildResult": "pipeline", "Project": "project",
    "diff": "versions", "diff_json": "versions",
}


def __getattr__(name: str) -> Any:
    # Import lazily so that `import sopimus` and a no-op build stay fast.
    import importlib
    if name in ("ast", "builders"):
        return importlib.import_module(f"{__name__}.{name}")
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
