"""One agreement as an HTML page: the theme's ``document.html`` around the
document's nodes, rendered by :class:`~sopimus.htmlkit.nodes.NodeRenderer`."""
from __future__ import annotations

from ... import ast as A
from ... import present
from ...diagnostics import Diagnostic
from ...htmlkit.site import PageLinks, Site
from ...htmlkit.nodes import NodeRenderer


def renderer(site: Site, doc: A.Document, findings: list[Diagnostic]) -> NodeRenderer:
    def load(extra: dict) -> object:
        return site.env.get_template("nodes.html").make_module(extra)
    return NodeRenderer(doc, present.labels_for(doc), load, findings)


def document_page(site: Site, doc: A.Document, links: PageLinks, findings: list[Diagnostic],
                  signing_note: str | None = None) -> bytes:
    """The page of ``doc``; what the page cannot show as written is added to ``findings``.

    ``signing_note``: publish's "Allekirjoitettu sähköisesti 12.1.2026" beside the downloads.
    """
    _ = present.labels_for(doc).gettext
    r = renderer(site, doc, findings)
    context = site.page_context(doc.language, links)
    context.update({
        "_": _, "r": r, "doc": doc, "title": doc.title,
        "document_type": present.document_type(doc, _),
        "period": present.period_text(doc),
        "cover_lines": present.cover_lines(doc, _),   # (label, value): for themes of their own
        "cover_facts": present.cover_facts(doc, _),
        "history": present.history_table(doc, _),
        "toc": r.toc(int(site.config.get("toc_depth", 2))),
        "draft": doc.is_draft,
        "signing_note": signing_note,
    })
    return site.render_template("document.html", context)
