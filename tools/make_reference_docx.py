"""Make the DOCX reference template of the default theme, reproducibly.

    .venv/bin/python tools/make_reference_docx.py

writes src/sopimus/themes/default/docx/reference.docx from python-docx's own default
template: A4 page, the theme's font and colours (src/sopimus/themes/default/theme.yaml),
the styles the DOCX builder uses (found by name: see the ``docx.styles``
section of theme.yaml) and the standard header with placeholders.  It also
writes tests/data/reference-fi-ids.docx, the same template as a Finnish Word
stores it (style ids "Otsikko1", "Luettelokappale" …, English names), with
some of sopimus's own styles left out, for the test that the builder finds
styles by name.

Sizes and spacing are here, in one place; colours and the font family come
from theme.yaml so the DOCX and the PDF agree.  Re-run after changing either
and commit the result.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips
from lxml import etree
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
from sopimus.builders.docx import header as header_xml  # noqa: E402
from sopimus.docxkit.package import reproducible_zip  # noqa: E402
from sopimus.clock import FIXED  # noqa: E402

THEME = REPO / "src" / "sopimus" / "themes" / "default"  # the built-in theme is package data
OUT = THEME / "docx" / "reference.docx"
OUT_FI = REPO / "tests" / "data" / "reference-fi-ids.docx"

FONT = "Noto Sans"  # the family of the default theme's fonts/NotoSans-*.ttf
MONO = "Courier New"  # Word's and LibreOffice's (Liberation Mono) everywhere

# A4, margins in twips (1 cm = 567): room for a two-line header (SFS 2487).
PAGE_W, PAGE_H = 11906, 16838
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 1418, 1134, 1814, 1134  # 25, 20, 32, 20 mm
HEADER_DIST, FOOTER_DIST = 680, 567  # 12, 10 mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def theme_data() -> dict:
    return YAML(typ="safe", pure=True).load((THEME / "theme.yaml").read_text("utf-8"))


def colours() -> dict[str, str]:
    return {k: v.lstrip("#").upper() for k, v in theme_data()["colours"].items()}


HEADER_COLUMN = round(TEXT_W * float(theme_data()["docx"]["header_column"]) / 100)


def style_xml(kind: str, style_id: str, name: str, body: str, *, custom: bool = True,
              based_on: str | None = "Normal", next_: str | None = None, link: str | None = None,
              ui_priority: int | None = None, qformat: bool = True) -> str:
    parts = [f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{style_id}"'
             + (' w:customStyle="1"' if custom else "") + ">",
             f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_:
        parts.append(f'<w:next w:val="{next_}"/>')
    if link:
        parts.append(f'<w:link w:val="{link}"/>')
    if ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    if qformat:
        parts.append("<w:qFormat/>")
    parts.append(body)
    parts.append("</w:style>")
    return "".join(parts)


def rpr(size_pt: float | None = None, *, bold=False, italic=False, colour: str | None = None,
        font: str | None = None, caps=False, underline=False) -> str:
    out = ["<w:rPr>"]
    if font:
        out.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:eastAsia="{font}"/>')
    if bold:
        out.append("<w:b/><w:bCs/>")
    if italic:
        out.append("<w:i/><w:iCs/>")
    if caps:
        out.append("<w:caps/>")
    if colour:
        out.append(f'<w:color w:val="{colour}"/>')
    if size_pt:
        half = round(size_pt * 2)
        out.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if underline:
        out.append('<w:u w:val="single"/>')
    out.append("</w:rPr>")
    return "".join(out)


def ppr(*, before=0, after=0, line: int | None = None, keep_next=False, keep_lines=False,
        page_break_before=False, outline: int | None = None, ind_left: int | None = None,
        ind_right: int | None = None, border_bottom: str | None = None, band: str | None = None,
        tabs: str = "", contextual=False, hyphenate=True) -> str:
    out = ["<w:pPr>"]
    if keep_next:
        out.append("<w:keepNext/>")
    if keep_lines:
        out.append("<w:keepLines/>")
    if page_break_before:
        out.append("<w:pageBreakBefore/>")
    if band:  # a coloured band: shading, with borders of the same colour as padding
        out.append("<w:pBdr>" + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="4" w:color="{band}"/>'
                                        for side in ("top", "left", "bottom", "right")) + "</w:pBdr>")
        out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{band}"/>')
    elif border_bottom:
        out.append(f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="{border_bottom}"/></w:pBdr>')
    if tabs:
        out.append(f"<w:tabs>{tabs}</w:tabs>")
    if not hyphenate:  # headings are not hyphenated
        out.append("<w:suppressAutoHyphens/>")
    spacing = f'<w:spacing w:before="{before}" w:after="{after}"'
    if line:
        spacing += f' w:line="{line}" w:lineRule="auto"'
    out.append(spacing + "/>")
    if ind_left is not None or ind_right is not None:
        out.append("<w:ind" + (f' w:left="{ind_left}"' if ind_left is not None else "")
                   + (f' w:right="{ind_right}"' if ind_right is not None else "") + "/>")
    if contextual:
        out.append("<w:contextualSpacing/>")
    if outline is not None:
        out.append(f'<w:outlineLvl w:val="{outline}"/>')
    out.append("</w:pPr>")
    return "".join(out)


def define(styles, xml: str) -> None:
    """Add the style, replacing one with the same id."""
    new = parse_xml(xml)
    style_id = new.get(qn("w:styleId"))
    for old in styles.iterchildren(qn("w:style")):
        if old.get(qn("w:styleId")) == style_id:
            old.addprevious(new)
            styles.remove(old)
            return
    styles.append(new)


def make_styles(styles, c: dict[str, str]) -> None:
    # Explicit fonts, not theme fonts: what LibreOffice and Word both honour.
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            del rfonts.attrib[attr]
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            rfonts.set(qn(f"w:{attr}"), FONT)
    for colour in styles.iter(qn("w:color")):  # theme colours would override the theme.yaml ones
        for attr in ("themeColor", "themeShade", "themeTint"):
            colour.attrib.pop(qn(f"w:{attr}"), None)
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(f"{{{W}}}rPrDefault/{{{W}}}rPr")
    rpr_default.find(qn("w:sz")).set(qn("w:val"), "20")
    rpr_default.find(qn("w:szCs")).set(qn("w:val"), "20")
    rpr_default.find(qn("w:lang")).set(qn("w:val"), "fi-FI")
    defaults.find(f"{{{W}}}pPrDefault/{{{W}}}pPr/{{{W}}}spacing").attrib.update(
        {qn("w:after"): "120", qn("w:line"): "240", qn("w:lineRule"): "auto"})
    # Only the table styles the builder uses: Word lists the rest anyway.
    for style in list(styles.iterchildren(qn("w:style"))):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in ("TableNormal", "TableGrid"):
            styles.remove(style)

    text, accent, muted, rule = c["text"], c["accent"], c["muted"], c["rule"]
    # Sizes and spacing follow the PDF's (theme.yaml pdf.styles), in Word's units:
    # half-points for sizes, twentieths of a point (twips) for spacing.
    define(styles, style_xml("paragraph", "Normal", "Normal", ppr(after=120, line=240) + rpr(colour=text),
                             custom=False, based_on=None, ui_priority=0))
    for level, (size, before, after) in enumerate([(15, 320, 160), (12.5, 240, 120), (11, 200, 80)], 1):
        define(styles, style_xml(
            "paragraph", f"Heading{level}", f"heading {level}",
            ppr(before=before, after=after, keep_next=True, keep_lines=True, outline=level - 1, hyphenate=False)
            + rpr(size, bold=True, colour=accent), custom=False, next_="Normal", link=f"Heading{level}Char",
            ui_priority=9))
    define(styles, style_xml("paragraph", "Title", "Title", ppr(before=800, after=200, line=240, hyphenate=False)
                             + rpr(20, bold=True, colour=accent), custom=False, next_="Normal", ui_priority=10))
    define(styles, style_xml("paragraph", "Subtitle", "Subtitle", ppr(after=480)
                             + rpr(13, colour=muted), custom=False, next_="Normal", ui_priority=11))
    # The table of contents has a page of its own after the cover, as in the PDF.
    define(styles, style_xml("paragraph", "TOCHeading", "TOC Heading",
                             ppr(after=200, keep_next=True, page_break_before=True, outline=9, hyphenate=False)
                             + rpr(14, bold=True, colour=accent),
                             custom=False, based_on="Heading1", next_="Normal", ui_priority=39))
    for level in (1, 2, 3):
        tab = f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/>'
        define(styles, style_xml(
            "paragraph", f"TOC{level}", f"toc {level}",
            ppr(before=80 if level == 1 else 0, after=40, ind_left=(level - 1) * 160, tabs=tab)
            + rpr(bold=level == 1), custom=False, next_="Normal", ui_priority=39, qformat=False))
    define(styles, style_xml("paragraph", "ListParagraph", "List Paragraph",
                             ppr(after=60, ind_left=357, contextual=True), custom=False, ui_priority=34))
    define(styles, style_xml("paragraph", "Quote", "Quote", ppr(after=120, ind_left=360, ind_right=360)
                             + rpr(italic=True), custom=False, next_="Normal", ui_priority=29))
    # Result targets: outline levels put them in Word's navigation pane; the
    # TOC (\o "1-3" without \u) lists only the numbered sections and annexes.
    define(styles, style_xml("paragraph", "ThemeHeading", "Theme Heading",
                             ppr(before=280, after=160, keep_next=True, keep_lines=True, outline=1,
                                 band=accent, ind_left=100, ind_right=100, hyphenate=False) + rpr(11.5, bold=True, colour="FFFFFF"), next_="Normal"))
    define(styles, style_xml("paragraph", "GoalHeading", "Goal Heading",
                             ppr(before=200, after=80, keep_next=True, keep_lines=True, outline=2, hyphenate=False)
                             + rpr(10.5, bold=True, colour=accent), next_="Normal"))
    define(styles, style_xml("paragraph", "SubgoalHeading", "Sub-goal Heading",
                             ppr(before=120, after=60, keep_next=True, keep_lines=True, outline=3, ind_left=200,
                                 hyphenate=False)
                             + rpr(10, bold=True, colour=text), next_="Normal"))
    define(styles, style_xml("paragraph", "TargetHeading", "Target Heading",
                             ppr(before=80, after=40, keep_next=True, ind_left=400, hyphenate=False) + rpr(9, bold=True, colour=muted),
                             next_="TargetText"))
    define(styles, style_xml("paragraph", "TargetText", "Target Text", ppr(after=100, ind_left=400)))
    define(styles, style_xml("paragraph", "TableText", "Table Text", ppr(after=0, line=240) + rpr(8.5)))
    define(styles, style_xml("paragraph", "TableNote", "Table Note", ppr(after=0, line=240)
                             + rpr(8.5, italic=True, colour=muted), based_on="TableText"))
    define(styles, style_xml("paragraph", "SignatureLine", "Signature Line",
                             ppr(before=960, after=40, line=240, border_bottom=text) + rpr(9), next_="Normal"))
    define(styles, style_xml("paragraph", "SignatureCaption", "Signature Caption",
                             ppr(after=60, line=240) + rpr(7.5, colour=muted), next_="Normal"))
    define(styles, style_xml("paragraph", "ImpactGoal", "Impact Goal",
                             '<w:pPr><w:tabs><w:tab w:val="left" w:pos="851"/></w:tabs>'
                             '<w:spacing w:before="0" w:after="80"/><w:ind w:left="851" w:hanging="851"/></w:pPr>',
                             next_="Normal"))
    # Paragraphs with the same border form one group: the rule runs under the whole header.
    define(styles, style_xml("paragraph", "Header", "header",
                             ppr(after=0, line=240, border_bottom=rule,
                                 tabs=f'<w:tab w:val="left" w:pos="{HEADER_COLUMN}"/>'
                                      f'<w:tab w:val="right" w:pos="{TEXT_W}"/>')
                             + rpr(8.5, colour=muted), custom=False, ui_priority=99, qformat=False))
    define(styles, style_xml("paragraph", "Footer", "footer", ppr(after=0, line=240) + rpr(8, colour=muted),
                             custom=False, ui_priority=99, qformat=False))
    define(styles, style_xml("character", "Hyperlink", "Hyperlink", rpr(colour=accent, underline=True),
                             custom=False, based_on="DefaultParagraphFont", ui_priority=99, qformat=False))
    define(styles, style_xml("character", "Literal", "Literal", rpr(font=MONO),
                             based_on="DefaultParagraphFont"))
    define(styles, style_xml("character", "DraftMark", "Draft Mark", rpr(bold=True, colour=c["red"]),
                             based_on="DefaultParagraphFont"))
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{rule}"'
    define(styles, style_xml(
        "table", "SopimusTable", "Sopimus Table",
        ppr(after=0, line=240)
        + "<w:tblPr>"
        + "<w:tblBorders>" + "".join(f"<w:{side} {border}/>" for side in
                                     ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
        + '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
          '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        + "</w:tblPr>"
        + '<w:tblStylePr w:type="firstRow">' + rpr(bold=True)
        + f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{c["table_header_bg"]}"/></w:tcPr>'
        + "</w:tblStylePr>", based_on="TableNormal", qformat=False))


def make_header(document) -> None:
    section = document.sections[0]
    hdr = section.header
    hdr.is_linked_to_previous = False
    styles = document.styles.element
    header_xml.standard_header(hdr.part.element, "Header", "DraftMark", TEXT_W, HEADER_COLUMN,
                               header_xml.style_tab_positions(styles, "Header"))


def page_setup(document) -> None:
    s = document.sections[0]
    s.page_width, s.page_height = Twips(PAGE_W), Twips(PAGE_H)
    s.left_margin, s.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    s.top_margin, s.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    s.header_distance, s.footer_distance = Twips(HEADER_DIST), Twips(FOOTER_DIST)


def settings(document) -> None:
    root = document.settings.element
    for tag in ("w:proofState", "w:rsids", "w:attachedTemplate"):  # nothing was proofread; no history
        for node in root.findall(qn(tag)):
            root.remove(node)
    zoom = root.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")
    default_tab = root.find(qn("w:defaultTabStop"))
    hyphenation = parse_xml(f'<w:autoHyphenation {nsdecls("w")}/>')  # long Finnish compounds
    default_tab.addnext(hyphenation)


def theme_fonts(document) -> None:
    theme_part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/theme"))
    xml = theme_part.blob.decode("utf-8")
    xml = re.sub(r'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*"', rf'\g<1>{FONT}"', xml)
    theme_part._blob = xml.encode("utf-8")


def core(document) -> None:
    cp = document.core_properties
    for name in ("title", "subject", "author", "keywords", "comments", "category", "last_modified_by"):
        setattr(cp, name, "")
    cp.revision = 1
    naive = FIXED.replace(tzinfo=None)
    cp.created = cp.modified = cp.last_printed = naive


# Parts of python-docx's template that say nothing about the look: a Mac
# thumbnail of an empty page and Word 2010's duplicate of the styles.
_DROP = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")


def drop_parts(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name in _DROP:
                continue
            blob = src.read(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                root = etree.fromstring(blob)
                for child in list(root):
                    target = child.get("Target", "") + child.get("PartName", "")
                    if any(target.endswith(Path(d).name) for d in _DROP) or (
                            child.get("Extension") == "jpeg"):
                        root.remove(child)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(name, blob)
    return out.getvalue()


def make_reference() -> bytes:
    document = docx.Document()
    page_setup(document)
    theme_fonts(document)
    make_styles(document.styles.element, colours())
    make_header(document)
    settings(document)
    core(document)
    buf = io.BytesIO()
    document.save(buf)
    return reproducible_zip(drop_parts(buf.getvalue()), FIXED)


# --- the Finnish-localised test template -----------------------------------

# Ids as a Finnish Word writes them (the names stay English).
FINNISH_IDS = {
    "Normal": "Normaali", "Title": "Otsikko", "Subtitle": "Alaotsikko", "ListParagraph": "Luettelokappale",
    "Quote": "Lainaus", "TOCHeading": "Sisllysluettelonotsikko", "TableGrid": "TaulukkoRuudukko",
    "TableNormal": "Normaalitaulukko", "Header": "Yltunniste", "Footer": "Alatunniste",
    "HeaderChar": "YltunnisteChar", "FooterChar": "AlatunnisteChar",
    "DefaultParagraphFont": "Kappaleenoletusfontti", "Strong": "Voimakas", "Emphasis": "Korostus",
    **{f"Heading{i}": f"Otsikko{i}" for i in range(1, 10)},
    **{f"Heading{i}Char": f"Otsikko{i}Char" for i in range(1, 10)},
}
# sopimus's own styles an agency template would not have: the builder copies them in.
NOT_IN_AGENCY_TEMPLATE = ("ThemeHeading", "GoalHeading", "TOC1", "TOC2", "TOC3", "Hyperlink")
_REFS = {qn(f"w:{t}") for t in ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link")}


def localise_ids(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            blob = src.read(name)
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(blob)
                for node in root.iter():
                    if node.tag in _REFS and node.get(qn("w:val")) in FINNISH_IDS:
                        node.set(qn("w:val"), FINNISH_IDS[node.get(qn("w:val"))])
                    if node.tag == qn("w:style"):
                        sid = node.get(qn("w:styleId"))
                        node.set(qn("w:styleId"), FINNISH_IDS.get(sid, sid))
                if name == "word/styles.xml":
                    for style in list(root.iterchildren(qn("w:style"))):
                        if style.get(qn("w:styleId")) in NOT_IN_AGENCY_TEMPLATE:
                            root.remove(style)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(name, blob)
    return reproducible_zip(out.getvalue(), FIXED)


def main() -> int:
    data = make_reference()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    OUT_FI.write_bytes(localise_ids(data))
    print(f"wrote {OUT.relative_to(REPO)} and {OUT_FI.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
