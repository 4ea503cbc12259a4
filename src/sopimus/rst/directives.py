"""The domain directives and roles, as docutils sees them.

Each directive makes a node of its own class that holds the raw options;
:mod:`sopimus.rst.convert` validates them and builds the AST, so that every
finding has a file, a line and a code.
"""
from __future__ import annotations

import os
import re

from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles

YEAR_OPTION = re.compile(r"^[0-9]{4}\Z")  # ASCII digits: ":٢٠٢٦:" is not a second 2026


class domain_node(nodes.Element):
    """Base class of the nodes the domain directives make."""


class theme_node(domain_node): pass
class goal_node(domain_node): pass
class target_node(domain_node): pass
class indicator_node(domain_node): pass
class impact_goal_node(domain_node): pass
class annex_node(domain_node): pass
class rating_scale_node(domain_node): pass
class signatures_node(domain_node): pass
class goal_ref_node(nodes.Inline, nodes.TextElement): pass


def coded_error(directive: Directive, code: str, message: str) -> nodes.system_message:
    """A docutils error whose text carries a sopimus finding code as ``[code]``."""
    return directive.reporter.error(f"[{code}] {message}", line=directive.lineno)


_OPTION = re.compile(r"^:([^:\s][^:]*):(?:\s+(.*))?$")


class _DomainDirective(Directive):
    """A domain directive that reads its own ``:name: value`` options.

    docutils would parse each directive's options with a nested state
    machine; reading them here is several times cheaper for the hundreds of
    directives an agreement has, and gives every option its own line.
    """

    node_class: type[domain_node] = domain_node
    has_content = True
    option_spec = None  # options are read by split_options, not by docutils
    known_options: frozenset[str] = frozenset()
    year_options = False  # any four-digit year is an option (an indicator's targets)
    options_in_content = False  # a directive without argument: its options open the content

    def split_options(self) -> tuple[str, list[str], dict[str, str], dict[str, int]]:
        """(argument text, remaining content lines, options, option lines)."""
        if self.options_in_content:
            lines, first_line = list(self.content), self.content_offset + 1
            title_lines: list[str] = []
        else:
            lines = self.arguments[0].split("\n") if self.arguments else []
            first_line = self.lineno
            k = next((i for i, line in enumerate(lines) if _OPTION.match(line.strip())), len(lines))
            title_lines, lines, first_line = lines[:k], lines[k:], first_line + k
        options: dict[str, str] = {}
        option_lines: dict[str, int] = {}
        rest: list[str] = []
        current = None
        for i, raw in enumerate(lines):
            line = raw.strip()
            if not line and not rest:
                continue
            m = _OPTION.match(line)
            if m and (rest == []):
                current = m.group(1)
                if current in options:
                    self._problem("unknown-option", f'option ":{current}:" is given twice', first_line + i)
                options[current] = m.group(2) or ""
                option_lines[current] = first_line + i
                if current not in self.known_options and not (self.year_options and YEAR_OPTION.match(current)):
                    known = sorted(self.known_options) + (["<year>"] if self.year_options else [])
                    self._problem("unknown-option", f'unknown option ":{current}:" of the "{self.name}" '
                                  f"directive (known: {', '.join(':' + k + ':' for k in known) or 'none'})",
                                  first_line + i)
            elif current is not None and line and not rest:
                options[current] = f"{options[current]} {line}".strip()  # a continued value
            else:
                rest.append(raw)
                current = None
        return " ".join(" ".join(title_lines).split()), rest, options, option_lines

    def _problem(self, code: str, message: str, line: int) -> None:
        self.state.document.reporter.error(f"[{code}] {message}", line=line)

    def make_node(self) -> tuple[domain_node, list[str]]:
        node = self.node_class()
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        argument, rest, options, option_lines = self.split_options()
        node["options"] = options
        node["option_lines"] = option_lines
        node["argument"] = argument
        return node, rest

    def run(self) -> list[nodes.Node]:
        node, rest = self.make_node()
        if rest and any(line.strip() for line in rest):
            self._problem("rst-syntax", f'unexpected text among the options of "{self.name}"', self.lineno)
        if self.content and not self.options_in_content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ThemeDirective(_DomainDirective):
    node_class = theme_node
    required_arguments = 1
    final_argument_whitespace = True
    known_options = frozenset({"id"})


class GoalDirective(ThemeDirective):
    node_class = goal_node


class TargetDirective(_DomainDirective):
    node_class = target_node
    required_arguments = 1
    final_argument_whitespace = True


class IndicatorDirective(_DomainDirective):
    node_class = indicator_node
    required_arguments = 1
    final_argument_whitespace = True
    known_options = frozenset({"id", "unit"})
    year_options = True


class ImpactGoalDirective(_DomainDirective):
    node_class = impact_goal_node
    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    known_options = frozenset({"id", "ministry"})


class AnnexDirective(ThemeDirective):
    node_class = annex_node


class RatingScaleDirective(_DomainDirective):
    node_class = rating_scale_node
    options_in_content = True
    known_options = frozenset({"1", "2", "3"})


class SignaturesDirective(_DomainDirective):
    node_class = signatures_node
    has_content = False


class RawDirective(Directive):
    """``raw`` would let a source inject markup into every output: refused."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"file": directives.unchanged, "url": directives.unchanged,
                   "encoding": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return [coded_error(self, "raw-directive", 'the "raw" directive is not allowed')]


class RefusedDirective(Directive):
    """A domain directive where the policy allows inline text only (a translation, a reason)."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = None

    def run(self) -> list[nodes.Node]:
        what = self.state.document.settings.sopimus_policy.what
        return [coded_error(self, "directive-refused", f'the "{self.name}" directive is not allowed in {what}')]


MAX_INCLUDES = 200  # per source, nested ones included


class SafeInclude(Directive):
    """``include`` of a reST file inside the document's folder, never outside it.

    The file is read here (not by docutils), so that its size counts against
    the source's cap and a cycle or a missing file is a finding with the
    including line; every path tried (a missing one too) is a dependency.
    """

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {}

    def run(self) -> list[nodes.Node]:
        from docutils import statemachine

        settings = self.state.document.settings
        policy = settings.sopimus_policy
        if policy.include_root is None:
            return [coded_error(self, "include-refused", f'"include" is not allowed in {policy.what}')]
        root = os.path.realpath(policy.include_root)
        source = self.state_machine.input_lines.source(self.lineno - self.state_machine.input_offset - 1)
        base = os.path.dirname(os.path.realpath(source)) if source else root
        target = directives.path(self.arguments[0])
        resolved = os.path.realpath(os.path.join(base, target))
        if os.path.isabs(target) or "\0" in target or not _inside(resolved, root):
            return [coded_error(self, "include-outside",
                                f"include of {target!r} points outside the document's folder")]
        if len(settings.sopimus_includes) >= MAX_INCLUDES:
            return [coded_error(self, "too-large", f"more than {MAX_INCLUDES} includes")]
        settings.sopimus_includes.append(resolved)
        limit = policy.max_chars - settings.sopimus_chars
        if limit <= 0:
            return [coded_error(self, "too-large", f"the source with its includes is larger than "
                                                   f"the limit of {policy.max_chars:,} characters")]
        try:
            with open(resolved, "rb") as fh:
                data = fh.read(4 * limit + 4)
        except FileNotFoundError:
            return [coded_error(self, "file-missing", f"included file {target!r} not found")]
        except OSError as exc:
            return [coded_error(self, "file-unreadable", f"cannot read included file {target!r}: {exc.strerror}")]
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            return [coded_error(self, "encoding", f"included file {target!r} is not UTF-8 "
                                                  f"(byte {exc.start + 1})")]
        settings.sopimus_chars += len(text)
        if settings.sopimus_chars > policy.max_chars:
            return [coded_error(self, "too-large", f"the source with its includes is larger than "
                                                   f"the limit of {policy.max_chars:,} characters")]
        log = self.state.document.include_log
        if not log:
            log.append((os.path.realpath(self.state.document.current_source or ""), None))
        if any(path == resolved for path, _ in log):
            return [coded_error(self, "include-cycle", f"include of {target!r} includes itself "
                                                       "(directly or through other files)")]
        lines = statemachine.string2lines(text, settings.tab_width, convert_whitespace=True)
        for i, line in enumerate(lines):
            if len(line) > settings.line_length_limit:
                return [coded_error(self, "line-too-long", f"line {i + 1} of included file {target!r} "
                                                           "is too long")]
        log.append((resolved, None))
        lines += ["", f'.. end of inclusion from "{resolved}"']
        self.state_machine.insert_input(lines, resolved)
        return []


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:
        return False


def goal_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    node = goal_ref_node(rawtext, text.strip())
    node["target"] = text.strip()
    node.line = lineno
    return [node], []


_DIRECTIVES: dict[str, type[Directive]] = {
    "theme": ThemeDirective,
    "goal": GoalDirective,
    "target": TargetDirective,
    "indicator": IndicatorDirective,
    "impact-goal": ImpactGoalDirective,
    "annex": AnnexDirective,
    "rating-scale": RatingScaleDirective,
    "signatures": SignaturesDirective,
    "raw": RawDirective,
    "include": SafeInclude,
}
# tables: list-table, and grid and simple tables, which need no directive but may
# stand in a table directive for a title and :numeric-columns:
TABLE_DIRECTIVES = ("list-table", "table")
DIRECTIVES = frozenset(_DIRECTIVES) | set(TABLE_DIRECTIVES)
_TABLES: dict[str, type[Directive]] = {}


def directive_class(name: str) -> type[Directive] | None:
    """The directive class for ``name`` (None if sopimus has none)."""
    if name in TABLE_DIRECTIVES:
        # imported when a source has one: docutils' tables module imports
        # urllib.request (for csv-table's :url:), 30 ms of every run otherwise
        if not _TABLES:
            _TABLES.update(_table_directives())
        return _TABLES[name]
    return _DIRECTIVES.get(name)


def _table_directives() -> dict[str, type[Directive]]:
    """``list-table`` and ``table`` (around a grid or simple table), each with
    ``:numeric-columns: 2 3``: the columns (counted from 1) whose body cells
    are numbers, shown in each language's form and right-aligned.  The
    option's text and line go on the table node; :mod:`.convert` checks it."""
    from docutils.parsers.rst.directives.tables import ListTable, RSTTable

    class NumericColumns(Directive):
        def run(self):
            out = super().run()
            given = self.options.get("numeric-columns")
            for node in out:
                if isinstance(node, nodes.table) and given is not None:
                    lines = self.block_text.splitlines()
                    at = next((i for i, line in enumerate(lines)
                               if line.strip().startswith(":numeric-columns:")), 0)
                    node["numeric_columns"] = given
                    node["numeric_columns_line"] = self.lineno + at
            return out

    option = {"numeric-columns": directives.unchanged_required}

    class NumericListTable(NumericColumns, ListTable):
        option_spec = {**ListTable.option_spec, **option}

    class NumericTable(NumericColumns, RSTTable):
        option_spec = {**RSTTable.option_spec, **option}

    return {"list-table": NumericListTable, "table": NumericTable}

ROLES = {
    "goal": goal_role,
    "emphasis": roles.GenericRole("emphasis", nodes.emphasis),
    "strong": roles.GenericRole("strong", nodes.strong),
    "literal": roles.GenericRole("literal", nodes.literal),
}
