"""The diff narrows AST nodes by kind (for mypy --strict) instead of asking
``getattr(node, "title", None)``: its tuples of node kinds must name every
class of sopimus.ast that has the field, or a new kind would be diffed
without its title, id or body."""
from __future__ import annotations

import dataclasses

import pytest

from sopimus import ast as A
from sopimus.versions import model


def node_classes() -> set[type[A.Node]]:
    found: set[type[A.Node]] = set()
    stack: list[type[A.Node]] = [A.Node]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub.__module__ == A.__name__:
                found.add(sub)
                stack.append(sub)
    return found


@pytest.mark.parametrize("kinds, field", [(model.WITH_ID, "id"), (model.TITLED, "title"),
                                          (model.WITH_BODY, "body")])
def test_the_diffs_node_kinds_are_every_ast_class_with_the_field(kinds: tuple[type[A.Node], ...],
                                                                 field: str) -> None:
    having = {cls for cls in node_classes() if field in {f.name for f in dataclasses.fields(cls)}}
    assert set(kinds) == having
