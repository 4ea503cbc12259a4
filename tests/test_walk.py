"""One walker for PDF, DOCX and HTML: every AST node type has a rendering in
every format, runs group the same way, and an unknown node stops the build
with its file and line."""
from __future__ import annotations

import dataclasses
import subprocess
from decimal import Decimal

import pytest
from conftest import CONTENT

import sopimus
from sopimus import ast as A
from sopimus.builders import get as get_builder
from sopimus.builders.docx.blocks import BodyWriter
from sopimus.builders.pdf.story import StoryBuilder
from sopimus.docxkit.inlines import InlineRuns
from sopimus.htmlkit.nodes import NodeRenderer
from sopimus.pdfkit.inline import InlineMarkup
from sopimus.pipeline import build
from sopimus.builders.html.page import renderer
from sopimus.htmlkit.site import Site
from sopimus.walk import BLOCK_TYPES, GROUPED, INLINE_TYPES, Unrenderable, Walker, runs

STRUCTURAL = {A.ListItem, A.TableRow, A.TableCell, A.Party, A.Signatory, A.HistoryEntry,
              A.Document}  # parts of other nodes


def html_renderer(project) -> NodeRenderer:
    """The HTML walker with the default theme's macros."""
    site = Site.for_project(project)
    return renderer(site, project.document(project.documents[0].id, "fi"), [])


def walkers(project) -> dict[str, list[Walker]]:
    """Each format's walkers: the one for blocks and the one for inlines."""
    return {"PDF": [StoryBuilder.__new__(StoryBuilder), InlineMarkup.__new__(InlineMarkup)],
            "DOCX": [BodyWriter.__new__(BodyWriter), InlineRuns.__new__(InlineRuns)],
            "HTML": [html_renderer(project)]}


def test_every_node_class_is_a_block_or_an_inline():
    """A new node class must join A.Block or A.Inline, so the coverage test below sees it."""
    classes = set(A.NODE_CLASSES.values())
    assert classes - STRUCTURAL == set(BLOCK_TYPES) | set(INLINE_TYPES)
    assert not set(BLOCK_TYPES) & set(INLINE_TYPES)


@pytest.mark.parametrize("fmt", ["PDF", "DOCX", "HTML"])
def test_every_format_renders_every_block_and_inline_type(project, fmt):
    """Fails when a node type is added without a rendering in a format."""
    found = walkers(project)[fmt]
    missing = [cls.TYPE for cls in (*BLOCK_TYPES, *INLINE_TYPES) if not any(w.renders(cls) for w in found)]
    assert missing == [], f"{fmt} has no rendering for {missing}"


def test_runs_group_consecutive_indicators_and_impact_goals_only():
    i1, i2, g1, p, i3 = A.Indicator(id="a"), A.Indicator(id="b"), A.ImpactGoal(id="c"), A.Paragraph(), A.Indicator(id="d")
    got = [(r.kind, len(r.nodes)) for r in runs([i1, i2, g1, p, i3, p])]
    assert got == [(A.Indicator, 2), (A.ImpactGoal, 1), (A.Paragraph, 1), (A.Indicator, 1), (A.Paragraph, 1)]
    assert set(GROUPED) == {A.Indicator, A.ImpactGoal}


def test_dispatch_follows_the_class_hierarchy_and_names_the_unknown():
    class Sub(A.Paragraph):
        TYPE = "sub"

    @dataclasses.dataclass(eq=True)
    class Chart(A.Node):
        TYPE = "chart"

    class W(Walker):
        FORMAT = "X"

        def visit_paragraph(self, node):
            return "para"

    w = W()
    assert w.handler(Sub())(None) == "para"
    assert w.renders(Sub) and not w.renders(A.Quote)
    with pytest.raises(Unrenderable, match=r"07.rst:3: the X builder has no rendering for a 'chart' node"):
        list(w.block_runs([Chart(source=A.Source("07.rst", 3))]))


def every_node_document(doc: A.Document) -> A.Document:
    """``doc`` with a body holding every block and inline type once (and runs of two)."""
    src = A.Source("every.rst", 1)
    inl = [A.Text("Teksti ", source=src), A.Emphasis([A.Text("korostus")], source=src),
           A.Strong([A.Text("vahva")], source=src), A.Literal("koodi", source=src),
           A.Link("https://example.fi/", [A.Text("linkki")], source=src),
           A.GoalRef("tavoite-x", "Tavoite X", source=src)]
    goal = A.Goal(id="tavoite-x", title="Tavoite X", body=[
        A.YearTarget(year=doc.period.start, body=[A.Paragraph([A.Text("Vuoden tavoite")])])], source=src)
    body = [
        A.Section(id="osa", number="1", title="Osa", source=src, body=[
            A.Paragraph(inl, source=src),
            A.ItemList(ordered=True, items=[A.ListItem([A.Paragraph([A.Text("kohta")])])], source=src),
            A.Quote([A.Paragraph([A.Text("lainaus")])], source=src),
            A.Table(title="Taulukko", widths=[2, 1], header_rows=1, rows=[
                A.TableRow([A.TableCell([A.Text("Momentti")]), A.TableCell([A.Text("2026")])]),
                A.TableRow([A.TableCell([A.Text("yhdistetty")], colspan=2)]),
                A.TableRow([A.TableCell([A.Text("menot")], rowspan=2), A.TableCell([A.Text("1,5")])]),
                A.TableRow([A.TableCell([A.Text("2,5")])])], source=src),
            A.Theme(id="teema", title="Teema", body=[
                goal,
                A.Indicator(id="m1", name="Mittari 1", unit="pv",
                            targets=[A.TargetLevel(doc.period.start, "<", Decimal("30.0"))], source=src),
                A.Indicator(id="m2", name="Mittari 2", unit="%", source=src),
            ], source=src),
            A.ImpactGoal(id="v1", ministry="TEM", text="Vaikuttavuus 1", source=src),
            A.ImpactGoal(id="v2", ministry="OKM", text="Vaikuttavuus 2", source=src),
            A.RatingScale(levels=[A.RatingLevel(3, "hyvä"), A.RatingLevel(2, "kohtalainen"),
                                  A.RatingLevel(1, "heikko")], source=src),
            A.Signatures(source=src),
        ]),
        A.Annex(id="liite", number=1, title="Liite", body=[A.Paragraph([A.Text("liitteen teksti")])], source=src),
    ]
    types = {type(n) for n in A.Document(body=body).walk()}
    assert set(BLOCK_TYPES) | set(INLINE_TYPES) <= types, "the test document misses a node type"
    return dataclasses.replace(doc, body=body)


@pytest.mark.parametrize("builder", ["pdf", "docx", "html"])
def test_every_builder_renders_a_document_of_every_node_type(project, builder, tmp_path):
    doc = every_node_document(project.document(project.documents[0].id, "fi"))
    instance = get_builder(builder)(project, tmp_path)
    assert [d for d in instance.prepare() if d.is_error] == []
    rendered = instance.render_document(doc)
    assert [d for d in rendered.findings if d.is_error] == []
    (path, data), = [(p, d) for p, d in rendered.files if p.suffix == f".{builder}"]
    if builder == "pdf":
        pdftotext = pytest.importorskip("shutil").which("pdftotext")
        if pdftotext is None:
            pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True).stdout
    elif builder == "docx":
        import io

        import docx
        d = docx.Document(io.BytesIO(data))
        text = "\n".join([p.text for p in d.paragraphs] +
                         [c.text for t in d.tables for r in t.rows for c in r.cells])
    else:
        text = data.decode("utf-8")
    for words in ("korostus", "vahva", "koodi", "linkki", "Tavoite X", "kohta", "lainaus", "Teema",
                  "Mittari 1", "Mittari 2", "Vaikuttavuus 2", "OKM", "kohtalainen", "liitteen teksti"):
        assert words in text, f"{builder}: {words!r} missing"


def test_an_unknown_node_is_a_finding_at_its_line_not_a_traceback(tmp_path):
    @dataclasses.dataclass(eq=True)
    class Chart(A.Node):
        TYPE = "chart"

    project = sopimus.load(CONTENT)  # its own copy: the document is changed below
    first = project.documents[0]
    first.body.append(Chart(source=A.Source("99.rst", 42)))
    result = build(project, "pdf", ["fi"], tmp_path)
    assert [(d.file, d.line, d.code) for d in result.errors] == [("99.rst", 42, "unrenderable")]
    assert not (tmp_path / "pdf").exists()  # nothing written
