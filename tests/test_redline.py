"""``sopimus build -b redline --against REV``: outputs read as their consumers read them."""
from __future__ import annotations

import copy
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree

import sopimus
from sopimus.cli import main
from sopimus.versions.checkout import open_version

from conftest import require_tool
from yearly_edit import DOC, git, make_edited_repository

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TAG = "allekirjoitettu-2026"

pytestmark = pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    return make_edited_repository(tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="module")
def redline(edited) -> Path:
    out = edited.parent / "build"
    assert main(["build", "-q", "-b", "redline", "--against", TAG, "--author", "Testaaja",
                 str(edited), str(out)]) == 0
    return out / "redline"


@pytest.fixture(scope="module")
def versions_docx(edited) -> dict[str, Path]:
    """The plain DOCX of the new and of the old version, by language ("new", "old-sv" …)."""
    out = edited.parent / "docx"
    sopimus.build(sopimus.load(edited), "docx", ["fi", "sv"], out / "new")
    with open_version(TAG, edited) as old:
        sopimus.build(old.project, "docx", ["fi", "sv"], out / "old")
    found = {}
    for lang in ("fi", "sv"):
        suffix = "" if lang == "fi" else f"-{lang}"
        found["new" + suffix] = out / "new" / "docx" / lang / f"{DOC}.docx"
        found["old" + suffix] = out / "old" / "docx" / lang / f"{DOC}.docx"
    return found


# --- reading a DOCX as Word does -------------------------------------------------------

def _body(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{{{W}}}body")


def _style_names(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    return {s.get(f"{{{W}}}styleId"): s.find("w:name", NS).get(f"{{{W}}}val") for s in styles.findall("w:style", NS)}


def resolve(body, accept: bool):
    """Accept (keep insertions, drop deletions) or reject (the other way round) every tracked change."""
    body = copy.deepcopy(body)
    drop, keep = (("del", "moveFrom"), ("ins", "moveTo")) if accept else (("ins", "moveTo"), ("del", "moveFrom"))
    for row in list(body.iter(f"{{{W}}}tr")):
        props = row.find("w:trPr", NS)
        if props is not None and any(props.find(f"w:{k}", NS) is not None for k in drop):
            row.getparent().remove(row)
    for p in list(body.iter(f"{{{W}}}p")):
        mark = p.find("w:pPr/w:rPr", NS)
        if mark is not None and any(mark.find(f"w:{k}", NS) is not None for k in drop):
            p.getparent().remove(p)
    for kind in drop:
        for el in list(body.iter(f"{{{W}}}{kind}")):
            if el.getparent().tag in (f"{{{W}}}p", f"{{{W}}}hyperlink"):
                el.getparent().remove(el)
    for kind in keep:
        for el in list(body.iter(f"{{{W}}}{kind}")):
            parent = el.getparent()
            if parent.tag in (f"{{{W}}}p", f"{{{W}}}hyperlink"):
                for child in list(el):
                    el.addprevious(child)
                parent.remove(el)
    for tbl in list(body.iter(f"{{{W}}}tbl")):
        if tbl.find("w:tr", NS) is None:
            tbl.getparent().remove(tbl)
    return body


def paragraphs(body, names: dict[str, str], skip_toc: bool = True) -> list[str]:
    """The text of every non-empty paragraph from the cover's title on (tables included, in order)."""
    out, started = [], False
    for p in body.iter(f"{{{W}}}p"):
        style = p.find("w:pPr/w:pStyle", NS)
        name = names.get(style.get(f"{{{W}}}val"), "") if style is not None else ""
        started = started or name == "Title"
        if not started or (skip_toc and name.lower().startswith("toc")):
            continue
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t", f"{{{W}}}delText", f"{{{W}}}tab", f"{{{W}}}br")
                       if t.tag.endswith("}t") or t.tag.endswith("delText")).strip()
        if text:
            out.append(text)
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_accept_all_gives_the_new_version_and_reject_all_the_old(redline, versions_docx, lang):
    path = redline / lang / f"{DOC}.docx"
    suffix = "" if lang == "fi" else f"-{lang}"
    new, old = versions_docx["new" + suffix], versions_docx["old" + suffix]
    body, names = _body(path), _style_names(path)
    new_text = paragraphs(_body(new), _style_names(new))
    old_text = paragraphs(_body(old), _style_names(old))
    assert new_text != old_text
    accepted = paragraphs(resolve(body, accept=True), names)
    rejected = paragraphs(resolve(body, accept=False), names)
    assert accepted == new_text
    assert rejected == old_text


def test_tracked_changes_are_real_and_unique(redline):
    body = _body(redline / "fi" / f"{DOC}.docx")
    marks = [el for kind in ("ins", "del", "moveFrom", "moveTo") for el in body.iter(f"{{{W}}}{kind}")]
    assert len(marks) > 20
    ids = [m.get(f"{{{W}}}id") for m in marks] + [b.get(f"{{{W}}}id") for b in body.iter(f"{{{W}}}bookmarkStart")]
    assert len(ids) == len(set(ids)), "every revision and bookmark id is unique"
    assert {m.get(f"{{{W}}}author") for m in marks} == {"Testaaja"}
    assert all(m.get(f"{{{W}}}date") for m in marks)
    # the reworded paragraph: one insertion inside an otherwise unchanged paragraph
    inserted = ["".join(t.text for t in m.iter(f"{{{W}}}t")) for m in body.iter(f"{{{W}}}ins")]
    assert ", valvontaan" in inserted
    # the moved goal is a Word move, both ends named alike
    starts = {e.get(f"{{{W}}}name") for e in body.iter(f"{{{W}}}moveFromRangeStart")}
    assert starts and starts == {e.get(f"{{{W}}}name") for e in body.iter(f"{{{W}}}moveToRangeStart")}
    moved = "".join(t.text for m in body.iter(f"{{{W}}}moveTo") for t in m.iter(f"{{{W}}}t"))
    assert "Valtionavustusten maksatuksissa tehdään tiivistä yhteistyötä." in moved
    deleted = "".join(t.text for m in body.iter(f"{{{W}}}del") for t in m.iter(f"{{{W}}}delText"))
    assert "Tietojärjestelmät tukevat monialaista yhteistyötä" in deleted


def test_the_summary_comes_first_in_both_languages(redline):
    from docx import Document
    for lang, title, level in (("fi", "Muutokset edelliseen versioon", "< 28,0"),
                               ("sv", "Ändringar jämfört med föregående version", "< 28,0")):
        doc = Document(str(redline / lang / f"{DOC}.docx"))
        assert doc.paragraphs[0].text == title
        rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
        assert rows[1][1:] == ["2027", "<\u00a030,0", "<\u00a028,0"] and level.replace(" ", "\u00a0") in rows[1][3]
        text = "\n".join(p.text for p in doc.paragraphs[:20])
        if lang == "fi":
            assert "Lisäys – Tavoite: Neuvontapalvelujen saavutettavuus paranee." in text
            assert "Poisto – Tavoite: Tietojärjestelmät tukevat monialaista yhteistyötä" in text
            assert "Siirto – Tavoite: Valtionavustusten maksatuksissa" in text
            assert "1 Strategiset linjaukset" in text and "4 Tulostavoitteet" in text
        else:
            assert "Flyttning – Mål:" in text


def test_the_json_diff_is_written_with_its_schema(redline):
    data = json.loads((redline / "fi" / f"{DOC}.json").read_text("utf-8"))
    assert data["schema"] == "sopimus-diff/1" and data["against"] == TAG and len(data["changes"]) == 7
    other = json.loads((redline / "fi" / "keha-yleishallinto-2026-2029.json").read_text("utf-8"))
    assert other["status"] == "unchanged" and other["changes"] == []


def test_an_unchanged_document_has_no_marks(redline):
    import pikepdf
    from test_pdf_tagged import structure
    path = redline / "fi" / "keha-yleishallinto-2026-2029.docx"
    body = _body(path)
    assert not [el for kind in ("ins", "del", "moveFrom", "moveTo") for el in body.iter(f"{{{W}}}{kind}")]
    with pikepdf.open(redline / "fi" / "keha-yleishallinto-2026-2029.pdf") as pdf:
        assert not [str(e.Alt) for e, _ in structure(pdf) if "/Alt" in e and str(e.Alt).startswith("[")]
    html = (redline / "fi" / "keha-yleishallinto-2026-2029.html").read_text("utf-8")
    assert "<ins" not in html and "<del" not in html and "Ei muutoksia." in html


class _Marks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.ins: list[str] = []
        self.dels: list[str] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in ("ins", "del"):
            self.stack.append(tag)
            (self.ins if tag == "ins" else self.dels).append("")

    def handle_endtag(self, tag):
        if tag in ("ins", "del") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            (self.ins if self.stack[-1] == "ins" else self.dels)[-1] += data


def test_the_html_marks_insertions_and_deletions(redline):
    page = (redline / "fi" / f"{DOC}.html").read_text("utf-8")
    marks = _Marks()
    marks.feed(page)
    assert marks.lang == "fi"
    assert any(", valvontaan" in t for t in marks.ins)
    assert any("[lisätty]" in t and "Neuvontapalvelujen saavutettavuus paranee." in t for t in marks.ins)
    assert any("[poistettu]" in t and "Tietojärjestelmät tukevat monialaista" in t for t in marks.dels)
    assert any("[siirretty]" in t and "Valtionavustusten maksatuksissa" in t for t in marks.dels)
    assert "LUONNOS" in page and "Muutokset edelliseen versioon" in page
    sv = (redline / "sv" / f"{DOC}.html").read_text("utf-8")
    assert 'lang="sv"' in sv and "UTKAST" in sv and "[tillagt]" in sv


def test_the_html_redline_has_no_accessibility_violation(redline):
    from test_html import axe_findings, run_axe
    assert axe_findings(run_axe(redline)) == []


def test_old_and_new_forms_of_a_moved_goal_do_not_share_ids(redline):
    import re
    page = (redline / "fi" / f"{DOC}.html").read_text("utf-8")
    ids = re.findall(r'\bid="([^"]*)"', page)
    assert len(ids) == len(set(ids))
    assert 'id="goal-valtionavustusten-maksatus"' in page and 'id="old-goal-valtionavustusten-maksatus"' in page


def test_the_author_and_date_of_the_changes(tmp_path, monkeypatch):
    """The author from sopimus.yaml (without --author), the date from the build clock."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790812800")  # 2026-10-01
    content = make_edited_repository(tmp_path)
    config = content / "sopimus.yaml"
    config.write_text(config.read_text("utf-8") + "redline:\n  author: TEM / tulosohjaus\n", "utf-8")
    out = tmp_path / "out"
    assert main(["build", "-q", "-b", "redline", "-l", "fi", "--against", TAG, str(content), str(out)]) == 0
    body = _body(out / "redline" / "fi" / f"{DOC}.docx")
    marks = [el for kind in ("ins", "del") for el in body.iter(f"{{{W}}}{kind}")]
    assert marks and {m.get(f"{{{W}}}author") for m in marks} == {"TEM / tulosohjaus"}
    assert {m.get(f"{{{W}}}date") for m in marks} == {"2026-10-01T00:00:00Z"}


def test_redline_without_against_is_a_usage_error(edited, tmp_path, capsys):
    assert main(["build", "-b", "redline", str(edited), str(tmp_path)]) == 2
    assert "--against" in capsys.readouterr().err
    assert main(["build", "-b", "json", "--against", TAG, str(edited), str(tmp_path)]) == 2


def test_an_unknown_revision_fails_cleanly_and_writes_nothing(edited, tmp_path, capsys):
    assert main(["build", "-b", "redline", "--against", "v1999", str(edited), str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "v1999" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "redline").exists()


def test_a_broken_old_revision_is_reported_as_its_own(tmp_path, capsys):
    content = make_edited_repository(tmp_path)
    meta = content / DOC / "document.yaml"
    meta.write_text(meta.read_text("utf-8").replace("binding_year: 2026", "binding_year: 1999"), "utf-8")
    git(tmp_path, "commit", "-q", "-am", "broken")
    git(tmp_path, "revert", "--no-edit", "HEAD")
    assert main(["check", str(content)]) == 0
    capsys.readouterr()
    assert main(["check", "--against", "HEAD~1", str(content)]) == 1
    out = capsys.readouterr()
    assert f"HEAD~1:content/{DOC}/document.yaml:" in out.out + out.err
    assert main(["build", "-b", "redline", "--against", "HEAD~1", str(content), str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out" / "redline").exists()


def test_a_document_removed_since_the_old_version(tmp_path):
    content = make_edited_repository(tmp_path)
    project_file = content / "sopimus.yaml"
    project_file.write_text(project_file.read_text("utf-8").replace("  - keha-yleishallinto-2026-2029\n", ""),
                            "utf-8")
    out = tmp_path / "out"
    assert main(["build", "-q", "-b", "redline", "-l", "fi", "--against", TAG, str(content), str(out)]) == 0
    data = json.loads((out / "redline" / "fi" / "keha-yleishallinto-2026-2029.json").read_text("utf-8"))
    assert data["status"] == "removed" and data["changes"][0]["change"] == "removed"
    body = _body(out / "redline" / "fi" / "keha-yleishallinto-2026-2029.docx")
    names = _style_names(out / "redline" / "fi" / "keha-yleishallinto-2026-2029.docx")
    assert paragraphs(resolve(body, accept=True), names) == [] or \
        all("Poisto" not in t for t in paragraphs(resolve(body, accept=True), names))


def test_libreoffice_reads_the_tracked_changes(redline, versions_docx, tmp_path):
    """LibreOffice opens the redline, counts its changes and, after Accept All, has the new text."""
    require_tool("soffice")
    import shutil
    import subprocess
    python = shutil.which("python3", path="/usr/bin")
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True) if python else None
    if probe is None or probe.returncode != 0:
        import os
        message = "LibreOffice's Python bridge (Debian python3-uno) is not installed"
        if os.environ.get("SOPIMUS_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    script = Path(__file__).with_name("lo_accept_all.py")
    path = redline / "fi" / f"{DOC}.docx"
    done = subprocess.run([python, str(script), str(path), str(tmp_path / "accepted.txt"), str(tmp_path),
                           str(versions_docx["new"]), str(tmp_path / "new.txt")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # LibreOffice joins adjacent marks of one kind into one change (see _regions): it
    # sees exactly as many insertions and deletions, and none is left after Accept All.
    regions = _regions(path)
    assert report["kinds"] == {"Insert": regions["ins"], "Delete": regions["del"]}
    assert report["changes"] == regions["ins"] + regions["del"] >= 7 and report["left_after_accept"] == 0
    accepted = _lines(tmp_path / "accepted.txt")
    new_docx = _lines(tmp_path / "new.txt")
    title = new_docx[0]
    # the new version's DOCX: title, cover, table of contents, body; the redline has no table of contents
    contents = new_docx.index("Sisällys")
    toc_end = new_docx.index(new_docx[contents + 1], contents + 2)
    assert accepted[accepted.index(title):] == new_docx[:contents] + new_docx[toc_end:]


def _regions(path: Path) -> dict[str, int]:
    """Stretches of one kind of change in reading order, as LibreOffice joins them: a
    table cell ends a stretch, and the mark of a cell's last paragraph is no character."""
    # a move is its own change beside an insertion or deletion next to it; LibreOffice
    # counts it as an insertion (moveTo) or a deletion (moveFrom)
    kinds = {f"{{{W}}}{k}": k for k in ("ins", "moveTo", "del", "moveFrom")}
    seq: list[str | None] = []

    def para(p, last: bool) -> None:
        for child in p:
            if child.tag in kinds:
                seq.append(kinds[child.tag] if _has_content(child) else None)
            elif child.tag == f"{{{W}}}r":
                seq.append(None)
            elif child.tag == f"{{{W}}}hyperlink":
                para_runs(child)
        mark = p.find("w:pPr/w:rPr", NS)
        found = [kinds[c.tag] for c in mark if c.tag in kinds] if mark is not None else []
        seq.append(None if last or not found else found[0])

    def para_runs(link) -> None:
        for child in link:
            seq.append(kinds[child.tag] if child.tag in kinds and _has_content(child) else None)

    def block(element, cell: bool) -> None:
        ps = element.findall("w:p", NS)
        for child in element:
            if child.tag == f"{{{W}}}p":
                para(child, cell and child is ps[-1])
            elif child.tag == f"{{{W}}}tbl":
                for tc in child.iter(f"{{{W}}}tc"):
                    seq.append("|")
                    block(tc, True)
                    seq.append("|")
    block(_body(path), False)
    counts = {"ins": 0, "del": 0}
    previous = None
    for kind in seq:
        if kind in kinds.values() and kind != previous:
            counts["ins" if kind in ("ins", "moveTo") else "del"] += 1
        previous = kind
    return counts


def _has_content(mark) -> bool:
    """A mark around characters (an empty run is no change to LibreOffice)."""
    return any((t.text or "") for t in mark.iter(f"{{{W}}}t", f"{{{W}}}delText")) or \
        any(True for _ in mark.iter(f"{{{W}}}tab", f"{{{W}}}br"))


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8-sig").splitlines() if line.strip()]


# --- the PDF ---------------------------------------------------------------------------

def test_the_pdf_shows_every_change_in_its_text_layer_with_the_draft_mark_on_every_page(redline):
    import subprocess
    require_tool("pdftotext")
    path = redline / "fi" / f"{DOC}.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert pages and all("LUONNOS" in p for p in pages)
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "Muutokset edelliseen versioon" in text.split("Tulossopimus", 2)[1][:200]
    for seen in ("< 28,0", "valvontaan", "Neuvontapalvelujen saavutettavuus paranee.",
                 "Tietojärjestelmät tukevat monialaista", "2030"):
        assert seen in text
    # the moved goal's title stands twice: where it was (struck) and where it is (underlined)
    assert text.count("Valtionavustusten maksatuksissa tehdään tiivistä yhteistyötä.") >= 3


def test_the_pdf_is_tagged_and_says_what_changed(redline):
    import pikepdf
    from test_pdf_tagged import page_marks, structure
    path = redline / "fi" / f"{DOC}.pdf"
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "fi-FI"
        alts = [str(elem.Alt) for elem, _ in structure(pdf) if "/Alt" in elem]
        content = set()
        for index, page in enumerate(pdf.pages):
            shows, texts = page_marks(page)
            for op, stack, _text in shows:
                assert stack, f"page {index + 1}: text outside marked content"
            content |= {(index, mcid) for mcid in texts}
        in_tree = [mark for _elem, marks in structure(pdf) for mark in marks]
        assert set(in_tree) == content
    assert any(a.startswith("[poistettu] Tietojärjestelmät tukevat monialaista") for a in alts)
    assert any(a.startswith("[lisätty] Neuvontapalvelujen saavutettavuus paranee.") for a in alts)
    assert any(a.startswith("[siirretty] Valtionavustusten maksatuksissa") for a in alts)
    assert any("[lisätty] , valvontaan" in a for a in alts)


@pytest.mark.parametrize("doc_id", [DOC, "keha-yleishallinto-2026-2029"])
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_pdf_passes_the_pdfua_checker(redline, doc_id, lang):
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(str(redline / lang / f"{doc_id}.pdf"))
    problems = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]
    assert not problems, "\n".join(problems)


TABLE = """
.. list-table:: Toimintamenot
   :header-rows: 1

   * - Menot
     - 2026
   * - Toimintamenot
     - {value}
"""


def test_a_changed_table_cell_is_tracked_in_every_redline_format(tmp_path):
    """A table changed in a cell (tables have no id) is a change, not 'unchanged'."""
    from helpers import new_project
    from readback import pdf_text

    content = new_project(tmp_path)
    root = content.parent
    rst = next(iter(sorted((content).glob("*/*.rst"))))
    doc_id = rst.parent.name
    rst.write_text(rst.read_text("utf-8") + TABLE.format(value="30,0"), "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "signed")
    git(root, "tag", "v1")
    rst.write_text(rst.read_text("utf-8").replace("     - 30,0", "     - 28,5"), "utf-8")
    out = tmp_path / "out"
    assert main(["build", "-q", "-b", "redline", "-l", "fi", "--against", "v1", str(content), str(out)]) == 0
    made = out / "redline" / "fi"
    found = json.loads((made / f"{doc_id}.json").read_text("utf-8"))
    assert found["status"] == "changed"
    assert [(c["change"], c["type"], c["field"], c["old"], c["new"]) for c in found["changes"]] == [
        ("field", "table", "row 2, column 2", "30,0", "28,5")]
    body = _body(made / f"{doc_id}.docx")
    deleted = "".join(t.text or "" for d in body.iter(f"{{{W}}}del") for t in d.iter(f"{{{W}}}delText"))
    inserted = "".join(t.text or "" for i in body.iter(f"{{{W}}}ins") for t in i.iter(f"{{{W}}}t"))
    assert "30,0" in deleted and "28,5" in inserted
    html = (made / f"{doc_id}.html").read_text("utf-8")
    assert "30,0" in html and "28,5" in html
    text = pdf_text(made / f"{doc_id}.pdf")
    assert "30,0" in text and "28,5" in text
