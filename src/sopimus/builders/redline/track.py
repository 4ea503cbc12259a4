"""Word's own tracked changes on rendered WordprocessingML.

The DOCX builder renders blocks as usual; these functions then mark what
was rendered as an insertion (``w:ins``), a deletion (``w:del``, its text in
``w:delText``) or a move (``w:moveFrom``/``w:moveTo`` with their range
marks): the runs, the paragraph mark (so that *Accept All* removes a deleted
paragraph entirely) and table rows (``w:trPr/w:ins|w:del``). Every mark has
an id unique in the document (shared with bookmarks), the author and the
build clock's date, so Word's and LibreOffice's *Accept All* give the new
version and *Reject All* the old one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from docx.oxml.ns import qn

from ...docxkit.xml import el

INS, DEL, MOVE_FROM, MOVE_TO = "w:ins", "w:del", "w:moveFrom", "w:moveTo"
_REMOVING = (DEL, MOVE_FROM)
_RUN_CONTENT = {qn("w:r")}


@dataclass
class Revisions:
    """Who and when, and the source of unique ids."""

    author: str
    date: str  # 2026-11-30T00:00:00Z
    next_id: Callable[[], int]
    moves: int = 0

    def attrs(self) -> dict[str, object]:
        return {"w:id": self.next_id(), "w:author": self.author, "w:date": self.date}

    def mark(self, kind: str) -> object:
        return el(kind, self.attrs())


def mark_elements(elements: list, kind: str, rev: Revisions) -> list:
    """Mark every paragraph and table row in ``elements`` (``w:p``/``w:tbl``) as ``kind``."""
    name = None
    if kind in (MOVE_FROM, MOVE_TO):
        rev.moves += 1 if kind == MOVE_FROM else 0
        name = f"move{rev.moves}"
    paragraphs = [p for p in elements if p.tag == qn("w:p")]
    for element in elements:
        if element.tag == qn("w:p"):
            mark_paragraph(element, kind, rev)
        elif element.tag == qn("w:tbl"):
            mark_table(element, kind, rev)
    if name and paragraphs:
        start_tag = "w:moveFromRangeStart" if kind == MOVE_FROM else "w:moveToRangeStart"
        end_tag = "w:moveFromRangeEnd" if kind == MOVE_FROM else "w:moveToRangeEnd"
        range_id = rev.next_id()
        first, last = paragraphs[0], paragraphs[-1]
        start = el(start_tag, {"w:id": range_id, "w:author": rev.author, "w:date": rev.date, "w:name": name})
        props = first.find(qn("w:pPr"))
        props.addnext(start) if props is not None else first.insert(0, start)
        last.append(el(end_tag, {"w:id": range_id}))
    return elements


def mark_paragraph(p, kind: str, rev: Revisions) -> None:
    """The paragraph's runs and its mark."""
    props = p.find(qn("w:pPr"))
    if props is None:
        props = el("w:pPr")
        p.insert(0, props)
    rpr = props.find(qn("w:rPr"))
    if rpr is None:
        rpr = el("w:rPr")
        sect = props.find(qn("w:sectPr"))
        sect.addprevious(rpr) if sect is not None else props.append(rpr)
    rpr.insert(0, rev.mark(kind))  # CT_ParaRPr: the revision marks come first
    wrap_runs(p, kind, rev)


def wrap_runs(parent, kind: str, rev: Revisions) -> None:
    """Wrap each stretch of runs directly in ``parent`` (a paragraph or a hyperlink) in one mark."""
    group: list = []

    def flush() -> None:
        if group:
            wrapper = rev.mark(kind)
            group[0].addprevious(wrapper)
            for run in group:
                wrapper.append(run)
                if kind in _REMOVING:
                    as_deleted(run)
            group.clear()

    for child in list(parent):
        if child.tag in _RUN_CONTENT:
            if _has_content(child):
                group.append(child)
            else:
                flush()  # an empty run changes nothing: no mark (Word and LibreOffice would count one)
            continue
        flush()
        if child.tag == qn("w:hyperlink"):
            wrap_runs(child, kind, rev)  # the mark goes inside a hyperlink, around its runs
        elif child.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")) and kind in _REMOVING:
            parent.remove(child)  # a deleted heading keeps no bookmark: the new one has it
    flush()


def _has_content(run) -> bool:
    return any(t.text for t in run.iter(qn("w:t"))) or any(True for _ in run.iter(qn("w:tab"), qn("w:br")))


def as_deleted(run) -> None:
    for t in run.iter(qn("w:t")):
        t.tag = qn("w:delText")
    for t in run.iter(qn("w:instrText")):
        t.tag = qn("w:delInstrText")


def mark_table(tbl, kind: str, rev: Revisions) -> None:
    """Every row of the table (rows cannot move: a moved table's rows are deleted and inserted)."""
    row_kind = DEL if kind in _REMOVING else INS
    for tr in tbl.iter(qn("w:tr")):
        mark_row(tr, row_kind, rev)


def mark_row(tr, kind: str, rev: Revisions) -> None:
    props = tr.find(qn("w:trPr"))
    if props is None:
        props = el("w:trPr")
        tr.insert(0, props)
    props.append(rev.mark(kind))  # CT_TrPr: ins/del after the other row properties
    for p in tr.iter(qn("w:p")):
        mark_paragraph(p, kind, rev)


def segment_runs(runs: list, op: str, rev: Revisions) -> list:
    """Runs of one word-diff segment: as they are (equal), or wrapped as inserted or deleted."""
    if op == "equal" or not runs:
        return runs
    holder = el("w:p", None, *runs)
    wrap_runs(holder, INS if op == "insert" else DEL, rev)
    return list(holder)
