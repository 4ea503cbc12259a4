"""PDF/A-2b: what reportlab does not write, added with pikepdf in one pass.

XMP metadata (pdfaid part 2, conformance B) that agrees with the document
information dictionary, the sRGB output intent, the document language,
DisplayDocTitle, printable annotations.  Dates come from the build clock so
the same sources give the same bytes.
"""
from __future__ import annotations

import datetime as _dt
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .. import clock

PRODUCER = "sopimus (reportlab, pikepdf)"
ICC_IDENTIFIER = "sRGB IEC61966-2.1"
PRINT_FLAG = 4


def pdf_date(value: _dt.datetime) -> str:
    return value.astimezone(_dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")


def xmp_date(value: _dt.datetime) -> str:
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_archival(pdf: pikepdf.Pdf, *, title: str, author: str, subject: str, lang: str,
                  icc_profile: bytes, pdfua: bool = False) -> None:
    """Turn reportlab's output into PDF/A-2b in place."""
    when = clock.build_datetime()
    root = pdf.Root
    root.Lang = String(lang)
    root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if "/Outlines" in root:
        root.PageMode = Name.UseOutlines
    profile = pdf.make_stream(icc_profile, N=3)
    root.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String(ICC_IDENTIFIER),
        Info=String(ICC_IDENTIFIER), DestOutputProfile=profile)])
    for page in pdf.pages:
        if "/Trans" in page.obj:
            del page.obj.Trans  # reportlab writes an empty transition; PDF/A wants none
        for annot in page.obj.get("/Annots", []):
            annot.F = PRINT_FLAG  # PDF/A: annotations print, never hidden
    pdf.trailer.Info = pdf.make_indirect(Dictionary(
        Title=String(title), Author=String(author), Subject=String(subject),
        Creator=String("sopimus"), Producer=String(PRODUCER),
        CreationDate=String(pdf_date(when)), ModDate=String(pdf_date(when))))
    xmp = _xmp(title=title, author=author, subject=subject, lang=lang, when=xmp_date(when), pdfua=pdfua)
    root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)


def _xmp(*, title: str, author: str, subject: str, lang: str, when: str, pdfua: bool) -> str:
    t, a, s = escape(title), escape(author), escape(subject)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{a}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{s}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>sopimus</xmp:CreatorTool>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<pdf:Producer>{PRODUCER}</pdf:Producer>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>{PDFUA_XMP if pdfua else ""}
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""



# The PDF/UA-1 identifier, with the extension schema PDF/A requires for a
# namespace it does not predefine.
PDFUA_XMP = """
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""
