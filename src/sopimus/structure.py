"""Checks of a document's structure, after reading: Sphinx-collector-like
passes, each with one job, run in order over the freshly read document.

1. :func:`number` — section numbers ("1.2") and annex numbers from the structure;
2. :func:`settle_ids` — ids given or derived from titles, unique per document;
   hand-written heading numbers; indicators with targets but no unit;
3. :func:`resolve_references` — every ``:goal:`` reference to a goal that exists
   (the reference takes the goal's title);
4. :func:`place_signatures` — one ``.. signatures::`` (added at the end when
   the document has signatories but the text does not place them).
"""
from __future__ import annotations

import re

from . import ast as A
from .config import DocumentMeta, ProjectConfig, show_path
from .diagnostics import Diagnostics
from .ids import slugify

_HEADING_NUMBER = re.compile(r"^\s*(\d+[.)]?(\.\d+)*\.?|[IVX]+\.)\s+\S")


def check_structure(doc: A.Document, meta: DocumentMeta, config: ProjectConfig, diags: Diagnostics) -> None:
    """Run every pass over ``doc`` (changed in place); findings go to ``diags``."""
    def shown(node: A.Node) -> str:
        return show_path(config.root / node.source.file)

    number(doc.body, "", meta.annex_numbering_start)
    settle_ids(doc, diags, shown)
    resolve_references(doc, A.goals_by_id(doc.body), diags, shown)
    place_signatures(doc, meta, diags, shown)


def number(blocks: list[A.Node], prefix: str, annex_start: int) -> int:
    """Number sections (``1``, ``1.2``) and annexes (from ``annex_start``); return the section count."""
    count = 0
    annex = annex_start
    for node in blocks:
        if isinstance(node, A.Section):
            count += 1
            node.number = f"{prefix}{count}"
            number(node.body, node.number + ".", annex_start)
        elif isinstance(node, A.Annex):
            node.number = annex
            annex += 1
    return count


def settle_ids(doc: A.Document, diags: Diagnostics, shown) -> None:
    """Give every section, theme, goal, indicator, annex and impact goal its id, unique in the document."""
    seen: dict[str, A.Node] = {}
    section_ids: set[str] = set()
    for node in doc.walk():
        if isinstance(node, A.Section):
            node.id = _unique(slugify(node.title), section_ids)
            if _HEADING_NUMBER.match(node.title):
                diags.error("heading-number", shown(node), node.source.line,
                            f"heading {node.title!r} starts with a number",
                            "numbers come from the structure: write the heading without it")
        elif isinstance(node, (A.Theme, A.Goal, A.Indicator, A.Annex, A.ImpactGoal)):
            given = bool(node.id)
            if not node.id:
                node.id = slugify(node.name if isinstance(node, A.Indicator) else
                                  node.text if isinstance(node, A.ImpactGoal) else node.title)
            other = seen.get(node.id)
            if other is not None:
                diags.error("duplicate-id", shown(node), node.source.line,
                            f"id {node.id!r} is already used by the {other.TYPE.replace('_', ' ')} "
                            f"at {other.source.file}:{other.source.line}",
                            "give this one its own :id:" if given else
                            "the id was derived from the title: give one of them an explicit :id:")
            else:
                seen[node.id] = node
            if isinstance(node, A.Indicator) and node.targets and not node.unit:
                diags.error("unit-missing", shown(node), node.source.line,
                            f"indicator {node.id!r} has numeric targets but no unit",
                            "add ':unit:' (pv, kk, %, kpl, Asteikko 1–5 …)")


def resolve_references(doc: A.Document, goals: dict[str, A.Goal], diags: Diagnostics, shown) -> None:
    """Each ``:goal:`` reference names a goal of the document and takes its title."""
    for node in A.resolve_goal_refs(doc.body, goals):
        diags.error("goal-ref", shown(node), node.source.line,
                    f"reference to goal {node.target!r}, which does not exist",
                    close_match(node.target, goals))


def place_signatures(doc: A.Document, meta: DocumentMeta, diags: Diagnostics, shown) -> None:
    """One signatures directive at most; the blocks go at the end when the text does not place them."""
    signatures = [node for node in doc.walk() if isinstance(node, A.Signatures)]
    for extra in signatures[1:]:
        diags.error("signatures-duplicate", shown(extra), extra.source.line,
                    "the signatures directive appears more than once")
    if not signatures and doc.signatories:
        diags.warning("signatures-missing", show_path(meta.path), 1,
                      "the document has signatories but no '.. signatures::' in its text",
                      "the signature blocks are placed at the end; add '.. signatures::' to place them")
        doc.body.append(A.Signatures(source=A.Source(doc.source.file, 1)))


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def close_match(name: str, known) -> str | None:
    """"did you mean …?" for a name close to one of ``known``."""
    import difflib
    match = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {match[0]!r}?" if match else None
