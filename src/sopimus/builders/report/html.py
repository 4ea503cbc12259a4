"""The report as an HTML page in the agreement pages' frame.

The page extends the HTML builder's ``page.html`` (skip link, header,
language switch, footer) and links its stylesheets and fonts, which
:meth:`ReportSite.assets` writes once to ``build/report/assets/`` together
with the report's own ``report.css``.  The chart is inline SVG.
"""
from __future__ import annotations

import posixpath

import jinja2
from markupsafe import Markup

from ...htmlkit.nodes import NodeRenderer
from ...present import labels_for
from ...htmlkit.site import ASSETS_DIR, Alternate, ConfinedLoader, PageLinks, Site, Stylesheet
from .chart import to_svg
from .look import ReportLook
from .model import Report

class ReportSite:
    """The HTML builder's site, with the report's templates in front of its own."""

    def __init__(self, project, look: ReportLook):
        self.site = Site(project, look.theme)
        self.look = look
        folder = look.theme.folder(look.data.get("templates", "report"))
        self.site.env.loader = jinja2.ChoiceLoader([ConfinedLoader(str(folder)), self.site.env.loader])
        self.sheets = look.section("html").get("stylesheets") or []

    def links(self, report: Report, languages: list[str]) -> PageLinks:
        here = f"{report.doc.language}/{report.name}.html"
        base = posixpath.dirname(here)
        sheets = self.site.stylesheet_links(base) + [
            Stylesheet(posixpath.relpath(f"{ASSETS_DIR}/{s['file']}", base), s.get("media", "all"))
            for s in self.sheets]
        return PageLinks(page=here, stylesheets=sheets,
                         alternates=[Alternate(lang, posixpath.relpath(f"{lang}/{report.name}.html", base),
                                               lang == report.doc.language) for lang in languages])

    def macros(self, context: dict):
        return self.site.env.get_template("nodes.html").make_module(context)

    def page(self, report: Report, chart_drawing, languages: list[str], _, findings: list) -> bytes:
        labels = report.labels
        context = self.site.page_context(report.doc.language, self.links(report, languages))
        context.update({
            "_": _,  # the frame's own words (skip link, language switch …)
            "title": f"{labels['title']} {report.period}: {report.doc.title}",
            "draft": False, "doc": report.doc, "report": report, "labels": labels,
            "inlines": NodeRenderer(report.doc, labels_for(report.doc), self.macros, findings).inlines,
            "chart": Markup(to_svg(chart_drawing, labels["chart_alt"], self.font_family)),
        })
        return self.site.render_template("report.html", context)

    @property
    def font_family(self) -> str:
        return f'{self.site.config.get("font", "NotoSans")}, sans-serif'

    def assets(self) -> list[tuple[str, bytes]]:
        """The agreement pages' stylesheets and fonts, and the report's stylesheet."""
        out = list(self.site.assets())
        context = {"fills": self.look.fills, "ink": self.look.fill_text,
                   "example_colour": self.look.colour(self.look.data.get("example_colour", "red")),
                   "colours": self.look.colours}
        for sheet in self.sheets:
            text = self.site.env.get_template(sheet["file"]).render(context)
            out.append((f"{ASSETS_DIR}/{sheet['file']}", text.encode("utf-8")))
        return out
