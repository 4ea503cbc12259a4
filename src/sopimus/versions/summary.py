"""The change summary at the front of a redline, in the document's language.

*Muutokset edelliseen versioon* / *Ändringar jämfört med föregående
version*: changed target levels as a table (indicator, year, before, after),
goals and indicators added, removed or moved, the sections whose text
changed, and the metadata that changed. Every renderer (DOCX, HTML) shows
this one model, so they cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import ast as A
from .. import present as P
from ..i18n import Labels, N_
from ..i18n.formats import format_level
from .changes import Change, changes
from .model import WITH_ID, DocumentDiff

TITLE = N_("Changes since the previous version")

_CHANGE_WORDS = {"added": N_("Addition"), "removed": N_("Removal"), "moved": N_("Move")}
_KIND_WORDS = {"goal": N_("Goal"), "sub-goal": N_("Sub-goal"), "indicator": N_("Indicator"),
               "theme": N_("Theme"), "impact_goal": N_("Impact goal"), "annex": N_("Annex"),
               "section": N_("Section"), "document": N_("Document")}
_META_WORDS = {"title": N_("Title"), "subtitle": N_("Subtitle"), "type": N_("Document type"),
               "organisation": N_("Organisation"), "period.start": N_("Period starts"),
               "period.end": N_("Period ends"), "binding_year": N_("Binding targets for"),
               "register_number": N_("Register number"), "status": N_("Status"), "date": N_("Date"),
               "place": N_("Place"), "version": N_("Version"), "history": N_("Version history")}


_STRUCTURE = ("document", "goal", "indicator", "theme", "impact_goal", "annex")


@dataclass
class Summary:
    title: str
    target_header: list[str] = field(default_factory=list)
    targets: list[list[str]] = field(default_factory=list)       # indicator, year, before, after
    structure_title: str = ""
    structure: list[str] = field(default_factory=list)           # "Tavoite lisätty: … (teema …)"
    sections_title: str = ""
    sections: list[tuple[str, A.Node]] = field(default_factory=list)  # heading text, the section
    metadata_title: str = ""
    metadata: list[list[str]] = field(default_factory=list)      # field, before, after
    metadata_header: list[str] = field(default_factory=list)
    none: str = ""                                               # "no changes", when there are none

    @property
    def empty(self) -> bool:
        return not (self.targets or self.structure or self.sections or self.metadata)


def summarise(d: DocumentDiff, _: Labels) -> Summary:
    doc = d.document
    s = Summary(_(TITLE), structure_title=_("Goals and indicators added, removed or moved"),
                sections_title=_("Sections with changed text"), metadata_title=_("Changed details"),
                none=_("No changes."))
    s.target_header = [_("Indicator"), _("Year"), _("Before"), _("After")]
    s.metadata_header = [_("Detail"), _("Before"), _("After")]
    found = changes(d)
    seen_sections: set[str] = set()
    for c in found:
        kind = c["change"]
        if kind == "target-level":
            s.targets.append([c["name"], str(c["year"]), _level(c["old"], c["unit"], doc.language),
                              _level(c["new"], c["unit"], doc.language)])
        elif kind in _CHANGE_WORDS and c["type"] in _STRUCTURE:
            s.structure.append(_structure_line(c, d, _))
        elif kind == "metadata":
            name: str = c["field"]
            s.metadata.append([_(_META_WORDS.get(name, name)), _value(c["old"]), _value(c["new"])])
        elif kind in ("added", "removed") and c["type"] == "party":
            s.metadata.append([_("Party"), c["name"] if kind == "removed" else "",
                               c["name"] if kind == "added" else ""])
        elif kind in ("added", "removed") and c["type"] == "signatory":
            s.metadata.append([_("Signatory"), c["role"] if kind == "removed" else "",
                               c["role"] if kind == "added" else ""])
        elif kind == "field" and c["type"] in ("party", "signatory"):
            s.metadata.append([_("Party") if c["type"] == "party" else _("Signatory"),
                               _value(c["old"]), _value(c["new"])])
        section = _section_of(c, d)
        if section is not None and kind in ("text", "added", "removed", "moved", "field") \
                and c.get("type") not in ("party", "signatory") and section.id not in seen_sections:
            seen_sections.add(section.id)
            s.sections.append((P.heading_text(section, _), section))
    return s


def _structure_line(c: Change, d: DocumentDiff, _: Labels) -> str:
    node_type = c["type"]
    if node_type == "goal":
        node = _find(d, c["id"], c["change"])
        node_type = "sub-goal" if isinstance(node, A.Goal) and node.level > 1 else "goal"
    what = _(_KIND_WORDS[node_type])
    title = c.get("title") or c.get("text") or c.get("id", "")
    line = f"{_(_CHANGE_WORDS[c['change']])} – {what}: {title}"
    if c["change"] == "moved":
        line += " " + _("(from {old} to {new})", old=_where(c["from"]), new=_where(c["to"]))
    elif c.get("parent"):
        line += f" ({_where(c['parent'])})"
    return line


def _where(path: list[dict[str, Any]]) -> str:
    inner = next((p for p in reversed(path) if p["type"] in ("theme", "goal", "section", "annex")), None)
    if inner is None:
        return "–"
    if inner["type"] == "section":
        return f"{inner.get('number', '')} {inner.get('title', '')}".strip()
    title: str = inner.get("title", inner.get("id", ""))
    return title


def _find(d: DocumentDiff, node_id: str, change: str) -> A.Node | None:
    doc = d.old if change == "removed" else d.new
    return next((n for n in doc.walk() if isinstance(n, WITH_ID) and n.id == node_id), None) if doc else None


def _section_of(c: Change, d: DocumentDiff) -> A.Section | None:
    """The outermost numbered section the change is in (in the new version, else the old one)."""
    path = c.get("to") or c.get("parent") or []
    top = next((p for p in path if p["type"] == "section"), None)
    if top is None:
        return None
    for doc in (d.new, d.old) if c["change"] != "removed" else (d.old, d.new):
        if doc is None:
            continue
        node = next((n for n in doc.body if isinstance(n, A.Section) and n.id == top["id"]), None)
        if node is not None:
            return node
    return None


def _level(level: dict[str, str] | None, unit: str | None, lang: str) -> str:
    if level is None:
        return "–"
    from decimal import Decimal
    return format_level(level["op"], Decimal(level["value"]), unit, lang)


def _value(value: object) -> str:
    return "–" if value in (None, "") else str(value)
