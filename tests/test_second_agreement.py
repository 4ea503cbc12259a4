"""A second agreement of another shape than KEHA's (tests/data/monta-ministeriota):
six parties — five steering ministries and an elinvoimakeskus — a two-year
period, ``>=``/``<=``/``=`` targets, a count, a 2027-only target, a
200-character indicator name, Sámi names and a Swedish translation only
partly done.  Every builder's output is read as its consumer reads it."""
from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

import sopimus
from sopimus.pipeline import build

from readback import docx_runs_with_lang, docx_text, html_parse, html_text, in_order, json_doc, json_text, pdf_text, squash

DATA = Path(__file__).parent / "data" / "monta-ministeriota" / "content"
DOC = "pohjois-elinvoimakeskus-2026-2027"
LONG_NAME = ("Ympäristölupahakemusten, vesitalouslupahakemusten ja maa-aineslupahakemusten käsittelyn "
             "keskimääräinen kokonaisaika vireilletulosta lainvoimaiseen päätökseen kaikissa "
             "elinvoimakeskuksen toimipisteissä")
PARTIES = {"fi": ["Työ- ja elinkeinoministeriö", "Liikenne- ja viestintäministeriö",
                  "Maa- ja metsätalousministeriö", "Ympäristöministeriö", "Opetus- ja kulttuuriministeriö",
                  "Pohjois-Suomen elinvoimakeskus"],
           "sv": ["Arbets- och näringsministeriet", "Kommunikationsministeriet", "Jord- och skogsbruksministeriet",
                  "Ympäristöministeriö",   # no Swedish name in the metadata: the Finnish one
                  "Undervisnings- och kulturministeriet", "Livskraftscentralen i Norra Finland"]}
# what each language must show, in this order
EXPECTED = {
    "fi": ["Strategiset linjaukset", "Anára, Ohcejohka ja Čeʹvetjäuʹrr", "Työllisyysaste nousee ≥ 75 prosenttiin",
           "Tulostavoitteet", "Päätökset tehdään ajallaan", "Käsittelyaika on ≤ 30 pv kaikissa lupa-asioissa.",
           "Asiakastyytyväisyys (≥ 85 % vastaajista tyytyväisiä)", "≥ 85 %", "≥ 88 %",
           "Lainvastaisiksi todetut päätökset", "Käsittelyaika, mediaani", "≤ 30", "≤ 25",
           "Uusi sähköinen palvelu otetaan käyttöön", "≥ 1", LONG_NAME, "< 180", "< 150",
           "Voimassaolo, seuranta ja allekirjoitukset"],
    "sv": ["Strategiska riktlinjer", "Sysselsättningsgraden stiger till ≥ 75 procent",
           "Liikenneturvallisuus paranee",   # untranslated: the Finnish text
           "Resultatmål", "Besluten fattas i tid", "Handläggningstiden är ≤ 30 dagar i alla tillståndsärenden.",
           "Kundnöjdhet (≥ 85 % av de svarande nöjda)", "≥ 85 %", "≥ 88 %",
           "Lainvastaisiksi todetut päätökset", "≤ 30", "≤ 25", LONG_NAME,
           "Giltighet, uppföljning och underskrifter"],
}
SIGNATORIES = ["Áile Ŋuorra", "Đuro Šeäʹmm"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    project = sopimus.load(DATA)
    out = tmp_path_factory.mktemp("second")
    for builder in ("pdf", "docx", "html", "json"):
        result = build(project, builder, ["fi", "sv"], out)
        assert not result.errors, [d.format() for d in result.errors]
    return out


def read(outputs: Path, builder: str, lang: str) -> str:
    ext = {"pdf": "pdf", "docx": "docx", "html": "html", "json": "json"}[builder]
    path = outputs / builder / lang / f"{DOC}.{ext}"
    return {"pdf": pdf_text, "docx": docx_text, "html": html_text, "json": json_text}[builder](path)


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("builder", ["pdf", "docx", "html", "json"])
def test_every_text_and_target_level_appears_in_order(outputs, builder, lang):
    text = read(outputs, builder, lang)
    expected = EXPECTED[lang]
    if builder == "json":   # target levels are data there, not text
        expected = [e for e in expected if not e[0] in "≥≤<"]
    assert in_order(text, expected), [e for e in expected if squash(e) not in text]
    assert text.count(squash(LONG_NAME)) == 1
    for party in PARTIES[lang]:
        assert squash(party) in text
    for name in SIGNATORIES:
        assert text.count(name) == 1


def test_json_has_six_parties_two_years_and_every_operator(outputs):
    doc = json_doc(outputs / "json" / "fi" / f"{DOC}.json")
    assert [p["id"] for p in doc["parties"]] == ["tem", "lvm", "mmm", "ym", "okm", "evk"]
    assert len(doc["signatories"]) == 6 and doc["period"] == {"start": 2026, "end": 2027}
    targets = {}
    stack = list(doc["body"])
    while stack:
        node = stack.pop()
        if node.get("type") == "indicator":
            targets[node["id"]] = [(t["year"], t["op"], t["value"]) for t in node["targets"]]
        stack.extend(v for key in ("body", "items") for v in node.get(key, []))
    assert targets["tyytyvaisyys"] == [(2026, ">=", "85"), (2027, ">=", "88")]
    assert targets["lainvastaiset"] == [(2026, "=", "0"), (2027, "=", "0")]
    assert targets["kasittelyaika"] == [(2026, "<=", "30"), (2027, "<=", "25")]
    assert targets["uusi-palvelu"] == [(2027, ">=", "1")]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_pdf_has_six_empty_signature_fields_named_alike_in_both_languages(outputs, lang):
    with pikepdf.open(outputs / "pdf" / lang / f"{DOC}.pdf") as pdf:
        fields = [f for f in pdf.Root.AcroForm.Fields]
        assert len(fields) == 6 and all(f.FT == "/Sig" and "/V" not in f for f in fields)
        names = sorted(str(f.T) for f in fields)
    with pikepdf.open(outputs / "pdf" / "fi" / f"{DOC}.pdf") as pdf:
        assert names == sorted(str(f.T) for f in pdf.Root.AcroForm.Fields)


def test_the_pdf_draws_the_comparison_signs_with_an_embedded_fallback_font(outputs):
    with pikepdf.open(outputs / "pdf" / "fi" / f"{DOC}.pdf") as pdf:
        fonts = {str(font.BaseFont).split("+")[-1] for page in pdf.pages
                 for font in page.Resources.get("/Font", {}).values()}
        assert {"NotoSans-Regular", "DejaVuSans"} <= fonts
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                assert "/FontFile2" in font.FontDescriptor


def test_only_the_periods_years_are_columns(outputs):
    text = read(outputs, "pdf", "fi")
    assert "2026" in text and "2027" in text and "2028" not in text


def test_html_goal_links_resolve_in_both_languages(outputs):
    for lang in ("fi", "sv"):
        page = html_parse(outputs / "html" / lang / f"{DOC}.html")
        local = [h[1:] for h in page.links if h.startswith("#")]
        assert local and all(target in page.ids for target in local), set(local) - page.ids


def test_docx_properties_name_every_party_and_never_exceed_words_limit(outputs):
    import docx
    from sopimus.docxkit.meta import fit_property

    props = docx.Document(outputs / "docx" / "fi" / f"{DOC}.docx").core_properties
    assert props.keywords.split("; ") == PARTIES["fi"]
    long = "; ".join(["Työ- ja elinkeinoministeriö"] * 12)
    cut = fit_property(long)
    assert len(cut) <= 255 and cut.endswith("…") and long.startswith(cut[:-1])


# --- language of parts: what the Swedish output shows in Finnish is marked Finnish ---------------

UNTRANSLATED = ["Liikenneturvallisuus paranee", "Käsittelyaika on ≤ 25 pv.", "Lainvastaisiksi todetut päätökset",
                "Ympäristöministeriö"]
TRANSLATED = ["Besluten fattas i tid", "Handläggningstiden är ≤ 30 dagar i alla tillståndsärenden.",
              "Arbets- och näringsministeriet"]


def test_html_marks_finnish_fallback_text_lang_fi(outputs):
    from html.parser import HTMLParser

    class Langs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.found = [], {}

        def handle_starttag(self, tag, attrs):
            if tag not in ("br", "img", "meta", "link", "input"):
                self.stack.append(dict(attrs).get("lang"))

        def handle_endtag(self, tag):
            if tag not in ("br", "img", "meta", "link", "input") and self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if data.strip():
                # the last occurrence: a party's name on the signature page (the cover is
                # checked in test_cover_lang)
                self.found[data.strip()] = next((l for l in reversed(self.stack) if l), None)

    parser = Langs()
    parser.feed((outputs / "html" / "sv" / f"{DOC}.html").read_text("utf-8"))
    for text in UNTRANSLATED:
        assert parser.found.get(text) == "fi", text
    for text in TRANSLATED:
        assert parser.found.get(text) == "sv", text


def test_docx_marks_finnish_fallback_runs_fi_fi(outputs):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(outputs / "docx" / "sv" / f"{DOC}.docx")
    paragraphs = []   # [(run text, w:lang)] per paragraph
    for p in document.element.body.iter(qn("w:p")):
        paragraphs.append(docx_runs_with_lang(p))

    def langs_of(text):
        """The w:lang of the runs that make ``text``, in the last paragraph that has it."""
        found = [p for p in paragraphs if text in "".join(t for t, _ in p)]
        assert found, text
        return {lang for t, lang in found[-1] if t.strip() and t.strip() in text}

    for text in UNTRANSLATED:
        assert langs_of(text) == {"fi-FI"}, text
    for text in TRANSLATED:
        assert "fi-FI" not in langs_of(text), text


def test_pdf_marks_finnish_fallback_elements_lang_fi_fi(outputs):
    def langs(lang):
        found = []
        with pikepdf.open(outputs / "pdf" / lang / f"{DOC}.pdf") as pdf:
            stack = [pdf.Root.StructTreeRoot]
            while stack:
                elem = stack.pop()
                if "/Lang" in elem and elem.get("/S") != "/Document":
                    found.append((str(elem.S), str(elem.Lang)))
                kids = elem.get("/K")
                kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
                stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") != "/MCR"
                             and "/S" in k)
        return found
    swedish = langs("sv")
    # paragraphs, headings and table cells whose translation is missing; the document itself is sv-FI
    assert {lang for _, lang in swedish} == {"fi-FI"} and len(swedish) >= len(UNTRANSLATED)
    assert {"/P", "/TD"} <= {role for role, _ in swedish}
    assert langs("fi") == []


def test_a_links_address_shows_in_print_where_its_text_is_not_the_address(tmp_path):
    """The printed agreement must still say where the regulation is."""
    from sopimus import ast as A
    from sopimus import present

    link = A.Link(url="https://www.valtiokonttori.fi/x/", content=[A.Text("Valtiokonttorin määräyksen")])
    assert present.printed_address(link) == "https://www.valtiokonttori.fi/x/"
    assert present.printed_address(A.Link(url="https://www.valtiokonttori.fi/x/",
                                          content=[A.Text("www.valtiokonttori.fi/x")])) is None
    assert present.printed_address(A.Link(url="https://a.fi", content=[])) is None


def test_html_signature_lines_of_a_row_align_when_a_party_name_wraps(outputs, tmp_path):
    """Laid out by Chromium at a width where some ministries' names take two lines."""
    import subprocess
    from collections import defaultdict

    from conftest import require_tool

    chromium = require_tool("chromium")
    page = outputs / "html" / "fi" / f"{DOC}.html"
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text("utf-8").replace("</body>", """<script>
window.addEventListener("load", () => {
  const box = e => e.getBoundingClientRect();
  document.body.setAttribute("data-probe", [...document.querySelectorAll(".signature-block")].map(b =>
    [Math.round(box(b.querySelector(".signature-line")).top), Math.round(box(b).left),
     Math.round(box(b.querySelector(".signature-party")).height)].join(":")).join(","));
});</script></body>"""), "utf-8")
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,2000",
                          "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    blocks = [tuple(map(int, b.split(":"))) for b in dom.split('data-probe="', 1)[1].split('"', 1)[0].split(",")]
    assert len(blocks) == 6
    rows = defaultdict(list)
    row, last_left = 0, -1
    for line_top, left, party_height in blocks:   # a new row of the grid starts at the left again
        if left <= last_left:
            row += 1
        rows[row].append((line_top, party_height))
        last_left = left
    assert len(rows) > 1 and all(len(r) > 1 for r in rows.values())
    assert any(len({h for _, h in row}) > 1 for row in rows.values()), "no party name wraps: test nothing"
    for row in rows.values():
        assert len({top for top, _ in row}) == 1, row


def test_docx_signature_caption_keeps_with_its_table(outputs):
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(outputs / "docx" / "fi" / f"{DOC}.docx").element.body
    caption = next(p for p in body.iterchildren(qn("w:p"))
                   if "".join(t.text for t in p.iter(qn("w:t"))) == "Allekirjoitukset")
    table = caption.getnext()
    assert table.tag == qn("w:tbl")
    assert caption.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    # and every paragraph of the table keeps with the next, up to its last row
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in table.iter(qn("w:p"))
               if p.find(qn("w:pPr")) is not None and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None)
