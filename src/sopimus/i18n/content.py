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
            out.append(f"<{node.url}>" if label == node.url else f"`{label} <{node.url}>`__")
        elif isinstance(node, A.GoalRef):
            out.append(f":goal:`{node.target}`")
    return "".join(out)


def parse_inline(text: str, source: A.Source) -> tuple[list[A.Node], list[str]]:
    """A translated message back into inline nodes (and any markup errors)."""
    inlines, messages = parse_message(text, source)
    return inlines, [m.text for m in messages if m.level >= 2]


def parse_message(text: str, source: A.Source) -> tuple[list[A.Node], list]:
    """A message back into inline nodes, with docutils' findings about it
    (``Message``: level, text, code, line within the message)."""
    if not _MARKUP.search(text) and "://" not in text:
        return [A.Text(text, source=source)], []
    from ..diagnostics import Diagnostics
    from ..rst.convert import Converter
    from ..rst.parse import Message, parse_rst
    from docutils import nodes

    parsed = parse_rst(text, source.file, "/")
    messages = [m for m in parsed.messages if m.level >= 2]
    para = next(iter(parsed.document.findall(nodes.paragraph)), None)
    if para is None or len(list(parsed.document.findall(nodes.paragraph))) > 1:
        return [A.Text(text, source=source)], messages or [
            Message(1, 3, "the translation is not one paragraph", "translation-markup")]
    inlines = Converter(source.file, source.file, Diagnostics()).inlines(para)
    return [dataclasses.replace(n, source=source) for n in inlines], messages


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
    catalog: dict[str, tuple[str, bool, int]]  # msgid -> (msgstr, fuzzy, line of the msgstr)
    catalog_path: Path | None
    strict: bool = False
    coverage: Coverage = field(default_factory=Coverage)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    shown_root: Path | None = None
    source_lang: str | None = None   # marks what falls back to the source text
    goal_ids: set[str] = field(default_factory=set)
    _line: int = 1
    _counted: set[str] = field(default_factory=set)

    @classmethod
    def for_document(cls, project, doc_id: str, lang: str, strict: bool = False) -> "Translator":
        path = catalog_path(project, doc_id, lang)
        catalog = _read(path, path.stat().st_mtime) if path.is_file() else {}
        return cls(lang, catalog, path if path.is_file() else None, strict, shown_root=project.root,
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
        self._line = entry[2]
        return entry[0]

    def _po_shown(self) -> str:
        from ..config import show_path
        return show_path(self.catalog_path) if self.catalog_path else ""

    def _checked_inlines(self, text: str, node: A.Paragraph) -> list[A.Node]:
        """A translated paragraph's inlines, checked like the source text at the
        .po file's line: docutils' findings (broken markup, an unknown role)
        and references to goals; with an error, the source's own inlines."""
        from ..diagnostics import Diagnostics
        from ..rst.convert import report_messages

        line = self._line
        inlines, messages = parse_message(text, node.source)
        found = Diagnostics()
        report_messages(messages, self._po_shown(), found)
        for d in found.items:
            self.diagnostics.append(dataclasses.replace(d, line=line + max(d.line, 1) - 1))
        for ref in (n for i in inlines for n in i.walk() if isinstance(n, A.GoalRef)):
            if ref.target not in self.goal_ids:
                self.diagnostics.append(Diagnostic(
                    self._po_shown(), line, 1, "error", "goal-ref",
                    f"the {self.lang} translation refers to goal {ref.target!r}, which does not exist",
                    "a :goal: reference names a goal's id as the source text does; ids are never translated"))
                found.error("goal-ref", "", line, "")
        if found.errors:
            return [dataclasses.replace(c) for c in node.content]
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
            return dataclasses.replace(node, content=self._checked_inlines(text, node))
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
    return project.root.resolve().parent / "locales"


@functools.lru_cache(maxsize=None)
def _read(path: Path, mtime: float) -> dict[str, tuple[str, bool]]:
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh)
    lines = path.read_text("utf-8", errors="replace").splitlines()
    return {m.id: (m.string, m.fuzzy, _msgstr_line(lines, m.lineno))
            for m in catalog if m.id and isinstance(m.id, str)}


def _msgstr_line(lines: list[str], msgid_line: int | None) -> int:
    """The line of the ``msgstr`` of the entry whose ``msgid`` is on ``msgid_line``."""
    start = max((msgid_line or 1) - 1, 0)
    for i in range(start, min(start + 200, len(lines))):
        if lines[i].startswith("msgstr"):
            return i + 1
    return msgid_line or 1


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
