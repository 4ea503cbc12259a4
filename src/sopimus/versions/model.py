"""The typed diff of two versions of a document.

:class:`DocumentDiff` holds the metadata changes and the *merged* body: a
tree of :class:`BlockDiff`, one per block of either version in reading
order, each saying whether the block is equal, inserted, deleted, changed,
or moved away from / to this place. Renderers walk the tree; the flat list
of changes (:mod:`sopimus.versions.changes`) is derived from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .. import ast as A
from .words import Segment, changed

EQUAL = "equal"          # the same in both versions
INSERT = "insert"        # only in the new version
DELETE = "delete"        # only in the old version
CHANGE = "change"        # in both, at the same place, with something inside changed
MOVE_FROM = "move-from"  # the old place of a block that moved (matched by id)
MOVE_TO = "move-to"      # the new place of a moved block; its inner changes are in it

# The kinds of AST node that have an ``id``, a ``title``, a ``body`` of blocks
# (tests/test_diff_types.py checks that each names every such class of sopimus.ast).
WITH_ID = (A.Section, A.Theme, A.Goal, A.Indicator, A.ImpactGoal, A.Annex, A.Party, A.Document)
TITLED = (A.Section, A.Theme, A.Goal, A.Annex, A.Table, A.Document, A.GoalRef)
WITH_BODY = (A.ListItem, A.Quote, A.Section, A.Theme, A.Goal, A.YearTarget, A.Indicator, A.Annex, A.Document)

# A field's value as it goes into the JSON: every compared field of the AST
# (a title, a level, a unit, ``ordered``, a year, a date as ISO text) is one of these.
FieldValue = str | int | bool | None


@dataclass
class FieldChange:
    """A changed field of a node or of the document: ``old`` and ``new`` as JSON values."""

    field: str
    old: FieldValue
    new: FieldValue


@dataclass
class TargetChange:
    """One year's target level of an indicator: added (old None), removed (new None) or changed."""

    year: int
    old: A.TargetLevel | None
    new: A.TargetLevel | None


@dataclass
class BlockDiff:
    op: str
    old: A.Node | None = None
    new: A.Node | None = None
    children: list["BlockDiff"] = field(default_factory=list)
    text: list[Segment] | None = None  # the word diff of a paragraph, a title, a name, an impact goal's text
    fields: list[FieldChange] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)
    old_parents: list[A.Node] = field(default_factory=list)  # a moved block's ancestors in the old version

    @property
    def node(self) -> A.Node:
        """The block as the reader sees it: the new version's, else the old one's."""
        if self.new is not None:
            return self.new
        if self.old is None:
            raise ValueError("a BlockDiff without an old or a new block")
        return self.old

    @property
    def inner_changed(self) -> bool:
        """Whether anything inside this block differs (for a move: besides the move)."""
        return (changed(self.text) or bool(self.fields) or bool(self.targets)
                or any(c.op != EQUAL for c in self.children))

    def walk(self) -> Iterator["BlockDiff"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class DocumentDiff:
    """What changed in one document between two versions (either may be missing)."""

    id: str
    language: str
    old: A.Document | None
    new: A.Document | None
    metadata: list[FieldChange] = field(default_factory=list)
    parties: list[BlockDiff] = field(default_factory=list)
    signatories: list[BlockDiff] = field(default_factory=list)
    body: list[BlockDiff] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``added``, ``removed``, ``changed`` or ``unchanged``."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.has_changes else "unchanged"

    @property
    def has_changes(self) -> bool:
        return (self.old is None or self.new is None or bool(self.metadata)
                or any(d.op != EQUAL for d in (*self.parties, *self.signatories, *self.body)))

    @property
    def document(self) -> A.Document:
        if self.new is not None:
            return self.new
        if self.old is None:
            raise ValueError("a DocumentDiff without an old or a new document")
        return self.old

    def walk(self) -> Iterator[BlockDiff]:
        for block in self.body:
            yield from block.walk()
