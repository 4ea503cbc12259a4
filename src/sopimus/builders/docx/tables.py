"""Tables written as XML rows directly (python-docx's ``Table.cell()`` is
quadratic): indicator tables, the rating scale, the cover facts and the
signature blocks.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ... import ast as A
from ... import present as P
from .context import Context
from .xml import el, ppr, text_runs, val


@dataclass
class Cell:
    paragraphs: list
    span: int = 1
    fill: str | None = None  # RRGGBB


@dataclass
class Row:
    cells: list[Cell]
    header: bool = False  # repeats at the top of every page (w:tblHeader)


@dataclass
class Table:
    widths: list[int]  # twips, one per grid column
    rows: list[Row] = field(default_factory=list)
    style: str | None = None
    header_look: bool = True  # the table style's header-row formatting applies


def widths_from_percent(percents: list[float], total: int) -> list[int]:
    widths = [round(total * p / 100) for p in percents]
    widths[-1] += total - sum(widths)
    return widths


def write(table: Table) -> object:
    # Only the header row takes the table style's conditional formatting; w:val
    # is the same as a bit mask for Word 2007 (0x20 first row, 0x200/0x400 no banding).
    look = {"w:val": f"{0x600 | (0x20 if table.header_look else 0):04X}", "w:firstRow": int(table.header_look),
            "w:lastRow": 0, "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1}
    tbl_pr = el("w:tblPr", None,
                val("w:tblStyle", table.style) if table.style else None,
                el("w:tblW", {"w:w": sum(table.widths), "w:type": "dxa"}),
                el("w:tblLayout", {"w:type": "fixed"}),
                el("w:tblLook", look))
    grid = el("w:tblGrid", None, *(el("w:gridCol", {"w:w": w}) for w in table.widths))
    tbl = el("w:tbl", None, tbl_pr, grid)
    for row in table.rows:
        tr_pr = el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader") if row.header else None)
        tr = el("w:tr", None, tr_pr)
        column = 0
        for cell in row.cells:
            width = sum(table.widths[column:column + cell.span])
            column += cell.span
            tc_pr = el("w:tcPr", None,
                       el("w:tcW", {"w:w": width, "w:type": "dxa"}),
                       val("w:gridSpan", cell.span) if cell.span > 1 else None,
                       el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": cell.fill}) if cell.fill else None)
            tr.append(el("w:tc", None, tc_pr, *(cell.paragraphs or [el("w:p")])))
        tbl.append(tr)
    return tbl


def cell_paragraph(ctx: Context, text: str, *, jc: str | None = None, bold: bool = False,
                   color: str | None = None, style_role: str = "table_text") -> object:
    rpr = ctx.rpr_factory(bold=bold, color=color)
    return el("w:p", None, ppr(style=ctx.style(style_role), jc=jc), *text_runs(text, rpr))


def text_cell(ctx: Context, text: str, **kw) -> Cell:
    fill = kw.pop("fill", None)
    span = kw.pop("span", 1)
    return Cell([cell_paragraph(ctx, text, **kw)], span=span, fill=fill)


# --- indicators ------------------------------------------------------------

def indicator_table(indicators: list[A.Indicator], ctx: Context, body_writer) -> object:
    """Consecutive indicators as one table: name, unit, one column per year;
    an indicator's description spans the row below it."""
    doc, _ = ctx.doc, ctx._
    first = P.indicator_table(indicators[0], doc, _)
    cols = ctx.settings["indicator_columns"]
    years = len(first.years)
    rest = max(0.0, 100 - cols["name"] - cols["unit"])
    percents = [cols["name"], cols["unit"]] + [rest / years] * years if years else [cols["name"], cols["unit"]]
    table = Table(widths_from_percent(percents, ctx.text_width), style=ctx.style("table", "table"))
    table.rows.append(Row([text_cell(ctx, text) for text in first.header], header=True))
    for ind in indicators:
        data = P.indicator_table(ind, doc, _)
        # Target levels are numbers: right-aligned, as in the PDF.
        table.rows.append(Row([text_cell(ctx, text, jc="right" if i >= 2 else None)
                               for i, text in enumerate(data.row)]))
        if ind.body:
            table.rows.append(Row([Cell(body_writer.cell_blocks(ind.body), span=len(data.row))]))
    return write(table)


# --- rating scale ----------------------------------------------------------

def rating_table(scale: A.RatingScale, ctx: Context) -> object:
    _ = ctx._
    table = Table(widths_from_percent(ctx.settings["rating_columns"], ctx.text_width),
                  style=ctx.style("table", "table"))
    table.rows.append(Row([text_cell(ctx, _("Rating")), text_cell(ctx, _("Colour")),
                           text_cell(ctx, _("Meaning"))], header=True))
    fills = ctx.settings["rating_fill"]
    for level in scale.levels:
        fill = ctx.colour(fills[level.rating])
        table.rows.append(Row([
            text_cell(ctx, str(level.rating)),
            text_cell(ctx, P.rating_word(level.rating, _), bold=True, fill=fill, color=readable_on(fill)),
            text_cell(ctx, level.text)]))
    return write(table)


def readable_on(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (WCAG relative luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "FFFFFF"


# --- cover -----------------------------------------------------------------

def cover_table(ctx: Context) -> object | None:
    lines = P.cover_lines(ctx.doc, ctx._)
    if not lines:
        return None
    table = Table(widths_from_percent(ctx.settings["cover_columns"], ctx.text_width),
                  style=ctx.style("plain_table", "table"), header_look=False)
    for label, value in lines:
        table.rows.append(Row([text_cell(ctx, label, bold=True, style_role="body"),
                               text_cell(ctx, value, style_role="body")]))
    return write(table)


# --- signatures ------------------------------------------------------------

def signature_table(ctx: Context) -> object:
    """Place and date, then the signatories side by side: party, the line to
    sign on, the printed name (or its caption) and the role, as in the PDF."""
    doc, _ = ctx.doc, ctx._
    per_row = max(int(ctx.settings["signature_columns"]), 1)
    gap = float(ctx.settings["signature_gap"])
    percents: list[float] = []
    for c in range(per_row):
        percents += [(100 - gap * (per_row - 1)) / per_row] + ([gap] if c < per_row - 1 else [])
    table = Table(widths_from_percent(percents, ctx.text_width), style=ctx.style("plain_table", "table"),
                  header_look=False)
    line, caption = ctx.style("signature_line"), ctx.style("signature_caption")

    def para(style: str, text: str, bold: bool = False) -> object:
        # Keep-with-next on every line keeps the signature blocks on one page.
        return el("w:p", None, ppr(style=style, keep_next=True), *text_runs(text, ctx.rpr_factory(bold=bold)))

    if doc.place and doc.date:
        place = Cell([para(ctx.style("table_text"), P.place_and_date(doc, _))])
    else:  # a line to fill in by hand, with what is already known written on it
        known = f"{doc.place or ''} {P.date_text(doc) or ''}".strip()
        place = Cell([para(line, known), para(caption, _("Place and date"))])
    blocks = [Cell([para(ctx.style("table_text"), b.party, bold=True),
                    para(line, ""),
                    para(ctx.style("table_text"), b.name) if b.name else para(caption, _("Printed name")),
                    para(ctx.style("table_text"), b.role)])
              for b in P.signature_blocks(doc)]
    for group in [[place]] + [blocks[i:i + per_row] for i in range(0, len(blocks), per_row)]:
        row: list[Cell] = []
        for c in range(per_row):
            row.append(group[c] if c < len(group) else Cell([el("w:p")]))
            if c < per_row - 1:
                row.append(Cell([el("w:p")]))  # the gap between signatories
        table.rows.append(Row(row))
    return write(table)
