"""One way to walk the AST for every output format.

A format's renderer is a :class:`Walker` with one handler per node type,
named after the type as docutils' writers name theirs: ``visit_paragraph``,
``visit_goal_ref`` (a theme's HTML macros are named ``paragraph``,
``goal_ref``).  The walker finds a node's handler along its class's MRO (so
a subclass renders as its base unless it has its own), hands a *run* of
consecutive indicators or impact goals to one handler (they read as one
table, one list), and stops at a node it cannot render with
:class:`Unrenderable`, which names the node's file and line.  PDF, DOCX and HTML differ in how they draw a node, never in
which nodes they draw or how they group them.
"""
from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Iterator

from . import ast as A

BLOCK_TYPES: tuple[type[A.Node], ...] = typing.get_args(A.Block)
INLINE_TYPES: tuple[type[A.Node], ...] = typing.get_args(A.Inline)
# Consecutive nodes of these kinds are one block: a table of indicators, a list of impact goals.
GROUPED: tuple[type[A.Node], ...] = (A.Indicator, A.ImpactGoal)


class Unrenderable(Exception):
    """A node that a format has no rendering for (a new node type, or a theme without it)."""

    def __init__(self, node: A.Node, fmt: str, detail: str = ""):
        self.node = node
        self.format = fmt
        super().__init__(f"{node.source}: the {fmt} builder has no rendering for "
                         f"a {node.TYPE!r} node{detail}")


@dataclass(frozen=True)
class Run:
    """One block, or a run of consecutive nodes of a :data:`GROUPED` kind."""

    kind: type[A.Node]
    nodes: list[A.Node]

    @property
    def item(self) -> A.Node | list[A.Node]:
        """What the handler gets: the run for a grouped kind, else the node."""
        return self.nodes if self.kind in GROUPED else self.nodes[0]


def runs(nodes: list[A.Node]) -> Iterator[Run]:
    """Blocks in order, with consecutive nodes of a grouped kind together."""
    i = 0
    while i < len(nodes):
        kind = type(nodes[i])
        j = i + 1
        if kind in GROUPED:
            while j < len(nodes) and type(nodes[j]) is kind:
                j += 1
        yield Run(kind, nodes[i:j])
        i = j


class Walker:
    """Base of a format's renderer: ``visit_<type>`` handles a node of that
    ``TYPE``; :meth:`resolve` finds a handler by type name (override it to look
    elsewhere, as the HTML renderer looks in the theme's macros)."""

    FORMAT: ClassVar[str] = ""

    def resolve(self, type_name: str) -> Callable[..., Any] | None:
        return getattr(self, f"visit_{type_name}", None)

    def handler(self, node: A.Node) -> Callable[..., Any]:
        for cls in type(node).__mro__:
            type_name = cls.__dict__.get("TYPE")
            if type_name:
                found = self.resolve(type_name)
                if found is not None:
                    return found
        raise Unrenderable(node, self.FORMAT)

    def renders(self, node_class: type[A.Node]) -> bool:
        """Has this walker a handler for nodes of ``node_class``?"""
        return any(self.resolve(c.__dict__["TYPE"]) is not None
                   for c in node_class.__mro__ if c.__dict__.get("TYPE"))

    def block_runs(self, nodes: list[A.Node]) -> Iterator[tuple[Callable[..., Any], A.Node | list[A.Node]]]:
        """(handler, node or run) for each block of ``nodes``, in order."""
        for run in runs(nodes):
            yield self.handler(run.nodes[0]), run.item

    def inline_items(self, nodes: list[A.Node]) -> Iterator[tuple[Callable[..., Any], A.Node]]:
        """(handler, node) for each inline node, in order."""
        for node in nodes:
            yield self.handler(node), node
