"""Follow-up reports: ``build/report/<lang>/<document-id>-<period>.{pdf,docx,html,json}``.

For the period given (``--period 2026-H1``, ``PERIOD=2026-H1``) or else the
newest period any document has an outcome file for, each document with an
outcome file for that period gets a report in each language: a summary with
the count per colour and a chart, a table per theme (target level, outcome,
rating in colour and in words) and the deviations with their reasons.
"""
from __future__ import annotations

from pathlib import Path

from ... import ast as A
from ... import present
from ...diagnostics import Diagnostic
from ...outcomes import ReportPeriod, parse_period
from ...signed import Signing
from ..base import Builder, DocumentRendering, Rendered

FORMATS = ("pdf", "docx", "html", "json")


class ReportBuilder(Builder):
    name = "report"
    ext = ""  # four files per document: see FORMATS and output_path()
    run_level = True  # the HTML reports share their stylesheets and fonts

    def __init__(self, project, outdir: Path, options=None):
        super().__init__(project, outdir, options)
        self.period: ReportPeriod | None = None
        self._parts = None

    def prepare(self) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        self.period = self._choose_period(found)
        if self.period is not None:
            self.parts  # a theme without what a report needs is a finding
        return found

    def signing(self, doc: A.Document) -> tuple[object | None, list[Diagnostic]]:
        """(signed.Signing of the agreement followed up or None for a draft, findings)."""
        if doc.is_draft:
            return None, []
        verification = self.signed_copy(doc)
        signing = Signing.of(verification)
        if not signing.failed:
            return signing, []
        return signing, [Diagnostic(verification.path, 1, 1, "warning", "report-signed-unverified",
                                    "the signed copy does not verify: the report says so",
                                    "run 'sopimus check' for the reasons")]

    # --- which period ------------------------------------------------------------

    def _finding(self, severity: str, code: str, message: str, hint: str | None = None) -> Diagnostic:
        return Diagnostic(str(self.project.config.path), 1, 1, severity, code, message, hint)

    def _choose_period(self, found: list[Diagnostic]) -> ReportPeriod | None:
        given = self.options.period
        if given:
            period = parse_period(given)
            if period is None:
                found.append(self._finding("error", "report-period", f"--period {given!r} is not a period",
                                           "write 2026-H1 (half-year) or 2026 (full year)"))
                return None
            if not any(o.get(period) for o in self.project.outcomes.values()):
                found.append(self._finding("error", "report-period", f"no document has an outcome file for {period}",
                                           "outcome files are content/<document-id>/toteumat/<period>.yaml"))
            return period
        known = [p for o in self.project.outcomes.values() for p in o.periods]
        if not known:
            found.append(self._finding("error", "report-period", "no document has outcome files to report",
                                       "add content/<document-id>/toteumat/2026-H1.yaml (see the README)"))
            return None
        return max(known)

    # --- the parts every report shares -----------------------------------------------

    @property
    def parts(self):
        if self._parts is None:
            from ...docxkit.template import load_template
            from ...pdfkit.styles import PdfStyle
            from ...theme import load_theme
            from .html import ReportSite
            from .look import ReportLook

            theme = load_theme(self.project)
            look = ReportLook.of(theme)
            style = PdfStyle(theme)
            family = style.data.get("font", "NotoSans")
            files = theme.section("fonts")[family]
            font_files = {style.font(face): str(theme.file(files[face])) for face in files}
            self._parts = (look, style, ReportSite(self.project, look), font_files, load_template(self.project))
        return self._parts

    def output_path(self, doc_id: str, lang: str, ext: str = "pdf") -> Path:
        return self.outdir / self.name / lang / f"{doc_id}-{self.period}.{ext}"

    def render_document(self, doc: A.Document) -> Rendered:
        if self.period is None:
            return Rendered()
        outcomes = self.project.outcomes.get(doc.id)
        file = outcomes.get(self.period) if outcomes else None
        if file is None:
            if doc.language != self.project.config.source_language:
                return Rendered()
            return Rendered(findings=[self._finding(
                "warning", "report-missing", f"{doc.id} has no outcome file for {self.period}: no report",
                f"add content/{doc.id}/toteumat/{self.period}.yaml")])
        from .chart import ratings_chart
        from .docx import render_docx
        from .jsonout import render_json
        from .model import build_report
        from .pdf import chart_style, render_pdf

        look, style, site, font_files, template = self.parts
        from ...pdfkit.glyphs import undrawable
        missing = undrawable(self.project, doc, style.chain)
        if missing:   # the report PDF draws the document's titles and names
            return Rendered(findings=missing)
        labels = present.labels_for(doc)
        _ = labels.gettext
        signing, findings = self.signing(doc)
        report = build_report(doc, file, outcomes.settings, _, self.project.config.source_language, signing)
        missing = chart_glyphs(report, style.chain, labels)
        if missing:
            return Rendered(findings=missing)
        drawing = ratings_chart(report.counts, chart_style(style, look, style.page.frame_width))
        rendered = {
            "pdf": render_pdf(report, style, look, _),
            "docx": render_docx(report, look, template, drawing, font_files, labels),
            "html": site.page(report, drawing, self.project.languages, _, findings),
            "json": render_json(report),
        }
        return Rendered([(self.output_path(doc.id, doc.language, ext), rendered[ext]) for ext in FORMATS],
                        findings)

    def finish(self, documents: list[DocumentRendering]) -> Rendered:
        """The stylesheets and fonts of the HTML reports, once per run."""
        if self.period is None or not any(d.rendered.files for d in documents):
            return Rendered()
        site = self.parts[2]
        return Rendered([(self.outdir / self.name / rel, data) for rel, data in site.assets()])


def chart_glyphs(report, chain, labels) -> list:
    """An error for every character of the chart's words (the colours' words, from
    the label catalog) that no font of the theme draws, at the catalog's line."""
    from ...config import show_path
    from ...pdfkit.glyphs import missing_findings
    from .model import COLOUR_LABELS

    # the catalog is read again for a line only for a word that has such a character
    texts = [(A.Source(str(labels.path) if labels.path else "", labels.line_of(COLOUR_LABELS[c.colour]) or 1),
              c.word) for c in report.counts if chain.missing(c.word)]
    return missing_findings(texts, chain, lambda file: show_path(Path(file)))
