"""Builders, found by name in a registry (no if-chains): each turns localised
documents into one kind of output.

sopimus's own builders are listed in :data:`REGISTRY`. Another installed
package adds a builder through the entry point group ``sopimus.builders``
(as Sphinx and docutils let packages add writers)::

    # the other package's pyproject.toml
    [project.entry-points."sopimus.builders"]
    text = "sopimus_text:TextBuilder"

after which ``sopimus build -b text`` finds it. The class subclasses
:class:`sopimus.builders.base.Builder`; a built-in name cannot be replaced.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .base import Builder

ENTRY_POINT_GROUP = "sopimus.builders"

# name -> "module:Class"; modules are imported only when their builder runs.
REGISTRY: dict[str, str] = {
    "json": "sopimus.builders.json:JSONBuilder",
    "docx": "sopimus.builders.docx:DocxBuilder",
    "gettext": "sopimus.builders.gettext:GettextBuilder",
    "html": "sopimus.builders.html:HTMLBuilder",
    "publish": "sopimus.builders.publish:PublishBuilder",
    "pdf": "sopimus.builders.pdf:PDFBuilder",
    "redline": "sopimus.builders.redline:RedlineBuilder",
    "report": "sopimus.builders.report:ReportBuilder",
}


def _installed() -> dict[str, str]:
    """Builders other installed packages register: name -> "module:Class"."""
    from importlib.metadata import entry_points
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in REGISTRY}


def available() -> list[str]:
    """The names of every builder: sopimus's own and those of installed packages."""
    return sorted({**_installed(), **REGISTRY})


def get(name: str) -> type[Builder]:
    """The builder class registered as ``name``; KeyError if there is none."""
    target = REGISTRY.get(name) or _installed()[name]
    module_name, _, class_name = target.partition(":")
    obj: object = importlib.import_module(module_name)
    for part in class_name.split("."):
        obj = getattr(obj, part)
    return cast("type[Builder]", obj)
