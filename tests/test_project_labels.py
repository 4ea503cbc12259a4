"""A project's own label catalog (locales/<lang>/LC_MESSAGES/sopimus.po beside
its content) wins over sopimus's built-in words, in every builder, in check
and in a forked parallel build; one that leads out of the tree is not read, and is an error."""
from __future__ import annotations

import io

import docx
import pytest
from conftest import CONTENT
from helpers import project_with_label

import sopimus
from sopimus.i18n import labels
from sopimus.pipeline import build

OWN = "Sisällysluettelo (virasto)"


@pytest.fixture
def own_labels(tmp_path):
    """A copy of the content with a project label catalog translating 'Contents' its own way."""
    root, _catalog = project_with_label(tmp_path, "Contents", "Sisällys", OWN)
    return root


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_projects_own_label_wins_in_html_and_docx(own_labels, tmp_path, jobs):
    project = sopimus.load(own_labels / "content")
    doc_id = project.documents[0].id
    assert not build(project, "html", ["fi"], tmp_path / "out", jobs=jobs).errors
    assert OWN in (tmp_path / "out" / "html" / "fi" / f"{doc_id}.html").read_text("utf-8")
    assert not build(project, "docx", ["fi"], tmp_path / "out", jobs=jobs).errors
    d = docx.Document(io.BytesIO((tmp_path / "out" / "docx" / "fi" / f"{doc_id}.docx").read_bytes()))
    assert any(p.text == OWN for p in d.paragraphs)


def test_without_a_project_catalog_the_built_in_words_stand(tmp_path):
    project = sopimus.load(CONTENT)
    assert not build(project, "html", ["fi"], tmp_path).errors
    page = (tmp_path / "html" / "fi" / f"{project.documents[0].id}.html").read_text("utf-8")
    assert "Sisällys" in page and OWN not in page


def test_check_reads_the_projects_label_catalog(own_labels):
    catalog = own_labels / "locales" / "fi" / "LC_MESSAGES" / "sopimus.po"
    text = catalog.read_text("utf-8")
    broken = text.replace('msgstr "Tavoite {year}"', 'msgstr "Tavoite {vuosi}"')
    assert broken != text
    catalog.write_text(broken, "utf-8")
    found = sopimus.check(own_labels / "content")
    assert any(d.code == "catalog-placeholder" and d.file.endswith("locales/fi/LC_MESSAGES/sopimus.po")
               for d in found), [d.format() for d in found]


def test_a_label_catalog_that_leads_out_of_the_tree_is_not_read(own_labels, tmp_path):
    outside = tmp_path / "outside.po"
    catalog = own_labels / "locales" / "fi" / "LC_MESSAGES" / "sopimus.po"
    outside.write_text(catalog.read_text("utf-8"), "utf-8")
    catalog.unlink()
    catalog.symlink_to(outside)
    assert labels("fi", [own_labels / "locales"])("Contents") == "Sisällys"  # sopimus's own word
    project = sopimus.load(own_labels / "content")
    result = build(project, "html", ["fi"], tmp_path / "out")
    # as a content catalog that is a symlink out (tests/test_hostile_inputs.py): an error, nothing written
    assert [(d.code, d.file, d.line) for d in result.errors] == [("path-outside", str(catalog), 1)]
    assert not (tmp_path / "out" / "html").exists()
    assert any(d.code == "path-outside" and d.file == str(catalog) for d in sopimus.check(own_labels / "content"))
