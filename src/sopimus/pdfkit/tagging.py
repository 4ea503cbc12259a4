"""Tagged PDF, the drawing side: the structure tree as the story builder
makes it (in AST order), and the marked-content operators written around
what the flowables draw.

reportlab writes no tags, but its canvas takes literal operators, so every
piece of content is drawn between ``/Role <</MCID n>> BDC`` and ``EMC`` and
page furniture between ``/Artifact … BDC`` and ``EMC``.  The structure tree
itself is written afterwards with pikepdf (see ``structure.py``).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(eq=False)
class Slot:
    """A place in an element's reading order for content drawn later.

    A paragraph split over two pages leaves two marked-content references
    in the same slot; ``text`` describes it (for link annotations).
    """

    elem: "StructElem"
    text: str = ""
    # (page index, MCID, (x0, y0, x1, y1))
    marks: list[tuple[int, int, tuple[float, float, float, float]]] = field(default_factory=list)


@dataclass(eq=False)
class StructElem:
    role: str
    parent: "StructElem | None" = None
    kids: list = field(default_factory=list)          # StructElem | Slot, in reading order
    attributes: dict = field(default_factory=dict)    # /A: e.g. {"O": "Table", "Scope": "Column"}
    alt: str | None = None
    lang: str | None = None
    form_field: str | None = None                     # a Form element's signature field name
    title: str = ""                                   # headings: their text (for checks and links)

    def add(self, role: str, **kwargs) -> "StructElem":
        child = StructElem(role, self, **kwargs)
        self.kids.append(child)
        return child

    def slot(self, text: str = "") -> Slot:
        slot = Slot(self, text)
        self.kids.append(slot)
        return slot

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, StructElem):
                yield from kid.walk()


class UntaggedContent(Exception):
    """A flowable drew content that belongs to no structure element (a builder bug)."""


class Tagger:
    """Writes marked content on a reportlab canvas and remembers every MCID."""

    def __init__(self, lang: str):
        self.root = StructElem("Document", lang=lang)
        # page index -> the element of each MCID on that page, in MCID order
        self.page_elems: dict[int, list[StructElem]] = {}
        self._artifact_depth = 0

    @property
    def in_artifact(self) -> bool:
        return self._artifact_depth > 0

    def begin(self, canv, slot: Slot, box: tuple[float, float, float, float]) -> None:
        page = canv.getPageNumber() - 1
        elems = self.page_elems.setdefault(page, [])
        mcid = len(elems)
        elems.append(slot.elem)
        slot.marks.append((page, mcid, box))
        canv._code.append(f"/{slot.elem.role} <</MCID {mcid}>> BDC")

    def end(self, canv) -> None:
        canv._code.append("EMC")

    def begin_artifact(self, canv, kind: str = "Layout") -> None:
        self._artifact_depth += 1
        if self._artifact_depth == 1:
            canv._code.append(f"/Artifact <</Type /{kind}>> BDC")

    def end_artifact(self, canv) -> None:
        self._artifact_depth -= 1
        if self._artifact_depth == 0:
            canv._code.append("EMC")

    @contextmanager
    def artifact(self, canv, kind: str = "Layout"):
        self.begin_artifact(canv, kind)
        try:
            yield
        finally:
            self.end_artifact(canv)

    @contextmanager
    def content(self, canv, slot: Slot | None, box):
        """Mark what is drawn inside as the slot's content (or nothing, inside an artifact)."""
        if self.in_artifact:
            yield
            return
        if slot is None:
            raise UntaggedContent("content drawn without a structure element")
        self.begin(canv, slot, box)
        try:
            yield
        finally:
            self.end(canv)


def tagger_of(canv) -> Tagger | None:
    template = getattr(canv, "_doctemplate", None)
    return getattr(template, "tagger", None)


@contextmanager
def artifact(canv, kind: str = "Layout"):
    """Mark decoration (rules, backgrounds, repeated headers) as an artifact."""
    tagger = tagger_of(canv)
    if tagger is None:
        yield
    else:
        with tagger.artifact(canv, kind):
            yield
