"""Verifying what comes back from a cache before it is used.

A read-cache entry in ``OUTDIR/.cache/read/`` holds a whole document; the
folder may be edited by anyone who can write ``build/``.  An entry is used
only if the document is one the reader could have produced: its own id,
valid ids on every node, links only to the allowed schemes, no control
characters in its text.  Anything else means: read the sources again.
"""
from __future__ import annotations

import dataclasses

from . import ast as A
from .ids import ID_PATTERN
from .rst.policy import link_allowed
from .textfile import control_character


def verified(doc: A.Document, doc_id: str, config) -> bool:
    """Whether ``doc`` (from a cache) could have come from the reader for ``doc_id``."""
    if doc.id != doc_id or doc.language != config.source_language:
        return False
    for node in doc.walk():
        if isinstance(node, A.Link) and not link_allowed(node.url):
            return False
        node_id = getattr(node, "id", "")
        if node_id and not isinstance(node, A.Section) and not ID_PATTERN.match(node_id):
            return False
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, str) and control_character(value.replace("\n", " ")) is not None:
                return False
    return True
