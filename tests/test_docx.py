"""The DOCX builder, checked as Word users and tools read the file: python-docx
for styles, tables, fields and properties; LibreOffice for a real rendering."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import REPO, require_tool
from docx.oxml.ns import qn

import sopimus
from sopimus import ast as A
from sopimus import builders, clock
from sopimus import present as P
from sopimus.builders.docx.document import render
from sopimus.docxkit.header import TemplateError, describe_images, fill
from sopimus.docxkit.template import load_template
from sopimus.resources import BUILTIN_THEMES
from sopimus.pipeline import build
from sopimus.walk import Unrenderable

DOC_IDS = ["keha-yleishallinto-2026-2029", "keha-tem-substanssi-2026-2029"]
LANGS = ["fi", "sv"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FINNISH_TEMPLATE = REPO / "tests" / "data" / "reference-fi-ids.docx"


@pytest.fixture(scope="module")
def built(built_once) -> Path:
    return built_once("docx", tuple(LANGS))


def docx_path(root: Path, doc_id: str, lang: str = "fi") -> Path:
    return root / "docx" / lang / f"{doc_id}.docx"


def open_docx(root: Path, doc_id: str, lang: str = "fi") -> docx.document.Document:
    return docx.Document(str(docx_path(root, doc_id, lang)))


def headings(doc: A.Document) -> list[tuple[str, str]]:
    """(text, Word style name) of every heading the AST asks for, in order."""
    _ = P.labels_for(doc)
    out = []
    for node in doc.walk():
        if isinstance(node, A.Section):
            out.append((P.heading_text(node, _), f"Heading {node.level}"))
        elif isinstance(node, A.Annex):
            out.append((P.heading_text(node, _), "Heading 1"))
        elif isinstance(node, A.Theme):
            out.append((node.title, "Theme Heading"))
        elif isinstance(node, A.Goal):
            out.append((node.title, "Goal Heading" if node.level == 1 else "Sub-goal Heading"))
        elif isinstance(node, A.YearTarget):
            out.append((P.target_heading(node.year, _), "Target Heading"))
    return out


def heading_paragraphs(document) -> list[tuple[str, str]]:
    names = {"Theme Heading", "Goal Heading", "Sub-goal Heading", "Target Heading"}
    return [(p.text, p.style.name) for p in document.paragraphs
            if p.style.name.startswith("Heading ") or p.style.name in names]


def instructions(element) -> list[str]:
    return [" ".join((t.text or "").split()) for t in element.iter(qn("w:instrText"))]


def header_text(document) -> str:
    return "\n".join(p.text for s in document.sections for p in s.header.paragraphs)


# --- structure -----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_heading_in_its_word_style(built, project, doc_id, lang):
    doc = project.document(doc_id, lang)
    assert heading_paragraphs(open_docx(built, doc_id, lang)) == headings(doc)


def test_headings_are_numbered_as_in_the_pdf(built):
    texts = [t for t, style in heading_paragraphs(open_docx(built, DOC_IDS[1])) if style.startswith("Heading")]
    assert texts[:3] == ["1 Strategiset linjaukset", "1.1 KEHA-keskuksen tehtävät", "1.2 Toiminta-ajatus ja visio"]
    assert "Liite 0: Seurantamittarit" in texts
    sv = [t for t, style in heading_paragraphs(open_docx(built, DOC_IDS[1], "sv")) if style == "Target Heading"]
    assert sv and set(sv) == {"Mål 2026"}


def indicator_tables(document):
    return [t for t in document.tables if t.rows[0].cells[0].text in ("Mittari", "Mätare", "Indikator")]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_indicator_tables(built, project, doc_id):
    doc = project.document(doc_id, "fi")
    _ = P.labels_for(doc)
    runs = indicator_runs(doc)
    tables = indicator_tables(open_docx(built, doc_id))
    assert tables and len(tables) == len(runs)
    rows = []
    for table, run in zip(tables, runs):
        header = table.rows[0]
        assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeats on every page
        # follow-up indicators (no targets in the run) have no year columns
        assert [c.text for c in header.cells] == P.indicator_table(run[0], doc, _, run).header
        for row in table.rows[1:]:
            assert row._tr.find(f"{W}trPr/{W}tblHeader") is None
            cells = row.cells
            if len({c._tc for c in cells}) == len(cells):  # description rows span the table
                rows.append([c.text for c in cells])
    assert rows == [P.indicator_table(ind, doc, _, run).row for run in runs for ind in run]


def indicator_runs(doc) -> list[list]:
    """The indicators of ``doc`` as the builders group them: consecutive ones are one table."""
    from sopimus.walk import runs as block_runs
    found = []

    def visit(nodes):
        for run in block_runs(nodes):
            if run.kind is A.Indicator:
                found.append(run.nodes)
            for node in run.nodes:
                visit(getattr(node, "body", None) or getattr(node, "items", None) or [])
    visit(doc.body)
    return found


def test_target_levels_as_finnish_readers_write_them(built):
    rows = [[c.text for c in r.cells] for t in indicator_tables(open_docx(built, DOC_IDS[1])) for r in t.rows]
    assert any("<\u00a030,0" in cell for row in rows for cell in row)


def test_rating_scale_with_colour_words_and_shading(built):
    template = load_template(sopimus.load(REPO / "content"))
    document = open_docx(built, DOC_IDS[1])
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Väri")
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in table.rows[0].cells] == ["Arvio", "Väri", "Merkitys"]
    words = {}
    for row in table.rows[1:]:
        fill = row.cells[1]._tc.find(f"{W}tcPr/{W}shd").get(qn("w:fill"))
        words[row.cells[0].text] = (row.cells[1].text, fill)
    colours = template.colours
    assert words == {"3": ("VIHREÄ", colours["green"].lstrip("#").upper()),
                     "2": ("KELTAINEN", colours["yellow"].lstrip("#").upper()),
                     "1": ("PUNAINEN", colours["red"].lstrip("#").upper())}


def test_impact_goals_with_ministry_code(built, project):
    doc = project.document(DOC_IDS[1], "fi")
    goals = [n for n in doc.walk() if isinstance(n, A.ImpactGoal)]
    paragraphs = [p.text for p in open_docx(built, DOC_IDS[1]).paragraphs if p.style.name == "Impact Goal"]
    assert paragraphs == [f"{g.ministry}\t{g.text}" for g in goals]


def test_lists_are_word_numbering_not_typed_bullets(built):
    document = open_docx(built, DOC_IDS[0])
    items = [p for p in document.paragraphs if p.style.name == "List Paragraph"]
    assert len(items) >= 10
    numbering = document.part.numbering_part.element
    formats = {}
    for num in numbering.iterchildren(qn("w:num")):
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        abstract = next(a for a in numbering.iterchildren(qn("w:abstractNum"))
                        if a.get(qn("w:abstractNumId")) == abstract_id)
        formats[num.get(qn("w:numId"))] = abstract.find(f"{W}lvl/{W}numFmt").get(qn("w:val"))
    for p in items:
        num_id = p._p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num_id is not None:
            assert formats[num_id.get(qn("w:val"))] in ("bullet", "decimal")
        assert not p.text.startswith(("•", "-", "–"))


def test_signature_blocks(built, project):
    doc = project.document(DOC_IDS[1], "fi")
    document = open_docx(built, DOC_IDS[1])
    table = document.tables[-1]
    text = [c.text for row in table.rows for c in row.cells]
    # signed electronically (the default): no place-and-date line, the signature carries its time
    assert not any("Paikka ja päivämäärä" in t for t in text)
    for block in P.signature_blocks(doc):
        assert any(block.party in t and block.role in t and "Nimenselvennys" in t for t in text)


# --- fields --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_page_numbers_in_the_header(built, lang):
    document = open_docx(built, DOC_IDS[0], lang)
    header = document.sections[0].header
    assert not header.is_linked_to_previous
    codes = instructions(header._element)
    assert codes == ["PAGE", "NUMPAGES"]
    assert re.search(r"\b1 \(1\)$", header.paragraphs[0].text)  # "3 (24)" once Word counts
    first = header.paragraphs[0].text.split("\t")
    assert first[0] == "KEHA-keskus" if lang == "fi" else "UF-centret"
    assert first[1] == ("Tulossopimus" if lang == "fi" else "Resultatavtal")


def toc_result(document) -> list[str]:
    """The texts of the TOC field's cached result, one per entry."""
    body = document.element.body
    entries, inside = [], False
    for p in body.iter(qn("w:p")):
        codes = instructions(p)
        if any(c.startswith("TOC") for c in codes):
            inside = True
        if inside:
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if text:
                entries.append(text)
            chars = [c.get(qn("w:fldCharType")) for c in p.iter(qn("w:fldChar"))]
            if chars.count("end") > chars.count("begin"):
                break
    return entries


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_toc_field_shows_the_headings_and_updates_in_word(built, project, doc_id):
    document = open_docx(built, doc_id)
    codes = instructions(document.element.body)
    assert 'TOC \\o "1-3" \\h \\z' in codes
    begin = next(c for c in document.element.body.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "begin")
    assert begin.get(qn("w:dirty")) == "true"
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    doc = project.document(doc_id, "fi")
    expected = [e.text for e in P.toc(doc, P.labels_for(doc), max_level=3)]
    assert toc_result(document) == expected
    # What Word lists when it rebuilds the TOC: every paragraph in Heading 1-3.
    assert expected == [t for t, s in heading_paragraphs(document) if s in ("Heading 1", "Heading 2", "Heading 3")]
    # Each entry links to a bookmark on its heading, and PAGEREF asks for its page.
    marks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for h in document.element.body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))]
    toc_anchors = [a for a in anchors if a.startswith("_Toc")]
    assert len(toc_anchors) == len(expected) and set(toc_anchors) <= marks
    assert sum(c.startswith("PAGEREF _Toc") for c in codes) == len(expected)


# --- metadata, language -----------------------------------------------------------

@pytest.mark.parametrize("lang,tag", [("fi", "fi-FI"), ("sv", "sv-FI")])
def test_core_properties(built, project, lang, tag):
    doc = project.document(DOC_IDS[0], lang)
    cp = open_docx(built, DOC_IDS[0], lang).core_properties
    assert cp.title == doc.title
    assert cp.author == doc.organisation
    assert cp.subject == ("Tulossopimus 2026–2029" if lang == "fi" else "Resultatavtal 2026–2029")
    assert cp.language == tag
    when, _origin = clock.for_document(project.metadata[DOC_IDS[0]])   # the document's date, not 1.1.2000
    assert cp.created == when and cp.modified == when


@pytest.mark.parametrize("lang,tag", [("fi", "fi-FI"), ("sv", "sv-FI")])
def test_text_language_for_proofing_and_screen_readers(built, lang, tag):
    document = open_docx(built, DOC_IDS[1], lang)
    styles = document.styles.element
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(qn("w:val")) == tag
    assert {e.get(qn("w:val")) for e in styles.iter(qn("w:lang"))} == {tag}
    runs = list(document.element.body.iter(qn("w:r")))
    langs = {r.find(f"{W}rPr/{W}lang").get(qn("w:val")) for r in runs if r.find(f"{W}t") is not None}
    assert langs == {tag}
    assert document.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == tag


# --- drafts -----------------------------------------------------------------------

def test_draft_mark_only_in_drafts(built, content_copy, tmp_path):
    assert "LUONNOS" not in header_text(open_docx(built, DOC_IDS[0]))
    assert "UTKAST" not in header_text(open_docx(built, DOC_IDS[0], "sv"))
    make_draft(content_copy, DOC_IDS[0])
    project = sopimus.load(content_copy)
    out = tmp_path / "out"
    assert not build(project, "docx", LANGS, out).errors
    fi = header_text(open_docx(out, DOC_IDS[0]))
    assert "LUONNOS" in fi
    assert "UTKAST" in header_text(open_docx(out, DOC_IDS[0], "sv"))
    assert "LUONNOS" not in header_text(open_docx(out, DOC_IDS[1]))  # still final
    # A draft shows the day it was made, where a final document shows its date.
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4}", fi)


# --- reproducibility ----------------------------------------------------------------

def test_two_builds_are_byte_identical(built, project, tmp_path):
    again = tmp_path / "again"
    assert not build(project, "docx", LANGS, again).errors
    for doc_id in DOC_IDS:
        for lang in LANGS:
            assert docx_path(again, doc_id, lang).read_bytes() == docx_path(built, doc_id, lang).read_bytes()


def test_zip_entries_have_fixed_times_and_order(built, project):
    with zipfile.ZipFile(docx_path(built, DOC_IDS[0])) as z:
        infos = z.infolist()
    stamp = list(clock.for_document(project.metadata[DOC_IDS[0]])[0].timetuple()[:6])
    stamp[5] -= stamp[5] % 2   # zip keeps seconds in steps of two
    assert {i.date_time for i in infos} == {tuple(stamp)}
    names = [i.filename for i in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[2:] == sorted(names[2:])


def test_source_date_epoch_sets_the_timestamps(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    data = render(project.document(DOC_IDS[0], "fi"), load_template(project))
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.created == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}


# --- templates ------------------------------------------------------------------------

@pytest.fixture()
def finnish_template_project(content_copy):
    """The content with a theme whose reference.docx has Finnish style ids."""
    theme = content_copy.parent / "themes" / "default"
    (theme / "docx").mkdir(parents=True)
    shutil.copy(BUILTIN_THEMES / "default" / "theme.yaml", theme / "theme.yaml")
    shutil.copy(FINNISH_TEMPLATE, theme / "docx" / "reference.docx")
    return sopimus.load(content_copy)


def test_the_test_template_is_localised():
    document = docx.Document(str(FINNISH_TEMPLATE))
    ids = {s.name: s.style_id for s in document.styles}
    assert ids["Heading 1"] == "Otsikko1" and ids["List Paragraph"] == "Luettelokappale"
    assert "Theme Heading" not in ids  # sopimus's own styles come from the default template


def test_finnish_localised_template(finnish_template_project, tmp_path):
    result = build(finnish_template_project, "docx", ["fi"], tmp_path)
    assert not result.errors
    document = open_docx(tmp_path, DOC_IDS[1])
    doc = finnish_template_project.document(DOC_IDS[1], "fi")
    assert heading_paragraphs(document) == headings(doc)
    by_text = {p.text: p.style for p in document.paragraphs}
    assert by_text["1 Strategiset linjaukset"].style_id == "Otsikko1"
    assert by_text["1.1 KEHA-keskuksen tehtävät"].style_id == "Otsikko2"
    lists = [p.style for p in document.paragraphs if p.style.name == "List Paragraph"]
    assert lists and {s.style_id for s in lists} == {"Luettelokappale"}
    # Styles the agency's template lacks were copied in, based on its own styles.
    theme = document.styles["Theme Heading"]
    assert theme.base_style.style_id == "Normaali"
    assert document.styles["toc 1"].style_id == "TOC1"
    assert toc_result(document) == [e.text for e in P.toc(doc, P.labels_for(doc), max_level=3)]
    assert instructions(document.sections[0].header._element) == ["PAGE", "NUMPAGES"]


def test_dotx_template_works(finnish_template_project, tmp_path):
    template = finnish_template_project.root.parent / "themes" / "default" / "docx" / "reference.docx"
    rewrite_zip(template, {"[Content_Types].xml": lambda b: b.replace(b"document.main+xml", b"template.main+xml")})
    assert not build(finnish_template_project, "docx", ["fi"], tmp_path).errors
    assert docx_path(tmp_path, DOC_IDS[0]).is_file()


def rewrite_zip(path: Path, edits: dict) -> None:
    """Rewrite members of the zip at ``path``: ``{name: bytes -> bytes}``."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            blob = src.read(name)
            dst.writestr(name, edits[name](blob) if name in edits else blob)
    path.write_bytes(out.getvalue())


def make_draft(project_root: Path, doc_id: str) -> None:
    meta = project_root / doc_id / "document.yaml"
    meta.write_text(meta.read_text("utf-8").replace("status: final", "status: draft"), "utf-8")


def test_template_without_header_gets_the_standard_one(finnish_template_project, tmp_path):
    root = finnish_template_project.root
    template = root.parent / "themes" / "default" / "docx" / "reference.docx"
    rewrite_zip(template, {"word/document.xml": lambda b: re.sub(rb"<w:headerReference[^>]*/>", b"", b)})
    assert not docx.Document(str(template)).sections[0].header.paragraphs[0].text  # no header now
    make_draft(root, DOC_IDS[0])
    assert not build(sopimus.load(root), "docx", ["fi"], tmp_path).errors
    document = open_docx(tmp_path, DOC_IDS[0])
    assert instructions(document.sections[0].header._element) == ["PAGE", "NUMPAGES"]
    lines = [p.text for p in document.sections[0].header.paragraphs]
    assert lines[0].startswith("KEHA-keskus\tTulossopimus\t") and lines[1].startswith("LUONNOS\t")


def test_draft_mark_without_a_place_in_the_template(finnish_template_project, tmp_path):
    root = finnish_template_project.root
    template = root.parent / "themes" / "default" / "docx" / "reference.docx"
    rewrite_zip(template, {"word/header1.xml": lambda b: b.replace(b"{draft}", b"")})
    make_draft(root, DOC_IDS[0])
    assert not build(sopimus.load(root), "docx", ["fi"], tmp_path).errors
    first = open_docx(tmp_path, DOC_IDS[0]).sections[0].header.paragraphs[0]
    assert first.text == "LUONNOS" and first.runs[0].style.name == "Draft Mark"
    assert "LUONNOS" not in header_text(open_docx(tmp_path, DOC_IDS[1]))


def test_unusable_template_is_a_finding_not_a_traceback(finnish_template_project, tmp_path):
    template = finnish_template_project.root.parent / "themes" / "default" / "docx" / "reference.docx"
    template.write_bytes(b"not a zip")
    result = build(finnish_template_project, "docx", ["fi"], tmp_path)
    assert [d.code for d in result.errors] == ["docx-template"]
    assert result.errors[0].file == str(template) and "not a Word document" in result.errors[0].message
    assert not (tmp_path / "docx").exists()  # nothing written


def test_unknown_placeholder_in_the_template_header_is_a_finding(finnish_template_project, tmp_path):
    template = finnish_template_project.root.parent / "themes" / "default" / "docx" / "reference.docx"
    rewrite_zip(template, {"word/header1.xml": lambda b: b.replace(b"{organisation}", b"{virasto}")})
    result = build(finnish_template_project, "docx", ["fi"], tmp_path)
    assert [d.code for d in result.errors] == ["docx-template"]
    assert "{virasto}" in result.errors[0].message


def test_unknown_header_placeholder_is_an_error():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    hdr = parse_xml(f'<w:hdr {nsdecls("w")}><w:p><w:r><w:t>{{organ</w:t></w:r>'
                    f'<w:r><w:t>isation}} {{organisaatio}}</w:t></w:r></w:p></w:hdr>')
    with pytest.raises(TemplateError, match="organisaatio"):
        fill(hdr, {"organisation": "KEHA-keskus"}, "header")


def test_placeholder_split_over_runs_is_filled():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    hdr = parse_xml(f'<w:hdr {nsdecls("w")}><w:p><w:r><w:t>{{organ</w:t></w:r>'
                    f'<w:r><w:rPr><w:b/></w:rPr><w:t>isation}} – {{date}}</w:t></w:r></w:p></w:hdr>')
    assert fill(hdr, {"organisation": "KEHA-keskus", "date": "1.2.2026"}, "header") == {"organisation", "date"}
    assert "".join(t.text for t in hdr.iter(qn("w:t"))) == "KEHA-keskus – 1.2.2026"


def test_images_in_the_template_get_alt_text():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    hdr = parse_xml(f'<w:hdr {nsdecls("w", "wp")}><w:p><w:r><w:drawing><wp:inline>'
                    f'<wp:docPr id="1" name="Logo"/></wp:inline></w:drawing></w:r></w:p></w:hdr>')
    describe_images(hdr, "KEHA-keskus")
    assert hdr.find(f".//{{{hdr.nsmap['wp']}}}docPr").get("descr") == "KEHA-keskus"


# --- every node type ----------------------------------------------------------------

def synthetic_document() -> A.Document:
    t = A.Text
    return A.Document(
        id="synthetic", language="fi", title="Testisopimus", organisation="Virasto",
        period=A.Period(2026, 2027), status="final",
        parties=[A.Party(id="m", kind="ministry", name="Ministeriö")],
        signatories=[A.Signatory(party="m", role="kansliapäällikkö", name="Maija Meikäläinen")],
        body=[A.Section(id="a", number="1", level=1, title="Osa", body=[
            A.Paragraph([t("Tavallista "), A.Emphasis([t("kursiivia")]), t(" ja "),
                         A.Strong([A.Emphasis([t("lihavaa")])]), t(" sekä "), A.Literal(text="koodi"),
                         t(", "), A.Link(url="https://example.fi/", content=[t("linkki")]),
                         t(", "), A.GoalRef(target="g1", title="Tavoite yksi")]),
            A.ItemList(ordered=True, items=[
                A.ListItem([A.Paragraph([t("yksi")]), A.Paragraph([t("jatkoa")]),
                            A.ItemList(items=[A.ListItem([A.Paragraph([t("sisempi")])])])]),
                A.ListItem([A.Paragraph([t("kaksi")])])]),
            A.ItemList(ordered=True, items=[A.ListItem([A.Paragraph([t("uusi lista")])])]),
            A.Quote([A.Paragraph([t("lainaus")])]),
            A.Section(id="b", number="1.1", level=2, title="Alaosa", body=[
                A.Section(id="c", number="1.1.1", level=3, title="Syvä", body=[])]),
            A.Theme(id="th", title="Teema", body=[
                A.Goal(id="g1", level=1, title="Tavoite yksi", body=[
                    A.Goal(id="g2", level=2, title="Alatavoite", body=[
                        A.YearTarget(year=2026, body=[A.Paragraph([t("Tehdään.")])])]),
                    A.Indicator(id="i1", name="Mittari A", unit="%", targets=[
                        A.TargetLevel(2026, ">=", __import__("decimal").Decimal("85"))],
                        body=[A.Paragraph([t("Selite.")])]),
                    A.Indicator(id="i2", name="Mittari B", unit="pv")])]),
            A.ImpactGoal(id="v", ministry="VM", text="Talous kestää"),
            A.RatingScale(levels=[A.RatingLevel(3, "hyvä"), A.RatingLevel(2, "kohtalainen"),
                                  A.RatingLevel(1, "heikko")]),
        ]), A.Annex(id="liite", number=1, title="Liite", body=[A.Paragraph([t("Liitteen teksti.")])]),
            A.Signatures()])


def test_every_node_type_renders(project):
    data = render(synthetic_document(), load_template(project))
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    by_text = {p.text: p for p in paragraphs}
    assert by_text["1.1.1 Syvä"].style.name == "Heading 3"
    assert by_text["Liite 1: Liite"].style.name == "Heading 1"
    assert by_text["lainaus"].style.name == "Quote"
    body = document.element.body
    # A link to the web and one to the goal's bookmark.
    links = list(body.iter(qn("w:hyperlink")))
    rel_ids = [h.get(qn("r:id")) for h in links if h.get(qn("r:id"))]
    assert [document.part.rels[r].target_ref for r in rel_ids] == ["https://example.fi/"]
    goal_anchor = next(h.get(qn("w:anchor")) for h in links if "".join(t.text for t in h.iter(qn("w:t"))) == "Tavoite yksi")
    marked = [b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == goal_anchor]
    assert marked and marked[0].getparent() is by_text["Tavoite yksi"]._p
    # Inline formatting: italic, bold italic, the literal style.
    runs = {r.text: r for p in paragraphs for r in p.runs}
    assert runs["kursiivia"].italic and runs["lihavaa"].bold and runs["lihavaa"].italic
    assert runs["koodi"].style.name == "Literal"
    # Ordered lists restart: each has its own numbering instance; nesting goes one level down.
    def num(text):
        pr = by_text[text]._p.find(f"{W}pPr/{W}numPr")
        return None if pr is None else (pr.find(qn("w:numId")).get(qn("w:val")), pr.find(qn("w:ilvl")).get(qn("w:val")))
    assert num("yksi")[1] == "0" and num("sisempi")[1] == "1" and num("jatkoa") is None
    assert num("yksi")[0] != num("uusi lista")[0] and num("yksi")[0] == num("kaksi")[0]
    # Indicators share a table; the description spans the row below its indicator.
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Mittari")
    assert [[c.text for c in r.cells][:3] for r in table.rows][1] == ["Mittari A", "%", "≥\u00a085\u00a0%"]
    assert table.rows[2].cells[0].text == "Selite." and len({c._tc for c in table.rows[2].cells}) == 1
    assert table.rows[3].cells[0].text == "Mittari B"
    assert by_text["VM\tTalous kestää"].style.name == "Impact Goal"
    assert any("Maija Meikäläinen" in c.text for c in document.tables[-1]._cells)


def test_unknown_node_type_is_an_error(project):
    class Strange(A.Node):
        TYPE = "strange"
    doc = synthetic_document()
    doc.body.append(Strange())
    with pytest.raises(Unrenderable, match="DOCX.*strange"):
        render(doc, load_template(project))


# --- LibreOffice ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def libreoffice_pdfs(built, tmp_path_factory) -> Path:
    """Every DOCX converted to PDF by LibreOffice, with a profile of its own."""
    soffice = require_tool("soffice")
    out = tmp_path_factory.mktemp("lo")
    profile = out / "profile"
    for lang in LANGS:
        files = [str(docx_path(built, d, lang)) for d in DOC_IDS]
        result = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                                 "--convert-to", "pdf", "--outdir", str(out / lang), *files],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    return out


def pdf_text(path: Path) -> str:
    require_tool("pdftotext")
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def page_count(path: Path) -> int:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_libreoffice_renders_every_heading(libreoffice_pdfs, project, doc_id, lang):
    path = libreoffice_pdfs / lang / f"{doc_id}.pdf"
    assert path.is_file()
    text = letters(pdf_text(path))
    missing = [h for h, _ in headings(project.document(doc_id, lang)) if letters(h) not in text]
    assert not missing


def letters(text: str) -> str:
    """``text`` without spaces and hyphens: pdftotext joins "SDG-" at a line end
    and "förordningen" on the next into "SDGförordningen"."""
    return re.sub(r"[\s\-\u00ad]", "", text)


@pytest.fixture(scope="module")
def reportlab_pdfs(project, tmp_path_factory) -> Path:
    if "pdf" not in builders.REGISTRY:
        pytest.skip("the PDF builder does not exist yet")
    out = tmp_path_factory.mktemp("pdf")
    assert not build(project, "pdf", LANGS, out).errors
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_page_count_close_to_the_pdf(libreoffice_pdfs, reportlab_pdfs, doc_id, lang):
    word = page_count(libreoffice_pdfs / lang / f"{doc_id}.pdf")
    pdf = page_count(reportlab_pdfs / "pdf" / lang / f"{doc_id}.pdf")
    assert abs(word - pdf) <= pdf / 5, (word, pdf)


@pytest.mark.parametrize("text, children", [
    ("", []),
    ("Tavoite 85 %", [("t", "Tavoite 85 %")]),
    (" alkaa välillä", [("t", " alkaa välillä")]),
    ("a\tb\nc", [("t", "a"), ("tab", None), ("t", "b"), ("br", None), ("t", "c")]),
])
def test_text_runs_write_tabs_and_line_breaks_as_word_does(text, children):
    from sopimus.docxkit.xml import text_runs
    [run] = text_runs(text, lambda: None)
    got = [(child.tag.rsplit("}", 1)[1], child.text) for child in run]
    assert got == children
    spaced = [t for t in run if t.tag.endswith("}t") and t.text != t.text.strip()]
    assert all(t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve" for t in spaced)
