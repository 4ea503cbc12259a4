"""Turn a docutils doctree into AST blocks, one handler per node class."""
from __future__ import annotations

import re
from typing import Callable

from docutils import nodes

from .. import ast as A
from ..diagnostics import Diagnostics
from ..ids import ID_PATTERN
from ..targets import TargetSyntaxError, parse_level, parse_number
from . import directives as D
from .parse import Message
from .policy import LINK_HINT, link_allowed

_MESSAGE_CODES = [
    (re.compile(r"^Unknown directive type"), "unknown-directive"),
    (re.compile(r"^Unknown interpreted text role"), "unknown-role"),
    (re.compile(r"unknown option"), "unknown-option"),
    (re.compile(r"^Line \d+ exceeds the line-length-limit"), "line-too-long"),
]
_HINTS = {
    "unknown-directive": "directives: " + ", ".join(sorted(k for k in D.DIRECTIVES if k != "raw")),
    "unknown-role": "roles: :goal:`id`, :emphasis:, :strong:, :literal:; for emphasis write *text*",
    "unknown-option": "see docs/writing.md for the options of each directive",
}
MAX_DEPTH = 40  # deeper nesting is a mistake (or an attack), and would exhaust the stack later
_SKIPPED = (nodes.comment, nodes.target, nodes.substitution_definition, nodes.system_message)


def report_messages(messages: list[Message], shown: str, diags: Diagnostics) -> None:
    """docutils' own findings (syntax, unknown directives …) as diagnostics."""
    for msg in messages:
        if msg.level < 2:
            continue
        first_line = msg.text.splitlines()[0] if msg.text else ""
        code = msg.code or next((c for p, c in _MESSAGE_CODES if p.search(msg.text)), "rst-syntax")
        line = msg.line
        if code == "line-too-long":
            line = int(re.search(r"\d+", msg.text).group())
        text = " ".join(msg.text.split())
        if code == "unknown-option" and msg.code is None:  # docutils' own two-line message
            text = first_line.rstrip(":") + ": " + msg.text.splitlines()[-1]
        if msg.level >= 3:
            diags.error(code, shown, line, text, _HINTS.get(code))
        else:
            diags.warning(code, shown, line, text, _HINTS.get(code))


def _shown_url(url: str) -> str:
    return repr(url if len(url) <= 80 else url[:79] + "…")


class Converter:
    """Builds AST blocks from one file's doctree; ``file`` is the AST's name for it."""

    def __init__(self, file: str, shown: str, diags: Diagnostics, years: range | None = None):
        self.file, self.shown, self.diags = file, shown, diags
        self.years = years  # the agreement period, for checking target years where they are written
        self.handlers: dict[type, Callable[[nodes.Node, dict], list[A.Node]]] = {
            nodes.section: self.section,
            nodes.paragraph: self.paragraph,
            nodes.bullet_list: self.bullet_list,
            nodes.enumerated_list: self.bullet_list,
            nodes.block_quote: self.quote,
            nodes.attribution: self.paragraph,
            D.theme_node: self.theme,
            D.goal_node: self.goal,
            D.target_node: self.target,
            D.indicator_node: self.indicator,
            D.impact_goal_node: self.impact_goal,
            D.annex_node: self.annex,
            D.rating_scale_node: self.rating_scale,
            D.signatures_node: self.signatures,
            nodes.table: self.table,
        }

    # -- helpers ---------------------------------------------------------------
    def src(self, node: nodes.Node, fallback: int = 1) -> A.Source:
        line = getattr(node, "line", None)
        if line is None:
            parent = node.parent
            while parent is not None and getattr(parent, "line", None) is None:
                parent = parent.parent
            line = getattr(parent, "line", None) or fallback
        return A.Source(self.file, line)

    def error(self, code: str, node: nodes.Node, message: str, hint: str | None = None,
              line: int | None = None) -> None:
        self.diags.error(code, self.shown, line or self.src(node).line, message, hint)

    def blocks(self, children, ctx: dict) -> list[A.Node]:
        out: list[A.Node] = []
        depth = ctx.get("depth", 0) + 1
        if depth > MAX_DEPTH:
            first = next(iter(children), None)
            self.error("nesting", first if first is not None else nodes.Element(),
                       f"the text is nested more than {MAX_DEPTH} levels deep",
                       "flatten the lists or block quotes")
            return out
        ctx = {**ctx, "depth": depth}
        for child in children:
            if isinstance(child, _SKIPPED):
                continue
            handler = self.handlers.get(type(child))
            if handler is None:
                self.error("unsupported", child,
                           f"{child.tagname.replace('_', ' ')} is not supported in an agreement",
                           "use paragraphs, lists, block quotes and the domain directives")
                continue
            out.extend(handler(child, ctx))
        return out

    def inlines(self, node: nodes.Node) -> list[A.Node]:
        out: list[A.Node] = []
        src = self.src(node)
        for child in node.children:
            if isinstance(child, nodes.Text):
                text = str(child).replace("\n", " ")
                if out and isinstance(out[-1], A.Text):
                    out[-1] = A.Text(out[-1].text + text, source=out[-1].source)
                else:
                    out.append(A.Text(text, source=src))
            elif isinstance(child, nodes.emphasis):
                out.append(A.Emphasis(self.inlines(child), source=src))
            elif isinstance(child, nodes.strong):
                out.append(A.Strong(self.inlines(child), source=src))
            elif isinstance(child, nodes.literal):
                out.append(A.Literal(child.astext(), source=src))
            elif isinstance(child, nodes.reference) and child.get("refuri"):
                url = child["refuri"]
                if not link_allowed(url):
                    self.error("link-scheme", child, f"link to {_shown_url(url)}: not an https, http or "
                               "mailto address", LINK_HINT)
                    out.extend(self.inlines(child))  # the label stays, as text
                    continue
                out.append(A.Link(url, self.inlines(child), source=src))
            elif isinstance(child, D.goal_ref_node):
                out.append(A.GoalRef(child["target"], "", source=src))
            elif isinstance(child, (nodes.target, nodes.problematic, nodes.system_message)):
                continue
            else:
                self.error("unsupported", node, f"inline {child.tagname.replace('_', ' ')} is not supported",
                           "use *emphasis*, **strong**, ``literal``, links and :goal:`id`")
                out.append(A.Text(child.astext(), source=src))
        return out

    def table(self, node: nodes.table, ctx: dict) -> list[A.Node]:
        """A grid, simple or list table: title, column widths, header rows, merged cells."""
        src = self.src(node)
        title = next((" ".join(t.astext().split()) for t in node.children if isinstance(t, nodes.title)), "")
        group = next((g for g in node.children if isinstance(g, nodes.tgroup)), None)
        if group is None:
            return []
        widths = [int(c.get("colwidth", 1)) for c in group.children if isinstance(c, nodes.colspec)]
        rows: list[A.TableRow] = []
        header_rows = 0
        for part in group.children:
            if not isinstance(part, (nodes.thead, nodes.tbody)):
                continue
            for row in part.children:
                cells = [self.table_cell(entry) for entry in row.children if isinstance(entry, nodes.entry)]
                rows.append(A.TableRow(cells, source=self.src(row, src.line)))
                header_rows += isinstance(part, nodes.thead)
        table = A.Table(title, widths, header_rows, rows, source=src)
        if node.get("numeric_columns") is not None:
            self.type_numbers(table, node)
        return [table]

    def type_numbers(self, table: A.Table, node: nodes.table) -> None:
        """Type the body cells of the ``:numeric-columns:`` as numbers; a cell
        there that is not a number (nor empty) is an error at its line."""
        line = node.get("numeric_columns_line") or table.source.line
        given = node["numeric_columns"].replace(",", " ").split()
        count = max(len(table.widths), 1)
        columns: set[int] = set()
        for word in given:
            if not word.isascii() or not word.isdigit() or not 1 <= int(word) <= count:
                self.error("table-columns", node, f":numeric-columns: {word!r} is not a column of this "
                           f"table (1–{count})", "list the numeric columns by number, counted from 1: "
                           "':numeric-columns: 2 3'", line=line)
                return
            columns.add(int(word) - 1)
        for r, row in enumerate(table.placed()):
            if r < table.header_rows:
                continue   # column headings are words
            for c, cell in row:
                if not all(c + dc in columns for dc in range(cell.colspan)):
                    continue
                written = A.plain_text(cell.content).strip()
                if not written:
                    continue   # an empty cell stays empty
                try:
                    if not all(isinstance(n, A.Text) for n in cell.content):
                        raise TargetSyntaxError(f"{written[:40]!r} has markup: a number is plain text")
                    cell.value, cell.percent = parse_number(written)
                except TargetSyntaxError as exc:
                    self.error("table-number", node, f"numeric column {c + 1}: {exc}",
                               "write a number as 1 234,5 or -12 or 85 % (no markup, no unit), leave the "
                               "cell empty, or leave the column out of :numeric-columns:",
                               line=cell.source.line)

    def table_cell(self, entry: nodes.entry) -> A.TableCell:
        first = entry.next_node(nodes.paragraph)   # docutils gives an entry no line; its text has one
        src = self.src(first if first is not None and first.line else entry)
        content: list[A.Node] = []
        for child in entry.children:
            if isinstance(child, nodes.paragraph):
                if content:
                    content.append(A.Text(" ", source=src))
                content.extend(self.inlines(child))
            elif not isinstance(child, _SKIPPED):
                self.error("unsupported", child, f"a table cell holds text only, not a "
                           f"{child.tagname.replace('_', ' ')}", "write the cell as one paragraph")
        return A.TableCell(content, int(entry.get("morecols", 0)) + 1, int(entry.get("morerows", 0)) + 1,
                           source=src)

    def node_id(self, node: D.domain_node) -> str:
        given = (node["options"].get("id") or "").strip()
        if given and not ID_PATTERN.match(given):
            self.error("id-invalid", node, f"id {given!r} is not valid",
                       "an id is lower-case letters, digits and hyphens, e.g. 'asiakastyytyvaisyys'",
                       line=node["option_lines"].get("id"))
            return ""
        return given

    # -- handlers --------------------------------------------------------------
    def section(self, node: nodes.section, ctx: dict) -> list[A.Node]:
        title_node = node.next_node(nodes.title)
        title = " ".join(title_node.astext().split()) if title_node else ""
        line = max((title_node.line or 2) - 1, 1) if title_node else self.src(node).line
        level = ctx.get("section_level", 0) + 1
        if ctx.get("in_directive"):
            self.error("unsupported", node, "a section cannot stand inside a directive", line=line)
            return []
        body = self.blocks([c for c in node.children if not isinstance(c, nodes.title)],
                           {**ctx, "section_level": level})
        return [A.Section(id="", number="", level=level, title=title, body=body,
                          source=A.Source(self.file, line))]

    def paragraph(self, node: nodes.Element, ctx: dict) -> list[A.Node]:
        return [A.Paragraph(self.inlines(node), source=self.src(node))]

    def bullet_list(self, node: nodes.Element, ctx: dict) -> list[A.Node]:
        items = [A.ListItem(self.blocks(item.children, ctx), source=self.src(item))
                 for item in node.children if isinstance(item, nodes.list_item)]
        return [A.ItemList(isinstance(node, nodes.enumerated_list), items, source=self.src(node))]

    def quote(self, node: nodes.Element, ctx: dict) -> list[A.Node]:
        return [A.Quote(self.blocks(node.children, ctx), source=self.src(node))]

    def _container(self, node, ctx, **extra) -> list[A.Node]:
        return self.blocks(node.children, {**ctx, "in_directive": True, **extra})

    def theme(self, node, ctx) -> list[A.Node]:
        return [A.Theme(self.node_id(node), node["argument"], self._container(node, ctx), source=self.src(node))]

    def goal(self, node, ctx) -> list[A.Node]:
        level = ctx.get("goal_level", 0) + 1
        if level > 2:
            self.error("goal-depth", node, "a sub-goal cannot have goals of its own",
                       "the hierarchy is theme → goal → sub-goal → target")
        body = self._container(node, ctx, goal_level=level)
        return [A.Goal(self.node_id(node), min(level, 2), node["argument"], body, source=self.src(node))]

    def target(self, node, ctx) -> list[A.Node]:
        text = node["argument"]
        if not re.fullmatch(r"[0-9]{4}", text):
            self.error("target-year", node, f"target year {text!r} is not a year", "write e.g. '.. target:: 2026'")
            return []
        if not ctx.get("goal_level"):
            self.error("target-outside", node, "a yearly target must stand inside a goal")
        if self.years is not None and int(text) not in self.years:
            self.error("target-year", node, f"target year {text} is outside the period "
                       f"{self.years.start}–{self.years.stop - 1}")
        return [A.YearTarget(int(text), self._container(node, ctx), source=self.src(node))]

    def indicator(self, node, ctx) -> list[A.Node]:
        opts, lines = node["options"], node["option_lines"]
        unit = " ".join((opts.get("unit") or "").split()) or None
        targets: list[A.TargetLevel] = []
        for key in sorted(k for k in opts if D.YEAR_OPTION.match(k)):
            try:
                op, value, pct = parse_level(opts[key])
            except TargetSyntaxError as exc:
                self.error("target-value", node, f"target for {key}: {exc}",
                           "write a comparison and a number, e.g. '< 30,0', '>= 85', '4,0'",
                           line=lines.get(key))
                continue
            if pct and unit not in ("%", None):
                self.error("target-value", node, f"target for {key} has '%' but the unit is {unit!r}",
                           line=lines.get(key))
            if pct and unit is None:
                unit = "%"
            if self.years is not None and int(key) not in self.years:
                self.error("target-year", node, f"target for {key} is outside the period "
                           f"{self.years.start}–{self.years.stop - 1}", line=lines.get(key))
            targets.append(A.TargetLevel(int(key), op, value))
        return [A.Indicator(self.node_id(node), node["argument"], unit, targets,
                            self._container(node, ctx), source=self.src(node))]

    def impact_goal(self, node, ctx) -> list[A.Node]:
        ministry = (node["options"].get("ministry") or "").strip()
        if not re.fullmatch(r"[A-ZÅÄÖ]{2,6}", ministry):
            self.error("ministry-code", node,
                       f"impact goal needs a ministry code, not {ministry!r}" if ministry
                       else "impact goal has no :ministry: code",
                       "e.g. ':ministry: TEM' (OKM, MMM, LVM, TEM, YM, VM, STM …)",
                       line=node["option_lines"].get("ministry"))
        return [A.ImpactGoal(self.node_id(node), ministry, node["argument"], source=self.src(node))]

    def annex(self, node, ctx) -> list[A.Node]:
        return [A.Annex(self.node_id(node), 0, node["argument"], self._container(node, ctx),
                        source=self.src(node))]

    def rating_scale(self, node, ctx) -> list[A.Node]:
        opts = node["options"]
        levels = [A.RatingLevel(r, " ".join(opts[str(r)].split())) for r in (3, 2, 1) if str(r) in opts]
        if len(levels) != 3:
            self.error("rating-scale", node, "the rating scale needs :3:, :2: and :1:",
                       "give the meaning of each step of the traffic-light scale")
        return [A.RatingScale(levels, source=self.src(node))]

    def signatures(self, node, ctx) -> list[A.Node]:
        return [A.Signatures(source=self.src(node))]
