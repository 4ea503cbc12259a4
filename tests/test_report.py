"""Follow-up reports as their readers get them: the PDF through pdftotext and
as pixels, the DOCX through python-docx, the HTML parsed, the JSON loaded."""
from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

import sopimus
from sopimus.pipeline import build
from sopimus.builders.base import BuildOptions

from conftest import require_tool

YLEIS = "keha-yleishallinto-2026-2029"
TEM = "keha-tem-substanssi-2026-2029"
DOCS = (YLEIS, TEM)
FORMATS = ("pdf", "docx", "html", "json")
WORDS = {"fi": {"green": "VIHREÄ", "yellow": "KELTAINEN", "red": "PUNAINEN", "unrated": "EI ARVIOTA"},
         "sv": {"green": "GRÖN", "yellow": "GUL", "red": "RÖD", "unrated": "EJ BEDÖMD"}}
EXAMPLE = {"fi": "ESIMERKKIAINEISTO", "sv": "EXEMPELDATA"}
# The theme's rating colours (src/sopimus/themes/default/theme.yaml).
RGB = {"green": (0x1E, 0x7B, 0x34), "yellow": (0xF2, 0xC2, 0x00), "red": (0xC0, 0x26, 0x2D)}


@pytest.fixture(scope="module")
def built(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = build(project, "report", None, out)
    assert not result.errors, [d.format() for d in result.errors]
    return out / "report"


def path(built: Path, lang: str, doc_id: str, ext: str) -> Path:
    return built / lang / f"{doc_id}-2026-H1.{ext}"


def report_json(built: Path, lang: str, doc_id: str) -> dict:
    return json.loads(path(built, lang, doc_id, "json").read_text("utf-8"))


def pdf_text(file: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-layout", str(file), "-"], check=True, capture_output=True, text=True).stdout


def test_every_format_in_both_languages(built):
    for lang in ("fi", "sv"):
        for doc_id in DOCS:
            for ext in FORMATS:
                assert path(built, lang, doc_id, ext).stat().st_size > 0


# --- JSON -------------------------------------------------------------------------------------

def test_json_shape_and_decimal_strings(built):
    data = report_json(built, "fi", TEM)
    assert (data["document"], data["period"], data["example"]) == (TEM, "2026-H1", True)
    assert set(data["summary"]) == {"green", "yellow", "red", "unrated"}
    assert sum(data["summary"].values()) == len(data["ratings"])
    for r in data["ratings"]:
        assert {"id", "kind", "target", "outcome", "rating", "colour", "basis", "reason"} <= set(r)
        assert r["kind"] in ("goal", "indicator") and r["basis"] in ("computed", "manual")
        assert r["rating"] in (1, 2, 3, None) and r["reason"]
        assert r["colour"] == {3: "green", 2: "yellow", 1: "red", None: None}[r["rating"]]
        assert r["outcome"] is None or isinstance(r["outcome"], str)
        assert r["target"] is None or isinstance(r["target"]["value"], str)
    by_id = {r["id"]: r for r in data["ratings"]}
    lausunnot = by_id["tyovoimapoliittiset-lausunnot-kasittelyaika"]
    assert lausunnot["target"] == {"op": "<", "value": "30.0"} and lausunnot["outcome"] == "27.5"
    assert (lausunnot["rating"], lausunnot["basis"]) == (3, "computed")
    override = by_id["valitusvastineet-kasittelyaika"]
    assert (override["rating"], override["basis"], override["computed"]) == (2, "manual", 1)
    assert "28 päivään" in override["reason"]


def test_json_reasons_and_titles_are_in_the_report_language(built):
    fi, sv = report_json(built, "fi", YLEIS), report_json(built, "sv", YLEIS)
    assert [r["id"] for r in fi["ratings"]] == [r["id"] for r in sv["ratings"]]
    fi_by, sv_by = ({r["id"]: r for r in d["ratings"]} for d in (fi, sv))
    assert "Riksarkivet" in sv_by["asianhallinta"]["reason"]
    assert sv_by["yhteistyorakenteet"]["title"] != fi_by["yhteistyorakenteet"]["title"]
    assert sv_by["kokonaisindeksi"]["reason"] == "Inget utfall rapporterat för januari–juni 2026."


# --- PDF --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_pdf_text_has_the_words_of_every_colour(built, lang):
    for doc_id in DOCS:
        text = pdf_text(path(built, lang, doc_id, "pdf"))
        summary = report_json(built, lang, doc_id)["summary"]
        for colour, word in WORDS[lang].items():
            assert word in text, (doc_id, word)
            # the chart labels each bar with its word and count
            assert any(line.split()[-2:] == [word.split()[-1], str(summary[colour])]
                       for line in text.splitlines() if line.strip()), (doc_id, word)
        assert EXAMPLE[lang] in text
        pages = text.count("\f")
        assert f"1 ({pages})" in text and f"{pages} ({pages})" in text


def test_pdf_sv_uses_the_translated_goals_and_reasons(built):
    text = " ".join(pdf_text(path(built, "sv", YLEIS, "pdf")).split())
    assert "Vi stöder förnyelsen av regionförvaltningen" in text
    assert "Tuemme aluehallinnon uudistumista" not in text
    assert "Gallringsbeslut har sökts hos Riksarkivet" in text
    assert "Uppföljningsrapport" in text and "Avvikelser" in text


def test_pdf_lists_every_deviation_with_its_reason(built):
    text = " ".join(pdf_text(path(built, "fi", TEM, "pdf")).split())
    deviations = text[text.rindex("Poikkeamat"):]
    for r in report_json(built, "fi", TEM)["ratings"]:
        if r["rating"] in (1, 2):
            assert r["title"][:40] in deviations
    assert "Toteuma 11,8 ei saavuta tavoitetasoa < 11: ero 0,8 on keltaisen rajan 1 sisällä." in deviations
    assert "Tilastojärjestelmän hankinta keskeytettiin valituksen vuoksi" in deviations


def test_pdf_is_archival_with_language_and_title(built):
    import pikepdf
    with pikepdf.open(path(built, "sv", YLEIS, "pdf")) as pdf:
        assert str(pdf.Root.Lang) == "sv-FI"
        assert "/OutputIntents" in pdf.Root
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert str(pdf.docinfo["/Title"]).startswith("Uppföljningsrapport")
        assert "/Outlines" in pdf.Root  # bookmarks for the headings


def _colour_pixels(image, rgb, tolerance=12) -> int:
    r0, g0, b0 = rgb
    return sum(1 for r, g, b in _pixels(image)
               if abs(r - r0) <= tolerance and abs(g - g0) <= tolerance and abs(b - b0) <= tolerance)


def _pixels(image):
    data = image.convert("RGB").tobytes()
    return zip(data[0::3], data[1::3], data[2::3])


def _filled_rects(page) -> list[tuple[tuple[float, ...], float, float]]:
    """(fill colour, width, height) of every rectangle a page's content fills."""
    import pikepdf
    out, colour, pending = [], None, []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "rg":
            colour = tuple(round(float(v) * 255) for v in operands)
        elif op == "re":
            pending.append((float(operands[2]), float(operands[3])))
        elif op in ("f", "f*", "B", "b"):
            out.extend((colour, w, h) for w, h in pending)
            pending = []
        elif op in ("n", "S"):
            pending = []
    return out


def test_pdf_shows_the_chart_and_the_colours(built, tmp_path):
    import pikepdf
    from PIL import Image
    file = path(built, "fi", TEM, "pdf")
    summary = report_json(built, "fi", TEM)["summary"]
    tool = require_tool("pdftoppm")
    subprocess.run([tool, "-png", "-r", "40", "-f", "1", "-l", "1", str(file), str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png")))
    assert all(_colour_pixels(page, rgb) > 0 for rgb in RGB.values())
    # the chart: one bar per colour, as long as its count
    with pikepdf.open(file) as pdf:
        bars = {colour: w for colour, w, h in _filled_rects(pdf.pages[0]) if h == 15}
    lengths = {name: bars[rgb] for name, rgb in RGB.items()}
    unit = lengths["green"] / summary["green"]
    for name in RGB:
        assert abs(lengths[name] - unit * summary[name]) < 0.01, (name, lengths, summary)


def _pdfa_view(file: Path) -> io.BytesIO:
    """The PDF without the PDF/UA identifier, which pikepdf's PDF/A allowlist does not know
    (ISO 19005-2 permits it through the XMP extension schema the file carries)."""
    import pikepdf
    import re
    with pikepdf.open(file) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        pdf.Root.Metadata.write(re.sub(r'<rdf:Description[^>]*(pdfuaid|pdfaExtension)=[^>]*>.*?</rdf:Description>',
                                       "", xmp, flags=re.S).encode("utf-8"))
        out = io.BytesIO()
        pdf.save(out)
    out.seek(0)
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_pdf_passes_the_pdfa_2b_and_pdfua_checkers(built, lang):
    pdfa = pytest.importorskip("pikepdf.pdfa")
    pdfua = pytest.importorskip("pdfua")
    for doc_id in DOCS:
        report = pdfa.validate_written(_pdfa_view(path(built, lang, doc_id, "pdf")), "2b")
        assert report.passed, "\n".join(str(f) for f in report.findings)
        checked = pdfua.validate(str(path(built, lang, doc_id, "pdf")))
        assert not checked.findings and checked.exit_code == 0, [f.message for f in checked.findings]


def test_pdf_is_tagged_in_reading_order(built):
    import pikepdf
    import re
    from test_pdf_tagged import page_marks, structure
    require_tool("pdfinfo")
    file = path(built, "fi", YLEIS, "pdf")
    info = subprocess.run(["pdfinfo", str(file)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    with pikepdf.open(file) as pdf:
        texts, content = {}, set()
        for index, page in enumerate(pdf.pages):
            shows, page_texts = page_marks(page)
            for op, stack, shown in shows:  # every text is tagged content or page furniture
                assert stack and (stack[0][0] == "/Artifact" or any(m is not None for _t, m in stack)), shown
            content |= {(index, mcid) for mcid in page_texts}
            texts.update({(index, mcid): "".join(parts) for mcid, parts in page_texts.items()})
        elements = list(structure(pdf))
        assert {m for _e, marks in elements for m in marks} == content
        headings = [(str(e.S), " ".join(" ".join(texts[m] for m in marks).split())) for e, marks in elements
                    if re.fullmatch(r"/H[1-6]", str(e.S))]
        figures = [e for e, _m in elements if str(e.S) == "/Figure"]
    assert headings[:5] == [("/H1", "Seurantaraportti"), ("/H2", "Yhteenveto"), ("/H3", "Arviointiperusteet"),
                            ("/H2", "Tavoitekohtaiset arviot"), ("/H3", "Tuemme aluehallinnon uudistumista")]
    assert headings[-1] == ("/H2", "Poikkeamat")
    summary = report_json(built, "fi", YLEIS)["summary"]
    assert len(figures) == 1 and f"VIHREÄ {summary['green']}" in str(figures[0].Alt)


# --- DOCX -------------------------------------------------------------------------------------

def _docx(built, lang, doc_id):
    import docx
    return docx.Document(str(path(built, lang, doc_id, "docx")))


def _fill(cell) -> str | None:
    from docx.oxml.ns import qn
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else None


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_docx_rating_cells_have_colour_and_word(built, lang):
    document = _docx(built, lang, YLEIS)
    words = {w: c for c, w in WORDS[lang].items()}
    seen = {c: 0 for c in WORDS[lang]}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                first = cell.paragraphs[0].text if cell.paragraphs else ""
                if first in words:
                    colour = words[first]
                    seen[colour] += 1
                    if colour in RGB:
                        assert _fill(cell) == "%02X%02X%02X" % RGB[colour]
    summary = report_json(built, lang, YLEIS)["summary"]
    for colour in ("yellow", "red"):  # in the targets' tables and again in the deviations
        assert seen[colour] == 2 * summary[colour]
    assert seen["green"] == summary["green"] and seen["unrated"] == summary["unrated"]


def test_docx_structure_header_and_metadata(built):
    document = _docx(built, "fi", TEM)
    headings = [p.text for p in document.paragraphs if p.style.name.lower().startswith("heading")]
    assert headings[:4] == ["Yhteenveto", "Arviointiperusteet", "Tavoitekohtaiset arviot",
                            "KEHA-keskuksen yhteistyö keskeisten kumppaneiden ja sidosryhmien kanssa on "
                            "vaikuttavaa, tuloksellista ja resurssiviisasta."]
    assert headings[-1] == "Poikkeamat"
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "Seurantaraportti 2026-H1" in header and "ESIMERKKIAINEISTO" in header
    props = document.core_properties
    assert props.language == "fi-FI" and props.title.startswith("Seurantaraportti")
    assert "ESIMERKKIAINEISTO" in document.tables[1].cell(0, 0).text  # the notice box
    table_header = document.tables[2].rows[0].cells
    assert [c.text for c in table_header] == ["Tavoite tai mittari", "Tavoitetaso 2026", "Toteuma", "Arvio"]


def test_docx_chart_is_a_picture_with_alt_text_and_the_colours(built):
    from docx.oxml.ns import qn
    from PIL import Image
    document = _docx(built, "sv", TEM)
    assert len(document.inline_shapes) == 1
    doc_pr = document.inline_shapes[0]._inline.find(qn("wp:docPr"))
    summary = report_json(built, "sv", TEM)["summary"]
    assert doc_pr.get("descr") == (f"Bedömningar av {sum(summary.values())} mål: GRÖN {summary['green']}, "
                                   f"GUL {summary['yellow']}, RÖD {summary['red']}, EJ BEDÖMD {summary['unrated']}.")
    with zipfile.ZipFile(path(built, "sv", TEM, "docx")) as z:
        png = next(n for n in z.namelist() if n.startswith("word/media/"))
        image = Image.open(io.BytesIO(z.read(png))).convert("RGB")
    assert all(_colour_pixels(image, rgb, 2) > 100 for rgb in RGB.values())


# --- HTML -------------------------------------------------------------------------------------

def _html(built, lang, doc_id):
    import lxml.html
    return lxml.html.fromstring(path(built, lang, doc_id, "html").read_bytes())


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_html_tables_rate_in_colour_and_words(built, lang):
    page = _html(built, lang, TEM)
    assert page.get("lang") == lang
    summary = report_json(built, lang, TEM)["summary"]
    for colour, word in WORDS[lang].items():
        cells = page.xpath(f'//table[@class="ratings"]//td[contains(@class, "rating-{colour}")]')
        assert len(cells) == summary[colour]
        assert all(c.xpath('string(span[@class="rating-word"])') == word for c in cells)
    for table in page.xpath('//table[@class="ratings"]'):
        assert [th.get("scope") for th in table.xpath("thead/tr/th")] == ["col"] * 4
        assert table.get("aria-labelledby") and page.get_element_by_id(table.get("aria-labelledby")) is not None
    notice = page.xpath('//*[@class="example-notice"]')[0]
    assert EXAMPLE[lang] in notice.text_content()


def test_html_chart_is_inline_svg_with_a_name(built):
    page = _html(built, "fi", YLEIS)
    svg = page.xpath("//figure//*[local-name()='svg']")[0]
    assert svg.get("role") == "img"
    title = svg.xpath("*[local-name()='title']")[0].text
    summary = report_json(built, "fi", YLEIS)["summary"]
    assert f"VIHREÄ {summary['green']}" in title and f"PUNAINEN {summary['red']}" in title
    fills = {r.get("fill") for r in svg.xpath("*[local-name()='rect']")}
    assert {"#%02x%02x%02x" % rgb for rgb in RGB.values()} <= fills


def test_html_passes_axe(built, repo_root):
    """axe-core (WCAG 2.1 A and AA) in headless Chromium, as for the published pages."""
    node = require_tool("node")
    script = repo_root / "tests" / "a11y" / "axe-check.js"
    if not (repo_root / "tests" / "a11y" / "node_modules" / "axe-core").is_dir():
        pytest.skip("axe-core is not installed (npm ci in tests/a11y)")
    run = subprocess.run([node, str(script), str(built), "--chromium", require_tool("chromium")],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stdout)
    assert len(report["pages"]) == 4
    assert run.returncode == 0, [(p["page"], [v["id"] for v in p["violations"]], p["external_requests"])
                                 for p in report["pages"]]


def test_html_links_its_stylesheets_and_the_other_language(built):
    file = path(built, "sv", YLEIS, "html")
    page = _html(built, "sv", YLEIS)
    sheets = page.xpath('//link[@rel="stylesheet"]/@href')
    assert any(s.endswith("report.css") for s in sheets)
    for href in sheets:
        assert (file.parent / href).resolve().is_file(), href
    other = page.xpath('//nav[contains(@class, "lang-switch")]//a/@href')
    assert other and all((file.parent / h).resolve().is_file() for h in other)
    goal_links = page.xpath('//span[@class="reason"]//a/@href')  # :goal: in a reason links to the goal's row
    assert goal_links and all(page.get_element_by_id(h[1:]) is not None for h in goal_links)


# --- period, missing files, reproducibility ----------------------------------------------------

def test_the_period_defaults_to_the_newest_outcome_file(content_copy, tmp_path):
    folder = content_copy / YLEIS / "toteumat"
    (folder / "2026.yaml").write_text("example: true\ngoals:\n  asianhallinta: 3\n", "utf-8")
    project = sopimus.load(content_copy)
    result = build(project, "report", ["fi"], tmp_path)
    assert not result.errors
    names = sorted(p.name for p in (tmp_path / "report" / "fi").iterdir())
    assert names == [f"{YLEIS}-2026.{ext}" for ext in sorted(FORMATS)]
    assert any(d.code == "report-missing" and TEM in d.message for d in result.diagnostics)
    data = json.loads((tmp_path / "report" / "fi" / f"{YLEIS}-2026.json").read_text("utf-8"))
    assert data["period"] == "2026" and "vuosi 2026" in pdf_text(tmp_path / "report" / "fi" / f"{YLEIS}-2026.pdf")


@pytest.mark.parametrize("period", ["2027-H1", "2026-H3"])
def test_a_period_without_outcomes_writes_nothing(project, tmp_path, period):
    result = build(project, "report", ["fi"], tmp_path, BuildOptions(period=period))
    assert [d.code for d in result.errors] == ["report-period"]
    assert not (tmp_path / "report").exists()


def test_make_report_with_period_from_the_environment(repo_root, tmp_path, monkeypatch, capsys):
    from sopimus.cli import main
    monkeypatch.setenv("PERIOD", "2026-H1")
    code = main(["build", "-b", "report", "-l", "sv", str(repo_root / "content"), str(tmp_path)])
    assert code == 0, capsys.readouterr()
    assert sorted(p.name for p in (tmp_path / "report" / "sv").iterdir()) == sorted(
        f"{d}-2026-H1.{ext}" for d in DOCS for ext in FORMATS)


def test_outputs_are_reproducible_and_follow_source_date_epoch(project, tmp_path, monkeypatch, built):
    import docx
    import pikepdf
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1788134400")  # 2026-08-31
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert not build(project, "report", ["fi"], out).errors
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files and all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    pdf_file = first / "report" / "fi" / f"{TEM}-2026-H1.pdf"
    with pikepdf.open(pdf_file) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20260831")
    props = docx.Document(str(first / "report" / "fi" / f"{TEM}-2026-H1.docx")).core_properties
    assert props.created.date().isoformat() == "2026-08-31"
    # the clock changes only the time stamps: the JSON is the same as without it
    assert (first / "report" / "fi" / f"{TEM}-2026-H1.json").read_bytes() == \
        path(built, "fi", TEM, "json").read_bytes()
