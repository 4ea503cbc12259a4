"""Translation of the agreement text itself, as in Sphinx but at write time.

Every translatable unit (a title, a paragraph, a list item's paragraph, a
goal, a yearly target's text, an indicator's name and unit, an impact goal,
a rating step) is one gettext message whose msgid is the unit's source text
(inline markup written as reST).  ``sopimus build -b gettext`` writes the
template; translations live in ``locales/<lang>/LC_MESSAGES/<document-id>.po``.
"""
from __future__ import annotations

import dataclasses
import functools
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import ast as A
from ..diagnostics import Diagnostic

_NUMBERS = re.compile(r"[\d\s%.,:;+\-–−<>=≤≥€]*")   # a table cell of figures: nothing to translate
_MARKUP = re.compile(r"[*`:_\\|\[]")
_TEXT_FIELDS = {A.Section: "title", A.Theme: "title", A.Goal: "title", A.Annex: "title",
                A.Indicator: "name", A.ImpactGoal: "text", A.Table: "title"}


# --- inline markup <-> message text ------------------------------------------------

def _escape(text: str) -> str:
    return re.sub(r"([*`\\|_])", r"\\\1", text)


def inline_markup(inlines: list[A.Node]) -> str:
    """Inline nodes as reST text, the form translators see."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, A.Text):
            out.append(_escape(node.text))
        elif isinstance(node, A.Emphasis):
            out.append(f"*{inline_markup(node.content)}*")
        elif isinstance(node, A.Strong):
            out.append(f"**{inline_markup(node.content)}**")
        elif isinstance(node, A.Literal):
            out.append(f"``{node.text}``")
        elif isinstance(node, A.Link):
            label = inline_markup(node.content)
            if label == node.url and re.search(r"[\w/]\Z", node.url):
                out.append(node.url)  # a standalone address reads back as itself; "<…>" would print its brackets
            else:
                out.append(f"`{label} <{node.url}>`__")
        elif isinstance(node, A.GoalRef):
            out.append(f":goal:`{node.target}`")
    return "".join(out)


POLICY_CODES = frozenset({"directive-refused", "include-refused", "raw-directive", "link-scheme", "too-large",
                          "control-character"})


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    severe: bool = False  # docutils' error level (an unknown role …), not a mere warning

    def __str__(self) -> str:
        return self.message

    @property
    def breaks_policy(self) -> bool:
        """A refused directive, include, link or size: an error wherever the text comes from."""
        return self.code in POLICY_CODES


def parse_inline(text: str, source: A.Source) -> tuple[list[A.Node], list[Problem]]:
    """A translated message (or a reason) back into inline nodes, under the inline policy.

    The text is one paragraph of inline markup: no directive, no include, links
    only to https/http/mailto.  With problems, the inlines are not to be used.
    """
    from ..textfile import control_character
    bad = control_character(text)
    if bad is not None:
        return [A.Text(text, source=source)], [Problem("control-character", f"control character {bad} in the text")]
    if not _MARKUP.search(text) and "://" not in text and "@" not in text:
        return [A.Text(text, source=source)], []
    pickled, problems = _parse_markup(text, source.file)
    if pickled is None:
        return [A.Text(text, source=source)], list(problems)
    inlines = pickle.loads(pickled)  # a copy: reading links and numbers the nodes in place
    return [dataclasses.replace(n, source=source) for n in inlines], list(problems)


@functools.lru_cache(maxsize=4096)
def _parse_markup(text: str, file: str) -> tuple[bytes | None, tuple[Problem, ...]]:
    """(the pickled inline nodes or None when the text is not one paragraph, the problems).

    Kept per process: a live preview checks every reason and translation again on
    every save, and each would go through docutils.
    """
    from ..diagnostics import Diagnostics
    from ..rst.convert import Converter, _MESSAGE_CODES
    from ..rst.parse import parse_rst
    from ..rst.policy import INLINE
    from docutils import nodes

    parsed = parse_rst(text, file, INLINE)
    problems = [Problem(m.code or next((c for p, c in _MESSAGE_CODES if p.search(m.text)), "rst-syntax"),
                        m.text, m.level >= 3) for m in parsed.messages if m.level >= 2]
    blocks = [c for c in parsed.document.children if not isinstance(c, (nodes.system_message, nodes.target))]
    if len(blocks) != 1 or not isinstance(blocks[0], nodes.paragraph):
        if not problems:
            problems.append(Problem("not-inline", "the text is not one paragraph of inline text"))
        return None, tuple(problems)
    found = Diagnostics()
    inlines = Converter(file, file, found).inlines(blocks[0])
    problems += [Problem(d.code, d.message) for d in found.items]
    return pickle.dumps(inlines, pickle.HIGHEST_PROTOCOL), tuple(problems)


# --- units ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    msgid: str
    source: A.Source


def units(doc: A.Document) -> Iterator[Unit]:
    """Every translatable unit of ``doc``, in document order."""
    for node in doc.walk():
        attr = _TEXT_FIELDS.get(type(node))
        if attr and getattr(node, attr):
            yield Unit(getattr(node, attr), node.source)
        if isinstance(node, A.Indicator) and node.unit and not re.fullmatch(r"[\d\s%.,]*", node.unit):
            yield Unit(node.unit, node.source)
        elif isinstance(node, (A.Paragraph, A.TableCell)):   # a table's cells are messages too
            text = inline_markup(node.content)
            if text.strip() and not (isinstance(node, A.TableCell) and _NUMBERS.fullmatch(text)):
                yield Unit(text, node.source)
        elif isinstance(node, A.RatingScale):
            for level in node.levels:
                yield Unit(level.text, node.source)


# --- applying a catalog --------------------------------------------------------------

@dataclass
class Coverage:
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


@dataclass
class Translator:
    """Applies one document's catalog; collects coverage and findings."""

    lang: str
    catalog: dict[str, tuple[str, bool, int]]  # msgid -> (msgstr, fuzzy, line in the catalog)
    catalog_path: Path | None
    strict: bool = False
    coverage: Coverage = field(default_factory=Coverage)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    shown_root: Path | None = None
    source_lang: str | None = None   # marks what falls back to the source text
    goal_ids: set[str] = field(default_factory=set)
    _counted: set[str] = field(default_factory=set)
    _refused: set[str] = field(default_factory=set)

    @classmethod
    def for_document(cls, project, doc_id: str, lang: str, strict: bool = False) -> "Translator":
        from ..diagnostics import Diagnostics
        path = catalog_path(project, doc_id, lang)
        found = Diagnostics()
        catalog = read_content_catalog(project, path, found)
        return cls(lang, catalog, path if catalog else None, strict,
                   diagnostics=list(found.items), shown_root=project.root,
                   source_lang=project.config.source_language)

    def _finding(self, source: A.Source, message: str, code: str) -> None:
        from ..config import show_path
        file = show_path(self.shown_root / source.file) if self.shown_root else source.file
        severity = "error" if self.strict else "warning"
        catalog = (f"locales/{self.lang}/LC_MESSAGES/{self.catalog_path.name}" if self.catalog_path
                   else f"locales/{self.lang}/LC_MESSAGES/")
        # update-po is what creates and updates a document's catalog (gettext only writes the .pot)
        self.diagnostics.append(Diagnostic(file, source.line, 1, severity, code, message,
                                           f"run 'sopimus update-po -l {self.lang}' (make update-po) "
                                           f"and translate the message in {catalog}"))

    def _markup_finding(self, msgid: str, problem: "Problem") -> None:
        """A translation's markup problem, at the msgstr's line in the catalog."""
        from ..config import show_path
        line = self.catalog[msgid][2]
        # as for a source: docutils' errors (an unknown role) are errors, its warnings warnings
        severity = "error" if self.strict or problem.breaks_policy or problem.severe else "warning"
        self.diagnostics.append(Diagnostic(
            show_path(self.catalog_path), line, 1, severity,
            problem.code if problem.breaks_policy else "translation-markup",
            f"the translation of {_short(msgid)!r} is not usable: {' '.join(problem.message.split())}",
            "a translation is inline text: *emphasis*, **strong**, ``literal``, https: links and "
            ":goal:`id`, without directives; the Finnish text is used"))

    def text(self, msgid: str, source: A.Source) -> str | None:
        """The translation of ``msgid``, or None (counted and reported).

        Coverage counts messages, as update-po does: a text that stands twice
        in the document is one message."""
        first = msgid not in self._counted
        self._counted.add(msgid)
        self.coverage.total += first
        entry = self.catalog.get(msgid)
        if entry is None or not entry[0]:
            self.coverage.missing += first
            self._finding(source, f"no {self.lang} translation for {_short(msgid)!r}", "translation-missing")
            return None
        if entry[1]:
            self.coverage.fuzzy += first
            self._finding(source, f"the {self.lang} translation of {_short(msgid)!r} is fuzzy "
                                  "(the source changed)", "translation-fuzzy")
            return None
        self.coverage.translated += first
        return entry[0]

    def _checked_inlines(self, text: str, node: A.Paragraph) -> list[A.Node] | None:
        """A translated paragraph's inlines, checked like the source text at the
        .po file's line: markup under the inline policy, and references to goals
        that exist; None with a problem (the source text stands)."""
        msgid = inline_markup(node.content)
        inlines, problems = parse_inline(text, node.source)
        for problem in problems:
            self._markup_finding(msgid, problem)
        unknown = [n for i in inlines for n in i.walk()
                   if isinstance(n, A.GoalRef) and n.target not in self.goal_ids] if not problems else []
        for ref in unknown:
            from ..config import show_path
            self.diagnostics.append(Diagnostic(
                show_path(self.catalog_path), self.catalog[msgid][2], 1, "error", "goal-ref",
                f"the {self.lang} translation refers to goal {ref.target!r}, which does not exist",
                "a :goal: reference names a goal's id as the source text does; ids are never translated"))
        if problems or unknown:  # the source text stands, never half-parsed markup
            if msgid not in self._refused:   # a message counts once, however often it stands
                self._refused.add(msgid)
                self.coverage.translated -= 1
                self.coverage.missing += 1
            return None
        return inlines

    def translate_blocks(self, blocks: list[A.Node]) -> list[A.Node]:
        self.goal_ids = {n.id for b in blocks for n in b.walk() if isinstance(n, A.Goal)}
        translated = [self._node(b) for b in blocks]
        A.resolve_goal_refs(translated, A.goals_by_id(translated))  # references read the translated titles
        return translated

    def _node(self, node):
        if isinstance(node, A.TableCell) and _NUMBERS.fullmatch(inline_markup(node.content)):
            return node   # figures are the same in every language
        if isinstance(node, (A.Paragraph, A.TableCell)):
            text = self.text(inline_markup(node.content), node.source) if node.content else None
            if text is None:
                return dataclasses.replace(node, content=[dataclasses.replace(c) for c in node.content],
                                           lang=self.source_lang if node.content else None)
            inlines = self._checked_inlines(text, node)
            if inlines is None:
                return dataclasses.replace(node, content=[dataclasses.replace(c) for c in node.content],
                                           lang=self.source_lang)
            return dataclasses.replace(node, content=inlines)
        changes = {}
        attr = _TEXT_FIELDS.get(type(node))
        if attr and getattr(node, attr):
            translated = self.text(getattr(node, attr), node.source)
            changes[attr] = translated or getattr(node, attr)
            if translated is None:
                changes["lang"] = self.source_lang
        if isinstance(node, A.Indicator) and node.unit and not re.fullmatch(r"[\d\s%.,]*", node.unit):
            changes["unit"] = self.text(node.unit, node.source) or node.unit
        if isinstance(node, A.RatingScale):
            changes["levels"] = [A.RatingLevel(lv.rating, self.text(lv.text, node.source) or lv.text)
                                 for lv in node.levels]
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name in ("body", "items", "rows", "cells") and isinstance(value, list):
                changes[f.name] = [self._node(v) for v in value]
        return dataclasses.replace(node, **changes) if changes else node


def catalog_path(project, doc_id: str, lang: str) -> Path:
    return locale_dir(project) / lang / "LC_MESSAGES" / f"{doc_id}.po"


def locale_dir(project) -> Path:
    return locales_beside(project.root)


def locales_beside(sources: Path) -> Path:
    """The ``locales/`` folder of the project whose sources are in ``sources`` (``content/``)."""
    return Path(sources).resolve().parent / "locales"


def read_content_catalog(project, path: Path, diags) -> dict[str, tuple[str, bool, int]]:
    """A document's catalog (msgid -> (msgstr, fuzzy, line)); {} when absent or refused."""
    from ..config import show_path
    from ..paths import inside_folder
    if not path.exists() and not path.is_symlink():
        return {}
    shown = show_path(path)
    if not inside_folder(path, locale_dir(project)) or not path.is_file():
        # a symlinked locales/, locales/<lang>/ or LC_MESSAGES/ as much as a symlinked catalog
        diags.error("path-outside", shown, 1, "the catalog is not a file inside the project's locales/ folder",
                    "a catalog and the folders on its way are not symlinks out of the project")
        return {}
    stat = path.stat()
    entries, found = _read(path, stat.st_mtime_ns, stat.st_size)
    diags.extend(list(found))
    return {e.msgid: (e.msgstr, e.fuzzy, e.line) for e in entries or []}


@functools.lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, size: int):
    from ..config import show_path
    from ..diagnostics import Diagnostics
    from .pofile import read_catalog
    found = Diagnostics()
    entries = read_catalog(path, show_path(path), found)
    return tuple(entries or ()), tuple(found.items)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
