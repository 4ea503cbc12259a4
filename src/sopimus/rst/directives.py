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
from docutils.parsers.rst.directives.misc import Include

YEAR_OPTION = re.compile(r"^\d{4}$")


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


def _option_lines(directive: Directive) -> dict[str, int]:
    """The line of each ``:name:`` option of a directive, by scanning its text."""
    out: dict[str, int] = {}
    for i, line in enumerate(directive.block_text.splitlines()):
        m = re.match(r"^\s*:([^:]+):", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = directive.lineno + i
    return out


class _DomainDirective(Directive):
    node_class: type[domain_node] = domain_node
    has_content = True

    def make_node(self) -> domain_node:
        node = self.node_class()
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        node["options"] = dict(self.options)
        node["option_lines"] = _option_lines(self)
        node["argument"] = " ".join(self.arguments[0].split()) if self.arguments else ""
        node["has_argument"] = bool(self.arguments)
        return node

    def run(self) -> list[nodes.Node]:
        node = self.make_node()
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ThemeDirective(_DomainDirective):
    node_class = theme_node
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"id": directives.unchanged}


class GoalDirective(ThemeDirective):
    node_class = goal_node


class TargetDirective(_DomainDirective):
    node_class = target_node
    required_arguments = 1
    final_argument_whitespace = True


class _YearOptions(dict):
    """Options of an indicator: the fixed ones, and any four-digit year."""

    def __missing__(self, key: str):
        if YEAR_OPTION.match(key):
            return directives.unchanged_required
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or bool(isinstance(key, str) and YEAR_OPTION.match(key))


class IndicatorDirective(_DomainDirective):
    node_class = indicator_node
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = _YearOptions(id=directives.unchanged, unit=directives.unchanged)


class ImpactGoalDirective(_DomainDirective):
    node_class = impact_goal_node
    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec = {"id": directives.unchanged, "ministry": directives.unchanged}


class AnnexDirective(ThemeDirective):
    node_class = annex_node


class RatingScaleDirective(_DomainDirective):
    node_class = rating_scale_node
    has_content = False
    option_spec = {"1": directives.unchanged_required, "2": directives.unchanged_required,
                   "3": directives.unchanged_required}


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


class SafeInclude(Include):
    """``include`` of a reST file inside the source tree, never outside it."""

    option_spec = {}

    def run(self) -> list[nodes.Node]:
        settings = self.state.document.settings
        root = os.path.realpath(settings.sopimus_root)
        source = self.state_machine.input_lines.source(self.lineno - self.state_machine.input_offset - 1)
        base = os.path.dirname(os.path.abspath(source)) if source else root
        target = directives.path(self.arguments[0])
        resolved = os.path.realpath(os.path.join(base, target))
        if os.path.isabs(target) or os.path.commonpath([resolved, root]) != root:
            return [coded_error(self, "include-outside",
                                f"include of {target!r} points outside the source folder")]
        if not os.path.isfile(resolved):
            return [coded_error(self, "file-missing", f"included file {target!r} not found")]
        settings.sopimus_includes.append(resolved)
        self.arguments[0] = resolved
        self.options["encoding"] = "utf-8"  # sources are UTF-8, whatever the parser's input setting
        return super().run()


def goal_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    node = goal_ref_node(rawtext, text.strip())
    node["target"] = text.strip()
    node.line = lineno
    return [node], []


DIRECTIVES: dict[str, type[Directive]] = {
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

ROLES = {
    "goal": goal_role,
    "emphasis": roles.GenericRole("emphasis", nodes.emphasis),
    "strong": roles.GenericRole("strong", nodes.strong),
    "literal": roles.GenericRole("literal", nodes.literal),
}
