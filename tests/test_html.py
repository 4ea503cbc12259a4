"""The HTML builder: accessible pages with the same content and numbering as the PDF.

Pages are read as a browser reads them (lxml's HTML parser for structure,
headless Chromium with axe-core for the accessibility rules).
"""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from sopimus import ast as A
from sopimus import present
from sopimus.walk import Unrenderable
from sopimus.builders.html.page import document_page
from sopimus.htmlkit.site import PageLinks, Site

REPO = Path(__file__).resolve().parents[1]
A11Y = REPO / "tests" / "a11y"
CHROMIUM = "/usr/bin/chromium"
HEADING = re.compile(r"^h([1-6])$")


# --- helpers shared with test_publish -----------------------------------------------

def parse(path_or_bytes) -> lxml.html.HtmlElement:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    return lxml.html.document_fromstring(data)


def text(el) -> str:
    return " ".join(el.text_content().split())


def with_class(root, tag: str, name: str) -> list:
    """Elements ``tag`` under ``root`` whose class list has ``name`` (like ``tag.name`` in CSS)."""
    return root.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def headings(page) -> list[tuple[int, str, str | None]]:
    """(level, text, id) of every heading, in document order, as assistive technology sees them."""
    out = []
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        m = HEADING.match(el.tag)
        if m:
            out.append((int(m.group(1)), text(el), el.get("id")))
        elif el.get("role") == "heading":
            out.append((int(el.get("aria-level")), text(el), el.get("id")))
    return out


def axe_missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return "chromium is not installed (apt-get install -y chromium)"
    if shutil.which("node") is None:
        return "node (>= 20) is not installed"
    if not all((A11Y / "node_modules" / name).is_dir() for name in ("axe-core", "playwright-core")):
        return "tests/a11y/node_modules is missing (npm ci --prefix tests/a11y)"
    return None


def run_axe(folder: Path) -> dict:
    """axe-core over every HTML page under ``folder``; skips when the browser or runner is missing."""
    reason = axe_missing()
    if reason:
        pytest.skip(reason)
    proc = subprocess.run(["node", str(A11Y / "axe-check.js"), str(folder), "--chromium", CHROMIUM],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), f"axe runner failed ({proc.returncode}): {proc.stderr}"
    return json.loads(proc.stdout)


def axe_findings(report: dict) -> list[str]:
    out = []
    for page in report["pages"]:
        for v in page["violations"]:
            targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            out.append(f"{page['page']}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
        out.extend(f"{page['page']}: loads {url} from outside the package" for url in page["external_requests"])
        out.extend(f"{page['page']}: no visible focus on {el}" for el in page["focus_not_visible"])
    return out


# --- fixtures --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def html_out(built_once) -> Path:
    return built_once("html") / "html"


def pages(project):
    return [(doc.id, lang) for doc in project.documents for lang in project.languages]


# --- structure ---------------------------------------------------------------------------

def test_one_page_per_document_and_language_and_shared_assets(project, html_out):
    for doc_id, lang in pages(project):
        assert (html_out / lang / f"{doc_id}.html").is_file()
    css = (html_out / "assets" / "sopimus.css").read_text("utf-8")
    assert ":focus-visible" in css  # visible focus
    assert (html_out / "assets" / "print.css").is_file()
    for url in re.findall(r'url\("([^"]+)"\)', css):
        assert not re.match(r"^[a-z]+:", url), f"external resource in CSS: {url}"
        assert (html_out / "assets" / url).is_file(), url


def test_language_landmarks_and_skip_link(project, html_out):
    for doc_id, lang in pages(project):
        page = parse(html_out / lang / f"{doc_id}.html")
        assert page.get("lang") == lang
        for tag in ("header", "main", "footer"):
            assert len(page.findall(f".//{tag}")) == 1, tag
        navs = page.findall(".//nav")
        assert len(navs) >= 2 and all(n.get("aria-label") or n.get("aria-labelledby") for n in navs)
        first_link = page.find(".//body//a")
        assert "skip-link" in first_link.get("class") and first_link.get("href") == "#main"
        assert page.get_element_by_id("main").tag == "main"
        sheets = page.findall(".//head/link[@rel='stylesheet']")
        assert {s.get("media") for s in sheets} == {"all", "print"}


def test_one_h1_and_heading_levels_never_skip(project, html_out):
    for doc_id, lang in pages(project):
        found = headings(parse(html_out / lang / f"{doc_id}.html"))
        levels = [level for level, _, _ in found]
        assert levels.count(1) == 1 and levels[0] == 1
        assert found[0][1] == project.document(doc_id, lang).title
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{doc_id} {lang}: h{before} followed by h{after}"


def test_headings_and_numbering_are_the_shared_presentation(project, html_out):
    """Same section numbers, annex names and goal titles as the PDF (present.*)."""
    for doc_id, lang in pages(project):
        doc = project.document(doc_id, lang)
        _ = present.labels_for(doc).gettext
        page = parse(html_out / lang / f"{doc_id}.html")
        found = headings(page)
        by_id = {hid: txt for _, txt, hid in found}
        level_of = {hid: level for level, _, hid in found}
        expected = present.toc(doc, _, max_level=9)
        assert expected
        for entry in expected:
            assert by_id.get(entry.anchor) == entry.text
            assert level_of[entry.anchor] == entry.level + 1  # sections and annexes: h2, h3 …
        toc_links = [(a.get("href"), text(a)) for a in with_class(page, "nav", "toc")[0].iter("a")]
        assert toc_links == [("#" + e.anchor, e.text) for e in present.toc(doc, _, max_level=2)]
        for node in doc.walk():
            if isinstance(node, (A.Theme, A.Goal)):
                assert by_id.get(present.anchor(node)) == " ".join(node.title.split())


def test_indicator_tables_have_captions_headers_and_the_target_levels(project, html_out):
    for doc_id, lang in pages(project):
        doc = project.document(doc_id, lang)
        _ = present.labels_for(doc).gettext
        page = parse(html_out / lang / f"{doc_id}.html")
        for table in page.findall(".//table"):
            assert table.find("caption") is not None and text(table.find("caption"))
            assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
        indicators = [n for n in doc.walk() if isinstance(n, A.Indicator)]
        assert indicators
        from test_docx import indicator_runs
        run_of = {id(ind): run for run in indicator_runs(doc) for ind in run}
        for ind in indicators:
            expected = present.indicator_table(ind, doc, _, run_of[id(ind)])
            row = page.get_element_by_id(present.anchor(ind))
            assert [text(c) for c in row] == [" ".join(c.split()) for c in expected.row]
            table = row.getparent().getparent()
            header = [text(th) for th in table.find("thead").iter("th")]
            assert header == expected.header
            assert row[0].tag == "th" and row[0].get("scope") == "row"


def test_rating_scale_signatures_and_impact_goals(project, html_out):
    page_text = text(parse(html_out / "fi" / "keha-tem-substanssi-2026-2029.html"))
    for word in ("VIHREÄ", "KELTAINEN", "PUNAINEN"):
        assert word in page_text
    for doc_id, lang in pages(project):
        doc = project.document(doc_id, lang)
        page = parse(html_out / lang / f"{doc_id}.html")
        blocks = with_class(page, "div", "signature-block")
        expected = present.signature_blocks(doc)
        assert [b.get("id") for b in blocks] == [s.field_name for s in expected]
        for block, sig in zip(blocks, expected):
            assert sig.party in text(block) and sig.role in text(block)
        goals = [n for n in doc.walk() if isinstance(n, A.ImpactGoal)]
        items = [li for ul in with_class(page, "ul", "impact-goals") for li in ul.iter("li")]
        assert [text(li) for li in items] == [f"{g.ministry} {' '.join(g.text.split())}" for g in goals]


def test_language_switch_links_the_other_language(project, html_out):
    for doc_id, lang in pages(project):
        page = parse(html_out / lang / f"{doc_id}.html")
        links = list(with_class(page, "nav", "lang-switch")[0].iter("a"))
        others = [other for other in project.languages if other != lang]
        assert [a.get("hreflang") for a in links] == others
        for a in links:
            assert a.get("lang") == a.get("hreflang")
            assert (html_out / lang / a.get("href")).resolve() == (html_out / a.get("lang") / f"{doc_id}.html").resolve()
        alternates = {link.get("hreflang") for link in page.findall(".//head/link[@rel='alternate']")}
        assert alternates == set(project.languages)


# --- rendering rules ---------------------------------------------------------------------

def _page(project, body: list[A.Node], **changes) -> tuple[bytes, list]:
    """The page of a document with ``body``, and the findings rendering it gave."""
    doc = dataclasses.replace(project.document(project.documents[0].id, "fi"), body=body, **changes)
    site = Site.for_project(project)
    findings: list = []
    return document_page(site, doc, PageLinks("x.html", site.stylesheet_links("")), findings), findings


def test_text_is_escaped(project):
    src = A.Source("x.rst", 3)
    data, _ = _page(project, [A.Paragraph([A.Text("<script>alert(1)</script> & <b>", source=src)], source=src)],
                    title="Title <i>not markup</i>")
    page = parse(data)
    assert not page.findall(".//script") and not page.findall(".//b") and not page.findall(".//h1/i")
    assert "<script>alert(1)</script> & <b>" in text(page)
    assert text(page.find(".//h1")) == "Title <i>not markup</i>"


def test_a_link_that_is_not_http_is_an_error_where_it_is_written(tmp_path):
    """The reader refuses the link once, for every builder alike; HTML does not check again."""
    from helpers import DOC, new_project
    from sopimus.reader import read
    content = new_project(tmp_path)
    rst = content / DOC / "sopimus.rst"
    lines = rst.read_text("utf-8").splitlines()
    lines[6:8] = ["Katso `tästä <javascript:alert(1)>`__ ja `tuolta <https://example.fi/>`__."]
    rst.write_text("\n".join(lines) + "\n", "utf-8")
    project, diags = read(content)
    assert [(d.line, d.code) for d in diags.errors] == [(7, "link-scheme")]
    links = [n.url for n in project.documents[0].walk() if isinstance(n, A.Link)]
    assert links == ["https://example.fi/"]


def test_every_node_type_renders_and_an_unknown_one_is_an_error(project):
    @dataclasses.dataclass(eq=True)
    class Chart(A.Node):
        TYPE = "chart"

    src = A.Source("05.rst", 7)
    with pytest.raises(Unrenderable, match=r"05.rst:7.*HTML.*'chart'"):
        _page(project, [A.Paragraph([A.Text("before")]), Chart(source=src)])
    types = {n.TYPE for doc in project.documents for n in doc.walk()}
    assert {"section", "theme", "goal", "target", "indicator", "impact_goal", "annex", "rating_scale",
            "signatures", "list", "quote", "paragraph", "link"} <= types  # the real content covers them


def test_a_draft_page_says_so(project):
    data, _ = _page(project, [A.Paragraph([A.Text("x")])], status="draft")
    page = parse(data)
    assert "is-draft" in page.find("body").get("class")
    assert "LUONNOS" in text(with_class(page, "div", "draft-banner")[0])
    (style,) = page.xpath(".//head/style[@media='print']")
    assert '@top-left { content: "LUONNOS"' in style.text  # on every printed page
    assert '@top-right { content: "sivu" " " counter(page) " (" counter(pages) ")"' in style.text


def test_headings_deeper_than_h6_keep_their_level(project):
    body: list[A.Node] = [A.Paragraph([A.Text("deepest")])]
    for i in range(7, 0, -1):
        body = [A.Goal(id=f"g{i}", level=1, title=f"Goal {i}", body=body)]
    found = headings(parse(_page(project, body)[0]))
    assert [lv for lv, t, _ in found if t.startswith("Goal")] == [2, 3, 4, 5, 6, 7, 8]


# --- accessibility in a browser ---------------------------------------------------------------

def test_axe_finds_no_wcag_21_aa_violation_and_focus_is_visible(html_out):
    report = axe_findings(run_axe(html_out))
    assert report == []


def test_the_axe_runner_does_find_violations(tmp_path):
    """The accessibility test can fail: a page with known faults is reported, each of them."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html><head><title>x</title><link rel="stylesheet" href="https://cdn.example/x.css">'
        '<style>a:focus, a:focus-visible { outline: none }</style></head><body><img src="a.png">'
        '<p style="color:#aaa;background:#fff">low contrast</p><a href="#top" id="top">top</a></body></html>')
    report = run_axe(tmp_path)
    ids = {v["id"] for v in report["pages"][0]["violations"]}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= ids
    assert report["pages"][0]["external_requests"] == ["https://cdn.example/x.css"]
    assert report["pages"][0]["focus_not_visible"] == ['a#top[href="#top"]']


def test_every_word_of_the_pages_is_translated(project, monkeypatch):
    """No English label slips into a Finnish or Swedish page (a missing translation is a finding)."""
    from sopimus.i18n import Labels

    missing: set[tuple[str, str]] = set()
    gettext = Labels.gettext

    def spy(self, message, **params):
        if not self._catalog.get(message):
            missing.add((self.lang, message))
        return gettext(self, message, **params)
    monkeypatch.setattr(Labels, "gettext", spy)
    site = Site.for_project(project)
    for lang in project.languages:
        for source in project.documents:
            doc = dataclasses.replace(project.document(source.id, lang), status="draft")
            document_page(site, doc, PageLinks("x.html", site.stylesheet_links("")), [])
        site.index_page(lang, PageLinks("index.html", site.stylesheet_links("")), [],
                        manifest_href="manifest.json", checksums_href="SHA256SUMS")
    assert missing == set()


@pytest.mark.parametrize("expression", [
    "{{ doc.__class__.__mro__ }}",                      # the sandbox refuses internals …
    "{{ doc.children.__func__.__globals__ }}",
    "{{ no_such_name }}",                               # … and a name the context does not have
])
def test_a_theme_template_that_fails_is_a_finding_at_its_line(tmp_path, capsys, expression):
    from sopimus.cli import main
    from sopimus.resources import BUILTIN_THEMES
    from helpers import new_project

    content = new_project(tmp_path)
    theme = content.parent / "themes" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    page = theme / "html" / "document.html"
    lines = page.read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "<h1" in text)
    lines[line - 1] += expression
    page.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out"
    assert main(["build", "-b", "html", "-l", "fi", "-q", str(content), str(out)]) == 1
    err = capsys.readouterr().err
    assert f"document.html:{line}:1: error: [theme]" in err, err
    assert "Traceback" not in err and "__globals__" not in err.split("error:")[0]
    assert not out.exists() or not list(out.rglob("*.html"))
