"""The diff as a flat list of changes, and its JSON form (``"schema": "sopimus-diff/1"``).

Each change is one thing a negotiator would name: a block added, removed or
moved (with everything in it), a text reworded (with its word diff), a field
changed, one year's target level changed, a metadata field changed. A block
that is added, removed or moved counts once; changes *inside* a moved block
are listed after its move.

Change shapes (``parent``/``from``/``to`` are the enclosing sections,
themes, goals … outermost first, each ``{"type", "id", "title"}``)::

    {"change": "added" | "removed", "type", "id"?, "title"?, "text"?, "parent", "source"}
    {"change": "moved", "type", "id", "title", "from", "to", "source"}
    {"change": "text", "type", "id"?, "field", "parent", "words": [{"op", "text"}], "source"}
    {"change": "field", "type", "id"?, "field", "old", "new", "parent", "source"}
    {"change": "target-level", "type": "indicator", "id", "name", "unit", "year",
     "old": {"op", "value"} | null, "new": {"op", "value"} | null, "parent", "source"}
    {"change": "metadata", "field", "old", "new"}
    {"change": "changed", "type", "id"?, "title"?, "parent", "source"}   (changed otherwise)

A table's cells are ``field`` changes named ``"row 2, column 3"`` (a row added
or removed: ``"row 4"``, its cells joined by `` | ``).
Parties and signatories are ``added``/``removed``/``field`` changes of
``"type": "party"`` / ``"signatory"``. Decimals are strings, as in the AST's JSON.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

from .. import ast as A
from .model import CHANGE, DELETE, EQUAL, INSERT, MOVE_FROM, MOVE_TO, TITLED, WITH_ID, BlockDiff, DocumentDiff
from .words import Segment, changed

SCHEMA = "sopimus-diff/1"

Change = dict[str, Any]

_TITLE_FIELD = {A.Paragraph: "text", A.Indicator: "name", A.ImpactGoal: "text"}


def changes(d: DocumentDiff) -> list[Change]:
    """Every change of the document diff, in reading order of the new version."""
    if d.old is None or d.new is None:
        return [{"change": "added" if d.old is None else "removed", "type": "document", "id": d.id,
                 "title": d.document.title}]
    out: list[Change] = [{"change": "metadata", "field": f.field, "old": f.old, "new": f.new} for f in d.metadata]
    for block in (*d.parties, *d.signatories):
        out.extend(_entry_changes(block))
    for block in d.body:
        out.extend(_block_changes(block, []))
    return out


def _entry_changes(block: BlockDiff) -> Iterator[Change]:
    node = block.node
    ident: dict[str, Any]
    if isinstance(node, A.Party):
        ident = {"type": node.TYPE, "id": node.id}
    elif isinstance(node, A.Signatory):
        ident = {"type": node.TYPE, "party": node.party, "role": node.role}
    else:
        raise TypeError(f"a {node.TYPE} among the parties and signatories")
    if block.op == INSERT:
        yield {"change": "added", **ident, **_party_fields(node), "source": _source(node)}
    elif block.op == DELETE:
        yield {"change": "removed", **ident, **_party_fields(node), "source": _source(node)}
    elif block.op == CHANGE:
        for f in block.fields:
            yield {"change": "field", **ident, "field": f.field, "old": f.old, "new": f.new,
                   "source": _source(node)}


def _party_fields(node: A.Party | A.Signatory) -> dict[str, Any]:
    if isinstance(node, A.Party):
        return {"kind": node.kind, "name": node.name, "abbreviation": node.abbreviation}
    return {"name": node.name}


def _block_changes(block: BlockDiff, parents: list[A.Node]) -> Iterator[Change]:
    node = block.node
    if block.op == EQUAL or block.op == MOVE_FROM:
        return
    if block.op in (INSERT, DELETE):
        yield {"change": "added" if block.op == INSERT else "removed", **describe(node),
               "parent": path(parents), "source": _source(node)}
        return
    if block.op == MOVE_TO:
        yield {"change": "moved", **describe(node), "from": path(block.old_parents),
               "to": path(parents), "source": _source(node)}
    here = {**_identity(node), "parent": path(parents)}
    if block.text is not None and changed(block.text):
        field = next((v for k, v in _TITLE_FIELD.items() if isinstance(node, k)), "title")
        yield {"change": "text", **here, "field": field, "words": words(block.text), "source": _source(node)}
    for f in block.fields:
        yield {"change": "field", **here, "field": f.field, "old": f.old, "new": f.new, "source": _source(node)}
    if isinstance(node, A.Indicator):  # the only block with target levels
        for t in block.targets:
            yield {"change": "target-level", **here, "name": node.name, "unit": node.unit, "year": t.year,
                   "old": _level(t.old), "new": _level(t.new), "source": _source(node)}
    inner = [*parents, node] if _is_context(node) else parents
    for child in block.children:
        yield from _block_changes(child, inner)
    if block.op == CHANGE and not block.inner_changed:
        # changed in a way none of the records above names: still a change, never nothing
        yield {"change": "changed", **describe(node), "parent": path(parents), "source": _source(node)}


def _is_context(node: A.Node) -> bool:
    return isinstance(node, (A.Section, A.Theme, A.Goal, A.Indicator, A.Annex, A.YearTarget, A.ImpactGoal))


def _identity(node: A.Node) -> dict[str, Any]:
    out: dict[str, Any] = {"type": node.TYPE}
    if isinstance(node, WITH_ID) and node.id:
        out["id"] = node.id
    if isinstance(node, A.YearTarget):
        out["year"] = node.year
    return out


def describe(node: A.Node) -> dict[str, Any]:
    """The node's type, id and what a reader knows it by (title, name or text)."""
    out = _identity(node)
    if isinstance(node, A.Indicator):
        out["title"] = node.name
    elif isinstance(node, A.Paragraph):
        out["text"] = A.plain_text(node.content)
    elif isinstance(node, A.ImpactGoal):
        out["text"] = node.text
    elif isinstance(node, TITLED) and node.title:
        out["title"] = node.title
    elif not isinstance(node, (A.YearTarget, A.Signatures)):
        out["text"] = _text(node)
    return out


def _text(node: A.Node) -> str:
    parts = [A.plain_text(n.content) for n in node.walk() if isinstance(n, A.Paragraph)]
    return " ".join(parts)


def path(nodes: list[A.Node]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in nodes:
        entry = _identity(node)
        title = node.name if isinstance(node, A.Indicator) else node.title if isinstance(node, TITLED) else None
        if title:
            entry["title"] = title
        if isinstance(node, A.Section):
            entry["number"] = node.number
        out.append(entry)
    return out


def words(segments: list[Segment]) -> list[dict[str, str]]:
    return [{"op": s.op, "text": s.text} for s in segments]


def _level(level: A.TargetLevel | None) -> dict[str, str] | None:
    return None if level is None else {"op": level.op, "value": str(level.value)}


def _source(node: A.Node) -> dict[str, Any]:
    return {"file": node.source.file, "line": node.source.line}


def to_json(d: DocumentDiff, against: str | None = None) -> dict[str, Any]:
    """The diff as JSON-ready data: ``{"schema": "sopimus-diff/1", "document", "language",
    "against", "status", "old", "new", "changes": [...]}`` (the change shapes are in
    :mod:`sopimus.versions.changes`); decimals as strings."""
    def version(doc: A.Document | None) -> dict[str, Any] | None:
        if doc is None:
            return None
        return {"title": doc.title, "period": {"start": doc.period.start, "end": doc.period.end},
                "status": doc.status, "date": doc.date.isoformat() if doc.date else None}
    return {"schema": SCHEMA, "document": d.id, "language": d.language, "against": against,
            "status": d.status, "old": version(d.old), "new": version(d.new), "changes": changes(d)}


def dumps(d: DocumentDiff, against: str | None = None) -> bytes:
    return (json.dumps(to_json(d, against), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
