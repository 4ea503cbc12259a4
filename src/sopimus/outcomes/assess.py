"""Which targets a period's report rates, and how each is rated.

Rated are: every goal with a target text for the period's year, every
indicator of the result targets (outside annexes; one without a target level
that year is shown unrated, with that reason), and whatever else the outcome
file names (a parent goal, a follow-up indicator of an annex).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

from .. import ast as A
from .model import GoalOutcome, IndicatorOutcome, OutcomeFile, ReportSettings
from .rule import COLOURS, Margin, Verdict, rate

# Why a target has the rating it has (the report words each of these).
MET, WITHIN_MARGIN, BEYOND_MARGIN = "met", "within-margin", "beyond-margin"
MANUAL, NO_OUTCOME, NO_TARGET, NOT_RATED = "manual", "no-outcome", "no-target", "not-rated"


@dataclass
class Assessment:
    """One rated (or unrated) target of a report."""

    node: A.Goal | A.Indicator
    context: list[A.Node]                 # enclosing sections, annexes, themes and goals, outermost first
    target: A.TargetLevel | None          # indicators: that year's target level
    outcome: Decimal | None
    rating: int | None                    # 3, 2, 1 or None (unrated)
    basis: str                            # "computed" or "manual"
    why: str                              # MET, WITHIN_MARGIN, … (see above)
    margin: Margin | None = None          # indicators: the yellow margin applied
    verdict: Verdict | None = None        # the computed rating, also when a person overrode it
    reason: list[A.Node] = field(default_factory=list)  # the written reason, inline nodes
    source: A.Source | None = None        # the outcome file line, if the file names the target

    @property
    def id(self) -> str:
        return self.node.id

    @property
    def kind(self) -> str:
        return "indicator" if isinstance(self.node, A.Indicator) else "goal"

    @property
    def colour(self) -> str | None:
        return COLOURS.get(self.rating) if self.rating else None


def assess(doc: A.Document, file: OutcomeFile | None, settings: ReportSettings, year: int,
           fallback_language: str | None = None) -> list[Assessment]:
    """Rate every target of ``doc`` (in any language) for ``year`` from ``file``."""
    indicators = file.indicators if file else {}
    goals = file.goals if file else {}
    out: list[Assessment] = []
    for node, context in _targets(doc.body, [], False, year, indicators, goals):
        if isinstance(node, A.Indicator):
            out.append(_indicator(node, context, indicators.get(node.id), settings, year, file,
                                  doc.language, fallback_language))
        else:
            out.append(_goal(node, context, goals.get(node.id), file, doc.language, fallback_language))
    return out


def summary(assessments: list[Assessment]) -> dict[str, int]:
    """How many targets of each colour (and unrated)."""
    counts = {"green": 0, "yellow": 0, "red": 0, "unrated": 0}
    for a in assessments:
        counts[a.colour or "unrated"] += 1
    return counts


def _targets(blocks: list[A.Node], context: list[A.Node], in_annex: bool, year: int,
             indicators: dict, goals: dict) -> Iterator[tuple[A.Node, list[A.Node]]]:
    for node in blocks:
        if isinstance(node, A.Goal):
            if node.id in goals or any(isinstance(b, A.YearTarget) and b.year == year for b in node.body):
                yield node, context
            yield from _targets(node.body, [*context, node], in_annex, year, indicators, goals)
        elif isinstance(node, A.Indicator):
            if not in_annex or node.id in indicators:
                yield node, context
        elif isinstance(node, (A.Section, A.Theme, A.Annex)):
            yield from _targets(node.body, [*context, node], in_annex or isinstance(node, A.Annex),
                                year, indicators, goals)


def _reason(item: IndicatorOutcome | GoalOutcome | None, file: OutcomeFile | None, lang: str,
            fallback: str | None) -> list[A.Node]:
    if item is None or not item.reason:
        return []
    from ..config import pick
    from ..i18n.content import parse_inline

    text = pick(item.reason, lang, fallback)
    inlines, _problems = parse_inline(text, A.Source(file.rel, item.line))  # problems were reported by check
    return inlines


def _indicator(node: A.Indicator, context: list[A.Node], item: IndicatorOutcome | None,
               settings: ReportSettings, year: int, file: OutcomeFile | None, lang: str,
               fallback: str | None) -> Assessment:
    level = next((t for t in node.targets if t.year == year), None)
    outcome = item.outcome if item else None
    margin = (item.yellow_margin if item else None) or settings.yellow_margin
    verdict = rate(level.op, level.value, outcome, margin) if level and outcome is not None else None
    a = Assessment(node, context, level, outcome, None, "computed", NO_OUTCOME, margin, verdict,
                   _reason(item, file, lang, fallback), A.Source(file.rel, item.line) if item else None)
    if item and item.rating is not None:
        a.rating, a.basis, a.why = item.rating, "manual", MANUAL
    elif verdict is not None:
        a.rating = verdict.rating
        a.why = MET if verdict.rating == 3 else WITHIN_MARGIN if verdict.rating == 2 else BEYOND_MARGIN
    elif level is None:
        a.why = NO_TARGET  # nothing to compare with, whatever is reported
    return a


def _goal(node: A.Goal, context: list[A.Node], item: GoalOutcome | None, file: OutcomeFile | None,
          lang: str, fallback: str | None) -> Assessment:
    a = Assessment(node, context, None, None, None, "manual", NOT_RATED,
                   reason=_reason(item, file, lang, fallback),
                   source=A.Source(file.rel, item.line) if item else None)
    if item and item.rating is not None:
        a.rating, a.why = item.rating, MANUAL
    return a
