"""Outputs read back as their consumers read them: pdftotext for the PDF,
python-docx for the DOCX, an HTML parser for the HTML, json for the JSON.
Each gives the document's text as one whitespace-normalised string, in
reading order, so tests can ask whether a text appears, where and how often."""
from __future__ import annotations

import io
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from conftest import require_tool


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def pdf_text(data: bytes | Path) -> str:
    """pdftotext's reading of the PDF (raw order: the order of the content streams)."""
    require_tool("pdftotext")
    raw = data.read_bytes() if isinstance(data, Path) else data
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=raw, check=True, capture_output=True).stdout
    # a word hyphenated at a line end is not a change of the text: pdftotext shows the break
    return squash(out.decode("utf-8"))


def docx_text(data: bytes | Path) -> str:
    """python-docx's reading: body paragraphs and table cells in document order."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data.read_bytes() if isinstance(data, Path) else data))
    parts: list[str] = []

    def block(element, parent) -> None:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(element, parent).text)
        elif tag == "tbl":   # cells as the XML has them: a merged cell once
            for row in element.iterchildren(qn("w:tr")):
                for cell in row.iterchildren(qn("w:tc")):
                    for child in cell.iterchildren():
                        block(child, parent)
        elif tag == "sdt":
            for child in element.iter():
                if child.tag.rsplit("}", 1)[-1] == "p":
                    parts.append(Paragraph(child, parent).text)

    for element in document.element.body.iterchildren():
        block(element, document)
    return squash(" ".join(parts))


class _Text(HTMLParser):
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.langs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.SKIP:
            self.skipping += 1
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping -= 1
        if tag in ("p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_parse(data: bytes | Path) -> _Text:
    parser = _Text()
    parser.feed((data.read_bytes() if isinstance(data, Path) else data).decode("utf-8"))
    parser.close()
    return parser


def html_text(data: bytes | Path) -> str:
    """The visible text of the page, as a parser sees it."""
    return squash("".join(html_parse(data).parts))


def json_doc(data: bytes | Path) -> dict:
    return json.loads(data.read_bytes() if isinstance(data, Path) else data)


def json_text(data: bytes | Path) -> str:
    """Every string of the JSON document (titles, texts, names), in document order."""
    parts: list[str] = []

    def visit(value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("type", "source", "id", "schema", "language", "kind", "op", "target", "url"):
                    visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, str):
            parts.append(value)

    visit(json_doc(data))
    return squash(" ".join(parts))


def in_order(text: str, pieces: list[str]) -> bool:
    """Whether every piece occurs in ``text``, each after the one before."""
    at = 0
    for piece in pieces:
        found = text.find(squash(piece), at)
        if found < 0:
            return False
        at = found + len(squash(piece))
    return True


def docx_runs_with_lang(element) -> list[tuple[str, str | None]]:
    """(text, w:lang) of every run with text under ``element`` (a body or a paragraph), in order."""
    from docx.oxml.ns import qn
    out = []
    for r in element.iter(qn("w:r")):
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        lang = r.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        if text.strip():
            out.append((text, lang.get(qn("w:val")) if lang is not None else None))
    return out
