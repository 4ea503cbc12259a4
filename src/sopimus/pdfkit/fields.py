"""Empty PDF signature fields, one per signatory, where its signature goes.

Each is a /FT /Sig widget in /AcroForm with /SigFlags 1 (signatures exist,
the file is not yet append-only: the first PAdES signature sets that), so
any PAdES tool signs in place and later signatures are incremental updates
that keep the earlier ones valid.  Written with pikepdf: importing pyHanko
would cost more than the whole post-processing pass.
"""
from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .. import present

SIGNATURES_EXIST = 1
PRINT_FLAG = 4


def add_signature_fields(pdf: pikepdf.Pdf, blocks: list[present.SignatureBlock],
                         rects: dict[str, tuple[int, tuple[float, float, float, float]]],
                         tooltip) -> dict[str, pikepdf.Dictionary]:
    """Add a field for every block that was placed on a page; return the widgets by field name.

    ``tooltip(block)`` gives the field's description (its /TU, read out by
    assistive technology).
    """
    widgets: dict[str, pikepdf.Dictionary] = {}
    for block in blocks:
        placed = rects.get(block.field_name)
        if placed is None:
            continue  # the document has no signatures directive: no place to sign
        page_index, (x0, y0, x1, y1) = placed
        page = pdf.pages[page_index]
        appearance = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form,
                                     BBox=Array([0, 0, x1 - x0, y1 - y0]), Resources=Dictionary())
        widget = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig, T=String(block.field_name),
            TU=String(tooltip(block)), F=PRINT_FLAG, Rect=Array([x0, y0, x1, y1]),
            P=page.obj, AP=Dictionary(N=appearance)))
        if "/Annots" not in page.obj:
            page.obj.Annots = pdf.make_indirect(Array())
        page.obj.Annots.append(widget)
        widgets[block.field_name] = widget
    if widgets:
        pdf.Root.AcroForm = pdf.make_indirect(Dictionary(Fields=Array(list(widgets.values())),
                                                         SigFlags=SIGNATURES_EXIST))
    return widgets
