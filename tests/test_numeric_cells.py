"""A table cell is a number only when the source types it so
(``:numeric-columns:``): then every builder shows it in the language's form
(``1 234,5``), right-aligned, and the JSON keeps the value; a cell there that
is not a number is an error at its line; every other cell stays exactly as
written.  Read as the consumers read the outputs."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from sopimus.cli import main

from conftest import require_tool
from helpers import DOC, new_project
from readback import docx_text, html_parse, html_text, json_doc, pdf_text

TABLES = """\
.. list-table:: Toimintamenot
   :header-rows: 1
   :widths: 3 1 1 1
   :numeric-columns: 2 3

   * - Hallinnonala
     - 2026
     - 2027
     - Huomautus
   * - TEM toimintamenot
     - 1234.5
     - 41,20
     -
   * - LVM toimintamenot
     - 7
     - 85 %
     - 1234.5
   * - Yhteensä
     -
     - 12345678
     -

.. table:: Henkilötyövuodet
   :numeric-columns: 2

   ============  =====
   Toiminto      htv
   ============  =====
   Palkkaturva   2500,5
   ============  =====
"""
# as written → as Finnish and Swedish print it (no-break spaces read as spaces)
TYPED = [("1234.5", "1 234,5"), ("41,20", "41,20"), ("7", "7"), ("85 %", "85 %"),
         ("12345678", "12 345 678"), ("2500,5", "2 500,5")]
UNTYPED = "1234.5"   # the same figure in a column the source did not type: exactly as written


def _with_tables(content: Path, tables: str = TABLES) -> Path:
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8").replace("Viraston arvot ovat:", f"{tables}\nViraston arvot ovat:"),
                   "utf-8")
    return rst


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("numeric")
    content = new_project(tmp)
    _with_tables(content)
    out = tmp / "out"
    for builder in ("pdf", "docx", "html", "json"):
        assert main(["build", "-b", builder, "-q", str(content), str(out)]) == 0
    return out


def _path(out: Path, fmt: str, lang: str) -> Path:
    return out / fmt / lang / f"{DOC}.{fmt}"


def _row_texts(lang: str) -> list[str]:
    shown = dict(TYPED)
    return ["TEM toimintamenot", shown["1234.5"], shown["41,20"],
            "LVM toimintamenot", shown["7"], shown["85 %"], UNTYPED,
            "Yhteensä", shown["12345678"], "Palkkaturva", shown["2500,5"]]


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_typed_numbers_are_shown_in_the_languages_form(built, fmt, lang):
    read = {"pdf": pdf_text, "docx": docx_text, "html": html_text}[fmt]
    text = read(_path(built, fmt, lang))
    at = 0
    for piece in _row_texts(lang):
        found = text.find(piece, at)
        assert found >= 0, f"{fmt} {lang}: {piece!r} missing after {text[max(at - 80, 0):at]!r}"
        at = found + len(piece)
    assert "12345678" not in text and "2500,5" not in text


def test_json_keeps_the_typed_value_and_the_text_as_written(built):
    doc = json_doc(_path(built, "json", "fi"))
    cells = []
    stack = [doc]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            if node.get("type") == "cell":
                cells.append(node)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(node)
    typed = {c["children"][0]["text"]: (c["value"], c.get("percent", False)) for c in cells if "value" in c}
    assert typed == {"1234.5": ("1234.5", False), "41,20": ("41.20", False), "7": ("7", False),
                     "85 %": ("85", True), "12345678": ("12345678", False), "2500,5": ("2500.5", False)}
    untyped = [c for c in cells if c["children"] and c["children"][0]["text"] == UNTYPED and "value" not in c]
    assert len(untyped) == 1   # the Huomautus column: text


def test_docx_typed_cells_are_right_aligned(built):
    document = docx.Document(_path(built, "docx", "fi"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Hallinnonala")
    row = table.rows[1]
    assert [c.text for c in row.cells] == ["TEM toimintamenot", "1\u00a0234,5", "41,20", ""]
    jc = row.cells[1].paragraphs[0]._p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    assert jc is not None and jc.get(qn("w:val")) == "right"


def test_html_typed_cells_carry_the_right_aligned_class(built):
    page = _path(built, "html", "sv").read_text("utf-8")
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', page)
    for _written, shown in TYPED:
        assert shown.replace(" ", "\u00a0") in cells
    assert ".num { text-align: right" in (built / "html" / "assets" / "sopimus.css").read_text("utf-8")
    assert html_parse(page.encode("utf-8"))


def test_pdf_typed_cells_are_right_aligned(built):
    """In one column the right edges of the figures line up (pdftotext's word boxes)."""
    require_tool("pdftotext")
    bbox = subprocess.run(["pdftotext", "-bbox", str(_path(built, "pdf", "fi")), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = [(float(a), float(b), w) for a, b, w in
             re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', bbox)]
    texts = [w for _, _, w in words]

    def after(*sequence: str) -> tuple[float, float, str]:
        """The word after ``sequence`` (consecutive words)."""
        at = next(i for i in range(len(texts)) if texts[i:i + len(sequence)] == list(sequence))
        return words[at + len(sequence)]

    big = after("TEM", "toimintamenot", "1")       # "1 234,5": its last word
    small = after("LVM", "toimintamenot")          # "7"
    assert (big[2], small[2]) == ("234,5", "7")
    assert abs(big[1] - small[1]) < 0.5, (big, small)   # column 2: the right edges line up
    assert small[0] > big[0]


@pytest.mark.parametrize("cell, message", [
    ("abc", "'abc' is not a number"),
    ("≤ 600", "'≤ 600' is a comparison, not a number"),
    ("12 €", "'12 €' is not a number"),
    ("**7**", "'7' has markup"),
])
def test_a_cell_that_is_not_a_number_is_an_error_at_its_line(tmp_path, capsys, cell, message):
    content = new_project(tmp_path)
    rst = _with_tables(content, TABLES.replace("     - 1234.5\n     - 41,20", f"     - {cell}\n     - 41,20"))
    line = rst.read_text("utf-8").splitlines().index(f"     - {cell}") + 1
    out = tmp_path / "out"
    assert main(["build", "-b", "pdf", "-l", "fi", "-q", str(content), str(out)]) == 1
    err = capsys.readouterr().err
    assert f"sopimus.rst:{line}:1: error: [table-number] numeric column 2: {message}" in err, err
    assert "Traceback" not in err
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*") if ".cache" not in p.parts)


def test_a_column_that_is_not_in_the_table_is_an_error_at_the_option(tmp_path, capsys):
    content = new_project(tmp_path)
    rst = _with_tables(content, TABLES.replace(":numeric-columns: 2 3", ":numeric-columns: 2 5"))
    line = rst.read_text("utf-8").splitlines().index("   :numeric-columns: 2 5") + 1
    assert main(["check", "-q", str(content)]) == 1
    found = capsys.readouterr()
    assert f"sopimus.rst:{line}:1: error: [table-columns] :numeric-columns: '5' is not a column" \
        in found.out + found.err
