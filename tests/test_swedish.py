"""The Swedish documents as a Swedish reader sees them: Swedish labels, no Finnish left."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as Docx

from conftest import require_tool

DOC_IDS = ["keha-yleishallinto-2026-2029", "keha-tem-substanssi-2026-2029"]
SWEDISH = ["Resultatavtal", "Arbets- och näringsministeriet", "Mål 2026", "Underskrifter"]
FINNISH_LABELS = ["Tavoite", "Mittayksikkö", "Mittari", "Allekirjoitukset", "LUONNOS", "Liite ", "sivu ",
                  "Sisällys", "Osapuolet", "Sopimuskausi", "Tulossopimus", "Paikka ja päivämäärä",
                  "Työ- ja elinkeinoministeriö", "VIHREÄ", "KELTAINEN", "PUNAINEN"]


def pdf_pages(path: Path) -> list[str]:
    require_tool("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_swedish_pdf(built_once, doc_id: str) -> None:
    pages = pdf_pages(built_once("pdf") / "pdf" / "sv" / f"{doc_id}.pdf")
    text = "\n".join(pages)
    for word in SWEDISH:
        assert word in text, word
    assert re.search(rf"sida 2 \({len(pages)}\)", pages[1])
    for n, page in enumerate(pages, 1):
        assert f"sida {n} ({len(pages)})" in page, n
    for word in FINNISH_LABELS:
        assert word not in text, word


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_finnish_pdf_says_sivu(built_once, doc_id: str) -> None:
    pages = pdf_pages(built_once("pdf") / "pdf" / "fi" / f"{doc_id}.pdf")
    assert all(f"sivu {n} ({len(pages)})" in page for n, page in enumerate(pages, 1))


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_swedish_docx(built_once, doc_id: str) -> None:
    doc = Docx(str(built_once("docx") / "docx" / "sv" / f"{doc_id}.docx"))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    header = "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)
    text = "\n".join([body, cells, header])
    for word in SWEDISH:
        assert word in text, word
    assert "sida " in header
    for word in FINNISH_LABELS:
        assert word not in text, word
    assert doc.core_properties.language == "sv-FI"
