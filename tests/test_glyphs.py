"""Every character the PDF draws exists in the font it is drawn with: a
fallback font draws what the main font lacks, and a character no font has
is an error at its source's line, never a blank."""
from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from sopimus.cli import main
from sopimus.resources import BUILTIN_THEMES

from helpers import DOC, new_project
from readback import pdf_text


def _write(content: Path, paragraph: str) -> Path:
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8").replace(
        "Viraston arvot ovat:", f"{paragraph}\n\nViraston arvot ovat:"), "utf-8")
    return rst


def test_symbols_the_main_font_lacks_are_drawn_by_the_fallback(tmp_path, capsys):
    content = new_project(tmp_path)
    _write(content, "Tavoite ≥ 85 % ja ≤ 30 pv, ei ≠ 0, −5 … ∞ → ½ ² ³ € ± × ÷; "
                    "**lihavoitu ≥ 90 %** ja *kursiivi ≤ 3*. Ŋ ŋ Đ đ Ŧ ŧ Ʒ ʒ Ǯ ǯ Ǧ ǧ Ǥ ǥ Ǩ ǩ Õ õ ʹ.")
    assert main(["build", "-b", "pdf", "-l", "fi", "-q", str(content), str(tmp_path / "out")]) == 0
    path = tmp_path / "out" / "pdf" / "fi" / f"{DOC}.pdf"
    text = pdf_text(path)
    for piece in ("Tavoite ≥ 85 % ja ≤ 30 pv, ei ≠ 0, −5 … ∞ → ½ ² ³ € ± × ÷;", "lihavoitu ≥ 90 %",
                  "kursiivi ≤ 3", "Ŋ ŋ Đ đ Ŧ ŧ Ʒ ʒ Ǯ ǯ Ǧ ǧ Ǥ ǥ Ǩ ǩ Õ õ ʹ."):
        assert piece in text
    with pikepdf.open(path) as pdf:
        fonts = {str(f.BaseFont).split("+")[-1] for p in pdf.pages for f in p.Resources.Font.values()}
    # the bold and italic runs keep their weight and slant in the fallback
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"} <= fonts


def test_a_character_no_font_has_is_an_error_at_its_line(tmp_path, capsys):
    content = new_project(tmp_path)
    rst = _write(content, "Tavoite 漢 ≥ 85 %.")
    line = rst.read_text("utf-8").splitlines().index("Tavoite 漢 ≥ 85 %.") + 1
    out = tmp_path / "out"
    assert main(["build", "-b", "pdf", "-l", "fi", "-q", str(content), str(out)]) == 1
    err = capsys.readouterr().err
    assert f"sopimus.rst:{line}:1: error: [glyph-missing]" in err and "U+6F22" in err
    assert "Traceback" not in err
    assert not list(out.rglob("*.pdf"))


def test_a_name_in_metadata_no_font_has_is_an_error_in_document_yaml(tmp_path, capsys):
    content = new_project(tmp_path)
    meta = content / DOC / "document.yaml"
    text = meta.read_text("utf-8")
    meta.write_text(text.replace("name: {fi: Esimerkkivirasto", "name: {fi: Esimerkkivirasto 漢", 1), "utf-8")
    if meta.read_text("utf-8") == text:
        pytest.skip("the quickstart's party names changed")
    assert main(["build", "-b", "pdf", "-l", "fi", "-q", str(content), str(tmp_path / "out")]) == 1
    assert "document.yaml" in capsys.readouterr().err


def _theme_with_broken_font(project: Path, font: str) -> None:
    theme = project / "themes" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    (theme / "fonts" / font).write_bytes(b"not a font at all\n" * 20)


@pytest.mark.parametrize("font, text", [
    ("NotoSans-Regular.ttf", "Tavoite 85 %."),          # the main font: found before any document
    ("DejaVuSans-Bold.ttf", "**Tavoite ≥ 85 %.**"),     # a fallback: found when a text first needs it
])
def test_a_font_file_that_is_not_a_font_is_a_theme_error(tmp_path, capsys, font, text):
    content = new_project(tmp_path)
    _theme_with_broken_font(content.parent, font)
    _write(content, text)
    out = tmp_path / "out"
    assert main(["build", "-b", "pdf", "-l", "fi", "-q", str(content), str(out)]) == 1
    err = capsys.readouterr().err
    assert "error: [theme]" in err and font in err and "not a usable TrueType font" in err, err
    assert "Traceback" not in err
    assert not list(out.rglob("*.pdf"))


def test_a_fallback_font_is_not_read_while_no_text_needs_it(tmp_path, capsys):
    content = new_project(tmp_path)
    _theme_with_broken_font(content.parent, "DejaVuSans.ttf")
    _write(content, "Tavoite 85 %, ei symboleja.")
    assert main(["build", "-b", "pdf", "-l", "fi", "-q", str(content), str(tmp_path / "out")]) == 0
    assert "ei symboleja" in pdf_text(tmp_path / "out" / "pdf" / "fi" / f"{DOC}.pdf")
