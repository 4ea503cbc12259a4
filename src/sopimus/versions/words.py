"""Word diff of inline text that keeps the inline markup intact.

Inline nodes are flattened into tokens (a word, a run of spaces or one
punctuation mark), each remembering the markup around it (emphasis, strong,
a link's address, literal); a goal reference is one token. Two token lists
are aligned with :mod:`difflib`, and each run of equal, deleted or inserted
tokens is rebuilt into inline nodes with the same markup, so a renderer
shows a changed word in bold as a changed word in bold.
"""
from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from typing import Sequence

from .. import ast as A

EQUAL, DELETE, INSERT = "equal", "delete", "insert"

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

# A frame of markup around a token: ("emphasis",), ("strong",), ("link", url), ("literal",).
Frame = tuple[str, ...]
# A stretch of the alignment: (EQUAL, tokens, []) or ("change", old tokens, new tokens).
Run = tuple[str, list["Token"], list["Token"]]


@dataclass(frozen=True)
class Token:
    text: str
    style: tuple[Frame, ...] = ()
    ref: A.GoalRef | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, tuple[Frame, ...], bool]:
        return (self.text, self.style, self.ref is not None)


@dataclass
class Segment:
    """A run of inline content that is equal in both versions, deleted or inserted."""

    op: str
    inlines: list[A.Inline]

    @property
    def text(self) -> str:
        return A.plain_text(self.inlines)


def tokens(inlines: Sequence[A.Inline], style: tuple[Frame, ...] = ()) -> list[Token]:
    out: list[Token] = []
    for node in inlines:
        if isinstance(node, A.Text):
            out.extend(Token(t, style) for t in _TOKEN.findall(node.text))
        elif isinstance(node, A.Literal):
            out.extend(Token(t, style + (("literal",),)) for t in _TOKEN.findall(node.text))
        elif isinstance(node, A.GoalRef):
            out.append(Token(node.target, style, node))
        elif isinstance(node, A.Link):
            out.extend(tokens(node.content, style + (("link", node.url),)))
        elif isinstance(node, (A.Emphasis, A.Strong)):
            out.extend(tokens(node.content, style + ((node.TYPE,),)))
    return out


def rebuild(toks: list[Token], depth: int = 0) -> list[A.Inline]:
    """Inline nodes for consecutive tokens, nesting markup as it was."""
    out: list[A.Inline] = []
    for _, group in itertools.groupby(enumerate(toks), key=lambda it: _group(it[0], it[1], depth)):
        run = [t for _, t in group]
        frame = run[0].style[depth] if len(run[0].style) > depth else None
        if frame is None:
            if run[0].ref is not None:
                out.append(A.GoalRef(run[0].ref.target, run[0].ref.title, source=run[0].ref.source))
            else:
                out.append(A.Text("".join(t.text for t in run)))
        elif frame[0] == "literal":
            out.append(A.Literal("".join(t.text for t in run)))
        elif frame[0] == "link":
            out.append(A.Link(frame[1], rebuild(run, depth + 1)))
        elif frame[0] == "strong":
            out.append(A.Strong(rebuild(run, depth + 1)))
        else:
            out.append(A.Emphasis(rebuild(run, depth + 1)))
    return out


def _group(index: int, token: Token, depth: int) -> tuple[str | int, ...]:
    if len(token.style) > depth:
        return token.style[depth]
    return ("ref", index) if token.ref is not None else ("text",)  # a goal reference stands alone


def diff_inlines(old: Sequence[A.Inline], new: Sequence[A.Inline]) -> list[Segment]:
    """The word diff of two inline lists: segments in reading order, a deletion before its insertion."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    runs: list[Run] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        runs.append((EQUAL, b[j1:j2], []) if tag == "equal" else ("change", a[i1:i2], b[j1:j2]))
    runs = _absorb_spaces(runs)
    out: list[Segment] = []
    for kind, first, second in runs:
        if kind == EQUAL:
            out.append(Segment(EQUAL, rebuild(first)))
            continue
        if first:
            out.append(Segment(DELETE, rebuild(first)))
        if second:
            out.append(Segment(INSERT, rebuild(second)))
    return out


def diff_text(old: str, new: str) -> list[Segment]:
    return diff_inlines([A.Text(old)] if old else [], [A.Text(new)] if new else [])


def _absorb_spaces(runs: list[Run]) -> list[Run]:
    """Fold a lone space between two changes into them, so that a reworded
    phrase reads as one deletion and one insertion, not word by word."""
    merged: list[Run] = []
    for k, run in enumerate(runs):
        tag, first, _ = run
        between = 0 < k < len(runs) - 1 and runs[k - 1][0] != EQUAL and runs[k + 1][0] != EQUAL
        if tag == EQUAL and between and all(t.text.isspace() or not t.text.strip(",.;:") for t in first):
            run = ("change", list(first), list(first))
        if merged and merged[-1][0] != EQUAL and run[0] != EQUAL:
            _, a1, b1 = merged.pop()
            run = ("change", a1 + run[1], b1 + run[2])
        merged.append(run)
    return merged


def changed(segments: list[Segment] | None) -> bool:
    return segments is not None and any(s.op != EQUAL for s in segments)
