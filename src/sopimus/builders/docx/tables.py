"""The agreement's tables in Word: indicator tables, the rating scale, the
cover facts and the signature blocks."""
from __future__ import annotations

from ... import ast as A
from ... import present as P
from ...docxkit.context import WordContext
from ...docxkit.inlines import Format, inlines
from ...docxkit.tables import (
    Cell,
    Row,
    Table,
    readable_on,
    text_cell,
    widths_from_percent,
    write,
)
from ...docxkit.xml import el, ppr, text_runs

# --- indicators ------------------------------------------------------------

def indicator_table(indicators: list[A.Indicator], ctx: WordContext, body_writer) -> object:
    """Consecutive indicators as one table: name, unit, one column per year;
    an indicator's description spans the row below it."""
    doc, _ = ctx.doc, ctx._
    first = P.indicator_table(indicators[0], doc, _, indicators)
    cols = ctx.settings["indicator_columns"]
    years = len(first.years)
    rest = max(0.0, 100 - cols["name"] - cols["unit"])
    # follow-up indicators (no year columns): the name takes the room of the years
    percents = [cols["name"], cols["unit"]] + [rest / years] * years if years else [100 - cols["unit"], cols["unit"]]
    table = Table(widths_from_percent(percents, ctx.text_width), style=ctx.style("table", "table"))
    table.rows.append(Row([text_cell(ctx, text) for text in first.header], header=True))
    for ind in indicators:
        data = P.indicator_table(ind, doc, _, indicators)
        # Target levels are numbers: right-aligned, as in the PDF.
        table.rows.append(Row([text_cell(ctx, text, jc="right" if i >= 2 else None,
                                         lang=ctx.lang_of(ind.lang) if i == 0 else None)
                               for i, text in enumerate(data.row)]))
        if ind.body:
            table.rows.append(Row([Cell(body_writer.cell_blocks(ind.body), span=len(data.row))]))
    return write(table)


# --- tables of the text ----------------------------------------------------

def text_table(node: A.Table, ctx: WordContext) -> list:
    """A table of the text as a Word table: its caption (kept with the table),
    header rows that repeat on every page (w:tblHeader), merged cells."""
    columns, grid = P.table_grid(node, ctx.doc.language)
    weights = P.column_weights(node, columns)
    table = Table(widths_from_percent([100 * w / sum(weights) for w in weights], ctx.text_width),
                  style=ctx.style("table", "table"), header_look=node.header_rows > 0)
    covered: dict[tuple[int, int], int] = {}   # (row, column) under a merged cell -> its colspan
    for g in (g for row in grid for g in row):
        for dr in range(1, g.cell.rowspan):
            covered[(g.row + dr, g.column)] = g.cell.colspan
    for r, placed in enumerate(grid):
        cells: list[tuple[int, Cell]] = [(c, Cell([el("w:p")], span, vmerge="continue"))
                                         for (row, c), span in covered.items() if row == r]
        for g in placed:
            fmt = Format(lang=ctx.lang_of(g.cell.lang), bold=g.header)
            para = el("w:p", None, ppr(style=ctx.style("table_text"), jc="right" if g.numeric else None,
                                       keep_next=g.header),
                      *inlines(g.content, ctx, fmt))
            cells.append((g.column, Cell([para], g.cell.colspan,
                                         vmerge="restart" if g.cell.rowspan > 1 else None)))
        table.rows.append(Row([cell for _, cell in sorted(cells, key=lambda x: x[0])], header=r < node.header_rows))
    out = []
    if node.title:
        caption = el("w:p", None, ppr(style=ctx.style("table_text"), keep_next=True),
                     *inlines([A.Text(node.title)], ctx, Format(lang=ctx.lang_of(node.lang), bold=True)))
        out.append(caption)
    out.append(write(table))
    return out


# --- rating scale ----------------------------------------------------------

def rating_table(scale: A.RatingScale, ctx: WordContext) -> object:
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




# --- cover -----------------------------------------------------------------

def cover_table(ctx: WordContext) -> object | None:
    facts = P.cover_facts(ctx.doc, ctx._)
    if not facts:
        return None
    table = Table(widths_from_percent(ctx.settings["cover_columns"], ctx.text_width),
                  style=ctx.style("plain_table", "table"), header_look=False)
    for fact in facts:
        value = text_cell(ctx, fact.value, style_role="body")
        if fact.mixed:   # each line's runs in its own language (w:lang), lines broken by w:br
            value = Cell([el("w:p", None, ppr(style=ctx.style("body")),
                             *(run for i, (line, lang) in enumerate(fact.lines)
                               for run in text_runs(("\n" if i else "") + line,
                                                    ctx.rpr_factory(lang=ctx.lang_of(lang)))))])
        table.rows.append(Row([text_cell(ctx, fact.label, bold=True, style_role="body"), value]))
    return write(table)


def history_table(ctx: WordContext) -> list:
    """The versions of the agreement so far, under a caption (nothing without a history)."""
    history = P.history_table(ctx.doc, ctx._)
    if history is None:
        return []
    caption = el("w:p", None, ppr(style=ctx.style("body"), keep_next=True),
                 *text_runs(history.caption, ctx.rpr_factory(bold=True)))
    table = Table(widths_from_percent([16, 12, 22, 50], ctx.text_width), style=ctx.style("table", "table"))
    table.rows.append(Row([text_cell(ctx, h) for h in history.header], header=True))
    table.rows.extend(Row([text_cell(ctx, c) for c in row]) for row in history.rows)
    return [caption, write(table)]


# --- signatures ------------------------------------------------------------

def signature_table(ctx: WordContext) -> object:
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

    def para(style: str, text: str, bold: bool = False, lang: str | None = None) -> object:
        # Keep-with-next on every line keeps the signature blocks on one page.
        return el("w:p", None, ppr(style=style, keep_next=True),
                  *text_runs(text, ctx.rpr_factory(bold=bold, lang=ctx.lang_of(lang))))

    where = P.place_and_date(doc, _)
    if where.complete:
        place = Cell([para(ctx.style("table_text"), where.known)])
    else:  # a line to fill in by hand, with what is already known written on it
        place = Cell([para(line, where.known), para(caption, where.caption)])
    blocks = [Cell([para(ctx.style("table_text"), b.party, bold=True, lang=b.party_lang),
                    para(line, ""),
                    para(ctx.style("table_text"), b.name) if b.name else para(caption, _("Printed name")),
                    para(ctx.style("table_text"), b.role, lang=b.role_lang)])
              for b in P.signature_blocks(doc)]
    groups = [[place]] if P.signed_on_paper(doc) else []
    for group in groups + [blocks[i:i + per_row] for i in range(0, len(blocks), per_row)]:
        row: list[Cell] = []
        for c in range(per_row):
            row.append(group[c] if c < len(group) else Cell([el("w:p")]))
            if c < per_row - 1:
                row.append(Cell([el("w:p")]))  # the gap between signatories
        table.rows.append(Row(row))
    return write(table)
