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
