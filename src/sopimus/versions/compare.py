"""Compare two versions of a document's AST.

- Nodes with an id (themes, goals and sub-goals, indicators, impact goals,
  sections, annexes) are matched by id anywhere in the document, so a goal
  that moved to another theme is one move, not a deletion and an insertion.
- Blocks without an id (paragraphs, lists and their items, quotes) are
  aligned within their parent by sequence (:mod:`difflib`); in a stretch
  where the versions differ, a block is paired with a similar one of the
  same kind (a reworded paragraph) before it counts as deleted or inserted.
  A section's id comes from its title, so a renamed section is paired the
  same way. A year's target text is matched by its year.
- Inside a matched text the diff is by words (:mod:`sopimus.versions.words`).
- Target levels are compared year by year; metadata field by field;
  parties by id and signatories by party and role.
"""
from __future__ import annotations

import difflib
import json
from typing import Any, Callable, Hashable, Sequence, TypeVar

from .. import ast as A
from .model import (CHANGE, DELETE, EQUAL, INSERT, MOVE_FROM, MOVE_TO, TITLED, WITH_BODY, BlockDiff,
                    DocumentDiff, FieldChange, TargetChange)
from .words import Segment, diff_inlines, diff_text

_ID_NODES = (A.Section, A.Theme, A.Goal, A.Indicator, A.ImpactGoal, A.Annex)
_SIMILAR = 0.5   # how alike two paragraphs must be to count as one reworded paragraph
_WINDOW = 24     # how far ahead a paragraph looks for its reworded self

_Entry = TypeVar("_Entry", A.Party, A.Signatory)
# Where a block is found by (type, id): the block and its ancestors with an id, outermost first.
_Index = dict[tuple[str, str], tuple[A.Node, list[A.Node]]]
# How a block is aligned: ("id", type, id), ("year", year), (type,) or ("content", its JSON).
_Key = tuple[str | int, ...]


def diff(old: A.Document | None, new: A.Document | None) -> DocumentDiff:
    """What changed from ``old`` to ``new`` (two versions of one document in one language):
    a :class:`sopimus.versions.DocumentDiff` of the metadata and of the body, matched by id
    where nodes have one and by sequence where they do not. Either may be ``None`` (a
    document added or removed)."""
    doc = new if new is not None else old
    if doc is None:
        raise ValueError("diff() needs at least one document")
    result = DocumentDiff(doc.id, doc.language, old, new)
    if old is None or new is None:  # everything in it inserted, or deleted
        result.body = [BlockDiff(INSERT, new=n) if old is None else BlockDiff(DELETE, old=n) for n in doc.body]
        return result
    result.metadata = _metadata(old, new)
    result.parties = _align_keyed(old.parties, new.parties, lambda p: p.id, _pair_party)
    result.signatories = _align_keyed(old.signatories, new.signatories,
                                      lambda s: (s.party, s.role), _pair_signatory)
    result.body = _Differ(old, new).align(old.body, new.body)
    return result


# --- metadata -------------------------------------------------------------------------

def _metadata(old: A.Document, new: A.Document) -> list[FieldChange]:
    def values(d: A.Document) -> dict[str, Any]:
        return {"title": d.title, "subtitle": d.subtitle, "type": d.doc_type, "organisation": d.organisation,
                "period.start": d.period.start, "period.end": d.period.end,
                "binding_year": d.binding_year, "register_number": d.register_number,
                "status": d.status, "date": d.date.isoformat() if d.date else None, "place": d.place,
                "version": d.version, "history": ", ".join(h.version for h in d.history) or None}
    before, after = values(old), values(new)
    return [FieldChange(name, before[name], after[name]) for name in before if before[name] != after[name]]


def _fields(old: A.Node, new: A.Node, names: Sequence[str]) -> list[FieldChange]:
    return [FieldChange(n, getattr(old, n), getattr(new, n)) for n in names if getattr(old, n) != getattr(new, n)]


def _pair_party(old: A.Party, new: A.Party) -> BlockDiff:
    found = _fields(old, new, ("kind", "name", "abbreviation"))
    return BlockDiff(CHANGE if found else EQUAL, old, new, fields=found)


def _pair_signatory(old: A.Signatory, new: A.Signatory) -> BlockDiff:
    found = _fields(old, new, ("name",))
    return BlockDiff(CHANGE if found else EQUAL, old, new, fields=found)


def _align_keyed(olds: list[_Entry], news: list[_Entry], key: Callable[[_Entry], Hashable],
                 pair: Callable[[_Entry, _Entry], BlockDiff]) -> list[BlockDiff]:
    """Items matched by key, in the new order, each removed one where it stood."""
    new_keys = {key(n) for n in news}
    old_by_key = {key(o): o for o in olds}
    out: list[BlockDiff] = []
    pending = [o for o in olds if key(o) not in new_keys]
    for n in news:
        o = old_by_key.get(key(n))
        while pending and (o is None or olds.index(pending[0]) < olds.index(o)):
            out.append(BlockDiff(DELETE, old=pending.pop(0)))
        out.append(BlockDiff(INSERT, new=n) if o is None else pair(o, n))
    out.extend(BlockDiff(DELETE, old=o) for o in pending)
    return out


# --- the body -------------------------------------------------------------------------

def _identity(node: A.Node) -> tuple[str, str] | None:
    return (node.TYPE, node.id) if isinstance(node, _ID_NODES) and node.id else None


def _index(blocks: Sequence[A.Node]) -> _Index:
    """Every node with an id, with its ancestors (outermost first)."""
    found: _Index = {}

    def visit(nodes: Sequence[A.Node], ancestors: list[A.Node]) -> None:
        for node in nodes:
            ident = _identity(node)
            if ident is not None:
                found.setdefault(ident, (node, ancestors))
            inner = _children(node)
            if inner:
                visit(inner, [*ancestors, node] if ident is not None else ancestors)
    visit(blocks, [])
    return found


def _children(node: A.Node) -> Sequence[A.Node]:
    if isinstance(node, A.ItemList):
        return node.items
    return node.body if isinstance(node, WITH_BODY) else []


def _fingerprint(node: A.Node) -> str:
    """The content of a block without its source position."""
    return _fingerprint_dict(A.to_dict(node))


def _fingerprint_dict(data: dict[str, Any]) -> str:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "source"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return json.dumps(strip(data), ensure_ascii=False, sort_keys=True)


def _title(node: A.Node) -> str | None:
    """The text a reader knows a block by, compared word by word (a paragraph's is its content)."""
    if isinstance(node, A.Indicator):
        return node.name
    if isinstance(node, A.ImpactGoal):
        return node.text
    return node.title if isinstance(node, TITLED) else None


def _text_diff(old: A.Node, new: A.Node) -> list[Segment] | None:
    """The word diff of a paragraph's content or of a block's title (None: the block has no text of its own)."""
    if isinstance(old, A.Paragraph) and isinstance(new, A.Paragraph):
        return diff_inlines(old.content, new.content)
    before, after = _title(old), _title(new)
    if before is None and after is None:
        return None
    return diff_text(before or "", after or "")


def _similarity(a: A.Node, b: A.Node) -> float:
    ta, tb = _plain(a), _plain(b)
    matcher = difflib.SequenceMatcher(None, ta.split(), tb.split(), autojunk=False)
    if matcher.real_quick_ratio() < _SIMILAR or matcher.quick_ratio() < _SIMILAR:
        return 0.0
    return matcher.ratio()


def _plain(node: A.Node) -> str:
    if isinstance(node, A.Paragraph):
        return A.plain_text(node.content)
    return " ".join(_plain(c) for c in _children(node))


class _Differ:
    def __init__(self, old: A.Document, new: A.Document):
        self.old_index = _index(old.body)
        self.new_index = _index(new.body)

    def key(self, node: A.Node) -> _Key:
        ident = _identity(node)
        if ident is not None:
            return ("id", *ident)
        if isinstance(node, A.YearTarget):
            return ("year", node.year)
        if isinstance(node, (A.Signatures, A.RatingScale)):
            return (node.TYPE,)
        return ("content", _fingerprint(node))

    def align(self, olds: Sequence[A.Node], news: Sequence[A.Node]) -> list[BlockDiff]:
        old_keys = [self.key(n) for n in olds]
        new_keys = [self.key(n) for n in news]
        out: list[BlockDiff] = []
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                out.extend(self.replace(olds[i1:i2], news[j1:j2]))
                continue
            for o, n, k in zip(olds[i1:i2], news[j1:j2], old_keys[i1:i2]):
                out.append(BlockDiff(EQUAL, o, n) if k[0] == "content" else self.pair(o, n))
        return out

    # a stretch where the versions differ

    def _pairable(self, node: A.Node, other_index: _Index) -> bool:
        ident = _identity(node)
        if ident is None:
            return True
        # A section's id is its title: a renamed section is the same section.
        return isinstance(node, A.Section) and ident not in other_index

    def _compatible(self, o: A.Node, n: A.Node) -> bool:
        if type(o) is not type(n):
            return False
        if isinstance(o, A.YearTarget):
            return False  # a year's text is matched by its year: another year is another text
        if isinstance(o, (A.Paragraph, A.ListItem)):
            return _similarity(o, n) >= _SIMILAR
        return True

    def replace(self, olds: Sequence[A.Node], news: Sequence[A.Node]) -> list[BlockDiff]:
        pairs: list[tuple[int, int]] = []
        start = 0
        for i, o in enumerate(olds):
            if not self._pairable(o, self.new_index):
                continue
            for j in range(start, min(len(news), start + _WINDOW)):
                if self._pairable(news[j], self.old_index) and self._compatible(o, news[j]):
                    pairs.append((i, j))
                    start = j + 1
                    break
        out: list[BlockDiff] = []
        i = j = 0
        for pi, pj in [*pairs, (len(olds), len(news))]:
            out.extend(self.removed(o) for o in olds[i:pi])
            out.extend(self.inserted(n) for n in news[j:pj])
            if pi < len(olds):
                out.append(self.pair(olds[pi], news[pj]))
            i, j = pi + 1, pj + 1
        return out

    def removed(self, node: A.Node) -> BlockDiff:
        ident = _identity(node)
        if ident is not None and ident in self.new_index:
            return BlockDiff(MOVE_FROM, old=node, new=self.new_index[ident][0])
        return BlockDiff(DELETE, old=node)

    def inserted(self, node: A.Node) -> BlockDiff:
        ident = _identity(node)
        if ident is not None and ident in self.old_index:
            old, ancestors = self.old_index[ident]
            moved = self.pair(old, node)
            moved.op = MOVE_TO
            moved.old_parents = ancestors
            return moved
        return BlockDiff(INSERT, new=node)

    # two versions of one block

    def pair(self, old: A.Node, new: A.Node) -> BlockDiff:
        if old == new:  # sources differ at most
            return BlockDiff(EQUAL, old, new)
        # old and new are of one type: they share an id, a year or a kind, or were found alike
        d = BlockDiff(CHANGE, old, new)
        d.text = _text_diff(old, new)
        if isinstance(old, A.Goal):
            d.fields = _fields(old, new, ("level",))
        elif isinstance(old, A.Indicator) and isinstance(new, A.Indicator):
            d.fields = _fields(old, new, ("unit",))
            d.targets = _targets(old.targets, new.targets)
        elif isinstance(old, A.ImpactGoal):
            d.fields = _fields(old, new, ("ministry",))
        elif isinstance(old, A.ItemList):
            d.fields = _fields(old, new, ("ordered",))
        elif isinstance(old, A.RatingScale) and isinstance(new, A.RatingScale):
            d.fields = _rating_levels(old, new)
        elif isinstance(old, A.Table) and isinstance(new, A.Table):
            d.fields = _table_cells(old, new)
        d.children = self.align(_children(old), _children(new))
        if not d.inner_changed and _own_content(old) == _own_content(new):
            d.op = EQUAL   # what differed was inside the children, and they came out equal
        return d


def _own_content(node: A.Node) -> str:
    """A block's content without its child blocks: what the comparison above may not have named."""
    shallow = A.to_dict(node)
    for name in ("body", "items"):
        shallow.pop(name, None)
    return _fingerprint_dict(shallow)


def _table_cells(old: A.Table, new: A.Table) -> list[FieldChange]:
    """A table's changes a reader can find: cells by row and column (counted from 1,
    header rows included, as the table is read), rows added or removed, its shape."""
    out = [FieldChange(name, getattr(old, name), getattr(new, name))
           for name in ("header_rows",) if getattr(old, name) != getattr(new, name)]
    if old.widths != new.widths:
        out.append(FieldChange("widths", " ".join(map(str, old.widths)) or None,
                               " ".join(map(str, new.widths)) or None))
    for r in range(max(len(old.rows), len(new.rows))):
        before = old.rows[r] if r < len(old.rows) else None
        after = new.rows[r] if r < len(new.rows) else None
        if before is None or after is None:
            out.append(FieldChange(f"row {r + 1}", _row_text(before), _row_text(after)))
            continue
        for c in range(max(len(before.cells), len(after.cells))):
            b = before.cells[c] if c < len(before.cells) else None
            a = after.cells[c] if c < len(after.cells) else None
            if b != a:
                out.append(FieldChange(f"row {r + 1}, column {c + 1}", _cell_text(b), _cell_text(a)))
    return out


def _cell_text(cell: A.TableCell | None) -> str | None:
    if cell is None:
        return None
    text = A.plain_text(cell.content)
    spans = [f"{n} {what}" for n, what in ((cell.colspan, "columns"), (cell.rowspan, "rows")) if n != 1]
    return f"{text} ({', '.join(spans)})" if spans else text


def _row_text(row: A.TableRow | None) -> str | None:
    return None if row is None else " | ".join(_cell_text(c) or "" for c in row.cells)


def _targets(old: list[A.TargetLevel], new: list[A.TargetLevel]) -> list[TargetChange]:
    before = {t.year: t for t in old}
    after = {t.year: t for t in new}
    return [TargetChange(year, before.get(year), after.get(year))
            for year in sorted(before.keys() | after.keys()) if before.get(year) != after.get(year)]


def _rating_levels(old: A.RatingScale, new: A.RatingScale) -> list[FieldChange]:
    before = {level.rating: level.text for level in old.levels}
    after = {level.rating: level.text for level in new.levels}
    return [FieldChange(f"level {r}", before.get(r), after.get(r))
            for r in sorted(before.keys() | after.keys(), reverse=True) if before.get(r) != after.get(r)]
