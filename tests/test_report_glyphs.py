"""The follow-up report's chart draws words (the colours' words, from the label
catalog): every character it draws exists in the font it is drawn with — a
fallback font where the main font lacks it — and a character no font of the
theme has is an error at the catalog's line, with nothing written."""
from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from sopimus.cli import main

from helpers import project_with_label
from test_pdf_tagged import _decode, _to_unicode, page_marks


def _project(tmp_path: Path, green: str) -> tuple[Path, Path, int]:
    """A copy of the content whose own label catalog calls GREEN ``green``:
    (content folder, the catalog, the line of that msgstr)."""
    root, catalog = project_with_label(tmp_path, "GREEN", "VIHREÄ", green)
    line = catalog.read_text("utf-8").splitlines().index(f'msgstr "{green}"') + 1
    return root / "content", catalog, line


def _drawn_in(pdf_path: Path, char: str) -> list[str]:
    """The fonts (base names) ``char`` is drawn in, once per text-showing operator that draws it,
    on every page and in every form XObject (the chart)."""
    found: list[str] = []
    with pikepdf.open(pdf_path) as pdf:
        def walk(container) -> None:
            resources = container.get("/Resources") or {}
            fonts = {str(k): v for k, v in (resources.get("/Font") or {}).items()}
            current = None
            for operands, operator in pikepdf.parse_content_stream(container):
                op = str(operator)
                if op == "Tf":
                    current = fonts[str(operands[0])]
                elif op in ("Tj", "TJ", "'", '"') and current is not None:
                    if char in _decode(operands, _to_unicode(current)):
                        found.append(str(current.BaseFont).split("+")[-1])
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Form":
                    walk(xobject)
        for page in pdf.pages:
            walk(page.obj)
    return found


def test_a_chart_word_the_main_font_lacks_is_drawn_in_the_fallback(tmp_path):
    content, _catalog, _line = _project(tmp_path, "VIHREÄ ≥")
    out = tmp_path / "out"
    assert main(["build", "-b", "report", "-l", "fi", "-q", str(content), str(out)]) == 0
    pdf = next((out / "report" / "fi").glob("*.pdf"))
    with pikepdf.open(pdf) as doc:   # the chart is the Figure: its words as drawn
        chart = "".join(text for page in doc.pages for _op, stack, text in page_marks(page)[0]
                        if any(tag == "/Figure" for tag, _mcid in stack))
    assert "VIHREÄ≥" in re.sub(r"\s+", "", chart), chart   # one String per font: spaces are layout
    fonts = _drawn_in(pdf, "≥")      # the chart, the summary's table, the rule's text …
    assert all(f.startswith("DejaVuSans") for f in fonts), fonts


def test_a_chart_word_no_font_has_is_an_error_at_the_catalogs_line(tmp_path, capsys):
    content, catalog, line = _project(tmp_path, "VIHREÄ 漢")
    out = tmp_path / "out"
    assert main(["build", "-b", "report", "-l", "fi", "-q", str(content), str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"locales/fi/LC_MESSAGES/sopimus\.po:{line}:1: error: \[glyph-missing\] .*U\+6F22", err), err
    assert "Traceback" not in err
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.docx"))
