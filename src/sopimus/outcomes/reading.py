"""Read and check the outcome files of a document (``<document-id>/toteumat/*.yaml``).

Every problem is a finding with the file and line, reported by
``sopimus check`` like any other source problem:

outcome-period      the file name is not a period, or the year is outside the agreement period
outcome-unknown-id  an id that is not an indicator (or goal) of the document
outcome-value       an outcome or a yellow margin that is not a number
outcome-rating      a rating that is not 1, 2 or 3 (or a listed goal without one: warning)
outcome-reason      a manual YELLOW or RED, or a manual rating that overrides the computed one,
                    without a written reason
outcome-deviation   warning: a computed YELLOW or RED without a written reason
outcome-markup      the reason's reST inline markup is broken
link-scheme         a reason links elsewhere than https/http/mailto (directive-refused,
                    include-refused: a reason is inline text; see sopimus.rst.policy)
goal-ref            a :goal: reference in a reason to a goal that does not exist
"""
from __future__ import annotations

import difflib
import re
from decimal import Decimal
from pathlib import Path

from .. import ast as A
from ..config import Fields, ProjectConfig, _load_mapping, show_path
from ..diagnostics import Diagnostics
from ..targets import TargetSyntaxError, parse_level
from ..yamlio import Y
from .model import DocumentOutcomes, GoalOutcome, IndicatorOutcome, OutcomeFile, ReportSettings
from .period import parse_period
from .rule import COLOURS, DEFAULT_MARGIN, GREEN, Margin, parse_margin, rate

OUTCOME_DIR = "toteumat"
FILE_KEYS = ("example", "indicators", "goals")
INDICATOR_KEYS = ("outcome", "yellow_margin", "rating", "reason")
GOAL_KEYS = ("rating", "reason")
SETTINGS_KEYS = ("yellow_margin",)
_COMPARISON = re.compile(r"^\s*[<>=≤≥]")
_KIND_WORDS = {A.Theme: "a theme", A.Goal: "a goal", A.Indicator: "an indicator",
               A.Annex: "an annex", A.ImpactGoal: "an impact goal"}


def read_report_settings(config: ProjectConfig, diags: Diagnostics) -> ReportSettings:
    """The ``report:`` section of sopimus.yaml (optional)."""
    y = config.extra.get("report")
    shown = show_path(config.path)
    if y is None or y.is_empty:
        return ReportSettings()
    if y.kind != "map":
        diags.error("meta-type", shown, y.line, "'report' must be a mapping, e.g. report: {yellow_margin: \"10 %\"}")
        return ReportSettings()
    Fields(y, shown, diags, "report", SETTINGS_KEYS)
    margin = _margin(y.get("yellow_margin"), shown, diags)
    return ReportSettings(margin or DEFAULT_MARGIN)


def outcome_files(folder: Path) -> list[Path]:
    """The outcome files of a document folder, in name order."""
    where = folder / OUTCOME_DIR
    if not where.is_dir():
        return []
    return sorted(p for p in where.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def read_outcomes(config: ProjectConfig, folder: Path, doc: A.Document, settings: ReportSettings,
                  diags: Diagnostics) -> DocumentOutcomes:
    """Every outcome file of ``doc`` (in its source language), checked against it."""
    out = DocumentOutcomes(doc.id, settings)
    index = {node.id: node for node in doc.walk()
             if isinstance(node, tuple(_KIND_WORDS)) and getattr(node, "id", "")}
    for path in outcome_files(folder):
        read = _read_file(config, path, doc, index, settings, diags)
        if read is None:
            continue
        if read.period in out.files:
            diags.error("outcome-period", show_path(path), 1,
                        f"period {read.period} already has an outcome file: {show_path(out.files[read.period].path)}",
                        "keep one file per period")
            continue
        out.files[read.period] = read
    return out


def _read_file(config: ProjectConfig, path: Path, doc: A.Document, index: dict[str, A.Node],
               settings: ReportSettings, diags: Diagnostics) -> OutcomeFile | None:
    shown = show_path(path)
    period = parse_period(path.stem)
    if period is None:
        diags.error("outcome-period", shown, 1, f"file name {path.name!r} does not name a period",
                    "name outcome files 2026-H1.yaml (half-year) or 2026.yaml (full year)")
        return None
    years = doc.period.years
    in_period = not doc.period.start or period.year in years
    if not in_period:
        diags.error("outcome-period", shown, 1,
                    f"period {period} is outside the agreement period {years.start}–{years.stop - 1}")
    y = _load_mapping(path, shown, diags, path.parent.parent)  # the document's folder
    if y is None:
        return None
    f = Fields(y, shown, diags, "outcome file", FILE_KEYS, [doc.language, *_other_languages(config, doc)])
    example = y.get("example")
    if example is not None and example.kind != "bool":
        diags.error("meta-type", shown, example.line, "'example' must be true or false", col=example.col)
    result = OutcomeFile(path, _rel(config, path), period, bool(example and example.kind == "bool" and example.value))
    indicators = f.mapping("indicators")
    if indicators is not None:
        for key, entry in indicators.value.items():
            line = indicators.key_lines[key]
            node = _known(key, A.Indicator, "indicators", index, shown, line, diags)
            item = _indicator(key, entry, line, f, shown, node, diags)
            if node is not None and item is not None:
                result.indicators[key] = item
                _check_indicator(item, node, period.year, settings, shown, diags)
    goals = f.mapping("goals")
    if goals is not None:
        for key, entry in goals.value.items():
            line = goals.key_lines[key]
            node = _known(key, A.Goal, "goals", index, shown, line, diags)
            item = _goal(key, entry, line, f, shown, diags)
            if node is not None and item is not None:
                result.goals[key] = item
    for item in [*result.indicators.values(), *result.goals.values()]:
        _check_reason_markup(item, index, shown, diags)
    return result if in_period else None


def _other_languages(config: ProjectConfig, doc: A.Document) -> list[str]:
    return [lang for lang in config.languages if lang != doc.language]


def _rel(config: ProjectConfig, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def _known(key: str, kind: type, section: str, index: dict[str, A.Node], shown: str, line: int,
           diags: Diagnostics) -> A.Node | None:
    node = index.get(key)
    if isinstance(node, kind):
        return node
    what = "an indicator" if kind is A.Indicator else "a goal"
    if node is None:
        candidates = [i for i, n in index.items() if isinstance(n, kind)]
        match = difflib.get_close_matches(key, candidates, n=1)
        diags.error("outcome-unknown-id", shown, line, f"{key!r} is not {what} of this document",
                    f"did you mean {match[0]!r}?" if match else f"use the :id: of {what} in '{section}'")
    else:
        other = "goals" if isinstance(node, A.Goal) else "indicators" if isinstance(node, A.Indicator) else None
        hint = (f"list it under '{other}'" if other else
                "rate its goals and indicators instead")
        diags.error("outcome-unknown-id", shown, line,
                    f"{key!r} is {_KIND_WORDS[type(node)]}, not {what}", hint)
    return None


def _entry_fields(key: str, entry: Y, what: str, known: tuple[str, ...], f: Fields, shown: str,
                  diags: Diagnostics) -> Fields | None:
    if entry.kind != "map":
        return None
    return Fields(entry, shown, diags, f"{what} {key!r}", known, f.languages)


def _indicator(key: str, entry: Y, line: int, f: Fields, shown: str, node: A.Node | None,
               diags: Diagnostics) -> IndicatorOutcome | None:
    unit = node.unit if isinstance(node, A.Indicator) else None
    item = IndicatorOutcome(key, line)
    if entry.kind in ("str", "int", "float", "null"):  # the short form: `id: 4,1`
        item.outcome = _outcome(entry, unit, shown, diags)
        return item
    ef = _entry_fields(key, entry, "indicator", INDICATOR_KEYS, f, shown, diags)
    if ef is None:
        diags.error("meta-type", shown, entry.line,
                    f"indicator {key!r} must be an outcome value or a mapping with 'outcome', "
                    "'rating', 'reason', 'yellow_margin'", col=entry.col)
        return None
    item.outcome = _outcome(entry.get("outcome"), unit, shown, diags)
    item.yellow_margin = _margin(entry.get("yellow_margin"), shown, diags)
    item.rating = _rating(entry.get("rating"), shown, diags)
    item.reason = ef.local_text("reason")
    return item


def _goal(key: str, entry: Y, line: int, f: Fields, shown: str, diags: Diagnostics) -> GoalOutcome | None:
    item = GoalOutcome(key, line)
    if entry.kind in ("int", "str", "float"):  # the short form: `id: 3`
        item.rating = _rating(entry, shown, diags)
    else:
        ef = _entry_fields(key, entry, "goal", GOAL_KEYS, f, shown, diags)
        if ef is None:
            if entry.kind != "null":
                diags.error("meta-type", shown, entry.line,
                            f"goal {key!r} must be a rating or a mapping with 'rating' and 'reason'", col=entry.col)
                return None
        else:
            item.rating = _rating(entry.get("rating"), shown, diags)
            item.reason = ef.local_text("reason")
    given = entry.kind in ("int", "str", "float") or (
        entry.kind == "map" and entry.get("rating") is not None and not entry.get("rating").is_empty)
    if item.rating is None:
        if given:
            return item  # a rating that is not 1–3 is reported already
        diags.warning("outcome-rating", shown, line, f"goal {key!r} is listed but has no rating",
                      "add 'rating: 3' (GREEN), 2 (YELLOW) or 1 (RED), or remove the goal")
    elif item.rating != GREEN and not item.reason:
        diags.error("outcome-reason", shown, line,
                    f"goal {key!r} is rated {COLOURS[item.rating].upper()} without a reason",
                    "add 'reason:' explaining the deviation")
    return item


def _outcome(v: Y | None, unit: str | None, shown: str, diags: Diagnostics) -> Decimal | None:
    if v is None or v.is_empty:
        return None
    if v.kind not in ("str", "int", "float"):
        diags.error("outcome-value", shown, v.line, f"the outcome must be a number, not {v.kind}", col=v.col)
        return None
    text = v.text if v.kind != "str" else v.value
    if _COMPARISON.match(text):
        diags.error("outcome-value", shown, v.line, f"the outcome {text.strip()!r} is a comparison",
                    "write the figure itself, e.g. 4,1; the comparison belongs to the target level",
                    col=v.col)
        return None
    try:
        _, value, percent = parse_level(text)
    except TargetSyntaxError:
        diags.error("outcome-value", shown, v.line, f"the outcome {text.strip()!r} is not a number",
                    "write e.g. 4,1 or 1 234,5 (decimal comma or point)", col=v.col)
        return None
    if percent and unit != "%":
        diags.error("outcome-value", shown, v.line,
                    f"the outcome {text.strip()!r} has a % sign but the indicator's unit is {unit!r}",
                    "write the number without %", col=v.col)
        return None
    return value


def _margin(v: Y | None, shown: str, diags: Diagnostics) -> Margin | None:
    if v is None or v.is_empty:
        return None
    text = v.text if v.kind in ("int", "float") else v.value if v.kind == "str" else None
    margin = parse_margin(text) if text is not None else None
    if margin is None:
        diags.error("outcome-value", shown, v.line, f"yellow_margin {v.text or v.kind!s} is not a margin",
                    "write a percentage of the target level (\"10 %\") or an amount in the "
                    "indicator's unit (\"0,2\")", col=v.col)
    return margin


def _rating(v: Y | None, shown: str, diags: Diagnostics) -> int | None:
    if v is None or v.is_empty:
        return None
    if v.kind != "int" or v.value not in (1, 2, 3):
        diags.error("outcome-rating", shown, v.line, f"rating {v.text or v.value!s} is not 1, 2 or 3",
                    "3 = GREEN (met), 2 = YELLOW (partly met), 1 = RED (not met)", col=v.col)
        return None
    return v.value


def _check_indicator(item: IndicatorOutcome, node: A.Indicator, year: int, settings: ReportSettings,
                     shown: str, diags: Diagnostics) -> None:
    """A manual rating needs a reason when it says YELLOW/RED or overrides the figures."""
    level = next((t for t in node.targets if t.year == year), None)
    computed = None
    if level is not None and item.outcome is not None:
        computed = rate(level.op, level.value, item.outcome, item.yellow_margin or settings.yellow_margin).rating
    if item.rating is not None and not item.reason:
        if item.rating != GREEN:
            diags.error("outcome-reason", shown, item.line,
                        f"indicator {item.id!r} is rated {COLOURS[item.rating].upper()} without a reason",
                        "add 'reason:' explaining the deviation")
        elif computed is not None and computed != item.rating:
            diags.error("outcome-reason", shown, item.line,
                        f"indicator {item.id!r} is rated GREEN by hand, overriding the computed "
                        f"{COLOURS[computed].upper()}, without a reason",
                        "add 'reason:' saying why the figures do not tell the whole story")
    elif item.rating is None and computed is not None and computed != GREEN and not item.reason:
        diags.warning("outcome-deviation", shown, item.line,
                      f"indicator {item.id!r} is {COLOURS[computed].upper()} by the figures "
                      "and has no written reason",
                      "the report concentrates on deviations: add 'reason:'")


def _check_reason_markup(item: IndicatorOutcome | GoalOutcome, index: dict[str, A.Node], shown: str,
                         diags: Diagnostics) -> None:
    """A reason is inline text under the inline policy: no directive, no include, safe links only."""
    from ..i18n.content import parse_inline
    from ..rst.policy import LINK_HINT

    for lang, text in (item.reason or {}).items():
        inlines, problems = parse_inline(text, A.Source(shown, item.line))
        for problem in problems:
            code = problem.code if problem.breaks_policy else "outcome-markup"
            diags.error(code, shown, item.line,
                        f"reason ({lang}) of {item.id!r}: {' '.join(problem.message.split())}",
                        LINK_HINT if code == "link-scheme" else
                        "reasons allow *emphasis*, **strong**, ``literal``, links and :goal:`id`")
        if problems:
            continue
        for node in inlines:
            for sub in node.walk():
                if isinstance(sub, A.GoalRef) and not isinstance(index.get(sub.target), A.Goal):
                    diags.error("goal-ref", shown, item.line,
                                f"reason ({lang}) of {item.id!r} refers to goal {sub.target!r}, "
                                "which does not exist")
