"""Parse one reST source with docutils, safely, collecting its messages."""
from __future__ import annotations

import contextlib
import re
import threading
from dataclasses import dataclass, field
from typing import Iterator

from docutils import nodes, utils
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser, directives, roles
from docutils.readers.standalone import Reader

from . import directives as domain
from .policy import Policy

_LOCK = threading.Lock()
_CODED = re.compile(r"^\[([a-z-]+)\] (.*)$", re.S)
_SETTINGS = dict(
    doctitle_xform=False, sectsubtitle_xform=False, docinfo_xform=False,
    raw_enabled=False, file_insertion_enabled=True, report_level=5, halt_level=5,
    warning_stream=False, input_encoding="unicode", smart_quotes=False,
    pep_references=False, rfc_references=False, character_level_inline_markup=False,
    line_length_limit=10_000, syntax_highlight="none", strip_comments=True,
    auto_id_prefix="id", id_prefix="", tab_width=8,
)
_BASE_SETTINGS = None


@dataclass
class Message:
    line: int
    level: int
    text: str
    code: str | None


@dataclass
class Parsed:
    document: nodes.document
    messages: list[Message] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)


def _lookup_directive(name, language_module, document):
    policy: Policy = document.settings.sopimus_policy
    name = name.lower()
    if name in ("raw", "include"):
        return domain.directive_class(name), []  # each refuses what the policy does not allow
    if not policy.block_directives and name in domain.DIRECTIVES:
        return domain.RefusedDirective, []
    return domain.directive_class(name), []


def _lookup_role(name, language_module, lineno, reporter):
    return domain.ROLES.get(name.lower()), []


@contextlib.contextmanager
def _only_domain_markup() -> Iterator[None]:
    """Let docutils see exactly the directives and roles sopimus renders."""
    saved = directives.directive, roles.role
    directives.directive, roles.role = _lookup_directive, _lookup_role
    try:
        yield
    finally:
        directives.directive, roles.role = saved


def parse_rst(text: str, path: str, policy: Policy) -> Parsed:
    """Parse ``text`` (the contents of ``path``) into a docutils doctree under ``policy``."""
    global _BASE_SETTINGS
    if _BASE_SETTINGS is None:
        _BASE_SETTINGS = get_default_settings(Parser, Reader)
        for key, value in _SETTINGS.items():
            setattr(_BASE_SETTINGS, key, value)
    settings = _copy(_BASE_SETTINGS)
    settings.sopimus_policy = policy
    settings.sopimus_includes = []
    settings.sopimus_chars = len(text)
    document = utils.new_document(path, settings)
    parsed = Parsed(document)
    if len(text) > policy.max_chars:
        parsed.messages.append(Message(1, 3, f"{policy.what} of {len(text):,} characters is larger than "
                                             f"the limit of {policy.max_chars:,}", "too-large"))
        return parsed

    def observe(msg: nodes.system_message) -> None:
        line = msg.get("line") or 1
        text = msg.children[0].astext() if msg.children else msg.astext()
        code = None
        m = _CODED.match(text)
        if m:
            code, text = m.group(1), m.group(2)
        parsed.messages.append(Message(line, msg["level"], text, code))

    document.reporter.attach_observer(observe)
    parser, reader = Parser(), Reader()
    with _LOCK, _only_domain_markup():
        try:
            parser.parse(text, document)
            document.transformer.populate_from_components((reader, parser))
            document.transformer.apply_transforms()
        except RecursionError:
            parsed.messages.append(Message(1, 3, "the source is nested too deeply", "nesting"))
    parsed.includes = list(settings.sopimus_includes)
    return parsed


def _copy(settings):
    import copy
    return copy.copy(settings)
