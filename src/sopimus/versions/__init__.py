"""Structural diff of two versions of a document (the yearly update).

>>> import sopimus
>>> d = sopimus.diff(old_doc, new_doc)         # a DocumentDiff
>>> sopimus.diff_json(d)["changes"]             # {"schema": "sopimus-diff/1", ...}

:func:`diff` compares two typed ASTs (:mod:`sopimus.ast`); it needs no
builder and no files. :mod:`sopimus.versions.checkout` reads the old version of
a project from a git revision or another folder.
"""
from __future__ import annotations

from .changes import SCHEMA, changes, dumps, to_json
from .compare import diff
from .model import (CHANGE, DELETE, EQUAL, INSERT, MOVE_FROM, MOVE_TO, BlockDiff, DocumentDiff,
                    FieldChange, TargetChange)
from .words import Segment

diff_json = to_json  # as sopimus.diff_json

__all__ = ["diff", "diff_json", "changes", "to_json", "dumps", "SCHEMA", "DocumentDiff", "BlockDiff", "FieldChange",
           "TargetChange", "Segment", "EQUAL", "INSERT", "DELETE", "CHANGE", "MOVE_FROM", "MOVE_TO"]
