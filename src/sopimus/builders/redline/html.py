"""The redline as one accessible web page: ``<ins>``/``<del>`` around what changed.

Unchanged blocks are drawn by the HTML builder's own node renderer; around
inserted and deleted text and blocks go ``<ins>``/``<del>`` (which screen
readers can announce), with a visually hidden word ("lisätty"/"poistettu")
for those that do not, underline and strike-through as the non-colour cue,
and a bar in the margin of every changed block. The page says on top that
it is a draft and not the agreement.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from ... import ast as A
from ... import present as P
from ...i18n import Labels
from ...versions import DELETE, EQUAL, INSERT, MOVE_FROM, MOVE_TO, BlockDiff, DocumentDiff
from ...versions.summary import Summary
from ...versions.words import Segment, diff_text

_CONTAINERS = (A.Section, A.Annex, A.Theme, A.Goal, A.YearTarget)
_IDREF = re.compile(r'\b(id|aria-labelledby|aria-describedby|headers|for)="([^"]*)"')

CSS = """
body { font-family: "Noto Sans", Arial, sans-serif; line-height: 1.5; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem 0 2.5rem; color: #1a1a1a; background: #fff; }
ins { text-decoration: underline; text-decoration-thickness: 2px; background: #e3f4e1; color: #0b3d0b; }
del { text-decoration: line-through; text-decoration-thickness: 2px; background: #fbe4e4; color: #5c0c0c; }
ins.block, del.block { display: block; }
.changed, ins.block, del.block { position: relative; }
.changed::before, ins.block::before, del.block::before {
  content: ""; position: absolute; left: -1.5rem; top: 0; bottom: 0; border-left: 4px solid #1a1a1a; }
del.block::before { border-left-style: dotted; }
a:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
.draft-mark { border: 2px solid #1a1a1a; padding: .25rem .75rem; font-weight: bold; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
                   white-space: nowrap; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #767676; padding: .25rem .5rem; text-align: left; vertical-align: top; }
@media print { .draft-mark { position: fixed; top: 0; right: 0; } }
"""


def render_html(d: DocumentDiff, summary: Summary, site, against: str, findings: list) -> bytes:
    """The page; what it cannot show as written is added to ``findings``."""
    shown = d.document
    page = _Page(d, site, shown, d.old or shown, findings)
    _ = page._
    title = f"{summary.title}: {shown.title}"
    parts = [
        "<!DOCTYPE html>\n", Markup('<html lang="{}">\n<head>\n<meta charset="utf-8">\n').format(shown.language),
        Markup('<meta name="viewport" content="width=device-width, initial-scale=1">\n'),
        Markup("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n").format(title, Markup(CSS)),
        Markup('<p class="draft-mark">{} – {}</p>\n').format(_("DRAFT"), _("Compared with {version}",
                                                                           version=against)),
        Markup("<main>\n"), page.summary(summary), page.cover(), page.diffs(d.body, 1), Markup("</main>\n"),
        Markup("</body>\n</html>\n")]
    return "".join(str(p) for p in parts).encode("utf-8")


class _Page:
    def __init__(self, d: DocumentDiff, site, new: A.Document, old: A.Document, findings: list):
        from ..html.page import renderer
        self.d = d
        self.r = renderer(site, new, findings)
        self.r_old = renderer(site, old, findings)
        self._: Labels = self.r._
        self.words = {"insert": self._("added"), "delete": self._("removed")}

    # --- marks ---------------------------------------------------------------

    def mark(self, op: str, content: Markup, block: bool = False) -> Markup:
        tag = "ins" if op in (INSERT, MOVE_TO, "insert") else "del"
        word = self._("moved") if op in (MOVE_TO, MOVE_FROM) else \
            self.words["insert" if tag == "ins" else "delete"]
        cls = ' class="block"' if block else ""
        hidden = Markup('<span class="visually-hidden">[{}] </span>').format(word)
        return Markup("<{tag}{cls}>{hidden}{content}</{tag}>").format(tag=Markup(tag), cls=Markup(cls),
                                                                       hidden=hidden, content=content)

    def segments(self, segments: list[Segment]) -> Markup:
        out = []
        for seg in segments:
            content = self.r.inlines(seg.inlines)
            out.append(content if seg.op == "equal" else self.mark(seg.op, content))
        return Markup("").join(out)

    def text_diff(self, before: str, after: str) -> Markup:
        return escape(after) if before == after else self.segments(diff_text(before, after))

    # --- summary and cover ---------------------------------------------------------

    def summary(self, s: Summary) -> Markup:
        out = [Markup('<section class="change-summary" aria-labelledby="change-summary">\n'
                      '<h1 id="change-summary">{}</h1>\n').format(s.title)]
        if s.empty:
            out.append(Markup("<p>{}</p>\n").format(s.none))
        if s.targets:
            out.append(_table(s.target_header, s.targets))
        for title, lines in ((s.structure_title, s.structure), (s.sections_title, [t for t, _ in s.sections])):
            if lines:
                out.append(Markup("<h2>{}</h2>\n<ul>\n").format(title))
                out.extend(Markup("<li>{}</li>\n").format(line) for line in lines)
                out.append(Markup("</ul>\n"))
        if s.metadata:
            out.append(Markup("<h2>{}</h2>\n").format(s.metadata_title))
            out.append(_table(s.metadata_header, s.metadata))
        out.append(Markup("</section>\n"))
        return Markup("").join(out)

    def cover(self) -> Markup:
        d, _ = self.d, self._
        old, new = d.old, d.new
        out = [Markup('<section class="cover">\n<h1>{}</h1>\n').format(
            self.text_diff(old.title if old else "", new.title if new else ""))]
        before = dict(P.cover_lines(old, _)) if old else {}
        after = P.cover_lines(new, _) if new else []
        rows = []
        for label, value in after:
            rows.append(Markup("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n").format(
                label, self.text_diff(before.get(label, ""), value)))
        for label, value in before.items():
            if label not in dict(after):
                rows.append(Markup("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n").format(
                    label, self.mark(DELETE, escape(value))))
        out.append(Markup("<table>\n{}</table>\n</section>\n").format(Markup("").join(rows)))
        return Markup("").join(out)

    # --- body ------------------------------------------------------------------

    def diffs(self, items: list[BlockDiff], level: int) -> Markup:
        return Markup("").join(self.diff(item, level) for item in items)

    def diff(self, d: BlockDiff, level: int) -> Markup:
        if d.op == EQUAL:
            return self.r.blocks([d.new], level)
        if d.op in (INSERT, MOVE_TO):
            return self.mark(d.op, self.r.blocks([d.new], level), block=True)
        if d.op in (DELETE, MOVE_FROM):
            return self.mark(d.op, self.old_blocks(d.old, level), block=True)
        if isinstance(d.node, A.Paragraph):
            return Markup('<p class="changed">{}</p>\n').format(self.segments(d.text or []))
        if isinstance(d.node, _CONTAINERS):
            return self.container(d, level)
        return self.mark(DELETE, self.old_blocks(d.old, level), block=True) + \
            self.mark(INSERT, self.r.blocks([d.new], level), block=True)

    def old_blocks(self, node: A.Node, level: int) -> Markup:
        """A block of the old version; its ids get an ``old-`` prefix, so that a moved or
        changed block's old and new forms do not share an id."""
        html = str(self.r_old.blocks([node], level))
        return Markup(_IDREF.sub(lambda m: f'{m.group(1)}="old-{m.group(2)}"', html))

    def container(self, d: BlockDiff, level: int) -> Markup:
        old, new, _ = d.old, d.new, self._
        if isinstance(new, A.YearTarget):
            heading = Markup('<p class="target-year">{}</p>\n').format(
                self.text_diff(P.target_heading(old.year, _), P.target_heading(new.year, _)))
            return Markup('<div class="target">\n{}{}</div>\n').format(heading, self.diffs(d.children, level))
        if isinstance(new, (A.Section, A.Annex)):
            before, after = P.heading_text(old, _), P.heading_text(new, _)
        else:
            before, after = old.title, new.title
        changed = ' class="changed"' if before != after else ""
        tag = f"h{min(level + 1, 6)}"
        heading = Markup('<{tag} id="{anchor}"{cls}>{text}</{tag}>\n').format(
            tag=Markup(tag), anchor=P.anchor(new), cls=Markup(changed), text=self.text_diff(before, after))
        return Markup('<section class="{}">\n{}{}</section>\n').format(
            new.TYPE, heading, self.diffs(d.children, level + 1))


def _table(header: list[str], rows: list[list[str]]) -> Markup:
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in header)
    body = Markup("").join(Markup("<tr>{}</tr>\n").format(Markup("").join(Markup("<td>{}</td>").format(c) for c in row))
                           for row in rows)
    return Markup("<table>\n<thead><tr>{}</tr></thead>\n<tbody>\n{}</tbody>\n</table>\n").format(head, body)
