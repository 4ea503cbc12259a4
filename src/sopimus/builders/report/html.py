"""The report as an HTML page in the agreement pages' frame.

The page extends the HTML builder's ``page.html`` (skip link, header,
language switch, footer) and links its stylesheets and fonts, which
:meth:`ReportSite.assets` writes once to ``build/report/assets/`` together
with the report's own ``report.css``.  The chart is inline SVG.
"""
from __future__ import annotations

import posixpath

import jinja2
from markupsafe import Markup, escape

from ... import ast as A
from ...htmlkit.site import ASSETS_DIR, Alternate, PageLinks, Site, Stylesheet
from .chart import to_svg
from .look import ReportLook
from .model import Report

SAFE_SCHEMES = ("http", "https", "mailto")


def inlines(nodes: list[A.Node]) -> Markup:
    """Inline nodes as HTML; an unknown inline node type is an error."""
    out = []
    for node in nodes:
        if isinstance(node, A.Text):
            out.append(escape(node.text))
        elif isinstance(node, A.Emphasis):
            out.append(Markup("<em>%s</em>") % inlines(node.content))
        elif isinstance(node, A.Strong):
            out.append(Markup("<strong>%s</strong>") % inlines(node.content))
        elif isinstance(node, A.Literal):
            out.append(Markup("<code>%s</code>") % node.text)
        elif isinstance(node, A.Link):
            label = inlines(node.content) or escape(node.url)
            scheme = node.url.split(":", 1)[0].lower() if ":" in node.url else ""
            out.append(Markup('<a href="%s">%s</a>') % (node.url, label) if scheme in SAFE_SCHEMES else label)
        elif isinstance(node, A.GoalRef):
            out.append(Markup('<a href="#goal-%s">%s</a>') % (node.target, node.title or node.target))
        else:
            raise TypeError(f"{node.source}: the report cannot render inline node {node.TYPE!r}")
    return Markup("").join(out)


class ReportSite:
    """The HTML builder's site, with the report's templates in front of its own."""

    def __init__(self, project, look: ReportLook):
        self.site = Site(project, look.theme)
        self.look = look
        folder = look.theme.path / look.data.get("templates", "report")
        self.site.env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)), self.site.env.loader])
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

    def page(self, report: Report, chart_drawing, languages: list[str], _) -> bytes:
        labels = report.labels
        context = self.site.page_context(report.doc.language, self.links(report, languages))
        context.update({
            "_": _,  # the frame's own words (skip link, language switch …)
            "title": f"{labels['title']} {report.period}: {report.doc.title}",
            "draft": False, "doc": report.doc, "report": report, "labels": labels,
            "inlines": inlines,
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
