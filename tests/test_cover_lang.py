"""Language of parts on the cover: where a Swedish output shows the Finnish
title, subtitle or a party's name (no ``sv:`` in document.yaml), that text
is marked Finnish, as in the body — read as the consumers read the outputs
(the PDF's structure tree with pikepdf, the DOCX's runs, an HTML parser)."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import docx
import pikepdf
import pytest

from sopimus.cli import main

from helpers import DOC, new_project
from readback import docx_runs_with_lang
from test_pdf_tagged import page_marks, structure

TITLE = "Esimerkkiministeriön ja Esimerkkiviraston tulossopimus 2026–2029"
SUBTITLE = "Ministeriön ja viraston välinen sopimus"
FINNISH_PARTY = "Esimerkkivirasto"          # no sv name: shown in Finnish
SWEDISH_PARTY = "Exempelministeriet"        # translated


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("cover-lang")
    content = new_project(tmp)
    meta = content / DOC / "document.yaml"
    text = meta.read_text("utf-8")
    edited = (text.replace("  sv: Resultatavtal mellan exempelministeriet och Exempelverket 2026–2029\n",
                           f"subtitle: {{fi: {SUBTITLE}}}\n")
                  .replace("name: {fi: Esimerkkivirasto, sv: Exempelverket}", "name: {fi: Esimerkkivirasto}"))
    assert edited.count("sv:") == text.count("sv:") - 2, "the quickstart's metadata changed"
    meta.write_text(edited, "utf-8")
    out = tmp / "out"
    for builder in ("pdf", "docx", "html"):
        assert main(["build", "-b", builder, "-l", "fi", "-l", "sv", "-q", str(content), str(out)]) == 0
    return out


def _path(out: Path, fmt: str, lang: str) -> Path:
    return out / fmt / lang / f"{DOC}.{fmt}"


# --- HTML ------------------------------------------------------------------------------------------

class _Langs(HTMLParser):
    """The language each text of the page is in (the nearest lang attribute), first occurrence."""

    VOID = ("br", "img", "meta", "link", "input", "hr")

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.found: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.found.setdefault(data.strip(), next((l for l in reversed(self.stack) if l), None))


def test_html_marks_the_finnish_title_subtitle_and_party(built):
    parser = _Langs()
    parser.feed(_path(built, "html", "sv").read_text("utf-8"))
    assert parser.found[TITLE] == "fi" and parser.found[SUBTITLE] == "fi"
    assert parser.found[FINNISH_PARTY] == "fi"      # on the cover (its first occurrence)
    assert parser.found[SWEDISH_PARTY] == "sv"
    finnish = _path(built, "html", "fi").read_text("utf-8")
    assert finnish.count(' lang="fi"') == 1   # <html lang="fi">: nothing else to mark there


# --- DOCX ------------------------------------------------------------------------------------------

def _docx_runs(path: Path) -> list[tuple[str, str | None]]:
    """(text, w:lang) of every run of the body, in order."""
    return docx_runs_with_lang(docx.Document(path).element.body)


def test_docx_marks_the_finnish_title_subtitle_and_party(built):
    runs = _docx_runs(_path(built, "docx", "sv"))
    first = {}
    for text, lang in runs:
        first.setdefault(text, lang)
    assert first[TITLE] == "fi-FI" and first[SUBTITLE] == "fi-FI"
    assert first[FINNISH_PARTY] == "fi-FI"          # on the cover (its first occurrence)
    assert first[SWEDISH_PARTY] == "sv-FI"
    assert {lang for _, lang in _docx_runs(_path(built, "docx", "fi"))} == {"fi-FI"}


# --- PDF -------------------------------------------------------------------------------------------

def _pdf_elements(path: Path) -> list[tuple[str, str | None, str]]:
    """(role, /Lang, text) of every structure element that holds text, in reading order."""
    with pikepdf.open(path) as pdf:
        texts = {}
        for index, page in enumerate(pdf.pages):
            _shows, marks = page_marks(page)
            for mcid, pieces in marks.items():
                texts[(index, mcid)] = "".join(pieces).strip()
        out = []
        for elem, marks in structure(pdf):
            text = " ".join(texts[m] for m in marks if texts.get(m))
            if text:
                out.append((str(elem.S), str(elem.Lang) if "/Lang" in elem else None, text))
        return out


def test_pdf_marks_the_finnish_title_subtitle_and_party(built):
    elements = _pdf_elements(_path(built, "pdf", "sv"))
    first = {}
    for role, lang, text in elements:
        first.setdefault(text, (role, lang))
    assert first[TITLE] == ("/Title", "fi-FI")
    assert first[SUBTITLE] == ("/P", "fi-FI")
    assert first[FINNISH_PARTY] == ("/P", "fi-FI")   # the cover's party list: one P per party
    assert first[SWEDISH_PARTY] == ("/P", None)      # in the document's language (sv-FI)
    assert all(lang is None for _, lang, _ in _pdf_elements(_path(built, "pdf", "fi")))
