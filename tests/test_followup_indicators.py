"""Follow-up indicators (an annex's indicators without targets) are shown as
name and unit, not with a column of empty target levels per year."""
from __future__ import annotations

import re

import docx

from sopimus.cli import main

from helpers import DOC, new_project
from readback import pdf_text


def test_followup_indicators_have_no_year_columns(tmp_path):
    content = new_project(tmp_path)
    out = tmp_path / "out"
    for builder in ("pdf", "docx", "html"):
        assert main(["build", "-b", builder, "-l", "fi", "-q", str(content), str(out)]) == 0

    document = docx.Document(out / "docx" / "fi" / f"{DOC}.docx")
    shapes = {t.rows[1].cells[0].text: len(t.columns) for t in document.tables if len(t.rows) > 1}
    assert shapes["Vireille tulleet hakemukset"] == 2              # name, unit
    assert shapes["Hakemusten keskimääräinen käsittelyaika"] == 2 + 4   # name, unit, 2026–2029

    html = (out / "html" / "fi" / f"{DOC}.html").read_text("utf-8")
    table = next(t for t in re.findall(r"<table.*?</table>", html, re.S) if "Vireille tulleet hakemukset" in t)
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table) == ["Mittari", "Mittayksikkö"]

    text = pdf_text(out / "pdf" / "fi" / f"{DOC}.pdf")
    annex = text[text.rindex("Seurantamittarit"):]
    assert "Mittari Mittayksikkö Vireille tulleet hakemukset kpl" in annex and "Tavoite" not in annex
