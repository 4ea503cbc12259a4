"""Building small projects for tests from the quickstart template."""
from __future__ import annotations

from pathlib import Path

from sopimus.diagnostics import Diagnostic
from sopimus.quickstart import write_quickstart
from sopimus.reader import read

DOC = "virasto-tulossopimus"


def new_project(tmp_path: Path) -> Path:
    """A fresh copy of the quickstart; returns its content folder."""
    write_quickstart(tmp_path / "p")
    return tmp_path / "p" / "content"


def findings(content: Path) -> list[Diagnostic]:
    _, diags = read(content)
    return diags.sorted()


def codes(content: Path) -> set[str]:
    return {d.code for d in findings(content)}


def project_with_label(tmp_path: Path, msgid: str, builtin: str, own: str) -> tuple[Path, Path]:
    """A copy of the real content whose own Finnish label catalog translates ``msgid``
    as ``own`` instead of sopimus's ``builtin``: (project root, the catalog)."""
    import shutil
    from conftest import CONTENT
    from sopimus.resources import BUILTIN_LOCALES

    root = tmp_path / "project"
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(CONTENT.parent / "locales", root / "locales")
    text = (BUILTIN_LOCALES / "fi" / "LC_MESSAGES" / "sopimus.po").read_text("utf-8")
    entry = f'msgid "{msgid}"\nmsgstr "{builtin}"'
    assert entry in text
    catalog = root / "locales" / "fi" / "LC_MESSAGES" / "sopimus.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(text.replace(entry, f'msgid "{msgid}"\nmsgstr "{own}"'), "utf-8")
    return root, catalog
