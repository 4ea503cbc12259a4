"""What a follow-up report says, worded once in the document's language.

The PDF, DOCX, HTML and JSON renderers draw this model and never decide a
word or a rating themselves, so the four formats cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from ... import ast as A
from ... import present
from ...i18n import N_, Labels
from ...i18n.formats import (
    format_decimal,
    format_level,
    format_percent,
    format_quantity,
)
from ...outcomes import (
    Assessment,
    Margin,
    OutcomeFile,
    ReportPeriod,
    ReportSettings,
    assess,
    summary,
)
from ...outcomes.assess import (
    MANUAL,
    MET,
    NO_OUTCOME,
    NO_TARGET,
    NOT_RATED,
    WITHIN_MARGIN,
)

COLOUR_ORDER = ("green", "yellow", "red", "unrated")
UNRATED_WORD = N_("UNRATED")
# the label (msgid) of each colour's word, as the summary and the chart show it
COLOUR_LABELS = {"green": present.RATING_WORDS[3], "yellow": present.RATING_WORDS[2],
                 "red": present.RATING_WORDS[1], "unrated": UNRATED_WORD}
BASIS_WORDS = {"computed": N_("computed"), "manual": N_("assessed")}
UNRATED_NOTES = {NO_OUTCOME: N_("no outcome"), NO_TARGET: N_("no target level"),
                 NOT_RATED: N_("not rated")}


@dataclass(frozen=True)
class TargetRow:
    """One rated target: a goal or an indicator."""

    row_type: ClassVar[str] = "target"
    assessment: Assessment
    title: str
    unit: str | None
    depth: int            # 0 under its theme, 1 under a goal …
    level: str            # "> 4,0", or the word for a goal's qualitative target
    outcome: str          # "4,2", or a dash
    word: str             # the rating's word (VIHREÄ …) or UNRATED's
    note: str             # how it was rated: "laskettu", "arvioitu", "ei toteumaa" …
    explanation: str      # the rule's explanation in a sentence
    reason: list[A.Node]  # the written reason (inline nodes), possibly empty

    @property
    def colour(self) -> str:
        return self.assessment.colour or "unrated"


@dataclass(frozen=True)
class ParentRow:
    """A goal that holds rated sub-goals (shown as a spanning row)."""

    row_type: ClassVar[str] = "parent"
    title: str
    depth: int


@dataclass
class Group:
    """The targets of one theme (or section, or annex)."""

    title: str
    rows: list[TargetRow | ParentRow] = field(default_factory=list)


@dataclass(frozen=True)
class Count:
    colour: str   # green | yellow | red | unrated
    word: str
    count: int


@dataclass
class Report:
    doc: A.Document
    period: ReportPeriod
    example: bool
    labels: dict[str, str]
    counts: list[Count]
    groups: list[Group]
    deviations: list[TargetRow]
    rows: list[TargetRow]
    signing: object | None = None  # signed.Signing of the agreement followed up (None: a draft)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)

    @property
    def name(self) -> str:
        """The file name without extension: ``<document-id>-<period>``."""
        return f"{self.doc.id}-{self.period}"


def period_text(period: ReportPeriod, _: Labels) -> str:
    if period.is_half_year:
        return _("January–June {year}", year=period.year)
    return _("Year {year}", year=period.year)


def margin_text(margin: Margin, lang: str, _: Labels) -> str:
    if margin.relative:
        return _("{percent} of the target level", percent=format_percent(margin.value, lang))
    return _("{amount} in the indicator's unit", amount=format_decimal(margin.value, lang))


def build_report(doc: A.Document, file: OutcomeFile, settings: ReportSettings, _: Labels,
                 fallback_language: str | None = None, signing=None) -> Report:
    """The report of ``doc`` (localised) for the period of ``file``.

    ``signing`` (signed.Signing): whether the agreement followed up was signed.
    """
    period = file.period
    assessments = assess(doc, file, settings, period.year, fallback_language)
    goals = {n.id: n for n in doc.walk() if isinstance(n, A.Goal)}
    rated = {a.id for a in assessments if a.kind == "goal"}
    for a in assessments:
        a.reason = resolve_goal_refs(a.reason, goals, rated)
    rows = [_row(a, doc, period, _) for a in assessments]
    counts = summary(assessments)
    count_list = [Count(c, _(COLOUR_LABELS[c]), counts[c]) for c in COLOUR_ORDER]
    labels = _labels(doc, period, file, settings, count_list, _)
    labels["signing_label"] = _("Signing of the agreement")
    labels["signing"] = _("Draft version") if doc.is_draft or signing is None else signing.note(_, doc.language)
    deviations = sorted((r for r in rows if r.assessment.rating in (1, 2)),
                        key=lambda r: r.assessment.rating)  # RED first, then YELLOW; stable in document order
    return Report(doc, period, file.example, labels, count_list, _groups(rows, doc, _), deviations, rows,
                  signing)


def _labels(doc: A.Document, period: ReportPeriod, file: OutcomeFile, settings: ReportSettings,
            counts: list[Count], _: Labels) -> dict[str, str]:
    lang = doc.language
    total = sum(c.count for c in counts)
    return {
        "title": _("Follow-up report"),
        "period": period_text(period, _),
        "period_label": _("Reporting period"),
        "document_label": _("Organisation"),
        "header": _("Follow-up report {period}", period=str(period)),
        "example": _("EXAMPLE DATA"),
        "example_note": _("The outcomes and ratings in this report are example data, not real figures."),
        "summary": _("Summary"),
        "summary_text": _("{total} targets followed up for {period}.", total=total, period=period_text(period, _)),
        "count_header": _("Targets"),
        "chart_alt": _("Ratings of {total} targets: {counts}.", total=total,
                       counts=", ".join(f"{c.word} {c.count}" for c in counts)),
        "chart_title": _("Ratings by colour"),
        "rule": _("How the targets are rated"),
        "rule_text": _(
            "Numeric indicators are rated from the figures: {green} when the outcome meets the target "
            "level, {yellow} when it misses the target level by no more than the yellow margin ({margin}, "
            "unless the indicator has its own), {red} when it misses it by more. Goals are rated by the "
            "agency with a written reason; the agency may also override a computed rating, with its reason.",
            green=present.rating_word(3, _), yellow=present.rating_word(2, _), red=present.rating_word(1, _),
            margin=margin_text(settings.yellow_margin, lang, _)),
        "targets": _("Ratings by target"),
        "col_target": _("Goal or indicator"),
        "col_level": _("Target level {year}", year=period.year),
        "col_outcome": _("Outcome"),
        "col_rating": _("Rating"),
        "deviations": _("Deviations"),
        "no_deviations": _("No target is rated {yellow} or {red}.", yellow=present.rating_word(2, _),
                           red=present.rating_word(1, _)),
        "reason": _("Reason"),
        "unit": _("Unit"),
        "document_title": doc.title,
        "organisation": doc.organisation,
        "page": _("Page"),
    }


def _row(a: Assessment, doc: A.Document, period: ReportPeriod, _: Labels) -> TargetRow:
    lang = doc.language
    depth = sum(isinstance(n, A.Goal) for n in a.context)
    if isinstance(a.node, A.Indicator):
        title, unit = a.node.name, a.node.unit
        level = format_level(a.target.op, a.target.value, unit, lang) if a.target else "–"
    else:
        title, unit = a.node.title, None
        level = _("qualitative")
    outcome = format_quantity(a.outcome, unit, lang) if a.outcome is not None else "–"
    if a.rating:
        word = present.rating_word(a.rating, _)
        note = _(BASIS_WORDS[a.basis])
    else:
        word = _(UNRATED_WORD)
        note = _(UNRATED_NOTES[a.why])
    return TargetRow(a, title, unit, depth, level, outcome, word, note,
                     explanation(a, unit, period, lang, _), a.reason)


def resolve_goal_refs(inlines: list[A.Node], goals: dict[str, A.Goal], rated: set[str]) -> list[A.Node]:
    """Fill in the titles of ``:goal:`` references (in the document's language);
    a reference to a goal the report does not show becomes plain text."""
    import dataclasses

    out: list[A.Node] = []
    for node in inlines:
        if isinstance(node, A.GoalRef):
            goal = goals.get(node.target)
            title = goal.title if goal else node.target
            out.append(dataclasses.replace(node, title=title) if node.target in rated
                       else A.Text(title, source=node.source))
        elif hasattr(node, "content"):
            out.append(dataclasses.replace(node, content=resolve_goal_refs(node.content, goals, rated)))
        else:
            out.append(node)
    return out


def _number(value: Decimal, unit: str | None, lang: str) -> str:
    return format_quantity(value, unit, lang)


def explanation(a: Assessment, unit: str | None, period: ReportPeriod, lang: str, _: Labels) -> str:
    """Why the target has its rating, in one sentence of the document's language."""
    year = period.year
    if a.why == NO_OUTCOME:
        return _("No outcome reported for {period}.", period=period_text(period, _))
    if a.why == NO_TARGET:
        return _("No target level for {year}.", year=year)
    if a.why == NOT_RATED:
        return _("Not rated for {period}.", period=period_text(period, _))
    if a.why == MANUAL:
        text = _("Rated by the agency.")
        if a.verdict is not None and a.verdict.rating != a.rating:
            text += " " + _("By the figures: {word}.", word=present.rating_word(a.verdict.rating, _))
        return text
    outcome = _number(a.outcome, unit, lang)
    target = format_level(a.target.op, a.target.value, unit, lang)
    if a.why == MET:
        return _("The outcome {outcome} meets the target level {target}.", outcome=outcome, target=target)
    gap = _number(_tidy(a.verdict.gap), unit, lang)
    margin = _number(_tidy(a.verdict.allowance, a.target.value), unit, lang)
    if a.why == WITHIN_MARGIN:
        return _("The outcome {outcome} misses the target level {target} by {gap}, within the yellow "
                 "margin of {margin}.", outcome=outcome, target=target, gap=gap, margin=margin)
    return _("The outcome {outcome} misses the target level {target} by {gap}, more than the yellow "
             "margin of {margin}.", outcome=outcome, target=target, gap=gap, margin=margin)


def _tidy(value: Decimal, like: Decimal | None = None) -> Decimal:
    """Drop trailing zeros a multiplication added, keeping at least ``like``'s decimals."""
    value = value.normalize()
    if like is not None:
        places = max(-like.as_tuple().exponent, 0)
        if -value.as_tuple().exponent < places:
            value = value.quantize(Decimal(1).scaleb(-places))
    if value.as_tuple().exponent > 0:
        value = value.quantize(Decimal(1))
    return value


def _group_title(node: A.Node, _: Labels) -> str:
    if isinstance(node, A.Theme):
        return node.title
    return present.heading_text(node, _)


def _groups(rows: list[TargetRow], doc: A.Document, _: Labels) -> list[Group]:
    groups: list[Group] = []
    current_key: object = None
    shown_parents: set[int] = set()
    for row in rows:
        context = row.assessment.context
        holder_index = max((i for i, n in enumerate(context) if isinstance(n, (A.Theme, A.Section, A.Annex))),
                           default=None)
        holder = context[holder_index] if holder_index is not None else None
        key = id(holder) if holder is not None else None
        if not groups or key != current_key:
            groups.append(Group(_group_title(holder, _) if holder is not None else doc.title))
            current_key = key
            shown_parents = set()
        start = holder_index + 1 if holder_index is not None else 0
        for depth, parent in enumerate(n for n in context[start:] if isinstance(n, A.Goal)):
            if id(parent) not in shown_parents and parent is not row.assessment.node:
                shown_parents.add(id(parent))
                if parent.id not in {r.assessment.id for r in groups[-1].rows if isinstance(r, TargetRow)}:
                    groups[-1].rows.append(ParentRow(parent.title, depth))
        groups[-1].rows.append(row)
    return groups
