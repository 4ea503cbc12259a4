"""`signing: electronic` (the default) or `signing: paper` in document.yaml:
electronic signature pages have no place-and-date line (the signature
carries its time); paper ones do. The signature fields are there either way."""
from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from sopimus.cli import main

from helpers import DOC, new_project
from readback import docx_text, html_text, pdf_text

PLACE_AND_DATE = {"fi": "Paikka ja päivämäärä", "sv": "Ort och datum"}


def _build(content: Path, out: Path) -> None:
    for builder in ("pdf", "docx", "html"):
        assert main(["build", "-b", builder, "-q", str(content), str(out)]) == 0


def _texts(out: Path, lang: str) -> dict[str, str]:
    return {"pdf": pdf_text(out / "pdf" / lang / f"{DOC}.pdf"),
            "docx": docx_text(out / "docx" / lang / f"{DOC}.docx"),
            "html": html_text(out / "html" / lang / f"{DOC}.html")}


@pytest.mark.parametrize("signing", [None, "electronic", "paper"])
def test_place_and_date_only_when_signed_on_paper(tmp_path, signing):
    content = new_project(tmp_path)
    meta = content / DOC / "document.yaml"
    if signing:
        meta.write_text(meta.read_text("utf-8") + f"signing: {signing}\n", "utf-8")
    _build(content, tmp_path / "out")
    for lang in ("fi", "sv"):
        for fmt, text in _texts(tmp_path / "out", lang).items():
            label = PLACE_AND_DATE[lang]
            assert (label in text) == (signing == "paper"), (fmt, lang)
        with pikepdf.open(tmp_path / "out" / "pdf" / lang / f"{DOC}.pdf") as pdf:
            assert len(pdf.Root.AcroForm.Fields) == 2


def test_an_unknown_signing_is_an_error(tmp_path, capsys):
    content = new_project(tmp_path)
    meta = content / DOC / "document.yaml"
    meta.write_text(meta.read_text("utf-8") + "signing: fax\n", "utf-8")
    assert main(["check", str(content)]) == 1
    assert "document.yaml" in capsys.readouterr().out
