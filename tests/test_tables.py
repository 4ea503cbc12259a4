"""Tables of the text (list-table, grid and simple tables) in every builder,
read as their consumers read them: the annex table of the second agreement."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn

import sopimus
from sopimus import ast as A
from sopimus.pipeline import build

from readback import docx_text, html_text, json_doc, pdf_text, squash

DATA = Path(__file__).parent / "data" / "monta-ministeriota" / "content"
DOC = "pohjois-elinvoimakeskus-2026-2027"
CELLS = {"fi": ["Toimintamenot ja henkilötyövuodet", "Ministeriön hallinnonala", "2026", "2027",
                "TEM: toimintamenot (milj. €)", "41,2", "40,8", "LVM: toimintamenot (milj. €)", "7,5", "7,5",
                "Henkilötyövuodet yhteensä", "612", "≤ 600"],
         "sv": ["Omkostnader och årsverken", "Ministeriön hallinnonala", "2026", "2027",
                "TEM: toimintamenot (milj. €)", "41,2", "40,8", "LVM: toimintamenot (milj. €)", "7,5", "7,5",
                "Årsverken sammanlagt", "612", "≤ 600"]}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    project = sopimus.load(DATA)
    out = tmp_path_factory.mktemp("tables")
    for builder in ("pdf", "docx", "html", "json", "gettext"):
        result = build(project, builder, None, out)
        assert not result.errors, [d.format() for d in result.errors]
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_every_cell_in_order(outputs, fmt, lang):
    read = {"pdf": pdf_text, "docx": docx_text, "html": html_text}[fmt]
    text = read(outputs / fmt / lang / f"{DOC}.{fmt}")
    assert squash(" ".join(CELLS[lang])) in text
    assert "HBaro-indeksit, kaikki ministeriöt" in text and "Johtaminen ≥ 3,5" in text


def test_pdf_table_is_tagged_with_caption_header_cells_and_spans(outputs):
    with pikepdf.open(outputs / "pdf" / "fi" / f"{DOC}.pdf") as pdf:
        tables = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            elem = stack.pop()
            kids = elem.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            kids = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
            if elem.get("/S") == "/Table":
                tables.append([str(k.S) for k in kids])
                rows = [k for k in kids if k.S == "/TR"]
                cells = [c for tr in rows for c in (tr.K if isinstance(tr.K, pikepdf.Array) else [tr.K])
                         if isinstance(c, pikepdf.Dictionary) and "/S" in c]
                tables[-1].append([(str(c.S), str(c.A.get("/Scope", "")) if "/A" in c else "",
                                    int(c.A.get("/ColSpan", 1)) if "/A" in c else 1) for c in cells])
            stack.extend(kids)
    text_tables = [t for t in tables if "/Caption" in t[:-1]]
    assert text_tables, tables
    cells = text_tables[0][-1]
    assert cells[:3] == [("/TH", "/Column", 1)] * 3 and ("/TD", "", 1) in cells
    spanned = [t for t in tables if any(span == 2 for _, _, span in t[-1])]
    assert spanned


def test_docx_header_row_repeats_and_merged_cell_spans(outputs):
    document = docx.Document(outputs / "docx" / "fi" / f"{DOC}.docx")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Ministeriön hallinnonala")
    first = table.rows[0]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert table.rows[1]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    caption = table._tbl.getprevious()
    assert "".join(t.text for t in caption.iter(qn("w:t"))) == "Toimintamenot ja henkilötyövuodet"
    grid = next(t for t in document.tables
                if len(t.rows) > 1 and t.rows[1].cells[0].text == "HBaro-indeksit, kaikki ministeriöt")
    assert grid.rows[1]._tr.find(f".//{qn('w:gridSpan')}").get(qn("w:val")) == "2"


def test_html_caption_and_th_scope(outputs):
    page = (outputs / "html" / "fi" / f"{DOC}.html").read_text("utf-8")
    table = next(t for t in re.findall(r"<table class=\"text-table\">.*?</table>", page, re.S) if "<caption" in t)
    assert "<caption>Toimintamenot ja henkilötyövuodet</caption>" in table
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table) == ["Ministeriön hallinnonala", "2026", "2027"]
    assert '<td colspan="2">HBaro-indeksit, kaikki ministeriöt</td>' in page


def test_json_table_node_and_round_trip(outputs):
    doc = json_doc(outputs / "json" / "fi" / f"{DOC}.json")
    stack, annex = list(doc["body"]), None
    while stack and annex is None:
        node = stack.pop(0)
        annex = node if node["type"] == "annex" else None
        stack.extend(node.get("body", []))
    table = annex["body"][0]
    assert table["type"] == "table" and table["header_rows"] == 1 and table["widths"] == [4, 1, 1]
    assert [c["children"][0]["text"] for c in table["rows"][0]["cells"]] == ["Ministeriön hallinnonala", "2026", "2027"]
    assert annex["body"][1]["rows"][1]["cells"][0]["colspan"] == 2
    assert A.from_dict(doc) == A.from_dict(json_doc(outputs / "json" / "fi" / f"{DOC}.json"))


def test_gettext_has_the_cells_as_messages_but_not_the_figures(outputs):
    pot = (outputs / "gettext" / f"{DOC}.pot").read_text("utf-8")
    for message in ("Toimintamenot ja henkilötyövuodet", "Ministeriön hallinnonala", "Henkilötyövuodet yhteensä"):
        assert f'msgid "{message}"' in pot
    for figure in ("41,2", "612", "≤ 600"):
        assert f'msgid "{figure}"' not in pot
