"""The AST as JSON, for other tools: ``build/json/<lang>/<document-id>.json``."""
from __future__ import annotations

import json

from .. import ast as A
from .base import Builder


def dumps(doc: A.Document) -> bytes:
    return (json.dumps(A.to_dict(doc), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def loads(data: bytes | str) -> A.Document:
    node = A.from_dict(json.loads(data))
    if not isinstance(node, A.Document):
        raise ValueError("not a sopimus document")
    return node


class JSONBuilder(Builder):
    name = "json"
    ext = "json"

    def render(self, doc: A.Document) -> bytes:
        return dumps(doc)
