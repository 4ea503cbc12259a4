"""Safe YAML reading that keeps the line of every value.

The YAML is only *composed* (parsed into a node graph) and then turned into
:class:`Y` values by this module: no tag ever constructs an object, explicit
tags are refused, duplicate keys are findings, and alias expansion is
bounded, so an "alias bomb" costs nothing.
"""
from __future__ import annotations

import datetime as _dt
import functools
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics
from .textfile import control_character

MAX_NODES = 100_000
MAX_DEPTH = 64
_STD = "tag:yaml.org,2002:"
_PLAIN_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "map", "seq"}


@dataclass
class Y:
    """A YAML value with its position (1-based line and column)."""

    kind: str  # map | seq | str | int | float | bool | null | date
    value: Any
    line: int
    col: int
    text: str = ""  # the scalar as written (decimals keep their digits)
    key_lines: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> "Y | None":
        return self.value.get(key) if self.kind == "map" else None

    @property
    def is_empty(self) -> bool:
        return self.kind == "null" or (self.kind == "str" and not self.value.strip())


class _Budget(Exception):
    pass


def load_yaml(text: str, path: Path | str, diags: Diagnostics) -> Y | None:
    """Parse ``text``; on any problem report it and return None."""
    pickled, found = _load_cached(text, str(path))
    diags.extend(found)
    return None if pickled is None else pickle.loads(pickled)  # a copy: readers may set values


@functools.lru_cache(maxsize=256)
def _load_cached(text: str, path: str) -> tuple[bytes | None, tuple]:
    """(the pickled value or None, the findings), kept per process: a live preview reads
    every YAML file of the project again on every save."""
    found = Diagnostics()
    value = _load(text, path, found)
    return (None if value is None else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)), tuple(found.items)


def _load(text: str, path: Path | str, diags: Diagnostics) -> Y | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=False)  # libyaml's composer when installed: same nodes and marks, 8× faster
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = exc.context_mark  # an unclosed bracket or quote: point at where it opened
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        diags.error("yaml-syntax", path, line, f"YAML syntax error: {problem}",
                    "check indentation, colons and quotes on this line or the one before", col=col)
        return None
    except (YAMLError, RecursionError, ValueError) as exc:
        diags.error("yaml-syntax", path, 1, f"YAML syntax error: {exc}")
        return None
    if node is None:
        diags.error("yaml-empty", path, 1, "the YAML file is empty")
        return None
    counter = [0]
    try:
        return _convert(node, path, diags, counter, 0)
    except _Budget as exc:
        diags.error("yaml-alias", path, int(str(exc)) if str(exc).isdigit() else 1,
                    "YAML too large or too deeply nested once aliases are expanded",
                    f"aliases and nesting are limited ({MAX_NODES} values, depth {MAX_DEPTH})")
        return None


def _convert(node: Any, path: Path | str, diags: Diagnostics, counter: list[int], depth: int) -> Y:
    counter[0] += 1
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if counter[0] > MAX_NODES or depth > MAX_DEPTH:
        raise _Budget(str(line))
    tag = node.tag or ""
    kind = node.id  # mapping | sequence | scalar
    if not tag.startswith(_STD) and tag not in ("", "?", "!"):
        diags.error("yaml-tag", path, line, f"YAML tag {tag!r} is not allowed",
                    "sources hold plain data: remove the tag", col=col)
        return Y("null", None, line, col)
    if tag.startswith(_STD) and tag[len(_STD):] not in _PLAIN_TAGS:
        diags.error("yaml-tag", path, line, f"YAML tag {tag!r} is not allowed",
                    "sources hold plain data: remove the tag", col=col)
        return Y("null", None, line, col)
    if kind == "mapping":
        out: dict[str, Y] = {}
        key_lines: dict[str, int] = {}
        for knode, vnode in node.value:
            if knode.id != "scalar":
                diags.error("yaml-type", path, knode.start_mark.line + 1,
                            "a mapping key must be a plain word", col=knode.start_mark.column + 1)
                continue
            key = str(knode.value)
            kline = knode.start_mark.line + 1
            if key == "<<":
                diags.error("yaml-tag", path, kline, "YAML merge keys (<<) are not supported")
                continue
            if key in out:
                diags.error("yaml-duplicate-key", path, kline,
                            f"duplicate key {key!r} (first on line {key_lines[key]})",
                            "a key may appear once in a mapping", col=knode.start_mark.column + 1)
                continue
            key_lines[key] = kline
            value = _convert(vnode, path, diags, counter, depth + 1)
            if value.kind == "null" and not value.text:
                value.line, value.col = kline, knode.start_mark.column + 1
            out[key] = value
        return Y("map", out, line, col, key_lines=key_lines)
    if kind == "sequence":
        return Y("seq", [_convert(v, path, diags, counter, depth + 1) for v in node.value], line, col)
    scalar = _scalar(node, tag, line, col)
    if scalar.kind == "str":
        bad = control_character(scalar.value)
        if bad is not None:  # written as an escape ("\x1b") in a quoted string
            diags.error("control-character", path, line, f"control character {bad} in the text",
                        "remove it: documents (DOCX, PDF) cannot hold control characters", col=col)
            return Y("str", "", line, col, "")
    return scalar


def _scalar(node: Any, tag: str, line: int, col: int) -> Y:
    text = node.value
    short = tag[len(_STD):] if tag.startswith(_STD) else "str"
    if node.style in ("'", '"', "|", ">"):
        short = "str"
    if short == "null":
        return Y("null", None, line, col, text)
    if short == "bool":
        return Y("bool", text.lower() in ("true", "yes", "on"), line, col, text)
    if short == "int":
        try:
            return Y("int", int(text.replace("_", ""), 0) if text.startswith("0x") else int(text.replace("_", "")), line, col, text)
        except ValueError:
            return Y("str", text, line, col, text)
    if short == "float":
        return Y("float", text, line, col, text)
    if short == "timestamp":
        try:
            return Y("date", _dt.date.fromisoformat(text[:10]), line, col, text)
        except ValueError:
            return Y("str", text, line, col, text)
    return Y("str", str(text), line, col, text)
