"""Word tables written as XML rows directly (python-docx's ``Table.cell()``
is quadratic): cells, rows, widths, header rows that repeat, fills."""
from __future__ import annotations

from dataclasses import dataclass, field

from .context import WordContext
from .xml import el, ppr, text_runs, val


@dataclass
class Cell:
    paragraphs: list
    span: int = 1
    fill: str | None = None  # RRGGBB
    vmerge: str | None = None  # "restart" (a cell merged with the rows below) or "continue" (covered)


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
                       (val("w:vMerge", "restart") if cell.vmerge == "restart" else el("w:vMerge"))
                       if cell.vmerge else None,
                       el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": cell.fill}) if cell.fill else None)
            tr.append(el("w:tc", None, tc_pr, *(cell.paragraphs or [el("w:p")])))
        tbl.append(tr)
    return tbl


def cell_paragraph(ctx: WordContext, text: str, *, jc: str | None = None, bold: bool = False,
                   color: str | None = None, style_role: str = "table_text", lang: str | None = None) -> object:
    rpr = ctx.rpr_factory(bold=bold, color=color, lang=lang)
    return el("w:p", None, ppr(style=ctx.style(style_role), jc=jc), *text_runs(text, rpr))


def text_cell(ctx: WordContext, text: str, **kw) -> Cell:
    fill = kw.pop("fill", None)
    span = kw.pop("span", 1)
    return Cell([cell_paragraph(ctx, text, **kw)], span=span, fill=fill)


def readable_on(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (WCAG relative luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "FFFFFF"
