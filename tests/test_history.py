"""``version:`` and ``history:`` in document.yaml: the cover says the agreement was
updated, and shows its versions so far, in every format and both languages."""
from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import sopimus
from sopimus import ast as A
from sopimus.cli import main

from conftest import require_tool

DOC = "keha-tem-substanssi-2026-2029"
HISTORY = """\
version: "2027"
history:
  - date: 2025-12-18
    version: "2026"
    register_number: VN/1234/2025
    agreed: {fi: Sopimus 2026–2029 allekirjoitettiin., sv: Avtalet 2026–2029 undertecknades.}
"""


@pytest.fixture()
def updated(content_copy: Path) -> Path:
    meta = content_copy / DOC / "document.yaml"
    meta.write_text(meta.read_text("utf-8") + HISTORY, "utf-8")
    return content_copy


def test_version_and_history_are_in_the_ast_and_its_json(updated):
    project = sopimus.load(updated)
    doc = project.get(DOC)
    assert doc.version == "2027"
    [entry] = doc.history
    assert (entry.date.isoformat(), entry.version, entry.register_number) == ("2025-12-18", "2026", "VN/1234/2025")
    assert entry.agreed == "Sopimus 2026–2029 allekirjoitettiin."
    assert project.document(DOC, "sv").history[0].agreed == "Avtalet 2026–2029 undertecknades."
    data = A.to_dict(doc)
    assert data["version"] == "2027" and data["history"][0]["date"] == "2025-12-18"
    assert A.from_dict(json.loads(json.dumps(data))) == doc


def test_a_document_without_them_keeps_its_json(project):
    data = A.to_dict(project.get(DOC))
    assert "version" not in data and "history" not in data


def test_the_cover_says_updated_and_shows_the_history(updated, tmp_path):
    require_tool("pdftotext")
    out = tmp_path / "out"
    for builder in ("pdf", "docx", "html"):
        assert main(["build", "-q", "-b", builder, str(updated), str(out)]) == 0
    for lang, updated_word, history_word, agreed in (
            ("fi", "Päivitetty", "Versiohistoria", "Sopimus 2026–2029 allekirjoitettiin."),
            ("sv", "Uppdaterat", "Versionshistorik", "Avtalet 2026–2029 undertecknades.")):
        first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(out / "pdf" / lang / f"{DOC}.pdf"), "-"],
                                    capture_output=True, text=True, check=True).stdout
        flat = " ".join(first_page.split())
        assert f"{updated_word} 2027" in flat and history_word in flat
        assert "18.12.2025" in flat and "VN/1234/2025" in flat and agreed in flat

        from docx import Document
        word = Document(str(out / "docx" / lang / f"{DOC}.docx"))
        cover = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
        assert cover[updated_word] == "2027"
        assert [c.text for c in word.tables[1].rows[1].cells] == ["18.12.2025", "2026", "VN/1234/2025", agreed]

        page = (out / "html" / lang / f"{DOC}.html").read_text("utf-8")
        cells = _cells(page)
        assert history_word in cells["caption"] and agreed in cells["td"]


def _cells(page: str) -> dict[str, list[str]]:
    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: dict[str, list[str]] = {"caption": [], "td": []}
            self.open: str | None = None

        def handle_starttag(self, tag, attrs):
            if tag in self.found:
                self.open = tag
                self.found[tag].append("")

        def handle_endtag(self, tag):
            if tag == self.open:
                self.open = None

        def handle_data(self, data):
            if self.open:
                self.found[self.open][-1] += data
    parser = Cells()
    parser.feed(page)
    return parser.found


def test_a_bad_history_entry_is_a_finding_with_its_line(content_copy, capsys):
    meta = content_copy / DOC / "document.yaml"
    lines = meta.read_text("utf-8").count("\n")
    meta.write_text(meta.read_text("utf-8") + "history:\n  - date: joulukuussa\n    version: '2026'\n", "utf-8")
    assert main(["check", str(content_copy)]) == 1
    out = capsys.readouterr().out
    assert f"document.yaml:{lines + 2}:" in out and "[meta-type]" in out and "YYYY-MM-DD" in out
