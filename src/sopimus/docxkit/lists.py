"""Real Word lists: numbering definitions in ``word/numbering.xml``.

Bullets and numbers are numbering definitions that Word's list buttons
understand (not typed "•" characters).  Every ordered list gets its own
``w:num`` that restarts at 1; bullet lists share one.
"""
from __future__ import annotations

from docx.oxml.ns import qn

from .xml import el, val

TWIPS_PER_CM = 567
LEVELS = 9


class Numbering:
    def __init__(self, numbering, bullets: list[str], number_formats: list[str], indent_cm: float):
        self.numbering = numbering
        self.indent = round(indent_cm * TWIPS_PER_CM)
        self._next_abstract = 1 + max((int(a.get(qn("w:abstractNumId"))) for a in
                                       numbering.iterchildren(qn("w:abstractNum"))), default=-1)
        self._next_num = 1 + max((int(n.get(qn("w:numId"))) for n in
                                  numbering.iterchildren(qn("w:num"))), default=0)
        self._bullet_abstract = self._abstract([("bullet", bullets[i % len(bullets)]) for i in range(LEVELS)])
        self._number_abstract = self._abstract(
            [(number_formats[i % len(number_formats)], f"%{i + 1}.") for i in range(LEVELS)])
        self._bullet_num: int | None = None

    def indent_of(self, level: int) -> int:
        """The left indent of list text at ``level`` (0-based), in twips."""
        return self.indent * (level + 1)

    def bullets(self) -> int:
        if self._bullet_num is None:
            self._bullet_num = self._num(self._bullet_abstract, restart=False)
        return self._bullet_num

    def new_ordered(self) -> int:
        return self._num(self._number_abstract, restart=True)

    def _abstract(self, levels: list[tuple[str, str]]) -> int:
        abstract_id = self._next_abstract
        self._next_abstract += 1
        node = el("w:abstractNum", {"w:abstractNumId": abstract_id},
                  val("w:multiLevelType", "hybridMultilevel"))
        for i, (fmt, text) in enumerate(levels):
            node.append(el("w:lvl", {"w:ilvl": i},
                           val("w:start", 1), val("w:numFmt", fmt), val("w:lvlText", text),
                           val("w:lvlJc", "left"),
                           el("w:pPr", None, el("w:ind", {"w:left": self.indent_of(i), "w:hanging": self.indent}))))
        # Schema: every w:abstractNum comes before the first w:num.
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(node)
        else:
            cleanup = self.numbering.find(qn("w:numIdMacAtCleanup"))
            cleanup.addprevious(node) if cleanup is not None else self.numbering.append(node)
        return abstract_id

    def _num(self, abstract_id: int, restart: bool) -> int:
        num_id = self._next_num
        self._next_num += 1
        node = el("w:num", {"w:numId": num_id}, val("w:abstractNumId", abstract_id))
        if restart:
            for i in range(LEVELS):
                node.append(el("w:lvlOverride", {"w:ilvl": i}, val("w:startOverride", 1)))
        cleanup = self.numbering.find(qn("w:numIdMacAtCleanup"))
        cleanup.addprevious(node) if cleanup is not None else self.numbering.append(node)
        return num_id
