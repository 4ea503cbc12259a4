"""Round trip over generated agreements: whatever an agreement says, every
output says exactly that.

Hypothesis generates agreements — any number of parties and signatories, a
period of 1–5 years, every node type, every target operator, text drawn from
Finnish, Swedish and Sámi letters, digits, punctuation and the symbols the
PDF's main font lacks, long names, empty optional fields — renders them as
PDF, DOCX, HTML and JSON in Finnish and Swedish, reads each back as its
consumer would (pdftotext, python-docx, an HTML parser, json) and checks that
every title, paragraph, target level, unit, party, role and signatory is
there, in order, and that every paragraph is there exactly once.

The suite runs a few examples with a fixed seed; ``make fuzz`` runs many
(``SOPIMUS_FUZZ_EXAMPLES``, default 2000 there) with fresh randomness.
"""
from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopimus import ast as A
from sopimus import builders, present
from sopimus.builders.json import loads
from sopimus.i18n.formats import format_level
from sopimus.reader import read

from helpers import new_project
from readback import docx_text, html_text, pdf_text

EXAMPLES = int(os.environ.get("SOPIMUS_FUZZ_EXAMPLES", "3"))
FUZZING = "SOPIMUS_FUZZ_EXAMPLES" in os.environ

LETTERS = ("abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"
           "áčđŋšŧžÁČĐŊŠŦŽâêõʒǯǥǧǩʹÂÕƷǮǤǦǨ")   # Finnish, Swedish, Northern/Inari/Skolt Sámi
OTHERS = "0123456789.,;:!?()-–—'\"/&%+<>§@#≤≥≠±×÷−∞½²³€→"
WORD = st.text(st.sampled_from(LETTERS + OTHERS), min_size=1, max_size=12)
OPS = ["<", "<=", ">", ">=", "="]


def _words(min_size: int = 1, max_size: int = 6):
    return st.lists(WORD, min_size=min_size, max_size=max_size).map(" ".join)


class Keys:
    """A unique tag for every generated text, so 'exactly once' can be counted.

    The tag opens and closes with different marks that no generated text has
    (``¤12¦``): the readers' text is compared without whitespace, where two tags
    side by side (a TOC's "Liite 1: 0 ¤30¤" and "1 0 ¤15¤") must not make a third
    ("0¤10¤")."""

    def __init__(self):
        self.n = 0

    def text(self, body: str) -> str:
        self.n += 1
        return f"{body} ¤{self.n}¦"


@st.composite
def inlines(draw, keys: Keys, goals: list[A.Goal]) -> list[A.Node]:
    parts: list[A.Node] = []
    for kind in draw(st.lists(st.sampled_from(["text", "em", "strong", "literal", "link", "goal"]), max_size=4)):
        words = draw(_words(1, 3))
        if kind == "em":
            parts.append(A.Emphasis(content=[A.Text(words)]))
        elif kind == "strong":
            parts.append(A.Strong(content=[A.Text(words)]))
        elif kind == "literal":
            parts.append(A.Literal(words))
        elif kind == "link":
            parts.append(A.Link(url=f"https://example.fi/{len(parts)}", content=[A.Text(words)]))
        elif kind == "goal" and goals:
            goal = draw(st.sampled_from(goals))
            parts.append(A.GoalRef(target=goal.id, title=goal.title))
        else:
            parts.append(A.Text(words))
        parts.append(A.Text(" "))
    parts.append(A.Text(keys.text(draw(_words(1, 4)))))   # the paragraph's own tag ends it
    return parts


@st.composite
def paragraph(draw, keys, goals):
    return A.Paragraph(content=draw(inlines(keys, goals)))


@st.composite
def number_cell(draw) -> A.TableCell:
    """A cell of a ``:numeric-columns:`` column: typed, written as a drafter writes it."""
    value = Decimal(draw(st.integers(-10 ** 9, 10 ** 9))) / draw(st.sampled_from([1, 10, 100]))
    percent = draw(st.booleans())
    written = str(value).replace(".", draw(st.sampled_from([",", "."]))) + (" %" if percent else "")
    return A.TableCell([A.Text(written)], value=value, percent=percent)


@st.composite
def table(draw, keys) -> A.Table:
    """A table of 1-4 columns, 0-1 header rows, some cells spanning two columns,
    some columns typed as numbers below the header."""
    columns = draw(st.integers(1, 4))
    numeric = set(draw(st.lists(st.integers(0, columns - 1), unique=True, max_size=2)))
    header_rows = draw(st.integers(0, 1))
    rows = []
    for r in range(draw(st.integers(1, 4))):
        cells, used = [], 0
        while used < columns:
            span = 2 if used + 2 <= columns and draw(st.booleans()) and draw(st.booleans()) else 1
            if r >= header_rows and span == 1 and used in numeric:
                cells.append(draw(number_cell()))
            else:
                cells.append(A.TableCell([A.Text(keys.text(draw(_words(1, 3))))], colspan=span))
            used += span
        rows.append(A.TableRow(cells))
    return A.Table(title=draw(st.one_of(st.just(""), _words(1, 4).map(keys.text))),
                   widths=draw(st.lists(st.integers(1, 5), min_size=columns, max_size=columns)),
                   header_rows=min(header_rows, len(rows)), rows=rows)


@st.composite
def indicator(draw, keys, years: list[int], n: int):
    unit = draw(st.one_of(st.none(), st.sampled_from(["%", "pv", "kpl", "Asteikko 1–5"]), _words(1, 2)))
    chosen = draw(st.lists(st.sampled_from(years), unique=True, max_size=len(years)))
    targets = [A.TargetLevel(y, draw(st.sampled_from(OPS)),
                             Decimal(draw(st.integers(0, 99999))) / draw(st.sampled_from([1, 10])))
               for y in sorted(chosen)]
    return A.Indicator(id=f"mittari-{n}", name=keys.text(draw(_words(1, 25))), unit=unit, targets=targets)


@st.composite
def agreements(draw, lang: str) -> A.Document:
    keys = Keys()
    start = draw(st.integers(2026, 2030))
    years = list(range(start, start + draw(st.integers(1, 5))))
    n_parties = draw(st.integers(1, 6))
    parties = [A.Party(id=f"osapuoli-{i}", kind=draw(st.sampled_from(["ministry", "agency", "other"])),
                       name=keys.text(draw(_words(1, 8))),
                       abbreviation=draw(st.one_of(st.none(), st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"),
                                                                    min_size=2, max_size=4))))
               for i in range(n_parties)]
    signatories = [A.Signatory(party=draw(st.sampled_from(parties)).id, role=keys.text(draw(_words(1, 3))),
                               name=draw(st.one_of(st.none(), _words(1, 3).map(keys.text))))
                   for _ in range(draw(st.integers(1, 7)))]

    goals: list[A.Goal] = []
    themes = []
    for t in range(draw(st.integers(1, 2))):
        theme_goals = []
        for g in range(draw(st.integers(1, 2))):
            goal = A.Goal(id=f"tavoite-{t}-{g}", level=1, title=keys.text(draw(_words(1, 10))))
            goals.append(goal)
            sub = []
            if draw(st.booleans()):
                subgoal = A.Goal(id=f"tavoite-{t}-{g}-a", level=2, title=keys.text(draw(_words(1, 6))))
                goals.append(subgoal)
                subgoal.body = [A.YearTarget(year=y, body=[draw(paragraph(keys, []))])
                                for y in draw(st.lists(st.sampled_from(years), unique=True, min_size=1))]
                sub.append(subgoal)
            goal.body = sub + [A.YearTarget(year=years[0], body=[draw(paragraph(keys, []))])]
            theme_goals.append(goal)
        indicators = [draw(indicator(keys, years, t * 10 + i)) for i in range(draw(st.integers(0, 3)))]
        themes.append(A.Theme(id=f"teema-{t}", title=keys.text(draw(_words(1, 8))), body=theme_goals + indicators))

    def items():
        return [A.ListItem(body=[draw(paragraph(keys, goals))]) for _ in range(draw(st.integers(1, 3)))]

    first = A.Section(id="ensimmainen", number="1", level=1, title=keys.text(draw(_words(1, 5))), body=[
        draw(paragraph(keys, goals)),
        A.ItemList(ordered=draw(st.booleans()), items=items()),
        A.Quote(body=[draw(paragraph(keys, goals))]),
        draw(table(keys)),
        A.Section(id="alaluku", number="1.1", level=2, title=keys.text(draw(_words(1, 5))),
                  body=[draw(paragraph(keys, goals))]),
    ])
    impact = A.Section(id="vaikuttavuus", number="2", level=1, title=keys.text(draw(_words(1, 3))), body=[
        A.ImpactGoal(ministry=draw(st.sampled_from(["TEM", "LVM", "MMM", "YM", "OKM"])),
                     text=keys.text(draw(_words(1, 10))))
        for _ in range(draw(st.integers(1, 3)))])
    results = A.Section(id="tulostavoitteet", number="3", level=1, title=keys.text(draw(_words(1, 3))),
                        body=themes + [draw(paragraph(keys, goals))])
    closing = A.Section(id="allekirjoitukset", number="4", level=1, title=keys.text(draw(_words(1, 3))), body=[
        A.RatingScale(levels=[A.RatingLevel(r, keys.text(draw(_words(1, 5)))) for r in (3, 2, 1)]),
        A.Signatures()])
    annex = A.Annex(id="liite", number=1, title=keys.text(draw(_words(1, 4))),
                    body=[draw(indicator(keys, years, 100 + i)) for i in range(draw(st.integers(1, 2)))])
    return A.Document(
        id="virasto-tulossopimus", language=lang, title=keys.text(draw(_words(1, 12))),
        subtitle=draw(st.one_of(st.none(), _words(1, 5).map(keys.text))),
        organisation=keys.text(draw(_words(1, 3))), period=A.Period(years[0], years[-1]),
        binding_year=draw(st.one_of(st.none(), st.just(years[0]))),
        register_number=draw(st.one_of(st.none(), st.just("VN/1234/2025"))),
        parties=parties, signatories=signatories, body=[first, impact, results, closing, annex])


# --- what the readers must find ----------------------------------------------------------------

def _flat(text: str) -> str:
    """Without whitespace: where a line breaks is layout, not text."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ").replace("\u202f", " "))


def expected(doc: A.Document, fmt: str) -> tuple[list[str], list[str]]:
    """(every text in reading order, the texts that appear exactly once) in ``fmt``."""
    order: list[str] = [doc.title]
    once: list[str] = []

    def blocks(nodes):
        for node in nodes:
            if isinstance(node, A.Paragraph):
                text = present.printed_text(node.content) if fmt in ("pdf", "docx") else A.plain_text(node.content)
                order.append(text)
                once.append(text)
            elif isinstance(node, (A.Section, A.Theme, A.Goal, A.Annex)):
                order.append(node.title)
                blocks(node.body)
            elif isinstance(node, A.Indicator):
                order.append(node.name)
                once.append(node.name)
                if node.unit:
                    order.append(node.unit)
                order.extend(format_level(t.op, t.value, node.unit, doc.language) for t in node.targets)
            elif isinstance(node, A.Table):
                if node.title:
                    order.append(node.title)
                    once.append(node.title)
                for row in node.rows:
                    for cell in row.cells:   # a typed number as the language writes it
                        order.append(A.plain_text(present.cell_content(cell, doc.language)))
                        if cell.value is None:
                            once.append(A.plain_text(cell.content))
            elif isinstance(node, A.ImpactGoal):
                order.extend([node.ministry, node.text])
                once.append(node.text)
            elif isinstance(node, A.RatingScale):
                order.extend(level.text for level in node.levels)
                once.extend(level.text for level in node.levels)
            elif isinstance(node, A.Signatures):
                for block in present.signature_blocks(doc):
                    order.extend([block.party] + ([block.name] if block.name else []) + [block.role])
                    once.append(block.role)
                    if block.name:
                        once.append(block.name)
            elif isinstance(node, (A.YearTarget, A.Quote, A.ListItem)):
                blocks(node.body)
            elif isinstance(node, A.ItemList):
                blocks(node.items)

    blocks(doc.body)
    return order, once


def check(text: str, doc: A.Document, fmt: str) -> None:
    flat = _flat(text)
    order, once = expected(doc, fmt)
    at = 0
    for piece in order:
        found = flat.find(_flat(piece), at)
        assert found >= 0, f"{fmt} {doc.language}: {piece!r} missing (or out of order) after {flat[max(at - 60, 0):at]!r}"
        at = found + len(_flat(piece))
    for piece in once:
        assert flat.count(_flat(piece)) == 1, f"{fmt} {doc.language}: {piece!r} appears {flat.count(_flat(piece))} times"
    for party in doc.parties:
        assert _flat(party.name) in flat, f"{fmt}: party {party.name!r} missing"


# --- the property -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def renderers(tmp_path_factory):
    content = new_project(tmp_path_factory.mktemp("roundtrip"))
    project, diags = read(content)
    assert not diags.errors
    out = tmp_path_factory.mktemp("roundtrip-out")
    return {name: builders.get(name)(project, out) for name in ("pdf", "docx", "html", "json")}


READERS = {"pdf": pdf_text, "docx": docx_text, "html": html_text}


def _render(builder, doc: A.Document) -> bytes:
    rendered = builder.render_document(doc)
    assert rendered.files, [d.format() for d in rendered.findings]
    return rendered.files[0][1]


def round_trip(renderers, doc: A.Document) -> None:
    """Every reader finds what ``doc`` says; the JSON gives ``doc`` back."""
    for fmt, read_back in READERS.items():
        check(read_back(_render(renderers[fmt], doc)), doc, fmt)
    assert loads(_render(renderers["json"], doc)) == doc


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, derandomize=not FUZZING, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_output_says_what_the_agreement_says(renderers, data):
    for lang in ("fi", "sv"):
        round_trip(renderers, data.draw(agreements(lang), label=f"agreement ({lang})"))


# --- examples hypothesis found, kept --------------------------------------------------------------

def test_tags_side_by_side_make_no_third_tag(renderers):
    """The example ``--hypothesis-seed=298923366393803255755028776393529163573`` shrank to: in
    the DOCX's and the HTML's table of contents "Liite 1: 0 ¤30¤" stands before "1 0 ¤15¤",
    which without whitespace read "…0¤30¤10¤15¤…", a second "0¤10¤" (a signatory's role).
    A fault of the test's tags, not of the outputs; the tags are built the same way here."""
    keys = Keys()
    P = lambda body: A.Paragraph([A.Text(keys.text(body))])   # noqa: E731
    parties = [A.Party(id=f"osapuoli-{i}", kind="ministry", name=keys.text(" ".join(["0"] * n)))
               for i, n in enumerate([6, 8, 8, 1, 2])]
    signatories = [A.Signatory(party="osapuoli-0", role=keys.text("0")) for _ in range(6)]   # ¤6 … ¤11
    goal_title = keys.text("0 0")
    target = P("0")
    theme_title = keys.text("0")
    doc = A.Document(
        id="virasto-tulossopimus", language="fi", period=A.Period(2026, 2026), binding_year=2026,
        parties=parties, signatories=signatories,
        body=[A.Section(id="ensimmainen", number="1", level=1, title=keys.text("0"), body=[   # ¤15
                  P("0 0"), A.ItemList(ordered=False, items=[A.ListItem(body=[P("0")])]),
                  A.Quote(body=[P("0 0")]),
                  A.Table(widths=[1], rows=[A.TableRow([A.TableCell([A.Text(keys.text("0"))])])]),
                  A.Section(id="alaluku", number="1.1", level=2, title=keys.text("0"), body=[P("0 0 0")])]),
              A.Section(id="vaikuttavuus", number="2", level=1, title=keys.text("0"),
                        body=[A.ImpactGoal(ministry="TEM", text=keys.text("0"))]),
              A.Section(id="tulostavoitteet", number="3", level=1, title=keys.text("0"), body=[
                  A.Theme(id="teema-0", title=theme_title, body=[
                      A.Goal(id="tavoite-0-0", level=1, title=goal_title,
                             body=[A.YearTarget(year=2026, body=[target])])]),
                  P("0")]),
              A.Section(id="allekirjoitukset", number="4", level=1, title=keys.text("0"), body=[
                  A.RatingScale(levels=[A.RatingLevel(r, keys.text("0")) for r in (3, 2, 1)]), A.Signatures()]),
              A.Annex(id="liite", number=1, title=keys.text("0"),                                    # ¤30
                      body=[A.Indicator(id="mittari-100", name=keys.text("0"))])])
    doc.title, doc.organisation = keys.text("0"), keys.text("0 0")
    assert doc.body[-1].title[:-1].endswith("¤30") and doc.body[0].title[:-1].endswith("¤15")
    round_trip(renderers, doc)
