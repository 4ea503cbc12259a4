"""The PDF builder, checked as a reader and a signer see the file:
pdftotext/pdffonts (poppler), pikepdf, pikepdf's PDF/A validator and pyHanko."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from html import unescape as html_unescape
from pathlib import Path
from typing import Callable

import pikepdf
import pytest
from conftest import require_tool

import sopimus
from sopimus import ast as A
from sopimus import present
from sopimus.builders.pdf.render import render
from sopimus.pdfkit.styles import PdfStyle
from sopimus.pipeline import build
from sopimus.theme import load_theme
from sopimus.walk import Unrenderable

DOC_IDS = ["keha-yleishallinto-2026-2029", "keha-tem-substanssi-2026-2029"]
LANGS = ["fi", "sv"]


@pytest.fixture(scope="module")
def built(built_once) -> Path:
    return built_once("pdf", tuple(LANGS))


def pdf_path(root: Path, doc_id: str, lang: str = "fi") -> Path:
    return root / "pdf" / lang / f"{doc_id}.pdf"


def page_texts(path: Path, *options: str) -> list[str]:
    """The text of every page, one pdftotext call per page (as a reader checks them)."""
    require_tool("pdftotext")
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    return [subprocess.run(["pdftotext", *options, "-f", str(i), "-l", str(i), str(path), "-"],
                           check=True, capture_output=True, text=True).stdout
            for i in range(1, count + 1)]


def all_text(path: Path) -> str:
    require_tool("pdftotext")
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- text, fonts, pages -------------------------------------------------------

@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_finnish_text_is_extracted_correctly(built, doc_id):
    text = squash(all_text(pdf_path(built, doc_id)))
    assert "2026–2029" in text                         # en dash, not a hyphen
    assert "Työ- ja elinkeinoministeriö" in text
    assert "Sisällys" in text and "Tulossopimus" in text
    assert "Tavoite 2026" in text
    assert "1 Strategiset linjaukset" in text           # numbering from structure


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_swedish_text_and_labels(built, doc_id):
    text = squash(all_text(pdf_path(built, doc_id, "sv")))
    assert "Arbets- och näringsministeriet" in text
    assert "Innehåll" in text and "Resultatavtal" in text
    assert "förvaltningsområde" in text                 # å
    assert "Mål 2026" in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_font_is_embedded(built, doc_id, lang):
    require_tool("pdffonts")
    out = subprocess.run(["pdffonts", str(pdf_path(built, doc_id, lang))], check=True,
                         capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # name type encoding emb sub uni object generation
        emb = row.split()[-5]
        assert emb == "yes", row


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_page_has_its_page_mark(built, doc_id, lang):
    pages = page_texts(pdf_path(built, doc_id, lang))
    total = len(pages)
    assert total > 5
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"(?<!\d){number} \({total}\)", text), f"page {number}: no '{number} ({total})'"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_header_and_cover(built, project, doc_id):
    doc = project.document(doc_id, "fi") if hasattr(project, "document") else None
    pages = page_texts(pdf_path(built, doc_id))
    first = squash(pages[0])
    for text in pages:
        assert "KEHA-keskus" in text and "Tulossopimus" in text   # organisation, document type
    assert "Osapuolet" in first and "Sopimuskausi" in first and "2026–2029" in first
    assert "Sitovat tavoitteet vuodelle" in first
    if doc is not None:
        assert squash(doc.title) in first


def _title_and_page(pages: list[str], heading: str) -> int | None:
    """The first page (from 3, after the contents) whose text holds the heading."""
    for number, text in enumerate(pages, start=1):
        if number > 2 and squash(heading) in squash(text):
            return number
    return None


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_contents_page_numbers_and_bookmarks(built, project, doc_id):
    doc = project.localised(doc_id, "fi").document
    _ = present.labels_for(doc).gettext
    path = pdf_path(built, doc_id)
    pages = page_texts(path)
    contents = squash(page_texts(path, "-layout")[1])   # entry and page number on one line
    entries = present.toc(doc, _)
    assert entries
    for entry in entries:
        page = _title_and_page(pages, entry.text)
        assert page is not None, entry.text
        assert f"{squash(entry.text)} {page}" in contents, (entry.text, page)
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        titles = []

        def walk(items):
            for item in items:
                titles.append(item.title)
                walk(item.children)
        walk(outline.root)
        headings = [n for n in doc.walk() if isinstance(n, (A.Section, A.Annex, A.Theme, A.Goal))]
        expected = [present.heading_text(n, _) if isinstance(n, (A.Section, A.Annex)) else n.title
                    for n in headings]
        assert titles == expected


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_no_heading_is_left_alone_at_a_page_bottom(built, project, doc_id):
    doc = project.localised(doc_id, "fi").document
    _ = present.labels_for(doc).gettext
    headings = [squash(present.heading_text(n, _) if isinstance(n, (A.Section, A.Annex)) else n.title)
                for n in doc.walk() if isinstance(n, (A.Section, A.Annex, A.Theme, A.Goal))]
    headings += [_("Target {year}", year=y) for y in doc.period.years]
    words = _words(pdf_path(built, doc_id))
    for number in sorted({w[0] for w in words}):
        on_page = [w for w in words if w[0] == number]
        bottom = max(w[4] for w in on_page)
        last_line = " ".join(w[3] for w in sorted((w for w in on_page if bottom - w[4] < 2), key=lambda w: w[1]))
        assert not any(h.endswith(last_line) for h in headings), f"page {number} ends with a heading: {last_line!r}"


# --- tables -----------------------------------------------------------------------

def _words(path: Path) -> list[tuple[int, float, float, str, float]]:
    """(page, xMin, xMax, word, yMax) of every word, from pdftotext -bbox."""
    require_tool("pdftotext")
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            out.append((page, float(m.group(1)), float(m.group(2)), html_unescape(m.group(4)),
                        float(m.group(3))))
    return out


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_indicator_tables_show_finnish_levels_and_fit_the_page(built, project, doc_id):
    doc = project.localised(doc_id, "fi").document
    path = pdf_path(built, doc_id)
    text = squash(all_text(path))
    indicators = [n for n in doc.walk() if isinstance(n, A.Indicator)]
    assert indicators
    _ = present.labels_for(doc).gettext
    for ind in indicators:
        row = present.indicator_table(ind, doc, _).row
        for cell in row[2:]:
            if cell:
                assert squash(cell.replace("\u00a0", " ")) in text.replace("\u00a0", " ")
    style = PdfStyle(load_theme(project))
    right_edge = style.page.width - style.page.right + 0.5
    for page, x0, x1, word, _y in _words(path):
        assert x0 >= style.page.left - 0.5 and x1 <= right_edge, (page, word, x0, x1)


def test_a_long_table_repeats_its_header_on_every_page(project):
    base = project.localised(DOC_IDS[0], "fi").document
    indicators = [A.Indicator(id=f"i{n}", name=f"Mittari numero {n} jonka nimi on pitkä ja rivittyy "
                              "kahdelle riville taulukon solussa", unit="pv",
                              targets=[A.TargetLevel(2026, "<", __import__("decimal").Decimal("30.0"))])
                  for n in range(120)]
    doc = A.Document(id="long", language="fi", title="Pitkä taulukko", organisation="KEHA-keskus",
                     period=base.period, parties=base.parties, signatories=[],
                     body=[A.Section(id="s", number="1", level=1, title="Mittarit", body=indicators)])
    data = render(doc, PdfStyle(load_theme(project)))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 5
    path = Path(__import__("tempfile").mkdtemp()) / "long.pdf"
    path.write_bytes(data)
    pages = page_texts(path)[2:]                   # after the cover and the contents
    assert len(pages) >= 3
    for text in map(squash, pages):
        assert "Mittari" in text and "Mittayksikkö" in text and "Tavoite 2029" in text
        assert "< 30,0" in text


def test_rating_scale_and_impact_goals(built):
    text = squash(all_text(pdf_path(built, DOC_IDS[1])))
    for word in ("VIHREÄ", "KELTAINEN", "PUNAINEN"):
        assert word in text
    assert "3 VIHREÄ tavoite on saavutettu tai ylitetty" in text
    text = squash(all_text(pdf_path(built, DOC_IDS[0])))
    assert re.search(r"OKM Koko väestön koulutus- ja osaamistaso nousee", text)


def test_an_unknown_node_type_is_an_error(project):
    class Mystery(A.Node):
        TYPE = "mystery"

    base = project.localised(DOC_IDS[0], "fi").document
    doc = A.Document(id="x", language="fi", title="T", organisation="O", period=base.period,
                     body=[Mystery(source=A.Source("x.rst", 7))])
    with pytest.raises(Unrenderable, match=r"x.rst:7.*PDF.*mystery"):
        render(doc, PdfStyle(load_theme(project)))


def test_every_block_node_type_has_a_rendering(built, project):
    """Every block type of the AST occurs in the real content and renders there."""
    seen = {type(n) for doc_id in DOC_IDS for n in project.localised(doc_id, "fi").document.walk()}
    blocks = {A.Paragraph, A.ItemList, A.ListItem, A.Quote, A.Section, A.Theme, A.Goal, A.YearTarget,
              A.Indicator, A.ImpactGoal, A.Annex, A.RatingScale, A.Signatures, A.Text, A.Link}
    assert blocks <= seen


# --- PDF/A-2b -----------------------------------------------------------------------

def strip_pdfua_schema(xmp: str) -> str:
    """The XMP as sopimus writes it, without the PDF/UA identifier and its extension schema."""
    stripped = re.sub(r'<rdf:Description[^>]*(pdfuaid|pdfaExtension)=[^>]*>.*?</rdf:Description>', "",
                      xmp, flags=re.S)
    assert "pdfuaid" in xmp and "pdfuaid" not in stripped and "pdfaid:part" in stripped
    return stripped


def without_form(path: Path, strip_xmp: Callable[[str], str] = strip_pdfua_schema) -> io.BytesIO:
    """The file as pikepdf's validator can judge it.

    Two things it does not cover are taken out and checked separately in
    test_pdfa_structure: interactive forms (the signature fields), and XMP
    extension schemas (ISO 19005-2 6.6.2.3.2), which the PDF/UA identifier
    needs because pdfuaid is not a schema PDF/A predefines (``strip_xmp``
    takes them out of the XMP as the file's writer wrote it).
    """
    with pikepdf.open(path) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        pdf.Root.Metadata.write(strip_xmp(xmp).encode("utf-8"))
        del pdf.Root.AcroForm
        for page in pdf.pages:
            if "/Annots" in page.obj:
                page.obj.Annots = pikepdf.Array([a for a in page.obj.Annots if a.get("/Subtype") != "/Widget"])
        out = io.BytesIO()
        pdf.save(out)
    out.seek(0)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_pdfa_2b_validator(built, doc_id, lang):
    check_pdfa_2b_validator(pdf_path(built, doc_id, lang))


def check_pdfa_2b_validator(path: Path) -> None:
    """pikepdf.pdfa: an allowlist validator built on veraPDF's PDF/A-2b rules."""
    pdfa = pytest.importorskip("pikepdf.pdfa")
    report = pdfa.validate_written(without_form(path), "2b")
    assert report.passed, "\n".join(str(f) for f in report.findings)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_pdfa_structure(built, doc_id, lang):
    check_pdfa_structure(pdf_path(built, doc_id, lang), lang)


def check_pdfa_structure(path: Path, lang: str) -> None:
    """The PDF/A-2b requirements checked directly, including the form the validator skips."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        xmp = bytes(root.Metadata.read_bytes()).decode("utf-8")
        assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        # the PDF/UA identifier, with the extension schema PDF/A requires for it
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in xmp
        assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
        assert "<pdfaProperty:name>part</pdfaProperty:name>" in xmp
        assert "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>" in xmp
        __import__("xml.dom.minidom").dom.minidom.parseString(xmp.encode("utf-8"))   # well-formed
        meta = pdf.open_metadata()
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert str(pdf.docinfo.Author) in xmp
        assert str(root.Lang) == f"{lang}-FI"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        (intent,) = root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"      # an ICC profile
        assert len(pdf.trailer.ID) == 2
        fonts = 0
        for obj in pdf.objects:
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            assert "/JS" not in obj and "/JavaScript" not in obj
            assert obj.get("/S") != "/Transparency", "transparency group"
            assert "/SMask" not in obj or obj.SMask == "/None"
            if obj.get("/Type") == "/FontDescriptor":
                fonts += 1
                assert "/FontFile2" in obj
        assert fonts >= 2
        for page in pdf.pages:
            assert "/Trans" not in page.obj and "/AA" not in page.obj
            for annot in page.obj.get("/Annots", []):
                assert int(annot.F) & 4 and not int(annot.F) & (1 | 2 | 32)   # printed, never hidden
                if annot.Subtype == "/Widget":
                    assert list(annot.AP.keys()) == ["/N"]
        assert "/NeedAppearances" not in root.AcroForm


# --- signature fields -------------------------------------------------------------------

def _fields(path: Path) -> dict[str, pikepdf.Dictionary]:
    with pikepdf.open(path) as pdf:
        return {str(f.T): (f.FT, [float(v) for v in f.Rect], int(pdf.Root.AcroForm.SigFlags))
                for f in pdf.Root.AcroForm.Fields}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_one_empty_signature_field_per_signatory(built, project, doc_id):
    check_signature_fields(pdf_path(built, doc_id), project.localised(doc_id, "fi").document)


def check_signature_fields(path: Path, doc: A.Document) -> None:
    """One empty /Sig field per signatory of ``doc`` (Finnish), on its signature line."""
    fields = _fields(path)
    expected = [b.field_name for b in present.signature_blocks(doc)]
    assert sorted(fields) == sorted(expected) and len(expected) == len(doc.signatories)
    for ft, rect, sig_flags in fields.values():
        assert ft == "/Sig" and sig_flags == 1
        assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 30      # room to sign in
    # each field sits on the signature line: right above a "Nimenselvennys" caption, in its column
    words = _words(path)
    last_page = max(w[0] for w in words)
    with pikepdf.open(path) as pdf:
        height = float(pdf.pages[-1].mediabox[3])
    captions = [w for w in words if w[0] == last_page and w[3] == "Nimenselvennys"]
    assert len(captions) == len(fields)
    for _ft, (x0, y0, x1, y1), _flags in fields.values():
        below = [c for c in captions if x0 - 1 <= c[1] <= x1 and 0 <= y0 - (height - (c[4] - 8)) <= 20]
        assert len(below) == 1, (x0, y0, captions)


def _make_pki(tmp: Path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.COUNTRY_NAME, "FI")])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Test CA")).issuer_name(name("Test CA"))
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now)
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    signers = []
    for serial, cn in enumerate(["Kansliapäällikkö Testi", "Johtaja Testi"], start=2):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(ca.subject)
                .public_key(key.public_key()).serial_number(serial).not_valid_before(now)
                .not_valid_after(now + dt.timedelta(days=3650))
                .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                               critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        key_path, cert_path = tmp / f"{serial}.key.pem", tmp / f"{serial}.cert.pem"
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        signers.append((key_path, cert_path))
    ca_path = tmp / "ca.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return ca_path, signers


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_field_signs_in_place_and_every_signature_stays_valid(built, project, doc_id, tmp_path):
    pytest.importorskip("pyhanko")
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    doc = project.localised(doc_id, "fi").document
    blocks = present.signature_blocks(doc)
    ca_path, keys = _make_pki(tmp_path)
    data = pdf_path(built, doc_id).read_bytes()
    before = _fields(pdf_path(built, doc_id))
    for block, (key_path, cert_path) in zip(blocks, keys * len(blocks)):
        signer = signers.SimpleSigner.load(str(key_path), str(cert_path), ca_chain_files=(str(ca_path),))
        out = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)),
                         signers.PdfSignatureMetadata(field_name=block.field_name), signer=signer, output=out)
        data = out.getvalue()
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(data)
    # signing filled the existing fields; it added none and moved none
    assert {k: v[:2] for k, v in _fields(signed).items()} == {k: v[:2] for k, v in before.items()}

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ca_path))], allow_fetching=False,
                                revocation_mode="soft-fail")
    reader = PdfFileReader(io.BytesIO(data))
    sigs = reader.embedded_signatures
    assert [s.field_name for s in sigs] == [b.field_name for b in blocks]
    for index, sig in enumerate(sigs):
        status = validate_pdf_signature(sig, context)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        # the last signature covers the whole file, each earlier one its own revision
        last = index == len(sigs) - 1
        assert status.coverage == (SignatureCoverageLevel.ENTIRE_FILE if last
                                   else SignatureCoverageLevel.ENTIRE_REVISION)
        # later revisions only filled signature fields: the earlier signature still holds
        assert status.docmdp_ok is not False
        assert status.bottom_line, status.pretty_print_details()


# --- reproducible -------------------------------------------------------------------------

def _build_one(project, out: Path, monkeypatch, epoch: str | None) -> bytes:
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = build(project, "pdf", ["fi"], out)
    assert not result.errors
    return pdf_path(out, DOC_IDS[0]).read_bytes()


def test_same_sources_give_the_same_bytes(project, tmp_path, monkeypatch):
    first = _build_one(project, tmp_path / "a", monkeypatch, None)
    second = _build_one(project, tmp_path / "b", monkeypatch, None)
    assert first == second
    epoch_a = _build_one(project, tmp_path / "c", monkeypatch, "1767225600")   # 2026-01-01
    epoch_b = _build_one(project, tmp_path / "d", monkeypatch, "1767225600")
    other = _build_one(project, tmp_path / "e", monkeypatch, "1770000000")
    assert epoch_a == epoch_b
    assert epoch_a != other != first
    with pikepdf.open(io.BytesIO(epoch_a)) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20260101")


# --- draft or final --------------------------------------------------------------------------

def test_a_draft_is_marked_on_every_page_and_a_final_nowhere(content_copy, tmp_path, monkeypatch, built):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    meta = content_copy / DOC_IDS[1] / "document.yaml"
    meta.write_text(meta.read_text("utf-8").replace("status: final", "status: draft"), "utf-8")
    project = sopimus.load(content_copy)
    result = build(project, "pdf", ["fi", "sv"], tmp_path / "out")
    assert not result.errors
    for lang, word in (("fi", "LUONNOS"), ("sv", "UTKAST")):
        pages = page_texts(pdf_path(tmp_path / "out", DOC_IDS[1], lang))
        for number, text in enumerate(pages, start=1):
            # the mark, and the day the draft was built where a final document shows its date (as in the DOCX)
            assert word in text and "1.1.2026" in text, f"{lang} page {number} has no draft mark and date"
    for lang, word in (("fi", "LUONNOS"), ("sv", "UTKAST")):
        for doc_id in DOC_IDS:
            assert word not in all_text(pdf_path(built, doc_id, lang))


def test_every_inline_node_type_renders(project, tmp_path):
    """Emphasis, strong, literal, links and goal references, in one synthetic document."""
    base = project.localised(DOC_IDS[0], "fi").document
    goal = A.Goal(id="tavoite-a", level=1, title="Tavoite A", body=[
        A.YearTarget(year=2026, body=[A.Paragraph(content=[A.Text(text="Vuoden teksti.")])])])
    para = A.Paragraph(content=[
        A.Text(text="Alku "), A.Emphasis(content=[A.Text(text="korostus")]), A.Text(text=" "),
        A.Strong(content=[A.Text(text="vahva")]), A.Text(text=" "), A.Literal(text="koodi<&>"),
        A.Text(text=" "), A.Link(url="https://example.fi/a?b=1&c=2", content=[A.Text(text="linkki")]),
        A.Text(text=" ja "), A.GoalRef(target="tavoite-a", title="Tavoite A"), A.Text(text=".")])
    doc = A.Document(id="inline", language="fi", title="Inline", organisation="KEHA-keskus",
                     period=base.period, parties=base.parties, signatories=base.signatories,
                     body=[A.Section(id="s", number="1", level=1, title="Osio", body=[
                         A.Theme(id="t", title="Teema", body=[goal]), para, A.Signatures()])])
    path = tmp_path / "inline.pdf"
    path.write_bytes(render(doc, PdfStyle(load_theme(project))))
    text = squash(all_text(path))
    # in print a link shows its address too
    assert "Alku korostus vahva koodi<&> linkki (https://example.fi/a?b=1&c=2) ja Tavoite A." in text
    with pikepdf.open(path) as pdf:
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        uris = [str(a.A.URI) for a in links if "/A" in a]
        assert uris == ["https://example.fi/a?b=1&c=2"]
        # the goal reference leads to the goal's heading, and says so (/Contents)
        (goal_link,) = [a for a in links if "/Dest" in a and str(a.Contents) == "Tavoite A"]
        target_page = [i for i, p in enumerate(pdf.pages) if p.obj.objgen == goal_link.Dest[0].objgen][0]
        assert "Tavoite A" in page_texts(path)[target_page]
        assert len(pdf.Root.AcroForm.Fields) == len(base.signatories)
