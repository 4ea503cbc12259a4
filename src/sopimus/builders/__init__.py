"""Builders, found by name in a registry (no if-chains): each turns localised
documents into one kind of output."""
from __future__ import annotations

import importlib

# name -> "module:Class"; modules are imported only when their builder runs.
REGISTRY: dict[str, str] = {
    "json": "sopimus.builders.json:JSONBuilder",
    "docx": "sopimus.builders.docx:DocxBuilder",
    "gettext": "sopimus.builders.gettext:GettextBuilder",
    "html": "sopimus.builders.html:HTMLBuilder",
    "publish": "sopimus.builders.publish:PublishBuilder",
    "pdf": "sopimus.builders.pdf:PDFBuilder",
    "report": "sopimus.builders.report:ReportBuilder",
}


def available() -> list[str]:
    return sorted(REGISTRY)


def get(name: str):
    """The builder class registered as ``name``; KeyError if there is none."""
    module_name, _, class_name = REGISTRY[name].partition(":")
    return getattr(importlib.import_module(module_name), class_name)
