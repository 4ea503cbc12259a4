"""The report as a Word document, in the agreement DOCX's reference template.

Everything that is not the report's own comes from :mod:`sopimus.builders.docx`:
the theme's reference document and its styles (found by English name), the
table writer, inline runs and hyperlinks, the SFS 2487 header with page
``2 (5)``, the language settings and the reproducible package.  The chart is
a PNG of the same drawing the PDF shows, with alt text.
"""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from ... import clock, present
from ...docxkit import header as hdr
from ...docxkit import meta
from ...docxkit.context import WordContext
from ...docxkit.inlines import Format, inlines, runs
from ...docxkit.lists import Numbering
from ...docxkit.package import reproducible_zip
from ...docxkit.styles import StyleMap
from ...docxkit.tables import Cell, Row, Table, widths_from_percent, write
from ...docxkit.template import Template
from ...docxkit.xml import el, paragraph, ppr, text_runs
from .chart import to_png
from .look import ReportLook
from .model import ParentRow, Report, TargetRow

EMU_PER_TWIP = 635


class DocxReport:
    def __init__(self, report: Report, look: ReportLook, template: Template, chart_drawing,
                 font_files: dict[str, str], _):
        self.report, self.look, self.template = report, look, template
        self.labels = report.labels
        self.drawing, self.font_files = chart_drawing, font_files
        self.document = docx.Document(io.BytesIO(template.data))
        body = self.document.element.body
        for child in list(body):  # the template's own text is not part of the report
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        section = self.document.sections[-1]
        settings = template.settings
        lists = settings["lists"]
        self.ctx = WordContext(
            doc=report.doc, _=_, styles=StyleMap(self.document.styles.element, template.fallback_styles),
            roles=settings["styles"],
            numbering=Numbering(self.document.part.numbering_part.element, lists["bullets"], lists["numbers"],
                                float(lists["indent_cm"])),
            part=self.document.part, lang=meta.language_tag(report.doc.language),
            text_width=int((section.page_width - section.left_margin - section.right_margin) / EMU_PER_TWIP),
            settings=settings, colours=template.colours)
        self.fills = {k: v.lstrip("#").upper() for k, v in look.fills.items()}
        self.ink = {k: v.lstrip("#").upper() for k, v in look.fill_text.items()}

    # --- writing ------------------------------------------------------------------

    def add(self, element) -> None:
        body = self.document.element.body
        sect_pr = body.find(qn("w:sectPr"))
        sect_pr.addprevious(element) if sect_pr is not None else body.append(element)

    def para(self, role: str, text: str, **fmt) -> None:
        self.add(paragraph(ppr(style=self.ctx.style(role, **fmt)), runs(text, self.ctx)))

    def spacer(self) -> None:
        # An explicit style: the reference document names no default paragraph style.
        self.add(paragraph(ppr(style=self.ctx.style("body")), []))

    def heading(self, text: str, level: int) -> None:
        self.add(paragraph(ppr(style=self.ctx.style("heading", level=level), keep_next=True), runs(text, self.ctx)))

    def cell_para(self, content: list, *, style_role: str = "table_text", indent: int = 0) -> object:
        return paragraph(ppr(style=self.ctx.style(style_role), ind_left=indent or None), content)

    def text(self, value: str, *, bold: bool = False, italic: bool = False, colour: str | None = None) -> list:
        return text_runs(value, self.ctx.rpr_factory(bold=bold, italic=italic, color=colour))

    # --- the whole document -------------------------------------------------------------

    def render(self) -> bytes:
        self.front()
        self.summary()
        self.targets()
        self.deviations()
        self.header()
        self.metadata()
        out = io.BytesIO()
        self.document.save(out)
        return reproducible_zip(out.getvalue(), clock.build_datetime())

    def front(self) -> None:
        labels = self.labels
        self.para("title", labels["title"])
        self.para("subtitle", self.report.doc.title)
        facts = Table(widths_from_percent(self.template.settings["cover_columns"], self.ctx.text_width),
                      style=self.ctx.style("plain_table", "table"), header_look=False)
        for label, value in ((labels["period_label"], f"{labels['period']} ({self.report.period})"),
                             (labels["document_label"], self.report.doc.organisation),
                             (labels["signing_label"], labels["signing"])):
            facts.rows.append(Row([Cell([self.cell_para(self.text(label, bold=True))]),
                                   Cell([self.cell_para(self.text(value))])]))
        self.add(write(facts))
        if self.report.example:
            self.spacer()
            colour = self.look.colour(self.look.data.get("example_colour", "red")).lstrip("#").upper()
            box = write(Table([self.ctx.text_width], [Row([Cell([
                self.cell_para(self.text(labels["example"], bold=True, colour=colour)),
                self.cell_para(self.text(labels["example_note"]))])])],
                style=self.ctx.style("plain_table", "table"), header_look=False))
            tc_pr = box.find(".//" + qn("w:tcPr"))
            tc_pr.append(el("w:tcBorders", None, *(el(f"w:{side}", {"w:val": "single", "w:sz": 18, "w:space": 0,
                                                                    "w:color": colour})
                                                   for side in ("top", "left", "bottom", "right"))))
            self.add(box)

    def summary(self) -> None:
        labels = self.labels
        self.heading(labels["summary"], 1)
        self.para("body", labels["summary_text"])
        dpi = int(self.look.section("chart").get("png_dpi", 200))
        png = to_png(self.drawing, self.font_files, dpi)
        holder = paragraph(ppr(style=self.ctx.style("body"), keep_next=True), [])
        self.add(holder)
        width = Cm(float(self.look.section("docx").get("chart_width_cm", 15)))
        Paragraph(holder, self.document._body).add_run().add_picture(io.BytesIO(png), width=width)
        doc_pr = holder.find(".//" + qn("wp:docPr"))
        doc_pr.set("descr", labels["chart_alt"])
        doc_pr.set("title", labels["chart_title"])
        self.add(paragraph(ppr(style=self.ctx.styles.id("caption")), runs(labels["chart_alt"], self.ctx)))
        self.heading(labels["rule"], 2)
        self.para("body", labels["rule_text"])

    # --- the tables -------------------------------------------------------------------

    def widths(self) -> list[int]:
        cols = self.look.section("columns")
        shares = [cols.get("target", 0.49), cols.get("level", 0.17), cols.get("outcome", 0.13)]
        shares.append(1 - sum(shares))
        return widths_from_percent([100 * s for s in shares], self.ctx.text_width)

    def targets(self) -> None:
        labels = self.labels
        self.heading(labels["targets"], 1)
        for group in self.report.groups:
            self.heading(group.title, 2)
            table = Table(self.widths(), style=self.ctx.style("table", "table"))
            table.rows.append(Row([Cell([self.cell_para(self.text(labels[k], bold=True))])
                                   for k in ("col_target", "col_level", "col_outcome", "col_rating")],
                                  header=True))
            for row in group.rows:
                if isinstance(row, ParentRow):
                    table.rows.append(Row([Cell([self.cell_para(
                        self.text(row.title, bold=True, colour=self.ctx.colour("accent")),
                        indent=self.indent(row.depth))], span=4)]))
                else:
                    table.rows.append(Row(self.target_cells(row)))
            self.add(write(table))
            self.spacer()

    @staticmethod
    def indent(depth: int) -> int:
        return 227 * depth  # twips: 0,4 cm a level

    def target_cells(self, row: TargetRow) -> list[Cell]:
        a = row.assessment
        title = self.text(row.title)
        if a.kind == "goal":  # the target of :goal: references in reasons
            mark = self.ctx.bookmarks.next_id()
            title = [el("w:bookmarkStart", {"w:id": mark, "w:name": self.ctx.bookmarks.goal(a.id)}),
                     *title, el("w:bookmarkEnd", {"w:id": mark})]
        first = [self.cell_para(title, indent=self.indent(row.depth))]
        if row.reason:
            first.append(self.cell_para(inlines(row.reason, self.ctx, Format(italic=True)),
                                        indent=self.indent(row.depth)))
        level = [self.cell_para(self.text(row.level))]
        if row.unit:
            level.append(self.cell_para(self.text(row.unit, colour=self.ctx.colour("muted"))))
        return [Cell(first), Cell(level), Cell([self.cell_para(self.text(row.outcome))]), self.rating_cell(row)]

    def rating_cell(self, row: TargetRow) -> Cell:
        ink = self.ink[row.colour]
        return Cell([self.cell_para(self.text(row.word, bold=True, colour=ink)),
                     self.cell_para(self.text(row.note, colour=ink))], fill=self.fills[row.colour])

    # --- deviations ---------------------------------------------------------------------

    def deviations(self) -> None:
        labels = self.labels
        self.heading(labels["deviations"], 1)
        if not self.report.deviations:
            self.para("body", labels["no_deviations"])
            return
        rating_width = self.widths()[3]
        table = Table([rating_width, self.ctx.text_width - rating_width],
                      style=self.ctx.style("table", "table"), header_look=False)
        for row in self.report.deviations:
            body = [self.cell_para(self.text(row.title, bold=True))]
            if row.assessment.kind == "indicator":
                body.append(self.cell_para(self.text(
                    f"{labels['col_level']}: {row.level} · {labels['col_outcome']}: {row.outcome}")))
            body.append(self.cell_para(self.text(row.explanation)))
            if row.reason:
                body.append(self.cell_para(self.text(f"{labels['reason']}: ", bold=True)
                                           + inlines(row.reason, self.ctx)))
            table.rows.append(Row([self.rating_cell(row), Cell(body)]))
        self.add(write(table))

    # --- header and metadata ---------------------------------------------------------------

    def header(self) -> None:
        """The template's header with the report's values; the example mark where a draft's goes."""
        ctx, labels = self.ctx, self.labels
        parts = [rel.target_part for rel in self.document.part.rels.values()
                 if rel.reltype.endswith("/header") or rel.reltype.endswith("/footer")]
        if not any("header" in str(p.partname) for p in parts):
            section_header = self.document.sections[0].header
            section_header.is_linked_to_previous = False
            header_style = ctx.style("header")
            hdr.standard_header(section_header.part.element, header_style, ctx.style("draft_mark", "character"),
                                ctx.text_width, hdr.style_tab_positions(self.document.styles.element, header_style),
                                ctx.lang)
            parts = [section_header.part]
        mark = labels["example"] if self.report.example else ""
        values = {"organisation": self.report.doc.organisation, "document_type": labels["header"],
                  "title": self.report.doc.title, "period": labels["period"], "date": "",
                  "register_number": "", "draft": mark,
                  "page": present.page_word(present.labels_for(self.report.doc).gettext)}
        found: set[str] = set()
        for part in parts:
            found |= hdr.fill(part.element, values, "header" if "header" in str(part.partname) else "footer")
            hdr.describe_images(part.element, self.report.doc.organisation)
            for lang in part.element.iter(qn("w:lang")):
                lang.set(qn("w:val"), ctx.lang)
        if mark and "draft" not in found:
            for part in parts:
                if "header" in str(part.partname):
                    part.element.insert(0, hdr.draft_paragraph(mark, ctx.style("header"),
                                                               ctx.style("draft_mark", "character"), ctx.lang))

    def metadata(self) -> None:
        labels, doc = self.labels, self.report.doc
        when = clock.build_datetime()
        meta.set_core_properties(self.document, doc, self.ctx._, when)
        props = self.document.core_properties
        props.title = meta.fit_property(f"{labels['title']}: {doc.title} ({labels['period']})")
        props.subject = labels["header"]
        props.category = labels["title"]
        props.identifier = f"{doc.id}-{self.report.period}"
        props.content_status = labels["example"] if self.report.example else ""
        props.comments = labels["example_note"] if self.report.example else ""
        settings = self.document.settings.element
        meta.set_language(self.document.styles.element, settings, self.ctx.lang)
        meta.set_number_symbols(settings, ",", ";")


def render_docx(report: Report, look: ReportLook, template: Template, chart_drawing,
                font_files: dict[str, str], _) -> bytes:
    return DocxReport(report, look, template, chart_drawing, font_files, _).render()
