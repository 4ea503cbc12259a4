"""The report as a tagged PDF/A-2b, drawn with the agreement PDF's pieces
(:mod:`sopimus.builders.pdf`): fonts and styles, the page with its header and
``2 (5)`` page marks, tagged paragraphs, headings and tables, inline markup,
the structure tree and the archival pass.

Structure: H1 (the report), the cover facts as a table, the example notice,
then one Sect per part (H2): the summary with the chart as a Figure with alt
text, one table per theme (H3), and the deviations as a list.
"""
from __future__ import annotations

import dataclasses

import io
from typing import Iterator

from ...pdfkit import platypus as _platypus  # noqa: F401  (first: see its docstring)
import pikepdf
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle

from ...ast import plain_text
from ...pdfkit.archive import make_archival
from ...pdfkit.flowables import Heading, TaggedParagraph, TaggedTable
from ...pdfkit.inline import markup, text
from ...pdfkit.page import AgreementTemplate, pdf_lang
from ...pdfkit.structure import write_structure
from ...pdfkit.styles import PdfStyle
from ...pdfkit.tagging import Slot, StructElem, Tagger, tagger_of
from .chart import ChartStyle, ratings_chart
from .look import ReportLook
from .model import ParentRow, Report, TargetRow


class ReportTemplate(AgreementTemplate):
    """The agreement's page and SFS 2487 header, saying what the report is:
    organisation, "Seurantaraportti 2026-H1", page ``2 (5)``, and the
    example-data mark on every page where a draft's mark would be."""

    def __init__(self, buffer, style: PdfStyle, report: Report, _, tagger: Tagger):
        super().__init__(buffer, style, report.doc, _, tagger)
        self.title = report_title(report)
        self.subject = report.labels["header"]
        self.header = dataclasses.replace(self.header, document_type=report.labels["header"], date="",
                                          draft=report.labels["example"] if report.example else "")


def report_title(report: Report) -> str:
    return f"{report.labels['title']}: {report.doc.title} ({report.labels['period']})"


class TaggedDrawing(Flowable):
    """A reportlab Drawing drawn as the content of one structure element (a Figure)."""

    def __init__(self, drawing, slot: Slot):
        super().__init__()
        self.drawing, self.slot = drawing, slot
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        tagger = tagger_of(canv)
        if tagger is None:
            renderPDF.draw(self.drawing, canv, 0, 0)
            return
        x0, y0 = canv.absolutePosition(0, 0)
        x1, y1 = canv.absolutePosition(self.width, self.height)
        with tagger.content(canv, self.slot, (round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3))):
            renderPDF.draw(self.drawing, canv, 0, 0)


class ReportStory:
    def __init__(self, report: Report, style: PdfStyle, look: ReportLook, root: StructElem):
        self.report, self.style, self.look, self.root = report, style, look, root
        self.labels = report.labels
        self.width = style.page.frame_width
        self.own = {name: style.paragraph_style(name, spec) for name, spec in look.section("styles").items()}
        self.fills = look.fills
        self.fill_text = look.fill_text
        self._derived: dict[tuple, ParagraphStyle] = {}

    def s(self, name: str) -> ParagraphStyle:
        return self.own[name] if name in self.own else self.style.style(name)

    def derived(self, name: str, **changes) -> ParagraphStyle:
        key = (name, tuple(sorted(changes.items())))
        if key not in self._derived:
            self._derived[key] = ParagraphStyle(f"{name}-{len(self._derived)}", parent=self.s(name), **changes)
        return self._derived[key]

    def para(self, elem: StructElem, markup_text: str, style: ParagraphStyle, plain: str = "") -> TaggedParagraph:
        """A paragraph drawn as (part of) ``elem``'s content."""
        return TaggedParagraph(markup_text, style).tag(elem.slot(plain))

    def p(self, parent: StructElem, value: str, style: ParagraphStyle) -> TaggedParagraph:
        return self.para(parent.add("P"), text(value), style, value)

    def heading(self, parent: StructElem, value: str, level: int, anchor: str, style: str,
                outline: int | None) -> Heading:
        elem = parent.add(f"H{level}", title=value)
        return Heading(text(value), self.s(style)).tag(elem.slot(value)).mark(anchor, value, outline)

    def cell_font(self) -> tuple:
        """The font reportlab sets for every cell (else Helvetica, which PDF/A cannot have)."""
        return ("FONT", (0, 0), (-1, -1), self.style.font(), 10)

    def table_style(self, commands: list) -> TableStyle:
        pad = self.style.table.get("padding", 3)
        return TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), self.cell_font(),
                           *[(k, (0, 0), (-1, -1), pad) for k in
                             ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")],
                           *commands])

    # --- the whole report ------------------------------------------------------------

    def story(self) -> list:
        out = list(self.front())
        out.extend(self.summary())
        out.extend(self.targets())
        out.extend(self.deviations())
        return out

    def front(self) -> Iterator:
        labels, root = self.labels, self.root
        yield self.heading(root, labels["title"], 1, "report", "report_title", None)
        yield self.p(root, self.report.doc.title, self.s("report_subtitle"))
        table = root.add("Table")
        rows = []
        for label, value in ((labels["period_label"], f"{labels['period']} ({self.report.period})"),
                             (labels["document_label"], self.report.doc.organisation),
                             (labels["signing_label"], labels["signing"])):
            tr = table.add("TR")
            rows.append([self.para(tr.add("TH", attributes={"O": "Table", "Scope": "Row"}), text(label),
                                   self.s("cover_label"), label),
                         self.para(tr.add("TD"), text(value), self.s("cover_value"), value)])
        facts = TaggedTable(rows, colWidths=[self.width * 0.32, self.width * 0.68], hAlign="LEFT")
        facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), self.cell_font(), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        yield facts
        if self.report.example:
            yield Spacer(1, 8)
            yield self.example_notice(root.add("Div"))

    def example_notice(self, div: StructElem) -> TaggedTable:
        labels = self.labels
        colour = self.style.colour(self.look.data.get("example_colour"), "red")
        box = TaggedTable([[[self.p(div, labels["example"], self.s("example_title")),
                             self.p(div, labels["example_note"], self.s("example_text"))]]],
                          colWidths=[self.width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, colour), self.cell_font(),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                 ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
        return box

    def summary(self) -> Iterator:
        labels = self.labels
        sect = self.root.add("Sect")
        chart = ratings_chart(self.report.counts, chart_style(self.style, self.look, self.width))
        heading = self.heading(sect, labels["summary"], 2, "summary", "heading_1", 0)
        intro = self.p(sect, labels["summary_text"], self.s("body"))
        figure = TaggedDrawing(chart, sect.add("Figure", alt=labels["chart_alt"]).slot(labels["chart_alt"]))
        yield KeepTogether([heading, intro, Spacer(1, 4), figure, Spacer(1, 6)])
        rule = sect.add("Sect")
        yield self.heading(rule, labels["rule"], 3, "rule", "heading_2", 1)
        yield self.p(rule, labels["rule_text"], self.s("body"))

    # --- the tables -------------------------------------------------------------------

    def column_widths(self) -> list[float]:
        cols = self.look.section("columns")
        shares = [cols.get("target", 0.49), cols.get("level", 0.17), cols.get("outcome", 0.13)]
        shares.append(1 - sum(shares))
        return [self.width * share for share in shares]

    def targets(self) -> Iterator:
        labels = self.labels
        sect = self.root.add("Sect")
        # A heading keeps room for the start of its table, not the whole table:
        # keep-with-next would push a long table and leave most of a page empty.
        room = float(self.look.data.get("keep_room", 120))
        yield CondPageBreak(room + 40)
        yield self.heading(sect, labels["targets"], 2, "targets", "heading_1", 0)
        for n, group in enumerate(self.report.groups, start=1):
            part = sect.add("Sect")
            yield CondPageBreak(room)
            heading = self.heading(part, group.title, 3, f"group-{n}", "heading_2", 1)
            heading.keepWithNext = 0
            yield heading
            yield self.table(part.add("Table"), group.rows)

    def table(self, elem: StructElem, rows: list) -> TaggedTable:
        labels = self.labels
        header_row = elem.add("TR")
        data = [[self.para(header_row.add("TH", attributes={"O": "Table", "Scope": "Column"}), text(labels[k]),
                           self.s("cell_header"), labels[k])
                 for k in ("col_target", "col_level", "col_outcome", "col_rating")]]
        commands = [("GRID", (0, 0), (-1, -1), self.style.table.get("grid_width", 0.5),
                     self.style.colour(self.style.table.get("grid_colour"), "rule")),
                    ("BACKGROUND", (0, 0), (-1, 0),
                     self.style.colour(self.style.table.get("header_background"), "table_header_bg"))]
        for row in rows:
            i = len(data)
            tr = elem.add("TR")
            if isinstance(row, ParentRow):
                th = tr.add("TH", attributes={"O": "Table", "Scope": "Row", "ColSpan": 4})
                data.append([self.para(th, text(row.title), self.derived("parent_goal", leftIndent=row.depth * 8),
                                       row.title), "", "", ""])
                commands.append(("SPAN", (0, i), (-1, i)))
                commands.append(("NOSPLIT", (0, i), (-1, i + 1)))  # a goal stays with its first sub-goal
                continue
            data.append(self.target_cells(tr, row))
            commands.append(("BACKGROUND", (3, i), (3, i), colors.HexColor(self.fills[row.colour])))
        table = TaggedTable(data, colWidths=self.column_widths(), repeatRows=1, hAlign="LEFT")
        table.setStyle(self.table_style(commands))
        return table

    def target_cells(self, tr: StructElem, row: TargetRow) -> list:
        a = row.assessment
        th = tr.add("TH", attributes={"O": "Table", "Scope": "Row"})
        style = self.derived("cell", leftIndent=row.depth * 8)
        if a.kind == "goal":  # the destination of :goal: links in reasons
            title = Heading(text(row.title), style).tag(th.slot(row.title)).mark(f"goal-{a.id}", row.title, None)
            title.keepWithNext = 0
        else:
            title = self.para(th, text(row.title), style, row.title)
        first = [title]
        if row.reason:
            first.append(self.para(th, markup(row.reason, self.style),
                                   self.derived("cell_reason", leftIndent=row.depth * 8), plain_text(row.reason)))
        td = tr.add("TD")
        level = [self.para(td, text(row.level), self.s("cell"), row.level)]
        if row.unit:
            level.append(self.para(td, text(row.unit), self.derived("rating_note", textColor=self.style.colour("muted")),
                                   row.unit))
        outcome = self.para(tr.add("TD"), text(row.outcome), self.s("cell"), row.outcome)
        return [first, level, outcome, self.rating_cell(tr.add("TD"), row)]

    def rating_cell(self, elem: StructElem, row: TargetRow) -> list:
        ink = colors.HexColor(self.fill_text[row.colour])
        return [self.para(elem, text(row.word), self.derived("rating_word", textColor=ink), row.word),
                self.para(elem, text(row.note), self.derived("rating_note", textColor=ink), row.note)]

    # --- deviations -------------------------------------------------------------------

    def deviations(self) -> Iterator:
        labels = self.labels
        sect = self.root.add("Sect")
        yield self.heading(sect, labels["deviations"], 2, "deviations", "heading_1", 0)
        if not self.report.deviations:
            yield self.p(sect, labels["no_deviations"], self.s("body"))
            return
        widths = self.column_widths()
        listing = sect.add("L", attributes={"O": "List", "ListNumbering": "None"})
        data, commands = [], [("LINEBELOW", (0, 0), (-1, -1), 0.5, self.style.colour("rule"))]
        for i, row in enumerate(self.report.deviations):
            a = row.assessment
            item = listing.add("LI")
            label = self.rating_cell(item.add("Lbl"), row)
            body = item.add("LBody")
            cell = [self.p(body, row.title, self.s("deviation_title"))]
            if a.kind == "indicator":
                cell.append(self.p(body, f"{labels['col_level']}: {row.level} · "
                                         f"{labels['col_outcome']}: {row.outcome}", self.s("cell")))
            cell.append(self.p(body, row.explanation, self.s("cell")))
            if row.reason:
                plain = f"{labels['reason']}: {plain_text(row.reason)}"
                cell.append(self.para(body.add("P"), f"<b>{text(labels['reason'])}:</b> "
                                      f"{markup(row.reason, self.style)}", self.s("cell"), plain))
            data.append([label, cell])
            commands.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(self.fills[row.colour])))
        table = TaggedTable(data, colWidths=[widths[3], self.width - widths[3]], hAlign="LEFT")
        table.setStyle(self.table_style(commands + [("TOPPADDING", (0, 0), (-1, -1), 4),
                                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        yield table


def chart_style(style: PdfStyle, look: ReportLook, width: float) -> ChartStyle:
    spec = look.section("chart")
    return ChartStyle(width=width, bar_height=spec.get("bar_height", 15), gap=spec.get("gap", 6),
                      label_width=spec.get("label_width", 95), font=style.font(), bold_font=style.font("bold"),
                      font_size=spec.get("font_size", 9), text_colour=look.colour("text"),
                      axis_colour=look.colour(spec.get("axis_colour", "rule")), colours=look.fills)


def render_pdf(report: Report, style: PdfStyle, look: ReportLook, _) -> bytes:
    buffer = io.BytesIO()
    tagger = Tagger(pdf_lang(report.doc.language))
    template = ReportTemplate(buffer, style, report, _, tagger)
    template.build(ReportStory(report, style, look, tagger.root).story())
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        write_structure(pdf, tagger, {}, template.layout.destinations)
        make_archival(pdf, title=report_title(report), author=report.doc.organisation,
                      subject=report.labels["header"], lang=pdf_lang(report.doc.language),
                      icc_profile=style.icc_profile, pdfua=True)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
