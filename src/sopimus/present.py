"""What every builder shows the same way: headings, numbering, indicator tables,
signature blocks, cover lines.  Builders differ in how they draw, never in what
they say, so the PDF, the DOCX and the HTML cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import ast as A
from .i18n import Labels, N_, labels
from . import clock
from .i18n.formats import format_date, format_decimal, format_level, format_percent, format_range
from .ids import slugify

DOCUMENT_TYPES = {"tulossopimus": N_("Performance agreement")}
RATING_WORDS = {3: N_("GREEN"), 2: N_("YELLOW"), 1: N_("RED")}
RATING_COLOURS = {3: "green", 2: "yellow", 1: "red"}  # names of the theme's colours


def labels_for(doc: A.Document) -> Labels:
    return labels(doc.language)


def heading_text(node: A.Node, _: Labels) -> str:
    """The heading as printed: ``1.2 Toiminta-ajatus`` or ``Liite 0: Seurantamittarit``."""
    if isinstance(node, A.Section):
        return f"{node.number} {node.title}"
    if isinstance(node, A.Annex):
        return _("Annex {number}: {title}", number=node.number, title=node.title)
    raise TypeError(f"{node.TYPE} has no heading")


def anchor(node: A.Node) -> str:
    """A stable anchor for links and bookmarks."""
    if isinstance(node, A.Section):
        return f"s-{node.id}"
    return f"{node.TYPE.replace('_', '-')}-{getattr(node, 'id', '') or slugify(str(node.source))}"


def printed_address(link: A.Link) -> str | None:
    """The address a printed link shows after its text, in parentheses: a
    printed or archived agreement must still say where a regulation is.
    None when the text already is the address."""
    label = A.plain_text(link.content).strip()
    bare = link.url.split("://", 1)[-1].removeprefix("mailto:").rstrip("/")
    if not label or label.rstrip("/") in (link.url.rstrip("/"), bare):
        return None
    return link.url


@dataclass(frozen=True)
class GridCell:
    """A table cell where it stands in the grid: row, column, spans, header or
    not, right-aligned as a figure or not, and what it shows (``content``: a
    typed number in the locale's form, any other cell as written)."""

    cell: A.TableCell
    row: int
    column: int
    header: bool
    numeric: bool
    content: list[A.Node]


def cell_content(cell: A.TableCell, lang: str) -> list[A.Node]:
    """What a cell shows: a typed number as the locale writes it (``1 234,5``,
    ``85 %``), any other cell exactly as written."""
    if cell.value is None:
        return cell.content
    number = format_percent(cell.value, lang) if cell.percent else format_decimal(cell.value, lang)
    return [A.Text(number, source=cell.source)]


def _looks_numeric(cell: A.TableCell) -> bool:
    """An untyped cell of figures only (``41,2``, ``≤ 600``): right-aligned, shown as written."""
    text = A.plain_text(cell.content).strip()
    return (bool(text) and any(ch.isdigit() for ch in text)
            and all(ch.isdigit() or ch in " \u00a0%.,+-–−<>=≤≥€" for ch in text))


def table_grid(table: A.Table, lang: str) -> tuple[int, list[list[GridCell]]]:
    """The table's column count and, per row, its cells placed in the grid
    (a cell merged from the rows above takes its columns), shown in ``lang``."""
    placed: list[list[GridCell]] = []
    columns = len(table.widths)
    for r, row in enumerate(table.placed()):
        out = [GridCell(cell, r, c, r < table.header_rows, cell.value is not None or _looks_numeric(cell),
                        cell_content(cell, lang)) for c, cell in row]
        placed.append(out)
        columns = max(columns, max((g.column + g.cell.colspan for g in out), default=0))
    return columns, placed


def column_weights(table: A.Table, columns: int) -> list[int]:
    """The relative widths of a table's ``columns``: as the source gives them, else equal."""
    return table.widths if len(table.widths) == columns else [1] * columns


def printed_text(inlines: list[A.Node]) -> str:
    """Inline nodes as print (PDF, DOCX) reads: each link's address after its text."""
    out = []
    for node in inlines:
        if isinstance(node, A.Link):
            address = printed_address(node)
            out.append((A.plain_text(node.content) or node.url) + (f" ({address})" if address else ""))
        elif isinstance(node, (A.Emphasis, A.Strong)):
            out.append(printed_text(node.content))
        else:
            out.append(A.plain_text([node]))
    return "".join(out)


def goal_anchor(goal_id: str) -> str:
    """The anchor of a goal's heading, which every ``:goal:`` reference to it links to."""
    return anchor(A.Goal(id=goal_id))


@dataclass(frozen=True)
class TocEntry:
    level: int
    text: str
    anchor: str
    node: A.Node


def toc(doc: A.Document, _: Labels, max_level: int = 2) -> list[TocEntry]:
    """Sections (to ``max_level``) and annexes, in document order."""
    out: list[TocEntry] = []

    def visit(blocks: list[A.Node]) -> None:
        for node in blocks:
            if isinstance(node, A.Section):
                if node.level <= max_level:
                    out.append(TocEntry(node.level, heading_text(node, _), anchor(node), node))
                visit(node.body)
            elif isinstance(node, A.Annex):
                out.append(TocEntry(1, heading_text(node, _), anchor(node), node))
    visit(doc.body)
    return out


def document_type(doc: A.Document, _: Labels) -> str:
    msgid = DOCUMENT_TYPES.get(doc.doc_type)
    return _(msgid) if msgid else doc.doc_type


def period_text(doc: A.Document) -> str:
    return format_range(doc.period.start, doc.period.end)


def date_text(doc: A.Document) -> str | None:
    return format_date(doc.date, doc.language) if doc.date else None


def page_word(_: Labels) -> str:
    """The word before the page mark: "sivu" / "sida"."""
    return _("page")


def page_mark(page: int, total: int, _: Labels) -> str:
    """``sivu 3 (24)``: page 3 of 24, as Finnish official documents write it."""
    return f"{page_word(_)} {page} ({total})"


def target_heading(year: int, _: Labels) -> str:
    return _("Target {year}", year=year)


@dataclass(frozen=True)
class IndicatorTable:
    """One indicator as a table: a header row and one row of values.

    Columns: name, unit, then one per year of the period; an empty year is
    an empty cell (no target that year). Follow-up indicators (a run in which
    no indicator has a target, as in the annex "Seurantamittarit") have no
    year columns: name and unit only.
    """

    header: list[str]
    row: list[str]
    years: list[int]


def indicator_table(ind: A.Indicator, doc: A.Document, _: Labels,
                    run: list[A.Indicator] | None = None) -> IndicatorTable:
    """``ind`` as one row of the table of ``run``, the indicators shown together."""
    years = list(doc.period.years) if any(i.targets for i in (run or [ind])) else []
    by_year = {t.year: t for t in ind.targets}
    header = [_("Indicator"), _("Unit")] + [_("Target {year}", year=y) for y in years]
    cells = [format_level(by_year[y].op, by_year[y].value, ind.unit, doc.language) if y in by_year else ""
             for y in years]
    return IndicatorTable(header, [ind.name, ind.unit or ""] + cells, years)


def rating_word(rating: int, _: Labels) -> str:
    return _(RATING_WORDS[rating])


def rating_colour(rating: int) -> str | None:
    """The theme colour of a rating (``green`` for 3 …); None for a rating off the scale."""
    return RATING_COLOURS.get(rating)


@dataclass(frozen=True)
class SignatureBlock:
    party: str
    role: str
    name: str | None
    field_name: str
    party_lang: str | None = None   # set when the party's name or the role is shown in
    role_lang: str | None = None    # the source language (no translation in the metadata)


def signature_blocks(doc: A.Document) -> list[SignatureBlock]:
    """One block per signatory; field names are unique, ASCII and the same in
    every language: made of the party's id (and a number for a party's second
    signatory), never of a translated role, so a signing service set up for
    the Finnish file finds the same fields in the Swedish one."""
    out: list[SignatureBlock] = []
    used: set[str] = set()
    for s in doc.signatories:
        party = doc.party(s.party)
        base = "sig-" + slugify(s.party)
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        out.append(SignatureBlock(party.name if party else s.party, s.role, s.name, name,
                                  party.lang if party else None, s.lang))
    return out


def signed_on_paper(doc: A.Document) -> bool:
    """Paper: place and date to fill in by hand. Electronic (the default): no
    place or date line, because each signature carries its own time."""
    return doc.signing == "paper"


def signatures_title(_: Labels) -> str:
    """The caption over the signature blocks: "Allekirjoitukset" / "Underskrifter"."""
    return _("Signatures")


@dataclass(frozen=True)
class PlaceAndDate:
    """Where and when the agreement is signed: ``Helsinki 15.1.2026`` when both
    are known; otherwise what is known, over a line captioned ``caption``."""

    known: str
    complete: bool
    caption: str

    def __str__(self) -> str:
        return self.known if self.complete else (self.known or self.caption)


def place_and_date(doc: A.Document, _: Labels) -> PlaceAndDate:
    known = f"{doc.place or ''} {date_text(doc) or ''}".strip()
    return PlaceAndDate(known, bool(doc.place and doc.date), _("Place and date"))


@dataclass(frozen=True)
class PageHeader:
    """The words of every page's header, the same in the PDF and the DOCX:
    organisation, document type, the date (a draft without one shows the day
    it was built) and the draft mark (``LUONNOS`` / ``UTKAST``, empty when final)."""

    organisation: str
    document_type: str
    date: str
    draft: str


def page_header(doc: A.Document, _: Labels) -> PageHeader:
    date = date_text(doc)
    if date is None and doc.is_draft:
        date = format_date(clock.draft_datetime().date(), doc.language)
    return PageHeader(doc.organisation, document_type(doc, _), date or "", _("DRAFT") if doc.is_draft else "")


@dataclass(frozen=True)
class CoverFact:
    """One label and its value on the first page; the value's lines each with
    the language they are in when it is not the document's (a party's name
    without a translation is shown, and marked, in the source language)."""

    label: str
    lines: list[tuple[str, str | None]]

    @property
    def value(self) -> str:
        return "\n".join(text for text, _lang in self.lines)

    @property
    def mixed(self) -> bool:
        """Whether a line is in another language than the document."""
        return any(lang for _text, lang in self.lines)


def cover_facts(doc: A.Document, _: Labels) -> list[CoverFact]:
    """The facts of the first page (empty values are left out)."""
    def other(lang: str | None) -> str | None:
        return lang if lang and lang != doc.language else None

    rows = [CoverFact(_("Parties"), [(p.name, other(p.lang)) for p in doc.parties]),
            CoverFact(_("Agreement period"), [(period_text(doc), None)])]
    if doc.binding_year:
        rows.append(CoverFact(_("Binding targets for"), [(str(doc.binding_year), None)]))
    if doc.version:  # "Päivitetty: 2027": an update of the agreement
        rows.append(CoverFact(_("Updated"), [(doc.version, None)]))
    if doc.register_number:
        rows.append(CoverFact(_("Register number"), [(doc.register_number, None)]))
    if doc.date:
        rows.append(CoverFact(_("Date"), [(date_text(doc) or "", None)]))
    return rows


def cover_lines(doc: A.Document, _: Labels) -> list[tuple[str, str]]:
    """Label/value pairs for the first page (empty values are left out)."""
    return [(fact.label, fact.value) for fact in cover_facts(doc, _)]


@dataclass(frozen=True)
class HistoryTable:
    """The versions of the agreement so far, for a table under the cover."""

    caption: str
    header: list[str]
    rows: list[list[str]]


def history_table(doc: A.Document, _: Labels) -> HistoryTable | None:
    if not doc.history:
        return None
    rows = [[format_date(h.date, doc.language) if h.date else "", h.version, h.register_number or "", h.agreed]
            for h in doc.history]
    return HistoryTable(_("Version history"), [_("Date"), _("Version"), _("Register number"), _("Agreed")], rows)
