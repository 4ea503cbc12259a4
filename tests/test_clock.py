"""The date stamped into PDF and DOCX: SOURCE_DATE_EPOCH, else document.yaml date:, else the sources."""
from __future__ import annotations

import datetime as dt
import io
import os

import pikepdf
import pytest

import sopimus
from sopimus import clock

DOC = "keha-yleishallinto-2026-2029"


def pdf_date(content, monkeypatch, epoch: str | None = None) -> str:
    from sopimus import builders
    from sopimus.pipeline import _render_group
    from sopimus.builders.base import BuildOptions
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    project = sopimus.load(content)
    group = _render_group(project, builders.get("pdf")(project, content.parent / "build"), "fi", DOC, BuildOptions())
    (_path, data), = group.rendered.files
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return str(pdf.docinfo.CreationDate)


def set_date(content, value: str) -> None:
    path = content / DOC / "document.yaml"
    path.write_text(path.read_text("utf-8").replace("\ndate:\n", f"\ndate: {value}\n"), "utf-8")


def test_the_sources_date_an_undated_document_never_the_fixed_2000(content_copy, monkeypatch):
    newest = max(os.stat(p).st_mtime for p in (content_copy / DOC).glob("*") if p.suffix in (".rst", ".yaml"))
    expected = dt.datetime.fromtimestamp(int(newest), dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    assert pdf_date(content_copy, monkeypatch) == expected   # a copy outside git: modification times
    assert not expected.startswith("D:2000")


def test_document_date_then_source_date_epoch(content_copy, monkeypatch):
    set_date(content_copy, "2026-01-12")
    assert pdf_date(content_copy, monkeypatch) == "D:20260112120000Z"
    assert pdf_date(content_copy, monkeypatch, "1767225600") == "D:20260101000000Z"


def test_committed_sources_are_dated_by_their_commit(repo_root, project):
    meta = project.metadata[DOC]
    when, origin = clock.for_document(meta)
    assert origin in ("sources", "SOURCE_DATE_EPOCH", "date")
    if origin == "sources" and clock._git(repo_root, "rev-parse", "HEAD") is None:
        pytest.skip("not a git checkout")
    assert when.year >= 2025


def test_a_documents_date_is_worked_out_only_for_a_builder_that_stamps_one(tmp_path, monkeypatch):
    """HTML and JSON show no build date: rendering them runs no git (a live preview re-renders on every save)."""
    from sopimus import builders
    from sopimus.builders.base import BuildOptions
    from sopimus.pipeline import _render_group
    from helpers import new_project

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    asked: list[str] = []
    real = clock.for_document
    monkeypatch.setattr(clock, "for_document", lambda meta: (asked.append(meta.id), real(meta))[1])
    content = new_project(tmp_path)
    project = sopimus.load(content)
    doc_id = project.documents[0].id
    for name in ("html", "json"):
        _render_group(project, builders.get(name)(project, tmp_path / "b"), "fi", doc_id, BuildOptions())
    assert asked == []
    _render_group(project, builders.get("docx")(project, tmp_path / "b"), "fi", doc_id, BuildOptions())
    assert asked == [doc_id]   # once, though the DOCX asks for the date twice
