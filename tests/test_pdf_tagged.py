"""The tagged (accessible) PDF: a structure tree in AST order, every text in
marked content or an artifact, checked from the file as an assistive
technology reads it (content streams, the structure tree, the parent tree),
plus the `pdfua` checker and poppler's pdfinfo."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from sopimus import ast as A
from sopimus import present
from sopimus import present

from conftest import require_tool

DOC_IDS = ["keha-yleishallinto-2026-2029", "keha-tem-substanssi-2026-2029"]
LANGS = ["fi", "sv"]
CASES = [(d, lang) for d in DOC_IDS for lang in LANGS]
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@pytest.fixture(scope="module")
def built(built_once) -> Path:
    return built_once("pdf", tuple(LANGS))


def pdf_path(root: Path, doc_id: str, lang: str) -> Path:
    return root / "pdf" / lang / f"{doc_id}.pdf"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- reading the file ------------------------------------------------------------------

def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    """A simple font's ToUnicode CMap as code -> text (bfchar and bfrange)."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    table: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int.from_bytes(bytes.fromhex(dst), "big")
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(start + offset)
    return table


def _decode(operands, cmap: dict[int, str]) -> str:
    out = []
    for item in operands:
        if isinstance(item, pikepdf.Array):
            out.append(_decode(list(item), cmap))
        elif isinstance(item, pikepdf.String):
            out.append("".join(cmap.get(b, "\ufffd") for b in bytes(item)))
    return "".join(out)


def page_marks(page: pikepdf.Page):
    """Walk a page's content: yields (operator, marked-content stack, text) for
    every text-showing operator, and records the MCIDs met, with their text."""
    fonts = {str(k): _to_unicode(v) for k, v in page.Resources.get("/Font", {}).items()}
    stack: list[tuple[str, int | None]] = []
    texts: dict[int, list[str]] = {}
    shows = []
    cmap: dict[int, str] = {}
    new_line = True
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            tag, props = str(operands[0]), operands[1]
            mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
            stack.append((tag, mcid))
            if mcid is not None:
                assert mcid not in texts, f"MCID {mcid} used twice"
                texts[mcid] = []
        elif op == "BMC":
            stack.append((str(operands[0]), None))
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            cmap = fonts[str(operands[0])]
        elif op in ("Td", "TD", "T*", "Tm", "BT"):
            new_line = True
        if op in TEXT_SHOWING:
            text = _decode(operands, cmap)
            shows.append((op, list(stack), text))
            mcids = [m for _t, m in stack if m is not None]
            if mcids:
                # a wrapped line continues after a space; pieces of one line join directly
                texts[mcids[-1]].append((" " if new_line or op in ("'", '"') else "") + text)
            new_line = False
    assert not stack, "unbalanced marked content"
    return shows, texts


def structure(pdf: pikepdf.Pdf):
    """Depth-first walk of the structure tree: (element, [(page index, mcid)…]) in order."""
    page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

    def kids_of(elem):
        k = elem.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def walk(elem):
        marks = []
        for kid in kids_of(elem):
            if isinstance(kid, int):
                marks.append((page_index[elem.Pg.objgen], int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                marks.append((page_index[kid.Pg.objgen], int(kid.MCID)))
        yield elem, marks
        for kid in kids_of(elem):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                yield from walk(kid)

    yield from walk(pdf.Root.StructTreeRoot.K)


def ast_headings(doc: A.Document) -> list[str]:
    _ = present.labels_for(doc).gettext
    out = []
    for node in doc.walk():
        if isinstance(node, (A.Section, A.Annex)):
            out.append(present.heading_text(node, _))
        elif isinstance(node, (A.Theme, A.Goal)):
            out.append(node.title)
        elif isinstance(node, A.YearTarget):
            out.append(present.target_heading(node.year, _))
    return [squash(h) for h in out]


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id,lang", CASES)
def test_pdfinfo_says_tagged(built, doc_id, lang):
    require_tool("pdfinfo")
    out = subprocess.run(["pdfinfo", str(pdf_path(built, doc_id, lang))], check=True,
                         capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", out, re.M), out


@pytest.mark.parametrize("doc_id,lang", CASES)
def test_pdfua_checker_finds_nothing(built, doc_id, lang):
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(str(pdf_path(built, doc_id, lang)))
    problems = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]
    assert not problems, "\n".join(problems)
    assert report.exit_code == 0


@pytest.mark.parametrize("doc_id,lang", CASES)
def test_no_text_outside_marked_content_and_every_mcid_in_the_tree(built, doc_id, lang):
    with pikepdf.open(pdf_path(built, doc_id, lang)) as pdf:
        content: set[tuple[int, int]] = set()
        for index, page in enumerate(pdf.pages):
            shows, texts = page_marks(page)
            assert shows, f"page {index + 1} shows no text"
            for op, stack, text in shows:
                assert stack, f"page {index + 1}: {op} {text!r} outside marked content"
                assert stack[0][0] == "/Artifact" or any(m is not None for _t, m in stack), \
                    f"page {index + 1}: {text!r} is neither tagged content nor an artifact"
            content |= {(index, mcid) for mcid in texts}
        in_tree = [mark for _elem, marks in structure(pdf) for mark in marks]
        assert len(in_tree) == len(set(in_tree)), "an MCID belongs to two elements"
        assert set(in_tree) == content
        # the parent tree leads from every MCID back to the element that holds it
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = dict(zip((int(n) for n in nums[0::2]), nums[1::2]))
        for elem, marks in structure(pdf):
            for page, mcid in marks:
                assert parents[int(pdf.pages[page].obj.StructParents)][mcid].objgen == elem.objgen


@pytest.mark.parametrize("doc_id,lang", CASES)
def test_headings_in_structure_order_are_the_asts(built, project, doc_id, lang):
    doc = project.localised(doc_id, lang).document
    with pikepdf.open(pdf_path(built, doc_id, lang)) as pdf:
        texts = {}
        for index, page in enumerate(pdf.pages):
            _shows, page_texts = page_marks(page)
            for mcid, parts in page_texts.items():
                texts[(index, mcid)] = "".join(parts)
        headings = [squash(" ".join(texts[m] for m in marks)) for elem, marks in structure(pdf)
                    if re.fullmatch(r"/H[1-6]", str(elem.S))]
    assert headings == ast_headings(doc)


@pytest.mark.parametrize("doc_id,lang", CASES)
def test_reading_order_follows_the_ast(built, project, doc_id, lang):
    """Paragraph texts of the body appear in the structure tree in the AST's order."""
    doc = project.localised(doc_id, lang).document
    # without whitespace: a printed address longer than the line breaks inside it
    paragraphs = [re.sub(r"\s+", "", present.printed_text(n.content)) for n in doc.walk()
                  if isinstance(n, A.Paragraph)]
    with pikepdf.open(pdf_path(built, doc_id, lang)) as pdf:
        texts = {}
        for index, page in enumerate(pdf.pages):
            for mcid, parts in page_marks(page)[1].items():
                texts[(index, mcid)] = "".join(parts)
        found = [re.sub(r"\s+", "", " ".join(texts[m] for m in marks)) for elem, marks in structure(pdf)
                 if str(elem.S) == "/P" and marks]
    position = 0
    for text in paragraphs:
        # hyphenation never happens, so a paragraph reads back as its source text
        position = found.index(text, position) + 1


@pytest.mark.parametrize("doc_id,lang", CASES)
def test_tables_lists_links_and_fields_are_tagged(built, doc_id, lang):
    with pikepdf.open(pdf_path(built, doc_id, lang)) as pdf:
        root = pdf.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == f"{lang}-FI" and bool(root.ViewerPreferences.DisplayDocTitle)
        roles = [str(elem.S) for elem, _m in structure(pdf)]
        assert roles[0] == "/Document"
        for role in ("/Table", "/TR", "/TH", "/TD", "/L", "/LI", "/Lbl", "/LBody", "/TOC", "/TOCI",
                     "/Link", "/Form", "/Sect"):
            assert role in roles, role
        for elem, _m in structure(pdf):
            if elem.S == "/TH":
                assert str(elem.A.Scope) in ("/Column", "/Row")
        nums = list(root.StructTreeRoot.ParentTree.Nums)
        parents = dict(zip((int(n) for n in nums[0::2]), nums[1::2]))
        for page in pdf.pages:
            assert page.obj.Tabs == "/S"
            for annot in page.obj.get("/Annots", []):
                elem = parents[int(annot.StructParent)]
                assert str(elem.S) == ("/Form" if annot.Subtype == "/Widget" else "/Link")
                kids = elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]
                assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                           and k.Obj.objgen == annot.objgen for k in kids)
                text = str(annot.get("/Contents", "")) or str(annot.get("/TU", ""))
                assert text.strip(), annot
