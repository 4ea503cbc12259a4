"""Parsed reST files kept in memory between reads of the same project.

``sopimus serve`` reads the project again after every save; with a memo only
the files whose bytes changed (or whose includes changed) go through docutils
again, the others come back as copies of their earlier parse (a copy,
because reading numbers and links the nodes in place).
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

from . import ast as A
from .diagnostics import Diagnostic


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@dataclass
class _Entry:
    data: bytes
    includes: dict[Path, bytes | None]
    blocks: bytes  # pickled: loading a pickle is many times faster than copy.deepcopy
    findings: list[Diagnostic]


class ParseMemo:
    """``(file, years) -> (blocks, includes, findings)``, valid while the bytes are."""

    def __init__(self) -> None:
        self._entries: dict[tuple[Path, range | None], _Entry] = {}
        self.parsed = 0  # files that went through docutils (for tests and the bench)

    def get(self, path: Path, years: range | None,
            data: bytes) -> tuple[list[A.Node], list[Path], list[Diagnostic]] | None:
        """The earlier parse of ``path`` if it was of ``data`` and its includes are unchanged."""
        entry = self._entries.get((path, years))
        if entry is None or data != entry.data:
            return None
        if any(_bytes(inc) != data for inc, data in entry.includes.items()):
            return None
        return pickle.loads(entry.blocks), list(entry.includes), list(entry.findings)

    def put(self, path: Path, years: range | None, data: bytes, blocks: list[A.Node],
            includes: list[Path], findings: list[Diagnostic]) -> None:
        """Remember the parse of ``data`` (the bytes that were parsed, not the file's bytes now)."""
        self.parsed += 1
        self._entries[(path, years)] = _Entry(data, {inc: _bytes(inc) for inc in includes},
                                              pickle.dumps(blocks, pickle.HIGHEST_PROTOCOL), list(findings))

    def forget_missing(self) -> None:
        """Drop the entries of files that no longer exist (a renamed or deleted source)."""
        for key in [k for k in self._entries if not k[0].exists()]:
            del self._entries[key]
