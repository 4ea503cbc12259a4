"""Tagged PDF, the file side: write the structure tree the story builder made
(and the MCIDs the tagger recorded) into the PDF with pikepdf.

/StructTreeRoot with a /ParentTree number tree and a /RoleMap, /StructParents
on pages, link and signature-field annotations as /OBJR of Link and Form
elements (with /StructParent and /Contents), /MarkInfo and /Tabs /S.
"""
from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tagging import Slot, StructElem, Tagger

# Roles of our own, mapped to standard ones for readers that do not know them.
ROLE_MAP = {"Title": "P", "TOCHead": "P"}


def _contains(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1


def _attach_links(pdf: pikepdf.Pdf, tagger: Tagger, destinations: dict[tuple[int, float], str]) -> dict[int, list]:
    """Give every link annotation a Link element: the TOC entry's own, or a new
    one beside the paragraph text it sits in.  Returns elem id -> annotations."""
    marks: dict[int, list[tuple[tuple, Slot]]] = {}
    for elem in tagger.root.walk():
        for kid in elem.kids:
            if isinstance(kid, Slot):
                for page, _mcid, box in kid.marks:
                    marks.setdefault(page, []).append((box, kid))
    objrs: dict[int, list] = {}
    page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    for index, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            slot = next((s for box, s in marks.get(index, []) if _contains(box, cx, cy)), None)
            if slot is None:
                raise ValueError(f"link annotation on page {index + 1} lies in no tagged content")
            elem = slot.elem
            if elem.role != "Link":
                link = StructElem("Link", elem)
                elem.kids.insert(elem.kids.index(slot) + 1, link)
                elem = link
            annot.Contents = String(_describe(annot, slot, destinations, page_index))
            objrs.setdefault(id(elem), []).append((annot, index))
    return objrs


def _describe(annot: pikepdf.Dictionary, slot: Slot, destinations: dict[tuple[int, float], str],
              page_index: dict) -> str:
    """What a link leads to, in words (its /Contents): the address, or the heading it goes to."""
    action = annot.get("/A")
    if action is not None and "/URI" in action:
        return str(action.URI)
    dest = annot.get("/Dest")
    if isinstance(dest, pikepdf.Array) and len(dest) >= 4 and dest[0].objgen in page_index:
        title = destinations.get((page_index[dest[0].objgen], round(float(dest[3]), 2)))
        if title:
            return title
    return slot.text


def write_structure(pdf: pikepdf.Pdf, tagger: Tagger, widgets: dict[str, pikepdf.Dictionary],
                    destinations: dict[tuple[int, float], str]) -> None:
    """Write the tagger's structure tree into ``pdf`` (after the fields are added)."""
    pages = list(pdf.pages)
    objrs = _attach_links(pdf, tagger, destinations)
    parent_arrays: dict[int, list] = {i: [None] * len(elems) for i, elems in tagger.page_elems.items()}
    annotation_parents: list[tuple[pikepdf.Dictionary, pikepdf.Dictionary]] = []

    def make(elem: StructElem, parent: pikepdf.Object) -> pikepdf.Dictionary:
        obj = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + elem.role), P=parent))
        if elem.alt:
            obj.Alt = String(elem.alt)
        if elem.lang:
            obj.Lang = String(elem.lang)
        if elem.attributes:
            obj.A = Dictionary({"/" + k: Name("/" + v) if isinstance(v, str) else v
                                for k, v in elem.attributes.items()})
        kids = []
        first_page = None
        for kid in elem.kids:
            if isinstance(kid, StructElem):
                kids.append(make(kid, obj))
                continue
            for page, mcid, _box in kid.marks:
                first_page = page if first_page is None else first_page
                # an MCID on the element's own page (/Pg) is written as a bare integer
                kids.append(mcid if page == first_page else
                            Dictionary(Type=Name.MCR, Pg=pages[page].obj, MCID=mcid))
                parent_arrays[page][mcid] = obj
        annots = list(objrs.get(id(elem), []))
        if elem.form_field and elem.form_field in widgets:
            widget = widgets[elem.form_field]
            annots.append((widget, next(i for i, p in enumerate(pages) if p.obj.objgen == widget.P.objgen)))
        for annot, page in annots:
            kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=pages[page].obj))
            annotation_parents.append((annot, obj))
            first_page = page if first_page is None else first_page
        if first_page is not None:
            obj.Pg = pages[first_page].obj
        # one kid stands alone (the common form, and the one every checker reads)
        if len(kids) == 1:
            obj.K = kids[0]
        elif kids:
            obj.K = Array(kids)
        return obj

    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = make(tagger.root, root)
    nums = Array()
    for index in sorted(parent_arrays):
        missing = [mcid for mcid, obj in enumerate(parent_arrays[index]) if obj is None]
        if missing:
            raise ValueError(f"page {index + 1}: MCIDs {missing} belong to no structure element")
        pages[index].obj.StructParents = index
        nums.append(index)
        nums.append(pdf.make_indirect(Array(parent_arrays[index])))
    key = len(pages)
    for annot, parent in annotation_parents:
        annot.StructParent = key
        nums.append(key)
        nums.append(parent)
        key += 1
    root.K = document
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = key
    root.RoleMap = Dictionary({"/" + k: Name("/" + v) for k, v in ROLE_MAP.items()})
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    for page in pages:
        page.obj.Tabs = Name.S
