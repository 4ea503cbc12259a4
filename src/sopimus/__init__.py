"""sopimus: Finnish government performance agreements from sources to signature-ready documents.

>>> import sopimus
>>> project = sopimus.load("content")
>>> [d.id for d in project.documents]
>>> sopimus.build(project, "json", ["fi"], "build")
"""
from __future__ import annotations

from .version import __version__
__all__ = ["load", "read", "build", "Project", "SourceError", "BuildError", "__version__"]


def __getattr__(name: str):
    # Import lazily so that `import sopimus` and a no-op build stay fast.
    if name in ("load", "read"):
        from . import reader
        return getattr(reader, name)
    if name == "Project":
        from .project import Project
        return Project
    if name in ("SourceError", "BuildError"):
        from . import diagnostics
        return getattr(diagnostics, name)
    if name == "build":
        from .pipeline import build
        return build
    raise AttributeError(name)
