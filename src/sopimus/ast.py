"""The typed AST: a small, closed set of node classes every builder reads.

Every node carries its ``source`` (file and line).  Documents are localised
before a builder sees them: every text field is a plain string in the
document's language.  ``to_dict``/``from_dict`` give the JSON shape fixed in
the design notes (``"type"`` on every node, decimals as strings), and
``from_dict(to_dict(doc)) == doc``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, ClassVar, Iterator, Sequence, Union

SCHEMA = "sopimus/1"


@dataclass(frozen=True)
class Source:
    """Where a node was written: the source file (as the project names it) and its line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


NOWHERE = Source("", 0)


@dataclass(eq=True)
class Node:
    """Base of every AST node; ``TYPE`` is its name in JSON."""

    TYPE: ClassVar[str] = ""
    source: Source = field(default=NOWHERE, compare=False, kw_only=True)
    # The language of this node's own text (title, name, paragraph) when it is
    # not the document's: a translation fell back to the source text.
    lang: str | None = field(default=None, kw_only=True)

    def children(self) -> Iterator["Node"]:
        """Direct child nodes, in document order."""
        for name in _child_fields(type(self)):
            value = getattr(self, name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, Node):
                        yield item

    def walk(self) -> Iterator["Node"]:
        """This node and all its descendants, depth first, in document order."""
        stack: list[Node] = [self]
        while stack:   # a stack, not nested generators: an agreement's tree is walked thousands of times
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.children())))


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold child nodes (all but where and which language)."""
    try:
        return _CHILD_FIELDS[cls]
    except KeyError:
        names = tuple(f.name for f in fields(cls) if f.name not in ("source", "lang"))
        _CHILD_FIELDS[cls] = names
        return names


# --- inline nodes -----------------------------------------------------------

@dataclass(eq=True)
class Text(Node):
    """Plain text inside a paragraph or another inline node."""

    TYPE = "text"
    text: str = ""


@dataclass(eq=True)
class Emphasis(Node):
    """Emphasised text (reST ``*text*``)."""

    TYPE = "emphasis"
    content: list["Inline"] = field(default_factory=list)


@dataclass(eq=True)
class Strong(Node):
    """Strong text (reST ``**text**``)."""

    TYPE = "strong"
    content: list["Inline"] = field(default_factory=list)


@dataclass(eq=True)
class Literal(Node):
    """Literal, monospaced text (reST ````text````)."""

    TYPE = "literal"
    text: str = ""


@dataclass(eq=True)
class Link(Node):
    """A hyperlink to ``url`` (http, https or mailto) around inline nodes."""

    TYPE = "link"
    url: str = ""
    content: list["Inline"] = field(default_factory=list)


@dataclass(eq=True)
class GoalRef(Node):
    """A reference to a goal by id; ``title`` is filled in from the goal."""

    TYPE = "goal_ref"
    target: str = ""
    title: str = ""


Inline = Union[Text, Emphasis, Strong, Literal, Link, GoalRef]


# --- block nodes ------------------------------------------------------------

@dataclass(eq=True)
class Paragraph(Node):
    """A paragraph of inline nodes."""

    TYPE = "paragraph"
    content: list[Inline] = field(default_factory=list)


@dataclass(eq=True)
class ListItem(Node):
    """One item of a :class:`BulletList`, holding blocks."""

    TYPE = "list_item"
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class ItemList(Node):
    """A list of items; ``ordered`` for an enumerated list."""

    TYPE = "list"
    ordered: bool = False
    items: list[ListItem] = field(default_factory=list)


@dataclass(eq=True)
class Quote(Node):
    """A block quote."""

    TYPE = "quote"
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class Section(Node):
    """A numbered section; ``number`` ("1.2") comes from the structure."""

    TYPE = "section"
    id: str = ""
    number: str = ""
    level: int = 1
    title: str = ""
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class Theme(Node):
    """A theme of the result targets (``.. theme::``), holding goals and indicators."""

    TYPE = "theme"
    id: str = ""
    title: str = ""
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class Goal(Node):
    """A goal (level 1) or a sub-goal (level 2) of the result targets."""

    TYPE = "goal"
    id: str = ""
    level: int = 1
    title: str = ""
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class YearTarget(Node):
    """The target text of one year ("Tavoite 2026")."""

    TYPE = "target"
    year: int = 0
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class TargetLevel:
    """One year's target level of an indicator: ``op`` and a decimal."""

    year: int
    op: str
    value: Decimal


@dataclass(eq=True)
class Indicator(Node):
    """An indicator (``.. indicator::``): its unit and one target level per year."""

    TYPE = "indicator"
    id: str = ""
    name: str = ""
    unit: str | None = None
    targets: list[TargetLevel] = field(default_factory=list)
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class ImpactGoal(Node):
    """A societal-impact goal (``.. impact-goal::``) with the ministry that sets it."""

    TYPE = "impact_goal"
    id: str = ""
    ministry: str = ""
    text: str = ""


@dataclass(eq=True)
class Annex(Node):
    """An annex (``.. annex::``), numbered from the document's annex numbering start."""

    TYPE = "annex"
    id: str = ""
    number: int = 1
    title: str = ""
    body: list["Block"] = field(default_factory=list)


@dataclass(eq=True)
class RatingLevel:
    """One level of the rating scale: the rating (1–3) and its meaning."""

    rating: int
    text: str


@dataclass(eq=True)
class RatingScale(Node):
    """The traffic-light rating scale (``.. rating-scale::``)."""

    TYPE = "rating_scale"
    levels: list[RatingLevel] = field(default_factory=list)


@dataclass(eq=True)
class TableCell(Node):
    """One cell: its text (inline nodes, one message to translate) and how
    many grid columns and rows it spans (grid tables can merge cells).

    A cell of a column the source declares numeric (``:numeric-columns:``)
    is typed: ``value`` is its number and ``percent`` whether it was written
    with ``%``; builders show it in the locale's form (``1 234,5``), while
    ``content`` keeps the text as written.  Every other cell is text."""

    TYPE = "cell"
    content: list[Inline] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1
    value: Decimal | None = None
    percent: bool = False


@dataclass(eq=True)
class TableRow(Node):
    """One row of a table: its cells, left to right (a cell merged from the
    row above is not repeated)."""

    TYPE = "row"
    cells: list[TableCell] = field(default_factory=list)


@dataclass(eq=True)
class Table(Node):
    """A table of the prose or an annex (``list-table``, grid or simple table):
    ``header_rows`` rows of column headers repeat on every page; ``widths``
    are relative column widths as the source gives them."""

    TYPE = "table"
    title: str = ""
    widths: list[int] = field(default_factory=list)
    header_rows: int = 0
    rows: list[TableRow] = field(default_factory=list)

    def placed(self) -> list[list[tuple[int, TableCell]]]:
        """Per row, its cells with the grid column each starts in (a cell
        merged from the rows above takes its columns)."""
        taken: set[tuple[int, int]] = set()
        out: list[list[tuple[int, TableCell]]] = []
        for r, row in enumerate(self.rows):
            c, cells = 0, []
            for cell in row.cells:
                while (r, c) in taken:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                cells.append((c, cell))
                c += cell.colspan
            out.append(cells)
        return out


@dataclass(eq=True)
class Signatures(Node):
    """Where the signature blocks go; their data is on the document."""

    TYPE = "signatures"


Block = Union[Paragraph, ItemList, Quote, Table, Section, Theme, Goal, YearTarget,
              Indicator, ImpactGoal, Annex, RatingScale, Signatures]


# --- document ---------------------------------------------------------------

@dataclass(eq=True)
class Party(Node):
    """A party of the agreement: a ministry, an agency or another organisation."""

    TYPE = "party"
    id: str = ""
    kind: str = "other"
    name: str = ""
    abbreviation: str | None = None


@dataclass(eq=True)
class Signatory(Node):
    """Who signs for a party (``party`` is the party's id); one signature field each."""

    TYPE = "signatory"
    party: str = ""
    role: str = ""
    name: str | None = None


@dataclass(eq=True)
class HistoryEntry(Node):
    """An earlier version of the agreement: when, which, under which register number, what was agreed."""

    TYPE = "history_entry"
    date: _dt.date | None = None
    version: str = ""
    register_number: str | None = None
    agreed: str = ""


@dataclass(eq=True)
class Period:
    """The agreement period in years, inclusive (2026–2029)."""

    start: int
    end: int

    @property
    def years(self) -> range:
        """Every year of the period."""
        return range(self.start, self.end + 1)


@dataclass(eq=True)
class Document(Node):
    """One agreement in one language: metadata, parties, signatories and the body blocks.

    ``lang`` (of every node) is here the language of the title when a
    translation fell back to the source; ``subtitle_lang`` that of the subtitle."""

    TYPE = "document"
    id: str = ""
    language: str = "fi"
    doc_type: str = "tulossopimus"
    title: str = ""
    subtitle: str | None = None
    subtitle_lang: str | None = None
    organisation: str = ""
    period: Period = field(default_factory=lambda: Period(0, 0))
    binding_year: int | None = None
    register_number: str | None = None
    status: str = "final"
    signing: str = "electronic"     # electronic | paper: paper adds the place-and-date line
    date: _dt.date | None = None
    place: str | None = None
    parties: list[Party] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    version: str | None = None          # this version ("2027"): the cover says it was updated
    history: list[HistoryEntry] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)

    def party(self, party_id: str) -> Party | None:
        """The party with id ``party_id``, or None."""
        return next((p for p in self.parties if p.id == party_id), None)

    @property
    def is_draft(self) -> bool:
        """``status: draft``: every page is marked as a draft."""
        return self.status == "draft"


NODE_CLASSES: dict[str, type[Node]] = {
    cls.TYPE: cls for cls in (
        Text, Emphasis, Strong, Literal, Link, GoalRef, Paragraph, ListItem,
        ItemList, Quote, Section, Theme, Goal, YearTarget, Indicator,
        ImpactGoal, Annex, RatingScale, TableCell, TableRow, Table, Signatures, Party, Signatory, HistoryEntry,
        Document)
}

# Field names that differ between Python and JSON.
_RENAMES = {"content": "children", "doc_type": "doc_type"}


# Fields written only when given, so documents without them keep their JSON.
_OPTIONAL = ("version", "history", "lang", "value", "percent", "subtitle_lang")   # left out of JSON while empty


def _empty(value: Any) -> bool:
    """Not given: None, False, "" or [] (a number 0 is given)."""
    return value is None or value is False or (isinstance(value, (str, list)) and not value)


# --- JSON -------------------------------------------------------------------

def to_dict(node: Node) -> dict[str, Any]:
    """The node as JSON-ready data (decimals as strings, never floats)."""
    out: dict[str, Any] = {"type": node.TYPE}
    if isinstance(node, Document):
        out["schema"] = SCHEMA
    for f in fields(node):
        if f.name == "source" or (f.name in _OPTIONAL and _empty(getattr(node, f.name))):
            continue
        out[_RENAMES.get(f.name, f.name)] = _value_to_json(getattr(node, f.name))
    out["source"] = {"file": node.source.file, "line": node.source.line}
    return out


def _value_to_json(value: Any) -> Any:
    if isinstance(value, Node):
        return to_dict(value)
    if isinstance(value, list):
        return [_value_to_json(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (_dt.date,)):
        return value.isoformat()
    if isinstance(value, TargetLevel):
        return {"year": value.year, "op": value.op, "value": str(value.value)}
    if isinstance(value, RatingLevel):
        return {"rating": value.rating, "text": value.text}
    if isinstance(value, Period):
        return {"start": value.start, "end": value.end}
    return value


def from_dict(data: dict[str, Any]) -> Node:
    """Rebuild a node from :func:`to_dict` output."""
    cls = NODE_CLASSES[data["type"]]
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name == "source":
            src = data.get("source") or {}
            kwargs["source"] = Source(src.get("file", ""), src.get("line", 0))
            continue
        key = _RENAMES.get(f.name, f.name)
        if key in data:
            kwargs[f.name] = _value_from_json(f.name, data[key])
    return cls(**kwargs)


def _value_from_json(name: str, value: Any) -> Any:
    if name == "targets":
        return [TargetLevel(t["year"], t["op"], Decimal(t["value"])) for t in value]
    if name == "levels":
        return [RatingLevel(v["rating"], v["text"]) for v in value]
    if name == "period":
        return Period(value["start"], value["end"])
    if name == "date" and value is not None:
        return _dt.date.fromisoformat(value)
    if name == "value" and value is not None:   # a numeric table cell's
        return Decimal(value)
    if isinstance(value, dict) and "type" in value:
        return from_dict(value)
    if isinstance(value, list):
        return [from_dict(v) if isinstance(v, dict) and "type" in v else v for v in value]
    return value


def goals_by_id(nodes: list[Node]) -> dict[str, "Goal"]:
    """Every goal under ``nodes`` by id (the first one of an id)."""
    out: dict[str, Goal] = {}
    for top in nodes:
        for node in top.walk():
            if isinstance(node, Goal):
                out.setdefault(node.id, node)
    return out


def resolve_goal_refs(nodes: list[Node], goals: dict[str, "Goal"]) -> list["GoalRef"]:
    """Give every ``:goal:`` reference under ``nodes`` its goal's title (in
    place); return the references whose goal is not in ``goals``."""
    unknown: list[GoalRef] = []
    for top in nodes:
        for node in top.walk():
            if isinstance(node, GoalRef):
                goal = goals.get(node.target)
                if goal is None:
                    unknown.append(node)
                else:
                    node.title = goal.title
    return unknown


def plain_text(inlines: Sequence[Node]) -> str:
    """The text of inline nodes without markup."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Literal)):
            parts.append(node.text)
        elif isinstance(node, GoalRef):
            parts.append(node.title or node.target)
        else:
            parts.append(plain_text(getattr(node, "content", [])))
    return "".join(parts)
