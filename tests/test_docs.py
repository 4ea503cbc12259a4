"""The library's documentation cannot drift: the reference is regenerated and the guide's examples run."""
from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

import sopimus
from sopimus.quickstart import write_quickstart

REPO = Path(__file__).resolve().parents[1]


def test_api_reference_is_current() -> None:
    """docs/api.md equals a fresh rendering from the docstrings (run `make docs` after a change)."""
    from tools.make_api_docs import OUT, render
    assert OUT.read_text("utf-8") == render(), "docs/api.md is stale: run 'make docs'"


def test_every_public_name_is_in_the_reference() -> None:
    text = (REPO / "docs" / "api.md").read_text("utf-8")
    for name in sopimus.__all__:
        if name not in ("__version__", "ast", "builders"):
            assert f"### `sopimus.{name}`" in text, name
    for cls in sopimus.ast.NODE_CLASSES.values():
        assert f"### `sopimus.ast.{cls.__name__}`" in text, cls


@pytest.mark.parametrize("page", ["library.md", "api.md"])
def test_the_examples_run(page: str, tmp_path: Path, monkeypatch) -> None:
    """Every ``>>>`` example, run in a folder where `sopimus new .` wrote an agreement."""
    write_quickstart(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = doctest.testfile(str(REPO / "docs" / page), module_relative=False, globs={"sopimus": sopimus},
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False,
                              report=True)
    assert result.attempted > 3 and result.failed == 0, f"{result.failed} example(s) in docs/{page} failed"
    assert os.getcwd() == str(tmp_path)
